"""Named queries: ``queries/NAME.cypher`` and ``queries/NAME.rq``, each with a header, run by name.

The header is the leading comment block: ``title:``, ``description:`` (continued on indented lines),
``param NAME: TYPE [= DEFAULT] — text`` and ``returns:``. Parameters are bound, never formatted into the
query text, and typed values from the command line are parsed by the declared type.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from ieic_kg.errors import NotFound, QueryParameterError, SourceError

PARAM_TYPES = ("string", "integer", "float", "boolean", "list[string]")
_PARAM = re.compile(
    r"^param\s+(?P<name>\w+)\s*:\s*(?P<type>[\w\[\]]+)\s*(?:=\s*(?P<default>\S+))?\s*(?:[—-]+\s*(?P<doc>.*))?$"
)


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str
    default: Any = None
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is None

    def parse(self, text: str) -> Any:
        """A command-line value as this parameter's type."""
        try:
            if self.type == "integer":
                return int(text)
            if self.type == "float":
                return float(text)
            if self.type == "boolean":
                if text.lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                return text.lower() in ("true", "1")
            if self.type == "list[string]":
                return [p.strip() for p in text.split(",") if p.strip()]
            return text
        except ValueError:
            raise QueryParameterError(f"parameter {self.name!r} must be {self.type}, not {text!r}") from None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    language: str  # "cypher" | "sparql"
    text: str
    path: str
    title: str = ""
    description: str = ""
    params: tuple[QueryParam, ...] = ()
    returns: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    declared: bool = True  # False for a user's file without a header: any parameter is passed through

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Parameters for a run: the given values (strings parsed by type), defaults for the rest."""
        if not self.declared:
            return dict(given)
        known = {p.name: p for p in self.params}
        unknown = set(given) - known.keys()
        if unknown:
            raise QueryParameterError(
                f"{self.name} has no parameter {', '.join(sorted(unknown))}",
                hint=f"parameters: {', '.join(known) or 'none'}",
            )
        out = {}
        for p in self.params:
            if p.name in given:
                v = given[p.name]
                out[p.name] = p.parse(v) if isinstance(v, str) and p.type != "string" else v
            elif p.default is not None:
                out[p.name] = p.default
            else:
                raise QueryParameterError(f"{self.name} needs parameter {p.name!r} ({p.type}): {p.doc}")
        return out


def parse_query(text: str, *, name: str, language: str, path: str) -> NamedQuery:
    """Read the header of a query file."""
    marker = "//" if language == "cypher" else "#"
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    current: str | None = None
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith(marker):
            if stripped:
                break
            continue
        body = stripped[len(marker) :]
        if body.startswith("  ") and current:  # continuation of the previous field
            fields[current] += " " + body.strip()
            continue
        body = body.strip()
        if body.startswith("param "):
            m = _PARAM.match(body)
            if not m or m["type"] not in PARAM_TYPES:
                raise SourceError(
                    "malformed parameter line",
                    file=path,
                    line=line_no,
                    hint=f"write 'param NAME: TYPE [= DEFAULT] — text', TYPE one of {', '.join(PARAM_TYPES)}",
                )
            default = json.loads(m["default"]) if m["default"] else None
            params.append(QueryParam(m["name"], m["type"], default, (m["doc"] or "").strip()))
            current = None
        elif ":" in body:
            key, _, value = body.partition(":")
            current = key.strip()
            fields[current] = value.strip()
    if "title" not in fields:
        raise SourceError("the query header has no 'title:' line", file=path, line=1)
    return NamedQuery(
        name=name,
        language=language,
        text=text,
        path=path,
        title=fields.pop("title"),
        description=fields.pop("description", ""),
        params=tuple(params),
        returns=fields.pop("returns", ""),
        extra=fields,
    )


class QueryLibrary:
    """The named queries shipped in ``queries/`` (and any extra folder), loaded once."""

    SUFFIXES: ClassVar[dict[str, str]] = {".cypher": "cypher", ".rq": "sparql"}

    def __init__(self, extra_dirs: tuple[Path, ...] = ()) -> None:
        self.queries: dict[tuple[str, str], NamedQuery] = {}
        folder = resources.files("ieic_kg.assets.queries")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            self._add(entry.name, entry.read_text(encoding="utf-8") if entry.is_file() else None, str(entry))
        for d in extra_dirs:
            for p in sorted(Path(d).iterdir()):
                self._add(p.name, p.read_text(encoding="utf-8") if p.is_file() else None, str(p))

    def _add(self, filename: str, text: str | None, path: str) -> None:
        suffix = Path(filename).suffix
        if text is None or suffix not in self.SUFFIXES:
            return
        language = self.SUFFIXES[suffix]
        name = Path(filename).stem
        self.queries[(name, language)] = parse_query(text, name=name, language=language, path=path)

    def get(self, name: str, language: str = "cypher") -> NamedQuery:
        """The query ``name`` in ``language``; an unknown name fails listing the known ones."""
        try:
            return self.queries[(name, language)]
        except KeyError:
            names = sorted({n for n, lang in self.queries if lang == language})
            raise NotFound(f"no {language} query named {name!r}", hint=f"named queries: {', '.join(names)}") from None

    def all(self) -> list[NamedQuery]:
        return [self.queries[k] for k in sorted(self.queries)]


def load_query_file(path: Path) -> NamedQuery:
    """A user's own ``.cypher``/``.rq`` file; the header is optional."""
    language = QueryLibrary.SUFFIXES.get(path.suffix)
    if language is None:
        raise SourceError("a query file ends in .cypher or .rq", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError("query file not found", file=str(path)) from None
    try:
        return parse_query(text, name=path.stem, language=language, path=str(path))
    except SourceError:
        return NamedQuery(name=path.stem, language=language, text=text, path=str(path), title=path.stem, declared=False)


def run_query(
    query: NamedQuery,
    given: dict[str, Any],
    *,
    graph_store: Any = None,
    rdf_store: Any = None,
    timeout: float | None = None,
) -> list[dict[str, Any]]:
    """Run a named query on the store of its language: Cypher on ``graph_store``, SPARQL on ``rdf_store``.

    A SPARQL query runs as ``sparql_request`` prepares it, and its parameter columns are dropped from the
    rows. SPARQL cannot bind a ``LIMIT``: a SPARQL query that declares an integer parameter ``limit`` has no
    LIMIT clause and keeps its first ``limit`` rows here (the query orders them).
    """
    params = query.bind(given)
    if query.language == "cypher":
        if graph_store is None:
            raise QueryParameterError(f"{query.name} is a Cypher query: it needs the graph store")
        return graph_store.read(query.text, params, timeout=timeout)
    if rdf_store is None:
        raise QueryParameterError(f"{query.name} is a SPARQL query: it needs the RDF store")
    text, used = sparql_request(query, params)
    result = rdf_store.query(text, timeout=timeout or 30.0, bindings=used)
    rows = [{k: v for k, v in row.items() if k not in used} for row in result.rows]
    limit = params.get("limit")
    if isinstance(limit, int) and any(p.name == "limit" and p.type == "integer" for p in query.params):
        rows = rows[:limit]
    return rows


def sparql_request(query: NamedQuery, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text and the variable bindings that run a SPARQL named query with bound ``params``.

    A ``list[string]`` parameter fills the query's empty ``VALUES ?NAME {}`` block; the other parameters
    that the query uses are bindings (Oxigraph substitutes only variables the query projects, so a query
    projects the parameters it uses).
    """
    params = dict(params)
    text = query.text
    for p in query.params:
        if p.type == "list[string]" and p.name in params:
            block = f"VALUES ?{p.name} {{ {' '.join(_sparql_term(str(v)) for v in params.pop(p.name))} }}"
            text = _fill_values(text, p.name, block)
    return text, {k: v for k, v in params.items() if re.search(rf"\?{k}\b", text)}


def _fill_values(text: str, name: str, block: str) -> str:
    """Replace the empty ``VALUES ?name {}`` of a SPARQL query with ``block`` (taken literally)."""
    return re.sub(rf"VALUES\s+\?{name}\s*\{{\s*\}}", lambda _m: block, text)


_IRI = re.compile(r"^(https?|urn):[^<>\"{}|^`\\\s]+$")


def _sparql_term(value: str) -> str:
    """A value written as a SPARQL term: an IRI, or a string literal (JSON escapes are SPARQL escapes)."""
    return f"<{value}>" if _IRI.match(value) else json.dumps(value)
