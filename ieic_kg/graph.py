"""The Neo4j store: one driver, managed write transactions with retries, reads in READ mode with a timeout.

Everything that talks to Neo4j goes through ``GraphStore``; Neo4j records never leave this module as
driver objects (reads return plain dicts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, LiteralString, TypeVar, cast

import neo4j
from neo4j import READ_ACCESS, WRITE_ACCESS, GraphDatabase, Query, unit_of_work
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError

from ieic_kg.errors import IeicError, QueryParameterError, StoreUnavailable
from ieic_kg.neo4j_server import Neo4jConnection

T = TypeVar("T")


class QueryFailed(IeicError):
    """Neo4j refused or failed a query (syntax, constraint, timeout)."""

    status = 400
    title = "Query failed"


class GraphStore:
    """A connection to the Neo4j database that holds the graph (the system of record)."""

    def __init__(self, connection: Neo4jConnection, *, query_timeout: float = 30.0) -> None:
        self.connection = connection
        self.database = connection.database
        self.query_timeout = query_timeout
        # notifications (e.g. "property key does not exist" on an empty graph) are noise for our named queries
        self._driver = GraphDatabase.driver(
            connection.uri, auth=(connection.user, connection.password), notifications_min_severity="OFF"
        )
        try:
            self._driver.verify_connectivity()
        except AuthError:
            self._driver.close()
            raise StoreUnavailable(
                f"Neo4j at {connection.uri} refused the credentials of user {connection.user!r}",
                hint="check IEIC_NEO4J_USER / IEIC_NEO4J_PASSWORD (or `ieic-kg neo4j env` for the managed one)",
            ) from None
        except (ServiceUnavailable, OSError, ValueError) as exc:
            self._driver.close()
            raise StoreUnavailable(
                f"cannot reach Neo4j at {connection.uri}: {exc}",
                hint="start it (`ieic-kg neo4j start`) or set IEIC_NEO4J_URI to a running server",
            ) from None

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reads ----------------------------------------------------------------------------------------

    def read(
        self, cypher: str, params: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[dict[str, Any]]:
        """Run a read query in READ access mode with a timeout; rows as plain dicts.

        One auto-commit query (a single round trip, where a managed transaction takes three); when the
        connection fails (a pooled connection to a restarted server) or Neo4j reports a transient error, it is
        run again in a managed read transaction, which the driver retries."""
        seconds = timeout or self.query_timeout

        @unit_of_work(timeout=seconds)
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [_row(r) for r in tx.run(cast(LiteralString, cypher), params or {})]

        with _neo4j_errors(), self._driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            try:
                query = Query(cast(LiteralString, cypher), timeout=seconds)
                return [_row(r) for r in session.run(query, params or {})]
            except (ServiceUnavailable, SessionExpired, TransientError):
                return session.execute_read(work)

    @contextmanager
    def reading(self, *, timeout: float | None = None) -> Iterator[Callable[..., list[dict[str, Any]]]]:
        """Several reads in one READ transaction: yields ``read(cypher, params)``, which returns rows as
        ``read`` does. One session and one BEGIN/COMMIT for all of them instead of one each — for a report
        that runs several named queries (the alignment engine); ``timeout`` bounds the whole transaction."""
        with (
            _neo4j_errors(),
            self._driver.session(database=self.database, default_access_mode=READ_ACCESS) as session,
            session.begin_transaction(timeout=timeout or self.query_timeout) as tx,
        ):

            def read(cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
                try:
                    return [_row(r) for r in tx.run(cast(LiteralString, cypher), params or {})]
                except ClientError as exc:
                    raise _query_error(exc) from None

            yield read

    def columns(self, cypher: str, params: dict[str, Any] | None = None) -> list[str]:
        """The column names of a query, from its plan (``EXPLAIN``: nothing is run)."""
        with _neo4j_errors(), self._driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            result = session.run(cast(LiteralString, "EXPLAIN " + cypher), params or {})
            keys = list(result.keys())
            result.consume()
            return keys

    def stream(
        self, cypher: str, params: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> Iterator[dict[str, Any]]:
        """Rows of a read query as they arrive (the driver fetches them in batches), for answers too large
        to hold twice: a projection of a taxonomy to RDF. One auto-commit READ query; the caller's work
        between rows counts towards ``timeout`` (default: the store's)."""
        query = Query(cast(LiteralString, cypher), timeout=timeout or self.query_timeout)
        with _neo4j_errors(), self._driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            for record in session.run(query, params or {}):
                yield _row(record)

    def generation(self, timeout: float = 3.0) -> str:
        """A token that changes whenever a write transaction commits on the database, whoever wrote (this
        process, a CLI load, cypher-shell): the bookmark Neo4j returns for a trivial auto-commit read, which
        names the last transaction committed before it. Opaque: compare it, never parse it."""
        with self._driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            session.run(Query("RETURN 1", timeout=timeout)).consume()
            return ",".join(sorted(session.last_bookmarks().raw_values))

    # -- writes ---------------------------------------------------------------------------------------

    def write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``work`` in one write transaction, retried by the driver on transient errors."""
        with _neo4j_errors(), self._driver.session(database=self.database, default_access_mode=WRITE_ACCESS) as session:
            return session.execute_write(work)

    @contextmanager
    def writer(self) -> Iterator[Callable[[Callable[[neo4j.ManagedTransaction], T]], T]]:
        """One session for many write transactions (a load's batches): yields ``run(work)``."""
        with self._driver.session(database=self.database, default_access_mode=WRITE_ACCESS) as session:

            def run(work: Callable[[neo4j.ManagedTransaction], T]) -> T:
                with _neo4j_errors():
                    return session.execute_write(work)

            yield run

    def execute(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one write statement in its own transaction; rows as plain dicts."""
        return self.write(lambda tx: [r.data() for r in tx.run(cast(LiteralString, cypher), params or {})])

    @contextmanager
    def session(self) -> Iterator[neo4j.Session]:
        """A raw session, for schema statements that cannot run inside a managed transaction."""
        with self._driver.session(database=self.database) as session:
            yield session


#: Values Record.data() returns as they are (it converts nodes, relationships and paths, and copies lists).
_SCALARS = frozenset(
    {str, int, float, bool, type(None), neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time, neo4j.time.Duration}
)


def _unchanged(value: Any) -> bool:
    """True for a value that ``Record.data()`` returns as it is: a scalar, or a list of such values (at any
    depth; checked with a loop, not recursion: a row may hold thousands of [skill, weight] pairs)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is not list:
        return False
    todo = [value]
    while todo:
        for item in todo.pop():
            kind = type(item)
            if kind is list:
                todo.append(item)
            elif kind not in _SCALARS:
                return False
    return True


def _row(record: neo4j.Record) -> dict[str, Any]:
    """``record.data()``, without its cost where it changes nothing: its conversion (nodes to dicts, …)
    runs only on the values that need it. On rows of strings, numbers and lists of them — most named
    queries — it is the bulk of reading a result in Python (0.6 s of the coverage matrix's 3,640 rows)."""
    return {k: v if _unchanged(v) else record.data(k)[k] for k, v in zip(record.keys(), record.values(), strict=True)}


@contextmanager
def _neo4j_errors() -> Iterator[None]:
    """The store's errors for the driver's: Neo4j gone is StoreUnavailable, a refused query a query error."""
    try:
        yield
    except ServiceUnavailable as exc:
        raise StoreUnavailable(f"Neo4j became unreachable: {exc}") from None
    except ClientError as exc:
        raise _query_error(exc) from None


def _query_error(exc: Neo4jError) -> IeicError:
    code = exc.code or ""
    if "ParameterMissing" in code or "ParameterNotProvided" in code:
        return QueryParameterError(exc.message or str(exc))
    if "TransactionTimedOut" in code or "Terminated" in code:
        return QueryFailed(
            f"the query was stopped by its time limit ({code})", hint="narrow the query or raise IEIC_QUERY_TIMEOUT"
        )
    return QueryFailed(f"{code}: {exc.message}")
