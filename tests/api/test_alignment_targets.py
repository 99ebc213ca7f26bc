"""Alignment beyond program → industry, over real HTTP: occupation targets, standard coverage, demand trends,
partner enterprises, the course × skill matrix and the program × occupation coverage matrix — each checked
against the engine or the named query it is built on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ieic_kg.alignment import HOP_DECAY, AlignmentEngine
from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.queries import QueryLibrary
from ieic_kg.report import alignment_json, coverage_matrix_json

from .conftest import INDUSTRY, PROGRAM, assert_problem
from .http_server import Server

pytestmark = pytest.mark.neo4j

OCCUPATION = "6-31-07-03"
STANDARD = "1X-IROM"


@pytest.fixture(scope="module")
def store(demo_graph: Any, neo4j_connection: Neo4jConnection) -> Iterator[GraphStore]:
    with GraphStore(neo4j_connection) as s:
        yield s


@pytest.fixture(scope="module")
def engine(store: GraphStore, queries: QueryLibrary) -> AlignmentEngine:
    return AlignmentEngine(store, queries)


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=120) as c:
        yield c


def named(store: GraphStore, queries: QueryLibrary, name: str, **params: Any) -> list[dict[str, Any]]:
    q = queries.get(name)
    return store.read(q.text, q.bind(params))


# -- occupation targets ----------------------------------------------------------------------------------------


def test_occupation_alignment_is_the_engines_report(http: httpx.Client, engine: AlignmentEngine) -> None:
    api = http.get("/v1/alignment", params={"program": PROGRAM, "occupation": OCCUPATION, "paths": 3}).json()
    report = engine.align_occupation(PROGRAM, OCCUPATION)
    expected = alignment_json(report)
    assert api["kind"] == "occupation" and api["industry"] is None
    assert api["occupation"] == expected["occupation"] and api["occupation"]["code"] == OCCUPATION
    assert api["coverage"] == expected["coverage"] and api["postingsTotal"] == expected["postingsTotal"]
    assert [s["skill"] for s in api["skills"]] == [s["skill"] for s in expected["skills"]]
    assert api["gaps"] == [a.demand.skill for a in report.gaps]
    assert [(p["score"], p["skill"]) for p in api["paths"]] == [
        (score, a.demand.skill) for score, a, _, _ in report.paths(3)
    ]
    # an occupation's demand differs from its industry's: the two reports are not the same
    industry = http.get("/v1/alignment", params={"program": PROGRAM, "industry": INDUSTRY}).json()
    assert industry["kind"] == "industry" and industry["occupation"] is None
    assert {s["skill"] for s in industry["skills"]} != {s["skill"] for s in api["skills"]}


@pytest.mark.parametrize("route", ["/v1/alignment", "/v1/alignment/matrix"])
def test_exactly_one_target(http: httpx.Client, route: str) -> None:
    both = assert_problem(
        http.get(route, params={"program": PROGRAM, "industry": INDUSTRY, "occupation": OCCUPATION}), 400
    )
    assert "industry" in both["detail"] and "occupation" in both["detail"]
    assert_problem(http.get(route, params={"program": PROGRAM}), 400)
    missing = assert_problem(http.get(route, params={"program": PROGRAM, "occupation": "9-99-99-99"}), 404)
    assert missing["detail"] == "no Occupation with code or IRI '9-99-99-99'"


# -- standard coverage -----------------------------------------------------------------------------------------


def test_standard_coverage_is_the_named_query_by_level(
    http: httpx.Client, store: GraphStore, queries: QueryLibrary
) -> None:
    api = http.get("/v1/alignment/standard", params={"program": PROGRAM, "standard": STANDARD}).json()
    rows = named(store, queries, "standard_coverage", program=PROGRAM, standard=STANDARD)
    flat = [
        (lv["level"], s["skill"], s["covered"], s["courses"], s["strength"])
        for lv in api["levels"]
        for s in lv["skills"]
    ]
    assert flat == [(r["level"], r["skill"], r["covered"], r["courses"], r["strength"]) for r in rows] and rows
    assert api["standard"]["code"] == STANDARD and api["program"]["code"] == PROGRAM
    assert api["total"] == len(rows) and api["covered"] == sum(r["covered"] for r in rows)
    assert 0 < api["covered"] < api["total"]  # the demo program misses part of the certificate
    assert api["coverage"] == round(api["covered"] / api["total"], 4)
    for lv in api["levels"]:
        assert lv["covered"] == sum(s["covered"] for s in lv["skills"]) and lv["levelName_zh"]
        assert all((s["strength"] > 0) == s["covered"] for s in lv["skills"])


def test_an_unknown_standard_is_404(http: httpx.Client) -> None:
    body = assert_problem(http.get("/v1/alignment/standard", params={"program": PROGRAM, "standard": "NOPE"}), 404)
    assert body["detail"] == "no Standard with code or IRI 'NOPE'"


# -- demand trends -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("window", ["year", "quarter", "6"])
def test_demand_trends_are_the_named_query_per_window(
    http: httpx.Client, store: GraphStore, queries: QueryLibrary, window: str
) -> None:
    api = http.get("/v1/alignment/trends", params={"industry": INDUSTRY, "window": window}).json()
    rows = named(store, queries, "demand_trend", industry=INDUSTRY, window=window)
    assert api["periods"] == sorted({r["period"] for r in rows}) and len(api["periods"]) >= 2
    got = {(s["skill"], p, n) for s in api["skills"] for p, n in zip(api["periods"], s["counts"], strict=True) if n}
    assert got == {(r["skill"], r["period"], r["postings"]) for r in rows}
    latest, previous = api["periods"][-1], api["periods"][-2]
    assert (api["latest"], api["previous"]) == (latest, previous)
    for s in api["skills"]:
        assert s["latest"] == s["counts"][-1] and s["previous"] == s["counts"][-2]
        assert s["change"] == s["latest"] - s["previous"] and s["total"] == sum(s["counts"])
        assert s["trend"] == ("rising" if s["change"] > 0 else "falling" if s["change"] < 0 else "steady")
    assert set(api["rising"]) == {s["skill"] for s in api["skills"] if s["change"] > 0}
    assert set(api["falling"]) == {s["skill"] for s in api["skills"] if s["change"] < 0}
    changes = [s["change"] for s in api["skills"]]
    assert changes == sorted(changes, reverse=True)


def test_python_demand_rises_in_the_demo(http: httpx.Client) -> None:
    api = http.get("/v1/alignment/trends", params={"industry": INDUSTRY}).json()
    assert api["rising"][0] == "https://w3id.org/ieic-kg/id/skill/SK-SW-PY"


@pytest.mark.parametrize("window", ["week", "13", "0", "year; MATCH (n) DETACH DELETE n"])
def test_a_bad_window_is_400(http: httpx.Client, window: str) -> None:
    body = assert_problem(http.get("/v1/alignment/trends", params={"industry": INDUSTRY, "window": window}), 400)
    assert body["errors"][0]["loc"] == ["query", "window"]


# -- partner enterprises -----------------------------------------------------------------------------------------


def test_partners_are_the_named_query_with_what_they_host(
    http: httpx.Client, store: GraphStore, queries: QueryLibrary, engine: AlignmentEngine
) -> None:
    api = http.get("/v1/alignment/partners", params={"program": PROGRAM, "industry": INDUSTRY}).json()
    rows = named(store, queries, "partner_enterprises", program=PROGRAM, industry=INDUSTRY)
    keys = ("enterprise", "postings", "demanded", "overlap", "resources", "gapSkills")
    assert [tuple(e[k] for k in keys) for e in api["enterprises"]] == [tuple(r[k] for k in keys) for r in rows]
    report = engine.align(PROGRAM, INDUSTRY)
    gaps = {a.demand.skill for a in report.gaps}
    assert api["gaps"] == [a.demand.skill for a in report.gaps]
    hosted = store.read(
        "MATCH (e:Enterprise)-[:HOSTS]->(r:EducationalResource) WHERE e.iri IN $e RETURN e.iri AS e, r.iri AS r",
        {"e": [r["enterprise"] for r in rows]},
    )
    assert {(e["enterprise"], h["resource"]) for e in api["enterprises"] for h in e["hosts"]} == {
        (h["e"], h["r"]) for h in hosted
    }
    flagged = {s["skill"] for e in api["enterprises"] for h in e["hosts"] for s in h["skills"] if s["gap"]}
    assert flagged and flagged <= gaps
    for e in api["enterprises"]:
        assert e["overlapShare"] == round(e["overlap"] / e["demanded"], 4)
        for h in e["hosts"]:
            for s in h["skills"]:
                assert s["gap"] == (s["skill"] in gaps)


# -- the course × skill matrix ------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [{"industry": INDUSTRY}, {"occupation": OCCUPATION}])
def test_matrix_cells_are_the_engines_supply_and_add_up_to_its_coverage(
    http: httpx.Client, store: GraphStore, queries: QueryLibrary, engine: AlignmentEngine, target: dict[str, str]
) -> None:
    api = http.get("/v1/alignment/matrix", params={"program": PROGRAM, **target}).json()
    report = engine.align(PROGRAM, INDUSTRY) if "industry" in target else engine.align_occupation(PROGRAM, OCCUPATION)
    assert api["coverage"] == round(report.coverage, 4) and not api["truncated"]
    assert {s["iri"] for s in api["skills"]} == {a.demand.skill for a in report.skills}
    courses = {c["code"] for c in api["courses"]}
    assert len(courses) == len(api["courses"]) == len(api["values"]) >= 10
    assert all(len(row) == len(api["skills"]) for row in api["values"])
    # coverage = Σ_s w(s) · max over courses of t·m / Σ_s w(s), from the matrix alone
    weights = [s["demandWeight"] for s in api["skills"]]
    best = [max(row[j] for row in api["values"]) for j in range(len(weights))]
    assert sum(best) / sum(weights) == pytest.approx(report.coverage)
    by_skill = {a.demand.skill: a for a in report.skills}
    for cell in api["cells"]:
        course, skill = api["courses"][cell["course"]], api["skills"][cell["skill"]]
        a = by_skill[skill["iri"]]
        top = max(s.score for s in a.supplies if s.course_code == course["code"])
        assert cell["score"] == top and cell["match"] == HOP_DECAY ** cell["hops"]
        assert cell["weighted"] == pytest.approx(top * a.demand.weight)
        assert api["values"][cell["course"]][cell["skill"]] == cell["weighted"]
    assert len(api["cells"]) == sum(1 for row in api["values"] for v in row if v > 0)
    for j, s in enumerate(api["skills"]):
        assert s["gap"] == (best[j] == 0) == (by_skill[s["iri"]].supply == 0)
    # every course of the program is a row, also one that supplies nothing the target demands
    listed = named(store, queries, "student_courses", program=PROGRAM)
    assert courses == {r["courseCode"] for r in listed if r["inProgram"]}


def test_matrix_columns_can_be_capped(http: httpx.Client) -> None:
    full = http.get("/v1/alignment/matrix", params={"program": PROGRAM, "industry": INDUSTRY}).json()
    top = http.get("/v1/alignment/matrix", params={"program": PROGRAM, "industry": INDUSTRY, "skills": 3}).json()
    assert top["truncated"] and top["skills"] == full["skills"][:3]
    weights = [s["demandWeight"] for s in full["skills"]]
    assert weights == sorted(weights, reverse=True)


# -- program × occupation coverage ---------------------------------------------------------------------------------


def test_coverage_matrix_is_the_engines(http: httpx.Client, engine: AlignmentEngine) -> None:
    api = http.get("/v1/alignment/coverage", params={"program": PROGRAM}).json()
    assert api["cells"] == coverage_matrix_json(engine.coverage_matrix([PROGRAM], None)) and len(api["cells"]) > 3
    one = http.get("/v1/alignment/coverage", params=[("program", PROGRAM), ("occupation", OCCUPATION)]).json()
    assert [c["occupation"] for c in one["cells"]] == [OCCUPATION]
    assert_problem(http.get("/v1/alignment/coverage", params={"occupation": "9-99"}), 404)
