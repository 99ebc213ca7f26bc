"""The main job end to end: `ieic-kg demo` through the real CLI against the real Neo4j.

The alignment figures are checked against an independent computation straight from the raw demo
sources, so a wrong mapping, query or score cannot hide behind a hard-coded expectation.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import server_env, wipe
from demo_raw import SOURCES, match, raw
from openpyxl import load_workbook

from ieic_kg.alignment import AlignmentEngine
from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.queries import QueryLibrary

pytestmark = pytest.mark.neo4j

IEIC_KG = Path(sys.executable).parent / "ieic-kg"
PROGRAM, INDUSTRY = "460305", "3491"


@dataclass
class DemoRun:
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]
    env: dict[str, str]
    data_dir: Path


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(IEIC_KG), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def demo(neo4j_connection: Neo4jConnection, neo4j_driver: Any, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo loaded twice into the emptied test database, through the CLI a user runs."""
    wipe(neo4j_driver, neo4j_connection.database)
    data_dir = tmp_path_factory.mktemp("demo-data")
    env = server_env(neo4j_connection, data_dir, COLUMNS="200")
    first = run_cli(env, "demo")
    assert first.returncode == 0, first.stdout + first.stderr
    second = run_cli(env, "demo")
    assert second.returncode == 0, second.stdout + second.stderr
    return DemoRun(first, second, env, data_dir)


@pytest.fixture
def store(demo: DemoRun, neo4j_connection: Neo4jConnection) -> Any:
    with GraphStore(neo4j_connection) as s:
        yield s


# -- an independent computation of the alignment, from the raw sources --------------------------------


def expected_alignment(
    extracted: list[tuple[str, str, float]] | None = None,
    extracted_postings: list[tuple[str, dict[str, float]]] | None = None,
) -> tuple[float, set[str], int]:
    """Coverage of 3491's demand by 460305, its gap skill codes and the postings count, from the files.

    ``extracted`` are the (course, skill, strength) links the demo's syllabi added to the declared matrix,
    and ``extracted_postings`` the (enterprise code, {skill: weight}) of the postings read from documents:
    the inputs that come from the graph, since re-running the extractor here would test nothing.
    """
    r = raw()
    matrix = r.matrix + list(extracted or [])
    courses = r.program_courses[PROGRAM]
    occupations = {o for o, industry in r.occupation_industry.items() if industry == INDUSTRY}
    weight: dict[str, float] = defaultdict(float)
    for occupation, skill, w in r.demand:
        if occupation in occupations:
            weight[skill] = max(weight[skill], w)
    enterprises = {e for e, industry in r.enterprise_industry.items() if industry == INDUSTRY}
    postings, asked = 0, defaultdict(float)
    document_postings = [(p["enterprise"], p["skills"]) for p in r.postings] + list(extracted_postings or [])
    for enterprise, skills in document_postings:
        if enterprise in enterprises:
            postings += 1
            for code, w in skills.items():
                asked[code] += w
    for code, total in asked.items():
        weight[code] = max(weight[code], min(1.0, total / postings))
    supply = {s: max((t * match(taught, s) for c, taught, t in matrix if c in courses), default=0.0) for s in weight}
    coverage = sum(weight[s] * supply[s] for s in weight) / sum(weight.values())
    return coverage, {s for s in weight if supply[s] == 0}, postings


# -- the tests ------------------------------------------------------------------------------------------


def test_demo_prints_paths_gaps_and_how_to_open_the_graph(demo: DemoRun) -> None:
    out = demo.first.stdout
    assert "Coverage" in out and "覆盖率" in out
    assert re.search(r"1\. \d\.\d\d  \[GR\d{4}\] .+\n\s+─教授 teaches .+→ .+\n\s+←需求 requires .+→ 3491", out), out
    assert "Missing skills" in out and "缺失技能" in out
    assert "bolt://" in out and "ieic-kg neo4j env" in out


def extracted_links(store: GraphStore) -> list[tuple[str, str, float]]:
    rows = store.read(
        "MATCH (c:Course)-[t:TEACHES_SKILL]->(s:Skill) WHERE t.method STARTS WITH 'extracted:' "
        "RETURN c.code AS course, s.code AS skill, t.strength AS strength"
    )
    return [(r["course"], r["skill"], r["strength"]) for r in rows]


def document_postings(store: GraphStore) -> list[tuple[str, dict[str, float]]]:
    rows = store.read(
        "MATCH (d:Document)-[:DESCRIBES]->(p:JobPosting)-[:POSTED_BY]->(e:Enterprise) "
        "OPTIONAL MATCH (p)-[r:REQUIRES_SKILL]->(s:Skill) "
        "RETURN e.code AS enterprise, p.iri AS posting, collect([s.code, r.weight]) AS skills"
    )
    return [(r["enterprise"], {code: w for code, w in r["skills"] if code is not None}) for r in rows]


def test_coverage_and_gaps_match_an_independent_computation_from_the_sources(demo: DemoRun, store: GraphStore) -> None:
    extracted, documents = extracted_links(store), document_postings(store)
    assert extracted and len(documents) == 4, "the demo's syllabi and postings add links of their own"
    coverage, gaps, postings = expected_alignment(extracted, documents)
    report = AlignmentEngine(store, QueryLibrary()).align(PROGRAM, INDUSTRY)
    assert report.coverage == pytest.approx(coverage, abs=1e-9)
    assert {a.demand.code for a in report.gaps} == gaps and gaps
    assert report.postings_total == postings
    assert f"{coverage:.1%}" in demo.first.stdout
    for a in report.gaps:  # each gap is printed, and who can help where the data says so
        assert a.demand.label_zh in demo.first.stdout


def test_gap_partners_are_the_ones_that_cover_the_gap_skills(demo: DemoRun, store: GraphStore) -> None:
    report = AlignmentEngine(store, QueryLibrary()).align(PROGRAM, INDUSTRY)
    wb = load_workbook(SOURCES / "community.xlsx", read_only=True)
    covering: dict[str, set[str]] = defaultdict(set)
    for sheet, code_col, skills_col in (("实训基地 Training Bases", 0, 4), ("实习岗位 Internships", 0, 5)):
        for row in wb[sheet].iter_rows(min_row=2, values_only=True):
            for skill in str(row[skills_col] or "").split(";"):
                covering[skill.strip()].add(row[code_col])
    helped = 0
    for gap in report.gaps:
        helpers = {
            h["helper"].rsplit("/", 1)[1] for h in report.partners.get(gap.demand.skill, []) if h["kind"] != "employer"
        }
        assert helpers == covering.get(gap.demand.code or "", set())
        helped += bool(helpers)
    assert helped > 0  # the demo community can help with some gaps (and the report says which it cannot)


def test_named_path_query_agrees_with_the_engine(demo: DemoRun, store: GraphStore) -> None:
    q = QueryLibrary().get("alignment_paths")
    rows = store.read(q.text, q.bind({"program": PROGRAM, "industry": INDUSTRY, "limit": 100000}))
    best: dict[tuple[str, str], float] = defaultdict(float)
    for r in rows:
        key = (r["skill"], r["occupationCode"])
        best[key] = max(best[key], r["score"])
    report = AlignmentEngine(store, QueryLibrary()).align(PROGRAM, INDUSTRY)
    engine = {
        (a.demand.skill, o["code"]): a.supply * o["weight"]
        for a in report.skills
        for o in a.demand.occupations
        if a.supply > 0
    }
    assert best.keys() == engine.keys()
    assert all(best[k] == pytest.approx(engine[k]) for k in engine)


def test_a_second_demo_run_changes_nothing(demo: DemoRun, store: GraphStore) -> None:
    runs = store.read(
        "MATCH (r:LoadRun) RETURN r.source AS dataset, r.created AS created, r.updated AS updated, "
        "r.unchanged AS unchanged, r.status AS status ORDER BY r.startedAt"
    )
    half = len(runs) // 2
    assert half == 11 and len(runs) == 22  # 9 mapping files and 2 document folders, twice
    for r in runs[half:]:
        assert (r["created"], r["updated"]) == (0, 0), r
        assert r["unchanged"] > 0


def test_every_node_and_relationship_says_where_it_came_from(demo: DemoRun, store: GraphStore) -> None:
    missing = store.read(
        "MATCH (n:Entity) WHERE n.source IS NULL OR size(n.source) = 0 OR n.loadRun IS NULL OR n.firstSeen IS NULL "
        "RETURN count(n) AS n"
    )[0]["n"]
    assert missing == 0
    missing = store.read(
        "MATCH ()-[r]->() WHERE r.source IS NULL OR r.loadRun IS NULL OR r.firstSeen IS NULL RETURN count(r) AS n"
    )[0]["n"]
    assert missing == 0
    orphans = store.read(
        "MATCH (n:Entity) WHERE NOT EXISTS { MATCH (r:LoadRun {iri: n.loadRun}) } RETURN count(n) AS n"
    )[0]["n"]
    assert orphans == 0


def test_the_documented_bad_records_are_rejected_and_the_rest_loads(demo: DemoRun, store: GraphStore) -> None:
    rejects = []
    for path in demo.data_dir.glob("loads/*/rejects.csv"):
        with path.open(encoding="utf-8-sig") as fh:
            rejects += list(csv.DictReader(fh))
    reasons = " | ".join(r["reason"] for r in rejects)
    assert "no Skill is labelled 'SAP ERP'" in reasons
    assert "datePosted must be a date YYYY-MM-DD, not '2025-13-01'" in reasons
    good = (
        sum(1 for line in (SOURCES / "job_postings.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()) - 1
    )
    good += len(list((SOURCES / "documents" / "postings").iterdir()))  # and the postings read from documents
    assert store.read("MATCH (p:JobPosting) RETURN count(p) AS n")[0]["n"] == good


def test_init_twice_changes_nothing_the_second_time(demo: DemoRun) -> None:
    result = run_cli(demo.env, "init")
    assert result.returncode == 0 and "nothing to create" in result.stdout


def test_the_demo_graph_conforms_to_the_shapes_and_a_broken_record_does_not(demo: DemoRun, store: GraphStore) -> None:
    ok = run_cli(demo.env, "validate")
    assert ok.returncode == 0 and "conforms" in ok.stdout, ok.stdout + ok.stderr
    store.execute("MATCH (c:Course {code: 'GR3001'}) SET c.credits = -2.0")
    try:
        bad = run_cli(demo.env, "validate")
    finally:
        store.execute("MATCH (c:Course {code: 'GR3001'}) SET c.credits = 4.0")
    assert bad.returncode == 1
    assert "course/GDIMP:GR3001" in bad.stdout and "credits" in bad.stdout


def test_align_json_gives_the_same_figures(demo: DemoRun, store: GraphStore) -> None:
    result = run_cli(demo.env, "align", "--program", PROGRAM, "--industry", INDUSTRY, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    report = AlignmentEngine(store, QueryLibrary()).align(PROGRAM, INDUSTRY)
    assert data["coverage"] == pytest.approx(report.coverage, abs=1e-4)
    first = max(data["skills"], key=lambda s: s["demandWeight"] * s["supply"])
    assert first["supplies"][0]["source"] and first["supplies"][0]["load_run"]


def test_unknown_program_is_a_clear_error(demo: DemoRun) -> None:
    result = run_cli(demo.env, "align", "--program", "999999", "--industry", INDUSTRY)
    assert result.returncode == 1
    assert "no Program with code or IRI '999999'" in result.stderr
