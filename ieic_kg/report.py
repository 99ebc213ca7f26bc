"""Rendering an alignment report for people (Rich tables, bilingual) and for programs (JSON)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from ieic_kg.alignment import AlignmentReport, SkillAlignment


def _bi(zh: str | None, en: str | None) -> str:
    """A bilingual label: 中文 / English (either alone when the other is missing)."""
    parts = [p for p in (zh, en) if p]
    return " / ".join(dict.fromkeys(parts)) if parts else "—"


def _trend(a: SkillAlignment) -> str:
    t = a.demand.trend
    return f"↑ +{t}" if t > 0 else f"↓ {t}" if t < 0 else "→ 0"


def render_alignment(report: AlignmentReport, console: Console, *, paths: int = 10) -> None:
    """Print the alignment report: summary, best paths, partly covered and missing skills, helpers."""
    p, i = report.program, report.industry
    gaps, covered = report.gaps, report.covered
    console.print(
        Panel.fit(
            f"[bold]{_bi(p['label_zh'], p['label_en'])}[/] ({p['code']})  →  "
            f"[bold]{_bi(i['label_zh'], i['label_en'])}[/] (GB/T 4754-2017 {i['code']})\n"
            f"覆盖率 Coverage: [bold cyan]{report.coverage:.1%}[/]   "
            f"需求技能 demanded skills: {len(report.skills)}   已覆盖 covered: {len(covered)}   "
            f"缺失 missing: [bold red]{len(gaps)}[/]   招聘岗位 postings: {report.postings_total}",
            title="专业—行业对接报告 Program–industry alignment report",
        )
    )

    table = Table(title="对接路径 Alignment paths (Course → Skill ← Occupation → Industry)", show_lines=False)
    for col in ("score", "课程 Course", "教学 t", "技能 Skill", "match", "需求 w", "职业 Occupation", "行业 Industry"):
        table.add_column(col, overflow="fold")
    for score, a, s, occ in report.paths(paths):
        via = "=" if s.hops == 0 else f"{s.relation} ×{0.5**s.hops:g}"
        taught = "" if s.hops == 0 else f" (via {_bi(s.taught_zh, s.taught_en)})"
        table.add_row(
            f"{score:.2f}",
            f"{_bi(s.course_zh, s.course_en)} [{s.course_code}]",
            f"{s.level or ''} {s.strength:.1f}",
            a.demand.label("zh") + " / " + a.demand.label("en") + taught,
            via,
            f"{occ['weight']:.1f} {occ.get('relationType') or ''}",
            f"{_bi(occ['label_zh'], occ['label_en'])} {occ['code']}",
            occ.get("industry") or "",
        )
    console.print(table)

    partial = [a for a in covered if a.supply < 0.7]
    if partial:
        t = Table(title="部分覆盖 Partly covered (best supply < 0.7)")
        for col in ("技能 Skill", "需求 w", "供给 supply", "最佳课程 best course"):
            t.add_column(col, overflow="fold")
        for a in partial:
            b = a.best
            assert b is not None
            how = f"{b.level or ''} {b.strength:.1f}" + (
                f", {b.relation} of {_bi(b.taught_zh, b.taught_en)}" if b.hops else ""
            )
            t.add_row(
                _bi(a.demand.label_zh, a.demand.label_en),
                f"{a.demand.weight:.2f}",
                f"{a.supply:.2f}",
                f"{_bi(b.course_zh, b.course_en)} [{b.course_code}] ({how})",
            )
        console.print(t)

    t = Table(title="缺失技能 Missing skills (demanded, taught by no course)")
    for col in ("技能 Skill", "需求 w", "职业 occupations", "岗位 postings", "趋势 trend", "谁能帮助 Who can help"):
        t.add_column(col, overflow="fold")
    for a in gaps:
        helpers = report.partners.get(a.demand.skill, [])
        help_text = (
            "; ".join(
                f"{_bi(h['helper_zh'], h['helper_en'])}"
                + (f" @ {_bi(h['host_zh'], h['host_en'])}" if h.get("host_zh") or h.get("host_en") else "")
                + (f" ({h['evidence']} postings)" if h["kind"] == "employer" else f" [{h['kind']}]")
                for h in helpers[:4]
            )
            or "—"
        )
        t.add_row(
            _bi(a.demand.label_zh, a.demand.label_en),
            f"{a.demand.weight:.2f}",
            str(len(a.demand.occupations)),
            str(len(a.demand.postings)),
            _trend(a),
            help_text,
        )
    console.print(t)


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
