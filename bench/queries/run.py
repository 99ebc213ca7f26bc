"""Named-query benchmark: SPARQL on Oxigraph against rdflib's SPARQL engine, and Cypher alignment_paths p95.

Reads the graph you have (the configured Neo4j and the RDF store of IEIC_DATA_DIR, e.g. after
``ieic-kg demo``); it never writes to either. For each SPARQL named query, with parameters taken from the
data, it times the query on the Oxigraph store (median of ``--runs``) and on rdflib's built-in engine over
the same triples (the default graph, loaded into an rdflib Graph; median of ``--rdflib-runs``), and prints
the ratio. Then it times the Cypher ``alignment_paths`` of one program ``--cypher-runs`` times and prints
the p50 and p95. Figures only, no assertions.

    .venv/bin/python bench/queries/run.py [--runs 20] [--rdflib-runs 3] [--rdflib-timeout 120] [--cypher-runs 50]
                                          [--skip-cypher]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from typing import Any

from neo4j.exceptions import Neo4jError
from rdflib import Graph, Literal, URIRef

from ieic_kg.config import Settings
from ieic_kg.errors import IeicError
from ieic_kg.queries import QueryLibrary, run_query, sparql_request
from ieic_kg.rdfstore import PREFIXES, RdfStore, from_ox


def pick_params(rdf: RdfStore) -> dict[str, Any]:
    """Parameters that exist in the data: the program and industry with the most alignment paths, etc."""

    def first(sparql: str) -> Any:
        rows = rdf.query(sparql).rows
        return next(iter(rows[0].values())) if rows else None

    program = first(
        "SELECT ?code WHERE { ?p a ieic:Program ; ieic:code ?code ; ieic:hasCourse/ieic:teachesSkill ?s } "
        "GROUP BY ?code ORDER BY DESC(COUNT(?s)) ?code LIMIT 1"
    )
    industry = first(
        "SELECT ?code WHERE { ?i a ieic:Industry ; ieic:code ?code . ?o ieic:inIndustry/ieic:broader* ?i ; "
        "ieic:requiresSkill ?s . ?e ieic:inIndustry/ieic:broader* ?i . ?j ieic:postedBy ?e } "
        "GROUP BY ?code ORDER BY DESC(COUNT(DISTINCT ?s)) ?code LIMIT 1"
    )
    standard = first("SELECT ?code WHERE { ?s ieic:code ?code ; ieic:specifiesSkill ?k } ORDER BY ?code LIMIT 1")
    community = first("SELECT ?code WHERE { ?c a ieic:Community ; ieic:code ?code } ORDER BY ?code LIMIT 1")
    # the occupation with the most postings (the evidence behind one `ieic-kg align --occupation` report)
    occupation = first(
        "SELECT ?code WHERE { ?j ieic:forOccupation ?o . ?o ieic:code ?code } "
        "GROUP BY ?code ORDER BY DESC(COUNT(?j)) ?code LIMIT 1"
    )
    skills = [r["s"] for r in rdf.query("SELECT DISTINCT ?s WHERE { ?r ieic:coversSkill ?s } ORDER BY ?s LIMIT 5").rows]
    course_rows = rdf.query(
        "SELECT ?pc ?c WHERE { ?p a ieic:Program ; ieic:code ?pc ; ieic:hasCourse/ieic:code ?c } ORDER BY ?c"
    ).rows
    courses = [r["c"] for r in course_rows if r["pc"] == program][:3]
    return {
        "courses": courses,
        "program": program,
        "industry": industry,
        "standard": standard,
        "community": community,
        "occupations": [occupation] if occupation else [],
        "skills": skills,
        "window": "quarter",
        "limit": 50,
    }


def without_lateral(text: str) -> str:
    """The query in plain SPARQL 1.1 for rdflib: each ``LATERAL { OPTIONAL { … } }`` (SEP-0006, which rdflib
    does not parse) as the ``OPTIONAL { … }`` it wraps, nested ones included — the same answer, evaluated as a
    join."""
    out, i = [], 0
    while (start := text.find("LATERAL {", i)) >= 0:
        inner = text.index("{", start) + 1
        depth, k = 1, inner
        while depth:
            depth += {"{": 1, "}": -1}.get(text[k], 0)
            k += 1
        out += [text[i:start], without_lateral(text[inner : k - 1].strip())]  # nested ones too
        i = k
    return "".join(out) + text[i:]


def rdflib_bindings(bindings: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in bindings.items():
        if isinstance(v, str) and v.startswith(("http://", "https://", "urn:")):
            out[k] = URIRef(v)
        else:
            out[k] = Literal(v)
    return out


def server_side(store: Any, cypher: str, params: dict[str, Any], runs: int) -> tuple[float, int | None]:
    """Neo4j's own time for a query (median over ``runs`` of result_available_after + result_consumed_after,
    without the driver's and Python's share) and the database hits of one PROFILE run (None when Neo4j cannot
    profile the query)."""
    times = []
    with store.session() as session:
        for _ in range(runs):
            summary = session.run(cypher, params).consume()
            times.append((summary.result_available_after or 0) + (summary.result_consumed_after or 0))
        try:
            profile = session.run("PROFILE " + cypher, params).consume().profile or {}
        except Neo4jError:
            return statistics.median(times), None

    def hits(plan: dict[str, Any]) -> int:
        return int(plan.get("dbHits", 0)) + sum(hits(c) for c in plan.get("children", []))

    return statistics.median(times), hits(profile)


def timed(fn: Any, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def rdflib_timed(graph: Graph, text: str, bindings: dict[str, Any], runs: int, limit: float) -> float | None:
    """Median seconds of rdflib's engine on the query, in a forked child killed after ``limit`` seconds (None):
    rdflib spends hours on some queries, and a benchmark must end."""
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)

    def child() -> None:
        seconds, _ = timed(
            lambda: list(graph.query(without_lateral(text), initNs=PREFIXES, initBindings=rdflib_bindings(bindings))),
            runs,
        )
        sender.send(seconds)

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None
    return float(receiver.recv()) if receiver.poll() else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20, help="Oxigraph runs per query (median)")
    ap.add_argument("--rdflib-runs", type=int, default=1, help="rdflib runs per query (median); 0: skip rdflib")
    ap.add_argument(
        "--rdflib-timeout", type=float, default=120, help="seconds rdflib may take on one query (default 120)"
    )
    ap.add_argument("--cypher-runs", type=int, default=50, help="runs of the Cypher alignment_paths (p95)")
    ap.add_argument("--skip-cypher", action="store_true", help="do not time Cypher (no Neo4j needed)")
    ap.add_argument("--skip-sparql", action="store_true", help="do not time SPARQL (the store still gives parameters)")
    ap.add_argument("--every-cypher", action="store_true", help="also time every Cypher named query (median of --runs)")
    args = ap.parse_args()

    settings = Settings()
    library = QueryLibrary()
    with RdfStore.open(settings) as rdf:
        params = pick_params(rdf)
        graph = Graph()
        if args.rdflib_runs:
            for t in rdf.default_triples():
                graph.add(tuple(from_ox(x) for x in (t.subject, t.predicate, t.object)))
        print(f"data: {rdf.count():,} triples (default graph); parameters: {params}")
        print(f"{'query':28} {'rows':>6} {'oxigraph ms':>12} {'rdflib ms':>11} {'ratio':>8}")
        ratios = []
        for q in (q for q in library.all() if q.language == "sparql" and not args.skip_sparql):
            given = {p.name: params[p.name] for p in q.params if params.get(p.name) is not None}
            bound = q.bind(given)
            text, bindings = sparql_request(q, bound)
            ox_s, rows = timed(lambda q=q, given=given: run_query(q, given, rdf_store=rdf, timeout=600), args.runs)
            if not args.rdflib_runs:
                print(f"{q.name:28} {len(rows):>6} {ox_s * 1000:>12.2f} {'—':>11} {'—':>8}")
                continue
            rl_s = rdflib_timed(graph, text, bindings, args.rdflib_runs, args.rdflib_timeout)
            if rl_s is None:  # stopped at the limit: the ratio is at least limit / oxigraph
                bound_ratio = args.rdflib_timeout / ox_s if ox_s else float("inf")
                ratios.append(bound_ratio)
                limit_ms = f"> {args.rdflib_timeout * 1000:.0f}"
                print(
                    f"{q.name:28} {len(rows):>6} {ox_s * 1000:>12.2f} {limit_ms:>11} {'> ' + f'{bound_ratio:.0f}×':>8}"
                )
                continue
            ratio = rl_s / ox_s if ox_s else float("inf")
            ratios.append(ratio)
            print(f"{q.name:28} {len(rows):>6} {ox_s * 1000:>12.2f} {rl_s * 1000:>11.1f} {ratio:>7.0f}×")
        if ratios:
            print(
                f"ratio rdflib/oxigraph: median {statistics.median(ratios):.0f}×, min {min(ratios):.0f}× (target ≥ 30×)"
            )

    if args.skip_cypher:
        return
    from ieic_kg.graph import GraphStore
    from ieic_kg.neo4j_server import resolve_connection

    store = GraphStore(resolve_connection(settings), query_timeout=settings.query_timeout)
    try:
        if args.every_cypher:
            print(f"{'cypher query':40} {'rows':>6} {'neo4j ms':>9} {'server ms':>9} {'db hits':>10}")
            cases = [
                (q.name, q, {p.name: params[p.name] for p in q.params if params.get(p.name) is not None})
                for q in library.all()
                if q.language == "cypher"
            ]
            # the coverage matrix reads every occupation's weights at once
            cases.append(("occupation_demand_weights (all)", library.get("occupation_demand_weights"), {}))
            for label, q, given in cases:
                try:
                    neo_s, rows = timed(lambda q=q, given=given: run_query(q, given, graph_store=store), args.runs)
                    server_ms, hits = server_side(store, q.text, q.bind(given), args.runs)
                except IeicError as exc:
                    print(f"{label:40} failed: {exc.message}")
                    continue
                shown = "—" if hits is None else f"{hits:,}"
                print(f"{label:40} {len(rows):>6} {neo_s * 1000:>9.1f} {server_ms:>9.1f} {shown:>10}")
        q = library.get("alignment_paths", "cypher")
        given = {"program": params["program"], "industry": params["industry"]}
        times = []
        rows: list = []
        for _ in range(args.cypher_runs):
            started = time.perf_counter()
            rows = run_query(q, given, graph_store=store)
            times.append(time.perf_counter() - started)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        print(
            f"cypher alignment_paths program={given['program']} industry={given['industry']}: {len(rows)} rows, "
            f"{len(times)} runs, p50 {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
        )
    finally:
        store.close()


if __name__ == "__main__":
    main()
