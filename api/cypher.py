"""Read-only Cypher for /v1/cypher: a keyword check before the query runs, READ mode as the real guard.

Two layers:

1. :func:`check_read_only` refuses, before anything reaches Neo4j, a query that names a clause that writes
   or administers (CREATE, MERGE, SET, DELETE, DETACH, REMOVE, DROP, FOREACH, LOAD CSV, CALL … IN
   TRANSACTIONS, USE, SHOW, GRANT…), a procedure outside a small read-only allow-list, or ``dbms.`` /
   APOC write, load and Cypher-running functions. Comments, string literals and quoted identifiers are
   blanked first, so ``'DELETE'`` in a string passes and ``/* */`` cannot hide a keyword. The check is
   conservative: a variable or map key named like a clause (``set``) is refused too; rename it.
2. :func:`run_read` runs the query in a READ transaction (``execute_read``), which Neo4j itself refuses to
   let write (``Neo.ClientError.Statement.AccessMode``), with a server-side timeout, streaming the records
   and stopping at the row cap. Parameters are bound, never formatted into the text.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, LiteralString, cast

import neo4j
from ieic_kg.api.errors import BadRequest, Forbidden, QueryTimeout, WriteRefused
from neo4j import unit_of_work
from neo4j.exceptions import ClientError, ServiceUnavailable, SessionExpired

from ieic_kg.errors import IeicError, QueryParameterError, StoreUnavailable
from ieic_kg.graph import GraphStore, QueryFailed

#: Words that start a clause (or sub-clause) that writes, reads files or URLs, or administers the DBMS.
REFUSED_WORDS = frozenset(
    {
        "CREATE",
        "MERGE",
        "SET",
        "DELETE",
        "DETACH",
        "REMOVE",
        "DROP",
        "FOREACH",
        "LOAD",
        "TRANSACTIONS",
        "USE",
        "SHOW",
        "GRANT",
        "DENY",
        "REVOKE",
        "ALTER",
        "RENAME",
        "START",
        "STOP",
        "ENABLE",
        "TERMINATE",
    }
)

#: Procedures a query may CALL: full-text search and schema introspection, all read-only.
ALLOWED_PROCEDURES = frozenset(
    {
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
    }
)

#: Namespaces of functions and procedures that administer, write, run Cypher strings or read files.
REFUSED_NAMESPACES = (
    "dbms.",
    "apoc.create.",
    "apoc.merge.",
    "apoc.refactor.",
    "apoc.periodic.",
    "apoc.do.",
    "apoc.cypher.",
    "apoc.trigger.",
    "apoc.nodes.delete",
    "apoc.atomic.",
    "apoc.lock.",
    "apoc.schema.",
    "apoc.load.",
    "apoc.import.",
    "apoc.export.",
    "apoc.systemdb.",
    "apoc.util.sleep",
)

_BLANKABLE = re.compile(
    r"""
      //[^\n]*                  # line comment
    | /\*.*?\*/                 # block comment
    | '(?:[^'\\]|\\.)*'         # single-quoted string, backslash escapes
    | "(?:[^"\\]|\\.)*"         # double-quoted string
    | `(?:[^`]|``)*`            # quoted identifier (a doubled backtick is a backtick)
    """,
    re.DOTALL | re.VERBOSE,
)
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = re.compile(rf"{_NAME}(?:\s*\.\s*{_NAME})*")
_CALL = re.compile(r"\bCALL\b\s*", re.IGNORECASE)
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

HINT = "/v1/cypher runs read-only queries; writes go through `ieic-kg load`"


def _blank(query: str) -> str:
    """The query with comments and string literals replaced by a space, quoted identifiers by ``_q_``."""

    def repl(m: re.Match[str]) -> str:
        return " _q_ " if m.group(0).startswith("`") else " "

    return _BLANKABLE.sub(repl, query)


def check_read_only(query: str) -> None:
    """Raise WriteRefused when the query names a write clause, a disallowed procedure or function."""
    text = _blank(query)
    for m in _DOTTED.finditer(text):
        name = re.sub(r"\s+", "", m.group(0))
        word = name.upper()
        if word in REFUSED_WORDS:
            raise WriteRefused(f"the query uses {word}, which is not allowed here", hint=HINT)
        lowered = name.lower()
        for ns in REFUSED_NAMESPACES:
            if lowered.startswith(ns) or lowered + "." == ns:
                raise WriteRefused(f"the query calls {name}, which is not allowed here", hint=HINT)
    for m in _CALL.finditer(text):
        rest = text[m.end() :]
        if rest[:1] in ("{", "("):
            continue  # a subquery: CALL { … } or CALL (x) { … }
        proc = _DOTTED.match(rest)
        name = re.sub(r"\s+", "", proc.group(0)).lower() if proc else ""
        if name not in ALLOWED_PROCEDURES:
            shown = name or rest[:30].strip()
            raise WriteRefused(
                f"the query calls the procedure {shown!r}, which is not allowed here",
                hint="allowed procedures: " + ", ".join(sorted(ALLOWED_PROCEDURES)),
            )


def check_parameters(parameters: dict[str, Any]) -> None:
    for name in parameters:
        if not _PARAM_NAME.match(name):
            raise BadRequest(f"parameter name {name[:60]!r} is not a Cypher identifier", hint="use letters, digits, _")


@dataclass
class ReadResult:
    keys: list[str]
    records: list[neo4j.Record]
    truncated: bool
    elapsed_ms: float


def run_read(store: GraphStore, query: str, parameters: dict[str, Any], *, timeout: float, max_rows: int) -> ReadResult:
    """Run ``query`` in a READ transaction with a server-side ``timeout``; at most ``max_rows`` records."""

    @unit_of_work(timeout=timeout)
    def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[neo4j.Record], bool]:
        result = tx.run(cast(LiteralString, query), parameters)
        records: list[neo4j.Record] = []
        truncated = False
        for record in result:
            if len(records) >= max_rows:
                truncated = True
                break
            records.append(record)
        return list(result.keys()), records, truncated

    started = time.perf_counter()
    try:
        with store.session() as session:
            keys, records, truncated = session.execute_read(work)
    except (ServiceUnavailable, SessionExpired) as exc:
        raise StoreUnavailable(f"Neo4j became unreachable: {exc}") from None
    except ClientError as exc:
        raise _client_error(exc, timeout) from None
    return ReadResult(keys, records, truncated, round((time.perf_counter() - started) * 1000, 2))


def _client_error(exc: ClientError, timeout: float) -> IeicError:
    code = exc.code or ""
    message = exc.message or str(exc)
    if "TransactionTimedOut" in code or code.endswith("Transaction.Terminated"):
        return QueryTimeout(
            f"the query was stopped after its time limit of {timeout:g}s",
            hint="narrow the query (labels, LIMIT) or ask for a longer timeout, up to IEIC_API_CYPHER_TIMEOUT",
        )
    if "Statement.AccessMode" in code:
        return WriteRefused(f"Neo4j refused to write in a read-only transaction: {message}", hint=HINT)
    if code.startswith("Neo.ClientError.Security."):
        return Forbidden(f"Neo4j refused the query: {message}")
    if "ParameterMissing" in code or "ParameterNotProvided" in code:
        return QueryParameterError(message, hint="pass every $name of the query in parameters")
    return QueryFailed(f"{code}: {message}")
