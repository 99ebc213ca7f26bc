"""Models of the steward routes: registered sources, load jobs and the live status of a load run."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ieic_kg.api.models import LoadRunOut, _example
from pydantic import BaseModel, ConfigDict, Field, JsonValue

_RUN = "20261129T170512Z-4be1c0"


class RegisteredSourceOut(BaseModel):
    name: str = Field(description="What POST /v1/sources/{name}/load takes.")
    kind: str = Field(description="Loader kind: mapping, csv, xlsx, esco, case, rdf, …")
    path: str
    mapping: str | None
    table: str | None
    title: dict[str, str]


class RegisteredSources(BaseModel):
    model_config = _example(
        {
            "file": "/srv/ieic-kg/demo/sources.yaml",
            "items": [
                {
                    "name": "gb4754-2017-subset",
                    "kind": "mapping",
                    "path": "/srv/ieic-kg/demo/mappings/industries.yaml",
                    "mapping": None,
                    "table": None,
                    "title": {"zh": "国民经济行业分类（节选）", "en": "Industrial classification (subset)"},
                }
            ],
        }
    )

    file: str | None = Field(description="The sources file (IEIC_API_SOURCES_FILE); null: none is configured.")
    items: list[RegisteredSourceOut]


class LoadOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"dryRun": False, "strict": True}]})

    dryRun: bool = Field(False, description="Validate and report; write nothing.")
    strict: bool = Field(False, description="Write nothing if any record is rejected (status rejected).")
    prune: bool = Field(False, description="Delete what the dataset no longer states (admin keys only).")


class LoadProgress(BaseModel):
    what: str = Field(description="nodes or relationships.")
    done: int
    total: int


class LoadError(BaseModel):
    title: str
    detail: str = Field(description="What went wrong, naming the file, line and field when known.")
    hint: str | None


class LoadJobOut(BaseModel):
    model_config = _example(
        {
            "runId": _RUN,
            "dataset": "fs-robotics-association-survey",
            "origin": "upload",
            "principal": "key:3f2a9c01",
            "dryRun": False,
            "strict": False,
            "prune": False,
            "phase": "writing",
            "status": "running",
            "progress": {"what": "relationships", "done": 1000, "total": 1864},
            "rdfLag": None,
            "error": None,
            "report": None,
            "createdAt": "2026-11-29T17:05:12.120311+00:00",
            "finishedAt": None,
            "links": {"status": f"/v1/loads/{_RUN}", "rejects": f"/v1/loads/{_RUN}/rejects"},
        }
    )

    runId: str
    dataset: str
    origin: str = Field(description="upload, or source:<name> for a registered source.")
    principal: str | None = Field(description="The key that started it (steward and admin keys only).")
    dryRun: bool
    strict: bool
    prune: bool
    phase: Literal["queued", "validating", "writing", "finishing", "done"] = Field(
        description="queued → validating (every record, nothing written) → writing (batches) → finishing "
        "(retracting what the dataset no longer states, syncing the RDF store) → done."
    )
    status: str = Field(
        description="queued, running, then completed, completed-with-rejects, dry-run, rejected (strict: "
        "nothing written) or failed."
    )
    progress: LoadProgress | None = Field(description="Records written so far, while writing.")
    rdfLag: str | None = Field(description="Why the RDF store lags behind Neo4j after this load (run ieic-kg sync).")
    error: LoadError | None = Field(description="Why a failed load stopped.")
    report: dict[str, JsonValue] | None = Field(
        description="When done: counts per class and relationship type (read, created, updated, unchanged), "
        "rejected, stale, deprecated, pruned — the run's report.json."
    )
    createdAt: dt.datetime
    finishedAt: dt.datetime | None
    links: dict[str, str] = Field(description="status: where to follow it; rejects: its rejects CSV (stewards).")


class LoadRunStatus(LoadRunOut):
    model_config = _example(
        {
            **LoadRunOut.model_config["json_schema_extra"]["examples"][0],
            "job": None,
        }
    )

    job: LoadJobOut | None = Field(
        description="The live status of a load started through the API (POST /v1/loads or a registered "
        "source); null for a load run by the CLI."
    )
