"""The stores the API reads, each behind a holder that knows whether it is up.

The app starts whether or not Neo4j answers. When it does not, every Neo4j route answers 503 with the
reason, and the holder tries to connect again on a later request (at most once every ``retry_interval``
seconds, one request at a time; the others get the 503 at once instead of waiting). Once connected, the
driver's pool reconnects by itself after Neo4j restarts.

The RDF store has a holder of its own, ``RdfHolder``, with the same ``status`` method; /ready lists every
holder. It never opens the store that loads write: it serves the last published snapshot of it through a
pool of worker processes (``ieic_kg.rdfsnapshot``, ``ieic_kg.sparqlpool``), so that SPARQL keeps answering
while Neo4j is down and while a steward's load (another process) writes the store.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from neo4j import Query
from neo4j.exceptions import DriverError, Neo4jError

from ieic_kg.config import Settings
from ieic_kg.errors import IeicError, StoreUnavailable
from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import resolve_connection
from ieic_kg.rdfsnapshot import current, snapshots_dir
from ieic_kg.rdfstore import RdfStore
from ieic_kg.sparqlpool import SparqlBusy, SparqlJob, SparqlPool

StoreState = Literal["up", "down", "not-configured"]


@dataclass(frozen=True)
class StoreStatus:
    name: str
    state: StoreState
    detail: str
    latency_ms: float | None = None


class Neo4jHolder:
    """The Neo4j GraphStore of the app: opened in the lifespan, reopened after a failed start, and marked
    down when a request finds Neo4j gone, so that later requests fail fast until a probe succeeds."""

    name = "neo4j"

    def __init__(self, settings: Settings, *, retry_interval: float = 5.0, probe_timeout: float = 3.0) -> None:
        self.settings = settings
        self.retry_interval = retry_interval
        self.probe_timeout = probe_timeout
        self._store: GraphStore | None = None
        self._error: IeicError | None = None  # why there is no store, or why it is marked down
        self._down = False
        self._last_attempt = float("-inf")
        self._lock = threading.Lock()

    def open(self) -> None:
        """Try to connect now (at start); a failure is kept and reported, never raised."""
        with self._lock:
            if self._store is None:
                self._connect()

    def _connect(self) -> None:
        self._last_attempt = time.monotonic()
        try:
            connection = resolve_connection(self.settings)
            store = GraphStore(connection, query_timeout=self.settings.query_timeout)
        except IeicError as exc:
            self._error = exc
            return
        self._store, self._error, self._down = store, None, False

    def request_failed(self) -> None:
        """A request failed with StoreUnavailable: mark Neo4j down if a probe confirms it does not answer
        (an error about another store, or a passing hiccup, leaves it up)."""
        store = self._store
        if store is not None and not self._down:
            self._probe(store)

    def mark_down(self, error: IeicError) -> None:
        """A request found Neo4j unreachable: fail fast until a probe (every retry_interval) succeeds."""
        self._error, self._down = error, True
        self._last_attempt = time.monotonic()

    def connected(self) -> GraphStore | None:
        """The store when it is connected and not marked down, else None (without waiting)."""
        store = self._store
        return store if store is not None and not self._down else None

    def get(self) -> GraphStore:
        """The store, or StoreUnavailable (503) saying why Neo4j cannot be used now."""
        if self._store is not None and not self._down:
            return self._store
        due = time.monotonic() - self._last_attempt >= self.retry_interval
        if due and self._lock.acquire(blocking=False):  # one request retries; the others answer at once
            try:
                if self._store is None:
                    self._connect()
                elif self._down:
                    self._last_attempt = time.monotonic()
                    self._probe(self._store)
            finally:
                self._lock.release()
        if self._store is not None and not self._down:
            return self._store
        why = self._error.message if self._error else "the connection is being opened"
        hint = self._error.hint if self._error and self._error.hint else None
        raise StoreUnavailable(
            f"Neo4j is not available: {why}",
            hint=(hint + "; " if hint else "") + f"the API retries every {self.retry_interval:g}s",
        )

    def _probe(self, store: GraphStore) -> float | None:
        """Milliseconds for a trivial auto-commit query (no driver retries), or None and marked down."""
        started = time.perf_counter()
        try:
            with store.session() as session:
                session.run(Query("RETURN 1", timeout=self.probe_timeout)).consume()
        except (DriverError, Neo4jError, OSError) as exc:
            self.mark_down(StoreUnavailable(f"Neo4j does not answer: {type(exc).__name__}: {exc}"))
            return None
        self._error, self._down = None, False
        return round((time.perf_counter() - started) * 1000, 2)

    def status(self) -> StoreStatus:
        """Up when Neo4j answers a trivial query within ``probe_timeout`` seconds."""
        store = self._store
        if store is None:
            try:
                store = self.get()
            except StoreUnavailable as exc:
                return StoreStatus(self.name, "down", exc.message)
        latency = self._probe(store)
        if latency is None:
            return StoreStatus(self.name, "down", self._error.message if self._error else "Neo4j does not answer")
        return StoreStatus(self.name, "up", f"Neo4j answers (database {store.database})", latency)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


class RdfHolder:
    """The SPARQL side of the app: a pool of query workers on the published snapshots of the RDF store at
    ``<data_dir>/rdf``.

    When nothing was ever published (a store older than snapshots, or none yet), ``open`` publishes the
    store as it is — creating an empty one if there is none — by opening it for a moment; if a load holds it
    then, the load publishes when it ends and the holder reports the store down until then.
    """

    name = "rdf"

    def __init__(self, settings: Settings, *, workers: int = 2, probe_timeout: float = 3.0) -> None:
        self.path = Path(settings.data_dir) / "rdf"
        self.root = snapshots_dir(self.path)
        self.pool = SparqlPool(self.root, workers)
        self.probe_timeout = probe_timeout
        self._error: str | None = None
        self._lock = threading.Lock()

    def open(self) -> None:
        """Publish a first snapshot if there is none, and start the workers; failures are kept, never raised."""
        self._publish_if_missing()
        self.pool.start()

    def _publish_if_missing(self) -> None:
        if current(self.root) is not None or not self._lock.acquire(blocking=False):
            return
        try:
            if current(self.root) is None:
                RdfStore(self.path).close()  # closing publishes a store that has no snapshot yet
            self._error = None
        except IeicError as exc:
            self._error = f"no snapshot of the RDF store is published yet, and {exc.message}"
        finally:
            self._lock.release()

    def get(self) -> SparqlPool:
        """The pool, or StoreUnavailable (503) while no snapshot can be published."""
        if self.pool.generation() is None:
            self._publish_if_missing()
            if self.pool.generation(force=True) is None:
                raise StoreUnavailable(
                    f"the RDF store is not available: {self._error or 'no snapshot is published yet'}",
                    hint="a load in progress publishes its snapshot when it ends; retry then",
                )
        return self.pool

    def status(self) -> StoreStatus:
        """Up when a worker answers a trivial query on the current snapshot within ``probe_timeout`` seconds."""
        try:
            pool = self.get()
            started = time.perf_counter()
            answer = pool.run(SparqlJob("ASK {}", "application/sparql-results+json", None), self.probe_timeout)
        except SparqlBusy:
            return StoreStatus(self.name, "up", f"all {self.pool.size} SPARQL workers are busy")
        except IeicError as exc:
            return StoreStatus(self.name, "down", exc.message)
        latency = round((time.perf_counter() - started) * 1000, 2)
        published = current(self.root)
        when = published.published.isoformat(timespec="seconds") if published else "?"
        return StoreStatus(
            self.name,
            "up",
            f"Oxigraph snapshot {answer.generation} of {self.path} (published {when}), "
            f"{self.pool.workers} query workers",
            latency,
        )

    def close(self) -> None:
        self.pool.close()
