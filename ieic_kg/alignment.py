"""The alignment engine: how well a program's courses cover the skills an industry demands, and why.

Scoring (docs/scoring.md has the worked example):

- demand weight w(s) of skill s for the target, in [0, 1]: the larger of
  the taxonomy demand (max over the target's occupations o of w(o, s): essential 1.0, optional 0.5) and
  the posting demand (the weighted share of the target's job postings that ask for s: required 1, preferred 0.5);
- teaching strength t(c, s′) in [0, 1] of course c for skill s′ (declared level: I 0.4, R 0.7, M 1.0);
- skill match m(s′, s) = 0.5^hops over broader/narrower links (at most 2), 1 for the same skill or an
  exact match across taxonomies;
- supply of s: the best path, max over courses c and skills s′ of t(c, s′) · m(s′, s);
- coverage = Σ_s w(s) · supply(s) / Σ_s w(s);
- a path Course → Skill (→ Skill) ← Occupation/JobPosting → Industry scores t · m · w.

Every figure keeps the paths and the provenance (sources, load run) of the edges that produced it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ieic_kg.errors import NotFound
from ieic_kg.graph import GraphStore
from ieic_kg.queries import QueryLibrary

HOP_DECAY = 0.5
#: Trend: postings in the last TREND_WINDOW days before the newest posting vs. the window before it.
TREND_WINDOW = dt.timedelta(days=365)


@dataclass
class Demand:
    """Why a skill is demanded: occupations and postings of the target, each with its weight."""

    skill: str
    code: str | None
    label_zh: str | None
    label_en: str | None
    occupations: list[dict[str, Any]] = field(default_factory=list)
    postings: list[dict[str, Any]] = field(default_factory=list)
    taxonomy_weight: float = 0.0
    posting_weight: float = 0.0
    recent: int = 0
    previous: int = 0

    @property
    def weight(self) -> float:
        return max(self.taxonomy_weight, self.posting_weight)

    @property
    def trend(self) -> int:
        """Postings asking for the skill in the latest window minus the window before."""
        return self.recent - self.previous

    def label(self, lang: str = "zh") -> str:
        return (self.label_zh if lang == "zh" else self.label_en) or self.label_en or self.label_zh or self.skill


@dataclass
class Supply:
    """How a course supplies a demanded skill: directly or through a broader/narrower skill."""

    course_code: str
    course_zh: str | None
    course_en: str | None
    taught_zh: str | None
    taught_en: str | None
    strength: float
    level: str | None
    hops: int
    relation: str
    source: list[str]
    load_run: str | None

    @property
    def score(self) -> float:
        return self.strength * HOP_DECAY**self.hops


@dataclass
class SkillAlignment:
    demand: Demand
    supplies: list[Supply]

    @property
    def supply(self) -> float:
        return max((s.score for s in self.supplies), default=0.0)

    @property
    def best(self) -> Supply | None:
        return max(self.supplies, key=lambda s: (s.score, -s.hops), default=None)


def score_skills(demand: dict[str, Demand], supply: dict[str, list[Supply]]) -> list[SkillAlignment]:
    """The one scoring step: each demanded skill with the supplies that reach it (supply, gaps follow)."""
    return [SkillAlignment(d, supply.get(iri, [])) for iri, d in demand.items()]


def coverage_of(skills: list[SkillAlignment]) -> float:
    """Coverage = Σ_s w(s) · supply(s) / Σ_s w(s) (0 when nothing is demanded)."""
    total = sum(a.demand.weight for a in skills)
    return sum(a.demand.weight * a.supply for a in skills) / total if total else 0.0


def supply_from_rows(rows: list[dict[str, Any]], skills: Any = None) -> dict[str, list[Supply]]:
    """Supply per matched skill IRI from rows of program_skill_supply / student_course_supply (only the
    skills in ``skills`` when given)."""
    supply: dict[str, list[Supply]] = defaultdict(list)
    for r in rows:
        if skills is not None and r["skill"] not in skills:
            continue
        supply[r["skill"]].append(
            Supply(
                r["courseCode"],
                r["course_zh"],
                r["course_en"],
                r["taught_zh"],
                r["taught_en"],
                float(r["strength"]),
                r["level"],
                int(r["hops"]),
                r["relation"],
                r["source"] or [],
                r["loadRun"],
            )
        )
    return dict(supply)


def _native(v: Any) -> Any:
    return v.to_native() if hasattr(v, "to_native") else v


@dataclass
class AlignmentReport:
    """Alignment of a program with a target: an industry (the default) or one occupation (``kind``)."""

    program: dict[str, Any]
    industry: dict[str, Any]
    skills: list[SkillAlignment]
    postings_total: int
    partners: dict[str, list[dict[str, Any]]]
    kind: str = "industry"

    @property
    def target(self) -> dict[str, Any]:
        """The industry or occupation aligned with (kept in ``industry`` for compatibility)."""
        return self.industry

    @property
    def coverage(self) -> float:
        return coverage_of(self.skills)

    @property
    def covered(self) -> list[SkillAlignment]:
        return sorted(
            (a for a in self.skills if a.supply > 0), key=lambda a: (-a.demand.weight * a.supply, a.demand.skill)
        )

    @property
    def gaps(self) -> list[SkillAlignment]:
        """Demanded skills no course teaches, by demand weight then rising trend."""
        return sorted(
            (a for a in self.skills if a.supply == 0), key=lambda a: (-a.demand.weight, -a.demand.trend, a.demand.skill)
        )

    def paths(self, limit: int = 10) -> list[tuple[float, SkillAlignment, Supply, dict[str, Any]]]:
        """Best complete paths: score, skill, the course side and the demand side (occupation or posting)."""
        out = []
        for a in self.skills:
            best = a.best
            if best is None:
                continue
            for occ in a.demand.occupations:
                out.append((best.score * occ["weight"], a, best, {"kind": "occupation", **occ}))
        out.sort(key=lambda t: (-t[0], t[1].demand.skill, t[3].get("code") or ""))
        return out[:limit]


#: The column names of each named query's text (from its plan), for AlignmentEngine._run.
_COLUMNS: dict[str, list[str]] = {}


def _key(text: str, params: dict[str, Any]) -> tuple[str, str]:
    return text, repr(sorted(params.items()))


#: Where a user finds the codes that a lookup accepts.
_LISTED_BY = {
    "Program": "list them with `ieic-kg query programs`",
    "Industry": "list them with `ieic-kg query industries`",
    "Occupation": "`ieic-kg coverage` lists every occupation with demand",
}


class AlignmentEngine:
    """Composes the named queries into coverage, gaps, paths and partners."""

    def __init__(self, store: GraphStore, queries: QueryLibrary) -> None:
        self.store = store
        self.queries = queries
        self._local = threading.local()  # the read transaction of a report under way, per thread

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Run the queries of one report in one read transaction (one BEGIN/COMMIT instead of one per query,
        and the figures from one state of the graph); nested calls join the open one. Rows fetched ahead
        (``_prefetch``) are kept for the transaction."""
        if getattr(self._local, "read", None) is not None:
            yield
            return
        with self.store.reading() as read:
            self._local.read, self._local.fetched = read, {}
            try:
                yield
            finally:
                self._local.read = self._local.fetched = None

    def _read(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        read = getattr(self._local, "read", None)
        return read(cypher, params) if read is not None else self.store.read(cypher, params)

    def _fetch(self, calls: list[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        """The rows of several queries from one statement, each query's rows received as one record: every
        query wrapped in ``CALL () { … }``, its rows collected as lists of its columns (column names from its
        plan, once per query text), the queries joined by ``UNION ALL``. The Python driver spends most of a
        report's time taking records apart one Bolt message at a time (~480 of them for `align` at taxonomy
        scale) and waiting for each round trip; one record of nested lists is unpacked at once. The rows, and
        their order, are each query's own. The queries share one parameter map, so a name must have one value in all."""
        params: dict[str, Any] = {}
        for _, given in calls:
            for key, value in given.items():
                if params.setdefault(key, value) != value:
                    raise ValueError(f"parameter {key} has two values in one statement")
        columns = []
        for text, _ in calls:
            if text not in _COLUMNS:
                _COLUMNS[text] = self.store.columns(text, params)
            columns.append(_COLUMNS[text])
        parts = []
        for i, (text, _) in enumerate(calls):
            listed = ", ".join(f"`{c}`" for c in columns[i])
            # the number after the aggregation: as a grouping key, it would give no row for a query without rows
            parts.append(f"CALL () {{\n{text}\n}}\nWITH collect([{listed}]) AS rows\nRETURN {i} AS query, rows")
        found = {r["query"]: r["rows"] for r in self._read("\nUNION ALL\n".join(parts), params)}
        return [[dict(zip(cols, r, strict=True)) for r in found[i]] for i, cols in enumerate(columns)]

    def _prefetch(self, calls: list[tuple[str, dict[str, Any]]]) -> None:
        """Fetch the rows of these queries in one round trip, for the open transaction's later reads of them."""
        fetched = getattr(self._local, "fetched", None)
        todo = [c for c in calls if fetched is not None and _key(*c) not in fetched]
        if todo and fetched is not None:
            for call, rows in zip(todo, self._fetch(todo), strict=True):
                fetched[_key(*call)] = rows

    def _rows(self, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        fetched = getattr(self._local, "fetched", None)
        if fetched is not None and _key(text, params) in fetched:
            return fetched[_key(text, params)]
        return self._fetch([(text, params)])[0]

    def _call(self, name: str, **params: Any) -> tuple[str, dict[str, Any]]:
        q = self.queries.get(name)
        return q.text, q.bind(params)

    def _run(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """The rows of a named query (fetched ahead in this transaction, or now)."""
        return self._rows(*self._call(name, **params))

    @staticmethod
    def _lookup(cls: str, code: str) -> tuple[str, dict[str, Any]]:
        """The query that finds the ``cls`` node with this code or IRI (its parameter named after the class,
        so that lookups of several classes share a statement)."""
        return (
            f"MATCH (n:`{cls}`) WHERE n.code = $key_{cls} OR n.iri = $key_{cls} "
            "RETURN n.iri AS iri, n.code AS code, n.label_zh AS label_zh, n.label_en AS label_en",
            {f"key_{cls}": code},
        )

    def _one(self, cls: str, code: str) -> dict[str, Any]:
        rows = self._rows(*self._lookup(cls, code))
        if not rows:
            raise NotFound(f"no {cls} with code or IRI {code!r}", hint=_LISTED_BY.get(cls))
        if len(rows) > 1:
            raise NotFound(f"{len(rows)} {cls} nodes have code {code!r}", hint="give the IRI instead")
        return rows[0]

    def align(self, program: str, industry: str) -> AlignmentReport:
        """Coverage of ``industry``'s skill demand by ``program`` (codes or IRIs), with paths and gaps.

        The lookups and the three queries of demand and supply go in one statement; the named queries take
        the codes as given, which match the one node each lookup checks they match."""
        with self._transaction():
            self._prefetch(
                [
                    self._lookup("Program", program),
                    self._lookup("Industry", industry),
                    self._call("industry_occupation_demand", industry=industry),
                    self._call("industry_posting_demand", industry=industry),
                    self._call("program_skill_supply", program=program),
                ]
            )
            prog = self._one("Program", program)
            ind = self._one("Industry", industry)
            demand, postings_total = self.industry_demand(industry)
            return self._report(prog, ind, demand, postings_total, "industry", program)

    def align_occupation(self, program: str, occupation: str) -> AlignmentReport:
        """Coverage of one occupation's skill demand (its REQUIRES_SKILL relations and the postings for it)."""
        with self._transaction():
            self._prefetch(
                [
                    self._lookup("Program", program),
                    self._lookup("Occupation", occupation),
                    self._call("occupation_skill_demand", occupations=[occupation]),
                    self._call("program_skill_supply", program=program),
                ]
            )
            prog = self._one("Program", program)
            occ = self._one("Occupation", occupation)
            demand, postings_total = self.occupation_demand(occupation)
            return self._report(prog, occ, demand, postings_total, "occupation", program)

    def program_supply(self, program: str, skills: Any = None) -> dict[str, list[Supply]]:
        """Supply per matched skill IRI of a program's courses (the program's code or IRI)."""
        return supply_from_rows(self._run("program_skill_supply", program=program), skills)

    def _report(
        self,
        prog: dict[str, Any],
        target: dict[str, Any],
        demand: dict[str, Demand],
        postings_total: int,
        kind: str,
        program: str,
    ) -> AlignmentReport:
        skills = score_skills(demand, self.program_supply(program, demand))
        gaps = [a.demand.skill for a in skills if a.supply == 0]
        partners: dict[str, list[dict[str, Any]]] = defaultdict(list)
        if gaps:
            for r in self._run("gap_partners", skills=gaps):
                partners[r["skill"]].append(r)
        return AlignmentReport(prog, target, skills, postings_total, dict(partners), kind)

    def coverage_matrix(
        self, programs: list[str] | None = None, occupations: list[str] | None = None
    ) -> list[CoverageCell]:
        """Coverage of every occupation by every program (or the given ones, codes or IRIs), with the figures
        align_occupation gives, from one supply query per program and one weights-only demand query for all
        occupations (occupation_demand_weights: no labels or provenance, one row per occupation), in one read
        transaction."""
        with self._transaction():
            return self._coverage_matrix(programs, occupations)

    def _coverage_matrix(self, programs: list[str] | None, occupations: list[str] | None) -> list[CoverageCell]:
        if programs is None:
            progs = [
                {"iri": r["iri"], "code": r["code"], "label_zh": r["program_zh"], "label_en": r["program_en"]}
                for r in self._run("programs")
            ]
        else:
            progs = [self._one("Program", p) for p in programs]
        if occupations is not None:
            occupations = [self._one("Occupation", o)["iri"] for o in occupations]
            if not occupations:
                return []
        rows = self._run("occupation_demand_weights", occupations=occupations or [])
        targets = [(r, demand_weights(r)) for r in rows]
        totals = [sum(weights.values()) for _, weights in targets]
        # which occupations demand each skill, and how much: a program's supplied skills reach only a few of the
        # ~125k occupation-skill pairs at taxonomy scale, so each cell is summed from them, not from its demand
        demanded_by: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for k, (_, weights) in enumerate(targets):
            for iri, w in weights.items():
                demanded_by[iri].append((k, w))
        cells = []
        for prog in progs:
            covered = [0.0] * len(targets)
            supplied = [0] * len(targets)
            for iri, supplies in self.program_supply(prog["iri"]).items():
                best = max(s.score for s in supplies)
                if best == 0:
                    continue
                for k, w in demanded_by.get(iri, ()):
                    covered[k] += w * best
                    supplied[k] += 1
            for k, (occ, weights) in enumerate(targets):
                cells.append(
                    CoverageCell(
                        prog["code"],
                        prog["iri"],
                        occ["occupationCode"],
                        occ["occupation"],
                        occ["occupation_zh"],
                        occ["occupation_en"],
                        covered[k] / totals[k] if totals[k] else 0.0,
                        len(weights),
                        len(weights) - supplied[k],
                    )
                )
        cells.sort(key=lambda c: (c.program, c.program_iri, -c.coverage, c.occupation or "", c.occupation_iri))
        return cells

    def occupation_demand(self, occupation: str) -> tuple[dict[str, Demand], int]:
        """Demand per skill IRI for one occupation (IRI), and the number of its postings."""
        rows = self._run("occupation_skill_demand", occupations=[occupation])
        found = self._occupation_demands_full(rows)
        return (found[0][1], found[0][2]) if found else ({}, 0)

    def _occupation_demands_full(
        self, rows: list[dict[str, Any]]
    ) -> list[tuple[dict[str, Any], dict[str, Demand], int]]:
        by_occ: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            by_occ[r["occupation"]].append(r)
        out = []
        for iri, occ_rows in by_occ.items():
            first = occ_rows[0]
            occ = {
                "iri": iri,
                "code": first["occupationCode"],
                "label_zh": first["occupation_zh"],
                "label_en": first["occupation_en"],
            }
            demand: dict[str, Demand] = {}
            for r in occ_rows:
                if r["kind"] != "occupation":
                    continue
                d = _entry(demand, r)
                d.occupations.append(
                    {
                        "code": occ["code"],
                        "label_zh": occ["label_zh"],
                        "label_en": occ["label_en"],
                        "weight": float(r["weight"]),
                        "relationType": r["relationType"],
                        "industry": None,
                        "source": r["source"],
                        "loadRun": r["loadRun"],
                    }
                )
                d.taxonomy_weight = max(d.taxonomy_weight, float(r["weight"]))
            total = _posting_demand(demand, [r for r in occ_rows if r["kind"] == "posting"])
            out.append((occ, demand, total))
        return out

    def industry_demand(self, industry: str) -> tuple[dict[str, Demand], int]:
        """Demand per skill IRI for an industry, and the number of the industry's postings."""
        demand: dict[str, Demand] = {}
        for r in self._run("industry_occupation_demand", industry=industry):
            d = _entry(demand, r)
            d.occupations.append(
                {
                    "code": r["occupationCode"],
                    "label_zh": r["occupation_zh"],
                    "label_en": r["occupation_en"],
                    "weight": float(r["weight"]),
                    "relationType": r["relationType"],
                    "industry": r["industryCode"],
                    "source": r["source"],
                    "loadRun": r["loadRun"],
                }
            )
            d.taxonomy_weight = max(d.taxonomy_weight, float(r["weight"]))
        total = _posting_demand(demand, self._run("industry_posting_demand", industry=industry))
        return demand, total


@dataclass
class CoverageCell:
    """One cell of the coverage matrix: how well a program covers an occupation's demand."""

    program: str | None
    program_iri: str
    occupation: str | None
    occupation_iri: str
    occupation_zh: str | None
    occupation_en: str | None
    coverage: float
    demanded: int
    missing: int


def demand_weights(row: dict[str, Any]) -> dict[str, float]:
    """Demand weight per skill IRI of one occupation_demand_weights row: the larger of the taxonomy weight
    (the largest of its relations) and the posting demand (summed posting weights over the occupation's
    postings, capped at 1) — Demand.weight without the evidence."""
    weights: dict[str, float] = {}
    for iri, w in row["taxonomy"]:
        weights[iri] = max(weights.get(iri, 0.0), float(w))
    postings = row["postings"]
    for iri, w in row["posted"]:
        weights[iri] = max(weights.get(iri, 0.0), min(1.0, float(w) / postings))
    return weights


def _entry(demand: dict[str, Demand], r: dict[str, Any]) -> Demand:
    d = demand.get(r["skill"])
    if d is None:
        d = demand[r["skill"]] = Demand(r["skill"], r["skillCode"], r["skill_zh"], r["skill_en"])
    return d


def _posting_demand(demand: dict[str, Demand], rows: list[dict[str, Any]]) -> int:
    """Add the posting demand (weighted share of the postings asking for each skill, capped at 1) and the
    trend counts to ``demand`` from posting–skill rows; the number of distinct postings."""
    postings = {r["posting"] for r in rows}
    dates = [_native(r["datePosted"]) for r in rows if r["datePosted"] is not None]
    newest = max(dates) if dates else None
    weighted: dict[str, float] = defaultdict(float)
    for r in rows:
        if r["skill"] is None:
            continue
        d = _entry(demand, r)
        posted = _native(r["datePosted"])
        d.postings.append(
            {
                "code": r["postingCode"],
                "label_zh": r["posting_zh"],
                "label_en": r["posting_en"],
                "date": posted,
                "enterprise_zh": r["enterprise_zh"],
                "enterprise_en": r["enterprise_en"],
                "weight": float(r["weight"]),
                "relationType": r["relationType"],
                "source": r["source"],
                "loadRun": r["loadRun"],
            }
        )
        weighted[r["skill"]] += float(r["weight"])
        if newest is not None and posted is not None:
            if posted > newest - TREND_WINDOW:
                d.recent += 1
            elif posted > newest - 2 * TREND_WINDOW:
                d.previous += 1
    for iri, total in weighted.items():
        demand[iri].posting_weight = min(1.0, total / len(postings)) if postings else 0.0
    return len(postings)
