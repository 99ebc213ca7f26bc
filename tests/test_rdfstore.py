"""The RDF store (Oxigraph on disk): atomic graph replacement, canonical literals, read-only SPARQL with a limit."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from ieic_kg.errors import IeicError, StoreUnavailable
from ieic_kg.ontology import IEIC, Ontology
from ieic_kg.rdfstore import (
    ONTOLOGY_GRAPH,
    PROVENANCE_GRAPH,
    RdfStore,
    SparqlError,
    SparqlTimeout,
    dataset_graph,
    graph_dataset,
)

EX = "https://example.org/kg/"
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def skill(i: int, label: str = "技能") -> list[tuple[URIRef, URIRef, Literal]]:
    s = URIRef(f"{EX}skill/{i}")
    return [
        (s, IEIC.code, Literal(f"S{i}")),
        (s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(f"{label}{i}", lang="zh")),
    ]


def test_graphs_are_replaced_by_their_difference_and_survive_a_reopen(tmp_path: Path) -> None:
    g = dataset_graph("college")
    with RdfStore(tmp_path / "rdf") as store:
        first = [t for i in range(3) for t in skill(i)]
        assert (store.replace_graph(g, first).added, store.count(g)) == (6, 6)
        assert not store.replace_graph(g, first).changed  # the same content: nothing written
        second = [t for i in range(1, 4) for t in skill(i)]
        change = store.replace_graph(g, second)
        assert (change.added, change.removed, change.triples) == (2, 2, 6)
        assert store.graph_names() == [g]
    with RdfStore(tmp_path / "rdf") as store:  # on disk: still there
        assert store.count(g) == 6
        assert {str(s) for s, _, _ in store.triples(g)} == {f"{EX}skill/{i}" for i in (1, 2, 3)}
        assert store.replace_graph(g, []).removed == 6  # nothing stated: the graph goes
        assert store.graph_names() == []


def test_the_default_graph_is_the_union_of_the_named_graphs_each_triple_once() -> None:
    a, b = dataset_graph("a"), dataset_graph("b")
    with RdfStore(None) as store:
        store.replace_graph(a, skill(1) + skill(2))
        store.replace_graph(b, skill(2) + skill(3))
        assert store.count() == 6 and store.union_diff() == ([], [])
        store.replace_graph(a, skill(1))  # skill 2 goes from a, stays in the union: b states it
        assert store.count() == 6
        store.drop_graph(b)
        assert store.count() == 2 and store.union_diff() == ([], [])
        store.store.remove(next(iter(store.store.quads_for_pattern(None, None, None, store_default()))))
        missing, extra = store.union_diff()
        assert len(missing) == 1 and extra == []
        assert store.rebuild_union() == 2 and store.union_diff() == ([], [])


def store_default() -> object:
    import pyoxigraph

    return pyoxigraph.DefaultGraph()


def test_literals_are_compared_in_canonical_form(tmp_path: Path) -> None:
    g = dataset_graph("d")
    s = URIRef(EX + "c")
    with RdfStore(None) as store:
        store.replace_graph(g, [(s, IEIC.credits, Literal("4.0", datatype=DECIMAL))])
        assert store.triples(g)[0][2] == Literal("4", datatype=DECIMAL)  # Oxigraph's canonical form
        assert not store.replace_graph(g, [(s, IEIC.credits, Literal("4.0", datatype=DECIMAL))]).changed


def test_the_ontology_graph_with_blank_nodes_is_rewritten_only_when_it_changed(ontology: Ontology) -> None:
    with RdfStore(None) as store:
        assert store.load_ontology(ontology).added == len(ontology.graph)
        assert not store.load_ontology(ontology).changed
        assert store.query("ASK { GRAPH <https://w3id.org/ieic-kg/ontology> { ieic:Course a owl:Class } }").boolean


def test_a_reader_sees_the_old_graph_or_the_new_one_never_half(tmp_path: Path) -> None:
    g = dataset_graph("big")
    old = [t for i in range(500) for t in skill(i, "旧")]
    new = [t for i in range(250, 1000) for t in skill(i, "新")]
    seen: set[int] = set()
    with RdfStore(tmp_path / "rdf") as store:
        store.replace_graph(g, old)
        stop = threading.Event()

        def read() -> None:
            while not stop.is_set():
                n = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}").rows[0]["n"]
                seen.add(n)

        reader = threading.Thread(target=read)
        reader.start()
        try:
            for _ in range(3):
                store.replace_graph(g, new)
                store.replace_graph(g, old)
        finally:
            stop.set()
            reader.join()
    assert seen <= {1000, 1500}, seen


def test_one_process_at_a_time(tmp_path: Path) -> None:
    with RdfStore(tmp_path / "rdf"):
        code = "from pathlib import Path; from ieic_kg.rdfstore import RdfStore; RdfStore(Path(r'%s'))" % (
            tmp_path / "rdf"
        )
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert other.returncode != 0
        assert "is open in another process" in other.stderr


def test_graph_names_of_datasets() -> None:
    assert dataset_graph("esco-1.2.0") == "https://w3id.org/ieic-kg/graph/esco-1.2.0"
    assert graph_dataset(dataset_graph("esco-1.2.0")) == "esco-1.2.0"
    assert graph_dataset(PROVENANCE_GRAPH) is None and graph_dataset(ONTOLOGY_GRAPH) is None
    with pytest.raises(IeicError, match="cannot name a dataset"):
        dataset_graph("provenance")


# ---------------------------------------------------------------- SPARQL


@pytest.fixture
def small_store() -> RdfStore:
    store = RdfStore(None)
    store.replace_graph(dataset_graph("a"), [t for i in range(40) for t in skill(i)])
    store.replace_graph(
        dataset_graph("b"),
        [*skill(0), (URIRef(EX + "c"), IEIC.credits, Literal("3.5", datatype=DECIMAL))],
    )
    return store


def test_queries_return_plain_python_values_over_the_union_of_graphs(small_store: RdfStore) -> None:
    r = small_store.query(
        'SELECT ?s ?label ?credits WHERE { ?s ieic:code "S0" ; rdfs:label ?label '
        "OPTIONAL { ?s ieic:credits ?credits } }"
    )
    assert r.kind == "select" and r.columns == ["s", "label", "credits"]
    # S0 is stated by both datasets, but the default graph holds each triple once
    assert r.rows == [{"s": EX + "skill/0", "label": "技能0", "credits": None}]
    assert small_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ieic:code ?c }").rows == [{"n": 40}]
    in_graphs = small_store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ieic:code ?c } }")
    assert in_graphs.rows == [{"n": 41}]
    assert small_store.query("SELECT ?c WHERE { ?s ieic:credits ?c }").rows == [{"c": 3.5}]
    assert small_store.query("ASK { ?s ieic:code 'S39' }").boolean is True
    graph = small_store.query("CONSTRUCT WHERE { ?s ieic:credits ?c }")
    assert graph.kind == "graph" and graph.rows == [
        {"subject": EX + "c", "predicate": str(IEIC.credits), "object": 3.5}
    ]
    by_graph = small_store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    assert by_graph.rows == [{"g": dataset_graph("a"), "n": 80}, {"g": dataset_graph("b"), "n": 3}]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELEC ?s WHERE { ?s ?p ?o }", "malformed SPARQL query: error at 1:1"),
        ('INSERT DATA { <urn:a> <urn:b> "c" }', "SPARQL Update is not allowed"),
        ("PREFIX ex: <urn:x#> DELETE WHERE { ?s ?p ?o }", "SPARQL Update is not allowed"),
        ("DROP ALL", "SPARQL Update is not allowed"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "federated queries (SERVICE)"),
    ],
)
def test_bad_and_writing_queries_are_refused_clearly(small_store: RdfStore, query: str, message: str) -> None:
    with pytest.raises(SparqlError) as err:
        small_store.query(query)
    assert message in str(err.value)
    assert small_store.count(dataset_graph("a")) == 80  # nothing was written


def test_a_query_past_its_time_limit_is_an_error_with_a_hint(small_store: RdfStore) -> None:
    with pytest.raises(SparqlTimeout) as err:
        small_store.query("SELECT * WHERE { ?a ?p ?o . ?b ?q ?r . ?c ?x ?y . ?d ?z ?w }", timeout=0.3)
    assert "did not finish within 0.3 s" in err.value.message and "IEIC_QUERY_TIMEOUT" in (err.value.hint or "")
    assert err.value.status == 504


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    store = RdfStore(tmp_path / "rdf")
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.query("ASK {}")
