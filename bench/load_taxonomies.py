"""Benchmark: load the public taxonomies into an empty Neo4j, against a naive loader and neo4j-admin import.

    .venv/bin/python bench/load_taxonomies.py [--data ../shared/data] [--batch-size 1000] [--naive-sample 2000]
                                              [--no-admin-import]

Loads GB/T 4754-2017, CSCO 2022, ESCO 1.1.1 (skills, occupations, hierarchy, every occupation–skill
relation) and O*NET 29.2 technology skills — the set of issue 3 — then ISIC Rev.4, NAICS 2022 and
Lightcast Open Skills, through the ingest engine into a fresh managed Neo4j of its own (in a temporary
folder, so no graph of yours is touched), and prints records/s, wall time and peak memory per source,
for the issue's set and for all. Measured in the same run:

- the cost of the SHACL shapes compiled into the ingest engine: the per-record checks timed alone over
  every node and relationship of the set, as a share of the load;
- a naive loader: one MERGE per record, one transaction each, timed on a sample of the same records
  (nodes and relationships) and extrapolated to the whole set;
- the physical ceiling: the same nodes and relationships written as CSV files and loaded by
  ``neo4j-admin database import full`` (org.neo4j.cli.AdminTool from the managed Neo4j's jars) into the
  stopped server's database — no validation, no MERGE, no provenance timestamps, no indexes — with our
  time as a ratio of it.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ieic_kg.loaders import get_loader
from rich.console import Console
from rich.table import Table

from ieic_kg.config import Settings
from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest
from ieic_kg.neo4j_server import ADMIN_TOOL, ManagedNeo4j, find_java
from ieic_kg.ontology import Ontology, relationship_type
from ieic_kg.records import EdgeRecord, NodeRecord, Ref
from ieic_kg.schema import ENTITY, ensure_schema

REPO = Path(__file__).resolve().parent.parent
#: the set issue 3 names for the benchmark, then the taxonomies added since
ISSUE_SET = ("gbt4754", "csco", "esco", "onet")
ARRAY_DELIMITER = "\x1f"  # never in the data: the CSV's list separator for neo4j-admin


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive_load(store: GraphStore, ingest: Ingest, loader: Any, sample: int) -> tuple[int, float]:
    """Write the first ``sample`` nodes and relationships of a loader one MERGE per transaction."""
    nodes, edges = [], []
    for record in loader.records():
        if isinstance(record, NodeRecord) and len(nodes) < sample:
            nodes.append(record)
        elif isinstance(record, EdgeRecord) and len(edges) < sample:
            edges.append(record)
        if len(nodes) >= sample and len(edges) >= sample:
            break
    started = time.perf_counter()
    for n in nodes:
        iri = n.iri or ingest.mint_iri(n.cls, n.key or "")
        labels = ":".join(f"`{label}`" for label in ingest.ontology.cls(n.cls).neo4j_labels)
        props = {k: v for k, v in n.properties.items() if isinstance(v, str | int | float)}
        store.execute(f"MERGE (n:{ENTITY} {{iri: $iri}}) SET n:{labels} SET n += $props", {"iri": iri, "props": props})
    for e in edges:
        src = e.source.iri or ingest.mint_iri(e.source.cls or "", e.source.key or "")
        dst = e.target.iri or ingest.mint_iri(e.target.cls or "", e.target.key or "")
        rel = relationship_type(e.predicate)
        store.execute(
            f"MERGE (a:{ENTITY} {{iri: $a}}) MERGE (b:{ENTITY} {{iri: $b}}) MERGE (a)-[r:`{rel}`]->(b) SET r += $props",
            {"a": src, "b": dst, "props": {k: v for k, v in e.properties.items() if isinstance(v, str | int | float)}},
        )
    return len(nodes) + len(edges), time.perf_counter() - started


def shape_check_seconds(ingest: Ingest, loaders: list[Any]) -> tuple[int, float]:
    """Time the compiled SHACL checks alone over every node and relationship the loaders yield."""
    shapes = ingest.shapes
    nodes: list[tuple[str, Any]] = []
    edges: list[Any] = []
    for loader in loaders:
        for record in loader.records():
            if isinstance(record, NodeRecord):
                nodes.append((record.cls, record.properties))
            elif isinstance(record, EdgeRecord):
                edges.append(record.properties)
    started = time.perf_counter()
    for cls, props in nodes:
        shapes.check_node(cls, props)
    for props in edges:
        shapes.check_qualifiers(props)
    return len(nodes) + len(edges), time.perf_counter() - started


def _iri(ingest: Ingest, ref: Ref) -> str:
    return ref.iri or ingest.mint_iri(ref.cls or "", ref.key or "")


def _typed(name: str, values: list[Any]) -> str:
    """A neo4j-admin CSV header field: the property name and its type."""
    sample = next((v for v in values if v is not None), "")
    if isinstance(sample, list):
        return f"{name}:string[]"
    if isinstance(sample, bool):
        return f"{name}:boolean"
    if isinstance(sample, int):
        return f"{name}:long"
    if isinstance(sample, float):
        return f"{name}:double"
    return name


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_import_csv(ingest: Ingest, loaders: list[Any], folder: Path) -> tuple[list[str], int]:
    """The loaders' nodes and relationships as neo4j-admin CSV files (one per class and per type); the
    command-line options naming them, and how many rows."""
    nodes: dict[str, tuple[str, dict[str, Any]]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for loader in loaders:
        for record in loader.records():
            if isinstance(record, NodeRecord):
                iri = record.iri or ingest.mint_iri(record.cls, record.key or "")
                seen = nodes.setdefault(iri, (record.cls, {"source": [loader.dataset]}))
                seen[1].update(record.properties)
            elif isinstance(record, EdgeRecord):
                rel = relationship_type(record.predicate)
                key = (_iri(ingest, record.source), rel, _iri(ingest, record.target))
                edges.setdefault(key, {"source": [loader.dataset], **record.properties})
    options: list[str] = []
    by_class: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for iri, (cls, props) in nodes.items():
        by_class[cls].append((iri, props))
    for cls, rows in by_class.items():
        keys = sorted({k for _, props in rows for k in props})
        path = folder / f"nodes-{cls}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["iri:ID", ":LABEL", *(_typed(k, [p.get(k) for _, p in rows]) for k in keys)])
            labels = ";".join((ENTITY, *ingest.ontology.cls(cls).neo4j_labels))
            w.writerows([iri, labels, *(_cell(p.get(k)) for k in keys)] for iri, p in rows)
        options.append(f"--nodes={path}")
    by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for (a, rel, b), props in edges.items():
        by_type[rel].append((a, b, props))
    for rel, rel_rows in by_type.items():
        keys = sorted({k for _, _, props in rel_rows for k in props})
        path = folder / f"relationships-{rel}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(
                [":START_ID", ":END_ID", ":TYPE", *(_typed(k, [p.get(k) for _, _, p in rel_rows]) for k in keys)]
            )
            w.writerows([a, b, rel, *(_cell(p.get(k)) for k in keys)] for a, b, p in rel_rows)
        options.append(f"--relationships={path}")
    return options, len(nodes) + len(edges)


def admin_import(server: ManagedNeo4j, settings: Settings, options: list[str]) -> float:
    """Seconds that ``neo4j-admin database import full`` takes to build the database from the CSV files."""
    java = find_java(settings)
    cmd = [
        str(java.executable),
        "-Xmx2g",
        "-cp",
        f"{server.lib_dir}/*",
        ADMIN_TOOL,
        "database",
        "import",
        "full",
        f"--array-delimiter={ARRAY_DELIMITER}",
        "--multiline-fields=true",  # ESCO altLabels and descriptions span lines
        "--skip-bad-relationships",
        "--skip-duplicate-nodes",
        "--overwrite-destination",
        *options,
        "--",
        "neo4j",
    ]
    env = dict(os.environ, NEO4J_HOME=str(server.home), NEO4J_CONF=str(server.conf_dir))
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=server.home, check=False, timeout=1800)
    seconds = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(
            f"neo4j-admin database import failed (exit {out.returncode}):\n{out.stdout[-3000:]}{out.stderr[-3000:]}"
        )
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="public data folder")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--naive-sample", type=int, default=1000, help="records of each kind for the naive loader")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's Neo4j folder")
    parser.add_argument("--no-admin-import", action="store_true", help="skip the neo4j-admin import comparison")
    args = parser.parse_args()
    console = Console()
    if not args.data.is_dir():
        console.print(f"[red]no public data at {args.data}[/] (pass --data)")
        return 1

    workdir = Path(tempfile.mkdtemp(prefix="ieic-bench-"))
    options: list[str] = []
    rows, csv_seconds = 0, 0.0
    settings = Settings(data_dir=workdir, neo4j_uri=None, neo4j_bolt_port=None, neo4j_heap="2g", neo4j_pagecache="1g")
    server = ManagedNeo4j(settings)
    ontology = Ontology.load()
    sources = [
        ("gbt4754", args.data / "gbt4754-2017.csv"),
        ("csco", None),
        ("esco", args.data / "esco-1.1.1"),
        ("onet", args.data / "onet-29.2"),
        ("isic", None),
        ("naics", None),
        ("lightcast", None),
    ]
    try:
        conn = server.start(progress=console)
        with GraphStore(conn, query_timeout=600) as store:
            ensure_schema(store, ontology)
            ingest = Ingest(settings, ontology, store)
            table = Table(title="Taxonomy load into an empty Neo4j (ingest engine)")
            for col in ("source", "records", "rejected", "seconds", "records/s", "peak RSS MiB"):
                table.add_column(col, justify="right" if col != "source" else "left")
            loaders: dict[str, Any] = {}
            totals: dict[str, list[float]] = {"issue": [0, 0.0], "all": [0, 0.0]}
            for kind, path in sources:
                loader = get_loader(kind, path) if path is not None else get_loader(kind, None)  # type: ignore[arg-type]
                loaders[kind] = loader
                started = time.perf_counter()
                report = ingest.run(loader, batch_size=args.batch_size)
                seconds = time.perf_counter() - started
                t = report.totals()
                for name in ("issue", "all") if kind in ISSUE_SET else ("all",):
                    totals[name][0] += t.read
                    totals[name][1] += seconds
                table.add_row(
                    kind,
                    f"{t.read:,}",
                    f"{t.rejected:,}",
                    f"{seconds:.1f}",
                    f"{t.read / seconds:,.0f}",
                    f"{peak_rss_mib():.0f}",
                )
                if kind == ISSUE_SET[-1]:
                    records, seconds = totals["issue"]
                    table.add_row(
                        "[bold]issue 3's set",
                        f"{records:,.0f}",
                        "",
                        f"{seconds:.1f}",
                        f"{records / seconds:,.0f}",
                        f"{peak_rss_mib():.0f}",
                    )
            records, seconds = totals["all"]
            table.add_row(
                "[bold]all",
                f"{records:,.0f}",
                "",
                f"{seconds:.1f}",
                f"{records / seconds:,.0f}",
                f"{peak_rss_mib():.0f}",
            )
            console.print(table)
            total_records, total_seconds = totals["issue"]
            issue_loaders = [loaders[k] for k in ISSUE_SET]
            checked, shape_seconds = shape_check_seconds(ingest, issue_loaders)
            console.print(
                f"SHACL shapes in the ingest engine: {checked:,} records checked in {shape_seconds:.2f} s = "
                f"{100 * shape_seconds / total_seconds:.1f}% of the load of issue 3's set"
            )

            # the baseline, same server, same run, into the emptied database (the schema stays)
            with store.session() as session:
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            sample_loader = get_loader("esco", args.data / "esco-1.1.1")
            n, naive_seconds = naive_load(store, ingest, sample_loader, args.naive_sample)
            naive_rate = n / naive_seconds
            ours_rate = total_records / total_seconds
            console.print(
                f"naive loader (one MERGE per record per transaction, {n:,} ESCO records into the emptied graph): "
                f"{naive_rate:,.0f} records/s → the whole set would take {total_records / naive_rate:,.0f} s\n"
                f"[bold]ingest engine: {total_seconds:.1f} s for {total_records:,} records = "
                f"{ours_rate / naive_rate:.0f}× the naive loader[/] (target: < 60 s and ≥ 30×)"
            )
            if not args.no_admin_import:
                folder = workdir / "import"
                folder.mkdir()
                started = time.perf_counter()
                options, rows = write_import_csv(ingest, issue_loaders, folder)
                csv_seconds = time.perf_counter() - started
        if not args.no_admin_import:
            server.stop()
            import_seconds = admin_import(server, settings, options)
            console.print(
                f"neo4j-admin database import full of the same {rows:,} nodes and relationships (CSV written in "
                f"{csv_seconds:.1f} s, not counted): {import_seconds:.1f} s, JVM start included → "
                f"[bold]ingest engine {total_seconds:.1f} s = {total_seconds / import_seconds:.1f}× the import[/] "
                "(the import validates nothing, merges nothing, builds no index and writes no provenance times)"
            )
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
