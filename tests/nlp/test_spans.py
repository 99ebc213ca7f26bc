"""Mention bounds and names (spans.py), the synonym table, definition phrases, label choice per language."""

from __future__ import annotations

from pathlib import Path

import pytest

from ieic_kg.errors import SourceError
from ieic_kg.nlp import LabelEntry, Mention, build_extractor
from ieic_kg.nlp.extractor import latin_name, usable_labels
from ieic_kg.nlp.labels import description_labels, description_phrases
from ieic_kg.nlp.synonyms import read_synonyms, with_synonyms

from .conftest import SKILL


def _spans(mentions: list[Mention]) -> dict[str, str]:
    """Mention text → skill code, linked mentions only."""
    return {m.text: m.iri.removeprefix(SKILL) for m in mentions if m.iri}


# -- bounds -------------------------------------------------------------------------------------------


def test_a_specific_verb_and_a_brand_belong_to_the_mention(en, zh) -> None:
    got = _spans(en.extract("Requirements: read electrical schematics; configure an HMI; ABB RAPID programming."))
    assert got["read electrical schematics"] == "SK-ELEC-DIAG"
    assert got["configure an HMI"] == "SK-ELEC-HMI"
    assert got["ABB RAPID programming"] == "SK-ROB-PROG-TEACH"
    got = _spans(zh.extract("任职要求：熟悉西门子S7-1200 PLC编程，能操作数控车床，会伺服系统调试。"))
    assert got["西门子S7-1200 PLC编程"] == "SK-ELEC-PLC"
    assert got["操作数控车床"] == "SK-CNC-LATHE"
    assert got["伺服系统调试"] == "SK-ELEC-DRIVE-SERVO"


def test_a_generic_verb_stays_out_and_an_activity_noun_comes_in(en, zh) -> None:
    got = _spans(en.extract("Requirements: use EtherCAT and Modbus RTU; HMI programming is a plus."))
    assert {"EtherCAT", "Modbus RTU", "HMI programming"} <= set(got)
    got = _spans(zh.extract("要求：熟悉触摸屏组态，掌握变频器参数设置。"))
    assert "变频器参数设置" in got and "熟悉触摸屏组态" not in got


def test_two_coordinated_verbs_only_where_a_predicate_starts(en) -> None:
    got = _spans(en.extract("Plan IP addresses of an industrial Ethernet network and configure an EtherCAT master."))
    assert "configure an EtherCAT master" in got  # "network" ends a noun phrase: it is no verb here
    got = _spans(en.extract("Students will be able to configure and commission an EtherCAT master."))
    assert "configure and commission an EtherCAT master" in got


def test_a_job_title_near_a_label_is_no_fuzzy_mention(en) -> None:
    # "Mechanical Designer" is within the fuzzy threshold of the label "Mechanical design"
    got = _spans(en.extract("Mechanical Designer: SolidWorks, GD&T per ASME Y14.5."))
    assert "Mechanical Designer" not in got
    assert got.get("SolidWorks") == "SK-CAD-3D"


def test_coordinated_modifiers_make_one_mention(zh, en) -> None:
    assert "四轴、五轴加工" in _spans(zh.extract("要求：能独立完成模具零件的四轴、五轴加工。"))
    assert "4- and 5-axis machining" in _spans(en.extract("Requirements: 4- and 5-axis machining of moulds."))


# -- names and means ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "label"),
    [
        ("zh", "《机器视觉应用》是专业课。", "机器视觉"),
        ("zh", "本课程在PLC实训室进行。", "PLC"),
        ("zh", "招聘装配钳工，待遇从优。", "装配钳工"),
        ("zh", "佛山精益制造有限公司成立于2015年。", "精益制造"),
        ("en", "The module is assessed in the Robotics Lab.", "Robotics"),
        ("en", "Robot Maintenance Technician: keep the line running.", "Robot Maintenance"),
        ("en", "Students draw 2D drafting in AutoCAD.", "AutoCAD"),
    ],
)
def test_labels_inside_names_or_only_means_are_not_mentions(zh, en, lang: str, text: str, label: str) -> None:
    ex = zh if lang == "zh" else en
    assert all(label not in m.text for m in ex.extract(text) if m.iri), ex.extract(text)


def test_a_means_of_another_skill_stays_and_a_title_is_read(en, zh) -> None:
    got = _spans(en.extract("Requirements: PLC programming in Structured Text."))
    assert got.get("Structured Text") == "SK-ELEC-PLC-ST"  # a second skill, not the means of the first
    ms = zh.extract("岗位：PLC电气工程师\n任职要求：会电气接线。")
    assert any(m.iri == SKILL + "SK-ELEC-PLC" and m.section == "title" for m in ms)  # the loader reads titles


def test_does_not_cover_is_a_negation(en) -> None:
    ms = en.extract("Learning outcomes: commission a servo drive. This module does not cover virtual commissioning.")
    cues = {m.iri.removeprefix(SKILL): m.cue for m in ms if m.iri}
    assert cues["SK-SW-VC"] == "negated" and cues["SK-ELEC-DRIVE-SERVO"] != "negated"


# -- label sets ---------------------------------------------------------------------------------------


def test_chinese_extractor_gets_latin_names_not_english_phrases(demo_labels) -> None:
    assert latin_name("PLC") and latin_name("TIA Portal") and latin_name("C++") and latin_name("ISO 10218")
    assert latin_name("Python (computer programming)")
    assert not latin_name("use hand tools") and not latin_name("Robot operation") and not latin_name("机器人")
    extra = [
        LabelEntry("http://example.org/s/1", "operate forklift", "en", "label"),
        LabelEntry("http://example.org/s/2", "MATLAB", "en", "label"),
    ]
    texts = {e.text for e in build_extractor(demo_labels + extra, "zh").labels}
    assert "MATLAB" in texts and "operate forklift" not in texts and "Robot operation" not in texts


def test_everyday_one_word_labels_are_not_matched() -> None:
    entries = [
        LabelEntry("http://example.org/s/1", "plan", "en", "label"),
        LabelEntry("http://example.org/s/2", "welding techniques", "en", "label"),
        LabelEntry("http://example.org/s/2", "welding", "en", "altLabel"),
        LabelEntry("http://example.org/s/3", "manage staff", "en", "label"),
        LabelEntry("http://example.org/s/3", "team", "en", "altLabel"),
        LabelEntry("http://example.org/s/4", "hydraulics", "en", "label"),
    ]
    assert {e.text for e in usable_labels(entries)} == {"welding techniques", "welding", "manage staff", "hydraulics"}


def test_synonyms_attach_to_the_concepts_of_their_label(en) -> None:
    rows = read_synonyms()
    assert any(s.term == "programmable logic controller" and s.same_as == "PLC" for s in rows)
    entries = with_synonyms([LabelEntry(SKILL + "SK-X", "PLC", "en", "altLabel", source="t")], rows)
    assert LabelEntry(SKILL + "SK-X", "programmable logic controller", "en", "altLabel", source="t") in entries
    got = _spans(en.extract("Requirements: programmable logic controllers and variable-speed drives."))
    assert got == {"programmable logic controllers": "SK-ELEC-PLC", "variable-speed drives": "SK-ELEC-DRIVE"}
    assert build_extractor([], "en", synonyms=False).labels == []


def test_a_malformed_synonym_row_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "syn.tsv"
    path.write_text("# header\nPLC\ten\tprogrammable logic controller\texpansion\nHMI\ten\tbad\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_synonyms(path)
    assert "line 3" in str(err.value) or err.value.line == 3  # type: ignore[attr-defined]


def test_task_phrases_of_a_definition_are_hidden_labels() -> None:
    phrases = description_phrases("能按保养周期完成润滑油更换、电池更换、零点校准和本体与控制柜的日常点检。")
    assert {"润滑油更换", "电池更换", "零点校准"} <= set(phrases)
    assert description_phrases("能完成参数设置与故障诊断。") == []  # generic objects say nothing
    defs = {SKILL + "A": "能完成相机内参标定与畸变校正。", SKILL + "B": "能完成畸变校正。"}
    hidden = description_labels([LabelEntry(SKILL + "A", "视觉标定", "zh")], defs)
    assert [(e.iri, e.text, e.kind) for e in hidden] == [(SKILL + "A", "相机内参标定", "hiddenLabel")]
