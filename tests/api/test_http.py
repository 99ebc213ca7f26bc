"""The API over real HTTP: uvicorn in a subprocess on a free 127.0.0.1 port, on the demo graph in Neo4j.

Two servers: the launcher ``serve_app.py`` (API keys configured) and the production factory
``uvicorn ieic_kg.api.app:app_from_environment --factory`` configured only by IEIC_* variables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.ontology import IEIC

from .conftest import COURSE_IRI, KEYS, assert_problem, auth, graph_snapshot
from .http_server import Server, free_port, server_env, start_server, stop_server

pytestmark = [pytest.mark.neo4j, pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=60) as c:
        yield c


def test_health_ready_and_openapi(http: httpx.Client) -> None:
    assert http.get("/health").json()["status"] == "up"
    ready = http.get("/ready").json()
    assert ready["status"] == "ready" and ready["stores"][0] == {**ready["stores"][0], "name": "neo4j", "state": "up"}
    spec = http.get("/openapi.json").json()
    assert "/v1/entities/search" in spec["paths"] and "/v1/cypher" in spec["paths"]
    assert "swagger" in http.get("/docs").text.lower()


def test_search_lookup_and_json_ld(http: httpx.Client) -> None:
    page = http.get("/v1/entities/search", params={"q": "焊接", "type": "Course"}).json()
    assert page["items"] and all(i["type"] == "Course" for i in page["items"])
    e = http.get("/v1/entities", params={"iri": COURSE_IRI})
    assert e.json()["code"] == "GR1001" and e.headers["content-type"] == "application/json"
    ld = http.get("/v1/entities", params={"iri": COURSE_IRI}, headers={"Accept": "application/ld+json"})
    assert ld.headers["content-type"] == "application/ld+json"
    g = Graph().parse(data=ld.text, format="json-ld")
    assert (URIRef(COURSE_IRI), RDF.type, IEIC.Course) in g


def test_alignment_and_named_queries(http: httpx.Client) -> None:
    a = http.get("/v1/alignment", params={"program": "460305", "industry": "3491"}).json()
    assert 0 < a["coverage"] < 1 and a["gaps"]
    q = http.get("/v1/queries/programs/run").json()
    assert "460305" in {r["code"] for r in q["rows"]}


def test_errors_are_problem_json(http: httpx.Client) -> None:
    assert_problem(http.get("/v1/nowhere"), 404)
    assert_problem(http.get("/v1/entities", params={"iri": "urn:none"}), 404)
    assert_problem(http.get("/v1/entities/search", params={"q": ""}), 400)


def test_cypher_needs_a_key_refuses_writes_and_times_out(
    http: httpx.Client, neo4j_driver: Any, neo4j_connection: Neo4jConnection
) -> None:
    before = graph_snapshot(neo4j_driver, neo4j_connection.database)
    assert_problem(http.post("/v1/cypher", json={"query": "RETURN 1"}), 401)
    assert_problem(http.post("/v1/cypher", json={"query": "RETURN 1"}, headers={"X-API-Key": "nope"}), 401)
    ok = http.post("/v1/cypher", json={"query": "MATCH (c:Course) RETURN count(c) AS n"}, headers=auth("reader"))
    assert ok.json()["rows"] == [{"n": sum(1 for n in before[0] if '"Course"' in n)}]
    for query in (
        "MATCH (n) DETACH DELETE n",
        "CREATE (:Entity {iri: 'urn:x'})",
        "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    ):
        assert_problem(http.post("/v1/cypher", json={"query": query}, headers=auth("admin")), 403)
    slow = {"query": "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x)", "timeout": 0.3}
    assert_problem(http.post("/v1/cypher", json=slow, headers=auth("reader")), 504)
    assert graph_snapshot(neo4j_driver, neo4j_connection.database) == before


def test_a_chunked_body_over_the_limit_is_413(http: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "RETURN 1", "parameters": {"x": "'
        for _ in range(300):
            yield b"a" * 4096
        yield b'"}}'

    r = http.post("/v1/cypher", content=chunks(), headers={**auth("reader"), "Content-Type": "application/json"})
    assert_problem(r, 413)
    small = http.post(
        "/v1/cypher",
        content=iter([b'{"query": "RETURN $x AS x", ', b'"parameters": {"x": 1}}']),
        headers={**auth("reader"), "Content-Type": "application/json"},
    )
    assert small.json()["rows"] == [{"x": 1}]


def test_concurrent_requests(server: Server) -> None:
    paths = [
        "/v1/entities/search?q=机器人",
        f"/v1/entities?iri={COURSE_IRI}",
        "/v1/alignment?program=460305&industry=3491",
        "/v1/entities/neighbours?iri=" + COURSE_IRI,
    ] * 10

    def fetch(path: str) -> int:
        with httpx.Client(base_url=server.base_url, timeout=60) as c:
            return c.get(path).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        assert set(pool.map(fetch, paths)) == {200}


def test_the_production_factory_reads_the_environment(
    demo_graph: Path, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    port = free_port()
    env = server_env(neo4j_connection, tmp_path / "data")
    args = [sys.executable, "-m", "uvicorn", "ieic_kg.api.app:app_from_environment", "--factory"]
    s = start_server([*args, "--host", "127.0.0.1", "--port", str(port)], env, tmp_path / "factory.log", port)
    try:
        with httpx.Client(base_url=s.base_url, timeout=60) as c:
            assert c.get("/ready").json()["status"] == "ready"
            assert c.get("/v1/entities/Course/GR1001").json()["iri"] == COURSE_IRI
            # no keys configured in Settings yet: Cypher is closed to everyone
            assert_problem(c.post("/v1/cypher", json={"query": "RETURN 1"}, headers=auth("admin")), 401)
    finally:
        assert stop_server(s) == 0, s.output()
    assert KEYS["admin"] not in s.output()
