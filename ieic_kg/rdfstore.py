"""The RDF store: an embedded Oxigraph store (pyoxigraph) on disk that serves SPARQL over the graph.

Neo4j is the system of record; this store is a read-only SPARQL view of it, kept in step by
``ieic_kg.sync`` and rebuilt from Neo4j at will. Its layout (docs/rdf.md):

* the ontology in the named graph ``https://w3id.org/ieic-kg/ontology``;
* what each dataset stated in ``https://w3id.org/ieic-kg/graph/<dataset>``;
* the load runs (``ieic:LoadRun``, a ``prov:Activity``) in ``https://w3id.org/ieic-kg/graph/provenance``;
* the default graph is the union of the named graphs, each triple once, kept in step with them: queries
  that do not name a graph get set semantics even where several datasets state the same fact (Oxigraph's
  own ``use_default_graph_as_union`` repeats such a triple once per graph).

Writes replace one named graph at a time, atomically: the new content is compared with the stored one
and the difference — in the named graph and in the union — is applied in one Oxigraph transaction
(``Store.extend`` or one SPARQL Update request), so a reader sees the old graph or the new one, never a
half-written graph; and a reload that changed little writes little. Oxigraph stores literals of the XSD
numeric and date types in canonical
form (``"4.0"^^xsd:decimal`` is kept as ``"4"``), so content is canonicalised the same way before it is
compared.

Users only query: ``RdfStore.query`` accepts SPARQL 1.1 queries (SELECT, ASK, CONSTRUCT, DESCRIBE),
refuses updates and federated ``SERVICE`` calls, and gives up after a time limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ieic_kg.errors import IeicError, StoreUnavailable
from ieic_kg.ontology import IEIC, Ontology
from ieic_kg.rdfsnapshot import GenerationGone, Lease, current, publish, snapshots_dir

ONTOLOGY_GRAPH = "https://w3id.org/ieic-kg/ontology"
GRAPH_BASE = "https://w3id.org/ieic-kg/graph/"
PROVENANCE_GRAPH = GRAPH_BASE + "provenance"

#: Prefixes every query may use without declaring them (a query's own PREFIX lines take precedence).
PREFIXES: dict[str, str] = {
    "ieic": str(IEIC),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "schema": "https://schema.org/",
}

_XSD = str(XSD)
_INTEGER_TYPES = frozenset(
    _XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)
_FLOAT_TYPES = frozenset(_XSD + t for t in ("decimal", "double", "float"))
_XSD_STRING = _XSD + "string"
_DEFAULT = ox.DefaultGraph()

Triple = tuple[Node, Node, Node]


class SparqlError(IeicError):
    """A SPARQL query is malformed, not allowed (updates, SERVICE) or failed."""

    status = 400
    title = "Bad SPARQL query"


class SparqlTimeout(SparqlError):
    """A SPARQL query ran past its time limit."""

    status = 504
    title = "SPARQL query timed out"


def dataset_graph(dataset: str) -> str:
    """IRI of the named graph holding what ``dataset`` stated."""
    if not dataset:
        raise IeicError("a dataset needs a name")
    name = GRAPH_BASE + quote(dataset, safe="-._~")
    if name == PROVENANCE_GRAPH:
        raise IeicError(
            "'provenance' cannot name a dataset: its graph is where the load runs are kept",
            hint="rename the dataset in its mapping file",
        )
    return name


def graph_dataset(graph: str) -> str | None:
    """The dataset whose named graph ``graph`` is (None for the ontology, provenance or other graphs)."""
    if graph.startswith(GRAPH_BASE) and graph != PROVENANCE_GRAPH:
        rest = graph[len(GRAPH_BASE) :]
        return unquote(rest) if rest and "/" not in rest else None
    return None


# -- terms between rdflib and pyoxigraph -----------------------------------------------------------------


def to_ox(term: Node) -> Any:
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: Any) -> Node:
    """The rdflib term for a pyoxigraph term (``xsd:string`` literals become plain literals)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return RdfLiteral(term.value)
        return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


def to_python(term: Any) -> Any:
    """A plain Python value for a pyoxigraph term: IRIs as strings, literals as int, float, bool, date…"""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                return float(term.value)
            if datatype == _XSD + "boolean":
                return term.value in ("true", "1")
            if datatype == _XSD + "date":
                return dt.date.fromisoformat(term.value)
            if datatype == _XSD + "dateTime":
                return dt.datetime.fromisoformat(term.value)
        except ValueError:
            return term.value
        return term.value
    return str(term)


def _ox_triples(triples: Iterable[Any]) -> Iterator[Any]:
    iris: dict[Node, Any] = {}  # subjects and predicates repeat: convert each IRI once

    def iri(term: Node) -> Any:
        found = iris.get(term)
        if found is None:
            found = iris[term] = to_ox(term)
        return found

    for t in triples:
        if isinstance(t, ox.Triple):
            yield t
        else:
            o = t[2]
            yield ox.Triple(iri(t[0]), iri(t[1]), iri(o) if isinstance(o, URIRef) else to_ox(o))


def canonical(triples: Iterable[Any]) -> set[Any]:
    """The triples (rdflib tuples or pyoxigraph ``Triple``) as Oxigraph stores them: canonical literals."""
    scratch = ox.Store()  # in memory; its encoder is the one the on-disk store uses
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in _ox_triples(triples))
    return {q.triple for q in scratch}


def _has_blank_nodes(triples: Iterable[Any]) -> bool:
    return any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)


def _fingerprint(triples: set[Any]) -> Counter[str]:
    """The triples with each blank node replaced by a digest of what hangs below it.

    Equal fingerprints mean equal graphs up to blank-node renaming for the tree-shaped blank nodes of
    OWL (lists, restrictions, axioms), at a fraction of the cost of a full isomorphism test.
    """
    below: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            below[t.subject.value].append((str(t.predicate), t.object))
    memo: dict[str, str] = {}

    def digest(node: Any, seen: frozenset[str] = frozenset()) -> str:
        if not isinstance(node, ox.BlankNode):
            return str(node)
        if node.value in memo:
            return memo[node.value]
        if node.value in seen:
            return "_:cycle"
        inner = sorted(f"{p} {digest(o, seen | {node.value})}" for p, o in below.get(node.value, []))
        memo[node.value] = "_:" + hashlib.sha1("\n".join(inner).encode()).hexdigest()
        return memo[node.value]

    return Counter(f"{digest(t.subject)} {t.predicate} {digest(t.object)}" for t in triples)


def same_content(old: set[Any], new: set[Any]) -> bool:
    """True when the two sets of triples are the same graph (blank nodes up to renaming)."""
    if len(old) != len(new):
        return False
    if not (_has_blank_nodes(old) or _has_blank_nodes(new)):
        return old == new
    return _fingerprint(old) == _fingerprint(new)


def triple_diff(old: set[Any], new: set[Any]) -> tuple[list[str], list[str]]:
    """N-Triples lines only in ``new`` and only in ``old``; blank nodes are compared up to renaming."""
    if not (_has_blank_nodes(old) or _has_blank_nodes(new)):
        return sorted(f"{t} ." for t in new - old), sorted(f"{t} ." for t in old - new)
    a, b = Graph(), Graph()
    for graph, triples in ((a, old), (b, new)):
        for t in triples:
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    _, only_old, only_new = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return (
        sorted(f"{ox.Triple(*(to_ox(x) for x in t))} ." for t in only_new),
        sorted(f"{ox.Triple(*(to_ox(x) for x in t))} ." for t in only_old),
    )


# -- results -----------------------------------------------------------------------------------------------


@dataclass
class SparqlResult:
    """The answer to a query as plain Python values.

    ``kind`` is ``select`` (``columns`` and ``rows``, one dict per solution, unbound variables as None),
    ``ask`` (``boolean``) or ``graph`` for CONSTRUCT and DESCRIBE (rows of subject, predicate, object).
    """

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    seconds: float = 0.0


@dataclass
class GraphChange:
    """What ``replace_graph`` did to one named graph."""

    graph: str
    triples: int
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


_UPDATE_START = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*(?:<[^>]*>)?\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
# strings, IRIs and comments are blanked before looking for the SERVICE keyword
_NOT_CODE = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)


def is_update(sparql: str) -> bool:
    """True when the text is a SPARQL Update request (INSERT, DELETE, LOAD, CLEAR, DROP… after the prologue)."""
    return bool(_UPDATE_START.match(_NOT_CODE.sub(" ", sparql)))


def check_query(sparql: str) -> None:
    """Refuse SPARQL Update and federated SERVICE calls (SparqlError) before anything is evaluated."""
    text = _NOT_CODE.sub(" ", sparql)
    if _UPDATE_START.match(text):
        raise SparqlError(
            "SPARQL Update is not allowed: the RDF store is a read-only view of the graph in Neo4j",
            hint="change the graph with `ieic-kg load`; the RDF store follows (ieic-kg sync)",
        )
    if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
        raise SparqlError("federated queries (SERVICE) are not allowed: the RDF store queries only its own data")


class RdfStore:
    """The Oxigraph store at ``path`` (created when missing), or an in-memory one when ``path`` is None.

    One process at a time may open an on-disk store; close it (or use ``with``) to let another open it.
    Closing an on-disk store that this process changed publishes a snapshot of it for the readers of other
    processes (the API's SPARQL endpoint; ``ieic_kg.rdfsnapshot``).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._changed = False
        self._lease: Lease | None = None  # set by ``published``: a read-only snapshot, never published again
        try:
            if path is None:
                self._store: Any = ox.Store()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreUnavailable(
                    f"the RDF store at {path} is open in another process",
                    hint="wait until the other ieic-kg command ends (one process at a time opens the RDF store)",
                ) from None
            raise StoreUnavailable(f"cannot open the RDF store at {path}: {exc}") from None

    @classmethod
    def open(cls, settings: Any) -> RdfStore:
        """The store of these settings: ``<data_dir>/rdf``."""
        return cls(Path(settings.data_dir) / "rdf")

    @classmethod
    def published(cls, settings: Any) -> RdfStore:
        """The last published snapshot of the store of these settings, opened read-only (``ieic_kg.rdfsnapshot``).

        Never the live store: a reader neither waits for a load that holds it nor keeps a load from opening it.
        A store that was never published is published first (by opening it for a moment, as the API does).
        """
        path = Path(settings.data_dir) / "rdf"
        root = snapshots_dir(path)
        if current(root) is None:
            cls(path).close()  # closing publishes a store that has no snapshot yet
        for _ in range(3):
            generation = current(root)
            if generation is None:
                break
            try:
                lease = Lease(root, generation.name)
            except GenerationGone:  # replaced and removed meanwhile: read CURRENT again
                continue
            reader = cls.__new__(cls)
            reader.path, reader._lock, reader._changed, reader._lease = generation.path, threading.Lock(), False, lease
            try:
                reader._store = ox.Store.read_only(str(generation.path))
            except OSError as exc:
                lease.close()
                raise StoreUnavailable(f"cannot open the RDF snapshot {generation.path}: {exc}") from None
            return reader
        raise StoreUnavailable(f"no snapshot of the RDF store at {path} could be opened", hint="retry")

    @property
    def store(self) -> Any:
        if self._store is None:
            raise StoreUnavailable("the RDF store is closed")
        return self._store

    @property
    def snapshots(self) -> Path | None:
        """The folder where snapshots of this store are published (None for an in-memory store)."""
        return None if self.path is None else snapshots_dir(self.path)

    def close(self) -> None:
        """Flush to disk, publish a snapshot if this process changed the store (or none was ever published),
        and release the store (and its lock on the folder)."""
        if self._lease is not None:
            self._store = None
            self._lease.close()
            self._lease = None
            return
        if self._store is not None:
            if self.path is not None:
                self._store.flush()
                root = snapshots_dir(self.path)
                if self._changed or current(root) is None:
                    publish(self._store, root)
            self._store = None

    def _write_update(self, sparql: str) -> None:
        self._changed = True
        self.store.update(sparql)

    def _write_extend(self, quads: list[Any]) -> None:
        self._changed = True
        self.store.extend(quads)

    def __enter__(self) -> RdfStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- graphs ---------------------------------------------------------------------------------------

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_triples(self, graph: str) -> set[Any]:
        """The triples of a named graph as pyoxigraph ``Triple`` values."""
        return {q.triple for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}

    def triples(self, graph: str) -> list[Triple]:
        """The triples of a named graph as rdflib terms."""
        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in self.graph_triples(graph)]

    def default_triples(self) -> set[Any]:
        """The triples of the default graph (the union of the named graphs)."""
        return {q.triple for q in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())}

    def count(self, graph: str | None = None) -> int:
        """How many triples a named graph holds; with no graph, the default graph (the union, each once)."""
        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, name))

    def replace_graph(self, name: str, triples: Iterable[Any]) -> GraphChange:
        """Make the named graph ``name`` hold exactly ``triples``, atomically for readers.

        The change is computed against the stored graph and written, together with the matching change
        of the default graph (the union of the named graphs), in one transaction; an empty ``triples``
        removes the graph. Graphs with blank nodes (the ontology's lists and axioms) are compared up to
        blank-node renaming and, when they differ, rewritten whole in one transaction.
        """
        new = canonical(triples)
        g = ox.NamedNode(name)
        with self._lock:
            old = self.graph_triples(name)
            if not new:
                if old or self.store.contains_named_graph(g):
                    self._write_update(_retract_graph(name))
                return GraphChange(name, 0, 0, len(old))
            if _has_blank_nodes(old) or _has_blank_nodes(new):
                if same_content(old, new):
                    return GraphChange(name, len(new), 0, 0)
                only_new, only_old = triple_diff(old, new)
                data = _data(new)  # one INSERT DATA: the same blank nodes in the named and the default graph
                self._write_update(f"{_retract_graph(name)} ; INSERT DATA {{ GRAPH <{name}> {{ {data} }} {data} }}")
                return GraphChange(name, len(new), len(only_new), len(only_old))
            to_add, to_remove = new - old, old - new
            if to_remove:
                parts = [
                    f"DELETE DATA {{ GRAPH <{name}> {{ {_data(to_remove)} }} }}",
                    # out of the union too, unless another graph still states it
                    "DELETE { ?s ?p ?o } WHERE { VALUES (?s ?p ?o) { "
                    + " ".join(f"({t.subject} {t.predicate} {t.object})" for t in to_remove)
                    + " } FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }",
                ]
                if to_add:
                    data = _data(to_add)
                    parts.append(f"INSERT DATA {{ GRAPH <{name}> {{ {data} }} {data} }}")
                self._write_update(" ; ".join(parts))  # one request, one transaction
            elif to_add:
                quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in to_add]
                quads += [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in to_add]
                self._write_extend(quads)  # one transaction
            return GraphChange(name, len(new), len(to_add), len(to_remove))

    def drop_graph(self, name: str) -> int:
        """Remove a named graph (and its triples from the union); returns how many triples it held."""
        with self._lock:
            n = self.count(name)
            self._write_update(_retract_graph(name))
            return n

    def union_diff(self) -> tuple[list[str], list[str]]:
        """How the default graph differs from the union of the named graphs: (missing, extra) N-Triples.

        Blank nodes are compared as they are: the union holds the very blank nodes of the named graphs.
        """
        union = {q.triple for q in self.store.quads_for_pattern(None, None, None, None) if q.graph_name != _DEFAULT}
        default = self.default_triples()
        return sorted(f"{t} ." for t in union - default), sorted(f"{t} ." for t in default - union)

    def rebuild_union(self) -> int:
        """Recompute the default graph as the union of the named graphs (one transaction); its size."""
        with self._lock:
            self._write_update("DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            return self.count()

    def load_ontology(self, ontology: Ontology) -> GraphChange:
        """Keep the ontology graph equal to ``ontology`` (a no-op when it already is)."""
        return self.replace_graph(ONTOLOGY_GRAPH, ontology.graph)

    # -- queries --------------------------------------------------------------------------------------

    def query(self, sparql: str, timeout: float = 30.0, bindings: dict[str, Any] | None = None) -> SparqlResult:
        """Run a read-only SPARQL 1.1 query; values as plain Python.

        The default graph is the union of all named graphs with each triple once (set semantics, so that
        counts and joins are right when several datasets state the same fact); ``GRAPH ?g`` reaches a
        dataset's own graph.

        ``timeout`` (seconds) bounds the wait: past it a ``SparqlTimeout`` is raised. pyoxigraph cannot
        interrupt an evaluation from Python (oxigraph issue #1926), so a query stopped inside a blocking
        step (a sort, an aggregate) finishes in a background thread and its answer is dropped; a query
        that streams its solutions stops at the next one.

        ``bindings`` give variables their values before evaluation (SEP-0007 substitution, never text
        formatting): a string that is an absolute IRI becomes an IRI, any other value a typed literal.
        """
        check_query(sparql)
        store = self.store
        substitutions = {ox.Variable(k): parameter_term(v) for k, v in (bindings or {}).items()}
        cancel = threading.Event()
        outcome: dict[str, Any] = {}

        def run() -> None:
            started = dt.datetime.now()
            try:
                answer = store.query(sparql, prefixes=PREFIXES, substitutions=substitutions or None)
                outcome["result"] = _materialise(answer, cancel)
            except BaseException as exc:  # handed to the caller's thread
                outcome["error"] = exc
            outcome["seconds"] = (dt.datetime.now() - started).total_seconds()

        worker = threading.Thread(target=run, name="sparql-query", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            cancel.set()
            raise SparqlTimeout(
                f"the SPARQL query did not finish within {timeout:g} s",
                hint="narrow the query (LIMIT, more specific patterns) or raise IEIC_QUERY_TIMEOUT",
            )
        if "error" in outcome:
            exc = outcome["error"]
            if isinstance(exc, SyntaxError):
                raise SparqlError(f"malformed SPARQL query: {exc}") from None
            if isinstance(exc, OSError | ValueError | TypeError):
                raise SparqlError(f"the SPARQL query failed: {exc}") from None
            raise exc
        result: SparqlResult = outcome["result"]
        result.seconds = outcome["seconds"]
        return result


def parameter_term(value: Any) -> Any:
    """A parameter value as an Oxigraph term: IRIs for absolute IRIs, typed literals for the rest."""
    if isinstance(value, str) and re.match(r"^(https?|urn):\S+$", value):
        return ox.NamedNode(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(str(XSD.boolean)))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(str(XSD.double)))
    return ox.Literal(str(value))


def _data(triples: Iterable[Any]) -> str:
    return " ".join(f"{t} ." for t in triples)


def _retract_graph(name: str) -> str:
    """SPARQL Update removing a named graph, and its triples from the union unless another graph states them."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{name}>) }} }} ; DROP SILENT GRAPH <{name}>"
    )


def _materialise(answer: Any, cancel: threading.Event) -> SparqlResult:
    if isinstance(answer, ox.QueryBoolean):
        return SparqlResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        columns = [v.value for v in answer.variables]
        rows = []
        for solution in answer:
            if cancel.is_set():
                break
            rows.append({c: to_python(solution[c]) for c in columns})
        return SparqlResult("select", columns, rows)
    columns = ["subject", "predicate", "object"]
    rows = []
    for t in answer:
        if cancel.is_set():
            break
        rows.append(
            {"subject": to_python(t.subject), "predicate": to_python(t.predicate), "object": to_python(t.object)}
        )
    return SparqlResult("graph", columns, rows)
