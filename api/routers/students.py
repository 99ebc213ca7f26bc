"""Students: learning paths toward an occupation and job/internship matching (ieic_kg.students).

A profile comes either from the request body (``POST``: completed courses and declared skills), under the
usual read access, or from the student file (IEIC_API_STUDENTS_FILE, default the demo's synthetic students)
by id. Stored profiles are personal data: their routes need a key of any role even when reads are open.
"""

from __future__ import annotations

import threading
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from ieic_kg.api.deps import KEY_HINT, PrincipalDep, QueriesDep, RateLimit, ReadAccess, StateDep, StoreDep
from ieic_kg.api.errors import BadRequest, Unauthorized, problem_responses
from ieic_kg.api.models_students import (
    LearningPathOut,
    MatchesOut,
    MatchRequest,
    PathRequest,
    ProfileIn,
    StudentList,
    StudentOut,
)
from ieic_kg.api.state import ApiState

from ieic_kg.alignment import AlignmentEngine
from ieic_kg.errors import NotFound, SourceError, StoreUnavailable
from ieic_kg.graph import GraphStore
from ieic_kg.queries import QueryLibrary
from ieic_kg.report import learning_path_json, matches_json
from ieic_kg.students import LearningPath, Student, StudentAdvisor, default_students_path, load_students

router = APIRouter(prefix="/v1/students", tags=["students"], dependencies=[ReadAccess, RateLimit])

StudentId = Annotated[
    str,
    Path(max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$", description="The student's id.", examples=["S2024003"]),
]
KindParam = Annotated[str, Query(pattern=r"^(all|posting|internship)$", description="all, posting or internship.")]

#: For each given code or IRI (by index), the codes of the nodes of a class (Course or Skill) it names.
_LOOKUP = """
UNWIND range(0, size($codes) - 1) AS i
OPTIONAL MATCH (n:CLASS) WHERE n.code = $codes[i] OR n.iri = $codes[i]
RETURN i, collect(n.code) AS found ORDER BY i
"""

_cache_lock = threading.Lock()
_cache: dict[FilePath, tuple[float, dict[str, Student]]] = {}


def _students(state: ApiState) -> dict[str, Student]:
    """The profiles of the student file, read again when it changes; 503 when it cannot be read."""
    path = state.api.api_students_file or default_students_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise StoreUnavailable(
            f"the student file {path} cannot be read", hint="set IEIC_API_STUDENTS_FILE to a readable JSON file"
        ) from None
    with _cache_lock:
        cached = _cache.get(path)
        if cached is None or cached[0] != mtime:
            try:
                cached = _cache[path] = (mtime, load_students(path))
            except SourceError as exc:
                raise StoreUnavailable(
                    f"the student file cannot be read: {exc.message}", hint="fix IEIC_API_STUDENTS_FILE"
                ) from None
        return cached[1]


async def key_required(principal: PrincipalDep) -> None:
    """Stored profiles are personal: a key of any role, whatever IEIC_API_OPEN_READS says."""
    if principal.anonymous:
        raise Unauthorized("student profiles need an API key", hint=KEY_HINT)


KeyRequired = Depends(key_required)


def _student_out(s: Student) -> StudentOut:
    return StudentOut(
        id=s.id,
        program=s.program,
        name_zh=s.name_zh,
        name_en=s.name_en,
        semester=s.semester,
        completed=list(s.completed),
        declared=[{"skill": k, "level": v} for k, v in s.declared],
        target=s.target,
    )


def _stored(state: ApiState, student: str) -> Student:
    students = _students(state)
    if student not in students:
        raise NotFound(f"no student {student!r}", hint="list the students with /v1/students")
    return students[student]


def _codes(store: GraphStore, cls: str, given: list[str], where: str) -> list[str]:
    """The code of the node of ``cls`` each given code or IRI names; a 400 naming the first unknown one."""
    if not given:
        return []
    assert cls in ("Course", "Skill")
    found = store.read(_LOOKUP.replace("CLASS", cls), {"codes": given})
    for row in found:
        if not row["found"]:
            i = row["i"]
            raise BadRequest(
                f"{where.format(i=i)}: no {cls} with code or IRI {given[i][:200]!r}",
                hint=f"find them with /v1/entities/search?type={cls}&q=…",
            )
    return [row["found"][0] for row in found]


def _checked_profile(store: GraphStore, body: ProfileIn, program: str) -> Student:
    """The body's profile as a Student; a 400 naming the first course or skill the graph does not have."""
    completed = [c.strip() if "://" in c else c.strip().upper() for c in body.completed]
    completed = _codes(store, "Course", completed, "completed[{i}]")
    _codes(store, "Skill", [d.skill for d in body.declared], "declared[{i}].skill")
    return Student(
        id="request",
        program=program,
        completed=tuple(dict.fromkeys(completed)),
        declared=tuple((d.skill, d.level) for d in body.declared),
    )


def _reason(step: dict[str, Any]) -> str:
    """One line saying why a course is recommended: the coverage it adds and the skills behind it."""
    parts = []
    if step["prerequisiteFor"]:
        parts.append(f"先修课 prerequisite of {step['prerequisiteFor']}")
    parts.append(
        f"覆盖率 coverage +{step['gain']:.1%} ({step['coverageBefore']:.1%} → {step['coverageAfter']:.1%})"
        if step["gain"] > 0
        else "本身不提升覆盖率 adds no coverage by itself"
    )
    skills = [
        f"{' / '.join(x for x in (a['label_zh'], a['label_en']) if x) or a['skill']} {a['before']:.2f}→{a['after']:.2f}"
        for a in step["adds"][:3]
    ]
    if skills:
        parts.append("; ".join(skills) + (f"; +{len(step['adds']) - 3} more" if len(step["adds"]) > 3 else ""))
    return ": ".join(parts[:2]) + (f" — {parts[2]}" if len(parts) > 2 else "")


def _path_out(path: LearningPath) -> LearningPathOut:
    data = learning_path_json(path)
    data["student"] = _student_out(path.student)
    for step in data["steps"]:
        step["reason"] = _reason(step)
    return LearningPathOut.model_validate(data)


def _learning_path(
    store: GraphStore, queries: QueryLibrary, student: Student, occupation: str | None, limit: int
) -> LearningPathOut:
    advisor = StudentAdvisor(AlignmentEngine(store, queries), {student.id: student})
    return _path_out(advisor.learning_path(student, occupation, limit=limit))


def _matches(store: GraphStore, queries: QueryLibrary, student: Student, kind: str, limit: int) -> MatchesOut:
    advisor = StudentAdvisor(AlignmentEngine(store, queries), {student.id: student})
    found = advisor.match(student, limit=limit, kind=None if kind == "all" else kind)
    data = matches_json(student, found)
    data["student"] = _student_out(student)
    return MatchesOut.model_validate(data)


# -- profiles in the request -------------------------------------------------------------------------------


@router.post(
    "/path",
    response_model=LearningPathOut,
    summary="Learning path for a profile: the next courses toward an occupation",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def path_for_profile(store: StoreDep, queries: QueriesDep, body: PathRequest) -> LearningPathOut:
    """Given completed courses and/or self-declared skills, the next courses of the program toward the
    occupation, each chosen for the largest marginal gain in coverage of the occupation's demand, taken only
    after its prerequisites (a locked course is weighed together with them), each with its reason."""
    student = _checked_profile(store, body, body.program)
    return _learning_path(store, queries, student, body.occupation, body.limit)


@router.post(
    "/matches",
    response_model=MatchesOut,
    summary="Job postings and internships for a profile, by weighted skill overlap",
    responses=problem_responses(400, 401, 429, 503),
)
def matches_for_profile(store: StoreDep, queries: QueriesDep, body: MatchRequest) -> MatchesOut:
    """Postings and internship positions ranked by Σ w(o, s) · p(s) / Σ w(o, s) over the skills each asks
    for, p(s) what the profile supplies, with the matched and the missing skills of each."""
    student = _checked_profile(store, body, "")
    return _matches(store, queries, student, body.kind, body.limit)


# -- stored students ------------------------------------------------------------------------------------------


@router.get(
    "",
    response_model=StudentList,
    summary="The stored student profiles (needs a key)",
    responses=problem_responses(401, 429, 503),
    dependencies=[KeyRequired],
)
def list_students(state: StateDep) -> StudentList:
    """Every profile of the student file (IEIC_API_STUDENTS_FILE; by default the demo's synthetic students)."""
    return StudentList(items=[_student_out(s) for s in _students(state).values()])


@router.get(
    "/{student}",
    response_model=StudentOut,
    summary="One stored student profile (needs a key)",
    responses=problem_responses(400, 401, 404, 429, 503),
    dependencies=[KeyRequired],
)
def get_student(state: StateDep, student: StudentId) -> StudentOut:
    """The profile: program, semester, completed courses, declared skills and target occupation."""
    return _student_out(_stored(state, student))


@router.get(
    "/{student}/path",
    response_model=LearningPathOut,
    summary="Learning path of a stored student (needs a key)",
    responses=problem_responses(400, 401, 404, 429, 503),
    dependencies=[KeyRequired],
)
def student_path(
    state: StateDep,
    store: StoreDep,
    queries: QueriesDep,
    student: StudentId,
    occupation: Annotated[
        str | None,
        Query(min_length=1, max_length=2048, description="Target occupation code or IRI (default: the student's)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many courses.")] = 20,
) -> LearningPathOut:
    """As `POST /v1/students/path`, for the student's program, completed courses and declared skills
    (`ieic-kg student path`)."""
    return _learning_path(store, queries, _stored(state, student), occupation, limit)


@router.get(
    "/{student}/matches",
    response_model=MatchesOut,
    summary="Job postings and internships for a stored student (needs a key)",
    responses=problem_responses(400, 401, 404, 429, 503),
    dependencies=[KeyRequired],
)
def student_matches(
    state: StateDep,
    store: StoreDep,
    queries: QueriesDep,
    student: StudentId,
    kind: KindParam = "all",
    limit: Annotated[int, Query(ge=1, le=200, description="At most this many opportunities.")] = 10,
) -> MatchesOut:
    """As `POST /v1/students/matches`, for the student's profile (`ieic-kg student match`)."""
    return _matches(store, queries, _stored(state, student), kind, limit)
