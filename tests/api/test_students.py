"""Students over real HTTP: learning paths and job/internship matching agree with the engine
(ieic_kg.students), for stored profiles (with a key) and for profiles in the request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ieic_kg.alignment import AlignmentEngine
from ieic_kg.graph import GraphStore
from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.queries import QueryLibrary
from ieic_kg.report import learning_path_json, matches_json
from ieic_kg.students import StudentAdvisor, load_students

from .conftest import AppFactory, assert_problem, auth, key_settings
from .http_server import Server

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def advisor(demo_graph: Any, neo4j_connection: Neo4jConnection, queries: QueryLibrary) -> Iterator[StudentAdvisor]:
    with GraphStore(neo4j_connection) as store:
        yield StudentAdvisor(AlignmentEngine(store, queries), load_students())


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=120, headers=auth("reader")) as c:
        yield c


def steps(path: dict[str, Any]) -> list[tuple[str, float, str | None]]:
    return [(s["course"]["code"], round(s["gain"], 6), s["prerequisiteFor"]) for s in path["steps"]]


@pytest.mark.parametrize("student", ["S2024003", "S2025008", "S2024004"])
def test_a_stored_students_path_is_the_engines(http: httpx.Client, advisor: StudentAdvisor, student: str) -> None:
    api = http.get(f"/v1/students/{student}/path").json()
    expected = learning_path_json(advisor.learning_path(student))
    assert steps(api) == steps(expected) and api["steps"]
    assert (api["startCoverage"], api["finalCoverage"]) == (expected["startCoverage"], expected["finalCoverage"])
    assert api["finalCoverage"] > api["startCoverage"]
    assert [s["skill"] for s in api["remaining"]] == [s["skill"] for s in expected["remaining"]]
    # prerequisites respected: each course's prerequisites are completed or earlier on the path
    done = set(api["student"]["completed"])
    for step in api["steps"]:
        assert set(step["course"]["prerequisites"]) <= done, step["course"]
        done.add(step["course"]["code"])
        assert step["reason"] and (step["prerequisiteFor"] or f"+{step['gain']:.1%}" in step["reason"])
        if step["adds"]:
            assert step["adds"][0]["label_zh"] in step["reason"]
    gains = [s["gain"] for s in api["steps"] if not s["prerequisiteFor"]]
    assert gains[0] == max(gains)  # the first pick has the largest marginal gain


def test_another_occupation_and_a_limit(http: httpx.Client, advisor: StudentAdvisor) -> None:
    api = http.get("/v1/students/S2024003/path", params={"occupation": "2-02-38-10", "limit": 2}).json()
    assert api["occupation"]["code"] == "2-02-38-10" and len(api["steps"]) == 2
    assert steps(api) == steps(learning_path_json(advisor.learning_path("S2024003", "2-02-38-10", limit=2)))


def test_a_profile_in_the_request_is_the_stored_one(http: httpx.Client) -> None:
    stored = http.get("/v1/students/S2024004").json()
    body = {k: stored[k] for k in ("completed", "declared")}
    by_id = http.get("/v1/students/S2024004/path").json()
    posted = http.post(
        "/v1/students/path", json={**body, "program": stored["program"], "occupation": stored["target"]}
    ).json()
    assert steps(posted) == steps(by_id) and posted["student"]["id"] == "request"
    matched = http.post("/v1/students/matches", json={**body, "limit": 5}).json()
    assert [m["opportunity"] for m in matched["matches"]] == [
        m["opportunity"] for m in http.get("/v1/students/S2024004/matches", params={"limit": 5}).json()["matches"]
    ]
    # course codes are matched case-insensitively, as in the student file
    lower = http.post(
        "/v1/students/path",
        json={
            **body,
            "completed": [c.lower() for c in body["completed"]],
            "program": "460305",
            "occupation": stored["target"],
        },
    ).json()
    assert steps(lower) == steps(by_id)


@pytest.mark.parametrize("kind", ["all", "internship", "posting"])
def test_matches_are_the_engines(http: httpx.Client, advisor: StudentAdvisor, kind: str) -> None:
    api = http.get("/v1/students/S2023007/matches", params={"kind": kind, "limit": 8}).json()
    st = advisor.student("S2023007")
    expected = matches_json(st, advisor.match(st, limit=8, kind=None if kind == "all" else kind))
    assert [(m["opportunity"], m["score"]) for m in api["matches"]] == [
        (m["opportunity"], m["score"]) for m in expected["matches"]
    ]
    assert api["matches"] and (kind == "all" or {m["kind"] for m in api["matches"]} == {kind})
    scores = [m["score"] for m in api["matches"]]
    assert scores == sorted(scores, reverse=True)
    for m in api["matches"]:
        assert all(s["supply"] > 0 for s in m["matched"]) and all(s["supply"] == 0 for s in m["missing"])
        weights = sum(s["weight"] for s in m["matched"] + m["missing"])
        assert m["score"] == pytest.approx(sum(s["weight"] * s["supply"] for s in m["matched"]) / weights, abs=1e-6)


def test_declared_skills_count(http: httpx.Client) -> None:
    bare = http.post("/v1/students/matches", json={"completed": ["GR1001"], "limit": 200}).json()
    more = http.post(
        "/v1/students/matches",
        json={"completed": ["GR1001"], "declared": [{"skill": "SK-ROB-COBOT", "level": 1.0}], "limit": 200},
    ).json()
    score = {m["opportunity"]: m["score"] for m in bare["matches"]}
    cobot = [m for m in more["matches"] if any(s["skill"].endswith("/SK-ROB-COBOT") for s in m["matched"])]
    assert cobot and all(m["score"] > score[m["opportunity"]] for m in cobot)


# -- errors and access -------------------------------------------------------------------------------------


def test_stored_profiles_need_a_key_even_with_open_reads(server: Server) -> None:
    with httpx.Client(base_url=server.base_url, timeout=60) as anonymous:
        for url in (
            "/v1/students",
            "/v1/students/S2024003",
            "/v1/students/S2024003/path",
            "/v1/students/S2024003/matches",
        ):
            assert_problem(anonymous.get(url), 401)
        r = anonymous.post("/v1/students/matches", json={"completed": ["GR1001"], "limit": 1})
        assert r.status_code == 200 and len(r.json()["matches"]) == 1


def test_bad_profiles_are_400_naming_the_item(http: httpx.Client) -> None:
    body = assert_problem(
        http.post(
            "/v1/students/path", json={"program": "460305", "occupation": "6-31-07-03", "completed": ["GR1001", "NOPE"]}
        ),
        400,
    )
    assert body["detail"] == "completed[1]: no Course with code or IRI 'NOPE'"
    body = assert_problem(http.post("/v1/students/matches", json={"declared": [{"skill": "SK-NOPE"}]}), 400)
    assert body["detail"].startswith("declared[0].skill: no Skill")
    body = assert_problem(
        http.post("/v1/students/matches", json={"declared": [{"skill": "SK-SW-PY", "level": 2}]}), 400
    )
    assert body["errors"][0]["loc"] == ["body", "declared", 0, "level"]
    assert_problem(http.post("/v1/students/matches", json={"completed": [], "extra": 1}), 400)
    assert_problem(http.post("/v1/students/path", json={"program": "999999", "occupation": "6-31-07-03"}), 404)
    assert_problem(http.post("/v1/students/path", json={"program": "460305", "occupation": "0-00"}), 404)
    assert_problem(http.get("/v1/students/S0000000/path"), 404)
    assert_problem(http.get("/v1/students/S2024003/matches", params={"kind": "job"}), 400)


def test_the_student_file_is_a_setting(make_client: AppFactory, tmp_path: Path) -> None:
    path = tmp_path / "students.json"
    path.write_text(
        json.dumps({"students": [{"id": "X1", "program": "460305", "completed": ["GR1001"], "target": "6-31-07-03"}]}),
        encoding="utf-8",
    )
    with make_client(key_settings(api_students_file=path)) as client:
        listed = client.get("/v1/students", headers=auth("reader")).json()["items"]
        assert [s["id"] for s in listed] == ["X1"]
        assert client.get("/v1/students/X1/path", headers=auth("reader")).json()["steps"]
        path.write_text("{not json", encoding="utf-8")
        body = assert_problem(client.get("/v1/students", headers=auth("reader")), 503)
        assert "students.json" in body["detail"]
