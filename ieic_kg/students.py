"""Students: learning paths toward an occupation and matching to job postings and internships.

A student profile (completed courses, self-declared skills with a level in [0, 1], program, target
occupation) is read from a JSON file — students are not stored in the community graph. The skills a
profile supplies are scored exactly as a program's courses are (docs/scoring.md):

- profile strength p(s) = max over completed courses c and their skills s′ of t(c, s′) · m(s′, s), and over
  declared skills s′ of level(s′) · m(s′, s);
- **learning path**: the student's coverage of an occupation's demand is ``coverage_of`` of the profile; each
  next course is the one with the largest marginal coverage gain among those whose prerequisites are
  completed or already on the path (a course locked only by prerequisites is weighed with them, gain per
  course); ties: smaller semester, then course code;
- **matching**: an opportunity o (job posting or internship position) asks for skills with weights w(o, s)
  (required 1.0, preferred 0.5; internships 1.0); score(o) = Σ_s w(o, s) · p(s) / Σ_s w(o, s), the same
  coverage formula; ties: more matched skills, newer date, code.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ieic_kg.alignment import (
    AlignmentEngine,
    Demand,
    SkillAlignment,
    Supply,
    _native,
    coverage_of,
    score_skills,
    supply_from_rows,
)
from ieic_kg.errors import NotFound, SourceError

#: Gains below this are rounding noise, not progress.
EPSILON = 1e-12


@dataclass(frozen=True)
class Student:
    id: str
    program: str
    name_zh: str | None = None
    name_en: str | None = None
    semester: int | None = None
    completed: tuple[str, ...] = ()
    declared: tuple[tuple[str, float], ...] = ()  # (skill code or IRI, level)
    target: str | None = None


def default_students_path() -> Path:
    from ieic_kg.demo import default_demo_dir

    return default_demo_dir() / "sources" / "students.json"


def load_students(path: Path | None = None) -> dict[str, Student]:
    """The student profiles of a JSON file ``{"students": [{id, program, completed, declared, …}]}``."""
    path = path or default_students_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError("student file not found", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"not JSON: {exc.msg}", file=str(path), line=exc.lineno) from None
    out: dict[str, Student] = {}
    for n, s in enumerate(data.get("students", []), start=1):
        try:
            declared = tuple((str(d["skill"]), float(d.get("level", 1.0))) for d in s.get("declared", []))
            student = Student(
                id=str(s["id"]),
                program=str(s["program"]),
                name_zh=s.get("name_zh"),
                name_en=s.get("name_en"),
                semester=s.get("semester"),
                completed=tuple(str(c).strip().upper() for c in s.get("completed", [])),
                declared=declared,
                target=s.get("target"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SourceError(f"student #{n} is malformed ({exc})", file=str(path)) from None
        if any(not 0 <= lv <= 1 for _, lv in declared):
            raise SourceError(f"student {student.id}: a declared level is outside [0, 1]", file=str(path))
        out[student.id] = student
    return out


@dataclass
class CourseInfo:
    iri: str
    code: str
    label_zh: str | None
    label_en: str | None
    semester: int | None
    in_program: bool
    relation_type: str | None
    prerequisites: tuple[str, ...]


@dataclass
class PathStep:
    """One recommended course: the coverage it adds and why."""

    course: CourseInfo
    gain: float
    coverage_before: float
    coverage_after: float
    #: demanded skills it improves: skill, label, demand weight w, supply before → after
    adds: list[dict[str, Any]]
    #: the locked course this one is taken for (its prerequisite), if that is why it is here
    prerequisite_for: str | None = None


@dataclass
class LearningPath:
    student: Student
    occupation: dict[str, Any]
    start_coverage: float
    steps: list[PathStep]
    remaining: list[SkillAlignment]  # demanded skills still at supply 0 after the path
    skills: list[SkillAlignment]  # final state

    @property
    def final_coverage(self) -> float:
        return self.steps[-1].coverage_after if self.steps else self.start_coverage


@dataclass
class OpportunityMatch:
    kind: str  # posting | internship
    iri: str
    code: str | None
    label_zh: str | None
    label_en: str | None
    host_zh: str | None
    host_en: str | None
    occupation: str | None
    date: dt.date | None
    score: float
    skills: list[SkillAlignment] = field(default_factory=list)

    @property
    def matched(self) -> list[SkillAlignment]:
        return sorted(
            (a for a in self.skills if a.supply > 0), key=lambda a: (-a.demand.weight * a.supply, a.demand.skill)
        )

    @property
    def missing(self) -> list[SkillAlignment]:
        return sorted((a for a in self.skills if a.supply == 0), key=lambda a: (-a.demand.weight, a.demand.skill))


def _merge(*supplies: dict[str, list[Supply]]) -> dict[str, list[Supply]]:
    out: dict[str, list[Supply]] = {}
    for s in supplies:
        for k, v in s.items():
            out[k] = out.get(k, []) + v
    return out


class StudentAdvisor:
    """Learning paths and opportunity matching for students, on the alignment engine's queries and scoring."""

    def __init__(self, engine: AlignmentEngine, students: dict[str, Student]) -> None:
        self.engine = engine
        self.students = students

    def student(self, student: str | Student) -> Student:
        if isinstance(student, Student):
            return student
        try:
            return self.students[student]
        except KeyError:
            known = ", ".join(sorted(self.students)[:10])
            raise NotFound(f"no student {student!r}", hint=f"students in the file: {known or 'none'}") from None

    # -- the profile -------------------------------------------------------------------------------------

    def course_supply(self, courses: list[str]) -> dict[str, dict[str, list[Supply]]]:
        """Supply per course code, per matched skill IRI."""
        if not courses:
            return {}
        rows = self.engine._run("student_course_supply", courses=courses)
        by_course: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            by_course.setdefault(r["courseCode"], []).append(r)
        return {c: supply_from_rows(rs) for c, rs in by_course.items()}

    def declared_supply(self, student: Student) -> dict[str, list[Supply]]:
        """Supply of the declared skills (level · 0.5^hops), as if a course named SELF taught them."""
        if not student.declared:
            return {}
        levels = dict(student.declared)
        rows = self.engine._run("student_skill_match", skills=list(levels))
        out: dict[str, list[Supply]] = {}
        for r in rows:
            level = levels.get(r["taughtCode"], levels.get(r["taught"]))
            if level is None:
                continue
            out.setdefault(r["skill"], []).append(
                Supply(
                    "SELF",
                    "自述技能",
                    "self-declared",
                    r["taught_zh"],
                    r["taught_en"],
                    level,
                    None,
                    int(r["hops"]),
                    r["relation"],
                    [f"student:{student.id}"],
                    None,
                )
            )
        return out

    def profile(self, student: str | Student) -> dict[str, list[Supply]]:
        """Every skill the student's completed courses and declared skills supply (IRI → supplies)."""
        st = self.student(student)
        return _merge(*self.course_supply(list(st.completed)).values(), self.declared_supply(st))

    # -- learning path -------------------------------------------------------------------------------

    def courses(self, program: str) -> dict[str, CourseInfo]:
        rows = self.engine._run("student_courses", program=program)
        if not rows:
            self.engine._one("Program", program)  # NotFound when there is no such program
        return {
            r["courseCode"]: CourseInfo(
                r["course"],
                r["courseCode"],
                r["course_zh"],
                r["course_en"],
                r["semester"],
                bool(r["inProgram"]),
                r["relationType"],
                tuple(sorted(r["prerequisites"])),
            )
            for r in rows
        }

    def learning_path(self, student: str | Student, occupation: str | None = None, *, limit: int = 20) -> LearningPath:
        """The next courses toward ``occupation`` (default: the student's target), by marginal coverage gain,
        each taken only once its prerequisites are completed or earlier on the path."""
        st = self.student(student)
        target = occupation or st.target
        if not target:
            raise NotFound(f"student {st.id} has no target occupation", hint="give --occupation CODE")
        occ = self.engine._one("Occupation", target)
        demand, _ = self.engine.occupation_demand(occ["iri"])
        catalog = self.courses(st.program)
        done = set(st.completed)
        candidates = [c for c in catalog if c not in done]
        per_course = self.course_supply(sorted(set(catalog) | done))
        current = _merge(*(per_course.get(c, {}) for c in sorted(done)), self.declared_supply(st))

        def cov(supply: dict[str, list[Supply]]) -> float:
            return coverage_of(score_skills(demand, supply))

        start = cov(current)
        taken: list[str] = []
        steps: list[PathStep] = []

        def missing_prereqs(code: str) -> list[str] | None:
            """Prerequisites still to take before ``code``, prerequisites first; None if one is unobtainable."""
            order: list[str] = []
            seen: set[str] = set()

            def visit(c: str) -> bool:
                for p in catalog[c].prerequisites if c in catalog else ():
                    if p in done or p in taken or p in seen:
                        continue
                    if p not in catalog:
                        return False
                    seen.add(p)
                    if not visit(p):
                        return False
                    order.append(p)
                return True

            return order if visit(code) else None

        while len(steps) < limit:
            base = cov(current)
            best: tuple[tuple[Any, ...], list[str]] | None = None
            for code in candidates:
                if code in taken:
                    continue
                pre = missing_prereqs(code)
                if pre is None:
                    continue
                bundle = [*pre, code]
                trial = _merge(current, *(per_course.get(c, {}) for c in bundle))
                gain = cov(trial) - base
                if gain <= EPSILON:
                    continue
                info = catalog[code]
                key = (-gain / len(bundle), len(bundle), info.semester or 99, code)
                if best is None or key < best[0]:
                    best = (key, bundle)
            if best is None:
                break
            bundle = best[1]
            for c in bundle:
                if len(steps) >= limit:
                    break
                before_skills = score_skills(demand, current)
                before = coverage_of(before_skills)
                current = _merge(current, per_course.get(c, {}))
                after_skills = score_skills(demand, current)
                after = coverage_of(after_skills)
                adds: list[dict[str, Any]] = [
                    {
                        "skill": b.demand.skill,
                        "code": b.demand.code,
                        "label_zh": b.demand.label_zh,
                        "label_en": b.demand.label_en,
                        "weight": b.demand.weight,
                        "before": a.supply,
                        "after": b.supply,
                    }
                    for a, b in zip(before_skills, after_skills, strict=True)
                    if b.supply > a.supply + EPSILON
                ]
                adds.sort(
                    key=lambda x: (-float(x["weight"]) * (float(x["after"]) - float(x["before"])), str(x["skill"]))
                )
                taken.append(c)
                steps.append(
                    PathStep(
                        catalog[c],
                        after - before,
                        before,
                        after,
                        adds,
                        prerequisite_for=bundle[-1] if c != bundle[-1] else None,
                    )
                )
        final = score_skills(demand, current)
        remaining = sorted(
            (a for a in final if a.supply == 0), key=lambda a: (-a.demand.weight, -a.demand.trend, a.demand.skill)
        )
        return LearningPath(st, occ, start, steps, remaining, final)

    # -- matching ----------------------------------------------------------------------------------------

    def match(
        self, student: str | Student, *, limit: int | None = 20, kind: str | None = None
    ) -> list[OpportunityMatch]:
        """Job postings and internship positions ranked by weighted skill overlap with the student's profile."""
        st = self.student(student)
        profile = self.profile(st)
        rows = self.engine._run("student_opportunities")
        opps: dict[str, tuple[dict[str, Any], dict[str, Demand]]] = {}
        for r in rows:
            if kind and r["kind"] != kind:
                continue
            entry = opps.get(r["opportunity"])
            if entry is None:
                entry = opps[r["opportunity"]] = (r, {})
            if r["skill"] is None:
                continue
            demand = entry[1]
            d = demand.get(r["skill"])
            if d is None:
                d = demand[r["skill"]] = Demand(r["skill"], r["skillCode"], r["skill_zh"], r["skill_en"])
            d.taxonomy_weight = max(d.taxonomy_weight, float(r["weight"]))
            d.postings.append(
                {
                    "code": r["code"],
                    "weight": float(r["weight"]),
                    "relationType": r["relationType"],
                    "source": r["source"],
                    "loadRun": r["loadRun"],
                }
            )
        out = []
        for iri, (r, demand) in opps.items():
            skills = score_skills(demand, profile)
            out.append(
                OpportunityMatch(
                    r["kind"],
                    iri,
                    r["code"],
                    r["label_zh"],
                    r["label_en"],
                    r["host_zh"],
                    r["host_en"],
                    r["occupationCode"],
                    _native(r["date"]),
                    coverage_of(skills),
                    skills,
                )
            )
        out.sort(key=_match_key)
        return out[:limit] if limit else out


def _match_key(m: OpportunityMatch) -> tuple[Any, ...]:
    date = m.date.toordinal() if isinstance(m.date, dt.date) else 0
    return (-round(m.score, 12), -len(m.matched), -date, m.code or "", m.iri)
