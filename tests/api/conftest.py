"""Fixtures of the API tests: the demo graph in the test Neo4j, apps on it, in-process clients.

The in-process client is httpx over ``httpx.ASGITransport`` with the app's lifespan entered (so the app
opens and closes its GraphStore as it does under a server), driven from synchronous tests through an anyio
blocking portal. ``test_http.py`` runs the same app under uvicorn over real HTTP.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from conftest import isolated_settings, server_env, wipe
from ieic_kg.api.app import create_app
from ieic_kg.api.security import key_digest
from ieic_kg.api.settings import ApiSettings

from ieic_kg.config import Settings
from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.ontology import Ontology
from ieic_kg.queries import QueryLibrary

from .http_server import Server, clean_env, free_port, start_server, stop_server

IEIC_KG = Path(sys.executable).parent / "ieic-kg"
PROGRAM, INDUSTRY = "460305", "3491"
COURSE_IRI = "https://w3id.org/ieic-kg/id/course/GDIMP:GR1001"

#: One key per role, made up for the tests (only their digests are configured).
KEYS = {"reader": "test-reader-key", "steward": "test-steward-key", "admin": "test-admin-key"}


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


def key_settings(**overrides: Any) -> ApiSettings:
    """API settings with the three test keys, the rate limit off unless asked for, and the answer cache
    checking the graph on every request (tests change it behind the API's back and read it at once; with the
    default interval an answer may lag a write by that long: test_cache.py)."""
    values: dict[str, Any] = {
        "api_keys": {key_digest(k): role for role, k in KEYS.items()},
        "api_rate_limit": 0,
        "api_cache_check_interval": 0,
    }
    values.update(overrides)
    return ApiSettings(**values)


def settings_for(conn: Neo4jConnection, tmp: Path, **overrides: Any) -> Settings:
    return isolated_settings(
        data_dir=tmp,
        neo4j_uri=conn.uri,
        neo4j_user=conn.user,
        neo4j_password=conn.password,
        neo4j_database=conn.database,
        **overrides,
    )


@pytest.fixture(scope="package")
def demo_graph(neo4j_connection: Neo4jConnection, neo4j_driver: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo community loaded into the emptied test database once for the API tests, by the CLI."""
    wipe(neo4j_driver, neo4j_connection.database)
    data_dir = tmp_path_factory.mktemp("api-demo")
    env = server_env(neo4j_connection, data_dir)
    done = subprocess.run(
        [str(IEIC_KG), "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return data_dir


@pytest.fixture(scope="package")
def queries() -> QueryLibrary:
    return QueryLibrary()


class Client:
    """A synchronous face of an ``httpx.AsyncClient`` on the app (ASGI transport, lifespan entered)."""

    def __init__(self, portal: BlockingPortal, client: httpx.AsyncClient) -> None:
        self._portal = portal
        self._client = client

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self._portal.call(lambda: self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def options(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("OPTIONS", url, **kwargs)


@asynccontextmanager
async def _serving(app: Any, raise_app_exceptions: bool) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@contextmanager
def serve_in_process(app: Any, *, raise_app_exceptions: bool = True) -> Iterator[Client]:
    with (
        start_blocking_portal(backend="asyncio") as portal,
        portal.wrap_async_context_manager(_serving(app, raise_app_exceptions)) as client,
    ):
        yield Client(portal, client)


@dataclass
class AppFactory:
    conn: Neo4jConnection
    tmp: Path
    ontology: Ontology
    queries: QueryLibrary

    @contextmanager
    def __call__(
        self,
        api: ApiSettings | None = None,
        *,
        settings: Settings | None = None,
        raise_app_exceptions: bool = True,
        prepare: Callable[[Any], None] | None = None,
    ) -> Iterator[Client]:
        app = create_app(
            settings or settings_for(self.conn, self.tmp),
            api_settings=api or key_settings(),
            ontology=self.ontology,
            queries=self.queries,
        )
        if prepare is not None:
            prepare(app)
        with serve_in_process(app, raise_app_exceptions=raise_app_exceptions) as client:
            yield client


@pytest.fixture
def make_client(
    demo_graph: Path, neo4j_connection: Neo4jConnection, tmp_path: Path, ontology: Ontology, queries: QueryLibrary
) -> AppFactory:
    """Build an app on the demo graph with the given API settings and serve it in process."""
    return AppFactory(neo4j_connection, tmp_path, ontology, queries)


@pytest.fixture(scope="module")
def client(
    demo_graph: Path,
    neo4j_connection: Neo4jConnection,
    tmp_path_factory: pytest.TempPathFactory,
    ontology: Ontology,
    queries: QueryLibrary,
) -> Iterator[Client]:
    """One app on the demo graph (open reads, the three test keys, no rate limit) per test module."""
    factory = AppFactory(neo4j_connection, tmp_path_factory.mktemp("api"), ontology, queries)
    with factory() as c:
        yield c


@pytest.fixture(scope="module")
def server(
    demo_graph: Path, neo4j_connection: Neo4jConnection, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("http")
    port = free_port()
    config = {
        "host": "127.0.0.1",
        "port": port,
        "settings": {
            "data_dir": str(tmp / "data"),
            "neo4j_uri": neo4j_connection.uri,
            "neo4j_user": neo4j_connection.user,
            "neo4j_password": neo4j_connection.password,
            "neo4j_database": neo4j_connection.database,
        },
        "api": key_settings().model_dump(mode="json"),
    }
    (tmp / "config.json").write_text(json.dumps(config))
    s = start_server(
        [sys.executable, str(Path(__file__).resolve().parent / "serve_app.py"), str(tmp / "config.json")],
        clean_env(),
        tmp / "server.log",
        port,
    )
    try:
        yield s
    finally:
        code = stop_server(s)
        assert code == 0, f"the server did not stop cleanly ({code}):\n{s.output()}"


# -- checking that nothing was written ---------------------------------------------------------------------


#: Provenance timestamps as text on the server: hydrating thousands of driver DateTimes is what is slow.
_AS_TEXT = "firstSeen: toString(x.firstSeen), lastSeen: toString(x.lastSeen)"


def graph_snapshot(driver: Any, database: str) -> tuple[list[str], list[str]]:
    """Every node and relationship with its labels or type and properties, canonically sorted."""

    def canon(v: Any) -> str:
        return json.dumps(v, sort_keys=True, default=str, ensure_ascii=False)

    with driver.session(database=database) as session:
        nodes = sorted(
            canon(r.values()) for r in session.run(f"MATCH (x) RETURN elementId(x), labels(x), x {{.*, {_AS_TEXT}}}")
        )
        rels = sorted(
            canon(r.values())
            for r in session.run(f"MATCH (a)-[x]->(b) RETURN elementId(a), type(x), elementId(b), x {{.*, {_AS_TEXT}}}")
        )
    return nodes, rels


@pytest.fixture
def unchanged_graph(demo_graph: Path, neo4j_driver: Any, neo4j_connection: Neo4jConnection) -> Iterator[None]:
    """Fails the test when the graph differs after it from before it (any node, relationship or property)."""
    before = graph_snapshot(neo4j_driver, neo4j_connection.database)
    yield
    after = graph_snapshot(neo4j_driver, neo4j_connection.database)
    assert len(after[0]) == len(before[0]) and len(after[1]) == len(before[1]), "nodes or relationships changed"
    assert after == before, "a property changed"


def assert_problem(response: httpx.Response, status: int, *, title: str | None = None) -> dict[str, Any]:
    """The response is an application/problem+json of ``status`` with the pinned shape; its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "instance", "hint"} <= body.keys(), body
    assert set(body) - {"type", "title", "status", "detail", "instance", "hint", "errors"} == set(), body
    assert body["status"] == status
    assert body["type"].startswith("https://w3id.org/ieic-kg/problems/")
    assert body["detail"] and isinstance(body["detail"], str)
    if title is not None:
        assert body["title"] == title, body
    return body
