"""JSON-LD: a context derived from the ontology, and documents built from the RDF view of the graph.

The triples come from :class:`ieic_kg.rdf.RdfMapping` (the one documented property-graph ↔ RDF mapping), so
the JSON-LD of an entity is exactly its RDF view; rdflib compacts them with the context. Each document
carries the part of the context it uses, so it stands alone; the whole context is at /v1/context.jsonld.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from rdflib import OWL, PROV, RDF, RDFS, SKOS, XSD, Graph

from ieic_kg.ontology import IEIC, Ontology
from ieic_kg.rdf import RdfMapping

JSONLD_MEDIA_TYPE = "application/ld+json"

PREFIXES = {
    "ieic": str(IEIC),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "owl": str(OWL),
    "prov": str(PROV),
    "xsd": str(XSD),
}


def build_context(ontology: Ontology) -> dict[str, Any]:
    """The JSON-LD context of the ontology: classes, relations and properties by their local names."""
    ctx: dict[str, Any] = dict(PREFIXES)
    ctx["label"] = {"@id": "rdfs:label", "@container": "@language"}
    ctx["altLabel"] = {"@id": "skos:altLabel", "@container": "@language"}
    ctx["definition"] = {"@id": "skos:definition", "@container": "@language"}
    # Reified relationships (a relationship with properties) as in ieic_kg.rdf
    ctx["Statement"] = "rdf:Statement"
    ctx["subject"] = {"@id": "rdf:subject", "@type": "@id"}
    ctx["predicate"] = {"@id": "rdf:predicate", "@type": "@id"}
    ctx["object"] = {"@id": "rdf:object", "@type": "@id"}
    for cls in sorted(ontology.classes.values(), key=lambda c: c.name):
        ctx[cls.name] = f"ieic:{cls.name}"
    for prop in sorted(ontology.object_properties.values(), key=lambda p: p.name):
        ctx[prop.name] = {"@id": f"ieic:{prop.name}", "@type": "@id"}
    for dprop in sorted(ontology.datatype_properties.values(), key=lambda p: p.name):
        if dprop.language_tagged:
            ctx[dprop.name] = {"@id": f"ieic:{dprop.name}", "@container": "@language"}
        elif dprop.datatype == "string":
            ctx[dprop.name] = f"ieic:{dprop.name}"
        else:
            ctx[dprop.name] = {"@id": f"ieic:{dprop.name}", "@type": f"xsd:{dprop.datatype}"}
    return ctx


class JsonLdWriter:
    """Entities and their neighbourhoods as compact JSON-LD documents."""

    def __init__(self, ontology: Ontology, id_base: str) -> None:
        self.context = build_context(ontology)
        self.mapping = RdfMapping(ontology, id_base)

    def node_triples(self, iri: str, labels: Iterable[str], props: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
        return self.mapping.node_triples(iri, labels, props, Counter())

    def relationship_triples(
        self, start: str, rel_type: str, end: str, props: dict[str, Any]
    ) -> list[tuple[Any, Any, Any]]:
        return self.mapping.relationship_triples(start, rel_type, end, props, Counter())

    def document(self, triples: Iterable[tuple[Any, Any, Any]]) -> dict[str, Any]:
        """The triples as one compact JSON-LD document with the part of the context it uses."""
        graph = Graph()
        for t in triples:
            graph.add(t)
        data = json.loads(graph.serialize(format="json-ld", context=self.context, auto_compact=True))
        used = _terms(data)
        data["@context"] = {
            term: value
            for term, value in self.context.items()
            if term in used or (term in PREFIXES and _prefix_used(term, data, self.context, used))
        }
        return data


def _terms(data: Any) -> set[str]:
    """Keys and @type values used anywhere in a compact document (the context's terms among them)."""
    out: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "@context":
                continue
            out.add(key)
            if key == "@type":
                out.update(value if isinstance(value, list) else [value])
            out |= _terms(value)
    elif isinstance(data, list):
        for item in data:
            out |= _terms(item)
    return out


def _prefix_used(prefix: str, data: dict[str, Any], context: dict[str, Any], used: set[str]) -> bool:
    """True when a kept term's definition, or a compact IRI in the document, uses ``prefix``."""
    marker = f"{prefix}:"
    for term in used:
        if term.startswith(marker):
            return True
        definition = context.get(term)
        if isinstance(definition, str) and definition.startswith(marker):
            return True
        if isinstance(definition, dict) and any(
            isinstance(v, str) and v.startswith(marker) for v in definition.values()
        ):
            return True
    return marker in json.dumps(data, ensure_ascii=False)
