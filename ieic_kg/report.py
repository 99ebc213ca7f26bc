"""Rendering an alignment report for people (Rich, bilingual, readable at 80 columns) and for programs (JSON)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from ieic_kg.alignment import AlignmentReport, SkillAlignment, Supply

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
    console.print(
        Panel.fit(
            f"[bold]{_bi(p['label_zh'], p['label_en'])}[/] ({p['code']})  →  "
            f"[bold]{_bi(i['label_zh'], i['label_en'])}[/] (GB/T 4754-2017 {i['code']})\n"
            f"覆盖率 Coverage [bold cyan]{report.coverage:.1%}[/] · 需求技能 demanded skills {len(report.skills)} · "
            f"已覆盖 covered {len(covered)} · 缺失 missing [bold red]{len(gaps)}[/] · "
            f"招聘岗位 postings {report.postings_total}",
            title="专业—行业对接报告 Program–industry alignment",
        )
    )

    console.rule("对接路径 Alignment paths: Course → Skill ← Occupation → Industry")
    for n, (score, a, s, occ) in enumerate(report.paths(paths), start=1):
        console.print(
            f"{n:>2}. [bold]{score:.2f}[/]  [{s.course_code}] {_bi(s.course_zh, s.course_en)}\n"
            f"      ─教授 teaches ({_teaching(s)})→ [bold]{_bi(a.demand.label_zh, a.demand.label_en)}[/]{_via(s)}\n"
            f"      ←需求 requires ({occ.get('relationType') or ''} w={occ['weight']:.1f})─ "
            f"{occ['code']} {_bi(occ['label_zh'], occ['label_en'])} → {occ.get('industry') or ''}"
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
            f" · 本行业岗位 postings in {report.industry['code']}: {len(d.postings)} · 趋势 trend {_trend(a)}"
        )
        helpers = report.partners.get(d.skill, [])
        for h in helpers[:5]:
            host = f" @ {_bi(h['host_zh'], h['host_en'])}" if h.get("host_zh") or h.get("host_en") else ""
            n = h["evidence"]
            count = f" ({n} posting{'s' if n != 1 else ''} ask for it)" if h["kind"] == "employer" else ""
            console.print(
                f"    {HELPER_KINDS.get(h['kind'], h['kind'])}: {_bi(h['helper_zh'], h['helper_en'])}{host}{count}"
            )
        if not helpers:
            console.print("    [dim]no partner offers training for it yet 暂无合作方可提供[/]")


def alignment_json(report: AlignmentReport) -> dict[str, Any]:
    """The report as JSON-ready data, every figure with the paths and provenance behind it."""

    def clean(v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    return clean(
        {
            "program": report.program,
            "industry": report.industry,
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
