"""Entities: search, lookup, neighbours, pagination and JSON-LD, checked against the graph itself."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.ontology import IEIC, Ontology
from ieic_kg.rdf import RdfMapping

from .conftest import COURSE_IRI, Client, assert_problem

pytestmark = [pytest.mark.neo4j, pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

JSONLD = {"Accept": "application/ld+json"}
ID_BASE = "https://w3id.org/ieic-kg/id/"


@pytest.fixture(scope="module")
def store(demo_graph: Any, neo4j_connection: Neo4jConnection) -> Any:
    with GraphStore(neo4j_connection) as s:
        yield s


def all_pages(client: Client, url: str, params: dict[str, Any], limit: int) -> tuple[list[dict[str, Any]], int]:
    """Every item of a paginated route, following nextOffset; and the total it reports."""
    items: list[dict[str, Any]] = []
    offset, total = 0, None
    for _ in range(1000):  # bounded
        page = client.get(url, params={**params, "limit": limit, "offset": offset}).json()
        assert total is None or page["total"] == total
        total = page["total"]
        assert len(page["items"]) <= limit
        items += page["items"]
        if page["nextOffset"] is None:
            break
        assert page["nextOffset"] == offset + limit
        offset = page["nextOffset"]
    assert total is not None
    return items, total


# -- search -------------------------------------------------------------------------------------------------


def test_search_finds_chinese_labels_best_first(client: Client) -> None:
    page = client.get("/v1/entities/search", params={"q": "焊接机器人", "limit": 100}).json()
    assert page["total"] == len(page["items"]) >= 4
    assert all("焊接机器人" in i["label"]["zh"] for i in page["items"][:4])  # whole matches first
    bigrams = ("焊接", "接机", "机器", "器人")  # the CJK analyzer matches character pairs
    for hit in page["items"]:
        e = client.get("/v1/entities", params={"iri": hit["iri"]}).json()
        texts = [e["label"]["zh"] or "", *e["altLabel"]["zh"]]
        assert any(b in t for b in bigrams for t in texts), e["label"]
    scores = [i["score"] for i in page["items"]]
    assert scores == sorted(scores, reverse=True)


def test_search_finds_english_labels_alt_labels_and_prefixes(client: Client) -> None:
    hits = client.get("/v1/entities/search", params={"q": "python", "type": "Skill"}).json()["items"]
    assert {"Python programming", "Python (computer programming)"} <= {h["label"]["en"] for h in hits}
    prefix = client.get("/v1/entities/search", params={"q": "pyth", "type": "Skill"}).json()["items"]
    assert {h["iri"] for h in prefix} == {h["iri"] for h in hits}
    alt = client.get("/v1/entities/search", params={"q": "Py3K"}).json()["items"]  # an ESCO alternative label
    assert alt and alt[0]["label"]["en"] == "Python (computer programming)"


def test_search_filters_by_type_including_subtypes(client: Client, store: GraphStore) -> None:
    actors, total = all_pages(client, "/v1/entities/search", {"q": "有限公司 学院 协会 股份", "type": "Actor"}, 7)
    assert total == len(actors) and actors
    assert {a["type"] for a in actors} <= {
        "Enterprise",
        "VocationalCollege",
        "IndustryAssociation",
        "Community",
        "GovernmentAgency",
        "ResearchInstitution",
    }
    assert all("Actor" in a["types"] for a in actors)
    assert {a["type"] for a in actors} >= {"Enterprise", "VocationalCollege"}


def test_search_pages_cover_every_hit_once(client: Client) -> None:
    whole = client.get("/v1/entities/search", params={"q": "机器人", "limit": 100}).json()
    assert whole["total"] > 10
    paged, total = all_pages(client, "/v1/entities/search", {"q": "机器人"}, 4)
    assert total == whole["total"] == len(paged)
    assert [p["iri"] for p in paged] == [w["iri"] for w in whole["items"]]
    past = client.get("/v1/entities/search", params={"q": "机器人", "offset": total + 5}).json()
    assert past["items"] == [] and past["total"] == total and past["nextOffset"] is None


def test_search_rejects_an_unknown_type_listing_the_types(client: Client) -> None:
    body = assert_problem(client.get("/v1/entities/search", params={"q": "x", "type": "Robot"}), 400)
    assert "Skill" in body["hint"] and "VocationalCollege" in body["hint"]
    assert_problem(client.get("/v1/entities/search", params={"q": "x", "type": "LoadRun"}), 400)


# -- lookup ---------------------------------------------------------------------------------------------------


def test_an_entity_by_iri_has_its_labels_properties_and_provenance(client: Client, store: GraphStore) -> None:
    r = client.get("/v1/entities", params={"iri": COURSE_IRI})
    assert r.status_code == 200 and r.headers["vary"] == "Accept"
    e = r.json()
    node = store.read("MATCH (n {iri: $iri}) RETURN properties(n) AS p", {"iri": COURSE_IRI})[0]["p"]
    assert e["type"] == "Course" and e["code"] == node["code"] == "GR1001"
    assert e["label"] == {"zh": node["label_zh"], "en": node["label_en"]}
    assert e["properties"]["credits"] == node["credits"] and e["properties"]["hours"] == node["hours"]
    assert e["properties"]["learningOutcome"] == {"zh": node["learningOutcome_zh"], "en": node["learningOutcome_en"]}
    assert e["properties"]["description"] == {"zh": node["description_zh"]}
    assert e["provenance"]["sources"] == node["source"] and e["provenance"]["loadRun"] == node["loadRun"]
    assert e["provenance"]["firstSeen"].startswith(node["firstSeen"].iso_format()[:19])
    assert not {"label_zh", "source", "iri", "code", "loadRun"} & e["properties"].keys()


def test_an_esco_skill_keeps_its_published_iri_and_alt_labels(client: Client) -> None:
    hit = client.get("/v1/entities/search", params={"q": "Py3K"}).json()["items"][0]
    e = client.get("/v1/entities", params={"iri": hit["iri"]}).json()
    assert e["iri"].startswith("http://data.europa.eu/esco/skill/")
    assert "Py3K" in e["altLabel"]["en"] and e["code"] is None and e["definition"]["en"]


def test_an_enterprise_has_its_class_and_superclass(client: Client) -> None:
    hit = client.get("/v1/entities/search", params={"q": "有限公司", "type": "Enterprise", "limit": 1}).json()
    e = client.get("/v1/entities", params={"iri": hit["items"][0]["iri"]}).json()
    assert e["type"] == "Enterprise" and e["types"] == ["Actor", "Enterprise"]


def test_an_entity_by_type_and_code(client: Client) -> None:
    by_code = client.get("/v1/entities/Course/GR1001").json()
    assert by_code == client.get("/v1/entities", params={"iri": COURSE_IRI}).json()
    program = client.get("/v1/entities/Program/460305").json()
    assert program["label"]["zh"] == "工业机器人技术"
    assert_problem(client.get("/v1/entities/Skill/GR1001"), 404)  # a course's code is not a skill's
    assert_problem(client.get("/v1/entities/Course/GR9999"), 404)


def test_a_code_shared_by_two_entities_is_409_naming_their_iris(client: Client, store: GraphStore) -> None:
    twin = "https://w3id.org/ieic-kg/id/course/TEST:GR1001"
    store.execute("CREATE (:Entity:Course {iri: $iri, code: 'GR1001', label_en: 'twin'})", {"iri": twin})
    try:
        body = assert_problem(client.get("/v1/entities/Course/GR1001"), 409, title="Ambiguous")
        assert twin in body["hint"] and COURSE_IRI in body["hint"]
    finally:
        store.execute("MATCH (n:Course {iri: $iri}) DELETE n", {"iri": twin})


# -- neighbours ----------------------------------------------------------------------------------------------


def test_neighbours_match_the_graph(client: Client, store: GraphStore) -> None:
    items, total = all_pages(client, "/v1/entities/neighbours", {"iri": COURSE_IRI}, 3)
    rows = store.read(
        "MATCH (n {iri: $iri})-[r]-(m:Entity) "
        "RETURN type(r) AS t, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS d, m.iri AS m",
        {"iri": COURSE_IRI},
    )
    assert total == len(rows) == len(items)
    assert Counter((i["relationship"]["type"], i["relationship"]["direction"], i["node"]["iri"]) for i in items) == (
        Counter((r["t"], r["d"], r["m"]) for r in rows)
    )
    teaches = [i for i in items if i["relationship"]["type"] == "TEACHES_SKILL"]
    assert teaches and all(i["relationship"]["properties"]["strength"] in (0.4, 0.7, 1.0) for i in teaches)
    assert teaches[0]["relationship"]["label"]["en"] == "teaches skill"


def test_neighbours_filter_by_relationship_direction_and_type(client: Client) -> None:
    page = client.get(
        "/v1/entities/neighbours",
        params={"iri": COURSE_IRI, "rel": ["TEACHES_SKILL", "HAS_PREREQUISITE"], "direction": "out"},
    ).json()
    assert page["items"] and {i["relationship"]["type"] for i in page["items"]} <= {"TEACHES_SKILL", "HAS_PREREQUISITE"}
    assert all(i["relationship"]["direction"] == "out" for i in page["items"])
    incoming = client.get("/v1/entities/neighbours", params={"iri": COURSE_IRI, "direction": "in"}).json()
    assert {i["relationship"]["type"] for i in incoming["items"]} >= {"HAS_COURSE"}
    programs = client.get("/v1/entities/neighbours", params={"iri": COURSE_IRI, "type": "Program"}).json()
    assert programs["items"] and all(i["node"]["type"] == "Program" for i in programs["items"])


def test_an_unknown_relationship_type_is_refused_listing_the_valid_ones(client: Client) -> None:
    body = assert_problem(client.get("/v1/entities/neighbours", params={"iri": COURSE_IRI, "rel": "teachesSkill"}), 400)
    assert "TEACHES_SKILL" in body["hint"]


# -- JSON-LD --------------------------------------------------------------------------------------------------


def test_json_ld_of_an_entity_is_its_rdf_view(client: Client, store: GraphStore, ontology: Ontology) -> None:
    r = client.get("/v1/entities", params={"iri": COURSE_IRI}, headers=JSONLD)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    assert r.headers["vary"] == "Accept"
    doc = r.json()
    assert doc["@id"] == COURSE_IRI and doc["@type"] == "Course" and doc["label"]["zh"] == "劳动教育与职业素养"
    parsed = Graph().parse(data=r.text, format="json-ld")
    row = store.read("MATCH (n {iri: $iri}) RETURN labels(n) AS l, properties(n) AS p", {"iri": COURSE_IRI})[0]
    expected = Graph()
    for t in RdfMapping(ontology, ID_BASE).node_triples(COURSE_IRI, row["l"], row["p"], Counter()):
        expected.add(t)
    assert isomorphic(parsed, expected)
    assert (URIRef(COURSE_IRI), RDF.type, IEIC.Course) in parsed
    assert (URIRef(COURSE_IRI), RDFS.label, Literal("劳动教育与职业素养", lang="zh")) in parsed


def test_json_ld_carries_only_the_context_it_uses(client: Client) -> None:
    doc = client.get("/v1/entities", params={"iri": COURSE_IRI}, headers=JSONLD).json()
    full = client.get("/v1/context.jsonld").json()["@context"]
    assert set(doc["@context"]) < set(full)
    assert "Enterprise" not in doc["@context"] and "Course" in doc["@context"]


def test_json_ld_of_neighbours_has_the_relationships_and_their_qualifiers(client: Client) -> None:
    r = client.get("/v1/entities/neighbours", params={"iri": COURSE_IRI, "rel": "TEACHES_SKILL"}, headers=JSONLD)
    g = Graph().parse(data=r.text, format="json-ld")
    json_page = client.get("/v1/entities/neighbours", params={"iri": COURSE_IRI, "rel": "TEACHES_SKILL"}).json()
    skills = {URIRef(i["node"]["iri"]) for i in json_page["items"]}
    assert set(g.objects(URIRef(COURSE_IRI), IEIC.teachesSkill)) == skills
    statements = set(g.subjects(RDF.predicate, IEIC.teachesSkill))
    assert len(statements) == len(skills)
    assert {float(str(v)) for s in statements for v in g.objects(s, IEIC.strength)} <= {0.4, 0.7, 1.0}


def test_json_is_the_default_and_other_types_are_406(client: Client) -> None:
    for accept in (None, "*/*", "application/json", "text/html,*/*;q=0.8"):
        headers = {"Accept": accept} if accept else {}
        r = client.get("/v1/entities", params={"iri": COURSE_IRI}, headers=headers)
        assert r.headers["content-type"].startswith("application/json"), accept
    body = assert_problem(
        client.get("/v1/entities", params={"iri": COURSE_IRI}, headers={"Accept": "text/turtle"}), 406
    )
    assert "application/ld+json" in body["hint"]
    r = client.get("/v1/entities/Course/GR1001", headers={"Accept": "application/json;q=0.1, application/ld+json"})
    assert json.loads(r.text)["@id"] == COURSE_IRI


def test_types_and_relations_come_from_the_ontology(client: Client, ontology: Ontology) -> None:
    types = {t["name"]: t for t in client.get("/v1/types").json()}
    assert set(types) == set(ontology.classes) - {"LoadRun"}
    assert types["VocationalCollege"]["label"] == {"zh": "职业院校", "en": "Vocational college"}
    assert types["VocationalCollege"]["ancestors"] == ["Actor"]
    rels = {r["type"]: r for r in client.get("/v1/relations").json()}
    assert set(rels) == set(ontology.rel_types)
    assert rels["TEACHES_SKILL"]["domain"] == ["Course"] and rels["TEACHES_SKILL"]["range"] == ["Skill"]
