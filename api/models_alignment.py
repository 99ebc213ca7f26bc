"""Models of the alignment routes beyond the program → industry report: standard coverage, demand trends,
partner enterprises, the course × skill matrix and the program × occupation coverage matrix.

Field names follow the named queries they come from (``skill_zh``, ``courses``…); each top-level model has
an example from the demo graph (``ieic-kg demo``).
"""

from __future__ import annotations

from typing import Literal

from ieic_kg.api.models import EntityRef, _example
from pydantic import BaseModel, Field

_PROGRAM = {
    "iri": "https://w3id.org/ieic-kg/id/program/GDIMP:460305",
    "code": "460305",
    "label_zh": "工业机器人技术",
    "label_en": "Industrial Robotics Technology",
}
_INDUSTRY = {
    "iri": "https://w3id.org/ieic-kg/id/industry/GB4754:3491",
    "code": "3491",
    "label_zh": "工业机器人制造",
    "label_en": "Industrial robot manufacturing",
}
_OCCUPATION = {
    "iri": "https://w3id.org/ieic-kg/id/occupation/CSCO2022:6-31-07-03",
    "code": "6-31-07-03",
    "label_zh": "工业机器人系统操作员",
    "label_en": "Industrial robot system operator",
}
_SAFE = {
    "skill": "https://w3id.org/ieic-kg/id/skill/SK-QS-SAFE",
    "skill_zh": "安全生产",
    "skill_en": "Manufacturing safety",
}


# -- standard coverage ------------------------------------------------------------------------------------


class StandardSkillOut(BaseModel):
    skill: str
    skill_zh: str | None
    skill_en: str | None
    covered: bool = Field(description="Some course of the program teaches it (or an exact match of it).")
    courses: int = Field(description="How many courses of the program teach it.")
    strength: float = Field(description="The highest teaching strength among them (0.0 when none does).")


class StandardLevelOut(BaseModel):
    level: int | None = Field(description="The level of the standard (1 junior … 5 senior technician).")
    levelName_zh: str | None
    levelName_en: str | None
    covered: int = Field(description="Skills of this level the program teaches.")
    total: int = Field(description="Skills this level specifies.")
    skills: list[StandardSkillOut]


class StandardCoverageOut(BaseModel):
    model_config = _example(
        {
            "program": _PROGRAM,
            "standard": {
                "iri": "https://w3id.org/ieic-kg/id/standard/1X-IROM",
                "code": "1X-IROM",
                "label_zh": "工业机器人操作与运维职业技能等级证书",
                "label_en": "1+X Vocational Skill Level Certificate in Industrial Robot Operation and Maintenance",
            },
            "covered": 13,
            "total": 14,
            "coverage": 0.9286,
            "levels": [
                {
                    "level": 1,
                    "levelName_zh": "初级",
                    "levelName_en": "Junior",
                    "covered": 4,
                    "total": 4,
                    "skills": [{**_SAFE, "covered": True, "courses": 4, "strength": 1.0}],
                }
            ],
        }
    )

    program: EntityRef
    standard: EntityRef
    covered: int = Field(description="(level, skill) pairs of the standard the program teaches.")
    total: int = Field(description="(level, skill) pairs the standard specifies.")
    coverage: float = Field(description="covered / total (0 when the standard specifies no skill).")
    levels: list[StandardLevelOut] = Field(description="Each level with its skills (named query standard_coverage).")


# -- demand trends -----------------------------------------------------------------------------------------


class SkillTrendOut(BaseModel):
    skill: str
    skill_zh: str | None
    skill_en: str | None
    counts: list[int] = Field(description="Postings asking for the skill in each period of `periods`.")
    total: int
    latest: int = Field(description="Postings in the latest period.")
    previous: int = Field(description="Postings in the period before it.")
    change: int = Field(description="latest − previous.")
    trend: Literal["rising", "falling", "steady"]


class DemandTrendOut(BaseModel):
    model_config = _example(
        {
            "industry": _INDUSTRY,
            "window": "year",
            "periods": ["2024", "2025", "2026"],
            "latest": "2026",
            "previous": "2025",
            "skills": [
                {
                    "skill": "https://w3id.org/ieic-kg/id/skill/SK-ROB-COBOT",
                    "skill_zh": "协作机器人应用",
                    "skill_en": "Collaborative robot application",
                    "counts": [0, 1, 4],
                    "total": 5,
                    "latest": 4,
                    "previous": 1,
                    "change": 3,
                    "trend": "rising",
                }
            ],
            "rising": ["https://w3id.org/ieic-kg/id/skill/SK-ROB-COBOT"],
            "falling": ["https://w3id.org/ieic-kg/id/skill/SK-ELEC-PLC"],
        }
    )

    industry: EntityRef
    window: str = Field(description="year, quarter, month, or a number of months (1–12).")
    periods: list[str] = Field(description="Every period with a dated posting, oldest first.")
    latest: str | None
    previous: str | None
    skills: list[SkillTrendOut] = Field(description="Largest rise first, then largest total.")
    rising: list[str] = Field(description="Skills asked for more in the latest period than in the one before.")
    falling: list[str] = Field(description="Skills asked for less in the latest period than in the one before.")


# -- partner enterprises -------------------------------------------------------------------------------------


class CoveredSkillOut(BaseModel):
    skill: str
    skill_zh: str | None
    skill_en: str | None
    demandWeight: float = Field(description="The industry's demand weight w(s) (0: not demanded).")
    supply: float = Field(description="What the program's courses supply of it (docs/scoring.md).")
    gap: bool = Field(description="Demanded and supplied by no course: a gap of the alignment report.")


class PartnerResourceOut(BaseModel):
    resource: str
    kind: Literal["training-base", "internship"]
    label_zh: str | None
    label_en: str | None
    skills: list[CoveredSkillOut] = Field(description="The skills it covers, gaps first.")


class PartnerEnterpriseOut(BaseModel):
    enterprise: str
    enterprise_zh: str | None
    enterprise_en: str | None
    postings: int = Field(description="Its job postings.")
    demanded: int = Field(description="Skills its postings ask for.")
    overlap: int = Field(description="Of those, skills the program teaches (directly or by an exact match).")
    overlapShare: float = Field(description="overlap / demanded (0 when it asks for none).")
    resources: int = Field(description="Training bases and internships it hosts that cover gap skills.")
    gapSkills: int = Field(description="Gap skills they cover (gap: demanded, not taught directly or exactly).")
    hosts: list[PartnerResourceOut] = Field(description="Every training base and internship it hosts.")


class PartnersOut(BaseModel):
    model_config = _example(
        {
            "program": _PROGRAM,
            "industry": _INDUSTRY,
            "gaps": ["https://w3id.org/ieic-kg/id/skill/SK-ROB-COBOT"],
            "enterprises": [
                {
                    "enterprise": "https://w3id.org/ieic-kg/id/actor/91440605MA10CQ4P5P",
                    "enterprise_zh": "广东云协智能机器人有限公司",
                    "enterprise_en": "Guangdong Yunxie Intelligent Robot Co., Ltd.",
                    "postings": 8,
                    "demanded": 15,
                    "overlap": 10,
                    "overlapShare": 0.6667,
                    "resources": 2,
                    "gapSkills": 3,
                    "hosts": [
                        {
                            "resource": "https://w3id.org/ieic-kg/id/resource/YX-COBOT-LAB",
                            "kind": "training-base",
                            "label_zh": "协作机器人应用实训基地",
                            "label_en": "Collaborative robot training base",
                            "skills": [
                                {
                                    "skill": "https://w3id.org/ieic-kg/id/skill/SK-ROB-COBOT",
                                    "skill_zh": "协作机器人应用",
                                    "skill_en": "Collaborative robot application",
                                    "demandWeight": 1.0,
                                    "supply": 0.0,
                                    "gap": True,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )

    program: EntityRef
    industry: EntityRef
    gaps: list[str] = Field(description="The gaps of the alignment report (GET /v1/alignment), most demanded first.")
    enterprises: list[PartnerEnterpriseOut] = Field(
        description="By overlap, then gap skills covered, then postings (named query partner_enterprises)."
    )


# -- course × skill matrix -------------------------------------------------------------------------------------


class MatrixCourseOut(BaseModel):
    iri: str
    code: str
    label_zh: str | None
    label_en: str | None
    semester: int | None
    skills: int = Field(description="Demanded skills this course supplies (cells in its row).")


class MatrixSkillOut(BaseModel):
    iri: str
    code: str | None
    label_zh: str | None
    label_en: str | None
    demandWeight: float = Field(description="w(s) for the target (docs/scoring.md).")
    supply: float = Field(description="The best cell of the column: what the program supplies of the skill.")
    gap: bool = Field(description="No course supplies it.")


class MatrixCellOut(BaseModel):
    course: int = Field(description="Row: index into `courses`.")
    skill: int = Field(description="Column: index into `skills`.")
    strength: float = Field(description="Teaching strength t(c, s′) of the taught skill.")
    match: float = Field(description="m(s′, s) = 0.5^hops.")
    score: float = Field(description="t · m: how well the course supplies the demanded skill.")
    weighted: float = Field(description="t · m · w(s): the value of `values` for this cell.")
    level: str | None = Field(description="Declared level: I, R or M.")
    taught_zh: str | None
    taught_en: str | None
    hops: int
    relation: str = Field(description="same, broader or narrower.")


class CourseSkillMatrixOut(BaseModel):
    model_config = _example(
        {
            "program": _PROGRAM,
            "kind": "occupation",
            "target": _OCCUPATION,
            "coverage": 0.7102,
            "courses": [
                {
                    "iri": "https://w3id.org/ieic-kg/id/course/GDIMP:GR3001",
                    "code": "GR3001",
                    "label_zh": "工业机器人现场编程",
                    "label_en": "Industrial Robot On-site Programming",
                    "semester": 3,
                    "skills": 4,
                }
            ],
            "skills": [
                {
                    "iri": "https://w3id.org/ieic-kg/id/skill/SK-ROB-OPS",
                    "code": "SK-ROB-OPS",
                    "label_zh": "工业机器人操作",
                    "label_en": "Industrial robot operation",
                    "demandWeight": 1.0,
                    "supply": 1.0,
                    "gap": False,
                }
            ],
            "values": [[1.0]],
            "cells": [
                {
                    "course": 0,
                    "skill": 0,
                    "strength": 1.0,
                    "match": 1.0,
                    "score": 1.0,
                    "weighted": 1.0,
                    "level": "M",
                    "taught_zh": "工业机器人操作",
                    "taught_en": "Industrial robot operation",
                    "hops": 0,
                    "relation": "same",
                }
            ],
            "truncated": False,
        }
    )

    program: EntityRef
    kind: Literal["industry", "occupation"]
    target: EntityRef
    coverage: float = Field(description="The alignment report's coverage for the same program and target.")
    courses: list[MatrixCourseOut] = Field(description="Rows: every course of the program, by semester and code.")
    skills: list[MatrixSkillOut] = Field(description="Columns: demanded skills, most demanded first.")
    values: list[list[float]] = Field(
        description="values[row][column] = t · m · w, 0 where the course supplies nothing of the skill: a heatmap."
    )
    cells: list[MatrixCellOut] = Field(description="The non-zero cells with the best path behind each.")
    truncated: bool = Field(description="True when only the `skills` most demanded skills are columns.")


# -- program × occupation coverage ----------------------------------------------------------------------------------


class CoverageCellOut(BaseModel):
    program: str | None
    program_iri: str
    occupation: str | None
    occupation_iri: str
    occupation_zh: str | None
    occupation_en: str | None
    coverage: float
    demanded: int = Field(description="Skills the occupation demands.")
    missing: int = Field(description="Of those, skills no course of the program supplies.")


class CoverageMatrixOut(BaseModel):
    model_config = _example(
        {
            "cells": [
                {
                    "program": "460305",
                    "program_iri": _PROGRAM["iri"],
                    "occupation": "6-31-07-03",
                    "occupation_iri": _OCCUPATION["iri"],
                    "occupation_zh": _OCCUPATION["label_zh"],
                    "occupation_en": _OCCUPATION["label_en"],
                    "coverage": 0.7102,
                    "demanded": 12,
                    "missing": 2,
                }
            ]
        }
    )

    cells: list[CoverageCellOut] = Field(description="Per program, best covered occupation first (ieic-kg coverage).")
