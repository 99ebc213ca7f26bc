"""The rdf loader: an RDF file in the ontology's vocabulary becomes records, and goes to Neo4j and back intact."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from ieic_kg.loaders import get_loader
from ieic_kg.loaders.rdf import RdfLoader
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from ieic_kg.config import Settings
from ieic_kg.errors import SourceError
from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest
from ieic_kg.ontology import IEIC, Ontology
from ieic_kg.rdf import export_dataset
from ieic_kg.records import EdgeRecord, NodeRecord, Reject

PREFIXES = """
@prefix ieic:  <https://w3id.org/ieic-kg/ontology#> .
@prefix rdf:   <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .
@prefix owl:   <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix ex:    <https://example.org/kg/> .
"""

#: Several classes, labels in two languages, alt labels, typed literals (decimal, integer, date, anyURI,
#: language), language-tagged datatype properties, relationships with and without qualifiers, and
#: provenance from an earlier life that the loader must leave to the ingest engine.
COMMUNITY = (
    PREFIXES
    + """
ex:college a ieic:VocationalCollege , ieic:Actor , schema:Organization ;
    rdfs:label "江南智能制造职业技术学院"@zh , "Jiangnan Polytechnic"@en ;
    skos:altLabel "江南智造职院"@zh , "江南职院"@zh , "JNP"@en ;
    ieic:province "江苏省" ;
    ieic:foundedDate "2003-09-01"^^xsd:date ;
    ieic:url "https://jnp.example.edu.cn/"^^xsd:anyURI ;
    ieic:offersProgram ex:program ;
    ieic:source "legacy-register" ;
    ieic:firstSeen "2025-01-01T00:00:00Z"^^xsd:dateTime .

ex:robot-co a ieic:Enterprise ;
    rdfs:label "江南机器人装备有限公司"@zh ;
    skos:definition "A fictitious robot maker."@en ;
    ieic:inIndustry ex:ind-3491 .

ex:ind-3491 a ieic:Industry ;
    rdfs:label "工业机器人制造"@zh , "Manufacture of industrial robots"@en ;
    ieic:code "3491" .

ex:program a ieic:Program ;
    rdfs:label "工业机器人技术"@zh , "Industrial Robotics Technology"@en ;
    ieic:code "TEST-460305" ;
    ieic:durationYears 3 ;
    ieic:credits "142.5"^^xsd:decimal ;
    ieic:learningOutcome "能够完成工业机器人的编程与调试"@zh , "Programs and commissions industrial robots"@en ;
    ieic:hasCourse ex:c-prog , ex:c-elec .

ex:c-prog a ieic:Course ;
    rdfs:label "工业机器人编程"@zh , "Industrial robot programming"@en ;
    ieic:code "C1" ;
    ieic:credits "4.0"^^xsd:decimal ;
    ieic:hours 64 ;
    ieic:semester 3 ;
    ieic:courseType "professional-core" ;
    ieic:hasPrerequisite ex:c-elec ;
    ieic:teachesSkill ex:sk-prog , ex:sk-robot ;
    ieic:loadRun <https://w3id.org/ieic-kg/id/load-run/OLD> .

ex:c-elec a ieic:Course ;
    rdfs:label "电工基础"@zh ;
    ieic:code "C2" ;
    ieic:credits "3.5"^^xsd:decimal ;
    ieic:teachesSkill ex:sk-robot .

ex:sk-robot a ieic:Skill ;
    rdfs:label "工业机器人"@zh , "Industrial robotics"@en ;
    skos:altLabel "机器人技术"@zh .

ex:sk-prog a ieic:Skill ;
    rdfs:label "机器人编程"@zh , "Robot programming"@en ;
    skos:altLabel "示教编程"@zh , "机器人示教"@zh , "teach pendant programming"@en ;
    ieic:skillType "skill" ;
    ieic:broader ex:sk-robot .

ex:posting a ieic:JobPosting ;
    rdfs:label "机器人调试工程师"@zh ;
    ieic:datePosted "2025-03-01"^^xsd:date ;
    ieic:salaryMin "6000.0"^^xsd:decimal ;
    ieic:salaryMax "9000.5"^^xsd:decimal ;
    ieic:headcount 2 ;
    ieic:language "zh"^^xsd:language ;
    ieic:description "负责工业机器人现场调试。"@zh ;
    ieic:postedBy ex:robot-co ;
    ieic:requiresSkill ex:sk-prog , ex:sk-robot .

[] a rdf:Statement ;
    rdf:subject ex:c-prog ; rdf:predicate ieic:teachesSkill ; rdf:object ex:sk-prog ;
    ieic:strength "1.0"^^xsd:decimal ;
    ieic:masteryLevel "M" ;
    ieic:evidence "课程标准 2.3" ;
    ieic:source "legacy-register" ;
    ieic:lastSeen "2025-01-01T00:00:00Z"^^xsd:dateTime .

[] a rdf:Statement ;
    rdf:subject ex:c-prog ; rdf:predicate ieic:teachesSkill ; rdf:object ex:sk-robot ;
    ieic:strength "0.4"^^xsd:decimal .

[] a rdf:Statement ;
    rdf:subject ex:posting ; rdf:predicate ieic:requiresSkill ; rdf:object ex:sk-prog ;
    ieic:weight "0.8"^^xsd:decimal ;
    ieic:confidence "0.95"^^xsd:decimal ;
    ieic:method "declared" .

<https://w3id.org/ieic-kg/id/load-run/OLD> a ieic:LoadRun ;
    ieic:source "legacy-register" ;
    ieic:startedAt "2025-01-01T00:00:00Z"^^xsd:dateTime .
"""
)

PROVENANCE = {IEIC.source, IEIC.loadRun, IEIC.firstSeen, IEIC.lastSeen}


def comparable(g: Graph) -> Graph:
    """The graph with its provenance set aside: no provenance values, no load runs, no reified statement
    that only carried provenance (in Neo4j every relationship has some), statements as blank nodes (their
    IRIs are minted); and without the superclass types the mapping leaves to RDFS entailment."""
    runs = set(g.subjects(RDF.type, IEIC.LoadRun))
    kept = Graph()
    for s, p, o in g:
        if p in PROVENANCE or s in runs:
            continue
        if p == RDF.type and o in (IEIC.Actor, URIRef("https://schema.org/Organization")):
            continue
        kept.add((s, p, o))
    skeleton = {RDF.type, RDF.subject, RDF.predicate, RDF.object}
    statements = {s: BNode() for s in kept.subjects(RDF.type, RDF.Statement) if set(kept.predicates(s)) - skeleton}
    out = Graph()
    for s, p, o in kept:
        if s in statements or kept.value(s, RDF.type) != RDF.Statement:
            out.add((statements.get(s, s), p, o))
    return out


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def records(path: Path, ontology: Ontology, select: str | None = None) -> list[object]:
    return list(RdfLoader(path, ontology=ontology, select=select).records())


# ---------------------------------------------------------------- records (no store)


def test_nodes_edges_and_qualifiers_come_out_in_the_ontology_terms(tmp_path: Path, ontology: Ontology) -> None:
    loader = RdfLoader(write(tmp_path, "community.ttl", COMMUNITY), ontology=ontology)
    out = list(loader.records())
    assert loader.dataset == "community"
    assert [r for r in out if isinstance(r, Reject)] == []
    nodes = {r.iri: r for r in out if isinstance(r, NodeRecord)}
    college = nodes["https://example.org/kg/college"]
    assert college.cls == "VocationalCollege"  # the most specific class; Actor and schema:Organization entailed
    assert college.properties["altLabel_zh"] == sorted(["江南智造职院", "江南职院"])
    assert college.properties["altLabel_en"] == ["JNP"]
    assert college.properties["foundedDate"] == "2003-09-01"
    assert "source" not in college.properties and "firstSeen" not in college.properties
    program = nodes["https://example.org/kg/program"]
    assert program.properties["learningOutcome_en"] == "Programs and commissions industrial robots"
    assert program.properties["durationYears"] == "3"
    edges = {(e.source.iri, e.predicate, e.target.iri): e for e in out if isinstance(e, EdgeRecord)}
    teaches = edges[("https://example.org/kg/c-prog", "teachesSkill", "https://example.org/kg/sk-prog")]
    assert dict(teaches.properties) == {"evidence": "课程标准 2.3", "masteryLevel": "M", "strength": "1.0"}
    assert teaches.source.cls == "Course" and teaches.target.cls == "Skill"
    assert ("https://example.org/kg/c-prog", "loadRun", "https://w3id.org/ieic-kg/id/load-run/OLD") not in edges
    assert len(nodes) == 9 and len(edges) == 12
    assert loader.skipped["LoadRun"] == 1 and loader.skipped["source"] == 2


def test_what_the_ontology_does_not_know_is_rejected_with_the_triple_and_a_reason(
    tmp_path: Path, ontology: Ontology
) -> None:
    text = (
        PREFIXES
        + """
ex:a a ieic:Skill ; rdfs:label "焊接"@zh , "soudage"@fr , "no language" ;
    ex:colour "blue" ; ieic:colour "red" ; ieic:code "W1" ; ieic:broader "not an IRI" .
ex:b a ieic:Skill , ex:Widget ; rdfs:label "b"@en .
ex:c rdfs:label "untyped"@en ; ieic:code "C" .
ex:d a ieic:Skill , ieic:Course .
_:e a ieic:Skill ; rdfs:label "blank"@en .
[] a rdf:Statement ; rdf:subject ex:a ; rdf:predicate ieic:broader ; rdf:object ex:b ; ieic:weight "1.0"^^xsd:decimal .
"""
    )
    out = records(write(tmp_path, "bad.ttl", text), ontology)
    rejects = [(r.origin.pointer, r.field, r.reason) for r in out if isinstance(r, Reject)]

    def reasons(pointer: str, field: str) -> str:
        return " | ".join(r for p, f, r in rejects if p == f"<https://example.org/kg/{pointer}>" and f == field)

    assert reasons("a", "label") == (
        "rdfs:label needs a language tag @zh or @en, not @fr | rdfs:label needs a language tag @zh or @en"
    ) or reasons("a", "label") == (
        "rdfs:label needs a language tag @zh or @en | rdfs:label needs a language tag @zh or @en, not @fr"
    )
    assert "unknown property ieic:colour: the ontology does not define it" in reasons("a", "colour")
    assert "predicate <https://example.org/kg/colour> is not in the ontology" in reasons("a", "colour")
    assert "ieic:broader links two entities by IRI; here its object is not an IRI" in " ".join(r[2] for r in rejects)
    assert reasons("b", "rdf:type") == "class <https://example.org/kg/Widget> is not in the ontology"
    assert "has no rdf:type among the ontology's classes" in reasons("c", "rdf:type")
    assert reasons("d", "rdf:type") == "several unrelated classes: Course, Skill"
    assert any("needs an IRI, not a blank node" in r for _, _, r in rejects)
    assert any("which the file does not assert" in r for _, _, r in rejects)
    assert len(rejects) == 10
    colour = next(r for r in out if isinstance(r, Reject) and r.field == "colour" and "ieic:colour" in r.reason)
    assert colour.record["triple"] == '<https://example.org/kg/a> <https://w3id.org/ieic-kg/ontology#colour> "red"'
    good = [r for r in out if isinstance(r, NodeRecord)]
    assert [(n.iri, dict(n.properties)) for n in good if (n.iri or "").endswith("/a")] == [
        ("https://example.org/kg/a", {"code": "W1", "label_zh": "焊接"})
    ]


def test_formats_by_extension_gzip_and_dataset_selection(tmp_path: Path, ontology: Ontology) -> None:
    g = Graph()
    g.parse(data=COMMUNITY, format="turtle")
    (tmp_path / "c.nt.gz").write_bytes(gzip.compress(g.serialize(format="nt").encode()))
    (tmp_path / "c.jsonld").write_text(g.serialize(format="json-ld"), encoding="utf-8")
    (tmp_path / "c.rdf").write_text(g.serialize(format="xml"), encoding="utf-8")
    counts = {
        name: sum(isinstance(r, NodeRecord) for r in records(tmp_path / name, ontology))
        for name in ("c.nt.gz", "c.jsonld", "c.rdf")
    }
    assert counts == {"c.nt.gz": 9, "c.jsonld": 9, "c.rdf": 9}
    with pytest.raises(SourceError, match="cannot tell the RDF format"):
        records(write(tmp_path, "c.txt", ""), ontology)
    with pytest.raises(SourceError, match="not valid turtle"):
        records(write(tmp_path, "broken.ttl", "ex:a a ."), ontology)

    # a triple-format file: ieic:source selects the nodes and statements of one dataset
    selected = records(tmp_path / "c.nt.gz", ontology, select="legacy-register")
    assert {r.iri for r in selected if isinstance(r, NodeRecord)} == {"https://example.org/kg/college"}
    assert [(e.source.iri, e.target.iri) for e in selected if isinstance(e, EdgeRecord)] == [
        ("https://example.org/kg/c-prog", "https://example.org/kg/sk-prog")
    ]
    # a quad file: the dataset's named graph selects
    nq = (
        "<https://example.org/kg/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/ieic-kg/ontology#Skill> <https://w3id.org/ieic-kg/graph/alpha> .\n"
        "<https://example.org/kg/y> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/ieic-kg/ontology#Skill> <https://w3id.org/ieic-kg/graph/beta> .\n"
    )
    path = write(tmp_path, "two.nq", nq)
    loader = get_loader("rdf", path, table="beta")
    assert isinstance(loader, RdfLoader)
    assert loader.dataset == "beta" and loader.datasets() == ["alpha", "beta"]
    assert [r.iri for r in loader.records() if isinstance(r, NodeRecord)] == ["https://example.org/kg/y"]
    assert get_loader("rdf", path).dataset == "two"
    with pytest.raises(SourceError, match="no --mapping"):
        get_loader("rdf", path, mapping=path)


# ---------------------------------------------------------------- through Neo4j and back


@pytest.mark.neo4j
def test_round_trip_rdf_to_neo4j_to_rdf_is_isomorphic(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    path = write(tmp_path, "community.ttl", COMMUNITY)
    report = Ingest(test_settings, ontology, graph_store).run(get_loader("rdf", path))
    assert report.status == "completed", report.rejects
    assert report.totals().created == 21

    prog = graph_store.read("MATCH (c:Course {code: 'C1'}) RETURN c")[0]["c"]
    assert prog["credits"] == 4.0 and prog["hours"] == 64 and prog["source"] == ["community"]
    assert prog["loadRun"] == report.run_iri  # the provenance of this load, not the file's
    skill = graph_store.read("MATCH (s:Skill {label_en: 'Robot programming'}) RETURN s.altLabel_zh AS alt")[0]
    assert sorted(skill["alt"]) == ["机器人示教", "示教编程"]

    back = export_dataset(graph_store, ontology, test_settings.id_base, "community").graph
    original = Graph().parse(data=COMMUNITY, format="turtle")
    a, b = comparable(original), comparable(back)
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
        pytest.fail(f"only in the file: {sorted(only_a)}\nonly after the round trip: {sorted(only_b)}")
    # and the provenance is the new load's
    assert (None, IEIC.source, Literal("community")) in back
    assert (None, IEIC.source, Literal("legacy-register")) not in back
