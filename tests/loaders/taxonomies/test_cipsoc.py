"""The CIP–SOC loader on fixture slices of CIP 2020 and the CIP 2020–SOC 2018 crosswalk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ieic_kg.loaders.taxonomies import CipSocLoader
from ieic_kg.loaders.taxonomies.cipsoc import excel_text

from ieic_kg.errors import SourceError

from .conftest import FIXTURES, collect

SLICE = FIXTURES / "cip-soc"


def test_six_digit_cip_codes_become_programs_with_excel_wrapping_removed() -> None:
    c = collect(CipSocLoader(SLICE).records())
    program = c.node("CIP2020:15.0405")
    assert (program.cls, program.iri) == ("Program", None)
    assert program.properties["code"] == "15.0405"
    assert program.properties["label_en"] == "Robotics Technology/Technician"  # the closing full stop dropped
    assert program.properties["definition_en"].startswith("A program that prepares individuals")
    assert sorted(n.key for n in c.nodes if n.cls == "Program") == [
        "CIP2020:01.0000",
        "CIP2020:01.0207",
        "CIP2020:01.0508",
        "CIP2020:01.1004",  # "Moved to": the program's CIP 2020 code
        "CIP2020:11.0701",
        "CIP2020:15.0405",
    ]  # not the family 01, the series 01.00, nor 01.0309 ("Moved from": a code CIP 2020 no longer has)
    assert CipSocLoader(SLICE).dataset == "cip2020-soc2018"


def test_the_crosswalk_makes_soc_occupations_and_for_occupation_links() -> None:
    c = collect(CipSocLoader(SLICE).records())
    assert dict(c.node("SOC2018:17-3024").properties) == {
        "code": "17-3024",
        "label_en": "Electro-Mechanical and Mechatronics Technologists and Technicians",
    }
    targets = c.targets("forOccupation", "CIP2020:15.0405")
    assert "SOC2018:17-3024" in targets
    assert all(e.properties == {"method": "taxonomy"} for e in c.edges)
    assert not c.rejects


def test_no_match_rows_state_no_relationship_but_the_occupation_exists() -> None:
    c = collect(CipSocLoader(SLICE).records())
    assert c.targets("forOccupation", "CIP2020:01.0508") == []  # Taxidermy: SOC 99-9999 "NO MATCH"
    assert "SOC2018:99-9999" not in c.by_id
    # occupations the crosswalk lists with CIP 99.9999 only ("NO MATCH"): nodes without programs
    linked = {e.target.key for e in c.edges}
    assert {n.key for n in c.nodes if n.cls == "Occupation"} - linked == {
        "SOC2018:13-1074",
        "SOC2018:25-3031",
        "SOC2018:25-3041",
    }
    assert c.node("SOC2018:25-3041").properties["label_en"] == "Tutors"
    assert "CIP2020:99.9999" not in c.by_id


def test_bad_rows_are_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "cip"
    shutil.copytree(SLICE, folder)
    xwalk = folder / "CIP2020_SOC2018_Crosswalk.csv"
    xwalk.write_text(
        xwalk.read_text(encoding="utf-8")
        + "42.2701,Cognitive Psychology.,19-3039,Psychologists\n"  # CIP not in CIPCode2020.csv (of the slice)
        + "15.0405,Robotics Technology/Technician.,17-30,Short\n"  # SOC code shape
        + "15.0405,Robotics Technology/Technician.,17-3024\n",  # a field short
        encoding="utf-8",
    )
    c = collect(CipSocLoader(folder).records())
    assert [(r.field, r.value) for r in c.rejects] == [
        ("CIP2020Code", "42.2701"),
        ("SOC2018Code", "17-30"),
        ("", ""),
    ]
    assert "is not a CIP 2020 program of CIPCode2020.csv" in c.rejects[0].reason


@pytest.mark.parametrize(("raw", "text"), [('="15.0405"', "15.0405"), ("15.0405", "15.0405"), ('="01"', "01")])
def test_excel_text_unwraps_text_forcing_formulas(raw: str, text: str) -> None:
    assert excel_text(raw) == text


def test_missing_files_raise_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="folder not found"):
        CipSocLoader(tmp_path / "cip-soc")
    with pytest.raises(SourceError, match="CIP 2020 codes: file not found"):
        CipSocLoader(tmp_path)
