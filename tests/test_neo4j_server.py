"""The managed Neo4j for real: start, stop, restart, status/env through the CLI, port and Java choice.

One server (in a temporary data folder, the distribution taken from the user's cache) is shared by the
tests of this module, which run in file order.
"""

from __future__ import annotations

import shlex
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from rich.console import Console
from typer.testing import CliRunner

from ieic_kg.cli_neo4j import EXIT_STOPPED
from ieic_kg.cli_neo4j import app as neo4j_app
from ieic_kg.config import Settings
from ieic_kg.errors import IeicError, SetupError, StoreUnavailable
from ieic_kg.neo4j_server import ManagedNeo4j, Neo4jConnection, ensure_neo4j, resolve_connection

pytestmark = pytest.mark.neo4j


def managed_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings of a managed Neo4j in data_dir, whatever IEIC_* the environment holds."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "neo4j_uri": None,
        "neo4j_user": "neo4j",
        "neo4j_password": None,
        "neo4j_database": "neo4j",
        "neo4j_bolt_port": None,
        "env": "development",
    }
    values.update(overrides)
    return Settings(**values)


def cli(data_dir: Path, *args: str, **env: str | None) -> Any:
    """Run `ieic-kg neo4j ARGS` in-process with IEIC_DATA_DIR=data_dir and no configured server."""
    base: dict[str, str | None] = {
        "IEIC_DATA_DIR": str(data_dir),
        "IEIC_NEO4J_URI": "",  # empty = unset, and wins over a .env file
        "IEIC_NEO4J_PASSWORD": None,
        "IEIC_NEO4J_BOLT_PORT": None,
    }
    base.update(env)
    return CliRunner().invoke(neo4j_app, list(args), env=base)


def query(conn: Neo4jConnection, cypher: str, **params: Any) -> list[dict[str, Any]]:
    with conn.driver() as driver:
        records = driver.execute_query(cypher, params, database_=conn.database).records
    return [r.data() for r in records]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("managed")


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[ManagedNeo4j]:
    managed = ManagedNeo4j(managed_settings(data_dir))
    try:
        managed.start()
    except IeicError as exc:
        pytest.fail(f"cannot start the managed Neo4j: {exc}", pytrace=False)
    try:
        yield managed
    finally:
        managed.stop(timeout=30)


def test_start_is_idempotent(server: ManagedNeo4j) -> None:
    before = server.status()
    assert before.running and before.pid
    conn = server.start()
    after = server.status()
    assert after.pid == before.pid
    assert conn.uri == before.uri == server.connection().uri
    assert query(conn, "RETURN 1 AS one") == [{"one": 1}]


def test_password_file_is_private_and_status_hides_it(server: ManagedNeo4j, data_dir: Path) -> None:
    assert stat.S_IMODE(server.password_path.stat().st_mode) == 0o600
    password = server.password_path.read_text().strip()
    assert len(password) >= 20
    result = cli(data_dir, "status")
    assert result.exit_code == 0, result.output
    assert "running" in result.output
    assert str(server.status().pid) in result.output
    assert password not in result.output
    assert password not in repr(server.connection())


def test_env_lines_parse_and_connect(server: ManagedNeo4j, data_dir: Path) -> None:
    result = cli(data_dir, "env")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split("=", 1)[0] for line in lines] == [
        "IEIC_NEO4J_URI",
        "IEIC_NEO4J_USER",
        "IEIC_NEO4J_PASSWORD",
        "IEIC_NEO4J_DATABASE",
    ]
    values = {k: shlex.split(v)[0] for k, v in (line.split("=", 1) for line in lines)}
    conn = Neo4jConnection(
        values["IEIC_NEO4J_URI"],
        values["IEIC_NEO4J_USER"],
        values["IEIC_NEO4J_PASSWORD"],
        values["IEIC_NEO4J_DATABASE"],
    )
    assert conn == server.connection()
    assert query(conn, "RETURN 2 AS two") == [{"two": 2}]

    exported = cli(data_dir, "env", "--export").output.splitlines()
    assert exported == [f"export {line}" for line in lines]


def test_restart_keeps_data_and_avoids_a_busy_port(server: ManagedNeo4j, data_dir: Path) -> None:
    conn = server.connection()
    query(conn, "CREATE (:Probe {name: $name})", name="survives restarts")
    old_port = int(conn.uri.rsplit(":", 1)[1])

    assert server.stop(timeout=30) is True
    assert not server.status().running
    stopped = cli(data_dir, "status")
    assert stopped.exit_code == EXIT_STOPPED, stopped.output
    assert "stopped" in stopped.output
    with pytest.raises(StoreUnavailable) as exc_info:
        server.connection()
    assert "ieic-kg neo4j start" in str(exc_info.value)
    assert server.stop() is False  # a no-op when not running

    # Someone else takes the port it had: it must pick another one (neo4j_bolt_port is unset).
    # SO_REUSEADDR: the closed Bolt connections may leave the port in TIME_WAIT for a minute.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", old_port))
        blocker.listen(1)
        conn2 = server.start()
    new_port = int(conn2.uri.rsplit(":", 1)[1])
    assert new_port != old_port
    assert server.status().running
    assert query(conn2, "MATCH (p:Probe) RETURN p.name AS name") == [{"name": "survives restarts"}]


def test_bogus_java_home_is_a_setup_error(tmp_path: Path) -> None:
    settings = managed_settings(tmp_path / "data", java_home=tmp_path / "no-such-jdk")
    with pytest.raises(SetupError) as exc_info:
        ManagedNeo4j(settings).start()
    err = exc_info.value
    assert "Java" in err.message and str(tmp_path / "no-such-jdk") in err.message
    assert err.hint and "IEIC_JAVA_HOME" in err.hint and "apt-get install openjdk-17" in err.hint
    assert not (tmp_path / "data").exists()


def test_unsupported_java_version_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "jdk-25"
    (fake / "bin").mkdir(parents=True)
    java = fake / "bin" / "java"
    java.write_text("#!/bin/sh\necho 'openjdk version \"25.0.1\" 2025-10-21' >&2\n")
    java.chmod(0o755)
    with pytest.raises(SetupError) as exc_info:
        ManagedNeo4j(managed_settings(tmp_path / "data", java_home=fake)).start()
    assert "25.0.1" in exc_info.value.message and "17 or 21" in exc_info.value.message


def test_java_discovery_names_what_it_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ieic_kg.neo4j_server as ns

    settings = managed_settings(tmp_path / "data")
    monkeypatch.setattr(ns, "JVM_SEARCH_DIR", tmp_path / "no-jvms")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(SetupError) as exc_info:
        ns.find_java(settings)
    assert "Java is not installed" in exc_info.value.message
    assert exc_info.value.hint and "apt-get install openjdk-17-jre-headless maven" in exc_info.value.hint
    assert "IEIC_NEO4J_URI" in exc_info.value.hint

    fake = tmp_path / "temurin-25"
    (fake / "bin").mkdir(parents=True)
    (fake / "bin" / "java").write_text("#!/bin/sh\necho 'openjdk version \"25.0.1\" 2025-10-21' >&2\n")
    (fake / "bin" / "java").chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(fake))
    with pytest.raises(SetupError) as exc_info:
        ns.find_java(settings)
    assert "Java 25.0.1" in exc_info.value.message and "JAVA_HOME" in exc_info.value.message


def test_configured_server_starts_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = managed_settings(
        data, neo4j_uri="bolt://127.0.0.1:9", neo4j_user="alice", neo4j_password=SecretStr("s3cret-pw")
    )
    conn = resolve_connection(settings)
    assert conn == Neo4jConnection("bolt://127.0.0.1:9", "alice", "s3cret-pw", "neo4j")
    assert "s3cret-pw" not in repr(conn)
    with pytest.raises(StoreUnavailable) as exc_info:
        ensure_neo4j(settings, Console(quiet=True))
    assert "bolt://127.0.0.1:9" in exc_info.value.message and exc_info.value.hint

    configured = {"IEIC_NEO4J_URI": "bolt://127.0.0.1:9", "IEIC_NEO4J_PASSWORD": "s3cret-pw"}
    for command in ("start", "stop"):
        result = cli(data, command, **configured)
        assert result.exit_code == 0, result.output
        assert "configured" in result.output
    env_out = cli(data, "env", **configured)
    assert env_out.exit_code == 0
    assert "IEIC_NEO4J_URI=bolt://127.0.0.1:9" in env_out.output.splitlines()
    status = cli(data, "status", **configured)
    assert status.exit_code == EXIT_STOPPED
    assert "unreachable" in status.output
    assert not data.exists()


def test_managed_connection_needs_a_running_server(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable):
        resolve_connection(managed_settings(tmp_path / "data"))
    result = cli(tmp_path / "data", "env")
    assert result.exit_code != 0
    assert isinstance(result.exception, StoreUnavailable)


def test_clean_neo4j_first_leaves_things(clean_neo4j: Any, neo4j_connection: Neo4jConnection) -> None:
    db = neo4j_connection.database
    clean_neo4j.execute_query("CREATE CONSTRAINT probe_name FOR (p:Probe) REQUIRE p.name IS UNIQUE", database_=db)
    clean_neo4j.execute_query("CREATE INDEX probe_age FOR (p:Probe) ON (p.age)", database_=db)
    clean_neo4j.execute_query("CREATE (:Probe {name: 'left over', age: 1})", database_=db)


def test_clean_neo4j_then_finds_nothing(clean_neo4j: Any, neo4j_connection: Neo4jConnection) -> None:
    db = neo4j_connection.database
    assert clean_neo4j.execute_query("MATCH (n) RETURN count(n) AS c", database_=db).records[0]["c"] == 0
    assert clean_neo4j.execute_query("SHOW CONSTRAINTS", database_=db).records == []
    kinds = {r["type"] for r in clean_neo4j.execute_query("SHOW INDEXES", database_=db).records}
    assert kinds <= {"LOOKUP"}


def test_a_password_that_begins_with_a_dash_is_set_and_works(tmp_path: Path) -> None:
    """neo4j-admin reads an argument that begins with '-' as an option unless told where options end."""
    server = ManagedNeo4j(managed_settings(tmp_path / "data", neo4j_password=SecretStr("-dash-first-pw-42")))
    try:
        conn = server.start()
        assert conn.password == "-dash-first-pw-42"
        assert query(conn, "RETURN 1 AS one") == [{"one": 1}]
    finally:
        server.stop()
