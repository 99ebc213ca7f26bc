"""Program → industry alignment: coverage, paths, gaps and partners (the CLI's `ieic-kg align`), and the
course-level paths of the ``alignment_paths`` named query."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from ieic_kg.api.deps import QueriesDep, RateLimit, ReadAccess, StoreDep
from ieic_kg.api.errors import problem_responses
from ieic_kg.api.models import AlignmentOut, CoursePath, CoursePaths

from ieic_kg.alignment import AlignmentEngine
from ieic_kg.report import alignment_json

router = APIRouter(prefix="/v1/alignment", tags=["alignment"], dependencies=[ReadAccess, RateLimit])

ProgramParam = Annotated[
    str, Query(min_length=1, max_length=2048, description="Program code (e.g. 460305) or IRI.", examples=["460305"])
]
IndustryParam = Annotated[
    str,
    Query(min_length=1, max_length=2048, description="GB/T 4754 industry code (e.g. 3491) or IRI.", examples=["3491"]),
]


@router.get(
    "",
    response_model=AlignmentOut,
    summary="How well a program covers an industry's skill demand",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def alignment(
    store: StoreDep,
    queries: QueriesDep,
    program: ProgramParam,
    industry: IndustryParam,
    paths: Annotated[int, Query(ge=0, le=100, description="How many best paths to list.")] = 10,
) -> AlignmentOut:
    """Coverage of the industry's demanded skills by the program's courses (docs/scoring.md), every demanded
    skill with its demand, supply and provenance, the gaps (most demanded first) with who could help close
    them, and the best Course → Skill ← Occupation → Industry paths."""
    report = AlignmentEngine(store, queries).align(program, industry)
    data: dict[str, Any] = alignment_json(report)
    data["gaps"] = [a.demand.skill for a in report.gaps]
    data["paths"] = [
        {
            "score": score,
            "skill": a.demand.skill,
            "skill_zh": a.demand.label_zh,
            "skill_en": a.demand.label_en,
            "course": vars(supply) | {"score": supply.score},
            "occupation": {k: v for k, v in occupation.items() if k != "kind"},
        }
        for score, a, supply, occupation in report.paths(paths)
    ]
    return AlignmentOut.model_validate(data)


@router.get(
    "/paths",
    response_model=CoursePaths,
    summary="Course-to-industry paths (named query alignment_paths)",
    responses=problem_responses(400, 401, 429, 503),
)
def course_paths(
    store: StoreDep,
    queries: QueriesDep,
    program: ProgramParam,
    industry: IndustryParam,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many paths, best first.")] = 50,
) -> CoursePaths:
    """Every path Course → Skill (→ broader/narrower Skill) ← Occupation → Industry, with its edge weights
    and score; an unknown program or industry gives no paths."""
    q = queries.get("alignment_paths")
    rows = store.read(q.text, q.bind({"program": program, "industry": industry, "limit": limit}))
    return CoursePaths(program=program, industry=industry, paths=[CoursePath.model_validate(r) for r in rows])
