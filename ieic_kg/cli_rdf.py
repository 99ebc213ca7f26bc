"""Commands of the RDF side: ``export``, ``sync``, ``sparql`` and ``restore`` (docs/rdf.md).

``register(app)`` adds them to the ``ieic-kg`` Typer app. Like the other commands, each builds its own
``Settings``, opens the stores it needs and lets an ``IeicError`` reach ``ieic_kg.cli.main``, which
prints it as one line with its hint and exits 1.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ieic_kg import loadlock
from ieic_kg.config import Settings
from ieic_kg.errors import StoreUnavailable
from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import ensure_neo4j
from ieic_kg.ontology import Ontology
from ieic_kg.rdfstore import RdfStore, SparqlResult

console = Console()
err_console = Console(stderr=True)


def _open_graph(settings: Settings) -> GraphStore:
    return GraphStore(ensure_neo4j(settings, err_console), query_timeout=settings.query_timeout)


def export_command(
    fmt: Annotated[str, typer.Option("--format", help="ttl, nq (named graphs), jsonld or csv (a zip).")] = "ttl",
    source: Annotated[str | None, typer.Option("--source", help="Only what this dataset stated.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: standard output; csv needs one).")
    ] = None,
) -> None:
    """Export the graph from Neo4j as RDF (Turtle, N-Quads, JSON-LD) or CSV, provenance included.

    Example: **ieic-kg export --format nq --output backup.nq** (restore it with
    **ieic-kg restore backup.nq**).
    """
    from ieic_kg.export import FORMATS, TEXT_FORMATS, export

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of: {', '.join(FORMATS)}", param_hint="--format")
    if output is None and fmt not in TEXT_FORMATS:
        raise typer.BadParameter(f"a {fmt} export is a zip file: give --output FILE", param_hint="--output")
    settings = Settings()
    ontology = Ontology.load()
    with _open_graph(settings) as store:
        result = export(store, ontology, settings, fmt, source, out=output if output else sys.stdout.buffer)
    if output is not None:
        console.print(
            f"Wrote {output} ({result.bytes:,} bytes): {result.nodes} nodes, {result.relationships} relationships, "
            f"{result.load_runs} load runs"
            + (f", {result.triples:,} triples" if fmt != "csv" else "")
            + f" from {len(result.datasets)} dataset(s) in {result.seconds:.1f}s."
        )
    if result.skipped:
        skipped = ", ".join(f"{k} ({n})" for k, n in result.skipped.most_common())
        err_console.print(f"[yellow]Not in the ontology, not exported:[/] {skipped}")


def sync_command(
    verify_: Annotated[
        bool, typer.Option("--verify", help="Compare the RDF store with Neo4j; exit 1 if they differ.")
    ] = False,
    repair_: Annotated[
        bool, typer.Option("--repair", help="With --verify: re-project what differs, then verify again.")
    ] = False,
    show: Annotated[int, typer.Option(min=0, help="With --verify: example triples shown per graph.")] = 3,
) -> None:
    """Bring the RDF store (Oxigraph, for SPARQL) in step with Neo4j, or check that it is.

    Without options every dataset is re-projected from Neo4j into its named graph (only differences are
    written). **--verify** prints, per graph, the triples missing from the RDF store and those it
    still holds that Neo4j no longer states; **--verify --repair** then fixes them.
    """
    from ieic_kg.sync import repair, sync_all, verify

    if repair_ and not verify_:
        raise typer.BadParameter("--repair goes with --verify", param_hint="--repair")
    settings = Settings()
    ontology = Ontology.load()
    started = time.perf_counter()
    writes = not verify_ or repair_
    with (
        loadlock.held(settings.data_dir, loadlock.cli_holder("sync")) if writes else contextlib.nullcontext(),
        _open_graph(settings) as store,
        RdfStore.open(settings) as rdf,
    ):
        if not verify_:
            synced = sync_all(store, rdf, ontology, settings)
            table = Table(title=f"RDF store in step with Neo4j 已同步 ({time.perf_counter() - started:.1f}s)")
            table.add_column("graph", overflow="fold")
            for col in ("triples", "added", "removed", "seconds"):
                table.add_column(col, justify="right", no_wrap=True)
            for s in synced:
                table.add_row(s.name, f"{s.triples:,}", str(s.added), str(s.removed), f"{s.seconds:.2f}")
            console.print(table)
            return
        diffs = verify(store, rdf, ontology, settings)
        _print_diffs(diffs, show)
        if not any(not d.in_step for d in diffs):
            console.print("[green]The RDF store is in step with Neo4j. 两库一致。[/]")
            return
        if not repair_:
            raise typer.Exit(1)
        repaired = repair(store, rdf, ontology, settings, diffs)
        console.print(f"Repaired {len(repaired)} graph(s) 已修复.")
        after = verify(store, rdf, ontology, settings)
    if any(not d.in_step for d in after):
        _print_diffs(after, show)
        raise typer.Exit(1)
    console.print("[green]The RDF store is in step with Neo4j. 两库一致。[/]")


def _print_diffs(diffs: list[Any], show: int) -> None:
    table = Table(
        title="RDF store vs Neo4j 两库比对", caption="missing: in Neo4j, not in the RDF store; stale: the reverse"
    )
    table.add_column("graph", overflow="fold")
    for col in ("Neo4j", "RDF store", "missing", "stale"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for d in diffs:
        style = "green" if d.in_step else "yellow"
        table.add_row(
            d.name,
            f"{d.neo4j_triples:,}",
            f"{d.rdf_triples:,}",
            str(len(d.only_in_neo4j)),
            str(len(d.only_in_rdf)),
            f"[{style}]{d.status}[/]",
        )
    console.print(table)
    for d in diffs:
        if show and not d.in_step:
            for line in d.only_in_neo4j[:show]:
                console.print(f"  {d.name} [yellow]missing[/] {line}", markup=True, highlight=False, soft_wrap=True)
            for line in d.only_in_rdf[:show]:
                console.print(f"  {d.name} [yellow]stale[/]   {line}", markup=True, highlight=False, soft_wrap=True)


def sparql_command(
    query: Annotated[str | None, typer.Argument(help="The SPARQL query (or use --file).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Run a read-only SPARQL query over the RDF store (the union of all named graphs).

    It reads the last published snapshot of the store, as the API's /sparql does: it never waits for a load
    and never holds one up, and it sees what the last completed load or sync left. The prefixes ieic, rdf,
    rdfs, owl, xsd, skos, prov and schema are predeclared. Time limit: IEIC_QUERY_TIMEOUT seconds.

    Example: **ieic-kg sparql "SELECT ?c ?s WHERE { ?c ieic:teachesSkill ?s } LIMIT 5"**
    """
    if (query is None) == (file is None):
        raise typer.BadParameter("give a query or --file FILE, not both")
    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter("use table, json or csv", param_hint="--format")
    text = query if query is not None else _read_query(file)
    settings = Settings()
    with RdfStore.published(settings) as rdf:
        if not rdf.graph_names():
            raise StoreUnavailable(
                f"the RDF store is empty (snapshot {rdf.path})", hint="fill it from Neo4j with `ieic-kg sync`"
            )
        result = rdf.query(text, timeout=settings.query_timeout)
    _print_result(result, fmt)


def _read_query(path: Path | None) -> str:
    from ieic_kg.errors import SourceError

    assert path is not None
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"cannot read the query: {exc.strerror}", file=str(path)) from None


def _print_result(result: SparqlResult, fmt: str) -> None:
    if result.kind == "ask":
        if fmt == "json":
            print(json.dumps({"boolean": result.boolean}))
        else:
            print("true" if result.boolean else "false")
        return
    if fmt == "json":
        print(json.dumps(result.rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=result.columns)
        w.writeheader()
        for r in result.rows:
            w.writerow({k: "" if v is None else v for k, v in r.items()})
    else:
        table = Table(caption=f"{len(result.rows)} rows ({result.seconds:.3f}s)")
        for col in result.columns:
            table.add_column(col, overflow="fold")
        for r in result.rows:
            table.add_row(*("" if r[c] is None else str(r[c]) for c in result.columns))
        console.print(table)


def restore_command(
    file: Annotated[Path, typer.Argument(help="An RDF export (nq, ttl, jsonld…), e.g. from `ieic-kg export`.")],
    sync: Annotated[bool, typer.Option("--sync/--no-sync", help="Bring the RDF store in step afterwards.")] = True,
) -> None:
    """Restore an RDF export into Neo4j: one load per dataset the file states, so that every node and
    relationship is stated by the same datasets as before (its load runs and times are new).
    """
    from ieic_kg.export import restore
    from ieic_kg.sync import sync_all

    settings = Settings()
    ontology = Ontology.load()
    with loadlock.held(settings.data_dir, loadlock.cli_holder("restore")), _open_graph(settings) as store:
        reports = restore(store, ontology, settings, file)
        table = Table(title=f"Restored from {file.name} 已恢复")
        for col in ("dataset", "run", "status", "read", "created", "updated", "unchanged", "rejected"):
            table.add_column(col, justify="left" if col in ("dataset", "run", "status") else "right")
        for r in reports:
            t = r.totals()
            table.add_row(
                r.dataset,
                r.run_id,
                r.status,
                str(t.read),
                str(t.created),
                str(t.updated),
                str(t.unchanged),
                str(t.rejected),
            )
        console.print(table)
        if sync:
            with RdfStore.open(settings) as rdf:
                sync_all(store, rdf, ontology, settings)
            console.print("RDF store in step. RDF库已同步。")
    if any(r.rejects for r in reports):
        for r in reports:
            for rej in r.rejects[:10]:
                console.print(f"  [yellow]rejected[/] {r.dataset}: {rej.origin} [{rej.field}] {rej.reason}")


def register(app: typer.Typer) -> None:
    """Add ``export``, ``sync``, ``sparql`` and ``restore`` to the ``ieic-kg`` app."""
    app.command("export")(export_command)
    app.command("sync")(sync_command)
    app.command("sparql")(sparql_command)
    app.command("restore")(restore_command)
