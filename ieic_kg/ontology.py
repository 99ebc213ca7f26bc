"""The ontology as the single source of schema.

Reads ``ontology/ieic.ttl`` with rdflib and derives everything other parts need: the classes and their
ieic superclasses (→ Neo4j labels), object properties (→ relationship types), datatype properties
(→ property keys and value types), and the labels in Chinese and English. Nothing here is a second,
hand-kept list of the schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ieic_kg.errors import OntologyError

IEIC = Namespace("https://w3id.org/ieic-kg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/ieic-kg/ontology")
LANGUAGES = ("zh", "en")

#: Instance-level annotation properties that every class may carry, stored per language in Neo4j as
#: ``<name>_<lang>`` (``label_zh``); the alt labels are lists.
LANG_ANNOTATIONS: dict[str, URIRef] = {
    "label": RDFS.label,
    "altLabel": SKOS.altLabel,
    "definition": SKOS.definition,
}
MULTI_VALUED_ANNOTATIONS = frozenset({"altLabel"})


def relationship_type(property_name: str) -> str:
    """Neo4j relationship type of an object property: ``teachesSkill`` → ``TEACHES_SKILL``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", property_name).upper()


def class_slug(class_name: str) -> str:
    """IRI path segment of a class: ``VocationalCollege`` → ``vocational-college``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", class_name).lower()


@dataclass(frozen=True)
class Term:
    """What every ontology term has: a local name, its IRI and its labels per language."""

    name: str
    iri: str
    labels: dict[str, str] = field(compare=False)
    definition: str = field(default="", compare=False)

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``, falling back to the other language, then the local name."""
        return self.labels.get(lang) or next(iter(self.labels.values()), self.name)


@dataclass(frozen=True)
class OntClass(Term):
    """An ontology class; ``ancestors`` are its ieic superclasses, nearest first."""

    parents: tuple[str, ...] = ()
    ancestors: tuple[str, ...] = ()

    @property
    def neo4j_labels(self) -> tuple[str, ...]:
        """Labels a node of this class carries: its root ancestor first, itself last (``Actor, Enterprise``)."""
        return (*reversed(self.ancestors), self.name)

    @property
    def root(self) -> str:
        """The topmost ieic class above this one (itself when it has none)."""
        return self.ancestors[-1] if self.ancestors else self.name


@dataclass(frozen=True)
class ObjectProperty(Term):
    """An object property; ``domain``/``range`` are ieic class names (empty: unrestricted)."""

    domain: frozenset[str] = frozenset()
    range: frozenset[str] = frozenset()

    @property
    def rel_type(self) -> str:
        return relationship_type(self.name)


@dataclass(frozen=True)
class DatatypeProperty(Term):
    """A datatype property; ``datatype`` is the XSD local name, or ``langString`` for tagged text."""

    datatype: str = "string"
    domain: frozenset[str] = frozenset()

    @property
    def language_tagged(self) -> bool:
        return self.datatype == "langString"


class Ontology:
    """The parsed ontology with the schema derived from it."""

    def __init__(self, graph: Graph, *, source: str = "<graph>") -> None:
        self.graph = graph
        self.source = source
        if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in graph:
            raise OntologyError(f"{source} does not declare the ontology {ONTOLOGY_IRI}")
        self.classes: dict[str, OntClass] = self._read_classes()
        self.object_properties: dict[str, ObjectProperty] = self._read_object_properties()
        self.datatype_properties: dict[str, DatatypeProperty] = self._read_datatype_properties()

    # -- loading -------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> Ontology:
        """Parse the ontology shipped with the package, or the Turtle file at ``path``."""
        if path is None:
            ref = resources.files("ieic_kg.assets.ontology").joinpath("ieic.ttl")
            data, source = ref.read_text(encoding="utf-8"), str(ref)
        else:
            data, source = Path(path).read_text(encoding="utf-8"), str(path)
        graph = Graph()
        try:
            graph.parse(data=data, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise OntologyError(f"cannot parse {source}: {exc}") from exc
        return cls(graph, source=source)

    @cached_property
    def version(self) -> str:
        return str(self.graph.value(ONTOLOGY_IRI, OWL.versionInfo) or "")

    # -- lookups --------------------------------------------------------------------------------------

    def cls(self, name: str) -> OntClass:
        """The class called ``name``; an unknown name fails listing the valid ones."""
        try:
            return self.classes[name]
        except KeyError:
            raise OntologyError(
                f"unknown class {name!r}", hint=f"use one of: {', '.join(sorted(self.classes))}"
            ) from None

    def object_property(self, name: str) -> ObjectProperty:
        try:
            return self.object_properties[name]
        except KeyError:
            raise OntologyError(
                f"unknown relation {name!r}",
                hint=f"use one of: {', '.join(sorted(self.object_properties))}",
            ) from None

    def is_a(self, class_name: str, ancestor: str) -> bool:
        """True when ``class_name`` is ``ancestor`` or one of its subclasses."""
        c = self.classes.get(class_name)
        return c is not None and (c.name == ancestor or ancestor in c.ancestors)

    def subclasses(self, name: str) -> list[str]:
        """``name`` and every class below it."""
        return [c.name for c in self.classes.values() if self.is_a(c.name, name)]

    @cached_property
    def rel_types(self) -> dict[str, ObjectProperty]:
        """Object properties by their Neo4j relationship type."""
        return {p.rel_type: p for p in self.object_properties.values()}

    # -- reading the graph ----------------------------------------------------------------------------

    def _local(self, term: object) -> str | None:
        if isinstance(term, URIRef) and str(term).startswith(str(IEIC)):
            return str(term)[len(str(IEIC)) :]
        return None

    def _labels(self, subject: Node) -> tuple[dict[str, str], str]:
        labels: dict[str, str] = {}
        for lit in self.graph.objects(subject, RDFS.label):
            if isinstance(lit, Literal) and lit.language in LANGUAGES:
                labels.setdefault(lit.language, str(lit))
        definitions = [lit for lit in self.graph.objects(subject, SKOS.definition) if isinstance(lit, Literal)]
        definitions.sort(key=lambda lit: lit.language != "en")
        return labels, str(definitions[0]) if definitions else ""

    def _class_names(self, node: object) -> frozenset[str]:
        """ieic class names denoted by ``node``: a class IRI or an owl:unionOf of them."""
        if isinstance(node, BNode):
            union = self.graph.value(node, OWL.unionOf)
            if union is None:
                return frozenset()
            return frozenset(n for m in Collection(self.graph, union) for n in self._class_names(m))
        name = self._local(node)
        return frozenset({name}) if name else frozenset()

    def _read_classes(self) -> dict[str, OntClass]:
        parents: dict[str, tuple[str, ...]] = {}
        for subject in set(self.graph.subjects(RDF.type, OWL.Class)):
            name = self._local(subject)
            if name is None:
                continue
            parents[name] = tuple(
                sorted(p for o in self.graph.objects(subject, RDFS.subClassOf) if (p := self._local(o)))
            )

        def ancestors(name: str, seen: tuple[str, ...] = ()) -> tuple[str, ...]:
            if name in seen:
                raise OntologyError(f"class hierarchy has a cycle through {name}")
            out: list[str] = []
            for parent in parents.get(name, ()):
                for a in (parent, *ancestors(parent, (*seen, name))):
                    if a not in out:
                        out.append(a)
            return tuple(out)

        classes = {}
        for name, direct in parents.items():
            labels, definition = self._labels(IEIC[name])
            classes[name] = OntClass(
                name, str(IEIC[name]), labels, definition, parents=direct, ancestors=ancestors(name)
            )
        return classes

    def _read_object_properties(self) -> dict[str, ObjectProperty]:
        props = {}
        for subject in set(self.graph.subjects(RDF.type, OWL.ObjectProperty)):
            name = self._local(subject)
            if name is None:
                continue
            labels, definition = self._labels(subject)
            domain = frozenset().union(*(self._class_names(d) for d in self.graph.objects(subject, RDFS.domain)))
            rng = frozenset().union(*(self._class_names(r) for r in self.graph.objects(subject, RDFS.range)))
            props[name] = ObjectProperty(name, str(subject), labels, definition, domain=domain, range=rng)
        return props

    def _read_datatype_properties(self) -> dict[str, DatatypeProperty]:
        props = {}
        for subject in set(self.graph.subjects(RDF.type, OWL.DatatypeProperty)):
            name = self._local(subject)
            if name is None:
                continue
            labels, definition = self._labels(subject)
            rng = self.graph.value(subject, RDFS.range)
            if rng == RDF.langString:
                datatype = "langString"
            elif isinstance(rng, URIRef) and str(rng).startswith(str(XSD)):
                datatype = str(rng)[len(str(XSD)) :]
            else:
                datatype = "string"
            domain = frozenset().union(*(self._class_names(d) for d in self.graph.objects(subject, RDFS.domain)))
            props[name] = DatatypeProperty(name, str(subject), labels, definition, datatype=datatype, domain=domain)
        return props
