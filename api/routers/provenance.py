"""Provenance: where an entity comes from, and the load runs that wrote the graph.

Operational details of a load run (source file paths, the account, host and process that ran it) are
shown to steward and admin keys only; everyone who may read sees datasets, times, counts and checksums.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from ieic_kg.api import graphview
from ieic_kg.api.deps import OntologyDep, PrincipalDep, RateLimit, ReadAccess, StoreDep
from ieic_kg.api.errors import problem_responses
from ieic_kg.api.models import LoadRunOut, LoadRunPage, NodeProvenance

from ieic_kg.errors import NotFound

router = APIRouter(prefix="/v1", tags=["provenance"], dependencies=[ReadAccess, RateLimit])

_NODE = f"""
MATCH (n:Entity {{iri: $iri}})
OPTIONAL MATCH (run:LoadRun {{iri: n.loadRun}})
RETURN {graphview.ENTITY_COLUMNS}, properties(run) AS run
"""
_RUNS = """
MATCH (r:LoadRun)
WHERE ($dataset IS NULL OR r.source = $dataset) AND ($status IS NULL OR r.status = $status)
WITH r ORDER BY r.startedAt DESC, r.iri SKIP $offset LIMIT $limit
RETURN properties(r) AS run
"""
_RUNS_COUNT = """
MATCH (r:LoadRun)
WHERE ($dataset IS NULL OR r.source = $dataset) AND ($status IS NULL OR r.status = $status)
RETURN count(r) AS total
"""
_RUN = "MATCH (r:LoadRun) WHERE r.runId = $run OR r.iri = $run RETURN properties(r) AS run"


@router.get(
    "/provenance",
    response_model=NodeProvenance,
    summary="Where an entity comes from",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def node_provenance(
    store: StoreDep,
    ontology: OntologyDep,
    principal: PrincipalDep,
    iri: Annotated[str, Query(min_length=1, max_length=2048, description="The entity's IRI.")],
) -> NodeProvenance:
    """The datasets that state the entity, when it was first and last seen, and the last load run that saw it."""
    rows = store.read(_NODE, {"iri": iri})
    if not rows:
        raise NotFound(f"no entity with IRI {iri[:300]!r}", hint="find entities with /v1/entities/search?q=…")
    row = rows[0]
    prov = graphview.provenance(row["props"])
    return NodeProvenance(
        entity=graphview.summary(ontology, row),
        sources=prov.sources,
        firstSeen=prov.firstSeen,
        lastSeen=prov.lastSeen,
        loadRun=graphview.load_run(row["run"], operational=principal.can("steward")) if row["run"] else None,
    )


@router.get(
    "/loads",
    response_model=LoadRunPage,
    summary="Load runs, newest first",
    responses=problem_responses(400, 401, 429, 503),
)
def load_runs(
    store: StoreDep,
    principal: PrincipalDep,
    dataset: Annotated[str | None, Query(max_length=200, description="Only the runs of this dataset.")] = None,
    status: Annotated[
        str | None, Query(max_length=40, description="Only runs with this status (completed, failed, …).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> LoadRunPage:
    """Every load run with its dataset, loader, status, times, counts and source checksums."""
    params = {"dataset": dataset, "status": status}
    total = store.read(_RUNS_COUNT, params)[0]["total"]
    rows = store.read(_RUNS, {**params, "offset": offset, "limit": limit}) if total > offset else []
    operational = principal.can("steward")
    return LoadRunPage(
        items=[graphview.load_run(r["run"], operational=operational) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
        nextOffset=offset + limit if offset + limit < total else None,
    )


@router.get(
    "/loads/{run}",
    response_model=LoadRunOut,
    summary="One load run",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def load_run(
    store: StoreDep,
    principal: PrincipalDep,
    run: Annotated[str, Path(min_length=1, max_length=200, description="The run id (20261129T143251Z-1e9eac).")],
) -> LoadRunOut:
    """One load run by its run id (or IRI): dataset, loader, status, times, counts and checksums."""
    rows = store.read(_RUN, {"run": run})
    if not rows:
        raise NotFound(f"no load run {run!r}", hint="list them with /v1/loads")
    return graphview.load_run(rows[0]["run"], operational=principal.can("steward"))
