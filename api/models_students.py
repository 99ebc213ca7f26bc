"""Models of the student routes: profiles, learning paths and job/internship matches.

The shapes are those of ``ieic-kg student path|match --format json`` (ieic_kg.report), with a readable
``reason`` added to each recommended course.
"""

from __future__ import annotations

from typing import Literal

from ieic_kg.api.models import SupplyOut, _example
from pydantic import BaseModel, ConfigDict, Field, JsonValue


class DeclaredSkill(BaseModel):
    model_config = ConfigDict(extra="forbid")

    skill: str = Field(min_length=1, max_length=2048, description="Skill code (e.g. SK-SW-PY) or IRI.")
    level: float = Field(1.0, ge=0, le=1, description="Self-assessed: 0.4 introduced, 0.7 reinforced, 1.0 mastered.")


class StudentOut(BaseModel):
    model_config = _example(
        {
            "id": "S2024003",
            "program": "460305",
            "name_zh": "黄俊杰",
            "name_en": "Huang Junjie",
            "semester": 3,
            "completed": ["GR1001", "GR2001", "GR2002", "GR2006", "GR2010"],
            "declared": [],
            "target": "6-31-07-03",
        }
    )

    id: str
    program: str
    name_zh: str | None
    name_en: str | None
    semester: int | None
    completed: list[str] = Field(description="Codes of the courses completed.")
    declared: list[DeclaredSkill] = Field(description="Self-declared skills with their levels.")
    target: str | None = Field(description="Target occupation code.")


class StudentList(BaseModel):
    model_config = _example({"items": [StudentOut.model_config["json_schema_extra"]["examples"][0]]})

    items: list[StudentOut]


class ProfileIn(BaseModel):
    """A student profile given in the request instead of a stored student."""

    model_config = ConfigDict(extra="forbid")

    completed: list[str] = Field(
        default_factory=list, max_length=300, description="Codes (or IRIs) of the courses completed."
    )
    declared: list[DeclaredSkill] = Field(default_factory=list, max_length=300, description="Self-declared skills.")


class PathRequest(ProfileIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "program": "460305",
                    "occupation": "6-31-07-03",
                    "completed": ["GR1001", "GR2001", "GR2002"],
                    "declared": [{"skill": "SK-SW-PY", "level": 0.4}],
                    "limit": 5,
                }
            ]
        },
    )

    program: str = Field(min_length=1, max_length=2048, description="Program code (e.g. 460305) or IRI.")
    occupation: str = Field(min_length=1, max_length=2048, description="Target occupation code or IRI.")
    limit: int = Field(20, ge=1, le=100, description="At most this many courses.")


class MatchRequest(ProfileIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "completed": ["GR1001", "GR2001", "GR2002", "GR3001", "GR3003"],
                    "declared": [{"skill": "SK-ROB-COBOT", "level": 0.4}],
                    "kind": "internship",
                    "limit": 5,
                }
            ]
        },
    )

    kind: Literal["all", "posting", "internship"] = Field("all", description="Job postings, internships or both.")
    limit: int = Field(10, ge=1, le=200, description="At most this many opportunities.")


class SkillStateOut(BaseModel):
    skill: str
    code: str | None
    label_zh: str | None
    label_en: str | None
    weight: float = Field(description="Demand weight w(s) of the occupation or the opportunity.")
    supply: float = Field(description="What the profile supplies of it, in [0, 1].")
    supplies: list[SupplyOut]
    evidence: list[dict[str, JsonValue]] = Field(description="The occupation requirements and postings behind w.")


class CourseOut(BaseModel):
    iri: str
    code: str
    label_zh: str | None
    label_en: str | None
    semester: int | None
    in_program: bool = Field(description="False for a prerequisite taught in another program.")
    relation_type: str | None = Field(description="required or elective, in the program.")
    prerequisites: list[str]


class SkillGainOut(BaseModel):
    skill: str
    code: str | None
    label_zh: str | None
    label_en: str | None
    weight: float
    before: float
    after: float


class PathStepOut(BaseModel):
    course: CourseOut
    gain: float = Field(description="Coverage it adds.")
    coverageBefore: float
    coverageAfter: float
    prerequisiteFor: str | None = Field(description="The course this one unlocks, when that is why it is here.")
    reason: str = Field(description="Why, in words (中文 / English).")
    adds: list[SkillGainOut] = Field(description="The demanded skills it improves, largest weighted gain first.")


class LearningPathOut(BaseModel):
    model_config = _example(
        {
            "student": StudentOut.model_config["json_schema_extra"]["examples"][0],
            "occupation": {
                "iri": "https://w3id.org/ieic-kg/id/occupation/CSCO2022:6-31-07-03",
                "code": "6-31-07-03",
                "label_zh": "工业机器人系统操作员",
                "label_en": "Industrial robot system operator",
            },
            "startCoverage": 0.2154,
            "finalCoverage": 0.7913,
            "steps": [
                {
                    "course": {
                        "iri": "https://w3id.org/ieic-kg/id/course/GDIMP:GR3001",
                        "code": "GR3001",
                        "label_zh": "工业机器人现场编程",
                        "label_en": "Industrial Robot On-site Programming",
                        "semester": 3,
                        "in_program": True,
                        "relation_type": "required",
                        "prerequisites": ["GR2006"],
                    },
                    "gain": 0.2462,
                    "coverageBefore": 0.2154,
                    "coverageAfter": 0.4615,
                    "prerequisiteFor": None,
                    "reason": "覆盖率 coverage +24.6% (21.5% → 46.2%): 示教编程 / Robot teach programming 0.00→1.00 …",
                    "adds": [
                        {
                            "skill": "https://w3id.org/ieic-kg/id/skill/SK-ROB-PROG-TEACH",
                            "code": "SK-ROB-PROG-TEACH",
                            "label_zh": "示教编程",
                            "label_en": "Robot teach programming",
                            "weight": 1.0,
                            "before": 0.0,
                            "after": 1.0,
                        }
                    ],
                }
            ],
            "remaining": [],
            "skills": [],
        }
    )

    student: StudentOut
    occupation: dict[str, JsonValue] = Field(description="The target occupation: iri, code, label_zh, label_en.")
    startCoverage: float
    finalCoverage: float
    steps: list[PathStepOut] = Field(description="The courses to take next, in order.")
    remaining: list[SkillStateOut] = Field(description="Demanded skills still not supplied after the path.")
    skills: list[SkillStateOut] = Field(description="Every demanded skill after the path.")


class MatchOut(BaseModel):
    rank: int
    kind: Literal["posting", "internship"]
    opportunity: str
    code: str | None
    label_zh: str | None
    label_en: str | None
    host_zh: str | None
    host_en: str | None
    occupation: str | None
    date: str | None
    score: float = Field(description="Σ w(o, s) · p(s) / Σ w(o, s): weighted skill overlap with the profile.")
    matched: list[SkillStateOut]
    missing: list[SkillStateOut]


class MatchesOut(BaseModel):
    model_config = _example(
        {
            "student": StudentOut.model_config["json_schema_extra"]["examples"][0],
            "matches": [
                {
                    "rank": 1,
                    "kind": "internship",
                    "opportunity": "https://w3id.org/ieic-kg/id/resource/SD-INT-ASSY",
                    "code": "SD-INT-ASSY",
                    "label_zh": "机器人整机装调实习生",
                    "label_en": "Robot assembly and commissioning intern",
                    "host_zh": "广东顺达机器人股份有限公司",
                    "host_en": "Guangdong Shunda Robot Co., Ltd.",
                    "occupation": None,
                    "date": None,
                    "score": 0.6667,
                    "matched": [],
                    "missing": [],
                }
            ],
        }
    )

    student: StudentOut
    matches: list[MatchOut] = Field(description="Best first.")
