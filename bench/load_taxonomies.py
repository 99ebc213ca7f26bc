"""Benchmark: load the public taxonomies into an empty Neo4j, against a naive loader measured in the same run.

    .venv/bin/python bench/load_taxonomies.py [--data ../shared/data] [--batch-size 1000] [--naive-sample 2000]

Loads GB/T 4754-2017, CSCO 2022, ESCO 1.1.1 (skills, occupations, hierarchy, every occupation–skill
relation) and O*NET 29.2 technology skills through the ingest engine into a fresh managed Neo4j of its
own (in a temporary folder, so no graph of yours is touched), and prints records/s, wall time and peak
memory per source. The baseline is a naive loader: one MERGE per record, one transaction each, timed on
a sample of the same records (nodes and relationships) and extrapolated to the whole set.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ieic_kg.loaders import get_loader
from rich.console import Console
from rich.table import Table

from ieic_kg.config import Settings
from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest
from ieic_kg.neo4j_server import ManagedNeo4j
from ieic_kg.ontology import Ontology, relationship_type
from ieic_kg.records import EdgeRecord, NodeRecord
from ieic_kg.schema import ENTITY, ensure_schema

REPO = Path(__file__).resolve().parent.parent


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="public data folder")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--naive-sample", type=int, default=1000, help="records of each kind for the naive loader")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's Neo4j folder")
    args = parser.parse_args()
    console = Console()
    if not args.data.is_dir():
        console.print(f"[red]no public data at {args.data}[/] (pass --data)")
        return 1

    workdir = Path(tempfile.mkdtemp(prefix="ieic-bench-"))
    settings = Settings(data_dir=workdir, neo4j_uri=None, neo4j_bolt_port=None, neo4j_heap="2g", neo4j_pagecache="1g")
    server = ManagedNeo4j(settings)
    ontology = Ontology.load()
    sources = [
        ("gbt4754", args.data / "gbt4754-2017.csv"),
        ("csco", None),
        ("esco", args.data / "esco-1.1.1"),
        ("onet", args.data / "onet-29.2"),
    ]
    try:
        conn = server.start(progress=console)
        with GraphStore(conn, query_timeout=600) as store:
            ensure_schema(store, ontology)
            ingest = Ingest(settings, ontology, store)
            table = Table(title="Taxonomy load into an empty Neo4j (ingest engine)")
            for col in ("source", "records", "rejected", "seconds", "records/s", "peak RSS MiB"):
                table.add_column(col, justify="right" if col != "source" else "left")
            total_records, total_seconds = 0, 0.0
            for kind, path in sources:
                loader = get_loader(kind, path) if path is not None else get_loader(kind, None)  # type: ignore[arg-type]
                started = time.perf_counter()
                report = ingest.run(loader, batch_size=args.batch_size)
                seconds = time.perf_counter() - started
                t = report.totals()
                total_records += t.read
                total_seconds += seconds
                table.add_row(
                    kind,
                    f"{t.read:,}",
                    f"{t.rejected:,}",
                    f"{seconds:.1f}",
                    f"{t.read / seconds:,.0f}",
                    f"{peak_rss_mib():.0f}",
                )
            table.add_row(
                "[bold]all",
                f"{total_records:,}",
                "",
                f"{total_seconds:.1f}",
                f"{total_records / total_seconds:,.0f}",
                f"{peak_rss_mib():.0f}",
            )
            console.print(table)

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
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
