"""The ontology (ontology/ieic.ttl) and the SHACL shapes (ontology/shapes.ttl).

The ontology is the single source of schema: Neo4j labels, relationship types and property keys are
derived from it. These tests hold it to its conventions, pin the public vocabulary that other code and
users rely on, check it with the HermiT reasoner, and check that the shapes accept a valid community and
report each fault of a set of broken records in Chinese and English.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SH

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY_TTL = REPO / "ontology" / "ieic.ttl"
SHAPES_TTL = REPO / "ontology" / "shapes.ttl"
FIXTURES = REPO / "tests" / "fixtures" / "ontology"

IEIC = Namespace("https://w3id.org/ieic-kg/ontology#")
IEICSH = Namespace("https://w3id.org/ieic-kg/shapes#")
SCHEMA = Namespace("https://schema.org/")
# a plain Namespace: rdflib's XSD DefinedNamespace warns when pytest probes module attributes
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ONTOLOGY_IRI = URIRef("https://w3id.org/ieic-kg/ontology")
ID = Namespace("https://w3id.org/ieic-kg/id/")
THING = "Thing"  # stands for owl:Thing in the contract tables below

# ------------------------------------------------------------------------------------------------
# The public contract: names other code and users rely on. This is the one place where the
# vocabulary is listed by hand; everything else derives it from the ontology.
# ------------------------------------------------------------------------------------------------

#: class → its ieic superclass (None: a top-level class)
REQUIRED_CLASSES: dict[str, str | None] = {
    "Actor": None,
    "VocationalCollege": "Actor",
    "Enterprise": "Actor",
    "GovernmentAgency": "Actor",
    "ResearchInstitution": "Actor",
    "IndustryAssociation": "Actor",
    "Community": "Actor",
    "Industry": None,
    "Occupation": None,
    "JobPosting": None,
    "Skill": None,
    "Program": None,
    "Course": None,
    "Standard": None,
    "OccupationalSkillStandard": "Standard",
    "Certificate": "Standard",
    "CurriculumStandard": "Standard",
    "TeachingStandard": "Standard",
    "EducationalResource": None,
    "TrainingBase": "EducationalResource",
    "Laboratory": "EducationalResource",
    "Equipment": "EducationalResource",
    "TeachingMaterial": "EducationalResource",
    "OnlineCourse": "EducationalResource",
    "InternshipPosition": "EducationalResource",
    "Incubator": "EducationalResource",
    "Mentor": None,
    "CooperationAgreement": None,
    "Project": None,
    "JointResearchProject": "Project",
    "InnovationProject": "Project",
    "Policy": None,
    "TaxIncentive": "Policy",
    "Fund": None,
    "Indicator": None,
    "Assessment": None,
    "Document": None,
    "LoadRun": None,
}

#: object property → (classes its domain must admit, classes its range must admit), subclasses included;
#: the ontology may admit more (a wider union), never fewer.
REQUIRED_OBJECT_PROPERTIES: dict[str, tuple[set[str], set[str]]] = {
    "offersProgram": ({"VocationalCollege"}, {"Program"}),
    "hasCourse": ({"Program"}, {"Course"}),
    "hasPrerequisite": ({"Course"}, {"Course"}),
    "teachesSkill": ({"Course"}, {"Skill"}),
    "requiresSkill": ({"Occupation", "JobPosting"}, {"Skill"}),
    "inIndustry": ({"Enterprise", "Occupation", "JobPosting"}, {"Industry"}),
    "forOccupation": (
        {"JobPosting", "Program", "OccupationalSkillStandard", "Certificate", "InternshipPosition"},
        {"Occupation"},
    ),
    "postedBy": ({"JobPosting"}, {"Enterprise"}),
    "broader": ({"Skill", "Industry", "Occupation"}, {"Skill", "Industry", "Occupation"}),
    "specifiesSkill": ({"Standard"}, {"Skill"}),
    "alignedToStandard": ({"Course", "Program"}, {"Standard"}),
    "memberOf": ({"Actor"}, {"Community"}),
    "leads": ({"Actor"}, {"Community"}),
    "hosts": ({"Actor"}, {"EducationalResource"}),
    "partyTo": ({"Actor"}, {"CooperationAgreement"}),
    "issuedBy": ({"Policy", "Standard", "Fund"}, {"Actor"}),
    "funds": ({"Fund"}, {"Project", "Program", "TrainingBase"}),
    "underPolicy": ({"Fund"}, {"Policy"}),
    "participatesIn": ({"Actor"}, {"Project"}),
    "coversSkill": ({"EducationalResource"}, {"Skill"}),
    "mentors": ({"Mentor"}, {"Course", "InternshipPosition"}),
    "affiliatedWith": ({"Mentor"}, {"Actor"}),
    "measures": ({"Indicator"}, {THING}),
    "assesses": ({"Assessment"}, {"Actor", "Program"}),
    "againstIndicator": ({"Assessment"}, {"Indicator"}),
    "mentions": ({"Document"}, {"Skill", "Occupation"}),
    "describes": ({"Document"}, {"Course", "JobPosting", "Standard"}),
    "exactMatch": ({THING}, {THING}),
    "closeMatch": ({THING}, {THING}),
    "broadMatch": ({THING}, {THING}),
    "loadRun": ({THING}, {"LoadRun"}),
}

#: datatype property → range (XSD local name, or "langString")
REQUIRED_DATATYPE_PROPERTIES: dict[str, str] = {
    "code": "string",
    "learningOutcome": "langString",
    "credits": "decimal",
    "hours": "integer",
    "semester": "integer",
    "courseType": "string",
    "degreeLevel": "string",
    "durationYears": "integer",
    "skillType": "string",
    "level": "integer",
    "levelName": "langString",
    "datePosted": "date",
    "validFrom": "date",
    "validUntil": "date",
    "signedDate": "date",
    "issuedDate": "date",
    "amount": "decimal",
    "currency": "string",
    "city": "string",
    "province": "string",
    "url": "anyURI",
    "headcount": "integer",
    "capacity": "integer",
    "salaryMin": "decimal",
    "salaryMax": "decimal",
    "language": "language",
    "checksum": "string",
    "role": "string",
    "description": "langString",
    # relationship qualifiers
    "weight": "decimal",
    "strength": "decimal",
    "masteryLevel": "string",
    "relationType": "string",
    "confidence": "decimal",
    "method": "string",
    "evidence": "string",
    # provenance
    "source": "string",
    "firstSeen": "dateTime",
    "lastSeen": "dateTime",
    # load runs
    "startedAt": "dateTime",
    "endedAt": "dateTime",
    "status": "string",
    "loader": "string",
    "sourcePath": "string",
    "recordsRead": "integer",
    "created": "integer",
    "updated": "integer",
    "unchanged": "integer",
    "rejected": "integer",
    "agent": "string",
}

#: qualifiers and provenance keys that sit on relationships too, so they must have no domain
DOMAINLESS = (
    "weight",
    "strength",
    "masteryLevel",
    "relationType",
    "confidence",
    "method",
    "evidence",
    "source",
    "firstSeen",
    "lastSeen",
    "level",
    "role",
)

#: alignments to external vocabularies that the contract promises
REQUIRED_SUBPROPERTIES = {
    "broader": SKOS.broader,
    "exactMatch": SKOS.exactMatch,
    "closeMatch": SKOS.closeMatch,
    "broadMatch": SKOS.broadMatch,
    "loadRun": PROV.wasGeneratedBy,
    "startedAt": PROV.startedAtTime,
    "endedAt": PROV.endedAtTime,
}
REQUIRED_EXTERNAL_SUPERCLASSES = {"LoadRun": PROV.Activity, "Mentor": SCHEMA.Person}

#: classes the shapes must target with a node shape of their own
SHAPED_CLASSES = (
    "Course",
    "Program",
    "Skill",
    "Occupation",
    "Industry",
    "JobPosting",
    "Enterprise",
    "VocationalCollege",
    "Standard",
    "CooperationAgreement",
    "LoadRun",
)

# ------------------------------------------------------------------------------------------------
# Fixtures and helpers
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ont() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def local(term: object) -> str | None:
    """The ieic local name of ``term``, or None when it is not an ieic IRI."""
    if isinstance(term, URIRef) and str(term).startswith(str(IEIC)):
        return str(term)[len(str(IEIC)) :]
    return None


def declared(g: Graph, owl_type: URIRef) -> dict[str, URIRef]:
    """ieic terms declared with ``owl_type``, by local name."""
    return {name: s for s in g.subjects(RDF.type, owl_type) if (name := local(s))}


def class_names(g: Graph, node: object) -> set[str]:
    """Class names denoted by a domain/range node: an ieic class, owl:Thing, or an owl:unionOf."""
    if node == OWL.Thing:
        return {THING}
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        assert members is not None, "a blank-node domain/range must be an owl:unionOf"
        return {n for m in Collection(g, members) for n in class_names(g, m)}
    name = local(node)
    assert name is not None, f"{node} is neither an ieic class, owl:Thing nor a union"
    return {name}


def ieic_parents(g: Graph, cls: URIRef) -> list[str]:
    return [p for o in g.objects(cls, RDFS.subClassOf) if (p := local(o))]


def admitted(g: Graph, node: object) -> set[str]:
    """Class names a domain/range node admits: the classes it names and all their subclasses."""
    names = class_names(g, node)
    children: dict[str, set[str]] = {}
    for name, cls in declared(g, OWL.Class).items():
        for parent in ieic_parents(g, cls):
            children.setdefault(parent, set()).add(name)
    frontier = set(names)
    while frontier:
        frontier = {c for n in frontier for c in children.get(n, ())} - names
        names |= frontier
    return names


def languages(g: Graph, subject: object, predicate: URIRef) -> list[str]:
    return [o.language for o in g.objects(subject, predicate) if isinstance(o, Literal) and o.language]


def validate(data: Graph, shapes: Graph, ont: Graph) -> tuple[bool, Graph]:
    from pyshacl import validate as shacl_validate

    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ont, inference="rdfs")
    return bool(conforms), report


def results(report: Graph) -> Iterator[URIRef | BNode]:
    yield from report.subjects(RDF.type, SH.ValidationResult)


def violations(report: Graph) -> set[tuple[object, object]]:
    """(focus node, path) of every result; the path is None for node-level results."""
    return {(report.value(r, SH.focusNode), report.value(r, SH.resultPath)) for r in results(report)}


def failing_codes(report: Graph, nodes: dict[str, URIRef]) -> set[str]:
    failing = {report.value(r, SH.focusNode) for r in results(report)}
    return {code for code, node in nodes.items() if node in failing}


# ------------------------------------------------------------------------------------------------
# The ontology document
# ------------------------------------------------------------------------------------------------


def test_parses_and_declares_the_ontology(ont: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ont
    version = ont.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert version is not None and re.fullmatch(r"\d+\.\d+\.\d+", str(version)), version
    assert ont.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert {"zh", "en"} <= set(languages(ont, ONTOLOGY_IRI, predicate)), predicate
    assert ont.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    created = ont.value(ONTOLOGY_IRI, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype == XSD.date
    assert not list(ont.objects(None, OWL.imports)), "no owl:imports: the build has no network"


def test_every_ieic_term_is_declared(ont: Graph) -> None:
    """An ieic IRI used anywhere in the ontology is a declared term (catches typos like ieic:Skil)."""
    declared_terms = {
        s
        for s, _, o in ont.triples((None, RDF.type, None))
        if local(s) and o in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    }
    used = {t for triple in ont for t in triple if local(t) is not None}
    assert used - declared_terms == set()


def test_every_term_has_bilingual_labels_and_definitions(ont: Graph) -> None:
    problems = []
    for owl_type in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for name, term in declared(ont, owl_type).items():
            labels = languages(ont, term, RDFS.label)
            if sorted(labels) != ["en", "zh"]:
                problems.append(f"{name}: rdfs:label languages {labels} (want one @zh and one @en)")
            if not {"en", "zh"} <= set(languages(ont, term, SKOS.definition)):
                problems.append(f"{name}: skos:definition needs @en and @zh")
            if ont.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
                problems.append(f"{name}: rdfs:isDefinedBy is not the ontology")
    assert problems == []


def test_naming_conventions(ont: Graph) -> None:
    for name in declared(ont, OWL.Class):
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), f"class {name} is not UpperCamelCase"
    for owl_type in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for name in declared(ont, owl_type):
            # lowerCamelCase, no underscore: language-tagged values are stored as <name>_zh / <name>_en
            assert re.fullmatch(r"[a-z][A-Za-z0-9]*", name), f"property {name} is not lowerCamelCase"
    kinds = [set(declared(ont, t)) for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)]
    assert not (kinds[0] & kinds[1] or kinds[0] & kinds[2] or kinds[1] & kinds[2]), "a name is used twice"
    # Neo4j keys that the ingest engine derives for instance labels must stay free
    assert not {"label", "altLabel", "definition", "iri"} & set(declared(ont, OWL.DatatypeProperty))


def test_object_properties_have_domain_and_range(ont: Graph) -> None:
    classes = set(declared(ont, OWL.Class)) | {THING}
    for name, prop in declared(ont, OWL.ObjectProperty).items():
        domains, ranges = list(ont.objects(prop, RDFS.domain)), list(ont.objects(prop, RDFS.range))
        assert len(domains) == 1 and len(ranges) == 1, f"{name}: needs exactly one rdfs:domain and rdfs:range"
        assert class_names(ont, domains[0]) <= classes, name
        assert class_names(ont, ranges[0]) <= classes, name


def test_datatype_properties_have_a_datatype_range(ont: Graph) -> None:
    classes = set(declared(ont, OWL.Class))
    for name, prop in declared(ont, OWL.DatatypeProperty).items():
        ranges = list(ont.objects(prop, RDFS.range))
        assert len(ranges) == 1, f"{name}: needs exactly one rdfs:range"
        assert ranges[0] == RDF.langString or str(ranges[0]).startswith(str(XSD)), f"{name}: {ranges[0]}"
        for domain in ont.objects(prop, RDFS.domain):
            assert class_names(ont, domain) <= classes, name


# ------------------------------------------------------------------------------------------------
# The public vocabulary
# ------------------------------------------------------------------------------------------------


def test_required_classes_and_their_superclasses(ont: Graph) -> None:
    classes = declared(ont, OWL.Class)
    missing = sorted(set(REQUIRED_CLASSES) - set(classes))
    assert missing == [], f"missing classes: {missing}"
    for name, parent in REQUIRED_CLASSES.items():
        assert ieic_parents(ont, classes[name]) == ([parent] if parent else []), name
    for name, external in REQUIRED_EXTERNAL_SUPERCLASSES.items():
        assert (classes[name], RDFS.subClassOf, external) in ont, name


def test_required_object_properties(ont: Graph) -> None:
    props = declared(ont, OWL.ObjectProperty)
    missing = sorted(set(REQUIRED_OBJECT_PROPERTIES) - set(props))
    assert missing == [], f"missing object properties: {missing}"
    for name, (domain, rng) in REQUIRED_OBJECT_PROPERTIES.items():
        actual_domain = admitted(ont, ont.value(props[name], RDFS.domain))
        actual_range = admitted(ont, ont.value(props[name], RDFS.range))
        assert domain <= actual_domain, f"{name}: domain {sorted(actual_domain)} lacks {sorted(domain - actual_domain)}"
        assert rng <= actual_range, f"{name}: range {sorted(actual_range)} lacks {sorted(rng - actual_range)}"
    # pinned exactly: postedBy → Enterprise is what the shapes check, and measures stays open
    assert class_names(ont, ont.value(props["postedBy"], RDFS.range)) == {"Enterprise"}
    assert class_names(ont, ont.value(props["measures"], RDFS.range)) == {THING}


def test_required_datatype_properties(ont: Graph) -> None:
    props = declared(ont, OWL.DatatypeProperty)
    missing = sorted(set(REQUIRED_DATATYPE_PROPERTIES) - set(props))
    assert missing == [], f"missing datatype properties: {missing}"
    for name, datatype in REQUIRED_DATATYPE_PROPERTIES.items():
        rng = ont.value(props[name], RDFS.range)
        assert rng == (RDF.langString if datatype == "langString" else XSD[datatype]), f"{name}: {rng}"


def test_qualifiers_have_no_domain_and_are_marked(ont: Graph) -> None:
    props = declared(ont, OWL.DatatypeProperty)
    for name in DOMAINLESS:
        assert ont.value(props[name], RDFS.domain) is None, f"{name} is used on relationships: no domain"
    object_props = set(declared(ont, OWL.ObjectProperty).values())
    for name in ("weight", "strength", "masteryLevel", "relationType", "confidence", "method", "evidence"):
        targets = set(ont.objects(props[name], IEIC.qualifierOf))
        assert targets, f"{name} must say which relationships it qualifies (ieic:qualifierOf)"
        assert targets <= object_props | {OWL.topObjectProperty}, name


def test_alignments_to_skos_and_prov(ont: Graph) -> None:
    for name, external in REQUIRED_SUBPROPERTIES.items():
        assert (IEIC[name], RDFS.subPropertyOf, external) in ont, f"{name} ⊑ {external}"
    assert (IEIC.exactMatch, RDF.type, OWL.SymmetricProperty) in ont
    # external terms are declared (not imported) with the OWL type their use needs
    for external in REQUIRED_SUBPROPERTIES.values():
        assert set(ont.objects(external, RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}, external
    for external in REQUIRED_EXTERNAL_SUPERCLASSES.values():
        assert (external, RDF.type, OWL.Class) in ont, external


def test_class_tree_has_single_parents_and_no_cycles(ont: Graph) -> None:
    classes = declared(ont, OWL.Class)
    parents = {name: ieic_parents(ont, cls) for name, cls in classes.items()}
    several = {name: ps for name, ps in parents.items() if len(ps) > 1}
    assert several == {}, f"classes with more than one ieic superclass: {several}"
    for name in classes:
        seen, current = [name], parents[name]
        while current:
            (parent,) = current
            assert parent not in seen, f"cycle: {' ⊑ '.join([*seen, parent])}"
            seen.append(parent)
            current = parents.get(parent, [])


def test_property_hierarchy_has_no_cycles(ont: Graph) -> None:
    for prop in (*declared(ont, OWL.ObjectProperty).values(), *declared(ont, OWL.DatatypeProperty).values()):
        seen: set[object] = set()
        frontier: list[object] = [prop]
        while frontier:
            supers = {s for p in frontier for s in ont.objects(p, RDFS.subPropertyOf)}
            assert prop not in supers, f"rdfs:subPropertyOf cycle through {prop}"
            frontier = [s for s in supers if s not in seen]
            seen.update(frontier)


def test_top_level_classes_are_pairwise_disjoint(ont: Graph) -> None:
    roots = {name for name, cls in declared(ont, OWL.Class).items() if not ieic_parents(ont, cls)}
    groups = [
        {local(m) for m in Collection(ont, ont.value(axiom, OWL.members))}
        for axiom in ont.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert roots in groups, "one owl:AllDisjointClasses axiom lists exactly the top-level classes"


def test_schema_derivation_reads_the_ontology() -> None:
    """The runtime reader derives Neo4j labels, relationship types and property keys from the file."""
    from ieic_kg.ontology import Ontology

    onto = Ontology.load(ONTOLOGY_TTL)
    assert set(REQUIRED_CLASSES) <= set(onto.classes)
    assert onto.cls("Enterprise").neo4j_labels == ("Actor", "Enterprise")
    assert onto.cls("Certificate").neo4j_labels == ("Standard", "Certificate")
    assert onto.object_property("teachesSkill").rel_type == "TEACHES_SKILL"
    assert onto.object_property("broader").domain == {"Skill", "Industry", "Occupation"}
    assert onto.datatype_properties["learningOutcome"].language_tagged
    assert onto.datatype_properties["credits"].datatype == "decimal"


# ------------------------------------------------------------------------------------------------
# The shapes
# ------------------------------------------------------------------------------------------------

_NOT_CONSTRAINTS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.path,
    SH.message,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
    SH.name,
    SH.description,
    SH.severity,
    SH.deactivated,
    SH.order,
    SH.group,
}


def _shapes(shapes: Graph) -> set[URIRef | BNode]:
    return set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))


def test_shapes_are_labelled_and_speak_chinese_and_english(shapes: Graph) -> None:
    problems = []
    for shape in _shapes(shapes):
        if sorted(languages(shapes, shape, RDFS.label)) != ["en", "zh"]:
            problems.append(f"{shape}: rdfs:label needs one @zh and one @en")
        constrained = any(p not in _NOT_CONSTRAINTS for p in shapes.predicates(shape))
        if constrained and sorted(languages(shapes, shape, SH.message)) != ["en", "zh"]:
            problems.append(f"{shape}: sh:message needs one @zh and one @en")
    assert problems == []


def test_shapes_only_name_terms_of_the_ontology(ont: Graph, shapes: Graph) -> None:
    known = {s for s in ont.subjects(RDF.type, None) if local(s)}
    used = {t for triple in shapes for t in triple if local(t) is not None}
    assert used - known == set()


def test_shapes_target_the_core_classes(shapes: Graph) -> None:
    targeted = {local(c) for s in shapes.subjects(RDF.type, SH.NodeShape) for c in shapes.objects(s, SH.targetClass)}
    assert set(SHAPED_CLASSES) <= targeted
    for name in SHAPED_CLASSES:
        own = [
            s
            for s in shapes.subjects(SH.targetClass, IEIC[name])
            if set(shapes.objects(s, SH.targetClass)) == {IEIC[name]}
        ]
        assert own, f"{name} needs a node shape of its own"


def test_shapes_mirror_the_top_level_classes(ont: Graph, shapes: Graph) -> None:
    roots = {name for name, cls in declared(ont, OWL.Class).items() if not ieic_parents(ont, cls)}
    xone = shapes.value(IEICSH.SingleKindShape, SH.xone)
    kinds = {local(shapes.value(member, SH["class"])) for member in Collection(shapes, xone)}
    assert kinds == roots
    assert {local(c) for c in shapes.objects(IEICSH.SingleKindShape, SH.targetClass)} == roots
    # every entity but a load run needs a Chinese or English label
    assert {local(c) for c in shapes.objects(IEICSH.EntityShape, SH.targetClass)} == roots - {"LoadRun"}


def test_valid_community_conforms(ont: Graph, shapes: Graph) -> None:
    data = Graph().parse(FIXTURES / "valid_community.ttl", format="turtle")
    conforms, report = validate(data, shapes, ont)
    assert conforms, report.serialize(format="turtle")


#: each fault of broken_records.ttl: (focus node, path, constraint component)
EXPECTED_FAULTS = {
    (ID["course/NO-CODE"], IEIC.code, SH.MinCountConstraintComponent),
    (ID["course/NEG-CREDITS"], IEIC.credits, SH.MinInclusiveConstraintComponent),
    (ID["job-posting/TWO-DATES"], IEIC.datePosted, SH.MaxCountConstraintComponent),
    (ID["course/TEACHES-OCCUPATION"], IEIC.teachesSkill, SH.NodeConstraintComponent),
    (ID["industry/XYZ"], IEIC.code, SH.PatternConstraintComponent),
    (ID["skill/soudage"], RDFS.label, SH.QualifiedMinCountConstraintComponent),
    (ID["statement/bad-weight"], IEIC.weight, SH.MaxInclusiveConstraintComponent),
}


@pytest.fixture(scope="module")
def broken_report(ont: Graph, shapes: Graph) -> tuple[bool, Graph]:
    data = Graph().parse(FIXTURES / "broken_records.ttl", format="turtle")
    return validate(data, shapes, ont)


def test_broken_records_do_not_conform(broken_report: tuple[bool, Graph]) -> None:
    conforms, report = broken_report
    assert not conforms
    found = {
        (report.value(r, SH.focusNode), report.value(r, SH.resultPath), report.value(r, SH.sourceConstraintComponent))
        for r in results(report)
    }
    assert EXPECTED_FAULTS - found == set(), f"faults not reported: {EXPECTED_FAULTS - found}"


def test_broken_records_report_nothing_else(broken_report: tuple[bool, Graph]) -> None:
    _, report = broken_report
    expected = {(focus, path) for focus, path, _ in EXPECTED_FAULTS}
    # the occupation that a course "teaches" is inferred (rdfs:range) to be a Skill as well
    expected.add((ID["occupation/2-02-10-09"], None))
    assert violations(report) == expected


def test_broken_records_are_explained_in_chinese_and_english(broken_report: tuple[bool, Graph]) -> None:
    _, report = broken_report
    for result in results(report):
        langs = languages(report, result, SH.resultMessage)
        assert {"zh", "en"} <= set(langs), f"{report.value(result, SH.focusNode)}: messages in {langs}"


def _graph_of(kind: str, codes: Iterable[str]) -> tuple[Graph, dict[str, URIRef]]:
    g, nodes = Graph(), {}
    for i, code in enumerate(codes):
        node = ID[f"{kind.lower()}/case-{i}"]
        nodes[code] = node
        g.add((node, RDF.type, IEIC[kind]))
        g.add((node, RDFS.label, Literal(f"case {i}", lang="en")))
        g.add((node, IEIC.code, Literal(code)))
    return g, nodes


def test_occupation_codes(ont: Graph, shapes: Graph) -> None:
    good = ["6", "6-31", "6-31-01", "6-31-07-03", "2512", "2512.4", "15-1252.00"]  # CSCO, ISCO, ESCO, O*NET
    bad = ["6-31-7-03", "9-01", "6-31-01-10-01", "6-", "6-3a"]
    data, nodes = _graph_of("Occupation", good + bad)
    _, report = validate(data, shapes, ont)
    assert failing_codes(report, nodes) == set(bad)


def test_industry_codes(ont: Graph, shapes: Graph) -> None:
    good = ["C", "34", "349", "3491", "334413", "31-33"]  # GB/T 4754, NAICS
    bad = ["XYZ", "3", "34a", "c", "3491 "]
    data, nodes = _graph_of("Industry", good + bad)
    _, report = validate(data, shapes, ont)
    assert failing_codes(report, nodes) == set(bad)


def test_labels_must_be_tagged_chinese_or_english(ont: Graph, shapes: Graph) -> None:
    cases = {
        "zh-Hans": Literal("工业机器人编程", lang="zh-Hans"),
        "en-GB": Literal("Robot programming", lang="en-GB"),
        "untagged": Literal("Robot programming"),
        "de": Literal("Roboterprogrammierung", lang="de"),
    }
    data = Graph()
    for key, label in cases.items():
        data.add((ID[f"skill/{key}"], RDF.type, IEIC.Skill))
        data.add((ID[f"skill/{key}"], RDFS.label, label))
    _, report = validate(data, shapes, ont)
    failing = {focus for focus, _ in violations(report)}
    assert failing == {ID["skill/untagged"], ID["skill/de"]}


def test_qualifier_ranges(ont: Graph, shapes: Graph) -> None:
    data = Graph()
    for i, (prop, value) in enumerate(
        [
            ("weight", "0.5"),
            ("strength", "1.0"),
            ("confidence", "0"),
            ("weight", "-0.1"),
            ("strength", "1.01"),
            ("confidence", "2"),
        ]
    ):
        data.add((ID[f"statement/q{i}"], IEIC[prop], Literal(value, datatype=XSD.decimal)))
    _, report = validate(data, shapes, ont)
    assert {focus for focus, _ in violations(report)} == {ID[f"statement/q{i}"] for i in (3, 4, 5)}


# ------------------------------------------------------------------------------------------------
# Reasoning (HermiT through owlready2; needs Java)
# ------------------------------------------------------------------------------------------------


def _require_java() -> None:
    import owlready2

    if shutil.which(owlready2.JAVA_EXE) is None:
        pytest.fail(
            f"the HermiT reasoner needs Java, but {owlready2.JAVA_EXE!r} is not on PATH: "
            "install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless)",
            pytrace=False,
        )


def _to_file(source: Path, target: Path, fmt: str) -> str:
    Graph().parse(source, format="turtle").serialize(target, format=fmt, encoding="utf-8")
    return target.as_uri()


def _reason(world: Any) -> None:
    from owlready2 import sync_reasoner_hermit

    # xsd:date and rdf:langString are outside the OWL 2 datatype map, which is all HermiT supports; the
    # ontology needs both (Neo4j dates, per-language text), and no axiom depends on their values.
    sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)


def _assert_satisfiable(world: Any) -> None:
    from owlready2 import DataPropertyClass, ObjectPropertyClass, Thing

    unsatisfiable = [c.iri for c in world.inconsistent_classes()]
    assert unsatisfiable == [], f"classes equivalent to owl:Nothing: {unsatisfiable}"
    for entity in world.search(iri=f"{IEIC}*"):
        if isinstance(entity, ObjectPropertyClass | DataPropertyClass):
            assert Thing not in entity.is_a, f"{entity.iri} was re-typed as an individual by reasoning"


@pytest.mark.java
def test_ontology_and_valid_data_are_consistent_under_hermit(tmp_path: Path) -> None:
    _require_java()
    from owlready2 import OwlReadyInconsistentOntologyError, World

    world = World()
    try:
        onto = world.get_ontology(_to_file(ONTOLOGY_TTL, tmp_path / "ieic.owl", "xml")).load()
        assert onto.base_iri == f"{IEIC}"
        assert world[str(IEIC.Enterprise)] is not None
        try:
            _reason(world)
        except OwlReadyInconsistentOntologyError:
            pytest.fail("HermiT finds the ontology inconsistent", pytrace=False)
        _assert_satisfiable(world)

        world.get_ontology(_to_file(FIXTURES / "valid_community.ttl", tmp_path / "valid.nt", "nt")).load()
        course = world[str(ID["course/MR201"])]
        assert course is not None and world[str(IEIC.Course)] in course.is_a
        try:
            _reason(world)
        except OwlReadyInconsistentOntologyError:
            pytest.fail("HermiT finds valid_community.ttl inconsistent with the ontology", pytrace=False)
        _assert_satisfiable(world)
        # instances are classified through the hierarchy
        assert world[str(ID["actor/JNROBOT"])] in world[str(IEIC.Actor)].instances()
    finally:
        world.close()


@pytest.mark.java
def test_hermit_rejects_a_course_teaching_an_occupation(tmp_path: Path) -> None:
    """The disjointness axioms have teeth: rdfs:range makes the occupation a Skill, which it cannot be."""
    _require_java()
    from owlready2 import OwlReadyInconsistentOntologyError, World

    data = Graph()
    data.add((ID["course/X1"], RDF.type, IEIC.Course))
    data.add((ID["occupation/6-31-07-03"], RDF.type, IEIC.Occupation))
    data.add((ID["course/X1"], IEIC.teachesSkill, ID["occupation/6-31-07-03"]))
    data.serialize(tmp_path / "bad.nt", format="nt", encoding="utf-8")
    world = World()
    try:
        world.get_ontology(_to_file(ONTOLOGY_TTL, tmp_path / "ieic.owl", "xml")).load()
        world.get_ontology((tmp_path / "bad.nt").as_uri()).load()
        with pytest.raises(OwlReadyInconsistentOntologyError):
            _reason(world)
    finally:
        world.close()
