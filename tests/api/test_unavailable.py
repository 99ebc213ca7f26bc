"""When Neo4j is down — at start or later — the app stays up and Neo4j routes answer 503 with the reason."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from fastapi import FastAPI

from ieic_kg.neo4j_server import Neo4jConnection

from .conftest import COURSE_IRI, AppFactory, Client, assert_problem, auth, settings_for
from .tcp_proxy import TcpProxy

pytestmark = pytest.mark.neo4j


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fast_retry(app: FastAPI) -> None:
    app.state.ieic.neo4j.retry_interval = 0.2


@pytest.fixture
def down(make_client: AppFactory, neo4j_connection: Neo4jConnection, tmp_path: Path) -> Iterator[tuple[Client, int]]:
    port = closed_port()
    conn = Neo4jConnection(f"bolt://127.0.0.1:{port}", "neo4j", "whatever-password", "neo4j")
    with make_client(settings=settings_for(conn, tmp_path)) as c:
        yield c, port


def test_the_app_starts_and_says_it_is_up_but_not_ready(down: tuple[Client, int]) -> None:
    c, port = down
    assert c.get("/health").json()["status"] == "up"
    r = c.get("/ready")
    assert r.status_code == 503
    report = r.json()
    assert report["status"] == "not-ready"
    neo4j = next(s for s in report["stores"] if s["name"] == "neo4j")
    assert neo4j["state"] == "down" and f"127.0.0.1:{port}" in neo4j["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/entities/search?q=robot",
        f"/v1/entities?iri={COURSE_IRI}",
        "/v1/entities/Course/GR1001",
        "/v1/alignment?program=460305&industry=3491",
        "/v1/queries/programs/run",
        f"/v1/provenance?iri={COURSE_IRI}",
        "/v1/loads",
    ],
)
def test_neo4j_routes_answer_503_with_the_reason(down: tuple[Client, int], path: str) -> None:
    c, _ = down
    body = assert_problem(c.get(path), 503, title="Store unavailable")
    assert body["detail"].startswith("Neo4j is not available: cannot reach Neo4j at bolt://127.0.0.1:")
    assert "retries every" in body["hint"]


def test_the_other_routes_still_work(down: tuple[Client, int]) -> None:
    c, _ = down
    for path in ("/v1/types", "/v1/relations", "/v1/queries", "/v1/context.jsonld", "/openapi.json", "/docs"):
        assert c.get(path).status_code == 200, path
    # access control comes before the store: no key is still 401, a key gets the 503
    assert_problem(c.post("/v1/cypher", json={"query": "RETURN 1"}), 401)
    assert_problem(c.post("/v1/cypher", json={"query": "RETURN 1"}, headers=auth("reader")), 503)


def test_the_app_connects_once_neo4j_answers(
    make_client: AppFactory, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    target = urlparse(neo4j_connection.uri)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 7687)
    conn = Neo4jConnection(
        f"bolt://127.0.0.1:{proxy.port}", neo4j_connection.user, neo4j_connection.password, neo4j_connection.database
    )
    with make_client(settings=settings_for(conn, tmp_path), prepare=fast_retry) as c:
        assert_problem(c.get("/v1/entities/Course/GR1001"), 503)
        proxy.start()
        try:
            time.sleep(0.3)
            assert c.get("/v1/entities/Course/GR1001").status_code == 200
            assert c.get("/ready").status_code == 200
        finally:
            proxy.stop()


def test_neo4j_going_away_later_is_503_and_coming_back_recovers(
    make_client: AppFactory, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    target = urlparse(neo4j_connection.uri)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 7687)
    proxy.start()
    conn = Neo4jConnection(
        f"bolt://127.0.0.1:{proxy.port}", neo4j_connection.user, neo4j_connection.password, neo4j_connection.database
    )
    try:
        with make_client(settings=settings_for(conn, tmp_path), prepare=fast_retry) as c:
            assert c.get("/v1/entities/Course/GR1001").status_code == 200
            proxy.stop()
            # the first request waits for the driver's own retries (GraphStore's driver: 30 s), then 503
            started = time.monotonic()
            body: dict[str, Any] = assert_problem(c.get("/v1/entities/Course/GR1001"), 503, title="Store unavailable")
            assert "Neo4j" in body["detail"] and time.monotonic() - started < 120  # bounded, even on a busy machine
            # the next ones answer at once while Neo4j stays away
            for _ in range(3):
                started = time.monotonic()
                assert_problem(c.get("/v1/entities/search", params={"q": "robot"}), 503)
                assert time.monotonic() - started < 5
            ready = c.get("/ready")
            assert ready.status_code == 503 and ready.json()["stores"][0]["state"] == "down"
            proxy.start()
            time.sleep(0.3)
            assert c.get("/v1/entities/Course/GR1001").status_code == 200
            assert c.get("/ready").status_code == 200
    finally:
        proxy.stop()
