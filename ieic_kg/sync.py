"""Keeping the RDF store in step with Neo4j, and checking that it is.

Neo4j is the system of record. Each dataset's named graph in the RDF store is the *projection* of what
that dataset stated in Neo4j (the nodes and relationships whose ``source`` holds it) through the one
mapping of ``ieic_kg.rdf``; the provenance graph is the projection of the ``:LoadRun`` nodes; the
ontology graph is the shipped ontology. Syncing a graph recomputes its projection and replaces the
graph (only the difference is written, atomically). ``verify`` recomputes every projection and
compares it with the store, triple by triple, and checks that the default graph is still the union
of the named graphs; ``repair`` re-projects what differs, drops the graphs of datasets Neo4j no longer
has and, last, rebuilds the union if it is off.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ieic_kg.config import Settings
from ieic_kg.graph import GraphStore
from ieic_kg.ontology import IEIC, Ontology
from ieic_kg.rdf import RdfExport, dataset_triples, export_load_runs, stated_datasets
from ieic_kg.rdfstore import (
    GRAPH_BASE,
    ONTOLOGY_GRAPH,
    PROVENANCE_GRAPH,
    RdfStore,
    canonical,
    dataset_graph,
    graph_dataset,
    same_content,
    triple_diff,
)


@dataclass
class GraphSync:
    """One named graph brought in step: its size and what changed."""

    graph: str
    dataset: str | None
    triples: int
    added: int = 0
    removed: int = 0
    seconds: float = 0.0
    skipped: dict[str, int] = field(default_factory=dict)  # Neo4j keys the ontology does not define

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    @property
    def name(self) -> str:
        """The dataset, or ontology / provenance / default graph."""
        if self.dataset:
            return self.dataset
        return {ONTOLOGY_GRAPH: "ontology", PROVENANCE_GRAPH: "provenance"}.get(self.graph, self.graph)


@dataclass
class DatasetDiff:
    """How one named graph of the RDF store differs from its projection of Neo4j.

    ``only_in_neo4j`` are triples the RDF store lacks (it lags behind), ``only_in_rdf`` are triples it
    still holds that Neo4j no longer states (stale); both as N-Triples lines.
    """

    graph: str
    dataset: str | None
    #: dataset, provenance, ontology, orphan (a dataset graph whose dataset Neo4j no longer has) or union
    #: (the default graph against the union of the named graphs of the store)
    kind: str
    neo4j_triples: int
    rdf_triples: int
    only_in_neo4j: list[str] = field(default_factory=list)
    only_in_rdf: list[str] = field(default_factory=list)

    @property
    def in_step(self) -> bool:
        return not (self.only_in_neo4j or self.only_in_rdf) and self.kind != "orphan"

    @property
    def status(self) -> str:
        if self.kind == "orphan":
            return "orphaned"
        if self.in_step:
            return "in step"
        if self.rdf_triples == 0:
            return "missing"
        return "lagging"

    @property
    def name(self) -> str:
        return self.dataset or (UNION if self.kind == "union" else self.kind)


#: How the default graph (the union of the named graphs) is named in reports.
UNION = "default graph"


def project_dataset(store: GraphStore, ontology: Ontology, id_base: str, dataset: str) -> set[Any]:
    """The triples of ``dataset``'s named graph: its nodes and relationships in Neo4j, mapped to RDF."""
    return set(dataset_triples(store, ontology, id_base, dataset, RdfExport()))


def project_provenance(store: GraphStore, ontology: Ontology, id_base: str) -> set[Any]:
    """The triples of the provenance graph: every load run as an ``ieic:LoadRun`` / ``prov:Activity``."""
    return set(export_load_runs(store, ontology, id_base).graph)


def sync_ontology(rdf_store: RdfStore, ontology: Ontology) -> GraphSync:
    started = time.perf_counter()
    change = rdf_store.load_ontology(ontology)
    return GraphSync(ONTOLOGY_GRAPH, None, change.triples, change.added, change.removed, time.perf_counter() - started)


def sync_dataset(
    graph_store: GraphStore, rdf_store: RdfStore, ontology: Ontology, settings: Settings, dataset: str
) -> GraphSync:
    """Replace ``dataset``'s named graph with its projection of Neo4j (removed when it states nothing)."""
    started = time.perf_counter()
    export = RdfExport()  # counts only: the triples stream into the store's diff
    change = rdf_store.replace_graph(
        dataset_graph(dataset), dataset_triples(graph_store, ontology, settings.id_base, dataset, export)
    )
    return GraphSync(
        change.graph,
        dataset,
        change.triples,
        change.added,
        change.removed,
        time.perf_counter() - started,
        dict(export.skipped),
    )


def sync_provenance(graph_store: GraphStore, rdf_store: RdfStore, ontology: Ontology, settings: Settings) -> GraphSync:
    """Replace the provenance graph with the load runs in Neo4j."""
    started = time.perf_counter()
    export = export_load_runs(graph_store, ontology, settings.id_base)
    change = rdf_store.replace_graph(PROVENANCE_GRAPH, export.graph)
    return GraphSync(change.graph, None, change.triples, change.added, change.removed, time.perf_counter() - started)


def _orphan_graphs(rdf_store: RdfStore, datasets: list[str]) -> list[str]:
    """Named graphs of the store that no longer correspond to anything in Neo4j."""
    wanted = {ONTOLOGY_GRAPH, PROVENANCE_GRAPH, *(dataset_graph(d) for d in datasets)}
    return [g for g in rdf_store.graph_names() if g not in wanted and g.startswith(GRAPH_BASE)]


def sync_all(graph_store: GraphStore, rdf_store: RdfStore, ontology: Ontology, settings: Settings) -> list[GraphSync]:
    """Bring every graph in step: ontology, each dataset, provenance; drop graphs of vanished datasets."""
    datasets = stated_datasets(graph_store)
    out = [sync_ontology(rdf_store, ontology)]
    out += [sync_dataset(graph_store, rdf_store, ontology, settings, d) for d in datasets]
    out.append(sync_provenance(graph_store, rdf_store, ontology, settings))
    for graph in _orphan_graphs(rdf_store, datasets):
        started = time.perf_counter()
        removed = rdf_store.drop_graph(graph)
        out.append(GraphSync(graph, graph_dataset(graph), 0, 0, removed, time.perf_counter() - started))
    return out


def datasets_sharing(graph_store: GraphStore, dataset: str) -> list[str]:
    """``dataset`` and every dataset that states a node or relationship it also states.

    A load of one dataset moves the provenance (``source``, ``loadRun``, ``lastSeen``) and may change the
    values of nodes other datasets state too, so their graphs change with it.
    """
    rows = graph_store.read(
        "CALL () { MATCH (n:Entity) WHERE $d IN n.source UNWIND n.source AS other RETURN DISTINCT other "
        "UNION MATCH (:Entity)-[r]->(:Entity) WHERE $d IN r.source UNWIND r.source AS other "
        "RETURN DISTINCT other } RETURN DISTINCT other ORDER BY other",
        {"d": dataset},
    )
    return sorted({dataset, *(r["other"] for r in rows if r["other"])})


def sync_after_load(
    graph_store: GraphStore, rdf_store: RdfStore, ontology: Ontology, settings: Settings, dataset: str
) -> list[GraphSync]:
    """Bring into the RDF store what a load of ``dataset`` changed: the ontology (when it changed), the
    graphs of ``dataset`` and of every dataset sharing a node or relationship with it before or after
    the load (provenance and retractions change their graphs too), and the provenance graph."""
    affected = set(datasets_sharing(graph_store, dataset))
    # what the dataset stated before the load (and may have retracted) names the other datasets too
    graph = dataset_graph(dataset)
    affected |= {
        str(t.object.value)
        for t in rdf_store.graph_triples(graph)
        if t.predicate.value == str(IEIC.source) and t.object.value
    }
    out = [sync_ontology(rdf_store, ontology)]
    out += [sync_dataset(graph_store, rdf_store, ontology, settings, d) for d in sorted(affected)]
    out.append(sync_provenance(graph_store, rdf_store, ontology, settings))
    return out


def _diff(graph: str, dataset: str | None, kind: str, projection: Any, rdf_store: RdfStore) -> DatasetDiff:
    expected = canonical(projection)
    stored = rdf_store.graph_triples(graph)
    if same_content(stored, expected):
        return DatasetDiff(graph, dataset, kind, len(expected), len(stored))
    only_neo4j, only_rdf = triple_diff(stored, expected)
    return DatasetDiff(graph, dataset, kind, len(expected), len(stored), only_neo4j, only_rdf)


def verify(graph_store: GraphStore, rdf_store: RdfStore, ontology: Ontology, settings: Settings) -> list[DatasetDiff]:
    """Compare every named graph with its projection of Neo4j (ontology first, provenance last)."""
    datasets = stated_datasets(graph_store)
    out = [_diff(ONTOLOGY_GRAPH, None, "ontology", ontology.graph, rdf_store)]
    for d in datasets:
        out.append(
            _diff(
                dataset_graph(d), d, "dataset", project_dataset(graph_store, ontology, settings.id_base, d), rdf_store
            )
        )
    out.append(
        _diff(
            PROVENANCE_GRAPH, None, "provenance", project_provenance(graph_store, ontology, settings.id_base), rdf_store
        )
    )
    for graph in _orphan_graphs(rdf_store, datasets):
        stored = rdf_store.graph_triples(graph)
        out.append(
            DatasetDiff(graph, graph_dataset(graph), "orphan", 0, len(stored), [], sorted(f"{t} ." for t in stored))
        )
    missing, extra = rdf_store.union_diff()
    union = rdf_store.count()
    out.append(DatasetDiff(UNION, None, "union", union + len(missing) - len(extra), union, missing, extra))
    return out


def repair(
    graph_store: GraphStore,
    rdf_store: RdfStore,
    ontology: Ontology,
    settings: Settings,
    diffs: list[DatasetDiff] | None = None,
) -> list[GraphSync]:
    """Re-project the graphs ``verify`` found out of step and drop orphaned graphs."""
    if diffs is None:
        diffs = verify(graph_store, rdf_store, ontology, settings)
    out = []
    for d in diffs:
        if d.in_step:
            continue
        if d.kind == "ontology":
            out.append(sync_ontology(rdf_store, ontology))
        elif d.kind == "provenance":
            out.append(sync_provenance(graph_store, rdf_store, ontology, settings))
        elif d.kind == "dataset" and d.dataset is not None:
            out.append(sync_dataset(graph_store, rdf_store, ontology, settings, d.dataset))
        elif d.kind == "union":
            continue  # below, once the named graphs are right
        else:
            started = time.perf_counter()
            removed = rdf_store.drop_graph(d.graph)
            out.append(GraphSync(d.graph, d.dataset, 0, 0, removed, time.perf_counter() - started))
    missing, extra = rdf_store.union_diff()
    if missing or extra:
        started = time.perf_counter()
        size = rdf_store.rebuild_union()
        out.append(GraphSync(UNION, None, size, len(missing), len(extra), time.perf_counter() - started))
    return out
