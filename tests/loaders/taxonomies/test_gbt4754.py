"""The GB/T 4754-2017 loader on a fixture slice: levels, keys the demo shares, synthesised groups, rejects."""

from __future__ import annotations

from pathlib import Path

import pytest
from ieic_kg.loaders.taxonomies import Gbt4754Loader

from ieic_kg.config import Settings
from ieic_kg.errors import SourceError
from ieic_kg.ingest import Ingest
from ieic_kg.ontology import Ontology

from .conftest import FIXTURES, collect

SLICE = FIXTURES / "gbt4754-2017.csv"
HEADER = "code,level,parent,name_zh,description_zh\n"


def test_every_level_becomes_an_industry_keyed_as_the_demo_keys_it() -> None:
    c = collect(Gbt4754Loader(SLICE).records())
    node = c.node("GB4754:3491")
    assert (node.cls, node.iri) == ("Industry", None)
    assert dict(node.properties) == {
        "code": "3491",
        "label_zh": "工业机器人制造",
        "level": 4,
        "levelName_zh": "小类",
        "levelName_en": "class",
        "definition_zh": "指用于工业自动化领域的工业机器人的制造",
    }
    levels = {n.key: n.properties["level"] for n in c.nodes}
    assert levels["GB4754:C"] == 1 and levels["GB4754:34"] == 2 and levels["GB4754:349"] == 3
    assert "definition_zh" not in c.node("GB4754:34").properties  # the source has no description for it
    assert Gbt4754Loader(SLICE).dataset == "gbt4754-2017"


def test_the_key_mints_the_iri_the_demo_mapping_mints(test_settings: Settings, ontology: Ontology) -> None:
    ingest = Ingest(test_settings, ontology, None)
    assert ingest.mint_iri("Industry", "GB4754:3491") == "https://w3id.org/ieic-kg/id/industry/GB4754:3491"


def test_broader_follows_the_parent_column() -> None:
    c = collect(Gbt4754Loader(SLICE).records())
    chain, node = [], "GB4754:3491"
    while targets := c.targets("broader", node):
        (node,) = targets
        chain.append(node)
    assert chain == ["GB4754:349", "GB4754:34", "GB4754:C"]
    assert c.targets("broader", "GB4754:C") == []
    assert all(e.properties == {"method": "taxonomy"} for e in c.edges if e.source.key != "GB4754:019")


def test_a_missing_group_with_a_single_class_coded_group_0_is_synthesised() -> None:
    c = collect(Gbt4754Loader(SLICE).records())
    group = c.node("GB4754:019")
    assert group.properties["label_zh"] == "其他农业"  # the name of its class 0190
    assert group.properties["level"] == 3 and group.properties["code"] == "019"
    assert group.properties["method"] == "synthesised"
    assert "0190" in group.properties["description_zh"] and "合成" in group.properties["description_zh"]
    assert group.origin == c.node("GB4754:0190").origin  # where it comes from: the class's line
    assert c.targets("broader", "GB4754:0190") == ["GB4754:019"]
    (up,) = c.out[("broader", "GB4754:019")]
    assert (up.target.key, dict(up.properties)) == ("GB4754:01", {"method": "synthesised"})
    assert [n.key for n in c.nodes].count("GB4754:019") == 1


def test_a_second_row_with_a_known_code_is_rejected_and_the_first_kept() -> None:
    c = collect(Gbt4754Loader(SLICE).records())
    assert c.node("GB4754:374").properties["label_zh"] == "航空、航天器及设备制造"
    (reject,) = c.rejects
    assert (reject.origin.file, reject.field, reject.value) == (str(SLICE), "code", "374")
    assert reject.origin.line == 14
    assert "already '航空、航天器及设备制造' at line 13" in reject.reason
    assert reject.record["name_zh"] == "飞机制造"


def test_malformed_rows_are_rejected_with_their_reason(tmp_path: Path) -> None:
    rows = [
        "C,1,,制造业,",
        "34,2,C,通用设备制造业,",
        "349,3,34,其他通用设备制造业,",
        "3491,4,349,工业机器人制造,",
        "3492,5,349,特殊作业机器人制造,",  # level
        "3493,4,348,增材制造装备制造,",  # parent inconsistent with the code
        "35,2,,专用设备制造业,",  # a division needs a section
        "X1,3,34,坏代码,",  # code shape
        ",4,349,无代码,",  # no code
        "3499,4,349,,",  # no name
        "3510,4,351,矿山机械制造,",  # parent 351 absent, and not a single-class group coded 351 + 0 … (see below)
        "3511,4,351,矿山机械制造,",
        "3494,4,349,还有,多一个字段,",  # a field too many
        "3495,4,349,其他,",  # good
    ]
    (tmp_path / "g.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    c = collect(Gbt4754Loader(tmp_path / "g.csv").records())
    got = [(r.origin.line, r.field) for r in c.rejects]
    assert got == [
        (6, "level"),
        (7, "parent"),
        (8, "parent"),
        (9, "code"),
        (10, "code"),
        (11, "name_zh"),
        (14, ""),
        (12, "parent"),
        (13, "parent"),
    ]
    reasons = {r.origin.line: r.reason for r in c.rejects}
    assert reasons[6] == "level must be 1, 2, 3 or 4, not '5'"
    assert reasons[7] == "the parent of 3493 is 349, not '348'"
    assert reasons[14] == "expected 5 fields, found 6"
    assert "parent 351 is not in the table" in reasons[12]
    # a class whose parent is missing still loads, without its broader link
    assert {n.key for n in c.nodes} == {f"GB4754:{k}" for k in ("C", "34", "349", "3491", "3510", "3511", "3495")}
    assert c.targets("broader", "GB4754:3510") == []


def test_a_missing_file_raises_source_error_saying_where_the_data_is(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found") as exc:
        Gbt4754Loader(tmp_path / "gbt4754-2017.csv")
    assert "IEIC_PUBLIC_DATA" in str(exc.value)


def test_a_file_without_the_columns_raises_source_error(tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_text("code,name\nC,制造业\n", encoding="utf-8")
    with pytest.raises(SourceError, match="missing column"):
        list(Gbt4754Loader(tmp_path / "g.csv").records())
