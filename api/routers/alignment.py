"""Program → industry or occupation alignment: coverage, paths, gaps and partners (the CLI's `ieic-kg align`),
the course-level paths of the ``alignment_paths`` named query, standard coverage, demand trends, partner
enterprises, the course × skill matrix and the program × occupation coverage matrix."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from ieic_kg.api.deps import QueriesDep, RateLimit, ReadAccess, StoreDep
from ieic_kg.api.errors import BadRequest, problem_responses
from ieic_kg.api.models import AlignmentOut, CoursePath, CoursePaths, EntityRef
from ieic_kg.api.models_alignment import (
    CourseSkillMatrixOut,
    CoverageCellOut,
    CoverageMatrixOut,
    CoveredSkillOut,
    DemandTrendOut,
    MatrixCellOut,
    MatrixCourseOut,
    MatrixSkillOut,
    PartnerEnterpriseOut,
    PartnerResourceOut,
    PartnersOut,
    SkillTrendOut,
    StandardCoverageOut,
    StandardLevelOut,
    StandardSkillOut,
)

from ieic_kg.alignment import HOP_DECAY, AlignmentEngine, AlignmentReport, Supply
from ieic_kg.report import alignment_json, coverage_matrix_json

router = APIRouter(prefix="/v1/alignment", tags=["alignment"], dependencies=[ReadAccess, RateLimit])

ProgramParam = Annotated[
    str, Query(min_length=1, max_length=2048, description="Program code (e.g. 460305) or IRI.", examples=["460305"])
]
IndustryParam = Annotated[
    str,
    Query(min_length=1, max_length=2048, description="GB/T 4754 industry code (e.g. 3491) or IRI.", examples=["3491"]),
]


OccupationParam = Annotated[
    str,
    Query(
        min_length=1, max_length=2048, description="Occupation code (e.g. 6-31-07-03) or IRI.", examples=["6-31-07-03"]
    ),
]
OptionalIndustry = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=2048,
        description="GB/T 4754 industry code (e.g. 3491) or IRI; give this or `occupation`.",
        examples=["3491"],
    ),
]
OptionalOccupation = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=2048,
        description="Occupation code (e.g. 6-31-07-03) or IRI; give this or `industry`.",
        examples=["6-31-07-03"],
    ),
]


def target_report(
    engine: AlignmentEngine, program: str, industry: str | None, occupation: str | None
) -> AlignmentReport:
    """The engine's report for the one target given; a 400 naming both parameters otherwise."""
    if (industry is None) == (occupation is None):
        raise BadRequest(
            "give exactly one of the parameters industry and occupation",
            hint="industry=3491 (a GB/T 4754 code) or occupation=6-31-07-03 (a CSCO 2022 code), or an IRI",
        )
    if industry is not None:
        return engine.align(program, industry)
    return engine.align_occupation(program, occupation or "")


@router.get(
    "",
    response_model=AlignmentOut,
    summary="How well a program covers an industry's or an occupation's skill demand",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def alignment(
    store: StoreDep,
    queries: QueriesDep,
    program: ProgramParam,
    industry: OptionalIndustry = None,
    occupation: OptionalOccupation = None,
    paths: Annotated[int, Query(ge=0, le=100, description="How many best paths to list.")] = 10,
) -> AlignmentOut:
    """Coverage of the target's demanded skills by the program's courses (docs/scoring.md), every demanded
    skill with its demand, supply and provenance, the gaps (most demanded first, then rising trend) with who
    could help close them, and the best Course → Skill ← Occupation (→ Industry) paths. The target is an
    industry (its occupations and its enterprises' postings) or one occupation (its requirements and the
    postings for it): exactly one of `industry` and `occupation`."""
    report = target_report(AlignmentEngine(store, queries), program, industry, occupation)
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


# -- standard coverage ------------------------------------------------------------------------------------


@router.get(
    "/standard",
    response_model=StandardCoverageOut,
    summary="Which skills of an occupational skill standard or certificate a program covers, level by level",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def standard_coverage(
    store: StoreDep,
    queries: QueriesDep,
    program: ProgramParam,
    standard: Annotated[
        str,
        Query(
            min_length=1,
            max_length=2048,
            description="Standard or certificate code (e.g. 1X-IROM, NOSS-6-30-99-00-2020) or IRI.",
            examples=["1X-IROM"],
        ),
    ],
) -> StandardCoverageOut:
    """For each level of the standard, each skill it specifies, whether the program's courses teach it (the
    skill or an exact match of it), how many courses do and the highest teaching strength (named query
    `standard_coverage`)."""
    engine = AlignmentEngine(store, queries)
    prog, std = engine._one("Program", program), engine._one("Standard", standard)
    q = queries.get("standard_coverage")
    rows = store.read(q.text, q.bind({"program": prog["iri"], "standard": std["iri"]}))
    levels: dict[Any, StandardLevelOut] = {}
    for r in rows:
        level = levels.get(r["level"])
        if level is None:
            level = levels[r["level"]] = StandardLevelOut(
                level=r["level"],
                levelName_zh=r["levelName_zh"],
                levelName_en=r["levelName_en"],
                covered=0,
                total=0,
                skills=[],
            )
        level.skills.append(StandardSkillOut.model_validate(r))
        level.total += 1
        level.covered += 1 if r["covered"] else 0
    covered, total = sum(lv.covered for lv in levels.values()), sum(lv.total for lv in levels.values())
    return StandardCoverageOut(
        program=EntityRef.model_validate(prog),
        standard=EntityRef.model_validate(std),
        covered=covered,
        total=total,
        coverage=round(covered / total, 4) if total else 0.0,
        levels=list(levels.values()),
    )


# -- demand trends ------------------------------------------------------------------------------------------


@router.get(
    "/trends",
    response_model=DemandTrendOut,
    summary="An industry's skill demand per time window: rising and falling skills",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def demand_trends(
    store: StoreDep,
    queries: QueriesDep,
    industry: IndustryParam,
    window: Annotated[
        str,
        Query(
            pattern=r"^(year|quarter|month|[1-9]|1[0-2])$",
            description="year, quarter, month, or a number of months from 1 to 12 (windows from January).",
        ),
    ] = "year",
) -> DemandTrendOut:
    """How many dated job postings of the industry's enterprises (and of its sub-industries) ask for each
    skill per window (named query `demand_trend`). A skill is rising when the latest window with postings
    has more of them than the window before, falling when fewer."""
    ind = AlignmentEngine(store, queries)._one("Industry", industry)
    q = queries.get("demand_trend")
    rows = store.read(q.text, q.bind({"industry": ind["iri"], "window": window}))
    periods = sorted({r["period"] for r in rows})
    latest = periods[-1] if periods else None
    previous = periods[-2] if len(periods) > 1 else None
    by_skill: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = by_skill.setdefault(r["skill"], {"row": r, "counts": {}})
        entry["counts"][r["period"]] = int(r["postings"])
    skills = []
    for iri, entry in by_skill.items():
        counts = entry["counts"]
        now, before = counts.get(latest, 0), counts.get(previous, 0) if previous else 0
        change = now - before if previous else 0
        skills.append(
            SkillTrendOut(
                skill=iri,
                skill_zh=entry["row"]["skill_zh"],
                skill_en=entry["row"]["skill_en"],
                counts=[counts.get(p, 0) for p in periods],
                total=sum(counts.values()),
                latest=now,
                previous=before,
                change=change,
                trend="rising" if change > 0 else "falling" if change < 0 else "steady",
            )
        )
    skills.sort(key=lambda s: (-s.change, -s.total, s.skill))
    return DemandTrendOut(
        industry=EntityRef.model_validate(ind),
        window=window,
        periods=periods,
        latest=latest,
        previous=previous,
        skills=skills,
        rising=[s.skill for s in skills if s.trend == "rising"],
        falling=[s.skill for s in sorted(skills, key=lambda s: (s.change, s.skill)) if s.trend == "falling"],
    )


# -- partner enterprises ------------------------------------------------------------------------------------

_HOSTED = """
UNWIND $enterprises AS iri
MATCH (e:Enterprise {iri: iri})-[:HOSTS]->(res:EducationalResource)
OPTIONAL MATCH (res)-[:COVERS_SKILL]->(s:Skill)
RETURN e.iri AS enterprise, res.iri AS resource,
       CASE WHEN res:InternshipPosition THEN 'internship' ELSE 'training-base' END AS kind,
       res.label_zh AS label_zh, res.label_en AS label_en,
       s.iri AS skill, s.label_zh AS skill_zh, s.label_en AS skill_en
ORDER BY enterprise, resource, skill
"""


@router.get(
    "/partners",
    response_model=PartnersOut,
    summary="Partner enterprises for a program: demand overlap, and who can train its gap skills",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def partner_enterprises(
    store: StoreDep, queries: QueriesDep, program: ProgramParam, industry: IndustryParam
) -> PartnersOut:
    """The industry's enterprises ranked by the overlap between the skills their postings ask for and what
    the program teaches (named query `partner_enterprises`), each with the training bases and internship
    positions it hosts and the skills they cover, marked with the industry's demand weight, the program's
    supply and whether the skill is a gap of the alignment report."""
    engine = AlignmentEngine(store, queries)
    report = engine.align(program, industry)
    q = queries.get("partner_enterprises")
    rows = store.read(q.text, q.bind({"program": report.program["iri"], "industry": report.industry["iri"]}))
    by_skill = {a.demand.skill: a for a in report.skills}
    supply = engine.program_supply(report.program["iri"])
    hosts: dict[str, dict[str, PartnerResourceOut]] = {}
    for h in store.read(_HOSTED, {"enterprises": [r["enterprise"] for r in rows]}):
        res = hosts.setdefault(h["enterprise"], {}).get(h["resource"])
        if res is None:
            res = hosts[h["enterprise"]][h["resource"]] = PartnerResourceOut(
                resource=h["resource"], kind=h["kind"], label_zh=h["label_zh"], label_en=h["label_en"], skills=[]
            )
        if h["skill"] is not None:
            a = by_skill.get(h["skill"])
            weight = a.demand.weight if a else 0.0
            have = a.supply if a else max((s.score for s in supply.get(h["skill"], [])), default=0.0)
            res.skills.append(
                CoveredSkillOut(
                    skill=h["skill"],
                    skill_zh=h["skill_zh"],
                    skill_en=h["skill_en"],
                    demandWeight=weight,
                    supply=have,
                    gap=weight > 0 and have == 0,
                )
            )
    for resources in hosts.values():
        for res in resources.values():
            res.skills.sort(key=lambda s: (not s.gap, -s.demandWeight, s.skill))
    return PartnersOut(
        program=EntityRef.model_validate(report.program),
        industry=EntityRef.model_validate(report.industry),
        gaps=[a.demand.skill for a in report.gaps],
        enterprises=[
            PartnerEnterpriseOut(
                **r,
                overlapShare=round(r["overlap"] / r["demanded"], 4) if r["demanded"] else 0.0,
                hosts=sorted(
                    hosts.get(r["enterprise"], {}).values(), key=lambda h: (-sum(s.gap for s in h.skills), h.resource)
                ),
            )
            for r in rows
        ],
    )


# -- the course × skill matrix ------------------------------------------------------------------------------


@router.get(
    "/matrix",
    response_model=CourseSkillMatrixOut,
    summary="Courses × demanded skills of a program for a target: teaching strength × demand, for a heatmap",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def course_skill_matrix(
    store: StoreDep,
    queries: QueriesDep,
    program: ProgramParam,
    industry: OptionalIndustry = None,
    occupation: OptionalOccupation = None,
    skills: Annotated[int, Query(ge=1, le=2000, description="At most this many columns, most demanded first.")] = 200,
) -> CourseSkillMatrixOut:
    """Rows are the program's courses, columns the skills the target (exactly one of `industry` and
    `occupation`) demands. Each cell is the course's best path to the skill: teaching strength t of the
    taught skill × match m (0.5 per broader/narrower hop) × demand weight w — the terms of the alignment
    report's coverage, which the response repeats. `values` is the dense matrix, `cells` the non-zero cells
    with the taught skill behind each."""
    engine = AlignmentEngine(store, queries)
    report = target_report(engine, program, industry, occupation)
    q = queries.get("student_courses")
    catalog = [r for r in store.read(q.text, q.bind({"program": report.program["iri"]})) if r["inProgram"]]
    catalog.sort(key=lambda r: (r["semester"] if r["semester"] is not None else 99, r["courseCode"]))
    row_of = {r["courseCode"]: n for n, r in enumerate(catalog)}
    ordered = sorted(report.skills, key=lambda a: (-a.demand.weight, a.demand.skill))
    columns = ordered[:skills]
    values = [[0.0] * len(columns) for _ in catalog]
    best: dict[tuple[int, int], Supply] = {}
    for j, a in enumerate(columns):
        for s in a.supplies:
            i = row_of.get(s.course_code)
            if i is not None and ((i, j) not in best or s.score > best[(i, j)].score):
                best[(i, j)] = s
    cells = []
    for (i, j), s in sorted(best.items()):
        weighted = s.score * columns[j].demand.weight
        values[i][j] = weighted
        cells.append(
            MatrixCellOut(
                course=i,
                skill=j,
                strength=s.strength,
                match=HOP_DECAY**s.hops,
                score=s.score,
                weighted=weighted,
                level=s.level,
                taught_zh=s.taught_zh,
                taught_en=s.taught_en,
                hops=s.hops,
                relation=s.relation,
            )
        )
    per_row = [sum(1 for v in row if v > 0) for row in values]
    return CourseSkillMatrixOut(
        program=EntityRef.model_validate(report.program),
        kind="industry" if report.kind == "industry" else "occupation",
        target=EntityRef.model_validate(report.target),
        coverage=round(report.coverage, 4),
        courses=[
            MatrixCourseOut(
                iri=r["course"],
                code=r["courseCode"],
                label_zh=r["course_zh"],
                label_en=r["course_en"],
                semester=r["semester"],
                skills=per_row[n],
            )
            for n, r in enumerate(catalog)
        ],
        skills=[
            MatrixSkillOut(
                iri=a.demand.skill,
                code=a.demand.code,
                label_zh=a.demand.label_zh,
                label_en=a.demand.label_en,
                demandWeight=a.demand.weight,
                supply=a.supply,
                gap=a.supply == 0,
            )
            for a in columns
        ],
        values=values,
        cells=cells,
        truncated=len(ordered) > len(columns),
    )


# -- program × occupation coverage --------------------------------------------------------------------------


@router.get(
    "/coverage",
    response_model=CoverageMatrixOut,
    summary="Coverage of occupations by programs (the matrix of `ieic-kg coverage`)",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def coverage_matrix(
    store: StoreDep,
    queries: QueriesDep,
    program: Annotated[
        list[str] | None, Query(max_length=50, description="Program codes or IRIs (repeat; default: every program).")
    ] = None,
    occupation: Annotated[
        list[str] | None,
        Query(max_length=200, description="Occupation codes or IRIs (repeat; default: every occupation with demand)."),
    ] = None,
) -> CoverageMatrixOut:
    """How well each program covers each occupation's skill demand, computed as the occupation alignment
    report does; per program, the best covered occupation first."""
    for name, values in (("program", program), ("occupation", occupation)):
        for n, v in enumerate(values or []):
            if not v or len(v) > 2048:
                raise BadRequest(f"{name}[{n}]: give a code or an IRI of at most 2048 characters")
    cells = AlignmentEngine(store, queries).coverage_matrix(program or None, occupation or None)
    return CoverageMatrixOut(cells=[CoverageCellOut.model_validate(c) for c in coverage_matrix_json(cells)])
