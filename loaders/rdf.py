"""The ``rdf`` loader: an RDF file in the ontology's vocabulary (an export of this graph, or written by hand).

Formats by extension (rdflib parses them): Turtle ``.ttl``, N-Triples ``.nt``, N-Quads ``.nq``, TriG
``.trig``, JSON-LD ``.jsonld``/``.json``, RDF/XML ``.rdf``/``.owl``/``.xml``; any of them gzipped (``.gz``).
The mapping is the inverse of ``ieic_kg.rdf`` (docs/rdf.md):

* every IRI subject with an ``rdf:type`` among the ontology's classes becomes a ``NodeRecord`` of its most
  specific class, with ``iri`` = the subject; ``rdfs:label``/``skos:altLabel``/``skos:definition`` and
  language-tagged ``ieic:`` properties become ``NAME_zh`` / ``NAME_en``, other ``ieic:`` datatype
  properties their value (checked and converted by the ingest engine);
* every triple whose predicate is an ``ieic:`` object property and whose object is an IRI becomes an
  ``EdgeRecord``; the qualifiers of a reified ``rdf:Statement`` about it become the edge's properties;
* provenance is not data: ``ieic:source``, ``ieic:loadRun``, ``ieic:firstSeen``, ``ieic:lastSeen`` and
  the ``ieic:LoadRun`` resources are skipped (counted in ``skipped``) — the ingest engine records the
  provenance of this load itself; the ontology's own graph in an N-Quads export is skipped too;
* anything else — a predicate or class the ontology does not define, a language other than zh/en, a
  blank-node entity, a statement about a triple the file does not assert — is a ``Reject`` carrying the
  triple and the reason.

Datasets. A load has one dataset. By default it is the file's stem (``partners.ttl`` → ``partners``) and
the whole file is loaded. With ``select`` (``--table DATASET`` on the command line) only what that
dataset stated is loaded, under its name: in N-Quads/TriG the triples of its named graph
``https://w3id.org/ieic-kg/graph/DATASET``, in the other formats the nodes and the relationship
statements that carry ``ieic:source "DATASET"``. ``ieic_kg.export.restore`` uses this to restore a
backup with one load per original dataset, so that every node keeps the datasets that stated it.
"""

from __future__ import annotations

import gzip
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from ieic_kg.errors import SourceError
from ieic_kg.ontology import IEIC, LANGUAGES, MULTI_VALUED_ANNOTATIONS, Ontology
from ieic_kg.rdfstore import GRAPH_BASE, ONTOLOGY_GRAPH, PROVENANCE_GRAPH, graph_dataset
from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Record, Ref, Reject

#: File extension → rdflib parser name.
FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
_ANNOTATIONS: dict[Node, str] = {RDFS.label: "label", SKOS.altLabel: "altLabel", SKOS.definition: "definition"}
#: Set by the ingest engine, never by a source: provenance, and the ``deprecated`` mark of retracted facts.
_PROVENANCE = {IEIC.source, IEIC.loadRun, IEIC.firstSeen, IEIC.lastSeen, IEIC.deprecated}
_STATEMENT_PARTS = {RDF.subject, RDF.predicate, RDF.object}
_ANY_CLASS = {OWL.NamedIndividual, OWL.Thing, RDFS.Resource}  # true of every entity: accepted, not stored
_IEIC = str(IEIC)
_SHORT = {"ieic": _IEIC, "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "owl": str(OWL)}


def rdf_format(path: Path) -> str:
    """The rdflib format of ``path`` by its extension (a trailing ``.gz`` is looked through)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    fmt = FORMATS.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise SourceError(
            f"cannot tell the RDF format of {path.name}",
            file=str(path),
            hint=f"use one of the extensions {', '.join(sorted(FORMATS))} (optionally .gz)",
        )
    return fmt


@dataclass
class ParsedFile:
    """An RDF file parsed once: its triples per named graph (the default graph under None)."""

    path: Path
    graphs: dict[str | None, Graph]

    @classmethod
    def read(cls, path: Path) -> ParsedFile:
        fmt = rdf_format(path)
        ds = Dataset()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # Dataset.parse uses rdflib's deprecated API
                if path.suffix.lower() == ".gz":
                    ds.parse(data=gzip.decompress(path.read_bytes()), format=fmt)
                else:
                    ds.parse(str(path), format=fmt)
        except FileNotFoundError:
            raise SourceError("no such file", file=str(path)) from None
        except Exception as exc:  # rdflib's parsers raise many exception types
            raise SourceError(f"not valid {fmt}: {exc}", file=str(path)) from None
        graphs: dict[str | None, Graph] = {}
        for g in ds.graphs():
            if len(g) == 0:
                continue
            ident = g.identifier
            graphs[None if ident == DATASET_DEFAULT_GRAPH_ID else str(ident)] = g
        return cls(path, graphs)

    def datasets(self) -> list[str]:
        """The datasets the file states: its dataset named graphs and its ``ieic:source`` values."""
        found = {d for g in self.graphs if g and (d := graph_dataset(g))}
        for name, g in self.graphs.items():
            if name not in (ONTOLOGY_GRAPH, PROVENANCE_GRAPH):
                runs = set(g.subjects(RDF.type, IEIC.LoadRun))
                found |= {str(o) for s, o in g.subject_objects(IEIC.source) if isinstance(o, Literal) and s not in runs}
        return sorted(found)

    def first_loaded(self) -> dict[str, str]:
        """dataset → the earliest ``ieic:startedAt`` of its load runs in the file (to restore in order)."""
        out: dict[str, str] = {}
        for g in self.graphs.values():
            for run in g.subjects(RDF.type, IEIC.LoadRun):
                dataset, started = g.value(run, IEIC.source), g.value(run, IEIC.startedAt)
                if dataset is not None and started is not None:
                    d, s = str(dataset), str(started)
                    out[d] = min(out.get(d, s), s)
        return out

    def data(self, select: str | None, unattributed: bool = False) -> tuple[Graph, bool]:
        """The triples to load and whether records must be filtered by their ``ieic:source``."""
        merged = Graph()
        if select is not None and select in {graph_dataset(g) for g in self.graphs if g}:
            merged += self.graphs[GRAPH_BASE + select]
            return merged, False
        for name, g in self.graphs.items():
            if name in (ONTOLOGY_GRAPH, PROVENANCE_GRAPH):
                continue
            if unattributed and name is not None and graph_dataset(name):
                continue
            merged += g
        return merged, select is not None or unattributed


@dataclass
class _Subject:
    iri: Node
    types: list[Node] = field(default_factory=list)
    values: list[tuple[Node, Node]] = field(default_factory=list)


class RdfLoader:
    """Reads one RDF file; yields node and edge records (and rejects) in the ontology's terms."""

    name = "rdf"
    version = "1"

    def __init__(
        self,
        path: Path,
        *,
        dataset: str | None = None,
        select: str | None = None,
        unattributed: bool = False,
        ontology: Ontology | None = None,
        parsed: ParsedFile | None = None,
    ) -> None:
        self.path = Path(path)
        self.select = select
        self.unattributed = unattributed
        self._dataset = dataset or select or _stem(self.path)
        self._ontology = ontology
        self._parsed = parsed
        self.skipped: Counter[str] = Counter()  # provenance and other triples left out on purpose

    @property
    def dataset(self) -> str:
        return self._dataset

    @property
    def ontology(self) -> Ontology:
        if self._ontology is None:
            self._ontology = Ontology.load()
        return self._ontology

    @property
    def parsed(self) -> ParsedFile:
        if self._parsed is None:
            self._parsed = ParsedFile.read(self.path)
        return self._parsed

    def source_paths(self) -> list[Path]:
        return [self.path]

    def datasets(self) -> list[str]:
        return self.parsed.datasets()

    # -- records --------------------------------------------------------------------------------------

    def records(self) -> Iterator[Record]:
        ont = self.ontology
        graph, by_source = self.parsed.data(self.select, self.unattributed)
        file = str(self.path)

        def stated(sources: set[str]) -> bool:
            if not by_source:
                return True
            if self.unattributed:
                return not sources
            return self.select in sources

        subjects: dict[Node, _Subject] = {}
        for s, p, o in graph:
            entry = subjects.setdefault(s, _Subject(s))
            if p == RDF.type:
                entry.types.append(o)
            else:
                entry.values.append((p, o))

        # reified statements: the qualifiers of the relationships they describe
        qualifiers: dict[tuple[Node, Node, Node], dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
        edge_sources: dict[tuple[Node, Node, Node], set[str]] = defaultdict(set)
        statements = {e.iri for e in subjects.values() if RDF.Statement in e.types or _parts(e)}
        for entry in (subjects[i] for i in statements):
            parts = _parts(entry)
            origin = Origin(file, pointer=_n3(entry.iri))
            sources = {str(o) for p, o in entry.values if p == IEIC.source and isinstance(o, Literal)}
            if set(parts) != _STATEMENT_PARTS:
                if stated(sources):
                    yield Reject(
                        origin, "a reified statement needs rdf:subject, rdf:predicate and rdf:object", "rdf:Statement"
                    )
                continue
            triple = (parts[RDF.subject], parts[RDF.predicate], parts[RDF.object])
            edge_sources[triple] |= sources  # who stated the relationship, whether or not it is selected
            if not stated(sources):
                continue  # another dataset's statement
            if triple not in graph:
                yield Reject(
                    origin,
                    f"a reified statement about {_n3t(triple)}, which the file does not assert",
                    "rdf:Statement",
                    _n3t(triple),
                )
                continue
            for p, o in entry.values:
                if p in _STATEMENT_PARTS:
                    continue
                if p in _PROVENANCE:
                    self.skipped[_local(p)] += 1
                    continue
                key, problem = self._datatype_key(p, o)
                if problem:
                    yield Reject(origin, problem, _local(p), str(o), {"triple": _nt((entry.iri, p, o))})
                else:
                    qualifiers[triple][key].append(o)
            for t in entry.types:
                if t != RDF.Statement:
                    yield Reject(origin, f"a reified statement cannot be a {_n3(t)}", "rdf:type", str(t))

        classes: dict[Node, str] = {}
        for entry in subjects.values():
            if entry.iri in statements:
                continue
            if IEIC.LoadRun in entry.types:
                self.skipped["LoadRun"] += 1
                continue
            origin = Origin(file, pointer=_n3(entry.iri))
            known = [c for t in entry.types if (c := _ieic(t)) and c in ont.classes]
            selected = stated({str(o) for p, o in entry.values if p == IEIC.source})
            if not known:
                loose = [p for p, _ in entry.values if p not in _PROVENANCE and _ieic(p) not in ont.object_properties]
                if selected and (loose or entry.types):
                    yield Reject(
                        origin,
                        f"{_n3(entry.iri)} has no rdf:type among the ontology's classes, so it is not loaded "
                        f"({len(entry.values) + len(entry.types)} triples)",
                        "rdf:type",
                        ", ".join(str(t) for t in entry.types),
                        iri=str(entry.iri) if isinstance(entry.iri, URIRef) else None,
                    )
                continue
            if isinstance(entry.iri, BNode):
                if selected:
                    yield Reject(origin, "an entity needs an IRI, not a blank node", "iri", str(entry.iri))
                continue
            specific = sorted({c for c in known if not any(c in ont.classes[k].ancestors for k in known)})
            if len(specific) > 1:
                if selected:
                    yield Reject(
                        origin,
                        f"several unrelated classes: {', '.join(specific)}",
                        "rdf:type",
                        ", ".join(specific),
                        iri=str(entry.iri),
                    )
                continue
            cls = specific[0]
            classes[entry.iri] = cls
        entailed = {c: _superclasses(ont, c) for c in set(classes.values())}

        for entry in subjects.values():
            if entry.iri not in classes:
                continue
            cls = classes[entry.iri]
            origin = Origin(file, pointer=_n3(entry.iri))
            sources = {str(o) for p, o in entry.values if p == IEIC.source}
            if not stated(sources):
                continue
            rejects: list[Reject] = []
            for t in entry.types:
                if t not in entailed[cls] and not (_ieic(t) in ont.classes and ont.is_a(cls, _ieic(t) or "")):
                    rejects.append(
                        Reject(
                            origin,
                            f"class {_n3(t)} is not in the ontology",
                            "rdf:type",
                            str(t),
                            {"triple": _nt((entry.iri, RDF.type, t))},
                            iri=str(entry.iri),
                        )
                    )
            values: dict[str, list[Node]] = defaultdict(list)
            for p, o in entry.values:
                if p in _PROVENANCE:
                    self.skipped[_local(p)] += 1
                    continue
                if _ieic(p) in ont.object_properties:
                    continue  # an edge, below
                key, problem = self._datatype_key(p, o)
                if problem:
                    rejects.append(
                        Reject(
                            origin, problem, _local(p), str(o), {"triple": _nt((entry.iri, p, o))}, iri=str(entry.iri)
                        )
                    )
                else:
                    values[key].append(o)
            yield from rejects
            props = {key: _values(key, objs) for key, objs in sorted(values.items())}
            yield NodeRecord(cls, None, props, origin, iri=str(entry.iri))

        for entry in subjects.values():
            if entry.iri in statements or IEIC.LoadRun in entry.types:
                continue
            for p, o in entry.values:
                prop = _ieic(p)
                if prop not in ont.object_properties or p == IEIC.loadRun:
                    continue
                triple = (entry.iri, p, o)
                origin = Origin(file, pointer=_n3t(triple))
                if not stated(edge_sources.get(triple, set())):
                    continue
                if isinstance(entry.iri, BNode) or not isinstance(o, URIRef):
                    yield Reject(
                        origin,
                        f"ieic:{prop} links two entities by IRI; here its "
                        + ("subject is a blank node" if isinstance(entry.iri, BNode) else "object is not an IRI"),
                        prop,
                        str(o),
                        {"triple": _nt(triple)},
                    )
                    continue
                if entry.iri not in classes and entry.types:
                    continue  # its subject was rejected above; the edge goes with it
                props = {key: _values(key, objs) for key, objs in sorted(qualifiers.get(triple, {}).items())}
                yield EdgeRecord(
                    prop,
                    Ref(cls=classes.get(entry.iri), iri=str(entry.iri)),
                    Ref(cls=classes.get(o), iri=str(o)),
                    props,
                    origin,
                )

    def _datatype_key(self, p: Node, o: Node) -> tuple[str, str | None]:
        """The Neo4j property key of a value triple, or a reason why it cannot be loaded."""
        ont = self.ontology
        if p in _ANNOTATIONS or (
            _ieic(p) in ont.datatype_properties and ont.datatype_properties[_ieic(p) or ""].language_tagged
        ):
            base = _ANNOTATIONS.get(p) or _ieic(p) or ""
            if not isinstance(o, Literal):
                return "", f"{_n3(p)} takes text, not {_n3(o)}"
            lang = (o.language or "").lower()
            if lang not in LANGUAGES:
                return "", (
                    f"{_n3(p)} needs a language tag @{' or @'.join(LANGUAGES)}"
                    + (f", not @{o.language}" if o.language else "")
                )
            return f"{base}_{lang}", None
        name = _ieic(p)
        if name in ont.datatype_properties:
            if not isinstance(o, Literal):
                return "", f"ieic:{name} takes a literal value, not {_n3(o)}"
            return name or "", None
        if name in ont.object_properties:
            return "", f"ieic:{name} is a relationship, not a qualifier"
        if name is not None:
            return "", f"unknown property ieic:{name}: the ontology does not define it"
        return "", f"predicate {_n3(p)} is not in the ontology"


def _values(key: str, objs: list[Node]) -> Any:
    """One value, or a sorted list when there are several (alt labels are always a list)."""
    values = sorted({str(o) for o in objs})
    base = key.rpartition("_")[0] if "_" in key else key
    if base in MULTI_VALUED_ANNOTATIONS or len(values) > 1:
        return values
    return values[0]


def _parts(entry: _Subject) -> dict[Node, Node]:
    return {p: o for p, o in entry.values if p in _STATEMENT_PARTS}


def _ieic(term: Node) -> str | None:
    text = str(term)
    return text[len(_IEIC) :] if isinstance(term, URIRef) and text.startswith(_IEIC) else None


def _local(term: Node) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _n3(term: Node) -> str:
    """The term as in N-Triples, or as a prefixed name for the vocabularies of the mapping."""
    if isinstance(term, URIRef):
        for prefix, ns in _SHORT.items():
            if str(term).startswith(ns) and str(term)[len(ns) :].isidentifier():
                return f"{prefix}:{str(term)[len(ns) :]}"
    return term.n3() if hasattr(term, "n3") else str(term)


def _nt(triple: tuple[Node, Node, Node]) -> str:
    """The triple in N-Triples (full IRIs): what a reject's record carries."""
    return " ".join(t.n3() if hasattr(t, "n3") else str(t) for t in triple)


def _n3t(triple: tuple[Node, Node, Node]) -> str:
    return " ".join(_n3(t) for t in triple)


def _superclasses(ontology: Ontology, cls: str) -> set[Node]:
    """Every class ``cls`` is a subclass of in the ontology graph, ieic or not (schema:, prov:…)."""
    seen: set[Node] = set()
    todo: list[Node] = [IEIC[cls]]
    while todo:
        c = todo.pop()
        for parent in ontology.graph.objects(c, RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen | {IEIC[cls]} | _ANY_CLASS


def _stem(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return name.split(".", 1)[0] or "rdf"


def rdf_loader(source: Path, mapping: Path | None = None, table: str | None = None) -> RdfLoader:
    """Factory for ``LOADERS["rdf"]``: ``table`` picks one dataset of the file (``--table DATASET``)."""
    if mapping is not None:
        raise SourceError("the rdf loader reads the ontology's own vocabulary: it takes no --mapping")
    return RdfLoader(source, select=table)
