"""The one write path: validate records against the ontology, mint IRIs, attach provenance, write in batches.

A load runs in two phases. First every record from the loader is checked — class and properties known to
the ontology, values of the right type, keys present and not contradicting each other, relationship ends
of the classes the ontology allows, and references that resolve (within the load or in the graph). Only
then is anything written, so ``--strict`` and ``--dry-run`` never leave a partial graph. Writes are
batched ``UNWIND … MERGE`` transactions keyed on the IRI, so loading the same source twice changes no
node, relationship or value (only ``lastSeen``/``loadRun`` move on). Rejects keep file, line, field and
reason, and go to ``rejects.csv`` beside the run's ``report.json``. When given the RDF store, a load
ends by bringing the named graphs it touched in step with Neo4j (ieic_kg.sync).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import getpass
import hashlib
import json
import os
import re
import secrets
import socket
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import OWL

from ieic_kg.config import Settings
from ieic_kg.errors import IeicError
from ieic_kg.graph import GraphStore
from ieic_kg.loaders import Loader
from ieic_kg.ontology import IEIC, LANG_ANNOTATIONS, LANGUAGES, MULTI_VALUED_ANNOTATIONS, Ontology, class_slug
from ieic_kg.rdfstore import RdfStore
from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Ref, Reject
from ieic_kg.schema import ENTITY, ensure_schema
from ieic_kg.validation import CompiledShapes, compiled_shapes

#: Relationship qualifiers that point at the text behind a statement; an extracted statement adds them to
#: a declared one without touching its other qualifiers.
EVIDENCE_KEYS = frozenset({"evidence", "evidenceDocument", "spanStart", "spanEnd", "matchedText"})

#: Properties the ingest engine sets itself; a source may not set them.
PROVENANCE_KEYS = frozenset({"iri", "source", "loadRun", "firstSeen", "lastSeen"})


class LoadRejected(IeicError):
    """A ``--strict`` load found rejects; nothing was written."""

    status = 422
    title = "Load rejected"

    def __init__(self, report: LoadReport) -> None:
        super().__init__(
            f"{len(report.rejects)} record(s) rejected under --strict; nothing was written",
            hint=f"see {report.rejects_path}" if report.rejects_path else None,
        )
        self.report = report


def new_run_id() -> str:
    """A new load run id: the UTC start time and 6 random hex digits (20261129T143251Z-1e9eac)."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass
class Counts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class LoadReport:
    """What a load did, per class and relationship type, with its rejects."""

    run_id: str
    run_iri: str
    dataset: str
    loader: str
    status: str = "running"
    dry_run: bool = False
    stale: int = 0
    deprecated: int = 0
    pruned: int = 0
    interrupted: list[str] = field(default_factory=list)
    rdf_lag: str | None = None  # why the RDF store lags after this load, when it does
    nodes: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    edges: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    rejects: list[Reject] = field(default_factory=list)
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    seconds: float = 0.0
    rejects_path: Path | None = None
    report_path: Path | None = None

    def totals(self) -> Counts:
        t = Counts()
        for c in (*self.nodes.values(), *self.edges.values()):
            t.read += c.read
            t.created += c.created
            t.updated += c.updated
            t.unchanged += c.unchanged
        t.rejected = len(self.rejects)
        return t

    def as_dict(self) -> dict[str, Any]:
        return {
            "runId": self.run_id,
            "runIri": self.run_iri,
            "dataset": self.dataset,
            "loader": self.loader,
            "status": self.status,
            "dryRun": self.dry_run,
            "startedAt": self.started_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "nodes": {k: vars(v) for k, v in sorted(self.nodes.items())},
            "edges": {k: vars(v) for k, v in sorted(self.edges.items())},
            "rejected": len(self.rejects),
            "stale": self.stale,
            "deprecated": self.deprecated,
            "pruned": self.pruned,
            "interrupted": self.interrupted,
            "rdfLag": self.rdf_lag,
            "rejectsFile": str(self.rejects_path) if self.rejects_path else None,
        }


@dataclass
class _Node:
    iri: str
    cls: str
    props: dict[str, Any]
    origin: Origin


@dataclass
class _Edge:
    predicate: str
    source: str
    target: str
    props: dict[str, Any]
    origin: Origin


class _Problem(Exception):
    def __init__(self, reason: str, field: str = "", value: Any = "") -> None:
        super().__init__(reason)
        self.reason, self.field, self.value = reason, field, value


def normalise_label(text: str) -> str:
    """Form in which labels are compared: NFKC (full-width → ASCII), case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


class Ingest:
    """Validates and writes the records of one loader run."""

    def __init__(
        self, settings: Settings, ontology: Ontology, store: GraphStore | None, rdf_store: RdfStore | None = None
    ) -> None:
        self.settings = settings
        self.ontology = ontology
        self.store = store
        self.rdf_store = rdf_store  # kept in step with Neo4j after each load, when given
        self._qualifiers: dict[str, frozenset[str]] | None = None

    @property
    def shapes(self) -> CompiledShapes:
        """The SHACL shapes compiled into per-record checks (ieic_kg.validation)."""
        return compiled_shapes(self.ontology)

    def qualifiers(self, predicate: str) -> frozenset[str]:
        """The properties a relationship of ``predicate`` may carry: the qualifiers the ontology declares for it
        (``ieic:qualifierOf``), those it declares for every relationship (``owl:topObjectProperty``)."""
        if self._qualifiers is None:
            self._qualifiers = relation_qualifiers(self.ontology)
        return self._qualifiers.get(predicate, self._qualifiers[""])

    # -- identity -------------------------------------------------------------------------------------

    def mint_iri(self, cls: str, key: str) -> str:
        """Stable IRI of the entity with source ``key`` in the key space of ``cls``'s root class.

        Subclasses share their root's key space (an Enterprise and an Actor with the same key are one
        node), so a source may refer to ``Actor GDIMP`` without knowing it is a college.
        """
        root = self.ontology.cls(cls).root
        return f"{self.settings.id_base}{class_slug(root)}/{quote(key, safe='-._~:')}"

    # -- the run --------------------------------------------------------------------------------------

    def run(
        self,
        loader: Loader,
        *,
        dry_run: bool = False,
        strict: bool = False,
        batch_size: int | None = None,
        prune: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
        run_id: str | None = None,
    ) -> LoadReport:
        """Load everything ``loader`` yields; returns the report (raises ``LoadRejected`` under strict).

        ``run_id`` (from :func:`new_run_id`) names the run when the caller must know it before the run
        starts (the API answers with it at once); by default a new one is made.

        After a complete load (the whole dataset, not one ``--table`` of it), what the dataset stated
        before but no longer states loses the dataset from its ``source``; what is left with no source is
        marked ``deprecated`` — and deleted only when ``prune`` is set.
        """
        started = time.perf_counter()
        run_id = run_id or new_run_id()
        report = LoadReport(
            run_id=run_id,
            run_iri=f"{self.settings.id_base}load-run/{run_id}",
            dataset=loader.dataset,
            loader=f"{loader.name}/{loader.version}",
            dry_run=dry_run,
        )
        nodes, edges, rejected_nodes = self._collect(loader, report)
        if self.store is not None:
            self._check_references(nodes, edges, rejected_nodes, report)
        for n in nodes.values():
            report.nodes[n.cls].read += 1
        for e in edges:
            report.edges[self.ontology.object_property(e.predicate).rel_type].read += 1
        if strict and report.rejects:
            report.status = "rejected"
            self._write_files(report)
            raise LoadRejected(report)
        if dry_run or self.store is None:
            report.status = "dry-run"
        else:
            self._write(loader, report, list(nodes.values()), edges, batch_size or self.settings.batch_size, progress)
            if getattr(loader, "complete", True):
                self._retire_stale(report, set(rejected_nodes), prune)
            if self.rdf_store is not None:
                from ieic_kg.sync import sync_after_load

                try:
                    sync_after_load(self.store, self.rdf_store, self.ontology, self.settings, report.dataset)
                except IeicError as exc:  # Neo4j is the record and holds the load: say what lags, do not fail
                    report.rdf_lag = f"the RDF store was not brought in step: {exc.message}"
        report.seconds = time.perf_counter() - started
        self._write_files(report)
        return report

    # -- phase 1: validate ----------------------------------------------------------------------------

    def _collect(self, loader: Loader, report: LoadReport) -> tuple[dict[str, _Node], list[_Edge], dict[str, Origin]]:
        nodes: dict[str, _Node] = {}
        pending: list[EdgeRecord] = []
        rejected_nodes: dict[str, Origin] = {}  # IRI of a rejected node → where it was rejected
        for record in loader.records():
            if isinstance(record, Reject):
                report.rejects.append(record)
                if record.iri and record.iri not in nodes:
                    rejected_nodes.setdefault(record.iri, record.origin)
            elif isinstance(record, NodeRecord):
                try:
                    node = self._node(record)
                    self._merge(nodes, node)
                except _Problem as p:
                    report.rejects.append(
                        Reject(record.origin, p.reason, p.field, str(p.value), dict(record.properties))
                    )
                    if record.iri or (record.key and record.cls in self.ontology.classes):
                        iri = record.iri or self.mint_iri(record.cls, record.key or "")
                        if iri not in nodes:
                            rejected_nodes[iri] = record.origin
            else:
                pending.append(record)
        self._check_shapes(nodes, rejected_nodes, report)
        labels = _LabelIndex(self, nodes, loader.dataset)
        edges: dict[tuple[str, str, str], _Edge] = {}
        for record in pending:
            try:
                edge = self._edge(record, nodes, labels)
            except _Problem as p:
                report.rejects.append(Reject(record.origin, p.reason, p.field, str(p.value), dict(record.properties)))
                continue
            ident = (edge.predicate, edge.source, edge.target)
            if ident in edges:  # the same statement twice: one relationship, the first statement's qualifiers
                for key, value in edge.props.items():
                    edges[ident].props.setdefault(key, value)
            else:
                edges[ident] = edge
        return nodes, list(edges.values()), rejected_nodes

    def _check_shapes(self, nodes: dict[str, _Node], rejected_nodes: dict[str, Origin], report: LoadReport) -> None:
        """Reject the nodes whose values the SHACL shapes of their class reject, as the stored node would be.

        A node already in the graph is checked with the values it has there, overwritten by the load's: a
        record that only adds a property to a labelled node needs no label of its own.
        """
        shapes = self.shapes
        bad = {iri: found for iri, n in nodes.items() if (found := shapes.check_node(n.cls, n.props))}
        if bad and self.store is not None:
            for chunk in _chunks(sorted(bad), 5000):
                rows = self.store.read(
                    f"UNWIND $iris AS iri MATCH (n:{ENTITY} {{iri: iri}}) RETURN n.iri AS iri, properties(n) AS props",
                    {"iris": chunk},
                )
                for row in rows:
                    stored = {k: _native(v) for k, v in row["props"].items() if k not in PROVENANCE_KEYS}
                    n = nodes[row["iri"]]
                    found = shapes.check_node(n.cls, {**stored, **n.props})
                    if found:
                        bad[row["iri"]] = found
                    else:
                        del bad[row["iri"]]
        for iri, found in bad.items():
            n = nodes.pop(iri)
            rejected_nodes[iri] = n.origin
            reason = "; ".join(v.reason for v in found)
            report.rejects.append(Reject(n.origin, reason, found[0].field, found[0].value, dict(n.props), iri=iri))

    def _node(self, record: NodeRecord) -> _Node:
        if record.cls not in self.ontology.classes:
            raise _Problem(_unknown("class", record.cls, self.ontology.classes), "class", record.cls)
        if record.iri:
            iri = record.iri
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", iri):
                raise _Problem("not an absolute IRI", "iri", iri)
        elif record.key:
            iri = self.mint_iri(record.cls, record.key)
        else:
            raise _Problem("the record has no key", "key")
        props = {name: self._value(name, value) for name, value in record.properties.items()}
        for name in props:
            self._check_property_domain(record.cls, name)
        _disjoint_labels(props)
        return _Node(iri, record.cls, props, record.origin)

    def _check_property_domain(self, cls: str, name: str) -> None:
        base = name.rpartition("_")[0] if "_" in name else name
        prop = self.ontology.datatype_properties.get(base)
        if prop is not None and prop.domain and not any(self.ontology.is_a(cls, d) for d in prop.domain):
            raise _Problem(f"a {cls} cannot have {base} (it is for {', '.join(sorted(prop.domain))})", name)

    def _merge(self, nodes: dict[str, _Node], node: _Node) -> None:
        seen = nodes.get(node.iri)
        if seen is None:
            nodes[node.iri] = node
            return
        for name, value in node.props.items():
            if name in seen.props and seen.props[name] != value:
                raise _Problem(
                    f"duplicate key: {name} is {value!r} here but {seen.props[name]!r} at {seen.origin}",
                    name,
                    value,
                )
        if self.ontology.is_a(node.cls, seen.cls):
            seen.cls = node.cls  # the more specific class wins
        elif not self.ontology.is_a(seen.cls, node.cls):
            raise _Problem(f"the same key is a {seen.cls} at {seen.origin}", "class", node.cls)
        seen.props.update(node.props)

    def _value(self, name: str, value: Any) -> Any:
        if name in PROVENANCE_KEYS:
            raise _Problem(f"{name!r} is set by the ingest engine, not by sources", name, value)
        base, _, lang = name.rpartition("_") if "_" in name else (name, "", "")
        if base in LANG_ANNOTATIONS or (
            base in self.ontology.datatype_properties and self.ontology.datatype_properties[base].language_tagged
        ):
            if lang not in LANGUAGES:
                raise _Problem(f"{base} needs a language suffix: {base}_zh or {base}_en", name, value)
            if base in MULTI_VALUED_ANNOTATIONS or isinstance(value, list):
                values = value if isinstance(value, list) else [value]
                return [str(v) for v in values]
            return str(value)
        prop = self.ontology.datatype_properties.get(name)
        if prop is None:
            known = [*self.ontology.datatype_properties, *(f"{a}_{lg}" for a in LANG_ANNOTATIONS for lg in LANGUAGES)]
            raise _Problem(_unknown("property", name, known), name, value)
        if prop.language_tagged:
            raise _Problem(f"{name} is language-tagged: use {name}_zh or {name}_en", name, value)
        if isinstance(value, list):
            return [coerce(prop.datatype, v, name) for v in value]
        return coerce(prop.datatype, value, name)

    def _edge(self, record: EdgeRecord, nodes: dict[str, _Node], labels: _LabelIndex) -> _Edge:
        if record.predicate not in self.ontology.object_properties:
            raise _Problem(
                _unknown("relation", record.predicate, self.ontology.object_properties), "predicate", record.predicate
            )
        prop = self.ontology.object_properties[record.predicate]
        source = self._resolve(record.source, labels, "from")
        target = self._resolve(record.target, labels, "to")
        for end, ref, allowed in (("from", record.source, prop.domain), ("to", record.target, prop.range)):
            cls = (
                nodes[source if end == "from" else target].cls
                if (source if end == "from" else target) in nodes
                else ref.cls
            )
            if cls and allowed and not any(self.ontology.is_a(cls, a) for a in allowed):
                raise _Problem(
                    f"a {cls} cannot be the {'subject' if end == 'from' else 'object'} of {prop.name} "
                    f"(allowed: {', '.join(sorted(allowed))})",
                    end,
                    ref.describe(),
                )
        allowed = self.qualifiers(prop.name)
        for name, value in record.properties.items():
            if name not in allowed and _base_name(name) not in allowed:
                own = sorted(allowed - PROVENANCE_KEYS - {"deprecated"})
                raise _Problem(
                    f"{name!r} is not a qualifier of {prop.name} (its qualifiers: {', '.join(own)}; "
                    "the ontology names a relation's qualifiers with ieic:qualifierOf)",
                    name,
                    value,
                )
        props = {name: self._value(name, value) for name, value in record.properties.items()}
        found = self.shapes.check_qualifiers(props)
        if found:
            raise _Problem("; ".join(v.reason for v in found), found[0].field, found[0].value)
        return _Edge(record.predicate, source, target, props, record.origin)

    def _resolve(self, ref: Ref, labels: _LabelIndex, end: str) -> str:
        if ref.iri:
            return ref.iri
        if ref.cls is None or ref.cls not in self.ontology.classes:
            raise _Problem(_unknown("class", str(ref.cls), self.ontology.classes), end, ref.cls)
        if ref.label is not None:
            return labels.resolve(ref.cls, ref.label, end, within=ref.within)
        assert ref.key is not None
        return self.mint_iri(ref.cls, ref.key)

    def _check_references(
        self, nodes: dict[str, _Node], edges: list[_Edge], rejected_nodes: dict[str, Origin], report: LoadReport
    ) -> None:
        """Reject relationships whose ends are neither in this load nor in the graph."""
        outside = sorted({i for e in edges for i in (e.source, e.target)} - nodes.keys())
        found: dict[str, list[str]] = {}
        assert self.store is not None
        for chunk in _chunks(outside, 5000):
            rows = self.store.read(
                f"UNWIND $iris AS iri MATCH (n:{ENTITY} {{iri: iri}}) RETURN n.iri AS iri, labels(n) AS labels",
                {"iris": chunk},
            )
            found.update({r["iri"]: r["labels"] for r in rows})
        kept = []
        for e in edges:
            missing = [
                (end, i) for end, i in (("from", e.source), ("to", e.target)) if i not in nodes and i not in found
            ]
            if missing:
                end, iri = missing[0]
                if iri in rejected_nodes:
                    reason = f"not loaded: its node <{iri}> was rejected at {rejected_nodes[iri]}"
                else:
                    reason = f"broken reference: no node <{iri}> in this load or in the graph"
                report.rejects.append(Reject(e.origin, reason, end, iri, e.props))
                continue
            wrong = self._wrong_class_in_graph(e, found)
            if wrong:
                report.rejects.append(
                    Reject(e.origin, wrong[1], wrong[0], e.source if wrong[0] == "from" else e.target, e.props)
                )
            else:
                kept.append(e)
        edges[:] = kept

    def _wrong_class_in_graph(self, edge: _Edge, found: dict[str, list[str]]) -> tuple[str, str] | None:
        """An end that is already in the graph must be of a class the relation allows, like one in the load."""
        prop = self.ontology.object_properties[edge.predicate]
        for end, iri, allowed in (("from", edge.source, prop.domain), ("to", edge.target, prop.range)):
            if iri not in found or not allowed:
                continue
            classes = [label for label in found[iri] if label in self.ontology.classes]
            if classes and not any(self.ontology.is_a(c, a) for c in classes for a in allowed):
                role = "subject" if end == "from" else "object"
                return end, (
                    f"<{iri}> in the graph is a {'/'.join(classes)}, which cannot be the {role} of {prop.name} "
                    f"(allowed: {', '.join(sorted(allowed))})"
                )
        return None

    # -- phase 2: write -------------------------------------------------------------------------------

    def _write(
        self,
        loader: Loader,
        report: LoadReport,
        nodes: list[_Node],
        edges: list[_Edge],
        batch_size: int,
        progress: Callable[[str, int, int], None] | None,
    ) -> None:
        assert self.store is not None
        ensure_schema(self.store, self.ontology)
        report.interrupted = self._mark_interrupted_runs()
        now = dt.datetime.now(dt.UTC)
        paths = loader.source_paths()
        self.store.execute(
            "CREATE (r:LoadRun {iri: $iri}) SET r += $props",
            {
                "iri": report.run_iri,
                "props": {
                    "runId": report.run_id,
                    "source": report.dataset,
                    "loader": report.loader,
                    "sourcePath": [str(p) for p in paths],
                    "checksum": [_sha256(p) for p in paths if p.is_file()],
                    "agent": _agent(),
                    "host": socket.gethostname(),
                    "processId": os.getpid(),
                    "startedAt": now,
                    "status": "running",
                },
            },
        )
        total = len(nodes) + len(edges)
        # one unit of work per class or relationship type: its counts, its statement and its rows
        work: list[tuple[str, Counts, str, list[dict[str, Any]]]] = []
        by_class: dict[str, list[_Node]] = defaultdict(list)
        for n in nodes:
            by_class[n.cls].append(n)
        for cls, group in by_class.items():
            labels = ":".join(f"`{label}`" for label in (ENTITY, *self.ontology.cls(cls).neo4j_labels))
            work.append(
                (
                    "nodes",
                    report.nodes[cls],
                    _NODE_WRITE.replace("$LABELS", labels),
                    [{"iri": n.iri, "props": n.props} for n in group],
                )
            )
        by_type: dict[str, list[_Edge]] = defaultdict(list)
        for e in edges:
            by_type[self.ontology.object_property(e.predicate).rel_type].append(e)
        for rel_type, edge_group in by_type.items():
            work.append(
                (
                    "relationships",
                    report.edges[rel_type],
                    _EDGE_WRITE.replace("$TYPE", f"`{rel_type}`"),
                    [
                        {
                            "from": e.source,
                            "to": e.target,
                            "props": e.props,
                            "evidence": {k: v for k, v in e.props.items() if k in EVIDENCE_KEYS},
                        }
                        for e in edge_group
                    ],
                )
            )
        params = {"dataset": report.dataset, "run": report.run_iri, "now": now}
        done = 0
        try:
            with self.store.writer() as write:
                for what, counts, cypher, rows in work:
                    for batch in _chunks(rows, batch_size):
                        outcome = write(_batch_writer(cypher, batch, params))
                        _count(counts, outcome, len(batch))
                        done += len(batch)
                        if progress:
                            progress(what, done, total)
            report.status = "completed" if not report.rejects else "completed-with-rejects"
        except BaseException:
            report.status = "failed"
            raise
        finally:
            t = report.totals()
            self.store.execute(
                "MATCH (r:LoadRun {iri: $iri}) SET r += $props",
                {
                    "iri": report.run_iri,
                    "props": {
                        "status": report.status,
                        "endedAt": dt.datetime.now(dt.UTC),
                        "recordsRead": t.read,
                        "created": t.created,
                        "updated": t.updated,
                        "unchanged": t.unchanged,
                        "rejected": t.rejected,
                    },
                },
            )

    def _mark_interrupted_runs(self) -> list[str]:
        """Runs of this host still marked running whose process is gone were killed: say so."""
        assert self.store is not None
        rows = self.store.read(
            "MATCH (r:LoadRun {status: 'running', host: $host}) RETURN r.iri AS iri, r.processId AS pid",
            {"host": socket.gethostname()},
        )
        dead = [r["iri"] for r in rows if r["pid"] is None or not _process_alive(int(r["pid"]))]
        if dead:
            self.store.execute(
                "UNWIND $iris AS iri MATCH (r:LoadRun {iri: iri}) SET r.status = 'interrupted'", {"iris": dead}
            )
        return dead

    def _retire_stale(self, report: LoadReport, keep: set[str], prune: bool) -> None:
        """Take the dataset off what it no longer states; deprecate (or, with prune, delete) the sourceless."""
        assert self.store is not None
        params = {"dataset": report.dataset, "run": report.run_iri, "keep": sorted(keep), "prune": prune}
        nodes = self.store.execute(_RETIRE_NODES, params)[0]
        rels = self.store.execute(_RETIRE_RELATIONSHIPS, params)[0]
        report.stale = nodes["stale"] + rels["stale"]
        report.deprecated = nodes["orphaned"] + rels["orphaned"]
        if prune:
            pruned_rels = self.store.execute(_PRUNE_RELATIONSHIPS, params)[0]["pruned"]
            pruned_nodes = self.store.execute(_PRUNE_NODES, params)[0]["pruned"]
            report.pruned = pruned_rels + pruned_nodes
        self.store.execute(
            "MATCH (r:LoadRun {iri: $iri}) SET r.stale = $stale, r.pruned = $pruned",
            {"iri": report.run_iri, "stale": report.stale, "pruned": report.pruned},
        )

    def _write_files(self, report: LoadReport) -> None:
        folder = self.settings.data_dir / "loads" / report.run_id
        folder.mkdir(parents=True, exist_ok=True)
        report.rejects_path = folder / "rejects.csv"
        tmp = report.rejects_path.with_suffix(".csv.part")
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "line", "pointer", "field", "reason", "value", "record"])
            for r in report.rejects:
                w.writerow(
                    [
                        r.origin.file,
                        r.origin.line or "",
                        r.origin.pointer or "",
                        r.field,
                        r.reason,
                        r.value,
                        json.dumps(r.record, ensure_ascii=False, default=str) if r.record else "",
                    ]
                )
        tmp.replace(report.rejects_path)
        report.report_path = folder / "report.json"
        report.report_path.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")


# What a dataset stated before (it is among the sources) but not in this run (loadRun is another run).
# Ends of rejected records are kept as they were: a bad row is not a retraction.
_RETIRE_NODES = """
MATCH (n:Entity) WHERE $dataset IN n.source AND n.loadRun <> $run AND NOT n.iri IN $keep
SET n.source = [s IN n.source WHERE s <> $dataset]
WITH n, size(n.source) = 0 AS orphaned
SET n.deprecated = CASE WHEN orphaned THEN true ELSE n.deprecated END
RETURN count(n) AS stale, sum(CASE WHEN orphaned THEN 1 ELSE 0 END) AS orphaned
"""

_RETIRE_RELATIONSHIPS = """
MATCH (a:Entity)-[r]->(b:Entity)
WHERE $dataset IN r.source AND r.loadRun <> $run AND NOT a.iri IN $keep AND NOT b.iri IN $keep
SET r.source = [s IN r.source WHERE s <> $dataset]
WITH r, size(r.source) = 0 AS orphaned
SET r.deprecated = CASE WHEN orphaned THEN true ELSE r.deprecated END
RETURN count(r) AS stale, sum(CASE WHEN orphaned THEN 1 ELSE 0 END) AS orphaned
"""

_PRUNE_RELATIONSHIPS = """
MATCH ()-[r]->() WHERE r.deprecated = true AND size(r.source) = 0
DELETE r
RETURN count(*) AS pruned
"""

_PRUNE_NODES = """
MATCH (n:Entity) WHERE n.deprecated = true AND size(n.source) = 0
DETACH DELETE n
RETURN count(*) AS pruned
"""

# A node is "created" when it had no firstSeen, "updated" when a property it is given differs. A statement
# extracted from text never overwrites the qualifiers of one a source declared (method not 'extracted:…'):
# it adds its dataset to the relationship's sources and its evidence (the document span) to it.
_NODE_WRITE = """
UNWIND $rows AS row
MERGE (n:Entity {iri: row.iri})
WITH n, row, n.firstSeen IS NULL AS created,
     size([k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k]]) > 0 AS changed
SET n:$LABELS
SET n += row.props
REMOVE n.deprecated
SET n.firstSeen = coalesce(n.firstSeen, $now), n.lastSeen = $now, n.loadRun = $run,
    n.source = CASE WHEN $dataset IN coalesce(n.source, []) THEN n.source
                     ELSE coalesce(n.source, []) + $dataset END
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN NOT created AND changed THEN 1 ELSE 0 END) AS updated,
       count(*) AS written
"""

_EDGE_WRITE = """
UNWIND $rows AS row
MATCH (a:Entity {iri: row.from})
MATCH (b:Entity {iri: row.to})
MERGE (a)-[r:$TYPE]->(b)
REMOVE r.deprecated
WITH r, row, r.firstSeen IS NULL AS created,
     (r.method IS NOT NULL AND NOT r.method STARTS WITH 'extracted:'
      AND coalesce(row.props.method, '') STARTS WITH 'extracted:') AS keep
WITH r, row, created, CASE WHEN keep THEN row.evidence ELSE row.props END AS given
WITH r, row, created, given, size([k IN keys(given) WHERE r[k] IS NULL OR r[k] <> given[k]]) > 0 AS changed
SET r += given
SET r.firstSeen = coalesce(r.firstSeen, $now), r.lastSeen = $now, r.loadRun = $run,
    r.source = CASE WHEN $dataset IN coalesce(r.source, []) THEN r.source
                     ELSE coalesce(r.source, []) + $dataset END
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN NOT created AND changed THEN 1 ELSE 0 END) AS updated,
       count(*) AS written
"""


def _batch_writer(cypher: str, rows: list[dict[str, Any]], params: dict[str, Any]) -> Callable[[Any], dict[str, int]]:
    """The transaction function that writes one batch and returns its created/updated/written counts."""

    def write(tx: Any) -> dict[str, int]:
        record = tx.run(cypher, rows=rows, **params).single()
        return {"created": record["created"], "updated": record["updated"], "written": record["written"]}

    return write


def _count(counts: Counts, outcome: Any, batch: int) -> None:
    created, updated, written = outcome["created"], outcome["updated"], outcome["written"]
    counts.created += created
    counts.updated += updated
    counts.unchanged += written - created - updated
    if written != batch:  # an end vanished between the check and the write (a concurrent delete)
        counts.rejected += batch - written


class _LabelIndex:
    """Resolves references by label (a posting's skill tag) to one IRI, within the load or the graph."""

    def __init__(self, ingest: Ingest, nodes: dict[str, _Node], dataset: str) -> None:
        self.ingest = ingest
        self.nodes = nodes
        self.dataset = dataset
        self._by_class: dict[tuple[str, str | None], dict[str, set[str]]] = {}

    def _index(self, cls: str, within: str | None) -> dict[str, set[str]]:
        if (cls, within) in self._by_class:
            return self._by_class[(cls, within)]
        index: dict[str, set[str]] = defaultdict(set)
        classes = set(self.ingest.ontology.subclasses(cls))

        def add(iri: str, props: dict[str, Any]) -> None:
            for lang in LANGUAGES:
                for key in (f"label_{lang}", f"altLabel_{lang}"):
                    values = props.get(key)
                    for v in values if isinstance(values, list) else [values]:
                        if v:
                            index[normalise_label(str(v))].add(iri)

        if within is None or within == self.dataset:
            for n in self.nodes.values():
                if n.cls in classes:
                    add(n.iri, n.props)
        if self.ingest.store is not None:
            rows = self.ingest.store.read(
                f"MATCH (n:`{cls}`) WHERE $within IS NULL OR $within IN n.source "
                "RETURN n.iri AS iri, n.label_zh AS label_zh, n.label_en AS label_en, "
                "n.altLabel_zh AS altLabel_zh, n.altLabel_en AS altLabel_en",
                {"within": within},
            )
            for r in rows:
                add(r["iri"], r)
        self._by_class[(cls, within)] = index
        return index

    def resolve(self, cls: str, label: str, end: str, *, within: str | None = None) -> str:
        matches = self._index(cls, within).get(normalise_label(label), set())
        if not matches:
            scope = f" in dataset {within}" if within else ""
            raise _Problem(f"no {cls} is labelled {label!r}{scope}", end, label)
        if len(matches) > 1:
            raise _Problem(
                f"{len(matches)} {cls} nodes are labelled {label!r}: {', '.join(sorted(matches))}", end, label
            )
        return next(iter(matches))


def relation_qualifiers(ontology: Ontology) -> dict[str, frozenset[str]]:
    """Object property name → the datatype properties its relationships may carry (key ``""``: any relation's).

    A qualifier is a datatype property marked ``ieic:qualifierOf`` the relation, or ``owl:topObjectProperty``
    (every relation: method, confidence, evidence, provenance…).
    """
    every: set[str] = set()
    per: dict[str, set[str]] = defaultdict(set)
    for subject, target in ontology.graph.subject_objects(IEIC.qualifierOf):
        name = str(subject).removeprefix(str(IEIC))
        if name not in ontology.datatype_properties:
            continue
        if target == OWL.topObjectProperty:
            every.add(name)
        elif str(target).startswith(str(IEIC)):
            per[str(target).removeprefix(str(IEIC))].add(name)
    out = {p: frozenset(every | per.get(p, set())) for p in ontology.object_properties}
    out[""] = frozenset(every)
    return out


def _base_name(key: str) -> str:
    """``levelName`` for ``levelName_zh``: the property a language-suffixed key stores."""
    base, _, lang = key.rpartition("_")
    return base if base and lang in LANGUAGES else key


def _native(value: Any) -> Any:
    """A value read from Neo4j as the Python value a record would give (neo4j.time → datetime)."""
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value.to_native() if hasattr(value, "to_native") else value


def coerce(datatype: str, value: Any, name: str) -> Any:
    """``value`` as the Python type that Neo4j stores for XSD ``datatype``; raises with the expected form."""
    try:
        if datatype in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValueError
                return int(value)
            return int(str(value).strip().replace(",", ""))
        if datatype in ("decimal", "double", "float"):
            if isinstance(value, bool):
                raise ValueError
            return float(str(value).strip().replace(",", "")) if not isinstance(value, int | float) else float(value)
        if datatype == "boolean":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "1", "yes", "y", "是", "t"):
                return True
            if text in ("false", "0", "no", "n", "否", "f"):
                return False
            raise ValueError
        if datatype == "date":
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value).strip().replace("/", "-"))
        if datatype == "dateTime":
            if isinstance(value, dt.datetime):
                return value
            return dt.datetime.fromisoformat(str(value).strip())
        if datatype == "anyURI":
            text = str(value).strip()
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", text):
                raise ValueError
            return text
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return str(value)
    except (ValueError, TypeError):
        expected = {
            "date": "a date YYYY-MM-DD",
            "dateTime": "a date-time YYYY-MM-DDThh:mm:ss",
            "anyURI": "an absolute URI",
            "boolean": "true or false",
        }.get(datatype, f"an {datatype}" if datatype[0] in "aeiou" else f"a {datatype}")
        raise _Problem(f"{name} must be {expected}, not {value!r}", name, value) from None


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3)
    return f"unknown {what} {name!r}" + (f" (did you mean {', '.join(close)}?)" if close else "")


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _disjoint_labels(props: dict[str, Any]) -> None:
    """Drop alternative labels that repeat the preferred label of their language, and repeated ones.

    SKOS keeps a concept's preferred and alternative labels disjoint; sources often list the preferred label
    among the alternatives too (ESCO's CSV files do). Without this, two datasets that state the same concept
    with and without that repetition would rewrite its ``altLabel`` on every load.
    """
    for lang in LANGUAGES:
        name = f"altLabel_{lang}"
        if name in props:
            preferred = props.get(f"label_{lang}")
            kept = [a for a in dict.fromkeys(props[name]) if a != preferred]
            if kept:
                props[name] = kept
            else:
                del props[name]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _agent() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
