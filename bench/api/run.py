"""Load benchmark of the graph API over loopback HTTP: N concurrent clients for T seconds.

    .venv/bin/python bench/api/run.py                      # 50 clients, 60 s, a server of its own
    .venv/bin/python bench/api/run.py --clients 20 --duration 10
    .venv/bin/python bench/api/run.py --url http://127.0.0.1:8000   # a running server (loopback only)

Without ``--url`` it starts the API under uvicorn on a free 127.0.0.1 port, with the Neo4j of the IEIC_*
settings (the graph should hold the demo: ``ieic-kg demo``) and the rate limit off, and stops it at the
end. First a baseline (GET /health: the HTTP stack alone) runs with the same clients for a third of the
time (at most 10 s), then the mix: entity lookups by IRI and by code, label searches, neighbours and
alignment reports. It prints requests, throughput, p50/p95/p99 latency and errors per kind.

Bounded: every client stops at the deadline, each request has a timeout, and only loopback addresses
are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlparse

import httpx

SEARCH_TERMS = ["机器人", "焊接", "PLC", "robot", "python", "视觉", "数控", "maintenance", "编程", "安全"]
PROGRAM, INDUSTRY = "460305", "3491"
REQUEST_TIMEOUT = 30.0


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # HTTP status or exception


@dataclass
class Targets:
    iris: list[str]
    codes: list[tuple[str, str]]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def loopback_only(url: str) -> None:
    host = urlparse(url).hostname or ""
    try:
        ok = ip_address(host).is_loopback
    except ValueError:
        ok = host == "localhost"
    if not ok:
        sys.exit(f"refusing {url}: the benchmark only runs against a loopback address")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int) -> None:
    """The server process: the API for the IEIC_* settings, rate limit off (one client address sends all)."""
    import uvicorn
    from ieic_kg.api.app import create_app
    from ieic_kg.api.settings import ApiSettings

    from ieic_kg.config import load_settings

    settings = load_settings()
    api = ApiSettings.from_settings(settings).model_copy(update={"api_rate_limit": 0.0})
    app = create_app(settings, api_settings=api)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)], stdin=subprocess.DEVNULL, env=dict(os.environ)
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the API server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    sys.exit("the API server was not ready within 60 s (is Neo4j up and the demo loaded?)")


async def discover(client: httpx.AsyncClient) -> Targets:
    """Real IRIs and codes to ask for, from the graph itself."""
    iris: list[str] = []
    codes: list[tuple[str, str]] = []
    for term in SEARCH_TERMS:
        r = await client.get("/v1/entities/search", params={"q": term, "limit": 20})
        r.raise_for_status()
        for item in r.json()["items"]:
            iris.append(item["iri"])
            if item["code"]:
                codes.append((item["type"], item["code"]))
    if not iris:
        sys.exit("the graph has no entities to ask for: load the demo first (`ieic-kg demo`)")
    return Targets(sorted(set(iris)), sorted(set(codes)))


def mix_request(rng: random.Random, t: Targets) -> tuple[str, str, dict[str, Any]]:
    """(kind, path, params) of the next request of the mix."""
    roll = rng.random()
    if roll < 0.35:
        return "entity by IRI", "/v1/entities", {"iri": rng.choice(t.iris)}
    if roll < 0.50:
        kind, code = rng.choice(t.codes)
        return "entity by code", f"/v1/entities/{kind}/{code}", {}
    if roll < 0.80:
        return "search", "/v1/entities/search", {"q": rng.choice(SEARCH_TERMS), "limit": 20}
    if roll < 0.92:
        return "neighbours", "/v1/entities/neighbours", {"iri": rng.choice(t.iris), "limit": 50}
    return "alignment", "/v1/alignment", {"program": PROGRAM, "industry": INDUSTRY}


async def run_phase(url: str, clients: int, seconds: float, targets: Targets | None, seed: int) -> tuple[Stats, float]:
    stats = Stats()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=REQUEST_TIMEOUT) as client:
        deadline = time.monotonic() + seconds

        async def worker(n: int) -> None:
            rng = random.Random(seed + n)
            while time.monotonic() < deadline:
                params: dict[str, Any]
                if targets is None:
                    kind, path, params = "baseline /health", "/health", {}
                else:
                    kind, path, params = mix_request(rng, targets)
                started = time.perf_counter()
                try:
                    r = await client.get(path, params=params)
                    stats.statuses[str(r.status_code)] += 1
                    if r.status_code != 200:
                        stats.errors[kind] += 1
                        continue
                except httpx.HTTPError as exc:
                    stats.statuses[type(exc).__name__] += 1
                    stats.errors[kind] += 1
                    continue
                stats.latencies[kind].append((time.perf_counter() - started) * 1000)

        started = time.monotonic()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        return stats, time.monotonic() - started


def report(title: str, stats: Stats, elapsed: float) -> list[dict[str, Any]]:
    rows = []
    kinds = sorted(set(stats.latencies) | set(stats.errors))
    every = [v for k in kinds for v in stats.latencies[k]]
    for kind, lat in [*((k, stats.latencies[k]) for k in kinds), ("all", every)]:
        errors = sum(stats.errors.values()) if kind == "all" else stats.errors[kind]
        rows.append(
            {
                "phase": title,
                "kind": kind,
                "requests": len(lat) + errors,
                "throughput_rps": round(len(lat) / elapsed, 1),
                "p50_ms": round(percentile(lat, 50), 2),
                "p95_ms": round(percentile(lat, 95), 2),
                "p99_ms": round(percentile(lat, 99), 2),
                "mean_ms": round(statistics.fmean(lat), 2) if lat else float("nan"),
                "errors": errors,
            }
        )
    print(f"\n{title}: {elapsed:.1f} s, statuses {dict(sorted(stats.statuses.items()))}")
    print(f"{'kind':<18}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for r in rows:
        print(
            f"{r['kind']:<18}{r['requests']:>10}{r['throughput_rps']:>10}{r['p50_ms']:>10}"
            f"{r['p95_ms']:>10}{r['p99_ms']:>10}{r['errors']:>8}"
        )
    return rows


async def bench(url: str, clients: int, duration: float, seed: int) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        targets = await discover(client)
        await client.get("/v1/alignment", params={"program": PROGRAM, "industry": INDUSTRY})  # warm up
    print(f"{clients} clients; targets: {len(targets.iris)} IRIs, {len(targets.codes)} codes; server {url}")
    baseline_seconds = min(10.0, duration / 3)
    rows = report("baseline", *await run_phase(url, clients, baseline_seconds, None, seed))
    rows += report("mix", *await run_phase(url, clients, duration, targets, seed))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the mix (default 60)")
    parser.add_argument("--url", help="a running API on a loopback address (default: start one)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the request mix")
    parser.add_argument("--json", dest="json_path", help="also write the figures to this JSON file")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)  # the server process
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if not 1 <= args.clients <= 1000 or not 0 < args.duration <= 3600:
        parser.error("--clients must be 1–1000 and --duration 0–3600 s")
    proc = None
    url = args.url
    if url:
        loopback_only(url)
    else:
        proc, url = start_server()
    try:
        rows = asyncio.run(bench(url, args.clients, args.duration, args.seed))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
