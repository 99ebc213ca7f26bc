"""The alignment engine's occupation target and coverage matrix, on the demo loaded through the CLI.

Figures are checked against an independent computation straight from the raw demo sources (tests/demo_raw.py;
the helpers below are shared with tests/test_students.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import server_env, wipe
from demo_raw import SOURCES, match, raw
from test_demo import run_cli

from ieic_kg.alignment import AlignmentEngine
from ieic_kg.errors import NotFound
from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.queries import QueryLibrary
from ieic_kg.report import alignment_json, coverage_matrix_json

pytestmark = pytest.mark.neo4j

PROGRAM = "460305"
OCCUPATIONS = ("6-31-07-03", "6-31-07-02", "2-02-38-10", "6-31-07-00")


def declared_demo(folder: Path) -> Path:
    """A demo manifest with the mapping files only: the sources these tests recompute by hand declare every
    link (the documents' extracted links are checked by tests/test_demo.py)."""
    manifest = yaml.safe_load((SOURCES.parent / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["mappings"] = [str((SOURCES.parent / m).resolve()) for m in manifest["mappings"]]
    manifest.pop("documents", None)
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return folder


def load_demo(conn: Neo4jConnection, driver: Any, data_dir: Path) -> dict[str, str]:
    """The demo's declared sources loaded once into the emptied test database through `ieic-kg demo`."""
    wipe(driver, conn.database)
    env = server_env(conn, data_dir, COLUMNS="200")
    result = run_cli(env, "demo", "--sources", str(declared_demo(data_dir)))
    assert result.returncode == 0, result.stdout + result.stderr
    return env


@pytest.fixture(scope="module")
def demo_env(
    neo4j_connection: Neo4jConnection, neo4j_driver: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return load_demo(neo4j_connection, neo4j_driver, tmp_path_factory.mktemp("align-data"))


@pytest.fixture(scope="module")
def engine(demo_env: dict[str, str], neo4j_connection: Neo4jConnection) -> Iterator[AlignmentEngine]:
    with GraphStore(neo4j_connection) as store:
        yield AlignmentEngine(store, QueryLibrary())


# -- an independent computation from the raw demo files ------------------------------------------------


def occupation_weights(occupation: str) -> tuple[dict[str, float], int]:
    """w(s) for one occupation: survey relation, or the weighted share of its postings; and the postings count."""
    r = raw()
    weight: dict[str, float] = defaultdict(float)
    for occ, skill, w in r.demand:
        if occ == occupation:
            weight[skill] = max(weight[skill], w)
    postings = [p for p in r.postings if p["occupation"] == occupation]
    asked: dict[str, float] = defaultdict(float)
    for p in postings:
        for code, w in p["skills"].items():
            asked[code] += w
    for code, total in asked.items():
        weight[code] = max(weight[code], min(1.0, total / len(postings)))
    return dict(weight), len(postings)


def profile_strength(skill: str, courses: set[str], declared: dict[str, float] | None = None) -> float:
    """p(s): best t · m over the courses' taught skills and the declared skills."""
    best = max((t * match(taught, skill) for c, taught, t in raw().matrix if c in courses), default=0.0)
    for taught, level in (declared or {}).items():
        best = max(best, level * match(taught, skill))
    return best


def expected_coverage(weights: dict[str, float], courses: set[str], declared: dict[str, float] | None = None) -> float:
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(w * profile_strength(s, courses, declared) for s, w in weights.items()) / total


# -- the tests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("occupation", OCCUPATIONS)
def test_align_occupation_matches_an_independent_computation(engine: AlignmentEngine, occupation: str) -> None:
    weights, postings = occupation_weights(occupation)
    courses = raw().program_courses[PROGRAM]
    report = engine.align_occupation(PROGRAM, occupation)
    assert report.kind == "occupation" and report.target["code"] == occupation
    assert report.postings_total == postings
    assert {a.demand.code: a.demand.weight for a in report.skills} == pytest.approx(weights)
    assert report.coverage == pytest.approx(expected_coverage(weights, courses), abs=1e-9)
    gaps = [a.demand.code for a in report.gaps]
    assert set(gaps) == {s for s in weights if profile_strength(s, courses) == 0}
    ranked = [(-a.demand.weight, -a.demand.trend) for a in report.gaps]
    assert ranked == sorted(ranked)


def test_every_figure_of_the_occupation_report_names_its_evidence(engine: AlignmentEngine) -> None:
    data = alignment_json(engine.align_occupation(PROGRAM, "6-31-07-02"))
    assert data["kind"] == "occupation" and data["occupation"]["code"] == "6-31-07-02"
    json.dumps(data)
    seen_postings = 0
    for s in data["skills"]:
        assert s["occupations"] or s["postings"]
        for e in s["occupations"] + s["postings"]:
            assert e["source"] and e["loadRun"], e
        seen_postings += len(s["postings"])
        for sup in s["supplies"]:
            assert sup["source"] and sup["load_run"], sup
        if s["postings"]:
            assert s["postingWeight"] > 0
    assert seen_postings > 0


def test_industry_report_postings_now_carry_provenance(engine: AlignmentEngine) -> None:
    data = alignment_json(engine.align(PROGRAM, "3491"))
    postings = [p for s in data["skills"] for p in s["postings"]]
    assert postings and all(p["source"] == ["community-employers"] and p["loadRun"] for p in postings)


def test_coverage_matrix_equals_align_occupation_for_every_pair(engine: AlignmentEngine) -> None:
    cells = engine.coverage_matrix()
    programs = {c.program for c in cells}
    occupations = {c.occupation for c in cells}
    assert programs == {"460305", "460301", "460103"}
    assert len(occupations) == 14 and len(cells) == 42
    for c in cells:
        assert c.program and c.occupation
        report = engine.align_occupation(c.program, c.occupation)
        assert c.coverage == pytest.approx(report.coverage, abs=1e-12), c
        assert (c.demanded, c.missing) == (len(report.skills), len(report.gaps))
    assert json.dumps(coverage_matrix_json(cells))


def test_coverage_matrix_can_be_restricted(engine: AlignmentEngine) -> None:
    cells = engine.coverage_matrix(programs=[PROGRAM], occupations=["6-31-07-03", "6-31-07-01"])
    assert [(c.program, c.occupation) for c in cells] == [(PROGRAM, "6-31-07-03"), (PROGRAM, "6-31-07-01")] or [
        (c.program, c.occupation) for c in cells
    ] == [(PROGRAM, "6-31-07-01"), (PROGRAM, "6-31-07-03")]
    assert cells == sorted(cells, key=lambda c: -c.coverage)


def test_unknown_program_or_occupation_is_a_clear_not_found(engine: AlignmentEngine) -> None:
    with pytest.raises(NotFound, match="no Program with code or IRI '999999'"):
        engine.align_occupation("999999", "6-31-07-03")
    with pytest.raises(NotFound, match="no Occupation with code or IRI '9-99-99-99'"):
        engine.align_occupation(PROGRAM, "9-99-99-99")
    with pytest.raises(NotFound, match="no Occupation"):
        engine.coverage_matrix(occupations=["9-99-99-99"])
