"""SPARQL queries in worker processes on the published snapshot of the RDF store, stopped at their time limit.

pyoxigraph cannot interrupt a query from Python (oxigraph issue #1926): a query run in a thread goes on
after its caller gave up, and a runaway query (a cross product with ORDER BY) would use a core and memory
for as long as it likes. So the API runs each query in one of a few worker processes and, when the time
limit passes, kills that process and starts another: the time limit is a real one.

A worker opens, read-only, the generation of the store that the job names (``ieic_kg.rdfsnapshot``),
holding a shared lock on it while it has it open; it switches when a job names a newer one. It evaluates
the query and serialises the answer with pyoxigraph's own writers (SPARQL results JSON, XML, CSV, TSV;
Turtle, N-Triples, JSON-LD, RDF/XML) into a buffer that refuses to grow past the result-size cap, and
sends back the bytes: an answer is complete or it is an error, never cut short.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ieic_kg.errors import IeicError, StoreUnavailable
from ieic_kg.rdfsnapshot import GenerationGone, Lease, current, current_marker, remove_unused
from ieic_kg.rdfstore import PREFIXES, SparqlError, SparqlResult, SparqlTimeout, parameter_term, to_python

log = logging.getLogger("ieic_kg.sparql")

#: Media types of SELECT and ASK results, by the pyoxigraph ``QueryResultsFormat`` attribute that writes them.
RESULTS_FORMATS: dict[str, str] = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
#: Media types of CONSTRUCT and DESCRIBE results, by the pyoxigraph ``RdfFormat`` attribute that writes them.
GRAPH_FORMATS: dict[str, str] = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
}


class SparqlBusy(IeicError):
    """Every SPARQL worker stayed busy for the whole time limit of the request."""

    status = 503
    title = "SPARQL endpoint busy"


class ResultTooLarge(SparqlError):
    """The serialised answer grew past the result-size cap."""

    title = "Result too large"


class SparqlNotAcceptable(SparqlError):
    """The query's form (SELECT/ASK or CONSTRUCT/DESCRIBE) has no format among those the client accepts."""

    status = 406
    title = "Not acceptable"


@dataclass(frozen=True)
class SparqlJob:
    """One query for a worker. ``results_format``/``graph_format`` are the negotiated media types for each
    query form (None: the client accepts none); the graph lists are the protocol's dataset parameters."""

    query: str
    results_format: str | None
    graph_format: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_bytes: int = 10_000_000
    generation: str = ""
    bindings: tuple[tuple[str, Any], ...] = ()  # values substituted for variables (SEP-0007), never text


@dataclass(frozen=True)
class SparqlAnswer:
    form: str  # select, ask or graph
    media_type: str
    body: bytes
    generation: str
    seconds: float


# -- the worker process --------------------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


class _CappedBuffer:
    """A binary sink for pyoxigraph's serialisers that raises once more than ``cap`` bytes are written."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _answer(store: Any, job: SparqlJob) -> tuple[str, str, bytes]:
    import pyoxigraph as ox

    kwargs: dict[str, Any] = {"prefixes": PREFIXES}
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.bindings:
        kwargs["substitutions"] = {ox.Variable(k): parameter_term(v) for k, v in job.bindings}
    answer = store.query(job.query, **kwargs)
    out = _CappedBuffer(job.max_bytes)
    if isinstance(answer, ox.QueryTriples):
        form, media = "graph", job.graph_format
        if media is not None:
            rdf_format = getattr(ox.RdfFormat, GRAPH_FORMATS[media])
            ox.serialize(answer, out, rdf_format, prefixes=PREFIXES)  # type: ignore[arg-type]
    else:
        form = "ask" if isinstance(answer, ox.QueryBoolean) else "select"
        media = job.results_format
        if media is not None:
            answer.serialize(out, getattr(ox.QueryResultsFormat, RESULTS_FORMATS[media]))
    if media is None:
        raise SparqlNotAcceptable(
            f"a {form.upper() if form != 'graph' else 'CONSTRUCT or DESCRIBE'} query has no result format "
            "among those in Accept",
            hint="accept one of: "
            + ", ".join(GRAPH_FORMATS if form == "graph" else [m for m in RESULTS_FORMATS if m != "application/xml"]),
        )
    return form, media, b"".join(out.parts)


#: Seconds between two looks of an idle worker at CURRENT: a worker keeps a replaced generation open (and so
#: on disk) at most this long after the publication of the next one.
IDLE_CHECK = 1.0


def _replaced(root: Path, name: str) -> bool:
    """Whether a generation other than ``name`` is current."""
    now = current(root)
    return now is not None and now.name != name


def _worker_main(conn: Connection, root: str) -> None:
    """Answer jobs from ``conn`` until it closes: ("ok", SparqlAnswer) or ("error", class name, message, hint)."""
    import pyoxigraph as ox

    from ieic_kg.rdfstore import check_query

    snapshots = Path(root)
    opened: tuple[str, Any, Lease] | None = None
    conn.send(("ready",))  # imported and ready: the pool hands it jobs from now on
    while True:
        try:
            while not conn.poll(IDLE_CHECK):
                if opened is not None and _replaced(snapshots, opened[0]):
                    opened[2].close()  # idle on a replaced generation: let it be removed
                    opened = None
                    with contextlib.suppress(OSError):
                        remove_unused(snapshots)
            job: SparqlJob = conn.recv()
        except (EOFError, OSError):
            return
        started = time.perf_counter()
        try:
            check_query(job.query)
            if opened is None or opened[0] != job.generation:
                if opened is not None:
                    opened[2].close()
                    opened = None
                lease = Lease(snapshots, job.generation)
                opened = (job.generation, ox.Store.read_only(str(lease.path)), lease)
            form, media, body = _answer(opened[1], job)
            conn.send(("ok", SparqlAnswer(form, media, body, job.generation, time.perf_counter() - started)))
        except GenerationGone:
            conn.send(("error", "GenerationGone", job.generation, None))
        except _TooLarge:
            conn.send(
                (
                    "error",
                    "ResultTooLarge",
                    f"the result is larger than the cap of {job.max_bytes:,} bytes",
                    "ask for less (LIMIT and OFFSET to page, fewer variables) "
                    "or raise IEIC_API_SPARQL_MAX_RESULT_BYTES",
                )
            )
        except IeicError as exc:
            conn.send(("error", type(exc).__name__, exc.message, exc.hint))
        except SyntaxError as exc:
            conn.send(("error", "SyntaxError", f"malformed SPARQL query: {exc}", None))
        except (ValueError, TypeError) as exc:
            conn.send(("error", "SparqlError", f"the SPARQL query failed: {exc}", None))
        except OSError as exc:
            conn.send(("error", "OSError", f"the RDF store could not be read: {exc}", None))
        except Exception as exc:  # reported to the caller, the worker goes on
            conn.send(("error", "Exception", f"{type(exc).__name__}: {exc}", None))


# -- the pool, in the API process -------------------------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection


class SparqlPool:
    """``size`` worker processes answering queries on the current generation of the snapshots in ``root``."""

    def __init__(self, root: Path, size: int = 2, *, start_timeout: float = 60.0) -> None:
        self.root = root
        self.size = size
        self.start_timeout = start_timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = True
        self._marker: tuple[int, int] | None = None
        self._generation: str | None = None
        self.timeouts = 0  # workers killed at a time limit, for /ready

    def start(self) -> None:
        """Start the workers and wait until they are ready (they import pyoxigraph and rdflib: about a second)."""
        with self._lock:
            self._closed = False
        starting = [self._spawn() for _ in range(self.size - len(self._workers))]
        for worker in starting:
            self._ready(worker)

    def _ready(self, worker: _Worker) -> None:
        """Hand ``worker`` jobs once it says it is ready; a worker that does not start is logged and dropped."""
        try:
            if worker.conn.poll(self.start_timeout) and worker.conn.recv() == ("ready",):
                if not self._closed:
                    self._idle.put(worker)
                    return
                why = "the pool was closed meanwhile"
            else:
                why = f"not ready within {self.start_timeout:g} s"
        except (EOFError, OSError) as exc:
            why = f"exited ({worker.process.exitcode}): {type(exc).__name__}"
        if not self._closed:
            log.error("a SPARQL worker did not start: %s", why)
        with self._lock:
            self._workers.discard(worker)
        worker.process.kill()
        worker.conn.close()

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main, args=(child, str(self.root)), name="ieic-kg-sparql", daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker (past its time limit, or broken) and start its replacement in the background."""
        with self._lock:
            self._workers.discard(worker)
            closed = self._closed
        worker.process.kill()
        worker.conn.close()

        def replace() -> None:
            worker.process.join(10)
            if not closed and not self._closed:
                self._ready(self._spawn())

        threading.Thread(target=replace, name="sparql-respawn", daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for w in workers:
            with contextlib.suppress(OSError):
                w.conn.close()  # the worker's recv ends: it returns
        for w in workers:
            w.process.join(5)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(5)

    @property
    def workers(self) -> int:
        return len(self._workers)

    def generation(self, *, force: bool = False) -> str | None:
        """The current generation (CURRENT is read again only when its inode or mtime changed)."""
        marker = current_marker(self.root)
        if force or marker != self._marker:
            now = current(self.root)
            previous, self._generation, self._marker = self._generation, now.name if now else None, marker
            if previous is not None and self._generation != previous:
                with contextlib.suppress(OSError):
                    remove_unused(self.root)
        return self._generation

    def run(self, job: SparqlJob, timeout: float) -> SparqlAnswer:
        """The answer of ``job`` on the current generation, or SparqlTimeout past ``timeout`` seconds (the
        worker is killed), SparqlBusy when no worker is free within it, SparqlError for a bad query."""
        deadline = time.monotonic() + timeout
        for attempt in range(2):
            generation = self.generation(force=attempt > 0)
            if generation is None:
                raise StoreUnavailable(
                    "the RDF store has no published snapshot yet",
                    hint="load data (ieic-kg load or ieic-kg sync) or restart the API",
                )
            reply = self._ask(SparqlJob(**{**job.__dict__, "generation": generation}), deadline, timeout)
            if reply[0] == "ok":
                answer: SparqlAnswer = reply[1]
                return answer
            _, kind, message, hint = reply
            if kind == "GenerationGone":
                continue  # published and removed meanwhile: read CURRENT again
            raise _ERRORS.get(kind, SparqlError)(message, hint=hint)
        raise StoreUnavailable("the RDF store's snapshots changed twice during the request", hint="retry")

    def query(
        self, sparql: str, timeout: float = 30.0, bindings: dict[str, Any] | None = None, *, max_bytes: int = 10_000_000
    ) -> SparqlResult:
        """``RdfStore.query`` answered by the workers: a SELECT or ASK as plain Python values (the named
        queries' SPARQL twins run through this)."""
        import pyoxigraph as ox

        job = SparqlJob(
            sparql,
            "application/sparql-results+json",
            None,
            max_bytes=max_bytes,
            bindings=tuple((bindings or {}).items()),
        )
        answer = self.run(job, timeout)
        parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            return SparqlResult("ask", boolean=bool(parsed), seconds=answer.seconds)
        columns = [v.value for v in parsed.variables]
        rows = [{c: to_python(solution[c]) for c in columns} for solution in parsed]
        return SparqlResult("select", columns, rows, seconds=answer.seconds)

    def _ask(self, job: SparqlJob, deadline: float, timeout: float) -> tuple[Any, ...]:
        if self._closed:
            raise StoreUnavailable("the SPARQL workers are stopped")
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise SparqlBusy(
                f"all {self.size} SPARQL workers stayed busy for the {timeout:g} s of the request",
                hint="retry in a moment, or raise IEIC_API_SPARQL_WORKERS",
            ) from None
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self.timeouts += 1
                self._retire(worker)
                raise SparqlTimeout(
                    f"the SPARQL query did not finish within {timeout:g} s and was stopped",
                    hint="narrow the query (LIMIT, more specific patterns); the limit is the `timeout` parameter, "
                    "at most IEIC_API_SPARQL_TIMEOUT",
                )
            reply: tuple[Any, ...] = worker.conn.recv()
        except (EOFError, OSError) as exc:
            code = worker.process.exitcode
            self._retire(worker)
            raise StoreUnavailable(
                f"the SPARQL worker stopped while answering (exit code {code}: {type(exc).__name__})",
                hint="the query may need more memory than the server has; narrow it and retry",
            ) from None
        self._idle.put(worker)
        return reply


_ERRORS: dict[str, type[IeicError]] = {
    "ResultTooLarge": ResultTooLarge,
    "SparqlNotAcceptable": SparqlNotAcceptable,
    "SparqlError": SparqlError,
    "SyntaxError": SparqlError,
    "OSError": StoreUnavailable,
    "Exception": IeicError,
}
