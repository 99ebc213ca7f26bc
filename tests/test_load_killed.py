"""A load killed with SIGKILL mid-way leaves no half-written batch, and re-running it reaches the same graph."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import server_env, wipe
from test_ingest import graph_state

from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import Neo4jConnection

pytestmark = pytest.mark.neo4j

ROWS, BATCH = 12_000, 100


def big_source(folder: Path) -> Path:
    lines = ["code,name_zh,name_en,parent"]
    for i in range(ROWS):
        parent = f"SK-{i // 10:05d}" if i >= 10 else ""
        lines.append(f"SK-{i:05d},技能{i},skill {i},{parent}")
    (folder / "skills.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "m.yaml").write_text(
        """
dataset: big-taxonomy
sources:
  - name: skills
    file: skills.csv
    class: Skill
    key: code
    properties: {code: code, label_zh: name_zh, label_en: name_en}
    edges:
      - predicate: broader
        to: {class: Skill, key: parent}
""",
        encoding="utf-8",
    )
    return folder / "m.yaml"


def load_command(mapping: Path, conn: Neo4jConnection, data_dir: Path) -> tuple[list[str], dict[str, str]]:
    env = server_env(conn, data_dir)
    exe = str(Path(sys.executable).parent / "ieic-kg")
    return [exe, "load", "mapping", str(mapping), "--batch-size", str(BATCH)], env


def test_sigkill_mid_load_then_rerun_reaches_the_uninterrupted_state(
    tmp_path: Path, neo4j_connection: Neo4jConnection, neo4j_driver: Any, graph_store: GraphStore
) -> None:
    mapping = big_source(tmp_path)
    cmd, env = load_command(mapping, neo4j_connection, tmp_path / "data")

    # the reference: one uninterrupted load into an empty database
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=600, stdin=subprocess.DEVNULL)
    run_fields = ("lastSeen", "loadRun", "firstSeen")  # timestamps of runs differ between the two graphs
    reference = graph_state(graph_store, drop=run_fields)
    assert len(reference[0]) == ROWS and len(reference[1]) == ROWS - 10
    wipe(neo4j_driver, neo4j_connection.database)

    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
    )
    written = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        written = graph_store.read("MATCH (s:Skill) RETURN count(s) AS n")[0]["n"]
        if written >= BATCH:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the load ended before it could be killed: make the source bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    nodes = graph_store.read("MATCH (s:Skill) RETURN count(s) AS n")[0]["n"]
    rels = graph_store.read("MATCH ()-[r:BROADER]->() RETURN count(r) AS n")[0]["n"]
    assert 0 < nodes + rels < 2 * ROWS - 10, "the kill should land mid-load"
    assert nodes % BATCH == 0 or nodes == ROWS  # whole batches only: no half-written transaction
    assert rels % BATCH == 0 or rels == ROWS - 10
    run = graph_store.read("MATCH (r:LoadRun) RETURN r.status AS status")
    assert run == [{"status": "running"}]

    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "marked interrupted" in result.stdout
    assert graph_state(graph_store, drop=run_fields) == reference
    statuses = sorted(r["status"] for r in graph_store.read("MATCH (r:LoadRun) RETURN r.status AS status"))
    assert statuses == ["completed", "interrupted"]
