"""The demo's raw source files read straight, without the project's loaders or mappings.

Tests compare the graph's figures with computations on this reading (tests/test_demo.py,
tests/test_alignment_engine.py, tests/test_students.py), so a wrong mapping, query or score cannot hide
behind a hard-coded expectation.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from conftest import REPO
from openpyxl import load_workbook

SOURCES = REPO / "demo" / "sources"
STRENGTH = {"I": 0.4, "R": 0.7, "M": 1.0}
RELATION_WEIGHT = {"essential": 1.0, "optional": 0.5}
ISO_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-\d{2}")


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Raw:
    broader: dict[str, str]
    labels: dict[str, str]  # normalised label -> skill code
    matrix: list[tuple[str, str, float]]  # course, skill, teaching strength
    program_courses: dict[str, set[str]]
    demand: list[tuple[str, str, float]]  # occupation, skill, weight
    postings: list[dict[str, Any]]  # valid postings: code, enterprise, occupation, skills {code: weight}, date
    internships: list[dict[str, Any]]  # code, skills {code: 1.0}
    prerequisites: dict[str, set[str]]
    occupation_industry: dict[str, str]
    enterprise_industry: dict[str, str]


@cache
def raw() -> Raw:
    wb = load_workbook(SOURCES / "curriculum_design.xlsx", read_only=True)
    skills = list(wb["技能 Skills"].iter_rows(min_row=2, values_only=True))
    broader = {r[0]: r[5] for r in skills if r[5]}
    labels: dict[str, str] = {}
    for code, zh, en, alt_zh, alt_en, *_ in skills:
        for label in [zh, en, *(alt_zh or "").split(";"), *(alt_en or "").split(";")]:
            if label and label.strip():
                labels[norm(label)] = code
    matrix = [
        (c.strip().upper(), s, STRENGTH[lv.strip().upper()])
        for c, s, lv in wb["课程技能矩阵 Course-Skill Matrix"].iter_rows(min_row=2, values_only=True)
    ]
    program_courses: dict[str, set[str]] = defaultdict(set)
    prerequisites: dict[str, set[str]] = defaultdict(set)
    with sqlite3.connect(SOURCES / "academic_affairs.sqlite") as db:
        for p, c in db.execute("SELECT program_code, course_code FROM program_courses"):
            program_courses[p].add(c.strip().upper())
        for c, pre in db.execute("SELECT course_code, prerequisite_code FROM prerequisites"):
            prerequisites[c.strip().upper()].add(pre.strip().upper())
    with (SOURCES / "occupation_skill_demand.csv").open(encoding="gb18030") as fh:
        demand = [(r["csco_code"], r["skill_code"], RELATION_WEIGHT[r["relation"]]) for r in csv.DictReader(fh)]
    postings = []
    for line in (SOURCES / "job_postings.jsonl").read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        if not ISO_DATE.fullmatch(p["date_posted"]):
            continue  # the loader rejects it
        tags: dict[str, float] = {}
        for tag_list, w in ((p["preferred_skills"], 0.5), (p["required_skills"], 1.0)):
            for tag in tag_list:
                if norm(tag) in labels:
                    tags[labels[norm(tag)]] = w  # required wins over preferred, as one relationship
        postings.append(
            {
                "code": p["posting_id"],
                "enterprise": p["enterprise_code"],
                "occupation": p["csco_code"],
                "skills": tags,
                "date": p["date_posted"],
            }
        )
    internships = []
    ws = load_workbook(SOURCES / "community.xlsx", read_only=True)["实习岗位 Internships"]
    for row in ws.iter_rows(min_row=2, values_only=True):
        codes = [s.strip() for s in str(row[5] or "").split(";") if s.strip()]
        internships.append({"code": row[0], "skills": dict.fromkeys(codes, 1.0)})
    with (SOURCES / "occupations.csv").open(encoding="utf-8") as fh:
        occupation_industry = {r["csco_code"]: r["industry_code"] for r in csv.DictReader(fh)}
    with (SOURCES / "enterprises.csv").open(encoding="utf-8") as fh:
        enterprise_industry = {r["enterprise_code"]: r["industry_code"] for r in csv.DictReader(fh)}
    return Raw(
        broader,
        labels,
        matrix,
        dict(program_courses),
        demand,
        postings,
        internships,
        dict(prerequisites),
        occupation_industry,
        enterprise_industry,
    )


def match(taught: str, demanded: str) -> float:
    """m(a, b): 1 for the same skill, 0.5 per broader hop (at most 2) in either direction, else 0."""
    if taught == demanded:
        return 1.0
    broader = raw().broader
    for a, b in ((taught, demanded), (demanded, taught)):
        node, hops = a, 0
        while node in broader and hops < 2:
            node, hops = broader[node], hops + 1
            if node == b:
                return 0.5**hops
    return 0.0
