"""Exports of the graph (from Neo4j, the system of record) and the restore of an export.

Formats (docs/rdf.md):

``ttl``
    Turtle: one graph, the union of what the chosen datasets stated plus their load runs.
``nq``
    N-Quads: the layout of the RDF store — each dataset in its named graph
    ``https://w3id.org/ieic-kg/graph/<dataset>``, the load runs in ``…/graph/provenance`` and, for a
    full export, the ontology in ``https://w3id.org/ieic-kg/ontology``. Load it into any quad store to
    query the same data the same way.
``jsonld``
    JSON-LD (rdflib's serializer), the same triples as ``ttl``, compacted with a context derived from
    the ontology: prefixes ieic, rdf, rdfs, skos, xsd, prov; a term per class and property, object
    properties typed ``@id``, datatype properties with their XSD type, labels as language maps.
``csv``
    A zip with ``nodes.csv`` (iri, labels, properties) and ``relationships.csv`` (source, type, target,
    properties): the property-graph view, labels and keys as Neo4j holds them, properties as one JSON
    object per row (dates and times in ISO 8601), UTF-8 with a byte-order mark so that spreadsheet
    programs read the Chinese text. Load runs are rows of ``nodes.csv`` labelled ``LoadRun``.

Every format carries the provenance: ``ieic:source``, ``ieic:loadRun``, ``ieic:firstSeen``,
``ieic:lastSeen`` on nodes and relationship statements, and the load runs themselves.

``restore`` reads an RDF export back into Neo4j with one load per dataset it states, so that every node
and relationship is stated by the same datasets as before (see ``ieic_kg.loaders.rdf``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ieic_kg.config import Settings
from ieic_kg.errors import IeicError, NotFound
from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest, LoadReport
from ieic_kg.loaders.rdf import ParsedFile, RdfLoader
from ieic_kg.ontology import IEIC, Ontology
from ieic_kg.rdf import export_dataset, export_load_runs, stated_datasets
from ieic_kg.rdfstore import ONTOLOGY_GRAPH, PREFIXES, PROVENANCE_GRAPH, dataset_graph, to_ox
from ieic_kg.records import Reject

FORMATS = ("ttl", "nq", "jsonld", "csv")
#: Formats that can be written to standard output.
TEXT_FORMATS = frozenset({"ttl", "nq", "jsonld"})
MEDIA_TYPES = {
    "ttl": "text/turtle",
    "nq": "application/n-quads",
    "jsonld": "application/ld+json",
    "csv": "application/zip",
}


@dataclass
class ExportResult:
    """What an export wrote."""

    format: str
    datasets: list[str]
    nodes: int = 0
    relationships: int = 0
    load_runs: int = 0
    triples: int = 0
    bytes: int = 0
    seconds: float = 0.0
    skipped: Counter[str] = field(default_factory=Counter)


def jsonld_context(ontology: Ontology) -> dict[str, Any]:
    """The JSON-LD context of the exports, derived from the ontology (no term is listed by hand)."""
    ctx: dict[str, Any] = {
        "ieic": str(IEIC),
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "skos": str(SKOS),
        "xsd": str(XSD),
        "prov": str(PROV),
        "label": {"@id": "rdfs:label", "@container": "@language"},
        "altLabel": {"@id": "skos:altLabel", "@container": "@language"},
        "definition": {"@id": "skos:definition", "@container": "@language"},
    }
    for name in sorted(ontology.classes):
        ctx.setdefault(name, f"ieic:{name}")
    for name in sorted(ontology.object_properties):
        ctx.setdefault(name, {"@id": f"ieic:{name}", "@type": "@id"})
    for name, prop in sorted(ontology.datatype_properties.items()):
        if prop.language_tagged:
            ctx.setdefault(name, {"@id": f"ieic:{name}", "@container": "@language"})
        elif prop.datatype == "string":
            ctx.setdefault(name, {"@id": f"ieic:{name}"})
        else:
            ctx.setdefault(name, {"@id": f"ieic:{name}", "@type": f"xsd:{prop.datatype}"})
    return ctx


def export(
    graph_store: GraphStore,
    ontology: Ontology,
    settings: Settings,
    fmt: str,
    dataset: str | None = None,
    *,
    out: IO[bytes] | Path,
) -> ExportResult:
    """Write the graph (or what ``dataset`` stated) in ``fmt`` to ``out`` (a binary stream or a path)."""
    if fmt not in FORMATS:
        raise IeicError(f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    started = time.perf_counter()
    known = stated_datasets(graph_store)
    if dataset is not None and dataset not in known:
        raise NotFound(
            f"no dataset {dataset!r} in the graph",
            hint=f"datasets: {', '.join(known)}" if known else "the graph is empty",
        )
    datasets = [dataset] if dataset else known
    result = ExportResult(fmt, datasets)
    if isinstance(out, Path):
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        with tmp.open("wb") as fh:
            _write(graph_store, ontology, settings, fmt, dataset, datasets, fh, result)
        tmp.replace(out)
        result.bytes = out.stat().st_size
    else:
        counted = _Counting(out)
        _write(graph_store, ontology, settings, fmt, dataset, datasets, counted, result)
        counted.flush()
        result.bytes = counted.written
    result.seconds = time.perf_counter() - started
    return result


class _Counting(io.RawIOBase):
    """A binary writer that counts the bytes it passes on."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        n = self.inner.write(data)
        self.written += len(data) if n is None else n
        return len(data)

    def flush(self) -> None:
        self.inner.flush()


def _write(
    graph_store: GraphStore,
    ontology: Ontology,
    settings: Settings,
    fmt: str,
    dataset: str | None,
    datasets: list[str],
    out: Any,  # a binary writer
    result: ExportResult,
) -> None:
    if fmt == "csv":
        _write_csv(graph_store, dataset, out, result)
        return
    graphs: dict[str, Graph] = {}
    for d in datasets:
        part = export_dataset(graph_store, ontology, settings.id_base, d)
        graphs[dataset_graph(d)] = part.graph
        result.skipped.update(part.skipped)
    runs = export_load_runs(graph_store, ontology, settings.id_base, dataset=dataset)
    graphs[PROVENANCE_GRAPH] = runs.graph
    result.load_runs = runs.nodes
    _count_entities(graph_store, dataset, result)
    if fmt == "nq":
        if dataset is None:
            graphs = {ONTOLOGY_GRAPH: ontology.graph, **graphs}
        quads = [
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(name)) for name, g in graphs.items() for s, p, o in g
        ]
        quads.sort(key=lambda q: (str(q.graph_name), *_order(q.subject, q.predicate, q.object)))
        result.triples = len(quads)
        ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
        return
    union = Graph()
    for g in graphs.values():
        union += g
    result.triples = len(union)
    if fmt == "ttl":
        triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in union]
        triples.sort(key=lambda t: _order(t.subject, t.predicate, t.object))
        ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return
    text = union.serialize(format="json-ld", context=jsonld_context(ontology), indent=1, ensure_ascii=False)
    out.write(text.encode("utf-8"))


def _order(s: Any, p: Any, o: Any) -> tuple[str, bool, str, str]:
    """Subjects together, their rdf:type first: readable Turtle."""
    return (str(s), p.value != str(RDF.type), str(p), str(o))


def _count_entities(graph_store: GraphStore, dataset: str | None, result: ExportResult) -> None:
    row = graph_store.read(
        "CALL () { MATCH (n:Entity) WHERE $d IS NULL OR $d IN n.source RETURN count(n) AS nodes } "
        "CALL () { MATCH (:Entity)-[r]->(:Entity) WHERE $d IS NULL OR $d IN r.source RETURN count(r) AS rels } "
        "RETURN nodes, rels",
        {"d": dataset},
    )[0]
    result.nodes, result.relationships = row["nodes"], row["rels"]


def _json_value(value: Any) -> Any:
    if hasattr(value, "to_native"):  # neo4j.time types
        value = value.to_native()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def _props_json(props: dict[str, Any]) -> str:
    return json.dumps({k: _json_value(v) for k, v in sorted(props.items())}, ensure_ascii=False)


def _write_csv(
    graph_store: GraphStore, dataset: str | None, out: IO[bytes], result: ExportResult, batch: int = 5000
) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("nodes.csv", "w") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["iri", "labels", "properties"])
            last = ""
            while True:
                rows = graph_store.read(
                    "MATCH (n) WHERE (n:Entity AND ($d IS NULL OR $d IN n.source) "
                    "OR n:LoadRun AND ($d IS NULL OR n.source = $d)) AND n.iri > $last "
                    "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props ORDER BY n.iri LIMIT $batch",
                    {"d": dataset, "last": last, "batch": batch},
                )
                for r in rows:
                    props = {k: v for k, v in r["props"].items() if k != "iri"}
                    w.writerow([r["iri"], ";".join(sorted(r["labels"], key=_label_order)), _props_json(props)])
                    if "LoadRun" in r["labels"]:
                        result.load_runs += 1
                    else:
                        result.nodes += 1
                if len(rows) < batch:
                    break
                last = rows[-1]["iri"]
        with zf.open("relationships.csv", "w") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["source", "type", "target", "properties"])
            last = ""
            while True:
                rows = graph_store.read(
                    "MATCH (a:Entity)-[r]->(b:Entity) WHERE ($d IS NULL OR $d IN r.source) AND elementId(r) > $last "
                    "RETURN elementId(r) AS id, a.iri AS a, type(r) AS t, b.iri AS b, properties(r) AS props "
                    "ORDER BY id LIMIT $batch",
                    {"d": dataset, "last": last, "batch": batch},
                )
                for r in rows:
                    w.writerow([r["a"], r["t"], r["b"], _props_json(r["props"])])
                result.relationships += len(rows)
                if len(rows) < batch:
                    break
                last = rows[-1]["id"]


def _label_order(label: str) -> tuple[int, str]:
    return (0 if label == "Entity" else 1, label)


# -- restore ------------------------------------------------------------------------------------------


def restore(
    graph_store: GraphStore,
    ontology: Ontology,
    settings: Settings,
    path: Path,
    *,
    run: Callable[[Any], LoadReport] | None = None,
) -> list[LoadReport]:
    """Load an RDF export back: one load per dataset it states, in the order they were first loaded.

    Nodes and relationships come back stated by the datasets that stated them; their ``loadRun``,
    ``firstSeen`` and ``lastSeen`` are those of the restoring runs (each restore is a new load run; the
    old runs stay in the file's provenance graph). Triples the file does not attribute to a dataset load
    under the file's stem. A dataset whose relationships point to nodes of a dataset restored after it
    is loaded once more at the end. ``run`` runs one loader (default: a plain ``Ingest``).
    """
    parsed = ParsedFile.read(Path(path))

    def default_run(loader: Any) -> LoadReport:
        return Ingest(settings, ontology, graph_store).run(loader)

    do = run or default_run
    first = parsed.first_loaded()
    order = sorted(parsed.datasets(), key=lambda d: (first.get(d, "~"), d))
    candidates = [RdfLoader(Path(path), select=d, ontology=ontology, parsed=parsed) for d in order]
    candidates.append(RdfLoader(Path(path), unattributed=True, ontology=ontology, parsed=parsed))
    # a dataset with nothing to load (only load runs, say) gets no load run of its own
    loaders = [c for c in candidates if any(not isinstance(r, Reject) for r in c.records())]
    reports = [do(loader) for loader in loaders]
    for i, report in enumerate(reports):
        if any(r.reason.startswith("broken reference") for r in report.rejects):
            reports[i] = do(loaders[i])
    return reports
