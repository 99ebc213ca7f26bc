"""GB/T 4754-2017 and CSCO 2022 in full, through the ingest engine into the real Neo4j."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ieic_kg.loaders import LOADERS
from ieic_kg.loaders.mapping import MappingLoader

from ieic_kg.config import Settings
from ieic_kg.ingest import Ingest
from ieic_kg.ontology import Ontology

from .conftest import REPO

pytestmark = pytest.mark.neo4j


def _count(store: Any, cypher: str, **params: Any) -> int:
    return int(store.read(cypher, params)[0]["n"])


def test_gbt4754_and_csco_load_once_and_meet_the_demo_keys(
    public_data: Path, test_settings: Settings, graph_store: Any, ontology: Ontology
) -> None:
    ingest = Ingest(test_settings, ontology, graph_store)
    industries = LOADERS["gbt4754"](public_data / "gbt4754-2017.csv", None, None)
    occupations = LOADERS["csco"](None, None, None)  # type: ignore[arg-type]

    first = [ingest.run(industries), ingest.run(occupations)]
    assert [r.status for r in first] == ["completed-with-rejects", "completed"]  # GB/T: the second "374" row
    assert [len(r.rejects) for r in first] == [1, 0]
    assert first[0].nodes["Industry"].created == 1_970 and first[0].edges["BROADER"].created == 1_950
    assert first[1].nodes["Occupation"].created == 2_047 and first[1].edges["BROADER"].created == 2_039

    assert _count(graph_store, "MATCH (n:Industry) RETURN count(n) AS n") == 1_970
    assert _count(graph_store, "MATCH (:Industry)-[r:BROADER]->(:Industry) RETURN count(r) AS n") == 1_950
    assert _count(graph_store, "MATCH (n:Industry {level: 3, method: 'synthesised'}) RETURN count(n) AS n") == 199
    assert _count(graph_store, "MATCH (n:Occupation) RETURN count(n) AS n") == 2_047
    assert _count(graph_store, "MATCH (:Occupation)-[r:BROADER]->(:Occupation) RETURN count(r) AS n") == 2_039
    # every class reaches its section in three steps
    assert (
        _count(graph_store, "MATCH (c:Industry {level: 4})-[:BROADER*3]->(s:Industry {level: 1}) RETURN count(c) AS n")
        == 1_380
    )

    again = [ingest.run(industries), ingest.run(occupations)]
    for report in again:
        totals = report.totals()
        assert (totals.created, totals.updated) == (0, 0)
        assert totals.unchanged == sum(c.read for c in (*report.nodes.values(), *report.edges.values()))

    iri = ingest.mint_iri("Industry", "GB4754:3491")
    rows = graph_store.read("MATCH (n:Industry {code: '3491'}) RETURN n.iri AS iri, n.label_zh AS label", {})
    assert rows == [{"iri": iri, "label": "工业机器人制造"}]

    # the demo's industries, keyed the same way, land on the same nodes
    demo = ingest.run(MappingLoader(REPO / "demo" / "mappings" / "industries.yaml"))
    assert demo.nodes["Industry"].created == 0 and demo.nodes["Industry"].read == 18
    assert _count(graph_store, "MATCH (n:Industry) RETURN count(n) AS n") == 1_970
    sources = graph_store.read("MATCH (n:Entity {iri: $iri}) RETURN n.source AS source", {"iri": iri})[0]["source"]
    assert sorted(sources) == ["demo-gbt4754", "gbt4754-2017"]


def test_isic_naics_and_lightcast_load_once_with_their_hierarchies(
    test_settings: Settings, graph_store: Any, ontology: Ontology
) -> None:
    ingest = Ingest(test_settings, ontology, graph_store)
    loaders = [LOADERS[kind](None, None, None) for kind in ("isic", "naics", "lightcast")]  # type: ignore[arg-type]
    first = [ingest.run(loader) for loader in loaders]
    assert [r.status for r in first] == ["completed"] * 3
    assert [
        (r.nodes[c].created, r.edges["BROADER"].created)
        for r, c in zip(first, ("Industry", "Industry", "Skill"), strict=True)
    ] == [
        (766, 745),
        (2_125, 2_105),
        (32_468, 21_106),
    ]
    # every ISIC class reaches its section in three steps, every NAICS national industry in four
    assert (
        _count(
            graph_store,
            "MATCH (c:Industry {level: 4})-[:BROADER*3]->(:Industry {level: 1}) "
            "WHERE c.code =~ '[0-9]{4}' AND 'isic-rev4' IN c.source RETURN count(c) AS n",
        )
        == 419
    )
    assert (
        _count(graph_store, "MATCH (c:Industry {level: 5})-[:BROADER*4]->(s:Industry {level: 1}) RETURN count(c) AS n")
        == 1_012
    )
    rows = graph_store.read(
        "MATCH (:Industry {code: '334413'})-[:BROADER*4]->(s:Industry) RETURN s.code AS code, s.label_en AS label", {}
    )
    assert rows == [{"code": "31-33", "label": "Manufacturing"}]
    assert (
        _count(
            graph_store,
            "MATCH (s:Skill)-[:BROADER]->(:Skill {level: 2})-[:BROADER]->(:Skill {level: 1}) "
            "WHERE s.level IS NULL RETURN count(s) AS n",
        )
        == 20_664
    )
    # no correspondence between the taxonomies is in their data, so none is made
    assert _count(graph_store, "MATCH ()-[r:EXACT_MATCH|CLOSE_MATCH|BROAD_MATCH]->() RETURN count(r) AS n") == 0

    again = [ingest.run(loader) for loader in loaders]
    for report in again:
        totals = report.totals()
        assert (totals.created, totals.updated) == (0, 0)
        assert totals.unchanged == sum(c.read for c in (*report.nodes.values(), *report.edges.values()))
