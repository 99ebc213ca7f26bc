"""Shared fixtures: the test Neo4j.

The suite never touches the user's IEIC_NEO4J_URI (tests wipe the database). It uses:

* the server named by IEIC_TEST_NEO4J_URI (with IEIC_TEST_NEO4J_USER / _PASSWORD / _DATABASE, defaults
  neo4j / neo4j / neo4j), as `.ci/run` does; or else
* a managed Neo4j in ``<repo>/.ieic-test`` (distribution shared with the user's cache), started on demand
  and stopped at the end of the session only if this session started it.

If no Neo4j can be had, the tests that need it fail with the reason; they are never skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ieic_kg.config import Settings
from ieic_kg.errors import IeicError
from ieic_kg.neo4j_server import ManagedNeo4j, Neo4jConnection, check_connectivity

REPO = Path(__file__).resolve().parent.parent
TEST_DATA_DIR = REPO / ".ieic-test"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any IEIC_* variable of the user's, plus ``extra``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("IEIC_")}, **extra}


def server_env(conn: Neo4jConnection, data_dir: Path, **extra: str) -> dict[str, str]:
    """``clean_env`` with the test Neo4j and a data folder as IEIC_* variables, and ``extra``: the environment
    of an ``ieic-kg`` subprocess that must use the test database."""
    return clean_env(
        IEIC_NEO4J_URI=conn.uri,
        IEIC_NEO4J_USER=conn.user,
        IEIC_NEO4J_PASSWORD=conn.password,
        IEIC_NEO4J_DATABASE=conn.database,
        IEIC_DATA_DIR=str(data_dir),
        **extra,
    )


def isolated_settings(**overrides: Any) -> Settings:
    """Settings for tests: the managed Neo4j in <repo>/.ieic-test, never the user's configured server,
    whatever the environment says (the cache_dir stays the user's, so the distribution is shared)."""
    values: dict[str, Any] = {
        "data_dir": TEST_DATA_DIR,
        "neo4j_uri": None,
        "neo4j_user": "neo4j",
        "neo4j_password": None,
        "neo4j_database": "neo4j",
        "neo4j_bolt_port": None,
        "env": "development",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def neo4j_connection() -> Iterator[Neo4jConnection]:
    """The Neo4j the tests may wipe: IEIC_TEST_NEO4J_URI, or a managed one in <repo>/.ieic-test."""
    uri = os.environ.get("IEIC_TEST_NEO4J_URI")
    if uri:
        conn = Neo4jConnection(
            uri,
            os.environ.get("IEIC_TEST_NEO4J_USER", "neo4j"),
            os.environ.get("IEIC_TEST_NEO4J_PASSWORD", "neo4j"),
            os.environ.get("IEIC_TEST_NEO4J_DATABASE", "neo4j"),
        )
        try:
            check_connectivity(conn)
        except IeicError as exc:
            pytest.fail(f"IEIC_TEST_NEO4J_URI={uri} does not answer: {exc}", pytrace=False)
        yield conn
        return

    server = ManagedNeo4j(isolated_settings())
    started_here = not server.status().running
    try:
        conn = server.start()
    except IeicError as exc:
        pytest.fail(f"cannot start the test Neo4j in {server.home}: {exc}", pytrace=False)
    try:
        yield conn
    finally:
        if started_here:
            server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_connection: Neo4jConnection) -> Iterator[Any]:
    """One ``neo4j.Driver`` on the test Neo4j for the whole session."""
    driver = neo4j_connection.driver()
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def clean_neo4j(neo4j_driver: Any, neo4j_connection: Neo4jConnection) -> Any:
    """An empty test database: every node, constraint and index (but the LOOKUP ones) dropped first."""
    wipe(neo4j_driver, neo4j_connection.database)
    return neo4j_driver


def wipe(driver: Any, database: str) -> None:
    """Delete every node, constraint and index (but the LOOKUP ones) of the test database."""
    with driver.session(database=database) as session:
        while session.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS c").single()["c"]:
            pass
        for rec in list(session.run("SHOW CONSTRAINTS YIELD name")):
            session.run(f"DROP CONSTRAINT `{rec['name']}` IF EXISTS").consume()
        for rec in list(session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")):
            session.run(f"DROP INDEX `{rec['name']}` IF EXISTS").consume()


@pytest.fixture(scope="session")
def ontology() -> Any:
    """The shipped ontology, parsed once."""
    from ieic_kg.ontology import Ontology

    return Ontology.load()


@pytest.fixture
def test_settings(tmp_path: Path) -> Settings:
    """Settings whose data folder (load reports, rejects) is the test's own tmp folder."""
    return isolated_settings(data_dir=tmp_path / "data")


@pytest.fixture
def graph_store(clean_neo4j: Any, neo4j_connection: Neo4jConnection) -> Iterator[Any]:
    """A ``GraphStore`` on the emptied test database."""
    from ieic_kg.graph import GraphStore

    store = GraphStore(neo4j_connection)
    try:
        yield store
    finally:
        store.close()
