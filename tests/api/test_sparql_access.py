"""/sparql follows the access rules of the other read routes, and keeps serving when Neo4j is down."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ieic_kg.neo4j_server import Neo4jConnection

from .conftest import AppFactory, assert_problem, auth, key_settings, settings_for
from .test_unavailable import closed_port

pytestmark = pytest.mark.neo4j

ASK = {"query": "ASK {}"}


def test_reads_follow_open_reads_and_keys(make_client: AppFactory) -> None:
    with make_client(key_settings(api_open_reads=False)) as c:
        body = assert_problem(c.get("/sparql", params=ASK), 401)
        assert "key" in body["detail"]
        assert_problem(c.post("/sparql", data=ASK), 401)
        assert_problem(c.get("/sparql", params=ASK, headers={"Authorization": "Bearer not-a-key"}), 401)
        for role in ("reader", "steward", "admin"):
            r = c.get("/sparql", params=ASK, headers=auth(role))
            assert r.status_code == 200 and r.json()["boolean"] is True
    with make_client(key_settings(api_open_reads=True)) as c:
        assert c.get("/sparql", params=ASK).json()["boolean"] is True


def test_the_rate_limit_applies(make_client: AppFactory) -> None:
    with make_client(key_settings(api_rate_limit=0.5, api_rate_burst=2)) as c:
        statuses = [c.get("/sparql", params=ASK, headers=auth("reader")).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        r = c.post("/sparql", data=ASK, headers=auth("reader"))
        assert_problem(r, 429)
        assert int(r.headers["retry-after"]) >= 1


def test_sparql_serves_while_neo4j_is_down(make_client: AppFactory, demo_graph: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_graph / "rdf", tmp_path / "rdf")
    down = Neo4jConnection(f"bolt://127.0.0.1:{closed_port()}", "neo4j", "whatever-password", "neo4j")
    with make_client(settings=settings_for(down, tmp_path)) as c:
        assert_problem(c.get("/v1/entities/search", params={"q": "robot"}), 503, title="Store unavailable")
        r = c.get("/sparql", params={"query": "SELECT (COUNT(?c) AS ?n) WHERE { ?c a ieic:Course }"})
        assert r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) > 0
        ready = c.get("/ready")
        assert ready.status_code == 503
        states = {s["name"]: s["state"] for s in ready.json()["stores"]}
        assert states == {"neo4j": "down", "rdf": "up"}


def test_ready_reports_the_rdf_store_and_its_snapshot(make_client: AppFactory, tmp_path: Path) -> None:
    with make_client() as c:  # an empty data folder: the app publishes an empty store
        report = c.get("/ready").json()
        rdf = next(s for s in report["stores"] if s["name"] == "rdf")
        assert rdf["state"] == "up" and "snapshot 00000001" in rdf["detail"] and rdf["latencyMs"] is not None
        assert (tmp_path / "rdf-snapshots" / "CURRENT").read_text().strip() == "00000001"
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert r.status_code == 200 and r.json()["results"]["bindings"] == []
