"""O*NET (Occupational Information Network) occupations and their technology skills.

**Reads** three tab-separated text files of an O*NET database release, in a folder (SOURCE), e.g.
``onet-29.2/``: ``Occupation Data.txt`` (O*NET-SOC Code, Title, Description), ``Alternate Titles.txt``
(O*NET-SOC Code, Alternate Title, Short Title, Source(s)) and ``Technology Skills.txt`` (O*NET-SOC Code,
Example, Commodity Code, Commodity Title, Hot Technology, In Demand). The release is read from
``Read Me.txt`` ("O*NET 29.2 Database"); the other files (Job Zones, Related Occupations) are not loaded.

**Makes**

- ``Occupation`` per O*NET-SOC occupation, keyed ``ONETSOC:{code}`` (``ONETSOC:15-1252.00``): ``code``,
  ``label_en`` (title), ``definition_en`` (description), ``altLabel_en`` (the alternate titles and short
  titles, the title itself left out).
- ``Occupation`` per SOC 2018 detailed occupation, keyed ``SOC2018:{code}`` (``SOC2018:15-1252``), with
  ``code`` and ``label_en``: an O*NET-SOC code is the SOC 2018 code plus a two-digit extension, and the
  ``.00`` occupation *is* the SOC occupation, so its title is the SOC title. Each O*NET occupation gets
  ``broadMatch`` → its SOC occupation (``method: "taxonomy"``, ``evidence`` naming the rule). The
  CIP–SOC loader (kind ``cip-soc``) keys SOC occupations the same way, so programs meet them.
- ``Skill`` per technology commodity (UNSPSC commodity), keyed ``ONET-TECH:{commodity code}``:
  ``code``, ``label_en`` (commodity title); no ``skillType`` (a category, like ESCO's skill groups).
- ``Skill`` per technology example (a named product: "Microsoft Excel"), keyed
  ``ONET-TECH-EXAMPLE:{name}`` with the name NFKC-normalised, case-folded and its spaces collapsed (so
  spellings that differ only so are one skill; the first spelling is the label, the others alt labels);
  ``label_en``, ``skillType: "skill"`` (O*NET calls them technology skills). ``broader`` → each commodity
  it is listed under (155 examples are under two or more), ``method: "taxonomy"``.
- ``requiresSkill`` occupation → example per Technology Skills row: ``weight`` 1.0 when the row is a
  Hot Technology or In Demand, else 0.5; ``method: "taxonomy"``; ``evidence`` the flags, e.g.
  ``"O*NET Technology Skills: Hot Technology, In Demand"`` or ``"… listed"``. **No ``relationType``**:
  the SHACL shape of ieic:relationType allows only essential, optional, required, preferred and elective,
  and O*NET's flags are none of these (see ``RELATION_TYPES`` to change this once the shape allows
  "hot"/"in-demand"/"listed").

**Rejects** rows with a malformed O*NET-SOC code, an empty title or example, a commodity code that is not
8 digits, a flag that is not Y/N, and rows naming an occupation that Occupation Data.txt lacks. O*NET 29.2
gives none.

**Dataset**: ``onet-{release}``, e.g. ``onet-29.2``.

**Licence**: O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training Administration
(USDOL/ETA), used under the CC BY 4.0 licence (https://www.onetcenter.org/license_db.html). O*NET® is a
trademark of USDOL/ETA. This project has modified the information (selected fields, keys, weights);
USDOL/ETA has not approved, endorsed or tested these modifications.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ieic_kg.errors import SourceError
from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Record, Ref, Reject

from ._common import DATA_HINT, Table, normalise_name, require_dir, require_file, unique

OCCUPATIONS = "Occupation Data.txt"
ALTERNATE_TITLES = "Alternate Titles.txt"
TECHNOLOGY_SKILLS = "Technology Skills.txt"
README = "Read Me.txt"

#: (Hot Technology, In Demand) → relationType; None: stated by ``evidence`` only (see the docstring).
RELATION_TYPES: dict[tuple[bool, bool], str | None] = {
    (True, True): None,
    (True, False): None,
    (False, True): None,
    (False, False): None,
}

_ONET_SOC = re.compile(r"\d{2}-\d{4}\.\d{2}")
_COMMODITY = re.compile(r"\d{8}")
_RELEASE = re.compile(r"O\*NET\s+(\d+(?:\.\d+)*)\s+Database")
_FLAGS = {"Y": True, "N": False}
_TAXONOMY = MappingProxyType({"method": "taxonomy"})


def onet_key(code: str) -> str:
    return f"ONETSOC:{code}"


def soc_key(code: str) -> str:
    """The key of a SOC 2018 occupation, shared with the CIP–SOC loader."""
    return f"SOC2018:{code}"


def commodity_key(code: str) -> str:
    return f"ONET-TECH:{code}"


def example_key(name: str) -> str:
    return f"ONET-TECH-EXAMPLE:{normalise_name(name)}"


class OnetLoader:
    """Reads an O*NET database folder; see the module docstring."""

    name = "onet"
    version = "1"

    def __init__(self, folder: Path) -> None:
        self.folder = require_dir(folder, "O*NET database folder (the tab-separated text files)")
        self.occupations = require_file(self.folder / OCCUPATIONS, "O*NET occupations")
        self.alternate_titles = require_file(self.folder / ALTERNATE_TITLES, "O*NET alternate titles")
        self.technology_skills = require_file(self.folder / TECHNOLOGY_SKILLS, "O*NET technology skills")
        readme = require_file(self.folder / README, "O*NET read-me (names the release)")
        match = _RELEASE.search(readme.read_text(encoding="utf-8", errors="replace"))
        if match is None:
            raise SourceError(
                "cannot tell the O*NET release: no 'O*NET <n> Database' line", file=str(readme), hint=DATA_HINT
            )
        self.release = match.group(1)

    @property
    def dataset(self) -> str:
        return f"onet-{self.release}"

    def source_paths(self) -> list[Path]:
        return [self.occupations, self.alternate_titles, self.technology_skills]

    def _table(self, path: Path) -> Table:
        return Table(path, delimiter="\t", quoting=False)

    def records(self) -> Iterator[Record]:
        alt_titles: dict[str, list[str]] = {}
        alt_origins: dict[str, Origin] = {}
        for origin, row in self._table(self.alternate_titles).rows(
            ("O*NET-SOC Code", "Alternate Title", "Short Title")
        ):
            if isinstance(row, Reject):
                yield row
                continue
            code = row["O*NET-SOC Code"]
            if not _ONET_SOC.fullmatch(code):
                yield _bad_code(origin, row)
                continue
            titles = alt_titles.get(code)
            if titles is None:
                titles = alt_titles[code] = []
                alt_origins[code] = origin
            titles.extend(t for t in (row["Alternate Title"], row["Short Title"]) if t and t != "n/a")

        occupations: dict[str, str] = {}  # code → title
        socs: list[tuple[str, Origin]] = []
        for origin, row in self._table(self.occupations).rows(("O*NET-SOC Code", "Title", "Description")):
            if isinstance(row, Reject):
                yield row
                continue
            code, title = row["O*NET-SOC Code"], row["Title"]
            if not _ONET_SOC.fullmatch(code):
                yield _bad_code(origin, row)
                continue
            if not title:
                yield Reject(origin, "Title is empty", field="Title", record=row)
                continue
            props: dict[str, Any] = {"code": code, "label_en": title}
            alt = [t for t in unique(alt_titles.pop(code, [])) if t != title]
            if alt:
                props["altLabel_en"] = alt
            if row["Description"]:
                props["definition_en"] = row["Description"]
            occupations[code] = title
            yield NodeRecord("Occupation", onet_key(code), props, origin)
            if code.endswith(".00"):
                yield NodeRecord("Occupation", soc_key(code[:7]), {"code": code[:7], "label_en": title}, origin)
            socs.append((code, origin))
        for code, origin in socs:
            soc = code[:7]
            if soc + ".00" not in occupations:
                yield Reject(
                    origin,
                    f"no {soc}.00 occupation names SOC {soc}, so {code} has no broadMatch",
                    "O*NET-SOC Code",
                    code,
                )
                continue
            yield EdgeRecord(
                "broadMatch",
                Ref("Occupation", onet_key(code)),
                Ref("Occupation", soc_key(soc)),
                {"method": "taxonomy", "evidence": f"O*NET-SOC code {code} extends SOC 2018 code {soc}"},
                origin,
            )
        for code in alt_titles:  # alternate titles of occupations that Occupation Data.txt lacks
            yield Reject(
                alt_origins[code],
                f"alternate titles of occupation {code}, which {OCCUPATIONS} lacks",
                "O*NET-SOC Code",
                code,
            )

        yield from self._technology(occupations)

    def _technology(self, occupations: dict[str, str]) -> Iterator[Record]:
        cols = ("O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand")
        commodities: set[str] = set()
        examples: dict[str, list[str]] = {}  # key → spellings, the first is the label
        links: set[tuple[str, str]] = set()
        for origin, row in self._table(self.technology_skills).rows(cols):
            if isinstance(row, Reject):
                yield row
                continue
            code, example, commodity = row["O*NET-SOC Code"], row["Example"], row["Commodity Code"]
            hot, in_demand = _FLAGS.get(row["Hot Technology"]), _FLAGS.get(row["In Demand"])
            problem = None
            if code not in occupations:
                problem = ("O*NET-SOC Code", f"occupation {code!r} is not in {OCCUPATIONS}")
            elif not example:
                problem = ("Example", "Example is empty")
            elif not _COMMODITY.fullmatch(commodity) or not row["Commodity Title"]:
                problem = ("Commodity Code", "Commodity Code must be 8 digits, with a Commodity Title")
            elif hot is None:
                problem = ("Hot Technology", "Hot Technology must be Y or N")
            elif in_demand is None:
                problem = ("In Demand", "In Demand must be Y or N")
            if problem is not None:
                yield Reject(origin, problem[1], field=problem[0], value=row.get(problem[0], ""), record=row)
                continue
            assert hot is not None and in_demand is not None
            if commodity not in commodities:
                commodities.add(commodity)
                props = {"code": commodity, "label_en": row["Commodity Title"]}
                yield NodeRecord("Skill", commodity_key(commodity), props, origin)
            key = example_key(example)
            spellings = examples.get(key)
            if spellings is None:
                examples[key] = [example]
                yield NodeRecord("Skill", key, {"label_en": example, "skillType": "skill"}, origin)
            elif example not in spellings:
                spellings.append(example)
            if (key, commodity) not in links:
                links.add((key, commodity))
                yield EdgeRecord(
                    "broader", Ref("Skill", key), Ref("Skill", commodity_key(commodity)), _TAXONOMY, origin
                )
            yield EdgeRecord(
                "requiresSkill", Ref("Occupation", onet_key(code)), Ref("Skill", key), _demand(hot, in_demand), origin
            )
        for key, spellings in examples.items():
            if len(spellings) > 1:  # the same name spelled differently: one skill, the other spellings alt labels
                origin = Origin(str(self.technology_skills))
                yield NodeRecord("Skill", key, {"altLabel_en": spellings[1:]}, origin)


_DEMAND: dict[tuple[bool, bool], Any] = {}


def _demand(hot: bool, in_demand: bool) -> Any:
    """The qualifiers of an occupation → technology relationship (shared, read-only)."""
    props = _DEMAND.get((hot, in_demand))
    if props is None:
        flags = [name for name, on in (("Hot Technology", hot), ("In Demand", in_demand)) if on]
        values: dict[str, Any] = {
            "weight": 1.0 if flags else 0.5,
            "method": "taxonomy",
            "evidence": "O*NET Technology Skills: " + (", ".join(flags) if flags else "listed"),
        }
        relation_type = RELATION_TYPES[(hot, in_demand)]
        if relation_type:
            values["relationType"] = relation_type
        props = _DEMAND[(hot, in_demand)] = MappingProxyType(values)
    return props


def _bad_code(origin: Origin, row: dict[str, str]) -> Reject:
    code = row["O*NET-SOC Code"]
    return Reject(origin, f"not an O*NET-SOC code NN-NNNN.NN: {code!r}", field="O*NET-SOC Code", value=code, record=row)
