"""The NAICS 2022 loader on a fixture slice of the naics package's table: levels, sector ranges, rejects."""

from __future__ import annotations

from pathlib import Path

import pytest
from ieic_kg.loaders.taxonomies import NaicsLoader

from ieic_kg.errors import SourceError

from .conftest import FIXTURES, collect

SLICE = FIXTURES / "naics.py"


def test_every_code_becomes_an_industry_with_its_level_and_line() -> None:
    c = collect(NaicsLoader(SLICE).records())
    node = c.node("NAICS2022:334413")
    assert dict(node.properties) == {
        "code": "334413",
        "label_en": "Semiconductor and Related Device Manufacturing",
        "level": 5,
        "levelName_zh": "国家行业",
        "levelName_en": "national industry",
    }
    assert (
        node.origin.line
        == SLICE.read_text(encoding="utf-8")
        .splitlines()
        .index('    "334413": "Semiconductor and Related Device Manufacturing",')
        + 1
    )
    assert c.node("NAICS2022:31-33").properties["level"] == 1
    assert c.node("NAICS2022:33441").properties["levelName_en"] == "NAICS industry"
    assert len(c.nodes) == 11 and c.rejects == []


def test_a_subsector_climbs_to_the_sector_range_holding_it() -> None:
    c = collect(NaicsLoader(SLICE).records())
    chain, node = [], "NAICS2022:334413"
    while targets := c.targets("broader", node):
        (node,) = targets
        chain.append(node)
    assert chain == ["NAICS2022:33441", "NAICS2022:3344", "NAICS2022:334", "NAICS2022:31-33"]
    assert c.targets("broader", "NAICS2022:333") == ["NAICS2022:31-33"]
    assert c.targets("broader", "NAICS2022:111") == ["NAICS2022:11"]
    assert len(c.edges) == 9  # all but the two sectors


def test_bad_entries_are_rejected_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "naics.py"
    path.write_text(
        'NAICS_CODES = {\n    "11": "Agriculture",\n    "111": "Crop Production",\n    "111": "Again",\n'
        '    "1A": "Letters",\n    "33-31": "Backwards",\n    "2211": "No parent",\n    "112": 5,\n'
        '    "113": "Forestry",\n}\n',
        encoding="utf-8",
    )
    c = collect(NaicsLoader(path).records())
    reasons = {r.origin.line: r.reason for r in c.rejects}
    assert reasons[4] == "duplicate code 111: already at line 3"
    assert reasons[5].startswith("not a NAICS code") and reasons[6].startswith("not a NAICS code")
    assert reasons[7] == "the level above 2211 (221) is not in the table"
    assert reasons[8] == "key and title must be non-empty strings"
    assert sorted(n.key or "" for n in c.nodes) == ["NAICS2022:11", "NAICS2022:111", "NAICS2022:113"]


def test_the_packaged_module_is_found_and_a_wrong_file_named(tmp_path: Path) -> None:
    assert NaicsLoader(None).path.name == "naics.py"
    assert NaicsLoader(Path("naics")).path == NaicsLoader(None).path
    other = tmp_path / "other.py"
    other.write_text("CODES = {}\n", encoding="utf-8")
    with pytest.raises(SourceError, match="no dictionary NAICS_CODES"):
        list(NaicsLoader(other).records())
    other.write_text("NAICS_CODES = {\n", encoding="utf-8")
    with pytest.raises(SourceError, match="not readable Python source"):
        list(NaicsLoader(other).records())
