"""Provenance: where an entity comes from, and the load runs that wrote the graph.

Operational details of a load run (source file paths, the account, host and process that ran it) are
shown to steward and admin keys only; everyone who may read sees datasets, times, counts and checksums.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from ieic_kg.api import graphview
from ieic_kg.api.deps import OntologyDep, PrincipalDep, RateLimit, ReadAccess, SettingsDep, StoreDep
from ieic_kg.api.errors import problem_responses
from ieic_kg.api.loadjobs import dry_run_props, dry_runs
from ieic_kg.api.models import LoadRunPage, NodeProvenance
from ieic_kg.api.models_loads import LoadRunStatus
from ieic_kg.api.routers.loads import job_out, load_jobs

from ieic_kg.errors import NotFound
from ieic_kg.loadlock import RUN_ID

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
DRY_RUN = "dry-run"
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
    settings: SettingsDep,
    principal: PrincipalDep,
    dataset: Annotated[str | None, Query(max_length=200, description="Only the runs of this dataset.")] = None,
    status: Annotated[
        str | None, Query(max_length=40, description="Only runs with this status (completed, failed, …).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> LoadRunPage:
    """Every load run with its dataset, loader, status, times, counts and source checksums. Dry runs wrote
    nothing to the graph and are listed apart, with `status=dry-run` (those of the CLI and of the API alike,
    from their reports in the server's data folder)."""
    operational = principal.can("steward")
    if status == DRY_RUN:  # they wrote nothing to the graph: their reports in the data folder
        found = dry_runs(settings, dataset)
        return LoadRunPage(
            items=[graphview.load_run(r, operational=operational) for r in found[offset : offset + limit]],
            total=len(found),
            limit=limit,
            offset=offset,
            nextOffset=offset + limit if offset + limit < len(found) else None,
        )
    params = {"dataset": dataset, "status": status}
    total = store.read(_RUNS_COUNT, params)[0]["total"]
    rows = store.read(_RUNS, {**params, "offset": offset, "limit": limit}) if total > offset else []
    return LoadRunPage(
        items=[graphview.load_run(r["run"], operational=operational) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
        nextOffset=offset + limit if offset + limit < total else None,
    )


@router.get(
    "/loads/{run}",
    response_model=LoadRunStatus,
    summary="One load run, with the live status of a load started through the API",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def load_run(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    run: Annotated[str, Path(min_length=1, max_length=200, description="The run id (20261129T143251Z-1e9eac).")],
) -> LoadRunStatus:
    """One load run by its run id (or IRI): dataset, loader, status, times, counts and checksums; for a load
    started through the API (POST /v1/loads, POST /v1/sources/{name}/load) also `job`: its phase, progress,
    RDF store lag, error and, when done, its report. A run still validating, a dry run and a strict run
    that was rejected have no record in the graph yet: their figures come from `job` alone."""
    rows = store.read(_RUN, {"run": run})
    run_id = run.rpartition("/")[2]
    live = load_jobs(request).get(run_id)
    dry = dry_run_props(settings, run_id) if not rows and live is None and RUN_ID.match(run_id) else None
    if not rows and live is None and dry is None:
        raise NotFound(f"no load run {run!r}", hint="list them with /v1/loads (dry runs: ?status=dry-run)")
    job = job_out(live, principal) if live is not None else None
    if rows or dry is not None:
        out = graphview.load_run(rows[0]["run"] if rows else dry, operational=principal.can("steward"))
        return LoadRunStatus(**out.model_dump(), job=job)
    assert job is not None
    report = job.report or {}
    rejected = report.get("rejected")
    counts = [c for group in ("nodes", "edges") for c in (report.get(group) or {}).values()]
    return LoadRunStatus(
        iri=f"{settings.id_base}load-run/{job.runId}",
        runId=job.runId,
        dataset=job.dataset,
        loader=str(report["loader"]) if report.get("loader") else None,
        status=job.status,
        startedAt=job.createdAt,
        endedAt=job.finishedAt,
        recordsRead=sum(c["read"] for c in counts) if counts else None,
        created=None,
        updated=None,
        unchanged=None,
        rejected=rejected if isinstance(rejected, int) else None,
        stale=None,
        pruned=None,
        checksums=[],
        sourcePaths=None,
        agent=None,
        host=None,
        processId=None,
        job=job,
    )
