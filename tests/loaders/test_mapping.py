"""The mapping loader: sources in each format become the records the mapping says, bad rows become rejects."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from ieic_kg.loaders import get_loader
from ieic_kg.loaders.mapping import MappingLoader
from openpyxl import Workbook

from ieic_kg.errors import SourceError
from ieic_kg.records import EdgeRecord, NodeRecord, Reject

SKILL_MAPPING = """
dataset: test-skills
sources:
  - name: skills
    file: {file}
    {extra}
    class: Skill
    key: code
    properties:
      code: code
      label_zh: name_zh
      altLabel_en: {{column: alt, split: ";"}}
    edges:
      - predicate: broader
        to: {{class: Skill, key: parent}}
"""


def _mapping(tmp_path: Path, file: str, extra: str = "") -> Path:
    m = tmp_path / "m.yaml"
    m.write_text(SKILL_MAPPING.format(file=file, extra=extra), encoding="utf-8")
    return m


def _records(mapping: Path) -> tuple[list[NodeRecord], list[EdgeRecord], list[Reject]]:
    recs = list(MappingLoader(mapping).records())
    return (
        [r for r in recs if isinstance(r, NodeRecord)],
        [r for r in recs if isinstance(r, EdgeRecord)],
        [r for r in recs if isinstance(r, Reject)],
    )


CSV_TEXT = "code,name_zh,alt,parent\nSK-A,机器人编程,robot programming; RP ,\nSK-B , 离线编程,,SK-A\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_common_encoding_gives_the_same_records(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "s.csv").write_bytes(CSV_TEXT.encode(encoding))
    nodes, edges, rejects = _records(_mapping(tmp_path, "s.csv"))
    assert not rejects
    assert [(n.key, n.properties["label_zh"]) for n in nodes] == [("SK-A", "机器人编程"), ("SK-B", "离线编程")]
    assert nodes[0].properties["altLabel_en"] == ["robot programming", "RP"]
    assert [(e.source.key, e.predicate, e.target.key) for e in edges] == [("SK-B", "broader", "SK-A")]
    assert nodes[1].origin.line == 3


def test_declared_encoding_that_is_wrong_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_bytes(CSV_TEXT.encode("gb18030"))
    with pytest.raises(SourceError) as err:
        list(MappingLoader(_mapping(tmp_path, "s.csv", "encoding: utf-8")).records())
    assert "s.csv:2" in str(err.value) and "encoding" in str(err.value)


def test_empty_csv_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match="empty"):
        list(MappingLoader(_mapping(tmp_path, "s.csv")).records())


def test_row_without_key_is_rejected_and_others_still_load(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("code,name_zh,alt,parent\n,无键,,\nSK-C,有键,,\n", encoding="utf-8")
    nodes, _, rejects = _records(_mapping(tmp_path, "s.csv"))
    assert [n.key for n in nodes] == ["SK-C"]
    assert len(rejects) == 1 and rejects[0].origin.line == 2 and rejects[0].field == "code"


def test_xlsx_sheet_by_name_with_dates_and_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "技能 Skills"
    ws.append(["code", "name_zh", "alt", "parent"])
    ws.append(["SK-A", "机器人编程", None, None])
    wb.create_sheet("other").append(["x"])
    wb.save(tmp_path / "w.xlsx")
    nodes, _, _ = _records(_mapping(tmp_path, "w.xlsx", "sheet: 技能 Skills"))
    assert [n.key for n in nodes] == ["SK-A"] and nodes[0].origin.line == 2
    with pytest.raises(SourceError, match="no sheet named 'Nope'") as err:
        list(MappingLoader(_mapping(tmp_path, "w.xlsx", "sheet: Nope")).records())
    assert "技能 Skills" in (err.value.hint or "")


def test_sql_source_by_table_and_query(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE skills (code TEXT, name_zh TEXT, alt TEXT, parent TEXT)")
        conn.executemany(
            "INSERT INTO skills VALUES (?,?,?,?)", [("SK-A", "甲", None, None), ("SK-B", "乙", None, "SK-A")]
        )
    nodes, edges, _ = _records(_mapping(tmp_path, "a.sqlite", "table: skills"))
    assert [n.key for n in nodes] == ["SK-A", "SK-B"] and len(edges) == 1
    nodes, _, _ = _records(_mapping(tmp_path, "a.sqlite", "query: SELECT * FROM skills WHERE parent IS NULL"))
    assert [n.key for n in nodes] == ["SK-A"]
    with pytest.raises(SourceError, match="SQL source failed"):
        list(MappingLoader(_mapping(tmp_path, "a.sqlite", "table: missing_table")).records())


def test_jsonl_bad_line_is_rejected_with_its_line_number(tmp_path: Path) -> None:
    lines = [json.dumps({"code": "SK-A", "name_zh": "甲"}), "{not json", json.dumps({"code": "SK-B", "name_zh": "乙"})]
    (tmp_path / "s.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    nodes, _, rejects = _records(_mapping(tmp_path, "s.jsonl"))
    assert [n.key for n in nodes] == ["SK-A", "SK-B"]
    assert rejects[0].origin.line == 2 and "not valid JSON" in rejects[0].reason


def test_nested_json_records_keep_outer_fields(tmp_path: Path) -> None:
    doc = {
        "standards": [
            {"code": "S1", "levels": [{"level": 5, "skills": ["SK-A", "SK-B"]}, {"level": 4, "skills": ["SK-C"]}]}
        ]
    }
    (tmp_path / "s.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        """
dataset: t
sources:
  - name: units
    file: s.json
    records: standards[].levels[].skills[]
    edges:
      - predicate: specifiesSkill
        from: {class: Standard, key: code}
        to: {class: Skill, key: levels.skills}
        properties: {level: levels.level}
""",
        encoding="utf-8",
    )
    _, edges, _ = _records(tmp_path / "m.yaml")
    assert [(e.source.key, e.target.key, e.properties["level"]) for e in edges] == [
        ("S1", "SK-A", 5),
        ("S1", "SK-B", 5),
        ("S1", "SK-C", 4),
    ]
    assert edges[2].origin.pointer == "standards[0].levels[1].skills[0]"


def test_map_transform_rejects_values_outside_the_map(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("occ,skill,rel\nO1,S1,essential\nO1,S2,sometimes\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        """
dataset: t
sources:
  - name: demand
    file: d.csv
    edges:
      - predicate: requiresSkill
        from: {class: Occupation, key: occ}
        to: {class: Skill, key: skill}
        properties: {weight: {column: rel, map: {essential: 1.0, optional: 0.5}}}
""",
        encoding="utf-8",
    )
    _, edges, rejects = _records(tmp_path / "m.yaml")
    assert [e.properties["weight"] for e in edges] == [1.0]
    assert rejects[0].origin.line == 3 and "'sometimes' is not one of" in rejects[0].reason


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("dataset: t\nsources: [{name: a, file: x.csv, class: Skill}]\n", "needs a 'key'"),
        ("dataset: t\nsources: [{name: a, class: Skill, key: k}]\n", "exactly one of 'file' or 'url'"),
        ("dataset: t\nsources:\n  - name: a\n    file: x.csv\n    clas: Skill\n", "clas"),
        ("dataset: t\nsources: [\n", "not valid YAML"),
    ],
)
def test_malformed_mapping_names_the_file_and_field(tmp_path: Path, text: str, needle: str) -> None:
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        MappingLoader(tmp_path / "m.yaml")
    assert "m.yaml" in str(err.value) and needle in str(err.value)


def test_unknown_loader_kind_lists_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="unknown loader kind 'parquet'") as err:
        get_loader("parquet", tmp_path / "x")
    assert "mapping" in (err.value.hint or "")  # type: ignore[attr-defined]


def test_excel_dates_become_dates(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name_zh", "alt", "parent"])
    ws.append(["SK-A", dt.datetime(2025, 3, 1), None, None])
    wb.save(tmp_path / "w.xlsx")
    nodes, _, _ = _records(_mapping(tmp_path, "w.xlsx"))
    assert nodes[0].properties["label_zh"] == dt.date(2025, 3, 1)


def test_a_huge_field_rejects_its_row_and_the_rest_loads(tmp_path: Path) -> None:
    big = "x" * 200_000
    (tmp_path / "s.csv").write_text(f'code,name_zh,alt,parent\nSK-A,"{big}",,\nSK-B,乙,,\n', encoding="utf-8")
    nodes, _, rejects = _records(_mapping(tmp_path, "s.csv"))
    assert [n.key for n in nodes] == ["SK-B"]
    assert rejects[0].field == "name_zh" and "200,000 characters" in rejects[0].reason and rejects[0].origin.line == 2


def test_a_missing_column_named_in_the_mapping_is_reported(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("code,name\nSK-A,甲\n", encoding="utf-8")
    with pytest.raises(SourceError, match="name_zh") as err:
        list(MappingLoader(_mapping(tmp_path, "s.csv")).records())
    assert "s.csv" in str(err.value) and "name" in (err.value.hint or "")
