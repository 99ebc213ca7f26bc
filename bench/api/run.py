"""Load benchmark of the graph API over loopback HTTP: N concurrent clients for T seconds, driven by wrk.

    .venv/bin/python bench/api/run.py                      # 50 clients, 60 s, `ieic-kg serve` of its own
    .venv/bin/python bench/api/run.py --clients 20 --duration 10 --workers 1
    .venv/bin/python bench/api/run.py --no-cache           # every answer computed (IEIC_API_CACHE_BYTES=0)
    .venv/bin/python bench/api/run.py --url http://127.0.0.1:8000   # a running server (loopback only)

Needs wrk (a compiled HTTP load generator: Debian/Ubuntu ``apt-get install wrk``, macOS ``brew install wrk``);
a load client in Python would use more CPU than the server it measures on a small machine.

Without ``--url`` it starts ``ieic-kg serve --workers W`` on a free 127.0.0.1 port, with the Neo4j and data
folder of the IEIC_* settings (the graph should hold the demo: ``ieic-kg demo``) and the rate limit off, and
stops it at the end. First a baseline (GET /health: the HTTP stack alone) runs with the same clients for a
third of the time (at most 10 s), then the mix: the clients are shared among the kinds of request (entity
lookups by IRI and by code, label searches, neighbours, alignment reports, SPARQL), each client sending one
kind back to back on random targets found in the graph. It prints, per kind, requests, throughput,
p50/p95/p99 latency (wrk's) and errors (any answer but 200, and transport errors), the load average, and —
for a server it started — the CPU seconds per request of the API processes and of the managed Neo4j: a
figure that holds on a machine shared with other work, unlike throughput.

Bounded: wrk stops at the deadline, each request has a timeout, and only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlparse

import httpx

SEARCH_TERMS = [
    "机器人",
    "焊接",
    "PLC",
    "robot",
    "python",
    "视觉",
    "数控",
    "maintenance",
    "编程",
    "安全",
    "management",
    "software",
]
PROGRAM, INDUSTRY = "460305", "3491"
REQUEST_TIMEOUT = 30
IEIC_KG = Path(sys.executable).parent / "ieic-kg"
SPARQL_JSON = "application/sparql-results+json"
#: Share of the clients for each kind of request (entity lookups are half).
MIX = {
    "entity by IRI": 0.35,
    "entity by code": 0.15,
    "search": 0.18,
    "neighbours": 0.12,
    "alignment": 0.10,
    "sparql": 0.10,
}
WRK_MISSING = (
    "wrk is not installed: the benchmark drives the API with it. Install it with `apt-get install wrk` "
    "(Debian/Ubuntu) or `brew install wrk` (macOS), or put a wrk binary on PATH."
)

# wrk runs this Lua: a random path of PATHS per request, and the figures as one JSON line at the end.
LUA = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local thread_seed = 0
setup = function(thread)
  thread_seed = thread_seed + 1
  thread:set("seed", %(seed)d * 1000 + thread_seed)
end
init = function(args)
  math.randomseed(seed or %(seed)d)
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%%d,"seconds":%%f,"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d,' ..
    '"p50":%%f,"p95":%%f,"p99":%%f,"mean":%%f,"max":%%f}\\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000))
end
"""


@dataclass
class Kind:
    name: str
    paths: list[str]
    headers: dict[str, str]


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


def start_server(workers: int, cache: bool) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "IEIC_API_RATE_LIMIT": "0"}  # one client address sends everything
    if not cache:
        env["IEIC_API_CACHE_BYTES"] = "0"
    proc = subprocess.Popen(
        [
            str(IEIC_KG),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the API server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/ready", timeout=5).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    proc.kill()
    sys.exit("the API server was not ready within 120 s (is Neo4j up and the demo loaded?)")


def discover(url: str) -> list[Kind]:
    """The requests of the mix, on real IRIs and codes found in the graph itself."""
    iris: set[str] = set()
    codes: set[tuple[str, str]] = set()
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        for term in SEARCH_TERMS:
            r = client.get("/v1/entities/search", params={"q": term, "limit": 20})
            r.raise_for_status()
            for item in r.json()["items"]:
                iris.add(item["iri"])
                if item["code"]:
                    codes.add((item["type"], item["code"]))
        if not iris:
            sys.exit("the graph has no entities to ask for: load the demo first (`ieic-kg demo`)")
        alignment = client.get("/v1/alignment", params={"program": PROGRAM, "industry": INDUSTRY})
        if alignment.status_code != 200:
            sys.exit(f"GET /v1/alignment?program={PROGRAM}&industry={INDUSTRY}: {alignment.status_code}; load the demo")
    ordered = sorted(iris)

    def path(p: str, **params: Any) -> str:
        return p + ("?" + urlencode(params, doseq=True) if params else "")

    sparql = "SELECT ?p ?o WHERE { <%s> ?p ?o } LIMIT 100"
    return [
        Kind("entity by IRI", [path("/v1/entities", iri=i) for i in ordered], {}),
        Kind("entity by code", [f"/v1/entities/{t}/{quote(c, safe='')}" for t, c in sorted(codes)], {}),
        Kind("search", [path("/v1/entities/search", q=t, limit=20) for t in SEARCH_TERMS], {}),
        Kind("neighbours", [path("/v1/entities/neighbours", iri=i, limit=50) for i in ordered], {}),
        Kind("alignment", [path("/v1/alignment", program=PROGRAM, industry=INDUSTRY)], {}),
        Kind("sparql", [path("/sparql", query=sparql % i) for i in ordered], {"Accept": SPARQL_JSON}),
    ]


def shares(clients: int) -> dict[str, int]:
    """Clients per kind: at least one each, in the proportions of MIX, summing to ``clients``."""
    n = {k: max(1, round(w * clients)) for k, w in MIX.items()}
    while sum(n.values()) > clients:
        biggest = max(n, key=lambda k: n[k])
        n[biggest] -= 1
    n["entity by IRI"] += clients - sum(n.values())
    return n


def lua(kind: Kind, seed: int) -> str:
    def lua_str(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return LUA % {
        "paths": ", ".join(lua_str(p) for p in kind.paths),
        "headers": ", ".join(f"[{lua_str(k)}] = {lua_str(v)}" for k, v in kind.headers.items()),
        "seed": seed,
    }


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its descendants (live ones, and the reaped)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def neo4j_pid() -> int | None:
    """The managed Neo4j's process, when the settings use one."""
    try:
        from ieic_kg.config import load_settings
        from ieic_kg.neo4j_server import ManagedNeo4j

        settings = load_settings()
        return ManagedNeo4j(settings).status().pid if settings.managed else None
    except Exception:
        return None


def run_wrk(url: str, work: list[tuple[Kind, int]], seconds: float, seed: int, folder: Path) -> dict[str, Any]:
    """Run one wrk per kind at once (``clients`` connections each); their figures by kind."""
    procs = []
    for n, (kind, clients) in enumerate(work):
        script = folder / f"kind{n}.lua"
        script.write_text(lua(kind, seed + n), encoding="utf-8")
        cmd = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", f"--timeout={REQUEST_TIMEOUT}s"]
        procs.append((kind, subprocess.Popen([*cmd, "-s", str(script), url], stdout=subprocess.PIPE, text=True)))
    results = {}
    for kind, proc in procs:
        out, _ = proc.communicate(timeout=seconds + REQUEST_TIMEOUT + 30)
        line = next((x for x in out.splitlines() if x.startswith("WRK ")), None)
        if proc.returncode != 0 or line is None:
            sys.exit(f"wrk failed for {kind.name} ({proc.returncode}):\n{out}")
        results[kind.name] = json.loads(line[4:])
    return results


def phase(
    title: str, url: str, work: list[tuple[Kind, int]], seconds: float, seed: int, pids: dict[str, int]
) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="ieic-bench-") as tmp:
        load_before = os.getloadavg()[0]
        cpu_before = {name: tree_cpu(pid) for name, pid in pids.items()}
        results = run_wrk(url, work, seconds, seed, Path(tmp))
        cpu = {name: tree_cpu(pid) - cpu_before[name] for name, pid in pids.items()}
        load_after = os.getloadavg()[0]
    rows = []
    for name, r in results.items():
        errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
        rows.append({"phase": title, "kind": name, **r, "errors": errors, "rps": r["requests"] / r["seconds"]})
    total = sum(r["requests"] for r in rows)
    every = {
        "phase": title,
        "kind": "all",
        "requests": total,
        "errors": sum(r["errors"] for r in rows),
        "rps": sum(r["rps"] for r in rows),
    }
    print(f"\n{title}: {seconds:.0f} s, load average {load_before:.2f} → {load_after:.2f}")
    print(f"{'kind':<16}{'clients':>8}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for (_, clients), r in zip(work, rows, strict=True):
        r["clients"] = clients
        print(
            f"{r['kind']:<16}{clients:>8}{r['requests']:>10}{r['rps']:>9.1f}{r['p50']:>9.2f}{r['p95']:>9.2f}"
            f"{r['p99']:>9.2f}{r['errors']:>8}"
        )
    if len(rows) > 1:
        print(f"{'all':<16}{sum(c for _, c in work):>8}{total:>10}{every['rps']:>9.1f}{'':>27}{every['errors']:>8}")
    for name, seconds_used in cpu.items():
        per = seconds_used / total * 1000 if total else float("nan")
        print(f"CPU of {name}: {seconds_used:.1f} s, {per:.3f} ms per request")
        every[f"cpu_ms_per_request_{name}"] = round(per, 4)
    every["load_average"] = [round(load_before, 2), round(load_after, 2)]
    return [*rows, every]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the mix (default 60)")
    parser.add_argument("--url", help="a running API on a loopback address (default: start one)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes it starts (default 2)")
    parser.add_argument("--no-cache", action="store_true", help="start the server with the answer cache off")
    parser.add_argument(
        "--warmup", type=float, default=10.0, help="seconds of the mix run first and not counted (default 10)"
    )
    parser.add_argument(
        "--each",
        type=float,
        default=0,
        metavar="SECONDS",
        help="then run each kind alone (all clients) for SECONDS: its CPU per request (default: skip)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the request mix")
    parser.add_argument("--json", dest="json_path", help="also write the figures to this JSON file")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit(WRK_MISSING)
    if not len(MIX) <= args.clients <= 1000 or not 0 < args.duration <= 3600 or not 1 <= args.workers <= 16:
        parser.error(f"--clients must be {len(MIX)}–1000, --duration 0–3600 s, --workers 1–16")
    proc = None
    url = args.url
    pids: dict[str, int] = {}
    if url:
        loopback_only(url)
    else:
        proc, url = start_server(args.workers, not args.no_cache)
        pids["the API"] = proc.pid
        neo4j = neo4j_pid()
        if neo4j is not None:
            pids["Neo4j"] = neo4j
    try:
        kinds = discover(url)
        print(
            f"{args.clients} clients; {len(kinds[0].paths)} IRIs, {len(kinds[1].paths)} codes; server {url}"
            + ("" if args.url else f" ({args.workers} workers, cache {'off' if args.no_cache else 'on'})")
        )
        health = Kind("GET /health", ["/health"], {})
        rows = phase("baseline", url, [(health, args.clients)], min(10.0, args.duration / 3), args.seed, pids)
        n = shares(args.clients)
        if args.warmup > 0:  # every target asked once or more by each server process: the steady state
            phase("warm-up (not counted)", url, [(k, n[k.name]) for k in kinds], args.warmup, args.seed + 7, pids)
        rows += phase("mix", url, [(k, n[k.name]) for k in kinds], args.duration, args.seed, pids)
        for kind in kinds if args.each > 0 else []:
            rows += phase(f"{kind.name} alone", url, [(kind, args.clients)], args.each, args.seed, pids)
    finally:
        if proc is not None:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
