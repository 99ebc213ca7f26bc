"""Liveness, readiness (each store's state) and who the caller is."""

from __future__ import annotations

from fastapi import APIRouter, Response
from ieic_kg.api.deps import PrincipalDep, StateDep
from ieic_kg.api.errors import problem_responses
from ieic_kg.api.models import Health, Me, Readiness, StoreReport
from starlette.concurrency import run_in_threadpool

from ieic_kg import __version__

router = APIRouter(tags=["system"])


@router.get("/health", response_model=Health, summary="The API process is up")
async def health() -> Health:
    """Always 200 while the process serves requests, whatever the state of the stores."""
    return Health(status="up", version=__version__)


@router.get(
    "/ready",
    response_model=Readiness,
    summary="Every store answers",
    responses={503: {"model": Readiness, "description": "A store is down"}},
)
async def ready(state: StateDep, response: Response) -> Readiness:
    """200 when every configured store answers a trivial query, else 503; each store's state either way."""
    statuses = [await run_in_threadpool(holder.status) for holder in (state.neo4j, state.rdf)]
    stores = [StoreReport(name=s.name, state=s.state, detail=s.detail, latencyMs=s.latency_ms) for s in statuses]
    ok = all(s.state != "down" for s in stores)
    response.status_code = 200 if ok else 503
    return Readiness(status="ready" if ok else "not-ready", stores=stores)


@router.get("/v1/me", response_model=Me, summary="Who the API takes the caller for", responses=problem_responses(401))
async def me(state: StateDep, principal: PrincipalDep) -> Me:
    """The principal of the presented key (or anonymous), its role and the limits that apply."""
    return Me(
        principal=principal.id,
        role=principal.role,
        openReads=state.api.api_open_reads,
        rateLimit=state.api.api_rate_limit,
        rateBurst=state.api.api_rate_burst,
    )
