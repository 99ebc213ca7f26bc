"""The O*NET loader on a fixture slice of O*NET 29.2: occupations, SOC matches, technology skills."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ieic_kg.loaders.taxonomies import OnetLoader
from ieic_kg.loaders.taxonomies.onet import example_key

from ieic_kg.errors import SourceError

from .conftest import FIXTURES, collect

SLICE = FIXTURES / "onet"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "onet"
    shutil.copytree(SLICE, folder)
    return folder


def test_dataset_names_the_release() -> None:
    loader = OnetLoader(SLICE)
    assert (loader.name, loader.dataset) == ("onet", "onet-29.2")
    assert [p.name for p in loader.source_paths()] == [
        "Occupation Data.txt",
        "Alternate Titles.txt",
        "Technology Skills.txt",
    ]


def test_occupations_get_onetsoc_keys_labels_definitions_and_alternate_titles() -> None:
    c = collect(OnetLoader(SLICE).records())
    occ = c.node("ONETSOC:15-1252.00")
    assert (occ.cls, occ.iri) == ("Occupation", None)
    assert occ.properties["code"] == "15-1252.00"
    assert occ.properties["label_en"] == "Software Developers"
    assert occ.properties["definition_en"].startswith("Research, design, and develop computer")
    alt = occ.properties["altLabel_en"]
    assert "Software Developers" not in alt
    assert "n/a" not in alt and len(alt) == len(set(alt)) > 0


def test_onet_occupations_broad_match_their_soc_2018_occupation() -> None:
    c = collect(OnetLoader(SLICE).records())
    soc = c.node("SOC2018:15-1211")
    assert dict(soc.properties) == {"code": "15-1211", "label_en": "Computer Systems Analysts"}
    assert c.targets("broadMatch", "ONETSOC:15-1211.00") == ["SOC2018:15-1211"]
    (match,) = c.out[("broadMatch", "ONETSOC:15-1211.01")]
    assert match.target.key == "SOC2018:15-1211"
    assert match.properties == {
        "method": "taxonomy",
        "evidence": "O*NET-SOC code 15-1211.01 extends SOC 2018 code 15-1211",
    }
    assert "SOC2018:17-2199" not in c.by_id  # the slice lacks 17-2199.00, which names it
    (reject,) = c.rejects
    assert (reject.field, reject.value) == ("O*NET-SOC Code", "17-2199.08")
    assert "no 17-2199.00 occupation names SOC 17-2199" in reject.reason


def test_technology_commodities_and_examples_are_skills_in_a_hierarchy() -> None:
    c = collect(OnetLoader(SLICE).records())
    commodity = c.node("ONET-TECH:43232110")
    assert dict(commodity.properties) == {"code": "43232110", "label_en": "Spreadsheet software"}
    excel = c.node("ONET-TECH-EXAMPLE:microsoft excel")
    assert dict(excel.properties) == {"label_en": "Microsoft Excel", "skillType": "skill"}
    assert c.targets("broader", "ONET-TECH-EXAMPLE:microsoft excel") == ["ONET-TECH:43232110"]
    # MySQL is listed under two commodities: one skill, two broader links
    assert sorted(c.targets("broader", example_key("MySQL"))) == ["ONET-TECH:43232304", "ONET-TECH:43232306"]
    assert [n.key for n in c.nodes].count(example_key("MySQL")) == 1
    # Atlassian JIRA, listed by three occupations under one commodity: its broader link is stated once
    assert c.targets("broader", example_key("Atlassian JIRA")) == ["ONET-TECH:43232201"]


def test_requires_skill_weights_follow_the_hot_and_in_demand_flags() -> None:
    c = collect(OnetLoader(SLICE).records())

    def demand(occupation: str, example: str) -> dict[str, object]:
        (edge,) = [e for e in c.out[("requiresSkill", occupation)] if e.target.key == example_key(example)]
        return dict(edge.properties)

    assert demand("ONETSOC:15-1211.00", "Microsoft Excel") == {
        "weight": 1.0,
        "method": "taxonomy",
        "evidence": "O*NET Technology Skills: Hot Technology, In Demand",
    }
    assert demand("ONETSOC:15-1252.00", "Microsoft Excel")["weight"] == 1.0  # hot only
    assert demand("ONETSOC:15-1252.00", "Ada") == {
        "weight": 0.5,
        "method": "taxonomy",
        "evidence": "O*NET Technology Skills: listed",
    }
    assert all("relationType" not in e.properties for e in c.edges_of("requiresSkill"))
    assert len(c.edges_of("requiresSkill")) == 40  # every row of the slice


def test_spellings_that_differ_only_in_case_or_spaces_are_one_skill(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    tech = folder / "Technology Skills.txt"
    tech.write_bytes(tech.read_bytes() + b"15-1252.00\tmicrosoft  EXCEL\t43232110\tSpreadsheet software\tN\tN\r\n")
    c = collect(OnetLoader(folder).records())
    key = example_key("Microsoft Excel")
    records = [n for n in c.nodes if n.key == key]
    assert [dict(n.properties) for n in records] == [
        {"label_en": "Microsoft Excel", "skillType": "skill"},
        {"altLabel_en": ["microsoft  EXCEL"]},
    ]


def test_bad_rows_are_rejected_and_the_others_load(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    tech = folder / "Technology Skills.txt"
    bad = [
        b"99-9999.00\tFoo\t43232110\tSpreadsheet software\tN\tN",  # unknown occupation
        b"15-1252.00\t\t43232110\tSpreadsheet software\tN\tN",  # no example
        b"15-1252.00\tFoo\t4323\tSpreadsheet software\tN\tN",  # commodity code
        b"15-1252.00\tFoo\t43232110\tSpreadsheet software\tmaybe\tN",  # flag
        b"15-1252.00\tFoo\t43232110\tSpreadsheet software\tN",  # a field short
    ]
    tech.write_bytes(tech.read_bytes() + b"\r\n".join(bad) + b"\r\n")
    occ = folder / "Occupation Data.txt"
    occ.write_bytes(occ.read_bytes() + b"15-1252\tSoftware Developers\tNo extension\r\n")
    c = collect(OnetLoader(folder).records())
    assert [(r.origin.file.rsplit("/", 1)[1], r.origin.line, r.field) for r in c.rejects] == [
        ("Occupation Data.txt", 6, "O*NET-SOC Code"),  # 15-1252: no extension
        ("Occupation Data.txt", 5, "O*NET-SOC Code"),  # 17-2199.08: no 17-2199.00 names its SOC occupation
        ("Technology Skills.txt", 42, "O*NET-SOC Code"),  # unknown occupation
        ("Technology Skills.txt", 43, "Example"),
        ("Technology Skills.txt", 44, "Commodity Code"),
        ("Technology Skills.txt", 45, "Hot Technology"),
        ("Technology Skills.txt", 46, ""),  # a field short
    ]
    assert c.rejects[0].reason == "not an O*NET-SOC code NN-NNNN.NN: '15-1252'"
    assert len(c.edges_of("requiresSkill")) == 40  # every row of the slice


def test_missing_folder_or_file_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="folder not found") as exc:
        OnetLoader(tmp_path / "onet-29.2")
    assert "IEIC_PUBLIC_DATA" in str(exc.value)
    folder = _copy(tmp_path)
    (folder / "Technology Skills.txt").unlink()
    with pytest.raises(SourceError, match="O\\*NET technology skills: file not found"):
        OnetLoader(folder)
