"""NAICS 2022 (North American Industry Classification System) as industries.

**Reads** the ``NAICS_CODES`` table of the ``naics`` package (MIT): its single module ``naics.py`` holds
one dictionary literal, code → title, for every NAICS 2022 code. The loader finds the installed module
when SOURCE is not given (or is ``-`` or ``naics``); SOURCE may also be the path of such a ``naics.py``.
The module is parsed, never imported or run (``ast.literal_eval`` of each entry), so each record cites
the line of its entry.

**Makes**

- ``Industry`` for every code, keyed ``NAICS2022:{code}``: ``code``, ``label_en`` (the title), ``level``
  1–5 and ``levelName_en``/``_zh``: 1 sector 部门 (2 digits, or a range such as ``31-33``), 2 subsector
  子部门 (3), 3 industry group 行业组 (4), 4 NAICS industry NAICS行业 (5), 5 national industry 国家行业 (6).
- ``broader`` to the level above (``method: "taxonomy"``): a subsector to the sector whose two digits or
  range hold its first two digits (``311`` → ``31-33``), every longer code to the code one digit shorter.
- **No cross-taxonomy links**: the package has no concordance to ISIC or GB/T 4754, so none is made.

The package (1.0.1) gives 20 sectors (17 of two digits, 3 ranges), 96 subsectors, 308 industry groups,
689 NAICS industries and 1,012 national industries: 2,125 industries, 2,105 ``broader`` links and no
reject.

**Rejects** an entry whose key or title is not a string literal, a code not shaped as a NAICS code, a
code with no parent in the table, and a code listed twice.

**Dataset**: ``naics-2022``.

**Licence**: NAICS is published by the U.S. Census Bureau (public domain); the digital table is the
``naics`` package's (https://github.com/grayalienventures/naicspy, MIT).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from ieic_kg.errors import SourceError
from ieic_kg.records import NodeRecord, Origin, Record, Reject

from ._common import broader, packaged_or_given

KEY_PREFIX = "NAICS2022:"
TABLE = "NAICS_CODES"
#: level → (level name zh, level name en)
LEVEL_NAMES = {
    1: ("部门", "sector"),
    2: ("子部门", "subsector"),
    3: ("行业组", "industry group"),
    4: ("NAICS行业", "NAICS industry"),
    5: ("国家行业", "national industry"),
}
_CODE = re.compile(r"\d{2,6}|\d{2}-\d{2}")


def industry_key(code: str) -> str:
    """The source key of the NAICS 2022 industry with ``code``."""
    return f"{KEY_PREFIX}{code}"


def level_of(code: str) -> int:
    """1 for a sector (``11``, ``31-33``) … 5 for a six-digit national industry."""
    return 1 if "-" in code else len(code) - 1


class NaicsLoader:
    """Reads NAICS 2022 (the naics package's table); see the module docstring."""

    name = "naics"
    version = "1"
    dataset = "naics-2022"

    def __init__(self, source: Path | None = None) -> None:
        self.path = packaged_or_given(
            source, "naics", "", "naics.py", "NAICS 2022 table (the naics package's naics.py)"
        )

    def source_paths(self) -> list[Path]:
        return [self.path]

    def records(self) -> Iterator[Record]:
        entries: dict[str, tuple[Origin, str]] = {}
        rejects: list[Reject] = []
        for origin, key, value in self._entries():
            code = key.strip() if isinstance(key, str) else None
            if code is None or not isinstance(value, str) or not value.strip():
                rejects.append(Reject(origin, "key and title must be non-empty strings", "code", repr(key)))
            elif not _CODE.fullmatch(code) or ("-" in code and int(code[:2]) >= int(code[3:])):
                rejects.append(
                    Reject(origin, f"not a NAICS code (2–6 digits, or a sector range NN-NN): {code!r}", "code", code)
                )
            elif code in entries:
                rejects.append(
                    Reject(origin, f"duplicate code {code}: already at line {entries[code][0].line}", "code", code)
                )
            else:
                entries[code] = (origin, value.strip())
        yield from rejects

        sectors: dict[str, str] = {}  # two digits → the sector code holding them ("31" → "31-33")
        for code in entries:
            if "-" in code:
                sectors.update({f"{d:02d}": code for d in range(int(code[:2]), int(code[3:]) + 1)})
            elif len(code) == 2:
                sectors[code] = code
        for code, (origin, title) in entries.items():
            level = level_of(code)
            parent = None if level == 1 else sectors.get(code[:2]) if level == 2 else code[:-1]
            if level > 1 and parent not in entries:
                yield Reject(
                    origin,
                    f"the level above {code} ({parent or 'a sector holding ' + code[:2]}) is not in the table",
                    "code",
                    code,
                    record={"code": code, "title": title},
                )
                continue
            yield NodeRecord(
                "Industry",
                industry_key(code),
                {
                    "code": code,
                    "label_en": title,
                    "level": level,
                    "levelName_zh": LEVEL_NAMES[level][0],
                    "levelName_en": LEVEL_NAMES[level][1],
                },
                origin,
            )
            if parent is not None:
                yield broader("Industry", industry_key(code), industry_key(parent), origin)

    def _entries(self) -> Iterator[tuple[Origin, object, object]]:
        """(origin, key, value) of each entry of the ``NAICS_CODES`` dictionary literal."""
        try:
            tree = ast.parse(self.path.read_text(encoding="utf-8"), filename=str(self.path))
        except (UnicodeDecodeError, SyntaxError) as exc:
            raise SourceError(f"not readable Python source: {exc}", file=str(self.path)) from None
        table = next(
            (
                node.value
                for node in tree.body
                if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == TABLE for t in node.targets)
                and isinstance(node.value, ast.Dict)
            ),
            None,
        )
        if table is None:
            raise SourceError(
                f"no dictionary {TABLE} = {{...}} in the module",
                file=str(self.path),
                hint="is it the naics package's naics.py?",
            )
        for key_node, value_node in zip(table.keys, table.values, strict=True):
            origin = Origin(str(self.path), value_node.lineno)
            try:
                key = ast.literal_eval(key_node) if key_node is not None else None
                value = ast.literal_eval(value_node)
            except ValueError:
                key, value = None, None
            yield origin, key, value
