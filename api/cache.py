"""Cached answers of the read-only GET routes, invalidated when the data they were computed from changes.

Entity lookups, searches, neighbours and alignment reports are pure functions of the request (path, query
string, ``Accept``) and of the graph; ``GET /sparql`` of the request and of the RDF snapshot. So the API keeps
their ``200`` answers (the bytes and headers, as sent) in memory, in each server process, keyed on the request
and on the *generation* of the data:

* the graph's generation is the bookmark Neo4j returns for a trivial read (``GraphStore.generation``): it
  changes with every committed write transaction, whoever wrote — an API load, a CLI load, cypher-shell.
  Asking costs a round trip, so it is asked at most once every ``check_interval`` seconds
  (IEIC_API_CACHE_CHECK_INTERVAL, default 0.5), by one request while the others wait for its answer; a
  cached graph answer is therefore never older than the graph was ``check_interval`` seconds before (plus one
  round trip). A load run by this process expires the check at its end, so its own answers are never stale;
  ``check_interval = 0`` asks on every request.
* the RDF store's generation is the published snapshot (``ieic_kg.rdfsnapshot``): reading it is a ``stat``,
  done on every request, so a SPARQL answer is always that of the current snapshot.

When Neo4j does not answer the check, nothing is served from the cache: the route answers (503). Access
control and the rate limit apply to answers from the cache as to the others (``deps``): a request the cache
cannot admit (no key where one is needed, an unknown key, an empty token bucket) goes to the route, which
answers the error. Only complete ``200`` answers up to ``max_entry_bytes`` are kept, least recently used
dropped first past ``max_bytes`` (IEIC_API_CACHE_BYTES; 0 turns the cache off). Answers carry
``X-Cache: hit`` or ``X-Cache: miss``.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi.security.utils import get_authorization_scheme_param
from ieic_kg.api.deps import may_read, principal_for, rate_limit_wait
from ieic_kg.api.errors import ApiError
from ieic_kg.api.security import Principal
from ieic_kg.api.state import ApiState
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Paths whose GET answers depend only on the request and the graph in Neo4j.
GRAPH_PREFIXES = ("/v1/entities", "/v1/alignment")
#: Paths whose GET answers depend only on the request and the published RDF snapshot.
RDF_PATHS = ("/sparql",)
CACHE_HEADER = b"x-cache"

Key = tuple[str, str, str, bytes, str]  # family, generation, path, query string, Accept


@dataclass
class _Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class AnswerCache:
    """The answers (LRU, bounded in bytes) and the graph generation they are valid for."""

    max_bytes: int
    check_interval: float
    graph_generation: Callable[[], str | None]
    rdf_generation: Callable[[], str | None]
    max_entry_bytes: int = 2_000_000
    hits: int = 0
    misses: int = 0
    _entries: OrderedDict[Key, _Entry] = field(default_factory=OrderedDict)
    _size: int = 0
    _graph: str | None = None
    _checked: float = float("-inf")
    _lock: asyncio.Lock | None = None

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def expire(self) -> None:
        """The graph changed (a load of this process ended): check its generation on the next request."""
        self._checked = float("-inf")

    async def generation(self, family: str) -> str | None:
        """The current generation of ``family`` ("graph" or "rdf"), or None when it cannot be known now."""
        if family == "rdf":
            return self.rdf_generation()
        if time.monotonic() - self._checked < self.check_interval:
            return self._graph
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # one request asks Neo4j; the ones arriving meanwhile wait for its answer
            started = time.monotonic()
            if started - self._checked < self.check_interval:
                return self._graph
            graph = await run_in_threadpool(self.graph_generation)
            if graph != self._graph:
                self._drop("graph")
            self._graph, self._checked = graph, started if graph is not None else float("-inf")
        return graph

    def get(self, key: Key) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Key, entry: _Entry) -> None:
        size = len(entry.body) + sum(len(k) + len(v) for k, v in entry.headers)
        if size > self.max_entry_bytes or size > self.max_bytes:
            return
        if key[0] == "graph" and key[1] != self._graph:
            return  # computed while the graph changed: not valid for the current generation
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= len(old.body)
        self._entries[key] = entry
        self._size += len(entry.body)
        while self._size > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._size -= len(dropped.body)

    def _drop(self, family: str) -> None:
        for key in [k for k in self._entries if k[0] == family]:
            self._size -= len(self._entries.pop(key).body)

    def __len__(self) -> int:
        return len(self._entries)


def graph_generation(state: ApiState) -> Callable[[], str | None]:
    """The graph's generation for ``state`` (a plain function: it may connect), None while Neo4j is down."""

    def probe() -> str | None:
        try:
            return state.neo4j.get().generation(state.neo4j.probe_timeout)
        except Exception:  # down (StoreUnavailable), or going away (a driver error): the route says so
            return None

    return probe


def rdf_generation(state: ApiState) -> Callable[[], str | None]:
    def current() -> str | None:
        try:
            return state.rdf.pool.generation()
        except OSError:
            return None

    return current


class CacheMiddleware:
    """Serve the cacheable GET routes from ``state.cache`` and fill it from the routes' ``200`` answers (pure ASGI)."""

    def __init__(self, app: ASGIApp, state: ApiState) -> None:
        self.app = app
        self.state = state

    @staticmethod
    def family(path: str) -> str | None:
        if path.startswith(GRAPH_PREFIXES):
            return "graph"
        if path in RDF_PATHS:
            return "rdf"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache = self.state.cache
        family = self.family(scope.get("path", "")) if scope["type"] == "http" and scope["method"] == "GET" else None
        if family is None or cache is None or not cache.enabled:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        principal = self._principal(headers)
        if principal is None or not may_read(self.state, principal):
            await self.app(scope, receive, send)  # the route answers 401
            return
        generation = await cache.generation(family)
        if generation is None:
            await self.app(scope, receive, send)
            return
        key: Key = (family, generation, scope["path"], scope.get("query_string", b""), headers.get("accept", ""))
        entry = cache.get(key)
        if entry is not None:
            client = scope.get("client")
            if rate_limit_wait(self.state, principal, client[0] if client else None) is None:
                cache.hits += 1
                await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
                await send({"type": "http.response.body", "body": entry.body})
                return
            await self.app(scope, receive, send)  # the route answers 429
            return
        cache.misses += 1
        await self._fill(cache, scope, receive, send, key)

    def _principal(self, headers: Headers) -> Principal | None:
        scheme, credentials = get_authorization_scheme_param(headers.get("authorization"))
        key = credentials if scheme.lower() == "bearer" and credentials else headers.get("x-api-key")
        try:
            return principal_for(self.state, key)
        except ApiError:
            return None

    async def _fill(self, cache: AnswerCache, scope: Scope, receive: Receive, send: Send, key: Key) -> None:
        status = 0
        kept: list[tuple[bytes, bytes]] = []
        body: list[bytes] = []
        keep = True

        async def capture(message: Message) -> None:
            nonlocal status, keep
            if message["type"] == "http.response.start":
                status = message["status"]
                kept.extend(message.get("headers", []))
                keep = status == 200
                message = {**message, "headers": [*kept, (CACHE_HEADER, b"miss")]}
            elif message["type"] == "http.response.body" and keep:
                body.append(message.get("body", b""))
                keep = sum(map(len, body)) <= cache.max_entry_bytes
            await send(message)

        await self.app(scope, receive, capture)
        if keep and status == 200:
            cache.put(key, _Entry(status, [*kept, (CACHE_HEADER, b"hit")], b"".join(body)))
