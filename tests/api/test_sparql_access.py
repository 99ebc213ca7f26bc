"""/sparql follows the access rules of the other read routes, and keeps serving when Neo4j is down; the named
queries' SPARQL twins run through the same workers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ieic_kg.api.convert import json_value

from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.queries import QueryLibrary, run_query
from ieic_kg.rdfstore import RdfStore

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


def test_named_sparql_twins_run_without_neo4j_and_answer_as_the_library_does(
    make_client: AppFactory, demo_graph: Path, tmp_path: Path, queries: QueryLibrary
) -> None:
    shutil.copytree(demo_graph / "rdf", tmp_path / "api" / "rdf")
    shutil.copytree(demo_graph / "rdf", tmp_path / "library")
    down = Neo4jConnection(f"bolt://127.0.0.1:{closed_port()}", "neo4j", "whatever-password", "neo4j")
    cases = [
        ("industry_occupation_demand", {"industry": "3491"}),
        ("alignment_paths", {"program": "460305", "industry": "3491", "limit": 5}),
        ("programs", {}),
    ]
    with RdfStore(tmp_path / "library") as rdf:
        expected = {name: run_query(queries.get(name, "sparql"), dict(params), rdf_store=rdf) for name, params in cases}
    with make_client(settings=settings_for(down, tmp_path / "api")) as c:
        for name, params in cases:
            assert expected[name], f"{name} answers nothing on the demo"
            posted = c.post(f"/v1/queries/{name}/run", params={"language": "sparql"}, json={"parameters": params})
            got = c.get(
                f"/v1/queries/{name}/run", params={"language": "sparql", **{k: str(v) for k, v in params.items()}}
            )
            assert posted.status_code == 200, posted.text
            assert posted.json() == got.json()
            body = posted.json()
            assert body["rows"] == [{k: json_value(v) for k, v in r.items()} for r in expected[name]]
            assert body["columns"] == list(expected[name][0])
        # the Cypher original needs Neo4j, which is down
        assert_problem(c.get("/v1/queries/programs/run"), 503, title="Store unavailable")
        bad = c.get("/v1/queries/alignment_paths/run", params={"language": "sparql", "program": "x"})
        assert_problem(bad, 400)
