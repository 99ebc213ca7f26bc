"""Benchmark of the API's /sparql endpoint on published snapshots, alone and while another process writes.

    .venv/bin/python bench/sparql/run.py                          # 20 clients, 15 s a phase, 200k triples
    .venv/bin/python bench/sparql/run.py --clients 50 --duration 30 --triples 1000000

It builds a synthetic RDF store of its own (``--triples`` in 20 named graphs) in a temporary data folder,
starts ``ieic-kg serve`` on it on a free loopback port (Neo4j is not needed: /sparql does not use it), and
runs with the same clients:

1. the baseline: ``GET /health`` (the HTTP stack alone);
2. ``/sparql`` lookups (the triples of a random subject), and the same query evaluated in this process on
   the snapshot (pyoxigraph alone, no HTTP, no worker) as the floor;
3. the same lookups while a writer process replaces a 10,000-triple named graph and closes the store (which
   publishes a snapshot) over and over; every answer to a COUNT of that graph must be 0 or 10,000.

It prints requests, throughput, p50/p95/p99 and errors per phase, the ratios to the baseline, and the
writer's publishes. Bounded: clients stop at the deadline, each request has a timeout, loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from ieic_kg.rdfsnapshot import current, snapshots_dir
from ieic_kg.rdfstore import RdfStore

BASE = "https://example.org/bench/"
WRITER_GRAPH = BASE + "graph/written"
WRITER_TRIPLES = 10_000
IEIC_KG = Path(sys.executable).parent / "ieic-kg"


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def row(self, baseline: Phase | None) -> str:
        lat = sorted(self.latencies)

        def pct(q: float) -> float:
            return lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")

        rate = len(lat) / self.seconds if self.seconds else 0.0
        ratio = ""
        if baseline is not None and baseline.latencies and lat:
            ratio = f"{statistics.median(lat) / statistics.median(baseline.latencies):>8.1f}x"
        return (
            f"{self.name:<40}{len(lat):>9}{rate:>9.0f}{pct(0.5):>9.2f}{pct(0.95):>9.2f}{pct(0.99):>9.2f}"
            f"{self.errors:>7}{ratio}"
        )


def build_store(data_dir: Path, triples: int) -> list[str]:
    """A store of ``triples`` triples in 20 named graphs; the subjects."""
    subjects = [f"{BASE}s/{i}" for i in range(triples // 10)]
    with RdfStore(data_dir / "rdf") as store:
        for g in range(20):
            part = subjects[g::20]
            store.replace_graph(
                f"{BASE}graph/{g}",
                [
                    ox.Triple(ox.NamedNode(s), ox.NamedNode(f"{BASE}p/{k}"), ox.Literal(f"{s} value {k}"))
                    for s in part
                    for k in range(10)
                ],
            )
    return subjects


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    closed = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IEIC_")}
    env.update(
        IEIC_DATA_DIR=str(data_dir),
        IEIC_NEO4J_URI=f"bolt://127.0.0.1:{closed}",  # nothing listens: /sparql does not need Neo4j
        IEIC_NEO4J_PASSWORD="unused-password",
        IEIC_API_PORT=str(port),
        IEIC_API_RATE_LIMIT="0",
        IEIC_API_SPARQL_WORKERS=str(workers),
    )
    log = (data_dir / "serve.log").open("wb")
    proc = subprocess.Popen([str(IEIC_KG), "serve"], env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the API server exited with {proc.returncode}; see {data_dir / 'serve.log'}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    sys.exit("the API server did not start within 120 s")


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import pyoxigraph as ox
    from ieic_kg.rdfstore import RdfStore
    path, graph, n, until = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    triples = [ox.Triple(ox.NamedNode(f"{graph}/s/{i}"), ox.NamedNode(f"{graph}/p"), ox.Literal(str(i)))
               for i in range(n)]
    rounds, publish = 0, 0.0
    while time.time() < until:
        store = RdfStore(path)
        store.replace_graph(graph, [] if rounds % 2 else triples)
        started = time.perf_counter()
        store.close()  # flush, and publish the snapshot
        publish += time.perf_counter() - started
        rounds += 1
    print(rounds, publish / max(rounds, 1))
    """
)


async def run_phase(
    name: str, url: str, clients: int, seconds: float, pick: object, check: bool = False
) -> tuple[Phase, set[int]]:
    phase = Phase(name)
    counts: set[int] = set()
    deadline = time.monotonic() + seconds
    count_query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{WRITER_GRAPH}> {{ ?s ?p ?o }} }}"

    async def client(n: int) -> None:
        rng = random.Random(n)
        async with httpx.AsyncClient(base_url=url, timeout=30) as c:
            i = 0
            while time.monotonic() < deadline:
                path, params = pick(rng)  # type: ignore[operator]
                if check and i % 5 == 0:
                    path, params = "/sparql", {"query": count_query}
                i += 1
                started = time.perf_counter()
                try:
                    r = await c.get(path, params=params)
                    ok = r.status_code == 200
                    if ok and params.get("query") == count_query:
                        counts.add(int(r.json()["results"]["bindings"][0]["n"]["value"]))
                except httpx.HTTPError:
                    ok = False
                if ok:
                    phase.latencies.append((time.perf_counter() - started) * 1000)
                else:
                    phase.errors += 1

    started = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(clients)))
    phase.seconds = time.monotonic() - started
    return phase, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per phase")
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2, help="IEIC_API_SPARQL_WORKERS")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ieic-bench-sparql-") as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        subjects = build_store(data, args.triples)
        print(f"store: {args.triples:,} triples in 20 graphs, built in {time.perf_counter() - started:.1f} s")

        def lookup(rng: random.Random) -> tuple[str, dict[str, str]]:
            return "/sparql", {"query": f"SELECT ?p ?o WHERE {{ <{rng.choice(subjects)}> ?p ?o }}"}

        def health(rng: random.Random) -> tuple[str, dict[str, str]]:
            return "/health", {}

        # the floor: the same lookups with pyoxigraph alone on the published snapshot, in this process
        generation = current(snapshots_dir(data / "rdf"))
        assert generation is not None
        snapshot = ox.Store.read_only(str(generation.path))
        rng = random.Random(0)
        floor = Phase("pyoxigraph alone, same lookup (1 thread)")
        t0 = time.monotonic()
        while time.monotonic() - t0 < min(args.duration, 5):
            s = time.perf_counter()
            list(snapshot.query(f"SELECT ?p ?o WHERE {{ <{rng.choice(subjects)}> ?p ?o }}"))
            floor.latencies.append((time.perf_counter() - s) * 1000)
        floor.seconds = time.monotonic() - t0
        del snapshot

        proc, url = start_server(data, args.workers)
        try:
            phases: list[Phase] = []
            base, _ = asyncio.run(run_phase("baseline GET /health", url, args.clients, args.duration, health))
            phases.append(base)
            alone, _ = asyncio.run(run_phase("/sparql lookup", url, args.clients, args.duration, lookup))
            phases.append(alone)
            until = time.time() + args.duration
            writer = subprocess.Popen(
                [sys.executable, "-c", WRITER, str(data / "rdf"), WRITER_GRAPH, str(WRITER_TRIPLES), str(until)],
                stdout=subprocess.PIPE,
                text=True,
            )
            busy, counts = asyncio.run(
                run_phase("/sparql lookup, a writer publishing", url, args.clients, args.duration, lookup, True)
            )
            out, _ = writer.communicate(timeout=args.duration + 120)
            phases.append(busy)
        finally:
            proc.terminate()
            proc.wait(30)
        rounds, publish = out.split()
        print(
            f"\n{args.clients} clients, {args.duration:g} s a phase, {args.workers} SPARQL workers; latencies in ms; "
            "ratio: p50 / baseline p50\n"
        )
        print(f"{'phase':<40}{'requests':>9}{'req/s':>9}{'p50':>9}{'p95':>9}{'p99':>9}{'errors':>7}{'ratio':>9}")
        print(floor.row(None))
        for p in phases:
            print(p.row(base if p is not base else None))
        print(
            f"\nwriter: {rounds} publishes of a {WRITER_TRIPLES:,}-triple graph (replaced, then removed), "
            f"close+publish {float(publish) * 1000:.1f} ms on average"
        )
        print(f"COUNT of the written graph seen by the clients: {sorted(counts)} (each must be 0 or {WRITER_TRIPLES})")
        if not counts <= {0, WRITER_TRIPLES}:
            sys.exit("a query saw a partly written graph")


if __name__ == "__main__":
    main()
