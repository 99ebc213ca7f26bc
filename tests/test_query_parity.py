"""Every named query that exists in both languages gives the same answer in Cypher on Neo4j and in SPARQL on
the RDF store, on the same data: the demo graph (loaded through the CLI, then synced into a fresh RDF store)
and a seeded random graph of a few thousand nodes (loaded through the real ingest engine into both stores).

Answers are compared as multisets of rows, with values normalised across the two type systems (numbers as
floats, approximately; dates as ISO text; a Cypher list against the space-separated text SPARQL gives for
it); the order is checked on the columns the queries sort by. Each query must answer something on at least
one of the graphs, so that the parity is never vacuous.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import isolated_settings, server_env, wipe
from fixtures.random_graph import generate

from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest
from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.queries import QueryLibrary, run_query
from ieic_kg.rdfstore import RdfStore
from ieic_kg.sync import sync_all

pytestmark = pytest.mark.neo4j

IEIC_KG = Path(sys.executable).parent / "ieic-kg"
LIBRARY = QueryLibrary()
BOTH = sorted(
    {name for name, lang in LIBRARY.queries if lang == "cypher"} & {n for n, lg in LIBRARY.queries if lg == "sparql"}
)
RANDOM = generate(seed=7)
R = RANDOM.params

#: (graph, query, parameters, expect rows). Every query has a case that expects rows.
CASES: list[tuple[str, str, dict[str, Any], bool]] = [
    ("demo", "programs", {}, True),
    ("demo", "industries", {}, True),
    ("demo", "industry_occupation_demand", {"industry": "3491"}, True),
    ("demo", "industry_posting_demand", {"industry": "34"}, True),
    ("demo", "program_skill_supply", {"program": "460305"}, True),
    ("demo", "alignment_paths", {"program": "460305", "industry": "3491"}, True),
    ("demo", "alignment_paths", {"program": "460305", "industry": "34", "limit": 100000}, True),
    (
        "demo",
        "gap_partners",
        {"skills": [f"https://w3id.org/ieic-kg/id/skill/{s}" for s in ("SK-ROB-COBOT", "SK-ROB-OPS", "SK-MECH-ASSY")]},
        True,
    ),
    ("demo", "orphan_courses", {"program": "460103", "industry": "3491"}, True),
    ("demo", "orphan_courses", {"program": "460305", "industry": "no-such-industry"}, True),
    ("demo", "untaught_skills", {"program": "460305", "industry": "3491"}, True),
    ("demo", "standard_coverage", {"program": "460305", "standard": "1X-IROM"}, True),
    ("demo", "demand_trend", {"industry": "34", "window": "quarter"}, True),
    ("demo", "partner_enterprises", {"program": "460305", "industry": "34"}, True),
    ("demo", "community_summary", {"community": "FSIEIC-2023"}, True),
    ("demo", "community_enterprises", {"community": "https://w3id.org/ieic-kg/id/actor/FSIEIC-2023"}, True),
    ("random", "programs", {}, True),
    ("random", "industries", {}, True),
    ("random", "industry_occupation_demand", {"industry": R["industry"]}, True),
    ("random", "industry_occupation_demand", {"industry": R["industry_iri"]}, True),
    ("random", "industry_posting_demand", {"industry": R["industry"]}, True),
    ("random", "program_skill_supply", {"program": R["program"]}, True),
    ("random", "program_skill_supply", {"program": R["program_iri"]}, True),
    ("random", "alignment_paths", {"program": R["program"], "industry": R["industry_iri"], "limit": 100000}, True),
    ("random", "gap_partners", {"skills": R["skills"]}, True),
    ("random", "orphan_courses", {"program": R["program"], "industry": R["industry"]}, True),
    ("random", "untaught_skills", {"program": R["program"], "industry": R["industry"]}, True),
    ("random", "standard_coverage", {"program": R["program"], "standard": R["standard"]}, True),
    ("random", "demand_trend", {"industry": R["industry_iri"]}, True),
    ("random", "demand_trend", {"industry": R["industry"], "window": "5"}, True),
    ("random", "partner_enterprises", {"program": R["program"], "industry": R["industry_iri"]}, True),
    ("random", "community_summary", {"community": R["community"]}, True),
    ("random", "community_enterprises", {"community": R["community"]}, True),
]

#: The columns each query sorts by, in order (the order of rows is checked on these).
ORDER = {
    "programs": ["code", "iri"],
    "industries": ["code"],
    "industry_occupation_demand": ["skill", "occupation"],
    "industry_posting_demand": ["posting"],
    "program_skill_supply": ["course", "taught", "skill"],
    "alignment_paths": ["score"],
    "gap_partners": ["skill", "kind", "evidence", "helper"],
    "orphan_courses": ["courseCode", "course"],
    "untaught_skills": ["weight", "postings", "occupations", "skill"],
    "standard_coverage": ["standardCode", "level", "skill"],
    "demand_trend": ["skill", "period"],
    "partner_enterprises": ["overlap", "gapSkills", "postings", "enterprise"],
    "community_summary": ["measure", "kind"],
    "community_enterprises": ["postings", "enterprise"],
}


@dataclass
class Stores:
    graph: GraphStore
    rdf: RdfStore


def _demo(conn: Neo4jConnection, tmp: Path) -> None:
    env = server_env(conn, tmp / "demo-data")
    done = subprocess.run(
        [str(IEIC_KG), "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr


class Graphs:
    """The test Neo4j and a fresh RDF store holding one graph at a time: the demo or the random graph."""

    def __init__(self, conn: Neo4jConnection, driver: Any, ontology: Any, tmp: pytest.TempPathFactory) -> None:
        self.conn, self.driver, self.ontology, self.tmp = conn, driver, ontology, tmp
        self.graph = GraphStore(conn)
        self.loaded: str | None = None
        self.current: Stores | None = None

    def get(self, name: str) -> Stores:
        if self.loaded == name and self.current is not None:
            return self.current
        if self.current is not None:
            self.current.rdf.close()
        wipe(self.driver, self.conn.database)
        tmp = self.tmp.mktemp(name)
        settings = isolated_settings(data_dir=tmp / "data")
        rdf = RdfStore(tmp / "rdf")
        self.current, self.loaded = Stores(self.graph, rdf), name
        if name == "demo":
            _demo(self.conn, tmp)
            sync_all(self.graph, rdf, self.ontology, settings)
        else:
            for loader in RANDOM.loaders():  # both stores follow each load
                report = Ingest(settings, self.ontology, self.graph, rdf).run(loader)
                assert report.status == "completed", report.rejects[:5]
        return self.current

    def close(self) -> None:
        if self.current is not None:
            self.current.rdf.close()
        self.graph.close()


@pytest.fixture(scope="module")
def graphs(
    neo4j_connection: Neo4jConnection, neo4j_driver: Any, ontology: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Graphs]:
    g = Graphs(neo4j_connection, neo4j_driver, ontology, tmp_path_factory)
    try:
        yield g
    finally:
        g.close()


def _value(v: Any, as_list: bool) -> Any:
    if as_list:
        items = v if isinstance(v, list) else (v or "").split()
        return tuple(sorted(str(x) for x in items))
    if hasattr(v, "to_native"):
        v = v.to_native()
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int | float):
        return round(float(v), 9)
    return v


def normalise(rows: list[dict[str, Any]], columns: list[str], lists: set[str]) -> list[tuple[Any, ...]]:
    return [tuple(_value(row.get(c), c in lists) for c in columns) for row in rows]


def answers(stores: Stores, name: str, params: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    cypher = run_query(LIBRARY.get(name, "cypher"), dict(params), graph_store=stores.graph)
    sparql = run_query(LIBRARY.get(name, "sparql"), dict(params), rdf_store=stores.rdf)
    return cypher, sparql


def test_every_query_in_both_languages_is_tested_and_answers_something() -> None:
    assert BOTH, "no query exists in both languages"
    answering = {name for _, name, _, expect in CASES if expect}
    assert answering == set(BOTH), f"queries with no case that expects rows: {sorted(set(BOTH) - answering)}"
    assert set(ORDER) == set(BOTH)
    assert RANDOM.nodes > 2500


@pytest.mark.parametrize(
    ("graph", "name", "params", "expect"), CASES, ids=[f"{g}-{n}-{i}" for i, (g, n, _, _) in enumerate(CASES)]
)
def test_cypher_and_sparql_give_the_same_answer(
    graphs: Graphs, graph: str, name: str, params: dict[str, Any], expect: bool
) -> None:
    cypher, sparql = answers(graphs.get(graph), name, params)
    if expect:
        assert cypher, f"{name} {params} answers nothing on the {graph} graph"
    assert len(cypher) == len(sparql), f"{name}: {len(cypher)} Cypher rows, {len(sparql)} SPARQL rows"
    if not cypher:
        return
    columns = list(cypher[0])
    assert list(sparql[0]) == columns
    lists = {c for c in columns if any(isinstance(r[c], list) for r in cypher)}
    a, b = normalise(cypher, columns, lists), normalise(sparql, columns, lists)
    missing, extra = Counter(a) - Counter(b), Counter(b) - Counter(a)
    assert not missing and not extra, (
        f"{name}: rows only in Cypher {list(missing)[:3]}, rows only in SPARQL {list(extra)[:3]}"
    )
    keys = ORDER[name]
    assert normalise(cypher, keys, set()) == normalise(sparql, keys, set()), f"{name}: rows in another order"
