"""SHACL validation: the shapes of ``ontology/shapes.ttl`` over the RDF view of Neo4j (pyshacl, the reference),
and the same shapes compiled into per-record checks for the ingest engine."""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from typing import Any

from pyshacl import validate
from rdflib import RDF, RDFS, SH, SKOS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ieic_kg.ontology import IEIC, LANGUAGES, Ontology


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    value: str
    severity: str
    message_zh: str
    message_en: str
    shape: str


def load_shapes() -> Graph:
    g = Graph()
    g.parse(data=resources.files("ieic_kg.assets.ontology").joinpath("shapes.ttl").read_text("utf-8"), format="turtle")
    return g


def validate_graph(data: Graph, ontology: Ontology) -> tuple[bool, list[Violation]]:
    """Validate ``data`` against the shapes, with the ontology for RDFS inference; violations in zh and en."""
    conforms, report, _ = validate(
        data, shacl_graph=load_shapes(), ont_graph=ontology.graph, inference="rdfs", allow_warnings=True
    )
    out = []
    for result in report.subjects(SH.resultSeverity, None):
        messages = {m.language: str(m) for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)}
        severity = report.value(result, SH.resultSeverity)
        out.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath) or ""),
                value=str(report.value(result, SH.value) or ""),
                severity=str(severity).rpartition("#")[2] if severity else "",
                message_zh=messages.get("zh", ""),
                message_en=messages.get("en", messages.get(None, "")),
                shape=str(report.value(result, SH.sourceShape) or ""),
            )
        )
    out.sort(key=lambda v: (v.shape, v.focus, v.path))
    return bool(conforms), out


# -- the shapes compiled for the ingest engine ---------------------------------------------------------
#
# pyshacl over the stored graph (above) is the reference. The ingest engine checks every record against the
# same shapes before writing, but cannot run pyshacl per record (a taxonomy load has 10⁵ records), so the
# constraints on literal values are compiled once into plain Python checks: per class (sh:targetClass, which
# with RDFS inference also targets the subclasses) and per relationship qualifier (sh:targetSubjectsOf, the
# reified statements that carry qualifiers). Compiled: sh:minCount, sh:maxCount, sh:datatype, sh:pattern
# (with sh:flags), sh:in, sh:minInclusive/maxInclusive/minExclusive/maxExclusive, sh:minLength/maxLength,
# sh:languageIn, sh:lessThan/lessThanOrEquals and sh:qualifiedValueShape with sh:languageIn. Left to
# `ieic-kg validate`: constraints on relationships (sh:node, sh:class on object-property paths, e.g. "a
# job posting has exactly one postedBy" — the ingest engine checks relationship ends by domain and range)
# and node-level sh:xone/sh:not; a property shape using any other component is left to it whole
# (``CompiledShapes.left_out`` names them). Provenance paths (source, firstSeen, lastSeen) are set by the
# ingest engine itself and not checked here.

#: SHACL terms of a property shape that say nothing the compiled checks must enforce
_INERT = {RDF.type, RDFS.label, RDFS.comment, SH.message, SH.name, SH.description, SH.path, SH.order, SH.group}
_PROVENANCE_PATHS = frozenset({"source", "firstSeen", "lastSeen", "loadRun"})
_LANG_PATHS = {RDFS.label: "label", SKOS.altLabel: "altLabel", SKOS.definition: "definition"}


@dataclass(frozen=True)
class ShapeViolation:
    """One value (or missing value) of a record that a compiled property shape rejects."""

    shape: str
    field: str
    value: str
    message_en: str
    message_zh: str

    @property
    def reason(self) -> str:
        return f"{self.message_en} {self.message_zh} (SHACL {self.shape})"


@dataclass
class _PropertyCheck:
    shape: str
    name: str  # the path's local name, as a record names it (without the _zh/_en of tagged text)
    keys: tuple[str, ...]  # the record keys holding the path's values
    tagged: bool
    message_en: str
    message_zh: str
    tests: list[Callable[[list[tuple[Any, str | None]], Mapping[str, Any]], Any]] = field(default_factory=list)

    def check(self, props: Mapping[str, Any]) -> ShapeViolation | None:
        values: list[tuple[Any, str | None]] = []
        for key in self.keys:
            value = props.get(key)
            if value is None:
                continue
            lang = key.rpartition("_")[2] if self.tagged else None
            values += [(v, lang) for v in value] if isinstance(value, list) else [(value, lang)]
        for test in self.tests:
            bad = test(values, props)
            if bad is not None:
                return ShapeViolation(self.shape, self.name, _text(bad), self.message_en, self.message_zh)
        return None


_MISSING = object()
_HOLDS = object()  # a component that every record satisfies by construction


def _text(value: Any) -> str:
    if value is _MISSING:
        return ""
    return ", ".join(map(_lexical, value)) if isinstance(value, list) else _lexical(value)


def _lexical(value: Any) -> str:
    """The lexical form the RDF view gives a stored value (ieic_kg.rdf)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def compiled_shapes(ontology: Ontology) -> CompiledShapes:
    """The shapes compiled for ``ontology``, once per ontology object (compiling takes a few tenths of a second)."""
    compiled = _COMPILED.get(ontology)
    if compiled is None:
        compiled = _COMPILED[ontology] = CompiledShapes(ontology)
    return compiled


class CompiledShapes:
    """The literal-value constraints of ``ontology/shapes.ttl``, per class and per relationship qualifier."""

    def __init__(self, ontology: Ontology, shapes: Graph | None = None) -> None:
        self.ontology = ontology
        self.graph = shapes if shapes is not None else load_shapes()
        #: property shapes left to pyshacl, with why
        self.left_out: dict[str, str] = {}
        self._compiled: dict[Node, _PropertyCheck | None] = {}
        self.by_class: dict[str, list[_PropertyCheck]] = {}
        for cls in ontology.classes.values():
            targets = {cls.name, *cls.ancestors}
            checks: dict[Node, _PropertyCheck] = {}
            for node_shape in self.graph.subjects(SH.targetClass, None):
                if any(self._local(t) in targets for t in self.graph.objects(node_shape, SH.targetClass)):
                    for prop_shape in self.graph.objects(node_shape, SH.property):
                        compiled = self._compile(prop_shape)
                        if compiled is not None:
                            checks[prop_shape] = compiled
            self.by_class[cls.name] = list(checks.values())
        #: qualifier name → the checks of the shapes targeting the subjects of that qualifier
        self.by_qualifier: dict[str, list[_PropertyCheck]] = defaultdict(list)
        for node_shape, target in self.graph.subject_objects(SH.targetSubjectsOf):
            name = self._local(target)
            for prop_shape in self.graph.objects(node_shape, SH.property):
                compiled = self._compile(prop_shape)
                if name and compiled is not None and compiled not in self.by_qualifier[name]:
                    self.by_qualifier[name].append(compiled)

    def check_node(self, cls: str, props: Mapping[str, Any]) -> list[ShapeViolation]:
        """What the shapes of ``cls`` reject in a node's properties (record keys: ``label_zh``, ``code``…)."""
        return [v for c in self.by_class.get(cls, ()) if (v := c.check(props)) is not None]

    def check_qualifiers(self, props: Mapping[str, Any]) -> list[ShapeViolation]:
        """What the qualifier shapes reject in a relationship's properties."""
        checks = {id(c): c for name in props if name in self.by_qualifier for c in self.by_qualifier[name]}
        return [v for c in checks.values() if (v := c.check(props)) is not None]

    # -- compiling ------------------------------------------------------------------------------------

    def _local(self, term: Node) -> str:
        text = str(term)
        return text.rpartition("#")[2] if "#" in text else text.rpartition("/")[2]

    def _keys(self, path: Node) -> tuple[str, tuple[str, ...], bool] | None:
        """(field, record keys, language-tagged) of a path, or None when it is not a literal-valued property."""
        if isinstance(path, URIRef) and path in _LANG_PATHS:
            name = _LANG_PATHS[path]
            return name, tuple(f"{name}_{lang}" for lang in LANGUAGES), True
        name = self._local(path)
        if not str(path).startswith(str(IEIC)) or name in _PROVENANCE_PATHS:
            return None
        prop = self.ontology.datatype_properties.get(name)
        if prop is None:
            return None  # an object property: its ends are checked by domain and range
        if prop.language_tagged:
            return name, tuple(f"{name}_{lang}" for lang in LANGUAGES), True
        return name, (name,), False

    def _compile(self, shape: Node) -> _PropertyCheck | None:
        if shape in self._compiled:
            return self._compiled[shape]
        self._compiled[shape] = None
        path = self.graph.value(shape, SH.path)
        name = self._local(shape)
        where = self._keys(path) if path is not None else None
        if where is None:
            return None
        field_name, keys, tagged = where
        messages = {m.language: str(m) for m in self.graph.objects(shape, SH.message) if isinstance(m, Literal)}
        check = _PropertyCheck(
            name, field_name, keys, tagged, messages.get("en", messages.get(None, "")), messages.get("zh", "")
        )
        stored = "langString" if tagged else self.ontology.datatype_properties[field_name].datatype
        for p, o in self.graph.predicate_objects(shape):
            if p in _INERT or p in (SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount):
                continue
            test = self._component(shape, p, o, stored)
            if test is None:
                self.left_out[name] = f"sh:{self._local(p)} is not compiled"
                return None
            if test is not _HOLDS:
                check.tests.append(test)
        if not check.tests:
            return None  # nothing a record could violate (e.g. labels are always language-tagged)
        self._compiled[shape] = check
        return check

    def _component(self, shape: Node, p: Node, o: Node, stored: str) -> Any:
        """The test for one constraint component: values → the offending value(s), or None."""
        value: Any = o.toPython() if isinstance(o, Literal) else None
        if p == SH.minCount:
            return lambda vs, _: _MISSING if len(vs) < value else None
        if p == SH.maxCount:
            return lambda vs, _: [v for v, _ in vs] if len(vs) > value else None
        if p == SH.datatype:
            # the RDF view types every value of a property by its range (ieic_kg.rdf), so the datatype holds
            # for all values or for none
            expected = "langString" if o == RDF.langString else self._local(o)
            if expected == stored:
                return _HOLDS
            return lambda vs, _: vs[0][0] if vs else None
        if p == SH.pattern:
            flags = str(self.graph.value(shape, SH.flags) or "")
            regex = re.compile(str(o), re.IGNORECASE if "i" in flags else 0)
            return lambda vs, _: next((v for v, _ in vs if not regex.search(_lexical(v))), None)
        if p == SH.minLength or p == SH.maxLength:
            at_least = p == SH.minLength
            return lambda vs, _: next(
                (v for v, _ in vs if (len(_lexical(v)) < value if at_least else len(_lexical(v)) > value)), None
            )
        if p == _SH_IN:
            allowed = {m.toPython() if isinstance(m, Literal) else m for m in Collection(self.graph, o)}
            return lambda vs, _: next((v for v, _ in vs if v not in allowed), None)
        if p in _COMPARISONS:
            op = _COMPARISONS[p]
            return lambda vs, _: next((v for v, _ in vs if not _compare(op, v, value)), None)
        if p == SH.languageIn:
            langs = {str(m) for m in Collection(self.graph, o)}
            return lambda vs, _: next((v for v, lang in vs if lang not in langs), None)
        if p in (SH.lessThan, SH.lessThanOrEquals):
            other = self._keys(o)
            if other is None or other[2]:
                return None
            op = "<" if p == SH.lessThan else "<="
            other_key = other[1][0]

            def less(vs: list[tuple[Any, str | None]], props: Mapping[str, Any]) -> Any:
                raw = props.get(other_key)
                others = [] if raw is None else raw if isinstance(raw, list) else [raw]
                return next((v for v, _ in vs for w in others if not _compare(op, v, w)), None)

            return less
        if p == SH.qualifiedValueShape:
            inner = dict(self.graph.predicate_objects(o))
            if set(inner) - {SH.languageIn}:
                return None
            langs = {str(m) for m in Collection(self.graph, inner[SH.languageIn])}
            low, high = self.graph.value(shape, SH.qualifiedMinCount), self.graph.value(shape, SH.qualifiedMaxCount)
            lo = int(low.toPython()) if isinstance(low, Literal) else 0
            hi = int(high.toPython()) if isinstance(high, Literal) else None

            def qualified(vs: list[tuple[Any, str | None]], _: Any) -> Any:
                n = sum(1 for _, lang in vs if lang in langs)
                return _MISSING if n < lo or (hi is not None and n > hi) else None

            return qualified
        return None


_COMPILED: weakref.WeakKeyDictionary[Ontology, CompiledShapes] = weakref.WeakKeyDictionary()
_SH_IN = URIRef("http://www.w3.org/ns/shacl#in")  # `in` is a Python keyword: no SH.in
_COMPARISONS: dict[Node, str] = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}


def _compare(op: str, a: Any, b: Any) -> bool:
    """``a op b`` as SHACL compares literals; values that cannot be compared fail."""
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    try:  # int, float and Decimal compare exactly with each other; so do dates, and datetimes
        if op == "<=":
            return bool(a <= b)
        if op == ">=":
            return bool(a >= b)
        return bool(a < b) if op == "<" else bool(a > b)
    except TypeError:
        return False
