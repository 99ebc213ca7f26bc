"""Stewards start loads: by uploading a mapping with its data files, or by naming a registered source; they
follow them (``GET /v1/loads/{run}``, in the provenance router) and download their rejects.

Every route here needs a steward key (``prune`` an admin key). How loads run, one at a time per store, is
in :mod:`ieic_kg.api.loadjobs`.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile
from fastapi.responses import FileResponse
from ieic_kg.api.deps import PrincipalDep, RateLimit, StateDep, StoreDep, require_role
from ieic_kg.api.errors import Forbidden, problem_responses
from ieic_kg.api.loadjobs import LoadJobs, RegisteredSource, Upload, read_sources, run_folder, upload_loader
from ieic_kg.api.models_loads import LoadJobOut, LoadOptions, RegisteredSourceOut, RegisteredSources
from ieic_kg.api.security import Principal
from ieic_kg.api.state import ApiState
from ieic_kg.loaders import Loader

from ieic_kg.errors import ConfigError, NotFound, SourceError

router = APIRouter(prefix="/v1", tags=["loads"], dependencies=[require_role("steward"), RateLimit])

RunParam = Annotated[str, Path(min_length=1, max_length=200, description="The run id (20261129T143251Z-1e9eac).")]
SourceName = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_.\-]+$", description="A registered source.")]

_jobs_lock = threading.Lock()


def load_jobs(request: Request) -> LoadJobs:
    """The app's load jobs, made on first use (they start no thread until a load starts)."""
    app_state = request.app.state
    with _jobs_lock:
        jobs: LoadJobs | None = getattr(app_state, "ieic_loads", None)
        if jobs is None:
            state: ApiState = app_state.ieic
            jobs = app_state.ieic_loads = LoadJobs(
                state.settings, state.ontology, on_end=state.cache.expire if state.cache else None
            )
    return jobs


def job_out(data: dict[str, Any], principal: Principal) -> LoadJobOut:
    run = data["runId"]
    return LoadJobOut.model_validate(
        {
            **data,
            "principal": data.get("principal") if principal.can("steward") else None,
            "links": {"status": f"/v1/loads/{run}", "rejects": f"/v1/loads/{run}/rejects"},
        }
    )


def _sources(state: ApiState) -> dict[str, RegisteredSource]:
    try:
        return read_sources(state.api.api_sources_file)
    except SourceError as exc:
        raise ConfigError(f"IEIC_API_SOURCES_FILE: {exc.message}", hint=exc.hint or "see docs/api.md") from None


def _check_prune(principal: Principal, prune: bool) -> None:
    if prune and not principal.can("admin"):
        raise Forbidden("prune deletes data: it needs an admin key", hint="load without prune, or ask an admin")


def _accepted(response: Response, job: LoadJobOut) -> LoadJobOut:
    response.headers["Location"] = job.links["status"]
    return job


@router.post(
    "/loads",
    response_model=LoadJobOut,
    status_code=202,
    summary="Start a load from an uploaded mapping file and its data files (steward)",
    responses=problem_responses(400, 401, 403, 409, 413, 429, 503),
)
def upload_load(
    request: Request,
    response: Response,
    state: StateDep,
    store: StoreDep,
    principal: PrincipalDep,
    mapping: Annotated[UploadFile, File(description="The mapping file (YAML, docs/mappings.md).")],
    data: Annotated[
        list[UploadFile] | None,
        File(
            description="The data files it reads (CSV, TSV, XLSX, JSON, JSON Lines, SQLite): one to replace "
            "the file of a one-source mapping, or each file a source names, by its name."
        ),
    ] = None,
    table: Annotated[str | None, Form(max_length=100, description="Load only this source of the mapping.")] = None,
    dry_run: Annotated[bool, Form(description="Validate and report; write nothing.")] = False,
    strict: Annotated[bool, Form(description="Write nothing if any record is rejected.")] = False,
    prune: Annotated[bool, Form(description="Delete what the dataset no longer states (admin).")] = False,
) -> LoadJobOut:
    """The files are kept in a private temporary folder (IEIC_API_UPLOAD_DIR) until the load ends; the whole
    request may be at most IEIC_API_UPLOAD_MAX_BYTES. The mapping is checked first — it parses, names only
    ontology classes, properties and relations, and reads only uploaded files, never URLs — and a problem is
    a 400 naming the file, line and field, with nothing started. Then the load runs in the background:
    `202 Accepted` with its run id, and `Location: /v1/loads/{run}` to follow it. One load runs at a time per
    store: while one runs, another is a 409 (not queued)."""
    _check_prune(principal, prune)
    jobs = load_jobs(request)
    upload = Upload(state.api.api_upload_dir)
    try:
        mapping_path = upload.add(mapping.filename, mapping.file, "mapping.yaml")
        data_paths = [upload.add(f.filename, f.file, f"data-{n}") for n, f in enumerate(data or [])]
    except BaseException:
        upload.close()
        raise

    def make() -> Loader:
        return upload_loader(upload, mapping_path, data_paths, table, state.ontology)

    job = jobs.start(
        store,
        make,
        origin="upload",
        principal=principal.id,
        dry_run=dry_run,
        strict=strict,
        prune=prune,
        cleanup=upload.close,
    )
    return _accepted(response, job_out(job.as_dict(), principal))


@router.get(
    "/sources",
    response_model=RegisteredSources,
    summary="The registered sources a steward may load by name (steward)",
    responses=problem_responses(401, 403, 429),
)
def list_sources(state: StateDep) -> RegisteredSources:
    """The sources of IEIC_API_SOURCES_FILE: each named source, and every mapping of each demo manifest it
    lists (named by its dataset)."""
    return RegisteredSources(
        file=str(state.api.api_sources_file) if state.api.api_sources_file else None,
        items=[
            RegisteredSourceOut(
                name=s.name,
                kind=s.kind,
                path=str(s.path),
                mapping=str(s.mapping) if s.mapping else None,
                table=s.table,
                title=s.title,
            )
            for s in _sources(state).values()
        ],
    )


@router.post(
    "/sources/{name}/load",
    response_model=LoadJobOut,
    status_code=202,
    summary="Start a load of a registered source (steward)",
    responses=problem_responses(400, 401, 403, 404, 409, 429, 503),
)
def load_source(
    request: Request,
    response: Response,
    state: StateDep,
    store: StoreDep,
    principal: PrincipalDep,
    name: SourceName,
    options: LoadOptions | None = None,
) -> LoadJobOut:
    """Load the source in the background, as `ieic-kg load` would: `202 Accepted` with the run id and
    `Location: /v1/loads/{run}`. One load runs at a time per store: while one runs, this is a 409."""
    opts = options or LoadOptions()
    _check_prune(principal, opts.prune)
    sources = _sources(state)
    source = sources.get(name)
    if source is None:
        raise NotFound(
            f"no registered source {name!r}",
            hint=f"registered: {', '.join(sorted(sources)) or 'none (IEIC_API_SOURCES_FILE)'}"[:500],
        )
    job = load_jobs(request).start(
        store,
        source.loader,
        origin=f"source:{name}",
        principal=principal.id,
        dry_run=opts.dryRun,
        strict=opts.strict,
        prune=opts.prune,
    )
    return _accepted(response, job_out(job.as_dict(), principal))


@router.get(
    "/loads/{run}/rejects",
    response_class=FileResponse,
    summary="The rejects of a load run as CSV (steward)",
    responses={
        200: {
            "description": "file, line, pointer, field, reason, value, record — one row per rejected record",
            "content": {
                "text/csv": {
                    "example": "file,line,pointer,field,reason,value,record\n"
                    'occupation_demand.csv,7,,weight,"not a number","high","{…}"\n'
                }
            },
        },
        **problem_responses(401, 403, 404, 429),
    },
)
def rejects(state: StateDep, run: RunParam) -> FileResponse:
    """The run's rejects.csv (UTF-8 with a BOM, for Excel): every rejected record with its file, line, field,
    reason and the record itself. Only for runs whose files are in this API's data folder."""
    try:
        path = run_folder(state.settings, run) / "rejects.csv"
    except ValueError:
        raise NotFound(f"no load run {run[:200]!r}", hint="run ids look like 20261129T143251Z-1e9eac") from None
    if not path.is_file():
        raise NotFound(
            f"no rejects file for run {run!r} here",
            hint="rejects are kept in the data folder of the machine that ran the load (IEIC_DATA_DIR)",
        )
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename=f"rejects-{run}.csv")
