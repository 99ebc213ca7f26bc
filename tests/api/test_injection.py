"""Hostile input in every parameter that reaches a query is harmless: no 5xx, no match-all, nothing written.

Cypher fragments, label tricks, odd IRIs and Lucene syntax go into each parameter in turn; every request
must end in a normal answer (200 with what the text literally matches, or 400/404), and the graph must be
exactly as before (``unchanged_graph`` compares every node, relationship and property).
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from .conftest import COURSE_IRI, Client, auth

pytestmark = pytest.mark.neo4j

CYPHER = [
    "' OR 1=1 //",
    "x'}) DETACH DELETE n //",
    '") MATCH (n) DETACH DELETE n //',
    "`) DETACH DELETE n //",
    "GR1001' WITH n MATCH (m) DETACH DELETE m //",
    "1; MATCH (n) DETACH DELETE n",
    "$iri",
    "{iri: 'x'}",
    "\\' OR true //",
    "] DETACH DELETE n //",
]
LABELS = ["Skill`) DETACH DELETE n //", "Skill:Course", "Skill|Course", "Entity", "LoadRun", "skill", "Skill OR 1=1"]
IRIS = [
    f"{COURSE_IRI}' OR '1'='1",
    f"{COURSE_IRI} ",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "https://w3id.org/ieic-kg/id/%00",
    "🙂",
    "a" * 2048,
]
#: Lucene syntax with no word in it, and field or range queries: escaped, they match no label at all.
LUCENE = ["*", "*:*", "?", "label_zh:*", "iri:*", "label_en:[a TO z]", "/.*/", "a*", '"', "(", ")", "{", "]"]
LUCENE_MORE = ["AND", "OR NOT", "\\", "&&", "||", "+-!", "^2", "~", "NOT *", "* OR *", "\u0000"]
#: Lucene operators on a real word: they must not widen the match beyond the word itself.
LUCENE_ON_WORDS = {
    "robot~": "robot",
    "robot~0.1": "robot",
    "robot^100 OR *": "robot",
    "(robot)": "robot",
    "robo?": "robo",
}
EVERYTHING = CYPHER + LABELS + IRIS + LUCENE + LUCENE_MORE
OK = {200, 400, 404}


def no_server_error(r: httpx.Response) -> None:
    if r.status_code == 307:  # Starlette's trailing-slash redirect, for a value that decodes to "/": same host
        assert r.headers["location"].startswith("http://testserver/"), r.headers
        return
    assert r.status_code in OK, (r.status_code, r.text)


@pytest.mark.parametrize("text", LUCENE + LUCENE_MORE)
def test_lucene_syntax_in_search_text_matches_nothing(client: Client, unchanged_graph: None, text: str) -> None:
    r = client.get("/v1/entities/search", params={"q": text})
    no_server_error(r)
    if r.status_code == 200:
        # unescaped, a wildcard, field or range query would match (nearly) every entity
        assert r.json()["total"] == 0, (text, r.json()["items"][:3])


@pytest.mark.parametrize(("text", "word"), LUCENE_ON_WORDS.items())
def test_lucene_operators_do_not_widen_a_search(client: Client, text: str, word: str) -> None:
    hostile = client.get("/v1/entities/search", params={"q": text, "limit": 100}).json()
    plain = client.get("/v1/entities/search", params={"q": word, "limit": 100}).json()
    assert {h["iri"] for h in hostile["items"]} <= {h["iri"] for h in plain["items"]}, text


def test_the_control_words_do_match(client: Client) -> None:
    assert client.get("/v1/entities/search", params={"q": "robot"}).json()["total"] > 0


@pytest.mark.parametrize("text", CYPHER + LABELS)
def test_search_text_with_cypher_is_harmless(client: Client, unchanged_graph: None, text: str) -> None:
    no_server_error(client.get("/v1/entities/search", params={"q": text}))


@pytest.mark.parametrize("value", LABELS + CYPHER)
def test_type_filters_accept_only_ontology_types(client: Client, unchanged_graph: None, value: str) -> None:
    for r in (
        client.get("/v1/entities/search", params={"q": "robot", "type": value}),
        client.get("/v1/entities/neighbours", params={"iri": COURSE_IRI, "type": value}),
        client.get(f"/v1/entities/{quote(value, safe='')}/GR1001"),
    ):
        no_server_error(r)
        if value != "Entity":
            assert r.status_code in (400, 404), (value, r.text)


@pytest.mark.parametrize("value", [*LABELS, *CYPHER, "TEACHES_SKILL]-(m) DETACH DELETE m //", "teaches_skill"])
def test_relationship_filters_accept_only_ontology_relations(client: Client, unchanged_graph: None, value: str) -> None:
    r = client.get("/v1/entities/neighbours", params={"iri": COURSE_IRI, "rel": value})
    assert r.status_code == 400, r.text


@pytest.mark.parametrize("value", IRIS + CYPHER + LUCENE)
def test_iri_parameters_are_looked_up_literally(client: Client, unchanged_graph: None, value: str) -> None:
    for r in (
        client.get("/v1/entities", params={"iri": value}),
        client.get("/v1/entities", params={"iri": value}, headers={"Accept": "application/ld+json"}),
        client.get("/v1/entities/neighbours", params={"iri": value}),
        client.get("/v1/provenance", params={"iri": value}),
    ):
        no_server_error(r)
        assert r.status_code in (400, 404), (value, r.status_code)


@pytest.mark.parametrize("value", CYPHER + IRIS[:5] + LUCENE[:6])
def test_codes_program_and_industry_are_bound_values(client: Client, unchanged_graph: None, value: str) -> None:
    responses = [
        client.get(f"/v1/entities/Course/{quote(value, safe='')}"),
        client.get("/v1/alignment", params={"program": value, "industry": "3491"}),
        client.get("/v1/alignment", params={"program": "460305", "industry": value}),
        client.get("/v1/alignment/paths", params={"program": value, "industry": value}),
        client.get("/v1/alignment", params={"program": "460305", "occupation": value}),
        client.get("/v1/alignment/standard", params={"program": "460305", "standard": value}),
        client.get("/v1/alignment/trends", params={"industry": value}),
        client.get("/v1/alignment/partners", params={"program": value, "industry": "3491"}),
        client.get("/v1/alignment/matrix", params={"program": "460305", "occupation": value}),
        client.get("/v1/alignment/coverage", params={"program": "460305", "occupation": value}),
        client.get("/v1/queries/alignment_paths/run", params={"program": value, "industry": "3491"}),
        client.post("/v1/queries/gap_partners/run", json={"parameters": {"skills": [value]}}),
        client.get("/v1/loads", params={"dataset": value, "status": value}),
        client.get(f"/v1/loads/{quote(value, safe='')}"),
    ]
    for r in responses:
        no_server_error(r)
        if r.status_code in (307, 400, 404):
            continue
        body = r.json()
        assert (
            body.get("paths") == [] or body.get("rows") == [] or (body.get("items") == [] and body.get("total") == 0)
        ), (value, r.url, body)


@pytest.mark.parametrize("value", EVERYTHING)
def test_named_query_names_are_not_paths_or_code(client: Client, unchanged_graph: None, value: str) -> None:
    r = client.get(f"/v1/queries/{quote(value, safe='')}/run")
    assert r.status_code in (400, 404), (value, r.text)


@pytest.mark.parametrize("value", EVERYTHING)
def test_cypher_parameters_are_values_not_code(client: Client, unchanged_graph: None, value: str) -> None:
    r = client.post(
        "/v1/cypher",
        json={
            "query": "MATCH (n:Entity) WHERE n.iri = $v OR n.code = $v RETURN n.iri AS iri",
            "parameters": {"v": value},
        },
        headers=auth("admin"),
    )
    assert r.status_code == 200 and r.json()["rows"] == [], (value, r.text)
