"""API keys and roles, open reads, the per-key rate limit and CORS."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from ieic_kg.api.security import key_digest

from .conftest import COURSE_IRI, KEYS, AppFactory, Client, assert_problem, auth, key_settings

pytestmark = pytest.mark.neo4j

READ_ROUTES = [
    "/v1/types",
    "/v1/entities/search?q=robot",
    f"/v1/entities?iri={COURSE_IRI}",
    "/v1/queries",
    "/v1/loads",
    "/v1/alignment?program=460305&industry=3491",
]
CYPHER = {"query": "MATCH (n:Course) RETURN count(n) AS n"}


@pytest.mark.parametrize("route", READ_ROUTES)
def test_open_reads_need_no_key(client: Client, route: str) -> None:
    assert client.get(route).status_code == 200


@pytest.mark.parametrize("route", READ_ROUTES)
def test_closed_reads_need_a_key_of_any_role(make_client: AppFactory, route: str) -> None:
    with make_client(key_settings(api_open_reads=False)) as c:
        r = c.get(route)
        assert_problem(r, 401, title="Unauthorized")
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert c.get(route, headers=auth("reader")).status_code == 200
        assert c.get(route, headers={"X-API-Key": KEYS["admin"]}).status_code == 200
    # health and readiness stay open for probes
    with make_client(key_settings(api_open_reads=False)) as c:
        assert c.get("/health").status_code == 200 and c.get("/ready").status_code == 200


def test_an_unknown_key_is_refused_even_where_reads_are_open(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        body = assert_problem(client.get("/v1/types", headers={"Authorization": "Bearer wrong-key-123"}), 401)
        assert_problem(client.get("/v1/types", headers={"X-API-Key": "wrong-key-123"}), 401)
    assert "wrong-key-123" not in caplog.text and "wrong-key-123" not in json.dumps(body)


def test_cypher_needs_a_key_even_with_open_reads(client: Client, neo4j_driver: Any) -> None:
    with neo4j_driver.session() as session:
        courses = session.run(CYPHER["query"]).single()["n"]
    assert_problem(client.post("/v1/cypher", json=CYPHER), 401)
    for role in ("reader", "steward", "admin"):
        r = client.post("/v1/cypher", json=CYPHER, headers=auth(role))
        assert r.status_code == 200, r.text
        assert r.json()["rows"] == [{"n": courses}]


def test_a_role_below_the_one_needed_is_403(make_client: AppFactory) -> None:
    from fastapi import FastAPI
    from ieic_kg.api.deps import require_role

    def add_admin_route(app: FastAPI) -> None:
        app.add_api_route("/test/admin", lambda: {"ok": True}, dependencies=[require_role("admin")])

    with make_client(prepare=add_admin_route) as c:
        assert_problem(c.get("/test/admin"), 401)
        body = assert_problem(c.get("/test/admin", headers=auth("steward")), 403, title="Forbidden")
        assert "admin" in body["detail"]
        assert c.get("/test/admin", headers=auth("admin")).json() == {"ok": True}


def test_load_run_details_are_for_stewards(client: Client) -> None:
    anonymous = client.get("/v1/loads", params={"limit": 1}).json()["items"][0]
    reader = client.get("/v1/loads", params={"limit": 1}, headers=auth("reader")).json()["items"][0]
    steward = client.get("/v1/loads", params={"limit": 1}, headers=auth("steward")).json()["items"][0]
    for hidden in ("sourcePaths", "agent", "host", "processId"):
        assert anonymous[hidden] is None and reader[hidden] is None
        assert steward[hidden] is not None
    assert steward["sourcePaths"] and all(p.startswith("/") for p in steward["sourcePaths"])
    prov = client.get("/v1/provenance", params={"iri": COURSE_IRI}, headers=auth("admin")).json()
    assert prov["loadRun"]["agent"] is not None


def test_me_says_who_the_caller_is(client: Client) -> None:
    assert client.get("/v1/me").json()["principal"] == "anonymous"
    me = client.get("/v1/me", headers=auth("steward")).json()
    assert me["role"] == "steward" and me["principal"] == f"key:{key_digest(KEYS['steward'])[:8]}"


def test_the_rate_limit_is_per_key(make_client: AppFactory) -> None:
    with make_client(key_settings(api_rate_limit=0.5, api_rate_burst=3)) as c:
        statuses = [c.get("/v1/types", headers=auth("reader")).status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 429, 429]
        r = c.get("/v1/types", headers=auth("reader"))
        body = assert_problem(r, 429, title="Too many requests")
        assert int(r.headers["retry-after"]) >= 1 and "per server process" in (body["hint"] or "")
        assert c.get("/v1/types", headers=auth("steward")).status_code == 200  # another key, another bucket
        assert [c.get("/v1/types").status_code for _ in range(4)] == [200, 200, 200, 429]  # anonymous: per address
        assert c.get("/health").status_code == 200  # probes are not limited


def test_cors_is_off_unless_origins_are_configured(client: Client, make_client: AppFactory) -> None:
    r = client.get("/v1/types", headers={"Origin": "https://portal.example.edu.cn"})
    assert "access-control-allow-origin" not in r.headers
    with make_client(key_settings(api_cors_origins=["https://portal.example.edu.cn"])) as c:
        r = c.get("/v1/types", headers={"Origin": "https://portal.example.edu.cn"})
        assert r.headers["access-control-allow-origin"] == "https://portal.example.edu.cn"
        pre = c.options(
            "/v1/cypher",
            headers={
                "Origin": "https://portal.example.edu.cn",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]
        other = c.get("/v1/types", headers={"Origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in other.headers
