"""Declarative mapping files: how the rows of a tabular, SQL or JSON source become ontology records.

A mapping file (YAML) names a dataset and lists its sources; each source says where its rows come from
(CSV, XLSX sheet, SQL query, JSON/JSON Lines), which class a row becomes, which column is its key, which
columns fill which properties, and which relationships a row states. The format is documented with
examples in docs/mappings.md. Loading a mapping only reads sources and yields records (ieic_kg.records);
the ingest engine validates and writes them.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from ieic_kg.loaders.readers import read_rows, source_format
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ieic_kg.errors import SourceError
from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Record, Ref, Reject

Transform = Literal["upper", "lower", "nfkc", "excel_text", "strip_spaces"]


class ValueSpec(BaseModel):
    """Where a value comes from: a ``column``, a ``template`` over columns, or a constant ``value``.

    In YAML a plain string is short for ``{column: NAME}``.
    """

    model_config = ConfigDict(extra="forbid")

    column: str | None = None
    template: str | None = None
    value: Any = None
    transform: list[Transform] = Field(default_factory=list)
    split: str | None = None
    map: dict[str, Any] | None = None
    default: Any = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"column": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_origin(self) -> ValueSpec:
        given = [x for x in (self.column, self.template, self.value) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'column', 'template' or 'value'")
        return self

    def fields(self) -> set[str]:
        """Column names this value reads."""
        if self.column is not None:
            return {self.column}
        if self.template is not None:
            return {f for _, f, _, _ in string.Formatter().parse(self.template) if f}
        return set()


class Condition(BaseModel):
    """Keep a row (or state an edge) only when a column's value is ``in`` a list or ``matches`` a regex."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    column: str
    values: list[str] | None = Field(None, alias="in")
    matches: str | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if (self.values is None) == (self.matches is None):
            raise ValueError("give exactly one of 'in' or 'matches'")
        if self.matches is not None:
            try:
                re.compile(self.matches)
            except re.error as exc:
                raise ValueError(f"'matches' is not a valid regular expression: {exc}") from None
        return self

    def holds(self, row: Mapping[str, Any]) -> bool:
        value = row.get(self.column)
        if value is None:
            return False
        if self.values is not None:
            return str(value) in self.values
        assert self.matches is not None
        return re.search(self.matches, str(value)) is not None


class RefSpec(BaseModel):
    """The other end of a relationship: a class and a key, an IRI, or a label to resolve."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    cls: str | ValueSpec | None = Field(None, alias="class")
    key: ValueSpec | None = None
    iri: ValueSpec | None = None
    label: ValueSpec | None = None
    within: str | None = None

    @model_validator(mode="after")
    def _one_identity(self) -> RefSpec:
        given = [x for x in (self.key, self.iri, self.label) if x is not None]
        if len(given) != 1:
            raise ValueError("a reference needs exactly one of 'key', 'iri' or 'label'")
        if (self.key is not None or self.label is not None) and self.cls is None:
            raise ValueError("a reference by 'key' or 'label' needs its 'class'")
        return self


class EdgeSpec(BaseModel):
    """A relationship stated by each row; a missing ``from`` or ``to`` means the row's own node."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    predicate: str
    when: Condition | None = None
    source: RefSpec | None = Field(None, alias="from")
    target: RefSpec | None = Field(None, alias="to")
    for_each: ValueSpec | None = None
    properties: dict[str, ValueSpec] = Field(default_factory=dict)


class SourceSpec(BaseModel):
    """One table of a mapping: where its rows are and what each row states."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    file: str | None = None
    url: str | None = None
    format: Literal["csv", "tsv", "xlsx", "sql", "json", "jsonl"] | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    query: str | None = None
    table: str | None = None
    records: str | None = None
    when: Condition | None = None
    trim: bool = True
    cls: str | ValueSpec | None = Field(None, alias="class")
    key: ValueSpec | None = None
    iri: ValueSpec | None = None
    properties: dict[str, ValueSpec] = Field(default_factory=dict)
    edges: list[EdgeSpec] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name_is_simple(cls, v: str) -> str:
        if not v or not all(ch.isalnum() or ch in "-_." for ch in v):
            raise ValueError("use letters, digits, '-', '_' or '.'")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> SourceSpec:
        if (self.file is None) == (self.url is None):
            raise ValueError("give exactly one of 'file' or 'url'")
        if self.cls is not None and self.key is None and self.iri is None:
            raise ValueError("a source that makes nodes ('class') needs a 'key' or an 'iri'")
        if self.cls is None and not self.edges:
            raise ValueError("a source states nodes ('class') or relationships ('edges'), or both")
        if self.cls is None and self.properties:
            raise ValueError("'properties' need a 'class'")
        for edge in self.edges:
            if self.cls is None and (edge.source is None or edge.target is None):
                raise ValueError(f"edge {edge.predicate!r}: without a 'class' both 'from' and 'to' are needed")
        return self


class MappingSpec(BaseModel):
    """A mapping file: one dataset (the provenance name of everything it loads) and its sources."""

    model_config = ConfigDict(extra="forbid")

    dataset: str
    version: str = "1"
    title: dict[str, str] = Field(default_factory=dict)
    description: str = ""
    licence: str = ""
    sources: list[SourceSpec]

    @field_validator("dataset")
    @classmethod
    def _dataset_is_simple(cls, v: str) -> str:
        if not v or not all(ch.isalnum() or ch in "-_." for ch in v):
            raise ValueError("use letters, digits, '-', '_' or '.'")
        return v


def read_mapping(path: Path) -> MappingSpec:
    """Parse and check a mapping file; errors name the file, the line when known, and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError("mapping file not found", file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            file=str(path),
            line=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(data, dict):
        raise SourceError("a mapping file is a YAML mapping with 'dataset' and 'sources'", file=str(path))
    try:
        return MappingSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise SourceError(
            f"{first['msg']}{more}", file=str(path), field=where, hint="see docs/mappings.md for the format"
        ) from None


class MappingLoader:
    """Reads the sources of a mapping file and yields node, edge and reject records."""

    name = "mapping"
    version = "1"

    def __init__(self, mapping_path: Path, *, source_file: Path | None = None, only: str | None = None) -> None:
        self.mapping_path = Path(mapping_path)
        self.spec = read_mapping(self.mapping_path)
        self.base_dir = self.mapping_path.resolve().parent
        self.sources = [s for s in self.spec.sources if only is None or s.name == only]
        #: True when the whole dataset is read: only then can missing records be taken as retracted
        self.complete = only is None
        if only is not None and not self.sources:
            raise SourceError(
                f"no source named {only!r}",
                file=str(mapping_path),
                hint=f"sources: {', '.join(s.name for s in self.spec.sources)}",
            )
        if source_file is not None:
            if len(self.sources) != 1:
                raise SourceError(
                    "a SOURCE file can replace the file of a mapping with one source only",
                    file=str(mapping_path),
                    hint="name the source with --table",
                )
            self.sources = [self.sources[0].model_copy(update={"file": str(Path(source_file).resolve()), "url": None})]

    @property
    def dataset(self) -> str:
        return self.spec.dataset

    def source_paths(self) -> list[Path]:
        """The files this load reads (for checksums), the mapping itself first."""
        paths = [self.mapping_path.resolve()]
        for s in self.sources:
            if s.file is not None:
                p = (self.base_dir / s.file).resolve()
                if p not in paths:
                    paths.append(p)
        return paths

    def records(self) -> Iterator[Record]:
        for source in self.sources:
            yield from self._source_records(source)

    # -- one source -----------------------------------------------------------------------------------

    def _source_records(self, source: SourceSpec) -> Iterator[Record]:
        checked = source_format(source) in ("json", "jsonl")  # JSON fields may be absent: no header to check
        for origin, row in read_rows(source, self.base_dir):
            if isinstance(row, Reject):
                yield row
                continue
            if not checked:
                missing = sorted(referenced_columns(source) - row.keys())
                if missing:
                    raise SourceError(
                        f"column {', '.join(map(repr, missing))} named in the mapping is not in the source",
                        file=origin.file,
                        field=f"sources.{source.name}",
                        hint=f"the columns are: {', '.join(map(str, row))}",
                    )
                checked = True
            if source.when is not None and not source.when.holds(row):
                continue
            try:
                yield from _row_records(source, origin, row)
            except _RowProblem as problem:
                yield Reject(origin, problem.reason, field=problem.field, value=problem.value, record=row)


class _RowProblem(Exception):
    def __init__(self, reason: str, field: str = "", value: Any = "") -> None:
        super().__init__(reason)
        self.reason, self.field, self.value = reason, field, "" if value is None else str(value)


def _row_records(source: SourceSpec, origin: Origin, row: Mapping[str, Any]) -> Iterator[Record]:
    own: Ref | None = None
    records: list[Record] = []
    if source.cls is not None:
        cls = _class_of(source.cls, row)
        key = _text(evaluate(source.key, row)) if source.key else None
        iri = _text(evaluate(source.iri, row)) if source.iri else None
        if key is None and iri is None:
            spec = source.key or source.iri
            assert spec is not None
            raise _RowProblem("the key is empty", field=_describe(spec))
        props = {}
        for name, spec in source.properties.items():
            value = evaluate(spec, row, field=name)
            if value is not None and value != []:
                props[_property_name(name, row)] = value
        node = NodeRecord(cls=cls, key=key, iri=iri, properties=props, origin=origin)
        own = node.ref
        records.append(node)
    for edge in source.edges:
        if edge.when is not None and not edge.when.holds(row):
            continue
        items: list[Any] = [None]
        if edge.for_each is not None:
            each = evaluate(edge.for_each, row, field=f"{edge.predicate}.for_each")
            items = each if isinstance(each, list) else ([] if each is None else [each])
        for item in items:
            ctx = {**row, "item": item} if edge.for_each is not None else row
            src = _ref(edge.source, ctx, own, f"{edge.predicate}.from")
            dst = _ref(edge.target, ctx, own, f"{edge.predicate}.to")
            if src is None or dst is None:
                continue  # an empty reference states no relationship (e.g. a top-level skill's broader)
            props = {}
            for name, spec in edge.properties.items():
                value = evaluate(spec, ctx, field=f"{edge.predicate}.{name}")
                if value is not None:
                    props[name] = value
            records.append(EdgeRecord(edge.predicate, src, dst, props, origin))
    yield from records


def referenced_columns(source: SourceSpec) -> set[str]:
    """Every column a source's mapping reads (``item`` of ``for_each`` excluded)."""
    specs: list[ValueSpec | None] = [source.key, source.iri, *source.properties.values()]
    names: set[str] = set()
    for name in source.properties:
        names |= {f for _, f, _, _ in string.Formatter().parse(name) if f}
    conditions = [source.when]
    classes: list[str | ValueSpec | None] = [source.cls]
    for edge in source.edges:
        specs += [edge.for_each, *edge.properties.values()]
        conditions.append(edge.when)
        for ref in (edge.source, edge.target):
            if ref is not None:
                specs += [ref.key, ref.iri, ref.label]
                classes.append(ref.cls)
    specs += [c for c in classes if isinstance(c, ValueSpec)]
    for spec in specs:
        if spec is not None:
            names |= spec.fields()
    names |= {c.column for c in conditions if c is not None}
    names.discard("item")
    return names


def _property_name(name: str, row: Mapping[str, Any]) -> str:
    """A property name may take a column's value: ``label_{lang}`` names the language per row."""
    if "{" not in name:
        return name
    fields = {f for _, f, _, _ in string.Formatter().parse(name) if f}
    missing = [f for f in fields if not row.get(f)]
    if missing:
        raise _RowProblem(f"the property name {name!r} needs {', '.join(missing)}", field=name)
    return name.format_map({f: str(row[f]).strip() for f in fields})


def _describe(spec: ValueSpec) -> str:
    return spec.column or spec.template or "value"


def _class_of(spec: str | ValueSpec, row: Mapping[str, Any]) -> str:
    if isinstance(spec, str):
        return spec
    value = _text(evaluate(spec, row, field="class"))
    if value is None:
        raise _RowProblem("the class is empty", field=_describe(spec))
    return value


def _ref(spec: RefSpec | None, row: Mapping[str, Any], own: Ref | None, field: str) -> Ref | None:
    if spec is None:
        return own
    cls = _class_of(spec.cls, row) if spec.cls is not None else None
    if spec.iri is not None:
        iri = _text(evaluate(spec.iri, row, field=field))
        return Ref(cls=cls, iri=iri) if iri else None
    if spec.label is not None:
        label = _text(evaluate(spec.label, row, field=field))
        return Ref(cls=cls, label=label, within=spec.within) if label else None
    assert spec.key is not None
    key = _text(evaluate(spec.key, row, field=field))
    return Ref(cls=cls, key=key) if key else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def evaluate(spec: ValueSpec, row: Mapping[str, Any], *, field: str = "") -> Any:
    """The value ``spec`` gives for ``row``: read, transformed, split and mapped; None when empty."""
    if spec.value is not None:
        value: Any = spec.value
    elif spec.column is not None:
        value = row.get(spec.column)
    else:
        assert spec.template is not None
        names = spec.fields()
        if any(row.get(n) in (None, "") for n in names):
            value = None
        else:
            value = spec.template.format_map({n: row.get(n) for n in names})
    if value is None or value == "":
        value = spec.default
        if value is None:
            return None
    if spec.split is not None and isinstance(value, str):
        parts = [_transform(p.strip(), spec.transform) for p in value.split(spec.split)]
        value = [p for p in parts if p]
    elif isinstance(value, list):
        value = [_transform(v, spec.transform) if isinstance(v, str) else v for v in value]
    elif isinstance(value, str):
        value = _transform(value, spec.transform)
    if spec.map is not None:
        value = [_mapped(spec, v, field) for v in value] if isinstance(value, list) else _mapped(spec, value, field)
    return value


def _mapped(spec: ValueSpec, value: Any, field: str) -> Any:
    assert spec.map is not None
    if str(value) not in spec.map:
        raise _RowProblem(
            f"value {value!r} is not one of {', '.join(map(repr, spec.map))}",
            field=field or _describe(spec),
            value=value,
        )
    return spec.map[str(value)]


def _transform(value: str, transforms: list[Transform]) -> str:
    for t in transforms:
        if t == "upper":
            value = value.upper()
        elif t == "lower":
            value = value.lower()
        elif t == "nfkc":
            value = unicodedata.normalize("NFKC", value)
        elif t == "strip_spaces":
            value = "".join(value.split())
        elif t == "excel_text" and value.startswith('="') and value.endswith('"'):
            value = value[2:-1]  # Excel's ="015.0405" text-forcing formula, common in CSV exports
    return value
