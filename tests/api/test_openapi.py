"""The OpenAPI description: every route documented with models and examples; fuzzed by Schemathesis.

Schemathesis (a dev tool, see docs/api.md) generates requests from /openapi.json against the real server
and checks that none gets a 5xx and that every response matches the schema and status codes documented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ieic_kg.api.errors import (
    Ambiguous,
    BadRequest,
    Forbidden,
    NotAcceptable,
    QueryTimeout,
    RateLimited,
    Unauthorized,
    WriteRefused,
)
from ieic_kg.api.settings import ApiSettings

from .conftest import Client, auth
from .http_server import Server

pytestmark = pytest.mark.neo4j


def test_every_route_answers_a_documented_model_with_an_example(client: Client) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert (op.get("summary") and op.get("description")) or path in ("/health",), (method, path)
            ok = (op["responses"].get("200") or op["responses"]["202"])["content"]
            if "text/csv" in ok:  # a download (rejects.csv): an example of the file
                assert ok["text/csv"].get("example"), (method, path)
                continue
            media = (
                ok.get("application/json") or ok.get("application/sparql-results+json") or ok.get("application/ld+json")
            )
            ref = media.get("schema", {}).get("$ref") or media.get("schema", {}).get("items", {}).get("$ref")
            if path == "/v1/context.jsonld":
                assert "example" in ok["application/ld+json"]
                continue
            assert ref, (method, path)
            model = schemas[ref.rsplit("/", 1)[1]]
            assert model.get("examples"), f"{ref} has no example"


def test_docs_page_is_served(client: Client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "/openapi.json" in page.text


# -- Schemathesis over real HTTP ----------------------------------------------------------------------------


def test_no_generated_request_gets_a_server_error(server: Server) -> None:
    """Up to 25 requests per operation, generated from /openapi.json by Schemathesis, sent with a reader key."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_url(f"{server.base_url}/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def no_server_error(case: Any) -> None:
            response = case.call(headers=auth("reader"), timeout=60)
            if response.status_code >= 500 and response.status_code not in (503, 504):
                failures.append(f"{case.method} {case.formatted_path} {case.query} → {response.status_code}")
            assert response.status_code not in (500, 501, 502)

        no_server_error()
    assert operations == len([op for path in schema.raw_schema["paths"].values() for op in path])
    assert not failures, failures


# -- docs/api.md is kept with the code ----------------------------------------------------------------------

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_route_is_documented(client: Client) -> None:
    doc = API_DOC.read_text(encoding="utf-8")
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        for method in operations:
            assert f"`{method.upper()} {path}" in doc, f"docs/api.md does not document {method.upper()} {path}"


def test_every_api_setting_is_documented() -> None:
    doc = API_DOC.read_text(encoding="utf-8")
    for name in ApiSettings.model_fields:
        assert f"`IEIC_{name.upper()}`" in doc, f"docs/api.md does not document IEIC_{name.upper()}"


def test_every_api_error_is_documented() -> None:
    doc = API_DOC.read_text(encoding="utf-8")
    for cls in (BadRequest, Unauthorized, Forbidden, WriteRefused, NotAcceptable, Ambiguous, RateLimited, QueryTimeout):
        assert f"| {cls.status} |" in doc and cls.title in doc, cls.__name__
