"""Loads started through the API: registered sources, uploads, and the background run with its live status.

A steward starts a load by uploading a mapping file with its data files, or by naming a registered source
(IEIC_API_SOURCES_FILE). Everything that can be checked without reading the data is checked in the request —
the mapping parses, names only ontology classes, properties and relations, and reads only uploaded files —
so a bad mapping is a 400 naming the file, line and field and nothing starts. The load itself (the ingest
engine: validation of every record, then batched writes, then the RDF store sync) runs in a background
thread; ``GET /v1/loads/{run}`` follows it.

**One load at a time per store**: a load holds an exclusive ``flock`` on ``<IEIC_DATA_DIR>/loads/api.lock``
(``ieic_kg.loadlock``, shared with CLI loads) from the request that starts it to its end, across the threads
and worker processes of the API; a second request meanwhile gets ``409 Conflict`` naming the running load
(it is not queued).

**Status** is kept in memory and written to ``<IEIC_DATA_DIR>/loads/<run>/status.json`` at each change of
phase, so that any worker process can answer for a run; the run's ``report.json`` and ``rejects.csv`` (written
by the ingest engine) sit beside it.

**Uploads** are streamed into a private folder (mode 0700) made under IEIC_API_UPLOAD_DIR (default: the
system's temporary folder), with their names reduced to safe characters, and removed when the load ends,
whatever its outcome.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import yaml
from ieic_kg.loaders import LOADERS, Loader, get_loader
from ieic_kg.loaders.mapping import MappingLoader, MappingSpec, RefSpec, ValueSpec
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ieic_kg import loadlock
from ieic_kg.config import Settings
from ieic_kg.errors import IeicError, SourceError
from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest, LoadRejected, new_run_id
from ieic_kg.loadlock import RUN_ID
from ieic_kg.ontology import LANG_ANNOTATIONS, LANGUAGES, Ontology

log = logging.getLogger("ieic_kg.api")

Phase = Literal["queued", "validating", "writing", "finishing", "done"]

#: Seconds a stopping server waits for a running load to end before it closes the Neo4j driver.
LOAD_SHUTDOWN_WAIT = 60.0

#: Kinds a registered source may have: every loader but documents (which needs the graph's labels).
SOURCE_KINDS = tuple(sorted(k for k in LOADERS if k != "documents"))


# -- registered sources ------------------------------------------------------------------------------------


class SourceEntry(BaseModel):
    """One entry of the sources file: a named source, or a demo manifest whose mappings are all registered."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, description="The name stewards load it by.")
    kind: str = "mapping"
    path: str | None = None
    mapping: str | None = None
    table: str | None = None
    title: dict[str, str] = Field(default_factory=dict)
    manifest: str | None = None

    @field_validator("name")
    @classmethod
    def _simple(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}", v):
            raise ValueError("use letters, digits, '-', '_' or '.' (at most 100)")
        return v

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in SOURCE_KINDS:
            raise ValueError(f"unknown kind {v!r}; use one of: {', '.join(SOURCE_KINDS)}")
        return v

    @model_validator(mode="after")
    def _one_form(self) -> SourceEntry:
        if self.manifest is not None:
            if self.name or self.path or self.mapping or self.table:
                raise ValueError("a 'manifest' entry has no other fields")
        elif not self.name or not self.path:
            raise ValueError("give 'name' and 'path' (or 'manifest')")
        return self


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[SourceEntry]


@dataclass(frozen=True)
class RegisteredSource:
    name: str
    kind: str
    path: Path
    mapping: Path | None
    table: str | None
    title: dict[str, str]

    def loader(self) -> Loader:
        return get_loader(self.kind, self.path, mapping=self.mapping, table=self.table)


def read_sources(path: Path | None) -> dict[str, RegisteredSource]:
    """The registered sources of a sources file (paths relative to it); none when ``path`` is None."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(f"cannot read the sources file: {exc.strerror}", file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError("not valid YAML", file=str(path), line=mark.line + 1 if mark else None) from None
    try:
        spec = SourcesFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SourceError(
            first["msg"], file=str(path), field=".".join(map(str, first["loc"])), hint="see docs/api.md"
        ) from None
    base = path.resolve().parent
    out: dict[str, RegisteredSource] = {}
    for n, entry in enumerate(spec.sources):
        found: list[RegisteredSource] = []
        if entry.manifest is not None:
            from ieic_kg.demo import read_manifest

            manifest = (base / entry.manifest).resolve()
            for m in read_manifest(manifest.parent if manifest.is_file() else manifest).mappings:
                spec_m = MappingLoader(m).spec
                found.append(RegisteredSource(spec_m.dataset, "mapping", m, None, None, spec_m.title))
        else:
            assert entry.name is not None and entry.path is not None
            found.append(
                RegisteredSource(
                    entry.name,
                    entry.kind,
                    (base / entry.path).resolve(),
                    (base / entry.mapping).resolve() if entry.mapping else None,
                    entry.table,
                    entry.title,
                )
            )
        for src in found:
            if src.name in out:
                raise SourceError(
                    f"the source name {src.name!r} is registered twice", file=str(path), field=f"sources.{n}"
                )
            out[src.name] = src
    return out


# -- checking a mapping before anything runs -----------------------------------------------------------------


def check_mapping_terms(spec: MappingSpec, ontology: Ontology, file: str) -> None:
    """Every class, property and relation a mapping names (as constants) is one of the ontology's; a
    SourceError naming the file and field otherwise. Names taken from cells are checked per row by ingest."""

    def fail(where: str, what: str, name: str, known: Any) -> None:
        import difflib

        close = difflib.get_close_matches(name, sorted(known), n=1)
        raise SourceError(
            f"unknown {what} {name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""),
            file=file,
            field=where,
            hint="the names are those of the ontology: GET /v1/types and /v1/relations",
        )

    def check_class(where: str, cls: str | ValueSpec | None) -> None:
        if isinstance(cls, str) and cls not in ontology.classes:
            fail(where, "class", cls, ontology.classes)

    def check_properties(where: str, props: dict[str, ValueSpec]) -> None:
        known = set(ontology.datatype_properties) | {f"{a}_{lang}" for a in LANG_ANNOTATIONS for lang in LANGUAGES}
        for name in props:
            if "{" in name:
                continue  # "label_{lang}": the suffix comes from a cell
            base, _, lang = name.rpartition("_")
            tagged = lang in LANGUAGES and (
                base in LANG_ANNOTATIONS
                or (base in ontology.datatype_properties and ontology.datatype_properties[base].language_tagged)
            )
            if name not in known and not tagged:
                fail(f"{where}.{name}", "property", name, known)

    def check_ref(where: str, ref: RefSpec | None) -> None:
        if ref is not None and ref.cls is not None:
            check_class(f"{where}.class", ref.cls)

    for source in spec.sources:
        where = f"sources.{source.name}"
        check_class(f"{where}.class", source.cls)
        check_properties(f"{where}.properties", source.properties)
        for n, edge in enumerate(source.edges):
            at = f"{where}.edges.{n}"
            if edge.predicate not in ontology.object_properties:
                fail(f"{at}.predicate", "relation", edge.predicate, ontology.object_properties)
            check_ref(f"{at}.from", edge.source)
            check_ref(f"{at}.to", edge.target)
            check_properties(f"{at}.properties", edge.properties)


# -- uploads --------------------------------------------------------------------------------------------------


def safe_name(name: str | None, fallback: str) -> str:
    """A file name reduced to its last part and to safe characters (letters, digits, CJK, ``._-``)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w.\-]", "_", base).lstrip(".")[:120]
    return base or fallback


class Upload:
    """A private folder holding the files of one upload; ``close()`` removes it."""

    def __init__(self, parent: Path | None) -> None:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="ieic-upload-", dir=parent))  # mode 0700
        self.names: dict[str, Path] = {}  # safe name → path

    def add(self, name: str | None, stream: IO[bytes], fallback: str) -> Path:
        safe = safe_name(name, fallback)
        if safe in self.names:
            raise SourceError(f"two uploaded files are named {safe!r}", hint="give each file a different name")
        path = self.folder / safe
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        self.names[safe] = path
        return path

    def shown(self, text: str) -> str:
        """``text`` with the private folder's path taken out (errors name the uploaded file as sent)."""
        return text.replace(str(self.folder) + os.sep, "").replace(str(self.folder.resolve()) + os.sep, "")

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def upload_loader(upload: Upload, mapping: Path, data: list[Path], table: str | None, ontology: Ontology) -> Loader:
    """A mapping loader over uploaded files only, checked against the ontology; SourceError naming the
    file, line and field otherwise. With one data file, it replaces the file of the mapping's one source
    (as ``ieic-kg load csv DATA --mapping M``); else each source's ``file`` must name an uploaded file."""
    try:
        loader = MappingLoader(mapping, only=table)
        check_mapping_terms(loader.spec, ontology, mapping.name)
        for source in loader.sources:
            if source.query is not None and not re.match(r"\s*(select|with)\b", source.query, re.IGNORECASE):
                raise SourceError(
                    "a query of an uploaded mapping is a SELECT",
                    file=mapping.name,
                    field=f"sources.{source.name}.query",
                    hint="read with SELECT … or name the table with 'table:'",
                )
            if source.url is not None:
                raise SourceError(
                    "a mapping uploaded to the API reads uploaded files only, not URLs",
                    file=mapping.name,
                    field=f"sources.{source.name}.url",
                    hint="export the table to a file (CSV, XLSX, JSON, SQLite) and upload it with the mapping",
                )
        if len(data) == 1 and len(loader.sources) == 1:
            loader = MappingLoader(mapping, source_file=data[0], only=table)
        else:
            replaced = []
            for source in loader.sources:
                wanted = safe_name(source.file, "")
                if wanted not in upload.names or upload.names[wanted] == mapping:
                    raise SourceError(
                        f"the source reads {source.file!r}, which was not uploaded",
                        file=mapping.name,
                        field=f"sources.{source.name}.file",
                        hint=f"upload it as a 'data' part named {wanted!r}"
                        + (f" (uploaded: {', '.join(p.name for p in data)})" if data else ""),
                    )
                replaced.append(source.model_copy(update={"file": str(upload.names[wanted])}))
            loader.sources = replaced
    except SourceError as exc:
        raise SourceError(upload.shown(exc.message), hint=exc.hint) from None
    return loader


# -- the jobs --------------------------------------------------------------------------------------------------


@dataclass
class LoadJob:
    run_id: str
    dataset: str
    origin: str  # "upload" or "source:<name>"
    principal: str
    dry_run: bool
    strict: bool
    prune: bool
    phase: Phase = "queued"
    status: str = "queued"
    progress: dict[str, Any] | None = None
    rdf_lag: str | None = None
    error: dict[str, Any] | None = None
    report: dict[str, Any] | None = None
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    finished_at: dt.datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "runId": self.run_id,
            "dataset": self.dataset,
            "origin": self.origin,
            "principal": self.principal,
            "dryRun": self.dry_run,
            "strict": self.strict,
            "prune": self.prune,
            "phase": self.phase,
            "status": self.status,
            "progress": self.progress,
            "rdfLag": self.rdf_lag,
            "error": self.error,
            "report": self.report,
            "createdAt": self.created_at.isoformat(),
            "finishedAt": self.finished_at.isoformat() if self.finished_at else None,
        }


def run_folder(settings: Settings, run_id: str) -> Path:
    if not RUN_ID.match(run_id):
        raise ValueError("not a run id")
    return settings.data_dir / "loads" / run_id


#: The most run folders read for the list of dry runs (the newest; run ids begin with their start time).
MAX_DRY_RUN_FOLDERS = 10_000


def dry_run_props(settings: Settings, run_id: str) -> dict[str, Any] | None:
    """A dry run's report (``<IEIC_DATA_DIR>/loads/<run>/report.json``, written by the CLI and the API alike) as
    the properties a LoadRun node would have; None when the run is not a dry run of this data folder."""
    try:
        report = json.loads((run_folder(settings, run_id) / "report.json").read_text(encoding="utf-8"))
        started = dt.datetime.fromisoformat(report["startedAt"])
    except (ValueError, OSError, KeyError, TypeError):
        return None
    if not isinstance(report, dict) or report.get("dryRun") is not True:
        return None
    counts = [c for group in ("nodes", "edges") for c in (report.get(group) or {}).values() if isinstance(c, dict)]
    seconds = report.get("seconds")
    return {
        "iri": report.get("runIri") or f"{settings.id_base}load-run/{run_id}",
        "runId": run_id,
        "source": report.get("dataset"),
        "loader": report.get("loader"),
        "status": report.get("status"),
        "startedAt": started,
        "endedAt": started + dt.timedelta(seconds=seconds) if isinstance(seconds, int | float) else None,
        "recordsRead": sum(int(c.get("read", 0)) for c in counts),
        "rejected": report.get("rejected"),
    }


def dry_runs(settings: Settings, dataset: str | None = None) -> list[dict[str, Any]]:
    """Every dry run of this data folder (of ``dataset``), newest first, as ``dry_run_props`` gives them."""
    folder = settings.data_dir / "loads"
    try:
        names = sorted((p.name for p in folder.iterdir() if RUN_ID.match(p.name)), reverse=True)
    except OSError:
        return []
    runs = [dry_run_props(settings, name) for name in names[:MAX_DRY_RUN_FOLDERS]]
    return [r for r in runs if r is not None and (dataset is None or r["source"] == dataset)]


class LoadJobs:
    """The API's loads: at most one running per store (data folder), each in a thread of its own."""

    def __init__(self, settings: Settings, ontology: Ontology, *, on_end: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self.ontology = ontology
        self.on_end = on_end  # told when a load ends, before it is reported done (the answer cache expires)
        self._jobs: dict[str, LoadJob] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    # -- the store lock ---------------------------------------------------------------------------------

    def _acquire(self, run_id: str) -> int:
        """The store's load lock (shared with CLI loads), or LoadConflict naming the load that holds it."""
        return loadlock.acquire(self.settings.data_dir, run_id)

    @staticmethod
    def _release(fd: int) -> None:
        loadlock.release(fd)

    # -- status -------------------------------------------------------------------------------------------

    def get(self, run_id: str) -> dict[str, Any] | None:
        """The live status of a run started by this API (this process or another one), or None."""
        with self._lock:
            job = self._jobs.get(run_id)
            if job is not None:
                return job.as_dict()
        try:
            path = run_folder(self.settings, run_id) / "status.json"
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return data
        except (ValueError, OSError):
            return None

    def _save(self, job: LoadJob) -> None:
        with self._lock:
            data = job.as_dict()
        folder = run_folder(self.settings, job.run_id)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "status.json.part"
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        tmp.replace(folder / "status.json")

    def _update(self, job: LoadJob, **changes: Any) -> None:
        with self._lock:
            for k, v in changes.items():
                setattr(job, k, v)
        self._save(job)

    # -- starting --------------------------------------------------------------------------------------------

    def start(
        self,
        store: GraphStore,
        make_loader: Callable[[], Loader],
        *,
        origin: str,
        principal: str,
        dry_run: bool,
        strict: bool,
        prune: bool,
        cleanup: Callable[[], None] | None = None,
    ) -> LoadJob:
        """Check and start a load in the background; raises LoadConflict or the loader's SourceError first.

        ``make_loader`` builds (and so checks) the loader while the store lock is held; ``cleanup`` runs when
        the load ends, or at once when it does not start.
        """
        run_id = new_run_id()
        try:
            fd = self._acquire(run_id)
        except BaseException:
            if cleanup:
                cleanup()
            raise
        try:
            loader = make_loader()
            job = LoadJob(run_id, loader.dataset, origin, principal, dry_run, strict, prune)
            with self._lock:
                self._jobs[run_id] = job
            self._save(job)
        except BaseException:
            self._release(fd)
            if cleanup:
                cleanup()
            raise
        thread = threading.Thread(
            target=self._run, args=(job, store, loader, fd, cleanup), name=f"load-{run_id}", daemon=True
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return job

    def _run(
        self, job: LoadJob, store: GraphStore, loader: Loader, fd: int, cleanup: Callable[[], None] | None
    ) -> None:
        rdf_store = None
        outcome = self._failure("Load failed", "the load was interrupted", "start it again: loads are idempotent")
        try:
            self._update(job, phase="validating", status="running")
            if not job.dry_run:
                from ieic_kg.rdfstore import RdfStore

                try:
                    rdf_store = RdfStore.open(self.settings)
                except IeicError as exc:
                    self._update(
                        job, rdf_lag=f"the RDF store was not updated by this load: {exc.message} — run `ieic-kg sync`"
                    )

            def progress(what: str, done: int, total: int) -> None:
                with self._lock:
                    job.phase = "writing" if done < total else "finishing"
                    job.progress = {"what": what, "done": done, "total": total}
                if done == total or done % 10_000 < 1000:
                    self._save(job)

            ingest = Ingest(self.settings, self.ontology, store, rdf_store)
            try:
                report = ingest.run(
                    loader,
                    dry_run=job.dry_run,
                    strict=job.strict,
                    prune=job.prune,
                    progress=progress,
                    run_id=job.run_id,
                )
            except LoadRejected as exc:
                report = exc.report
            summary = report.as_dict()
            summary.pop("rejectsFile", None)
            outcome = {"status": report.status, "rdf_lag": report.rdf_lag or job.rdf_lag, "report": summary}
        except IeicError as exc:
            outcome = self._failure(exc.title, exc.message, exc.hint)
        except Exception as exc:  # a bug or a lost store: logged, reported without internals
            log.error("load %s failed", job.run_id, exc_info=exc)
            outcome = self._failure("Load failed", f"the load stopped: {type(exc).__name__}", "see the server's log")
        finally:
            try:
                if rdf_store is not None:
                    rdf_store.close()
            finally:
                if self.on_end is not None:
                    self.on_end()
                self._release(fd)
                if cleanup:
                    cleanup()
                # done only once the store is free: a client that saw it done may start the next load
                self._update(job, phase="done", finished_at=dt.datetime.now(dt.UTC), **outcome)

    @staticmethod
    def _failure(title: str, detail: str, hint: str | None) -> dict[str, Any]:
        shown = re.sub(r"/\S*/ieic-upload-[^/\s]+/", "", detail)
        return {"status": "failed", "error": {"title": title, "detail": shown, "hint": hint}}

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the running load (the app's shutdown)."""
        for t in list(self._threads):
            t.join(timeout)
