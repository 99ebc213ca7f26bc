"""The mapping between the property graph in Neo4j and RDF, in one place.

Nodes
    ``(:Entity:Actor:Enterprise {iri, code, label_zh, …})`` ↔ ``<iri> a ieic:Enterprise`` (the most specific
    ontology classes among its labels; superclasses follow by RDFS entailment) and one triple per value.
Properties
    ``label_xx`` ↔ ``rdfs:label "…"@xx``, ``altLabel_xx`` ↔ ``skos:altLabel``, ``definition_xx`` ↔
    ``skos:definition``; ``NAME_xx`` of a language-tagged datatype property ↔ ``ieic:NAME "…"@xx``; any other
    ontology datatype property ↔ ``ieic:NAME`` with the XSD datatype of its range; a list ↔ several triples.
    Provenance: ``source`` ↔ ``ieic:source`` (one literal per dataset), ``loadRun`` ↔ ``ieic:loadRun <run>``,
    ``firstSeen``/``lastSeen`` ↔ ``xsd:dateTime`` literals.
Relationships
    ``(a)-[:TEACHES_SKILL {strength, …}]->(b)`` ↔ ``<a> ieic:teachesSkill <b>``, and when the relationship
    has properties, a reified statement ``<…/statement/HASH> a rdf:Statement`` with ``rdf:subject``,
    ``rdf:predicate``, ``rdf:object`` and the qualifiers and provenance as above. The statement IRI is a
    hash of subject, predicate and object, so it is stable across exports.
Load runs
    ``(:LoadRun {iri, …})`` ↔ ``<run> a ieic:LoadRun`` (a ``prov:Activity``) with its properties.

Keys that the ontology does not define are not exported (and are reported by ``to_rdf``'s caller as
``skipped``), so the RDF view never invents vocabulary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from ieic_kg.graph import GraphStore
from ieic_kg.ontology import IEIC, LANG_ANNOTATIONS, LANGUAGES, Ontology, relationship_type

_ANNOTATION_PREDICATES = {"label": RDFS.label, "altLabel": SKOS.altLabel, "definition": SKOS.definition}
assert set(_ANNOTATION_PREDICATES) == set(LANG_ANNOTATIONS)


@dataclass
class RdfExport:
    graph: Graph = field(default_factory=Graph)
    nodes: int = 0
    relationships: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


class RdfMapping:
    """Converts Neo4j nodes and relationships (as plain dicts) into RDF triples, driven by the ontology."""

    def __init__(self, ontology: Ontology, id_base: str) -> None:
        self.ontology = ontology
        self.id_base = id_base
        self._by_rel_type = {relationship_type(p): p for p in ontology.object_properties}

    def node_triples(self, iri: str, labels: Iterable[str], props: dict[str, Any], skipped: Counter[str]) -> list:
        s = URIRef(iri)
        classes = [label for label in labels if label in self.ontology.classes]
        ancestors = {a for c in classes for a in self.ontology.classes[c].ancestors}
        triples: list[tuple[Any, Any, Any]] = [(s, RDF.type, IEIC[c]) for c in classes if c not in ancestors]
        triples += self.property_triples(s, props, skipped)
        return triples

    def property_triples(self, s: URIRef, props: dict[str, Any], skipped: Counter[str]) -> list:
        out: list[tuple[Any, Any, Any]] = []
        for key, value in props.items():
            if key == "iri" or value is None:
                continue
            values = value if isinstance(value, list) else [value]
            if key == "loadRun":
                out += [(s, IEIC.loadRun, URIRef(str(v))) for v in values]
                continue
            base, _, lang = key.rpartition("_")
            if lang in LANGUAGES and base in _ANNOTATION_PREDICATES:
                out += [(s, _ANNOTATION_PREDICATES[base], Literal(str(v), lang=lang)) for v in values]
                continue
            if lang in LANGUAGES and base in self.ontology.datatype_properties:
                out += [(s, IEIC[base], Literal(str(v), lang=lang)) for v in values]
                continue
            prop = self.ontology.datatype_properties.get(key)
            if prop is None:
                skipped[key] += 1
                continue
            out += [(s, IEIC[key], _literal(v, prop.datatype)) for v in values]
        return out

    def relationship_triples(
        self, source: str, rel_type: str, target: str, props: dict[str, Any], skipped: Counter[str]
    ) -> list:
        name = self._by_rel_type.get(rel_type)
        if name is None:
            skipped[rel_type] += 1
            return []
        s, p, o = URIRef(source), IEIC[name], URIRef(target)
        triples: list[tuple[Any, Any, Any]] = [(s, p, o)]
        if props:
            stmt = self.statement_iri(source, name, target)
            triples += [
                (stmt, RDF.type, RDF.Statement),
                (stmt, RDF.subject, s),
                (stmt, RDF.predicate, p),
                (stmt, RDF.object, o),
            ]
            triples += self.property_triples(stmt, props, skipped)
        return triples

    def statement_iri(self, source: str, predicate: str, target: str) -> URIRef:
        digest = hashlib.sha1(f"{source} {predicate} {target}".encode()).hexdigest()[:20]
        return URIRef(f"{self.id_base}statement/{digest}")


def _literal(value: Any, datatype: str) -> Literal:
    if hasattr(value, "to_native"):  # neo4j.time types
        value = value.to_native()
    if datatype == "date" and isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if datatype == "dateTime" and isinstance(value, dt.datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    if datatype in ("string", "langString"):
        return Literal(str(value))
    if datatype in ("decimal", "double", "float") and isinstance(value, int | float) and not isinstance(value, bool):
        # the plain lexical form, so that 2000000.0 stays a valid xsd:decimal ("2000000.0", never "2E+6")
        return Literal(format(Decimal(repr(value)), "f"), datatype=XSD[datatype])
    return Literal(value, datatype=XSD[datatype])


def export_graph(store: GraphStore, ontology: Ontology, id_base: str, *, batch: int = 5000) -> RdfExport:
    """The whole Neo4j graph as an rdflib Graph, node and relationship provenance included."""
    mapping = RdfMapping(ontology, id_base)
    export = RdfExport(Graph())
    g = export.graph
    g.bind("ieic", IEIC)
    g.bind("skos", SKOS)
    last = ""
    while True:  # page by IRI so memory stays flat on the Neo4j side
        rows = store.read(
            "MATCH (n) WHERE (n:Entity OR n:LoadRun) AND n.iri > $last "
            "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props ORDER BY n.iri LIMIT $batch",
            {"last": last, "batch": batch},
        )
        for r in rows:
            for t in mapping.node_triples(r["iri"], r["labels"], r["props"], export.skipped):
                g.add(t)
        export.nodes += len(rows)
        if len(rows) < batch:
            break
        last = rows[-1]["iri"]
    skip = 0
    while True:
        rows = store.read(
            "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.iri AS a, type(r) AS t, b.iri AS b, properties(r) AS props "
            "ORDER BY elementId(r) SKIP $skip LIMIT $batch",
            {"skip": skip, "batch": batch},
        )
        for r in rows:
            for t in mapping.relationship_triples(r["a"], r["t"], r["b"], r["props"], export.skipped):
                g.add(t)
        export.relationships += len(rows)
        if len(rows) < batch:
            break
        skip += batch
    return export


# -- per-dataset projections (the RDF store's named graphs and the exports) --------------------------------


#: Neo4j returns the provenance timestamps as text: hydrating ~340k zoned DateTime values through the driver
#: took longer than the rest of an ESCO-sized projection; ``_literal`` types the ISO text as xsd:dateTime.
_NODE_PROPS = "n {.*, firstSeen: toString(n.firstSeen), lastSeen: toString(n.lastSeen)}"
_REL_PROPS = "r {.*, firstSeen: toString(r.firstSeen), lastSeen: toString(r.lastSeen)}"


#: A projection streams for as long as it takes the caller to take in its triples.
PROJECTION_TIMEOUT = 3600.0


def dataset_triples(
    store: GraphStore, ontology: Ontology, id_base: str, dataset: str, export: RdfExport
) -> Iterator[tuple[Any, Any, Any]]:
    """What ``dataset`` stated, as a stream of triples: the nodes and relationships whose ``source`` holds
    it, mapped as above. Counts (nodes, relationships, skipped keys) go to ``export`` as they are read.

    A node or relationship stated by several datasets is in the projection of each, with all its values
    and its whole provenance (Neo4j does not record which dataset gave which value).
    """
    mapping = RdfMapping(ontology, id_base)
    params = {"dataset": dataset}
    for r in store.stream(
        f"MATCH (n:Entity) WHERE $dataset IN n.source RETURN n.iri AS iri, labels(n) AS labels, {_NODE_PROPS} AS props",
        params,
        timeout=PROJECTION_TIMEOUT,
    ):
        yield from mapping.node_triples(r["iri"], r["labels"], r["props"], export.skipped)
        export.nodes += 1
    for r in store.stream(
        "MATCH (a:Entity)-[r]->(b:Entity) WHERE $dataset IN r.source "
        f"RETURN a.iri AS a, type(r) AS t, b.iri AS b, {_REL_PROPS} AS props",
        params,
        timeout=PROJECTION_TIMEOUT,
    ):
        yield from mapping.relationship_triples(r["a"], r["t"], r["b"], r["props"], export.skipped)
        export.relationships += 1


def export_dataset(store: GraphStore, ontology: Ontology, id_base: str, dataset: str) -> RdfExport:
    """What ``dataset`` stated (``dataset_triples``) as an rdflib Graph, for the exports."""
    export = RdfExport(Graph())
    export.graph.bind("ieic", IEIC)
    export.graph.bind("skos", SKOS)
    for t in dataset_triples(store, ontology, id_base, dataset, export):
        export.graph.add(t)
    return export


def export_load_runs(store: GraphStore, ontology: Ontology, id_base: str, *, dataset: str | None = None) -> RdfExport:
    """The ``:LoadRun`` nodes (all, or those of ``dataset``) as ``ieic:LoadRun`` resources.

    Each run is also typed ``prov:Activity`` explicitly (it is one by RDFS entailment too), so that
    PROV-O queries find it without a reasoner.
    """
    mapping = RdfMapping(ontology, id_base)
    export = RdfExport(Graph())
    g = export.graph
    g.bind("ieic", IEIC)
    g.bind("prov", PROV)
    rows = store.read(
        "MATCH (r:LoadRun) WHERE $dataset IS NULL OR r.source = $dataset "
        "RETURN r.iri AS iri, labels(r) AS labels, properties(r) AS props ORDER BY r.iri",
        {"dataset": dataset},
    )
    for r in rows:
        for t in mapping.node_triples(r["iri"], r["labels"], r["props"], export.skipped):
            g.add(t)
        g.add((URIRef(r["iri"]), RDF.type, PROV.Activity))
    export.nodes = len(rows)
    return export


def stated_datasets(store: GraphStore) -> list[str]:
    """The datasets that state at least one node or relationship in Neo4j, sorted."""
    rows = store.read(
        "CALL () { MATCH (n:Entity) UNWIND n.source AS d RETURN DISTINCT d "
        "UNION MATCH (:Entity)-[r]->(:Entity) UNWIND r.source AS d RETURN DISTINCT d } "
        "RETURN DISTINCT d ORDER BY d"
    )
    return [r["d"] for r in rows if r["d"] is not None]
