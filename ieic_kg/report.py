"""Rendering an alignment report for people (Rich, bilingual, readable at 80 columns) and for programs (JSON)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from ieic_kg.alignment import AlignmentReport, CoverageCell, SkillAlignment, Supply
from ieic_kg.students import LearningPath, OpportunityMatch, Student

HELPER_KINDS = {
    "training-base": "实训基地 training base",
    "internship": "实习岗位 internship",
    "employer": "招聘企业 employer",
}


def _bi(zh: str | None, en: str | None) -> str:
    """A bilingual label: 中文 / English (either alone when the other is missing)."""
    parts = [p for p in (zh, en) if p]
    return escape(" / ".join(dict.fromkeys(parts))) if parts else "—"


def _trend(a: SkillAlignment) -> str:
    t = a.demand.trend
    return f"[green]↑+{t}[/]" if t > 0 else f"[red]↓{t}[/]" if t < 0 else "→0"


def _via(s: Supply) -> str:
    if s.hops == 0:
        return ""
    kind = "broader skill 上位技能" if s.relation == "broader" else "narrower skill 下位技能"
    return f" [dim](via {kind} {_bi(s.taught_zh, s.taught_en)}, ×{0.5**s.hops:g})[/]"


def _teaching(s: Supply) -> str:
    return f"{s.level + ' ' if s.level else ''}t={s.strength:.1f}"


def render_alignment(report: AlignmentReport, console: Console, *, paths: int = 10) -> None:
    """Print the alignment report: summary, best paths, partly covered and missing skills, who can help."""
    p, i = report.program, report.industry
    gaps, covered = report.gaps, report.covered
    scheme = "GB/T 4754-2017" if report.kind == "industry" else "职业 occupation"
    title = "专业—行业对接报告 Program–industry alignment"
    if report.kind == "occupation":
        title = "专业—职业对接报告 Program–occupation alignment"
    console.print(
        Panel.fit(
            f"[bold]{_bi(p['label_zh'], p['label_en'])}[/] ({p['code']})  →  "
            f"[bold]{_bi(i['label_zh'], i['label_en'])}[/] ({scheme} {i['code']})\n"
            f"覆盖率 Coverage [bold cyan]{report.coverage:.1%}[/] · 需求技能 demanded skills {len(report.skills)} · "
            f"已覆盖 covered {len(covered)} · 缺失 missing [bold red]{len(gaps)}[/] · "
            f"招聘岗位 postings {report.postings_total}",
            title=title,
        )
    )

    if report.kind == "industry":
        console.rule("对接路径 Alignment paths: Course → Skill ← Occupation → Industry")
    else:
        console.rule("对接路径 Alignment paths: Course → Skill ← Occupation")
    for n, (score, a, s, occ) in enumerate(report.paths(paths), start=1):
        console.print(
            f"{n:>2}. [bold]{score:.2f}[/]  [{s.course_code}] {_bi(s.course_zh, s.course_en)}\n"
            f"      ─教授 teaches ({_teaching(s)})→ [bold]{_bi(a.demand.label_zh, a.demand.label_en)}[/]{_via(s)}\n"
            f"      ←需求 requires ({occ.get('relationType') or ''} w={occ['weight']:.1f})─ "
            f"{occ['code']} {_bi(occ['label_zh'], occ['label_en'])}"
            + (f" → {occ.get('industry') or ''}" if report.kind == "industry" else "")
        )

    partial = [a for a in covered if a.supply < 0.7 and a.demand.weight >= 0.5]
    if partial:
        console.rule("部分覆盖 Partly covered (demand w ≥ 0.5, supply < 0.7)")
        for a in partial:
            b = a.best
            assert b is not None
            console.print(
                f"• [bold]{_bi(a.demand.label_zh, a.demand.label_en)}[/]  w={a.demand.weight:.2f} "
                f"supply={a.supply:.2f}\n    best: [{b.course_code}] {_bi(b.course_zh, b.course_en)} "
                f"({_teaching(b)}){_via(b)}"
            )

    console.rule("缺失技能 Missing skills: demanded, taught by no course")
    for a in gaps:
        d = a.demand
        console.print(
            f"• [bold red]{_bi(d.label_zh, d.label_en)}[/]  w={d.weight:.2f} · 职业 occupations {len(d.occupations)}"
            f" · 岗位 postings for {report.industry['code']}: {len(d.postings)} · 趋势 trend {_trend(a)}"
        )
        helpers = report.partners.get(d.skill, [])
        for h in helpers[:5]:
            host = f" @ {_bi(h['host_zh'], h['host_en'])}" if h.get("host_zh") or h.get("host_en") else ""
            n = h["evidence"]
            asks = "1 posting asks" if n == 1 else f"{n} postings ask"
            count = f" ({asks} for it)" if h["kind"] == "employer" else ""
            console.print(
                f"    {HELPER_KINDS.get(h['kind'], h['kind'])}: {_bi(h['helper_zh'], h['helper_en'])}{host}{count}"
            )
        if not helpers:
            console.print("    [dim]no partner offers training for it yet 暂无合作方可提供[/]")


def _clean(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    return v


def alignment_json(report: AlignmentReport) -> dict[str, Any]:
    """The report as JSON-ready data, every figure with the paths and provenance behind it."""
    clean = _clean
    return clean(
        {
            "program": report.program,
            "kind": report.kind,
            report.kind: report.industry,
            "coverage": round(report.coverage, 4),
            "postingsTotal": report.postings_total,
            "skills": [
                {
                    "skill": a.demand.skill,
                    "code": a.demand.code,
                    "label_zh": a.demand.label_zh,
                    "label_en": a.demand.label_en,
                    "demandWeight": a.demand.weight,
                    "taxonomyWeight": a.demand.taxonomy_weight,
                    "postingWeight": round(a.demand.posting_weight, 4),
                    "trend": a.demand.trend,
                    "supply": a.supply,
                    "occupations": a.demand.occupations,
                    "postings": a.demand.postings,
                    "supplies": [vars(s) | {"score": s.score} for s in sorted(a.supplies, key=lambda s: -s.score)],
                    "partners": report.partners.get(a.demand.skill, []),
                }
                for a in sorted(report.skills, key=lambda a: (-a.demand.weight, a.demand.skill))
            ],
        }
    )


def _skill_json(a: SkillAlignment) -> dict[str, Any]:
    return {
        "skill": a.demand.skill,
        "code": a.demand.code,
        "label_zh": a.demand.label_zh,
        "label_en": a.demand.label_en,
        "weight": a.demand.weight,
        "supply": a.supply,
        "supplies": [vars(s) | {"score": s.score} for s in sorted(a.supplies, key=lambda s: (-s.score, s.course_code))],
        "evidence": a.demand.occupations + a.demand.postings,
    }


# -- coverage matrix -----------------------------------------------------------------------------------


def render_coverage_matrix(cells: list[CoverageCell], console: Console) -> None:
    """Occupations (rows) × programs (columns), coverage in per cent; best program per occupation in bold."""
    programs = sorted({c.program or c.program_iri for c in cells})
    by: dict[tuple[str, str], CoverageCell] = {(c.occupation_iri, c.program or c.program_iri): c for c in cells}
    occs: dict[str, CoverageCell] = {}
    for c in cells:
        occs.setdefault(c.occupation_iri, c)
    table = Table(title="覆盖矩阵 Coverage matrix: program × occupation", show_edge=False)
    table.add_column("职业 occupation", overflow="fold", max_width=34)
    for p in programs:
        table.add_column(p, justify="right")
    ordered = sorted(occs.values(), key=lambda c: (c.occupation or "", c.occupation_iri))
    for o in ordered:
        values = [by.get((o.occupation_iri, p)) for p in programs]
        top = max((v.coverage for v in values if v), default=0.0)
        row = []
        for v in values:
            if v is None or v.demanded == 0:
                row.append("—")
            else:
                text = f"{v.coverage:.0%}"
                row.append(f"[bold]{text}[/]" if v.coverage == top and top > 0 else text)
        table.add_row(f"{o.occupation} {_bi(o.occupation_zh, o.occupation_en)}", *row)
    console.print(table)


def coverage_matrix_json(cells: list[CoverageCell]) -> list[dict[str, Any]]:
    return [vars(c) | {"coverage": round(c.coverage, 4)} for c in cells]


# -- students --------------------------------------------------------------------------------------------


def _student_line(s: Student) -> str:
    sem = f" · 第{s.semester}学期 semester {s.semester}" if s.semester else ""
    return f"[bold]{_bi(s.name_zh, s.name_en)}[/] ({escape(s.id)}) · 专业 program {escape(s.program)}{sem}"


def render_learning_path(path: LearningPath, console: Console) -> None:
    """The recommended next courses with the coverage each adds and the skills behind it."""
    o = path.occupation
    console.print(
        Panel.fit(
            f"{_student_line(path.student)}\n目标职业 target occupation [bold]{_bi(o['label_zh'], o['label_en'])}[/]"
            f" ({escape(o['code'] or o['iri'])})\n覆盖率 coverage [bold cyan]{path.start_coverage:.1%}[/] → "
            f"[bold cyan]{path.final_coverage:.1%}[/] after {len(path.steps)} course(s) 门课程",
            title="学习路径 Learning path",
        )
    )
    if not path.steps:
        console.print("[dim]no course of the program adds coverage 本专业已无可提升覆盖率的课程[/]")
    for n, st in enumerate(path.steps, start=1):
        c = st.course
        where = "" if c.in_program else " [dim](other program 外专业)[/]"
        sem = f" · 第{c.semester}学期 sem. {c.semester}" if c.semester else ""
        console.print(
            f"{n:>2}. [bold][{escape(c.code)}] {_bi(c.label_zh, c.label_en)}[/]{where}{sem}\n"
            f"      +{st.gain:.1%} → {st.coverage_after:.1%}"
            + (f" · 先修 prerequisites {escape(', '.join(c.prerequisites))}" if c.prerequisites else "")
        )
        if st.prerequisite_for:
            console.print(f"      先修课 prerequisite of {escape(st.prerequisite_for)}")
        for a in st.adds[:6]:
            console.print(
                f"      • {_bi(a['label_zh'], a['label_en'])} w={a['weight']:.2f} "
                f"supply {a['before']:.2f}→{a['after']:.2f}"
            )
        if len(st.adds) > 6:
            console.print(f"      … and {len(st.adds) - 6} more skills")
    if path.remaining:
        console.rule("仍缺技能 Still missing: no course of the program teaches them")
        for gap in path.remaining:
            d = gap.demand
            console.print(f"• [bold red]{_bi(d.label_zh, d.label_en)}[/] w={d.weight:.2f}")


def learning_path_json(path: LearningPath) -> dict[str, Any]:
    return _clean(
        {
            "student": vars(path.student),
            "occupation": path.occupation,
            "startCoverage": round(path.start_coverage, 4),
            "finalCoverage": round(path.final_coverage, 4),
            "steps": [
                {
                    "course": vars(st.course),
                    "gain": round(st.gain, 6),
                    "coverageBefore": round(st.coverage_before, 6),
                    "coverageAfter": round(st.coverage_after, 6),
                    "prerequisiteFor": st.prerequisite_for,
                    "adds": st.adds,
                }
                for st in path.steps
            ],
            "remaining": [_skill_json(a) for a in path.remaining],
            "skills": [_skill_json(a) for a in sorted(path.skills, key=lambda a: (-a.demand.weight, a.demand.skill))],
        }
    )


OPPORTUNITY_KINDS = {"posting": "招聘 job", "internship": "实习 internship"}


def render_matches(student: Student, matches: list[OpportunityMatch], console: Console) -> None:
    """Postings and internships ranked by weighted skill overlap, with matched and missing skills."""
    console.print(Panel.fit(_student_line(student), title="岗位与实习匹配 Job and internship matching"))
    for n, m in enumerate(matches, start=1):
        when = f" · {m.date.isoformat()}" if isinstance(m.date, dt.date) else ""
        host = f" @ {_bi(m.host_zh, m.host_en)}" if m.host_zh or m.host_en else ""
        console.print(
            f"{n:>2}. [bold]{m.score:.0%}[/]  {OPPORTUNITY_KINDS.get(m.kind, m.kind)} {escape(m.code or m.iri)} "
            f"{_bi(m.label_zh, m.label_en)}{host}{when}"
        )
        if m.matched:
            console.print(
                "      [green]✓[/] "
                + escape("; ".join(f"{_plain(a)} {a.supply:.1f}/{a.demand.weight:.1f}" for a in m.matched))
            )
        if m.missing:
            console.print(
                "      [red]✗[/] " + escape("; ".join(f"{_plain(a)} w={a.demand.weight:.1f}" for a in m.missing))
            )


def _plain(a: SkillAlignment) -> str:
    return a.demand.label_zh or a.demand.label_en or a.demand.code or a.demand.skill


def matches_json(student: Student, matches: list[OpportunityMatch]) -> dict[str, Any]:
    return _clean(
        {
            "student": vars(student),
            "matches": [
                {
                    "rank": n,
                    "kind": m.kind,
                    "opportunity": m.iri,
                    "code": m.code,
                    "label_zh": m.label_zh,
                    "label_en": m.label_en,
                    "host_zh": m.host_zh,
                    "host_en": m.host_en,
                    "occupation": m.occupation,
                    "date": m.date,
                    "score": round(m.score, 6),
                    "matched": [_skill_json(a) for a in m.matched],
                    "missing": [_skill_json(a) for a in m.missing],
                }
                for n, m in enumerate(matches, start=1)
            ],
        }
    )
