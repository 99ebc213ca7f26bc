"""GB/T 4754-2017 国民经济行业分类 (Industrial classification for national economic activities) as industries.

**Reads** one CSV file (SOURCE, e.g. ``gbt4754-2017.csv`` of the public data folder), UTF-8, columns
``code, level, parent, name_zh, description_zh``: level 1 门类 (section, a letter), 2 大类 (division, 2
digits), 3 中类 (group, 3 digits), 4 小类 (class, 4 digits); ``parent`` is the enclosing code.

**Makes**

- ``Industry`` for every row, keyed ``GB4754:{code}`` — the key the demo and the mapping files use, so a
  class loaded here and ``GB4754:3491`` named elsewhere are one node; ``code``, ``label_zh`` (name),
  ``definition_zh`` (the description, when there is one), ``level`` 1–4 and ``levelName_zh``/``_en``
  (门类 section, 大类 division, 中类 group, 小类 class).
- ``broader`` from each row to its parent (``method: "taxonomy"``).
- **Synthesised groups.** The source lacks 199 level-3 groups. Each is a group with a single class whose
  code is the group code + ``0`` (class ``0190`` 其他农业 in group ``019``): the standard gives such a
  group the name of its class. For each, the loader makes the group node (``GB4754:019``, level 3, the
  class's name) with ``method: "synthesised"`` on the node and a ``description_zh`` saying it was
  synthesised and from which class, plus ``broader`` group → division with ``method: "synthesised"``.
  Its origin is the class's line. A missing parent that does not fit this rule is rejected.

**Rejects** rows whose code, level or parent are malformed or inconsistent, and a second row with an
already-seen code and different content. The 2017 file has one such row: line 769, ``374,3,37,飞机制造,…``,
a second "374" whose name and description are those of class 3741 (飞机制造, aircraft manufacturing),
which the file otherwise lacks; the first 374 (航空、航天器及设备制造) is kept. So the real file gives 20
sections, 97 divisions, 274 + 199 = 473 groups and 1,380 classes, and exactly one reject.

**Dataset**: ``gbt4754-2017``.

**Licence**: GB/T 4754-2017 is a recommended national standard of the People's Republic of China
(国家统计局 National Bureau of Statistics, 国家标准化管理委员会 SAC); its codes and names are public facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Record, Ref, Reject

from ._common import Row, Table, require_file

LEVEL_NAMES = {1: ("门类", "section"), 2: ("大类", "division"), 3: ("中类", "group"), 4: ("小类", "class")}
_CODE = {1: re.compile(r"[A-T]"), 2: re.compile(r"\d{2}"), 3: re.compile(r"\d{3}"), 4: re.compile(r"\d{4}")}
COLUMNS = ("code", "level", "parent", "name_zh", "description_zh")
KEY_PREFIX = "GB4754:"
_TAXONOMY = MappingProxyType({"method": "taxonomy"})
_SYNTHESISED = MappingProxyType({"method": "synthesised"})


def industry_key(code: str) -> str:
    """The source key of the GB/T 4754 industry with ``code``."""
    return f"{KEY_PREFIX}{code}"


class Gbt4754Loader:
    """Reads the GB/T 4754-2017 CSV; see the module docstring."""

    name = "gbt4754"
    version = "1"
    dataset = "gbt4754-2017"

    def __init__(self, path: Path) -> None:
        self.path = require_file(path, "GB/T 4754-2017 table (gbt4754-2017.csv)")

    def source_paths(self) -> list[Path]:
        return [self.path]

    def records(self) -> Iterator[Record]:
        # The file is small (1,772 rows); reading it whole tells which parents exist before any is used.
        rows: list[tuple[Origin, Row]] = []
        seen: dict[str, tuple[Origin, Row]] = {}
        for origin, row in Table(self.path).rows(COLUMNS):
            if isinstance(row, Reject):
                yield row
                continue
            problem = _check(row)
            if problem is not None:
                yield Reject(origin, problem[1], field=problem[0], value=row.get(problem[0], ""), record=row)
                continue
            first = seen.get(row["code"])
            if first is not None:
                if first[1] != row:
                    yield Reject(
                        origin,
                        f"duplicate code {row['code']}: already {first[1]['name_zh']!r} at line {first[0].line}",
                        field="code",
                        value=row["code"],
                        record=row,
                    )
                continue
            seen[row["code"]] = (origin, row)
            rows.append((origin, row))

        children: dict[str, list[str]] = {}
        for _, row in rows:
            children.setdefault(row["parent"], []).append(row["code"])
        synthesised: set[str] = set()
        for origin, row in rows:
            code, parent = row["code"], row["parent"]
            linked = bool(parent)
            if parent and parent not in seen and parent not in synthesised:
                if int(row["level"]) == 4 and code == parent + "0" and children[parent] == [code]:
                    synthesised.add(parent)
                    yield from self._synthesise(parent, origin, row, seen)
                else:
                    linked = False
                    yield Reject(
                        origin,
                        f"parent {parent} is not in the table, so {code} has no broader industry (only a group "
                        "with a single class coded group + '0' can be synthesised)",
                        field="parent",
                        value=parent,
                        record=row,
                    )
            level = int(row["level"])
            props: dict[str, Any] = {
                "code": code,
                "label_zh": row["name_zh"],
                "level": level,
                "levelName_zh": LEVEL_NAMES[level][0],
                "levelName_en": LEVEL_NAMES[level][1],
            }
            if row["description_zh"]:
                props["definition_zh"] = row["description_zh"]
            yield NodeRecord("Industry", industry_key(code), props, origin)
            if linked:
                yield EdgeRecord(
                    "broader",
                    Ref("Industry", industry_key(code)),
                    Ref("Industry", industry_key(parent)),
                    _TAXONOMY,
                    origin,
                )

    def _synthesise(self, group: str, origin: Origin, cls: Row, seen: dict[str, Any]) -> Iterator[Record]:
        division = group[:2]
        props = {
            "code": group,
            "label_zh": cls["name_zh"],
            "level": 3,
            "levelName_zh": LEVEL_NAMES[3][0],
            "levelName_en": LEVEL_NAMES[3][1],
            "method": "synthesised",
            "description_zh": (
                f"源数据缺少该中类。按GB/T 4754-2017，中类{group}下仅有一个小类{cls['code']}，"
                f"中类取该小类的名称；本节点据小类{cls['code']}（{origin}）合成。"
            ),
        }
        yield NodeRecord("Industry", industry_key(group), props, origin)
        if division not in seen:
            yield Reject(origin, f"division {division} of synthesised group {group} is not in the table", "parent")
            return
        yield EdgeRecord(
            "broader",
            Ref("Industry", industry_key(group)),
            Ref("Industry", industry_key(division)),
            _SYNTHESISED,
            origin,
        )


def _check(row: Row) -> tuple[str, str] | None:
    """The first problem of a row, as (field, reason), or None."""
    code, level_text, parent = row["code"], row["level"], row["parent"]
    if not code:
        return "code", "code is empty"
    if level_text not in ("1", "2", "3", "4"):
        return "level", f"level must be 1, 2, 3 or 4, not {level_text!r}"
    level = int(level_text)
    if not _CODE[level].fullmatch(code):
        shape = {1: "a letter A–T", 2: "2 digits", 3: "3 digits", 4: "4 digits"}[level]
        return "code", f"a level-{level} code is {shape}, not {code!r}"
    if not row["name_zh"]:
        return "name_zh", "name_zh is empty"
    if level == 1:
        return ("parent", f"a section has no parent, not {parent!r}") if parent else None
    if level == 2:
        return (
            None
            if _CODE[1].fullmatch(parent)
            else ("parent", f"a division's parent is a section letter, not {parent!r}")
        )
    if parent != code[:-1]:
        return "parent", f"the parent of {code} is {code[:-1]}, not {parent!r}"
    return None
