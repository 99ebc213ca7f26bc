"""SQL sources by SQLAlchemy URL against a real PostgreSQL server, started by this test in a temporary cluster."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from ieic_kg.loaders.mapping import MappingLoader

from ieic_kg.records import EdgeRecord, NodeRecord


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres system user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        pytest.fail("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)", pytrace=False)
    bindir = Path(bins[-1]).parent
    # not under pytest's tmp folder: that is private to root, and the server runs as postgres
    root = Path(tempfile.mkdtemp(prefix="ieic-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    subprocess.run(
        _as_postgres(
            [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]
        ),
        check=True,
        capture_output=True,
    )
    port = _free_port()
    log = root / "pg.log"
    if os.geteuid() == 0:
        log.touch()
        shutil.chown(log, "postgres")
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-w",
                "-o",
                f"-p {port} -h 127.0.0.1 -k {sockets}",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        deadline = time.monotonic() + 30
        while True:
            try:
                sa.create_engine(url).connect().close()
                break
            except sa.exc.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


def test_a_postgresql_table_loads_through_a_mapping(postgres_url: str, tmp_path: Path) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS jwxt_courses"))
        conn.execute(sa.text("CREATE TABLE jwxt_courses (kcdm text, kcmc text, xf numeric, xq int, xxkc text)"))
        conn.execute(
            sa.text("INSERT INTO jwxt_courses VALUES (:a, :b, :c, :d, :e)"),
            [
                {"a": "GR3001", "b": "工业机器人现场编程", "c": 4.0, "d": 3, "e": None},
                {"a": "GR3002", "b": "离线编程与仿真", "c": 3.5, "d": 4, "e": "GR3001"},
            ],
        )
    engine.dispose()
    (tmp_path / "m.yaml").write_text(
        f"""
dataset: jwxt
sources:
  - name: courses
    url: {postgres_url}
    query: SELECT * FROM jwxt_courses ORDER BY kcdm
    class: Course
    key: kcdm
    properties: {{code: kcdm, label_zh: kcmc, credits: xf, semester: xq}}
    edges:
      - predicate: hasPrerequisite
        to: {{class: Course, key: xxkc}}
""",
        encoding="utf-8",
    )
    records = list(MappingLoader(tmp_path / "m.yaml").records())
    nodes = [r for r in records if isinstance(r, NodeRecord)]
    edges = [r for r in records if isinstance(r, EdgeRecord)]
    assert [(n.key, n.properties["label_zh"], float(n.properties["credits"])) for n in nodes] == [
        ("GR3001", "工业机器人现场编程", 4.0),
        ("GR3002", "离线编程与仿真", 3.5),
    ]
    assert [(e.source.key, e.target.key) for e in edges] == [("GR3002", "GR3001")]
    assert nodes[1].origin.pointer == "row 2" and "postgres@127.0.0.1" in nodes[1].origin.file


def test_a_wrong_query_names_the_source(postgres_url: str, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(
        "dataset: jwxt\nsources:\n"
        f"  - {{name: c, url: '{postgres_url}', table: no_such_table, class: Course, key: k}}\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="SQL source failed") as err:
        list(MappingLoader(tmp_path / "m.yaml").records())
    assert "no_such_table" in str(err.value)
