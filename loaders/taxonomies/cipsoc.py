"""CIP 2020 instructional programs and the NCES CIP 2020 ↔ SOC 2018 crosswalk.

**Reads** two CSV files in a folder (SOURCE, e.g. ``cip-soc/``):

- ``CIPCode2020.csv`` (CIPFamily, CIPCode, Action, TextChange, CIPTitle, CIPDefinition, CrossReferences,
  Examples), codes written Excel-style (``="15.0405"``, unwrapped here);
- ``CIP2020_SOC2018_Crosswalk.csv`` (CIP2020Code, CIP2020Title, SOC2018Code, SOC2018Title).

**Makes**

- ``Program`` per six-digit CIP 2020 code (an instructional program, ``15.0405``; 2,173 of them), keyed
  ``CIP2020:{code}``: ``code``, ``label_en`` (CIPTitle without its closing full stop), ``definition_en``.
  Two-digit families and four-digit series are not loaded — they group programs, and the ontology gives
  programs no hierarchy (``broader`` is for skills, industries and occupations). Rows whose Action is
  "Moved from" or "Deleted" are not loaded either: they record 2010 codes that CIP 2020 no longer has
  (the moved program is listed again at its new code, Action "Moved to").
- ``Occupation`` per SOC 2018 occupation of the crosswalk, keyed ``SOC2018:{code}`` (``SOC2018:15-1252``,
  the key the O*NET loader uses too): ``code``, ``label_en`` (SOC2018Title) — 867 occupations, those
  that no program prepares for (CIP ``99.9999``) included.
- ``forOccupation`` program → occupation per crosswalk row, ``method: "taxonomy"``: 5,723 of the 6,097
  rows. Rows saying there is no match state no relationship: 194 programs with SOC ``99-9999``
  "NO MATCH" and 180 occupations with CIP ``99.9999``.

**Rejects** rows with a malformed code or an empty title, and crosswalk rows naming a CIP code that
CIPCode2020.csv does not list as a CIP 2020 program. The 2020 files give none.

**Dataset**: ``cip2020-soc2018``.

**Licence**: CIP 2020 and the CIP 2020–SOC 2018 crosswalk are published by the U.S. Department of
Education, National Center for Education Statistics (NCES), https://nces.ed.gov/ipeds/cipcode/, as
public information. SOC 2018 is the Standard Occupational Classification of the U.S. Bureau of Labor
Statistics (public domain).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

from ieic_kg.records import EdgeRecord, NodeRecord, Record, Ref, Reject

from ._common import Table, require_dir, require_file

PROGRAMS = "CIPCode2020.csv"
CROSSWALK = "CIP2020_SOC2018_Crosswalk.csv"
#: Actions of CIPCode2020.csv rows that are not CIP 2020 programs.
GONE = frozenset({"Moved from", "Deleted"})
NO_MATCH_SOC = "99-9999"
NO_MATCH_CIP = "99.9999"

_CIP6 = re.compile(r"\d{2}\.\d{4}")
_CIP_ANY = re.compile(r"\d{2}(\.\d{2}(\d{2})?)?")
_SOC = re.compile(r"\d{2}-\d{4}")
_TAXONOMY = MappingProxyType({"method": "taxonomy"})


def program_key(code: str) -> str:
    return f"CIP2020:{code}"


def soc_key(code: str) -> str:
    return f"SOC2018:{code}"


def excel_text(value: str) -> str:
    """``15.0405`` for Excel's text-forcing ``="15.0405"``; other values unchanged."""
    if value.startswith('="') and value.endswith('"'):
        return value[2:-1]
    return value


class CipSocLoader:
    """Reads CIP 2020 and the CIP–SOC crosswalk; see the module docstring."""

    name = "cip-soc"
    version = "1"
    dataset = "cip2020-soc2018"

    def __init__(self, folder: Path) -> None:
        self.folder = require_dir(folder, "CIP–SOC folder (CIPCode2020.csv, CIP2020_SOC2018_Crosswalk.csv)")
        self.programs = require_file(self.folder / PROGRAMS, "CIP 2020 codes")
        self.crosswalk = require_file(self.folder / CROSSWALK, "CIP 2020–SOC 2018 crosswalk")

    def source_paths(self) -> list[Path]:
        return [self.programs, self.crosswalk]

    def records(self) -> Iterator[Record]:
        programs: set[str] = set()
        for origin, row in Table(self.programs).rows(("CIPCode", "Action", "CIPTitle", "CIPDefinition")):
            if isinstance(row, Reject):
                yield row
                continue
            code = excel_text(row["CIPCode"])
            if not _CIP_ANY.fullmatch(code):
                yield Reject(origin, f"not a CIP code: {code!r}", field="CIPCode", value=code, record=row)
                continue
            if not _CIP6.fullmatch(code) or row["Action"] in GONE:
                continue  # a family or series, or a code CIP 2020 no longer has
            if not row["CIPTitle"]:
                yield Reject(origin, "CIPTitle is empty", field="CIPTitle", record=row)
                continue
            props = {"code": code, "label_en": _title(row["CIPTitle"])}
            if row["CIPDefinition"]:
                props["definition_en"] = row["CIPDefinition"]
            programs.add(code)
            yield NodeRecord("Program", program_key(code), props, origin)

        occupations: set[str] = set()
        cols = ("CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title")
        for origin, row in Table(self.crosswalk).rows(cols):
            if isinstance(row, Reject):
                yield row
                continue
            cip, soc = excel_text(row["CIP2020Code"]), excel_text(row["SOC2018Code"])
            if soc == NO_MATCH_SOC:
                continue  # "NO MATCH": the program prepares for no SOC occupation
            if not _SOC.fullmatch(soc) or not row["SOC2018Title"]:
                yield Reject(
                    origin, f"not a SOC 2018 code with a title: {soc!r}", field="SOC2018Code", value=soc, record=row
                )
                continue
            if soc not in occupations:
                occupations.add(soc)
                yield NodeRecord("Occupation", soc_key(soc), {"code": soc, "label_en": row["SOC2018Title"]}, origin)
            if cip == NO_MATCH_CIP:
                continue  # no program prepares for the occupation
            if cip not in programs:
                yield Reject(
                    origin,
                    f"CIP {cip!r} is not a CIP 2020 program of {PROGRAMS}",
                    field="CIP2020Code",
                    value=cip,
                    record=row,
                )
                continue
            yield EdgeRecord(
                "forOccupation", Ref("Program", program_key(cip)), Ref("Occupation", soc_key(soc)), _TAXONOMY, origin
            )


def _title(text: str) -> str:
    return text[:-1].rstrip() if text.endswith(".") else text
