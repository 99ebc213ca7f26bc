"""The one error shape: every failure is application/problem+json with the same members."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from ieic_kg.errors import ConfigError, NotFound

from .conftest import COURSE_IRI, AppFactory, Client, assert_problem

pytestmark = pytest.mark.neo4j

PINNED = {"type", "title", "status", "detail", "instance", "hint"}


def test_an_ieic_error_keeps_its_status_title_message_and_hint(client: Client) -> None:
    r = client.get("/v1/entities", params={"iri": "https://w3id.org/ieic-kg/id/skill/nope"})
    body = assert_problem(r, 404, title=NotFound.title)
    assert body == {
        "type": "https://w3id.org/ieic-kg/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "no entity with IRI 'https://w3id.org/ieic-kg/id/skill/nope'",
        "instance": "/v1/entities",
        "hint": "find entities with /v1/entities/search?q=…",
    }


def test_validation_errors_are_400_with_each_invalid_parameter(client: Client) -> None:
    r = client.get("/v1/entities/search", params={"q": "", "limit": 0})
    body = assert_problem(r, 400, title="Bad request")
    assert set(body) == PINNED | {"errors"}
    where = {tuple(e["loc"]) for e in body["errors"]}
    assert where == {("query", "q"), ("query", "limit")}
    assert body["detail"].startswith("query.") and "(and 1 more)" in body["detail"]


def test_an_unknown_path_and_a_wrong_method_are_problems_too(client: Client) -> None:
    body = assert_problem(client.get("/v1/nothing-here"), 404, title="Not found")
    assert body["instance"] == "/v1/nothing-here" and body["hint"]
    assert set(body) == PINNED
    body = assert_problem(client.post("/v1/entities/search"), 405, title="Method not allowed")
    assert set(body) == PINNED


def test_a_malformed_json_body_is_a_400(client: Client) -> None:
    r = client.post("/v1/queries/programs/run", content=b"{not json", headers={"content-type": "application/json"})
    assert_problem(r, 400)


def test_a_too_large_body_is_refused(client: Client) -> None:
    r = client.post("/v1/queries/programs/run", json={"parameters": {"x": "a" * 1_100_000}})
    assert_problem(r, 413)


def _add_failing_routes(app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    def misconfigured() -> None:
        raise ConfigError("IEIC_SOMETHING is wrong", hint="fix it")

    app.add_api_route("/test/boom", boom)
    app.add_api_route("/test/config", misconfigured)


def test_an_unexpected_exception_is_a_500_that_reveals_nothing(make_client: AppFactory) -> None:
    with make_client(raise_app_exceptions=False, prepare=_add_failing_routes) as c:
        r = c.get("/test/boom")
        body = assert_problem(r, 500, title="Internal error")
        assert "secret" not in r.text and "RuntimeError" not in r.text
        body = assert_problem(c.get("/test/config"), 500, title=ConfigError.title)
        assert body["detail"] == "IEIC_SOMETHING is wrong" and body["hint"] == "fix it"


def test_every_documented_error_response_uses_the_problem_schema(client: Client) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["components"]["schemas"]["Problem"]["required"]) == PINNED
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert "422" not in op["responses"], (method, path)  # invalid requests are 400s
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")) and path != "/ready":  # /ready's 503 is its report
                    content = response["content"]
                    assert "application/problem+json" in content, (method, path, status)


def test_the_problem_of_an_entity_route_names_the_request_path(client: Client) -> None:
    body = assert_problem(client.get("/v1/entities/Course/NOPE-404"), 404)
    assert body["instance"] == "/v1/entities/Course/NOPE-404"
    assert client.get("/v1/entities", params={"iri": COURSE_IRI}).status_code == 200
