"""Benchmark: alignment, coverage matrix, learning paths and matching, against naive baselines in the same run.

    .venv/bin/python bench/alignment/run.py [--runs 200] [--esco ../shared/data/esco-1.1.1] [--use-env]

By default it starts a managed Neo4j of its own in a temporary folder (your graphs are not touched), loads
the demo through `ieic-kg demo` and, with --esco, the ESCO taxonomy on top (13k skills, 3k occupations,
~126k occupation–skill relations: the taxonomy-scale graph). --use-env measures the Neo4j named by
IEIC_NEO4J_* instead, as it is (load it yourself first). Prints figures; asserts nothing.

Figures: p50/p95 of align (program × industry) and align_occupation over --runs runs (target p95 < 20 ms
on the demo); the coverage matrix of every program × every occupation (target < 2 s) against the naive
loop of one align_occupation per pair (timed on a sample of pairs and extrapolated when there are many);
a learning path and a match for a demo student.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ieic_kg.alignment import AlignmentEngine
from ieic_kg.config import Settings, load_settings
from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import ManagedNeo4j, Neo4jConnection, ensure_neo4j
from ieic_kg.queries import QueryLibrary
from ieic_kg.students import StudentAdvisor, load_students

IEIC_KG = Path(sys.executable).parent / "ieic-kg"
console = Console()


def timed(fn: Callable[[], Any], runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def cli(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([str(IEIC_KG), *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"ieic-kg {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def measure(conn: Neo4jConnection, label: str, runs: int, table: Table) -> None:
    with GraphStore(conn) as store:
        engine = AlignmentEngine(store, QueryLibrary())
        nodes = store.read("MATCH (o:Occupation) RETURN count(o) AS n")[0]["n"]
        skills = store.read("MATCH (s:Skill) RETURN count(s) AS n")[0]["n"]
        console.print(f"[bold]{label}[/]: {nodes:,} occupations, {skills:,} skills")

        def row(what: str, ms: list[float], note: str = "") -> None:
            table.add_row(label, what, str(len(ms)), f"{pct(ms, 50):.1f}", f"{pct(ms, 95):.1f}", note)

        row("align 460305 × industry 3491", timed(lambda: engine.align("460305", "3491"), runs))
        row(
            "align_occupation 460305 × 6-31-07-03", timed(lambda: engine.align_occupation("460305", "6-31-07-03"), runs)
        )

        matrix_runs = 5 if nodes > 1000 else 20
        cells: list[Any] = []

        def matrix() -> None:
            cells[:] = engine.coverage_matrix()

        ms = timed(matrix, matrix_runs, warmup=1)
        pairs = len(cells)
        row(f"coverage_matrix, {pairs:,} pairs", ms, "target < 2000 ms")
        sample = cells if pairs <= 200 else cells[:: max(1, pairs // 200)][:200]
        t = time.perf_counter()
        for c in sample:
            engine.align_occupation(c.program_iri, c.occupation_iri)
        per_pair = (time.perf_counter() - t) * 1000 / len(sample)
        note = "all pairs" if sample is cells else f"{len(sample)} sampled pairs × {pairs:,}"
        table.add_row(label, "baseline: align_occupation per pair", "1", f"{per_pair * pairs:.0f}", "", note)

        advisor = StudentAdvisor(engine, load_students())
        row("learning_path S2024003 → 6-31-07-03", timed(lambda: advisor.learning_path("S2024003"), max(20, runs // 5)))
        row("match S2024004 (postings + internships)", timed(lambda: advisor.match("S2024004"), max(20, runs // 5)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--esco", type=Path, help="ESCO 1.1.1 folder: also measure the taxonomy-scale graph")
    ap.add_argument("--use-env", action="store_true", help="measure the Neo4j of IEIC_NEO4J_* as loaded")
    args = ap.parse_args()
    table = Table(title="Alignment benchmark (ms)")
    for col in ("graph", "operation", "runs", "p50", "p95", "note"):
        table.add_column(col, justify="right" if col in ("runs", "p50", "p95") else "left")
    if args.use_env:
        settings = load_settings()
        measure(ensure_neo4j(settings, console), "env graph", args.runs, table)
        console.print(table)
        return
    workdir = Path(tempfile.mkdtemp(prefix="ieic-bench-align-"))
    settings = Settings(data_dir=workdir, neo4j_uri=None, neo4j_bolt_port=None, neo4j_heap="2g", neo4j_pagecache="1g")
    server = ManagedNeo4j(settings)
    try:
        conn = server.start(progress=console)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("IEIC_")},
            "IEIC_NEO4J_URI": conn.uri,
            "IEIC_NEO4J_USER": conn.user,
            "IEIC_NEO4J_PASSWORD": conn.password,
            "IEIC_NEO4J_DATABASE": conn.database,
            "IEIC_DATA_DIR": str(workdir),
        }
        cli(env, "demo")
        measure(conn, "demo", args.runs, table)
        if args.esco:
            started = time.perf_counter()
            cli(env, "load", "esco", str(args.esco))
            console.print(f"ESCO loaded in {time.perf_counter() - started:.0f}s")
            measure(conn, "demo + ESCO", args.runs, table)
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    console.print(table)


if __name__ == "__main__":
    main()
