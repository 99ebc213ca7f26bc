"""The ``ieic-kg`` command line (Typer + Rich).

Each command builds one ``Settings`` object and passes it down. An ``IeicError`` becomes one red line
with its hint and exit code 1; nothing else is caught, so real bugs keep their traceback.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ieic_kg import __version__, loadlock
from ieic_kg.cli_eval import register as register_eval
from ieic_kg.cli_neo4j import app as neo4j_app
from ieic_kg.cli_rdf import register as register_rdf
from ieic_kg.cli_review import register as register_review
from ieic_kg.config import Settings, load_settings
from ieic_kg.errors import IeicError
from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest, LoadRejected, LoadReport
from ieic_kg.neo4j_server import ensure_neo4j
from ieic_kg.ontology import Ontology
from ieic_kg.queries import QueryLibrary, load_query_file, run_query
from ieic_kg.rdfstore import RdfStore

app = typer.Typer(
    name="ieic-kg",
    help="Knowledge graph of industry–education integration communities (产教融合共同体知识图谱).\n\n"
    "Start with **ieic-kg demo**: it builds the demo community's graph in a local Neo4j and prints "
    "an alignment report.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)
app.add_typer(neo4j_app, name="neo4j")
register_rdf(app)
register_review(app)
register_eval(app)

console = Console()
err_console = Console(stderr=True)


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


class QueryLanguage(StrEnum):
    cypher = "cypher"
    sparql = "sparql"


class RowsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


#: Exit codes of ``ieic-kg load`` (also in docs/cli.md).
EXIT_OK, EXIT_ERROR, EXIT_REJECTED = 0, 1, 2


def _open_store(settings: Settings) -> GraphStore:
    """The Neo4j store: the configured server, or the managed local one (started when needed)."""
    return GraphStore(ensure_neo4j(settings, err_console), query_timeout=settings.query_timeout)


@app.command()
def version() -> None:
    """Print the version of ieic-kg."""
    print(__version__)


@app.command()
def init() -> None:
    """Create the Neo4j constraints and indexes derived from the ontology (idempotent)."""
    from ieic_kg.schema import ensure_schema

    settings = load_settings()
    ontology = Ontology.load()
    with _open_store(settings) as store:
        created = ensure_schema(store, ontology)
    if not created:
        console.print("Schema up to date: nothing to create. 结构已是最新。")
        return
    table = Table(title=f"Created {len(created)} schema objects 已创建")
    table.add_column("kind")
    table.add_column("name")
    for s in created:
        table.add_row(s.kind, s.name)
    console.print(table)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )


def run_load(
    settings: Settings,
    store: GraphStore | None,
    ontology: Ontology,
    loader: Any,
    *,
    rdf_store: RdfStore | None = None,
    dry_run: bool = False,
    strict: bool = False,
    prune: bool = False,
    batch_size: int | None = None,
) -> LoadReport:
    """Run one load with a progress bar (shared by ``load`` and ``demo``)."""
    ingest = Ingest(settings, ontology, store, rdf_store)
    with _progress() as progress:
        task = progress.add_task(f"{loader.dataset}: reading", total=None)

        def on_progress(what: str, done: int, total: int) -> None:
            progress.update(task, description=f"{loader.dataset}: writing {what}", completed=done, total=total)

        return ingest.run(
            loader, dry_run=dry_run, strict=strict, prune=prune, batch_size=batch_size, progress=on_progress
        )


def _print_report(report: LoadReport) -> None:
    table = Table(title=f"Load {report.run_id} · {report.dataset} · {report.status} ({report.seconds:.1f}s)")
    for col in ("what", "read", "created", "updated", "unchanged"):
        table.add_column(col, justify="right" if col != "what" else "left")
    for label, counts in (*sorted(report.nodes.items()), *sorted(report.edges.items())):
        table.add_row(label, str(counts.read), str(counts.created), str(counts.updated), str(counts.unchanged))
    t = report.totals()
    table.add_row("[bold]total", str(t.read), str(t.created), str(t.updated), str(t.unchanged))
    console.print(table)
    if report.stale:
        console.print(
            f"{report.stale} no longer stated by {report.dataset} 不再陈述: {report.deprecated} left with no source "
            f"are marked deprecated" + (f", {report.pruned} pruned" if report.pruned else " (delete them with --prune)")
        )
    if report.rdf_lag:
        console.print(f"[yellow]{escape(report.rdf_lag)}[/] — run `ieic-kg sync`")
    for iri in report.interrupted:
        console.print(f"[yellow]earlier run {iri} had been killed; marked interrupted[/]")
    if report.rejects:
        console.print(f"[yellow]{len(report.rejects)} rejected 条被拒绝[/] → {report.rejects_path}")
        for r in report.rejects[:10]:
            console.print(escape(f"  {r.origin} [{r.field}] {r.reason}"))
        if len(report.rejects) > 10:
            console.print(f"  … and {len(report.rejects) - 10} more in the rejects file")


@app.command()
def load(
    kind: Annotated[
        str,
        typer.Argument(
            help="Loader kind: mapping (a mapping file); csv, xlsx, sql, json, jsonl (a data file with --mapping); "
            "case, rdf, esco, onet, gbt4754, csco, cip-soc, isic, naics, lightcast (read as published); documents "
            "(syllabi, postings, standards: text, Markdown, HTML, DOCX, PDF)."
        ),
    ],
    source: Annotated[
        list[Path],
        typer.Argument(help="The mapping file, or the data file read through --mapping; documents: files or folders."),
    ],
    mapping: Annotated[Path | None, typer.Option(help="Mapping file for a data file (its single source).")] = None,
    table: Annotated[str | None, typer.Option(help="Load only this source of the mapping.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Write nothing if any record is rejected (exit 2).")] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Delete what no source states any more (default: mark it deprecated).")
    ] = False,
    batch_size: Annotated[int | None, typer.Option(min=1, help="Records per write transaction.")] = None,
    doc_kind: Annotated[str | None, typer.Option("--kind", help="documents: syllabus, posting or standard.")] = None,
    lang: Annotated[str, typer.Option(help="documents: zh, en or auto (detected per document).")] = "auto",
    subject_key: Annotated[
        str | None,
        typer.Option(help="documents: key template of the entity a document describes, e.g. 'GDIMP:{code}'."),
    ] = None,
    span_model: Annotated[
        bool,
        typer.Option(
            "--span-model",
            help="documents: also run the shipped span model on English documents; the skill stretches it finds "
            "that link to nothing go to the review queue (about three times slower).",
        ),
    ] = False,
) -> None:
    """Load a source into the graph: through a declarative mapping, as published, or from documents.

    Every record is validated against the ontology first; rejects (with file, line, field and reason)
    go to a rejects CSV and never stop good records. Exit codes: 0 loaded (rejects, if any, reported),
    1 error, 2 rejects under --strict (nothing written).

    Examples: `ieic-kg load mapping demo/mappings/industries.yaml`;
    `ieic-kg load documents demo/sources/documents/syllabi --kind syllabus --subject-key 'GDIMP:{code}'`
    """
    from ieic_kg.loaders import get_loader

    settings = load_settings()
    ontology = Ontology.load()
    if kind != "documents" and len(source) != 1:
        raise typer.BadParameter("give one source (several paths are for documents)", param_hint="SOURCE")
    with contextlib.ExitStack() as lock:
        if not dry_run:  # one load at a time per store, CLI and API alike (ieic_kg.loadlock)
            lock.enter_context(loadlock.held(settings.data_dir, loadlock.cli_holder("load")))
        store = _open_store(settings)
        if kind == "documents":
            if doc_kind is None:
                store.close()
                raise typer.BadParameter("give --kind syllabus|posting|standard", param_hint="--kind")
            loader: Any = _documents_loader(settings, store, source, doc_kind, lang, subject_key, span_model)
        else:
            loader = get_loader(kind, source[0], mapping=mapping, table=table)
        rdf_store = None if dry_run else _open_rdf_store(settings)
        try:
            report = run_load(
                settings,
                store,
                ontology,
                loader,
                rdf_store=rdf_store,
                dry_run=dry_run,
                strict=strict,
                prune=prune,
                batch_size=batch_size,
            )
        except LoadRejected as exc:
            _print_report(exc.report)
            err_console.print(f"[bold red]rejected:[/] {exc.message}")
            raise typer.Exit(EXIT_REJECTED) from None
        finally:
            store.close()
            if rdf_store is not None:
                rdf_store.close()
    _print_report(report)
    if kind == "documents" and not dry_run and loader.candidates:
        from ieic_kg.nlp import ReviewQueue

        queue = ReviewQueue.open(settings)
        new = queue.add(loader.candidates, loader.extractors)
        console.print(
            f"{len(loader.candidates)} unlinked terms ({new} new) in the review queue 待审 → {queue.path} "
            "(`ieic-kg review list`)"
        )


def _open_rdf_store(settings: Settings) -> RdfStore | None:
    """The RDF store to keep in step with a load; when it cannot be opened (another process holds it), the
    load goes on in Neo4j, the record, and ``ieic-kg sync`` brings the RDF store in step later."""
    try:
        return RdfStore.open(settings)
    except IeicError as exc:
        err_console.print(f"[yellow]RDF store not updated by this load:[/] {escape(exc.message)} — run `ieic-kg sync`")
        return None


def _summarise(summary: Table, report: LoadReport) -> None:
    """One row of the demo's load summary, and the run's rejects under it."""
    t = report.totals()
    rejected = f"[yellow]{t.rejected}[/]" if t.rejected else "0"
    summary.add_row(report.dataset, str(t.read), str(t.created), str(t.updated), str(t.unchanged), rejected)
    cascaded = [r for r in report.rejects if r.reason.startswith("not loaded: its node")]
    for r in report.rejects:
        if r not in cascaded:
            console.print("  [yellow]rejected[/] " + escape(f"{r.origin} [{r.field}] {r.reason}"))
    if cascaded:
        console.print(
            f"  [yellow]and {len(cascaded)} relationship(s) of those rejected records[/] → {report.rejects_path}"
        )


def _documents_loader(
    settings: Settings,
    store: GraphStore,
    paths: list[Path],
    kind: str,
    lang: str,
    subject_key: str | None,
    span_model: bool = False,
) -> Any:
    """The documents loader with the graph's labels as patterns and the steward's review decisions."""
    from ieic_kg.loaders.documents import documents_loader
    from ieic_kg.nlp import Decisions, labels_from_graph

    return documents_loader(
        paths,
        kind=kind,
        labels=labels_from_graph(store),
        lang=lang,
        subject_key=subject_key,
        settings=settings,
        decisions=Decisions.load(settings),
        span_model=span_model,
    )


@app.command()
def loads(limit: Annotated[int, typer.Option(min=1, help="Show at most this many runs.")] = 20) -> None:
    """List past load runs, newest first."""
    settings = load_settings()
    with _open_store(settings) as store:
        rows = store.read(
            "MATCH (r:LoadRun) RETURN r.runId AS run, r.source AS dataset, r.status AS status, "
            "toString(datetime.truncate('second', r.startedAt)) AS started, r.recordsRead AS read, "
            "r.created AS created, r.updated AS updated, "
            "r.rejected AS rejected, r.agent AS agent ORDER BY r.startedAt DESC LIMIT $limit",
            {"limit": limit},
        )
    table = Table(title="Load runs 加载记录")
    for col in ("run", "dataset", "status", "started", "read", "created", "updated", "rejected", "agent"):
        table.add_column(col, no_wrap=col in ("run", "started"))
    for r in rows:
        table.add_row(
            *(
                str(r[c]) if r[c] is not None else ""
                for c in ("run", "dataset", "status", "started", "read", "created", "updated", "rejected", "agent")
            )
        )
    console.print(table)


@app.command()
def align(
    program: Annotated[str, typer.Option(help="Program code (e.g. 460305) or IRI.")],
    industry: Annotated[str | None, typer.Option(help="GB/T 4754 industry code (e.g. 3491) or IRI.")] = None,
    occupation: Annotated[
        str | None, typer.Option(help="Occupation code (e.g. 6-31-07-03) or IRI, instead of --industry.")
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table,
    paths: Annotated[int, typer.Option(min=1, help="How many alignment paths to show.")] = 10,
) -> None:
    """Alignment report: how well a program covers an industry's or an occupation's skill demand, with paths
    and gaps."""
    from ieic_kg.alignment import AlignmentEngine
    from ieic_kg.report import alignment_json, render_alignment

    if (industry is None) == (occupation is None):
        raise typer.BadParameter("give exactly one of --industry and --occupation", param_hint="--industry")
    settings = load_settings()
    with _open_store(settings) as store:
        engine = AlignmentEngine(store, QueryLibrary())
        if industry is not None:
            report = engine.align(program, industry)
        else:
            report = engine.align_occupation(program, occupation or "")
    if fmt is ReportFormat.json:
        print(json.dumps(alignment_json(report), ensure_ascii=False, indent=2, default=str))
    else:
        render_alignment(report, console, paths=paths)


@app.command()
def coverage(
    program: Annotated[list[str] | None, typer.Option(help="Program code or IRI, repeatable (default: all).")] = None,
    occupation: Annotated[
        list[str] | None, typer.Option(help="Occupation code or IRI, repeatable (default: all).")
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table,
) -> None:
    """Coverage matrix: how well every program covers every occupation's skill demand."""
    from ieic_kg.alignment import AlignmentEngine
    from ieic_kg.report import coverage_matrix_json, render_coverage_matrix

    settings = load_settings()
    with _open_store(settings) as store:
        cells = AlignmentEngine(store, QueryLibrary()).coverage_matrix(program or None, occupation or None)
    if fmt is ReportFormat.json:
        print(json.dumps(coverage_matrix_json(cells), ensure_ascii=False, indent=2, default=str))
    else:
        render_coverage_matrix(cells, console)


student_app = typer.Typer(
    help="Students: learning paths toward an occupation and job/internship matching (profiles from a JSON file).",
    no_args_is_help=True,
)
app.add_typer(student_app, name="student")

StudentsFile = Annotated[
    Path | None, typer.Option("--students", help="Student profiles (JSON; default demo/sources/students.json).")
]


@student_app.command("path")
def student_path(
    student: Annotated[str, typer.Argument(help="Student id, e.g. S2024003.")],
    occupation: Annotated[
        str | None, typer.Option(help="Target occupation code or IRI (default: the student's target).")
    ] = None,
    students: StudentsFile = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many courses.")] = 20,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table,
) -> None:
    """The next courses toward an occupation, by marginal coverage gain, respecting prerequisites."""
    from ieic_kg.alignment import AlignmentEngine
    from ieic_kg.report import learning_path_json, render_learning_path
    from ieic_kg.students import StudentAdvisor, load_students

    profiles = load_students(students)
    settings = load_settings()
    with _open_store(settings) as store:
        path = StudentAdvisor(AlignmentEngine(store, QueryLibrary()), profiles).learning_path(
            student, occupation, limit=limit
        )
    if fmt is ReportFormat.json:
        print(json.dumps(learning_path_json(path), ensure_ascii=False, indent=2, default=str))
    else:
        render_learning_path(path, console)


class OpportunityKind(StrEnum):
    all = "all"
    posting = "posting"
    internship = "internship"


@student_app.command("match")
def student_match(
    student: Annotated[str, typer.Argument(help="Student id, e.g. S2024004.")],
    students: StudentsFile = None,
    kind: Annotated[OpportunityKind, typer.Option(help="all, posting or internship.")] = OpportunityKind.all,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 10,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table or json.")] = ReportFormat.table,
) -> None:
    """Job postings and internship positions ranked by weighted skill overlap with the student's profile."""
    from ieic_kg.alignment import AlignmentEngine
    from ieic_kg.report import matches_json, render_matches
    from ieic_kg.students import StudentAdvisor, load_students

    profiles = load_students(students)
    settings = load_settings()
    with _open_store(settings) as store:
        advisor = StudentAdvisor(AlignmentEngine(store, QueryLibrary()), profiles)
        st = advisor.student(student)
        matches = advisor.match(st, limit=limit, kind=None if kind is OpportunityKind.all else kind.value)
    if fmt is ReportFormat.json:
        print(json.dumps(matches_json(st, matches), ensure_ascii=False, indent=2, default=str))
    else:
        render_matches(st, matches, console)


@app.command()
def demo(
    sources: Annotated[Path | None, typer.Option(help="The demo folder (default: demo/ of this checkout).")] = None,
) -> None:
    """Build the demo community's graph from its raw sources and print an alignment report.

    Starts the managed local Neo4j when IEIC_NEO4J_URI is not set, creates the schema, loads every
    demo source through its mapping file, then reports how the Industrial Robotics Technology program
    (工业机器人技术) covers the skill demand of industry 3491 (工业机器人制造).
    """
    from ieic_kg.alignment import AlignmentEngine
    from ieic_kg.demo import default_demo_dir, read_manifest
    from ieic_kg.loaders.mapping import MappingLoader
    from ieic_kg.report import render_alignment
    from ieic_kg.schema import ensure_schema
    from ieic_kg.sync import sync_all

    started = time.perf_counter()
    settings = load_settings()
    ontology = Ontology.load()
    manifest = read_manifest(sources or default_demo_dir())
    with loadlock.held(settings.data_dir, loadlock.cli_holder("demo")), _open_store(settings) as store:
        created = ensure_schema(store, ontology)
        console.print(f"Schema: {len(created)} constraints/indexes created from ontology {ontology.version}.")
        summary = Table(title="Demo sources loaded 演示数据加载")
        for col in ("dataset", "read", "created", "updated", "unchanged", "rejected"):
            summary.add_column(col, justify="left" if col == "dataset" else "right")
        for path in manifest.mappings:
            report = run_load(settings, store, ontology, MappingLoader(path))  # RDF store synced once below
            _summarise(summary, report)
        for docs in manifest.documents:
            loader = _documents_loader(settings, store, [docs.path], docs.kind, "auto", docs.subject_key)
            report = run_load(settings, store, ontology, loader)
            _summarise(summary, report)
        console.print(summary)
        with RdfStore.open(settings) as rdf:
            sync_all(store, rdf, ontology, settings)
            console.print(
                f"RDF store (SPARQL): {rdf.count():,} triples in {len(rdf.graph_names())} named graphs — "
                "try `ieic-kg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'`"
            )
        report_ = AlignmentEngine(store, QueryLibrary()).align(manifest.program, manifest.industry)
        render_alignment(report_, console)
        conn = store.connection
    console.print(
        f"\n打开图谱 Open the graph: Bolt {conn.uri} (user {conn.user}; "
        "`ieic-kg neo4j env` prints the password) — e.g. cypher-shell -a URI -u USER -p PASSWORD, "
        "or Neo4j Browser/Desktop pointed at that URI.\n"
        f"Done in {time.perf_counter() - started:.1f}s. "
        f"Try: ieic-kg align --program {manifest.program} --industry {manifest.industry} --format json"
    )


@app.command()
def validate(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many violations.")] = 50,
) -> None:
    """Check the stored graph against the SHACL shapes of the ontology (exit 1 when it does not conform).

    The graph is read from Neo4j into its RDF view (docs/architecture.md) and validated with pyshacl,
    with the ontology for RDFS inference. Each violation names the entity, the property and the rule,
    in Chinese and English.
    """
    from ieic_kg.rdf import export_graph
    from ieic_kg.validation import validate_graph

    settings = load_settings()
    ontology = Ontology.load()
    with _open_store(settings) as store:
        export = export_graph(store, ontology, settings.id_base)
    conforms, violations = validate_graph(export.graph, ontology)
    console.print(
        f"Checked {export.nodes} nodes and {export.relationships} relationships ({len(export.graph)} triples)."
    )
    if export.skipped:
        skipped = ", ".join(f"{k} ({n})" for k, n in export.skipped.most_common())
        console.print(f"[yellow]Not in the ontology, not checked:[/] {skipped}")
    if conforms:
        console.print("[green]The graph conforms to the shapes. 图谱符合约束。[/]")
        return
    table = Table(title=f"{len(violations)} violations 违反约束")
    for col in ("entity", "property", "value", "rule 规则"):
        table.add_column(col, overflow="fold")
    for v in violations[:limit]:
        table.add_row(v.focus, v.path.rpartition("#")[2] or v.path, v.value, f"{v.message_zh}\n{v.message_en}")
    console.print(table)
    if len(violations) > limit:
        console.print(f"… and {len(violations) - limit} more (--limit)")
    raise typer.Exit(EXIT_ERROR)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default IEIC_API_HOST).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default IEIC_API_PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes; the rate limit is per process.")] = 1,
    access_log: Annotated[
        bool, typer.Option(help="Log every request (uvicorn's access log); off saves CPU under heavy load.")
    ] = True,
) -> None:
    """Serve the graph API (OpenAPI at /docs) and the web explorer (/explorer/). It starts even when Neo4j is
    down: /ready says why."""
    import uvicorn

    from ieic_kg.api.app import create_app

    settings = load_settings()
    if settings.managed:
        try:
            ensure_neo4j(settings, err_console)
        except IeicError as exc:
            err_console.print(
                f"[yellow]Neo4j is not available ({escape(str(exc))}); the API answers 503 until it is[/]"
            )
    host, port = host or settings.api_host, port or settings.api_port
    base = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    console.print(f"Explorer 浏览器  {base}/explorer/\nAPI (OpenAPI)   {base}/docs", highlight=False, soft_wrap=True)
    from ieic_kg.api.protocol import NoDelayHttpToolsProtocol

    if workers > 1:
        uvicorn.run(
            "ieic_kg.api.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            http=NoDelayHttpToolsProtocol,
        )
    else:
        uvicorn.run(create_app(settings), host=host, port=port, access_log=access_log, http=NoDelayHttpToolsProtocol)


@app.command("queries")
def list_queries() -> None:
    """List the named queries with their parameters."""
    table = Table(title="Named queries 命名查询", show_lines=True)
    for col in ("name", "lang", "title", "parameters"):
        table.add_column(col, overflow="fold")
    for q in QueryLibrary().all():
        params = "\n".join(
            f"{p.name}: {p.type}" + (f" = {p.default}" if p.default is not None else "") + f" — {p.doc}"
            for p in q.params
        )
        table.add_row(q.name, q.language, f"{escape(q.title)}\n[dim]{escape(q.description)}", escape(params))
    console.print(table)


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A named query (see `ieic-kg queries`), or a .cypher or .rq file.")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE, repeatable.")] = None,
    fmt: Annotated[RowsFormat, typer.Option("--format", help="table, json or csv.")] = RowsFormat.table,
    lang: Annotated[
        QueryLanguage, typer.Option("--lang", help="cypher (on Neo4j) or sparql (on the RDF store), for a named query.")
    ] = QueryLanguage.cypher,
) -> None:
    """Run a named query or your own file with bound parameters, read-only: Cypher on Neo4j, SPARQL (.rq) on
    the RDF store."""
    given: dict[str, str] = {}
    for p in param or []:
        key, sep, value = p.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"{p!r}: write NAME=VALUE", param_hint="--param")
        given[key.strip()] = value
    path = Path(name)
    q = load_query_file(path) if path.suffix in (".cypher", ".rq") else QueryLibrary().get(name, lang.value)
    settings = load_settings()
    if q.language == "sparql":
        with RdfStore.published(settings) as rdf:
            rows = run_query(q, given, rdf_store=rdf, timeout=settings.query_timeout)
    else:
        with _open_store(settings) as store:
            rows = run_query(q, given, graph_store=store, timeout=settings.query_timeout)
    _print_rows(rows, fmt)


def _print_rows(rows: list[dict[str, Any]], fmt: RowsFormat) -> None:
    if fmt is RowsFormat.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt is RowsFormat.csv:
        if rows:
            w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
            w.writeheader()
            for r in rows:
                w.writerow(
                    {
                        k: json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, list | dict) else v
                        for k, v in r.items()
                    }
                )
    else:
        table = Table(caption=f"{len(rows)} rows")
        for col in rows[0] if rows else []:
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(*("" if v is None else escape(str(v)) for v in r.values()))
        console.print(table)


def main() -> None:
    """Console-script entry point: our errors become one line with a hint and exit code 1.

    Typer (in standalone mode) reports usage errors itself with exit code 2; anything else that is not
    an ``IeicError`` is a bug and keeps its traceback.
    """
    try:
        app()
    except IeicError as exc:
        err_console.print(f"[bold red]error:[/] {escape(exc.message)}")
        if exc.hint:
            err_console.print(f"[yellow]hint:[/] {escape(exc.hint)}")
        sys.exit(EXIT_ERROR)
