"""Read-only Cypher: writes refused before they run and by READ mode, timeouts explicit, rows capped."""

from __future__ import annotations

import time
from typing import Any

import pytest
from ieic_kg.api import cypher as cypher_module
from ieic_kg.api.errors import WriteRefused

from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import Neo4jConnection

from .conftest import COURSE_IRI, AppFactory, Client, assert_problem, auth, key_settings
from .test_units import WRITES

pytestmark = pytest.mark.neo4j

SLOW = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x) AS n"


def run(client: Client, query: str, role: str = "reader", **body: Any) -> Any:
    return client.post("/v1/cypher", json={"query": query, **body}, headers=auth(role))


@pytest.mark.parametrize("query", WRITES)
def test_writes_are_refused_and_nothing_changes(client: Client, unchanged_graph: None, query: str) -> None:
    body = assert_problem(run(client, query, role="admin"), 403, title="Write refused")
    assert "not allowed" in body["detail"]


def test_read_mode_refuses_a_write_the_keyword_check_missed(
    make_client: AppFactory, unchanged_graph: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Take the first guard away: Neo4j's READ access mode alone must still refuse the write.
    monkeypatch.setattr("ieic_kg.api.routers.cypher.check_read_only", lambda query: None)
    with make_client() as c:
        for query in (
            "CREATE (n:Entity:Skill {iri: 'urn:pwned'}) RETURN n",
            "MATCH (n:Course) SET n.label_en = 'x'",
            "MATCH (n:Skill) DETACH DELETE n",
            "CALL db.createLabel('Pwned')",
        ):
            body = assert_problem(run(c, query, role="admin"), 403, title="Write refused")
            assert "read" in body["detail"].lower()


def test_run_read_uses_a_read_transaction(
    demo_graph: Any, neo4j_connection: Neo4jConnection, unchanged_graph: None
) -> None:
    with GraphStore(neo4j_connection) as store, pytest.raises(WriteRefused, match="read-only transaction"):
        cypher_module.run_read(store, "MERGE (n:Entity {iri: 'urn:x'}) RETURN n", {}, timeout=5, max_rows=10)


def test_a_slow_query_is_stopped_with_an_explicit_timeout(client: Client) -> None:
    started = time.monotonic()
    r = run(client, SLOW, timeout=0.3)
    elapsed = time.monotonic() - started
    body = assert_problem(r, 504, title="Query timed out")
    assert "0.3s" in body["detail"] and "rows" not in r.json()
    assert elapsed < 20


def test_the_timeout_cannot_exceed_the_configured_one(make_client: AppFactory) -> None:
    with make_client(key_settings(api_cypher_timeout=0.3)) as c:
        body = assert_problem(run(c, SLOW, timeout=600), 504)
        assert "0.3s" in body["detail"]


def test_rows_are_capped_and_say_so(make_client: AppFactory) -> None:
    with make_client(key_settings(api_row_cap=100)) as c:
        capped = run(c, "UNWIND range(1, 5000) AS x RETURN x").json()
        assert capped["rowCount"] == 100 and capped["truncated"] is True and capped["rows"][-1] == {"x": 100}
        limited = run(c, "UNWIND range(1, 5000) AS x RETURN x", limit=7).json()
        assert limited["rowCount"] == 7 and limited["truncated"] is True
        above = run(c, "UNWIND range(1, 5000) AS x RETURN x", limit=100_000).json()
        assert above["rowCount"] == 100
        whole = run(c, "UNWIND range(1, 5) AS x RETURN x").json()
        assert whole["rowCount"] == 5 and whole["truncated"] is False


def test_parameters_are_bound_never_spliced(client: Client, unchanged_graph: None) -> None:
    q = "MATCH (c:Course) WHERE c.code = $code RETURN c.iri AS iri"
    assert run(client, q, parameters={"code": "GR1001"}).json()["rows"] == [{"iri": COURSE_IRI}]
    for evil in ("GR1001' OR 1=1 //", "x'}) DETACH DELETE c //", '" OR true RETURN 1 //'):
        r = run(client, q, parameters={"code": evil})
        assert r.status_code == 200 and r.json()["rows"] == []
    lists = run(
        client, "MATCH (c:Course) WHERE c.code IN $codes RETURN count(c) AS n", parameters={"codes": ["GR1001"]}
    )
    assert lists.json()["rows"] == [{"n": 1}]


def test_bad_requests_are_400s(client: Client) -> None:
    assert_problem(run(client, "MATCH (n RETURN n"), 400, title="Query failed")
    assert_problem(run(client, "MATCH (n) WHERE n.code = $missing RETURN n"), 400)
    assert_problem(run(client, "RETURN $a", parameters={"a b": 1}), 400)
    assert_problem(run(client, "RETURN 1", unknown_field=True), 400)
    assert_problem(run(client, ""), 400)
    assert_problem(
        client.post("/v1/cypher", json={"query": "RETURN 1", "parameters": [1]}, headers=auth("reader")), 400
    )


def test_results_as_a_graph(client: Client) -> None:
    r = run(
        client,
        "MATCH p = (c:Course {code: 'GR1001'})-[:TEACHES_SKILL]->(s:Skill) RETURN p",
        format="graph",
    ).json()
    graph = r["graph"]
    assert r["rows"] is None and r["rowCount"] == len(graph["relationships"]) > 0
    ids = {n["id"] for n in graph["nodes"]}
    assert all(
        rel["start"] in ids and rel["end"] in ids and rel["type"] == "TEACHES_SKILL" for rel in graph["relationships"]
    )
    course = [n for n in graph["nodes"] if n["iri"] == COURSE_IRI]
    assert len(course) == 1 and course[0]["labels"] == ["Course", "Entity"]  # each node once


def test_results_as_rows_carry_nodes_and_temporal_values_as_json(client: Client) -> None:
    rows = run(
        client, "MATCH (c:Course {code: 'GR1001'}) RETURN c, c.firstSeen AS seen, date('2025-01-02') AS d"
    ).json()
    row = rows["rows"][0]
    assert row["c"]["properties"]["iri"] == COURSE_IRI and "Course" in row["c"]["labels"]
    assert row["d"] == "2025-01-02" and row["seen"].startswith("20")
