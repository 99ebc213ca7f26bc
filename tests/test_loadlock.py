"""One load at a time per store, CLI and API alike: the lock of ieic_kg.loadlock (API side: tests/api/test_loads.py)."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, clean_env

from ieic_kg import loadlock

IEIC_KG = str(Path(sys.executable).parent / "ieic-kg")
RUN = "20261129T000000Z-abcdef"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # a Neo4j that is not there: the command must stop at the lock, before it connects
    env = clean_env(IEIC_DATA_DIR=str(data_dir), IEIC_NEO4J_URI=f"bolt://127.0.0.1:{closed_port()}")
    return subprocess.run(
        [IEIC_KG, *args], env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL
    )


@pytest.mark.parametrize(
    "command",
    [
        ["load", "mapping", str(REPO / "demo/mappings/industries.yaml")],
        ["demo"],
        ["restore", str(REPO / "demo/mappings/industries.yaml")],
        ["sync"],
        ["sync", "--verify", "--repair"],
    ],
)
def test_a_cli_load_is_refused_while_an_api_load_holds_the_store(tmp_path: Path, command: list[str]) -> None:
    fd = loadlock.acquire(tmp_path, RUN)  # what the API holds from POST /v1/loads to the load's end
    try:
        done = cli(tmp_path, *command)
    finally:
        loadlock.release(fd)
    assert done.returncode == 1, done.stdout + done.stderr
    err = " ".join(done.stderr.split())
    assert f"another load is running on this store: {RUN}" in err
    assert f"GET /v1/loads/{RUN}" in err
    assert "cannot reach Neo4j" not in err  # refused before it connects


def test_an_api_load_is_refused_while_a_cli_load_holds_the_store(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from pathlib import Path
                from ieic_kg import loadlock
                with loadlock.held(Path(r"{tmp_path}"), "`ieic-kg load` (process 4242 on host)"):
                    print("held", flush=True)
                    sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(loadlock.LoadConflict) as refused:
            loadlock.acquire(tmp_path, RUN)
        assert refused.value.status == 409
        assert "`ieic-kg load` (process 4242 on host)" in refused.value.message
        assert refused.value.hint == "start this one when it has ended"
    finally:
        holder.communicate("\n", timeout=60)
    loadlock.release(loadlock.acquire(tmp_path, RUN))  # free again once the holder has ended
