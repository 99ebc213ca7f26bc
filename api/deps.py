"""Dependencies as ``Annotated`` aliases: how a route gets settings, stores, the ontology and the caller.

Access control lives here too. Each router declares one of the access dependencies (``read_access``,
``key_access``) and ``rate_limit``; a route that needs more (a steward's view of provenance) asks for
``PrincipalDep`` and checks ``principal.can(...)``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from ieic_kg.api.errors import Forbidden, RateLimited, Unauthorized
from ieic_kg.api.security import ANONYMOUS, Principal
from ieic_kg.api.settings import Role
from ieic_kg.api.state import ApiState
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from starlette.concurrency import run_in_threadpool

from ieic_kg.config import Settings
from ieic_kg.errors import StoreUnavailable
from ieic_kg.graph import GraphStore
from ieic_kg.ontology import Ontology
from ieic_kg.queries import QueryLibrary

KEY_HINT = "send the key as `Authorization: Bearer <key>` or `X-API-Key: <key>`"

_bearer = HTTPBearer(auto_error=False, description="An API key as a bearer token.")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")


# The dependencies that only hand over what the app holds are ``async def``: FastAPI runs a plain ``def``
# dependency in the thread pool, a hop (two thread switches) that cost more than the answer's own work.


async def get_state(request: Request) -> ApiState:
    state: ApiState = request.app.state.ieic
    return state


StateDep = Annotated[ApiState, Depends(get_state)]


async def get_settings(state: StateDep) -> Settings:
    return state.settings


async def get_ontology(state: StateDep) -> Ontology:
    return state.ontology


async def get_queries(state: StateDep) -> QueryLibrary:
    return state.queries


async def get_store(state: StateDep) -> AsyncIterator[GraphStore]:
    """The Neo4j store; 503 (StoreUnavailable) when Neo4j is down.

    In the event loop when the store is up (no thread hop per request); connecting, and probing after a
    failure, run in the thread pool. A request that finds Neo4j gone marks it down, so that the next ones
    answer 503 at once (instead of each waiting for the driver's retries) until a probe finds it back.
    """
    store = state.neo4j.connected() or await run_in_threadpool(state.neo4j.get)
    try:
        yield store
    except (StoreUnavailable, ServiceUnavailable, SessionExpired):
        await run_in_threadpool(state.neo4j.request_failed)
        raise


@contextmanager
def neo4j_store(state: ApiState) -> Iterator[GraphStore]:
    """What ``get_store`` gives, for code that runs in a worker thread (a plain def: it may connect)."""
    store = state.neo4j.get()
    try:
        yield store
    except (StoreUnavailable, ServiceUnavailable, SessionExpired):
        state.neo4j.request_failed()
        raise


SettingsDep = Annotated[Settings, Depends(get_settings)]
OntologyDep = Annotated[Ontology, Depends(get_ontology)]
QueriesDep = Annotated[QueryLibrary, Depends(get_queries)]
StoreDep = Annotated[GraphStore, Depends(get_store)]


async def get_principal(
    state: StateDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> Principal:
    """The caller: the configured key it presents, or anonymous. An unknown key is 401, never anonymous."""
    return principal_for(state, bearer.credentials if bearer is not None else api_key)


def principal_for(state: ApiState, key: str | None) -> Principal:
    """The principal of a presented key (None: anonymous); Unauthorized for a key that is not configured."""
    if key is None:
        return ANONYMOUS
    principal = state.keys.identify(key)
    if principal is None:
        raise Unauthorized("the API key is not valid", hint=KEY_HINT)
    return principal


def may_read(state: ApiState, principal: Principal) -> bool:
    """Whether ``principal`` may read public data: anyone when IEIC_API_OPEN_READS is on, else a key."""
    return not principal.anonymous or state.api.api_open_reads


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def read_access(state: StateDep, principal: PrincipalDep) -> Principal:
    """Reading public data: anyone when IEIC_API_OPEN_READS is on, else a key of any role."""
    if not may_read(state, principal):
        raise Unauthorized("this API needs a key for every request", hint=KEY_HINT)
    return principal


def require_role(role: Role) -> Any:
    """A dependency that lets through keys of ``role`` or above: 401 without a key, 403 below the role."""

    async def check(principal: PrincipalDep) -> Principal:
        if principal.anonymous:
            raise Unauthorized(f"this endpoint needs an API key ({role} or above)", hint=KEY_HINT)
        if not principal.can(role):
            raise Forbidden(f"this endpoint needs the role {role} or above; the key has the role {principal.role}")
        return principal

    check.__name__ = f"require_{role}"
    return Depends(check)


async def rate_limit(request: Request, state: StateDep, principal: PrincipalDep) -> None:
    """One token from the caller's bucket (per key, else per client address); 429 when it is empty."""
    wait = rate_limit_wait(state, principal, request.client.host if request.client else None)
    if wait is not None:
        raise RateLimited(
            f"more than {state.api.api_rate_limit:g} requests a second (burst {state.api.api_rate_burst})",
            retry_after=wait,
            hint="slow down; the limit is per key and per server process (IEIC_API_RATE_LIMIT)",
        )


def rate_limit_wait(state: ApiState, principal: Principal, client_host: str | None) -> float | None:
    """Take one token from the caller's bucket (per key, else per client address): None when allowed, else
    the seconds until one is available."""
    if state.limiter is None:
        return None
    return state.limiter.take(principal.id if not principal.anonymous else f"ip:{client_host or '?'}")


ReadAccess = Depends(read_access)
RateLimit = Depends(rate_limit)
