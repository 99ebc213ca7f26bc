"""The extractor: matching, linking methods and confidence, sections, cues, levels, languages, cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from ieic_kg.nlp import (
    LabelEntry,
    Mention,
    UnsupportedLanguage,
    build_extractor,
    detect_language,
    label_set_hash,
)
from ieic_kg.nlp.lang import check_language

from .conftest import DEMO_DOCS, FIXTURES, SKILL


def _linked(mentions: list[Mention]) -> dict[str, Mention]:
    """First linked mention per skill code."""
    out: dict[str, Mention] = {}
    for m in mentions:
        if m.iri and m.iri.startswith(SKILL):
            out.setdefault(m.iri.removeprefix(SKILL), m)
    return out


def _check_offsets(text: str, mentions: list[Mention]) -> None:
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.sentence is not None
        s, e = m.sentence
        assert s <= m.start and m.end <= e <= len(text)


# -- linking methods ---------------------------------------------------------------------------------

LABELS = [
    LabelEntry("urn:s:prog", "Robot programming", "en", "label"),
    LabelEntry("urn:s:pneu", "Pneumatic circuit", "en", "altLabel"),
    LabelEntry("urn:s:servo", "Servo system commissioning", "en", "label"),
    LabelEntry("urn:s:plc", "PLC", "en", "altLabel"),
    LabelEntry("urn:s:cam", "CAM", "en", "altLabel"),
    LabelEntry("urn:s:tcp", "Tool centre point calibration", "en", "label"),
]


def test_methods_and_their_confidence_ordering() -> None:
    ex = build_extractor(LABELS, "en")
    text = (
        "Requirements\n"
        "- Robot programming.\n"  # exact
        "- ROBOT Programming.\n"  # case: normalised
        "- Pneumatic circuits.\n"  # plural: lemma
        "- Robot programing.\n"  # a typo: fuzzy
        "- Servo commissioning.\n"  # the label has one word more: fuzzy at the threshold
    )
    ms = ex.extract(text)
    _check_offsets(text, ms)
    by_text = {m.text: m for m in ms}
    assert by_text["Robot programming"].method == "exact"
    assert by_text["ROBOT Programming"].method == "normalised"
    assert by_text["Pneumatic circuits"].method == "lemma"
    assert by_text["Robot programing"].method == "fuzzy"
    assert by_text["Servo commissioning"].method == "fuzzy"
    assert by_text["Robot programming"].iri == by_text["Robot programing"].iri == "urn:s:prog"
    c = [by_text[t].confidence for t in ("Robot programming", "ROBOT Programming", "Robot programing")]
    assert c[0] > c[1] > c[2]
    assert by_text["Pneumatic circuits"].confidence < by_text["ROBOT Programming"].confidence
    assert by_text["Servo commissioning"].confidence <= by_text["Robot programing"].confidence
    assert all(m.cue == "required" and m.section == "requirements" for m in ms)


def test_fuzzy_can_be_turned_off() -> None:
    ex = build_extractor(LABELS, "en", fuzzy_threshold=100)
    assert [m.method for m in ex.extract("Requirements\n- Robot programing.\n")] == []


def test_acronyms_match_in_upper_case_only_and_not_inside_words() -> None:
    ex = build_extractor(LABELS, "en")
    ms = ex.extract("PLC and CAM. A cam shaft. PLCSIM is a tool.")
    assert [(m.text, m.iri) for m in ms] == [("PLC", "urn:s:plc"), ("CAM", "urn:s:cam")]


def test_abbreviation_defined_in_the_document() -> None:
    ex = build_extractor(LABELS, "en")
    text = "Tool Centre Point Calibration (TCPC) is taught first. Later, TCPC is repeated."
    ms = ex.extract(text)
    assert [m.method for m in ms] == ["normalised", "abbreviation", "abbreviation"]
    assert ms[2].iri == "urn:s:tcp" and ms[2].text == "TCPC"
    assert ms[1].confidence < ms[0].confidence


def test_ambiguity_resolved_by_type_then_context() -> None:
    labels = [
        LabelEntry("https://a.example/skill/1", "Welding", "en", "label", "Skill"),
        LabelEntry("https://b.example/occupation/9", "Welding", "en", "label", "Occupation"),
        LabelEntry("https://a.example/skill/2", "Robot maintenance", "en", "label", "Skill"),
        LabelEntry("https://b.example/skill/3", "Robot maintenance", "en", "altLabel", "Skill"),
        LabelEntry("https://a.example/skill/4", "Lubrication", "en", "label", "Skill"),
    ]
    ex = build_extractor(labels, "en")
    ms = ex.extract("Welding, Lubrication and Robot maintenance.")
    got = {m.text: m for m in ms}
    assert got["Welding"].label == "SKILL" and got["Welding"].iri == "https://a.example/skill/1"
    # the document's unambiguous mentions are in a.example's namespace
    assert got["Robot maintenance"].iri == "https://a.example/skill/2"
    assert got["Robot maintenance"].confidence < 1.0  # an ambiguity resolved costs confidence
    assert got["Lubrication"].confidence == 1.0


def test_longest_match_wins(zh) -> None:
    ms = zh.extract("能够熟练进行工业机器人编程。")
    assert [(m.text, m.iri.removeprefix(SKILL)) for m in ms if m.iri] == [("工业机器人编程", "SK-ROB-PROG")]


# -- Chinese ------------------------------------------------------------------------------------------


def test_chinese_width_latin_runs_and_word_order(zh) -> None:
    text = "要求：掌握ＰＬＣ编程与调试；能标定工具坐标系；熟悉ISO10218；了解PLCSIM。"
    ms = zh.extract(text)
    _check_offsets(text, ms)
    got = _linked(ms)
    assert got["SK-ELEC-PLC"].text == "ＰＬＣ编程与调试" and got["SK-ELEC-PLC"].method == "normalised"
    assert got["SK-ROB-OPS-FRAME"].text == "标定工具坐标系" and got["SK-ROB-OPS-FRAME"].method == "lemma"
    assert got["SK-QS-SAFE-ROB"].text == "ISO10218"
    assert not any(m.text == "PLC" for m in ms)  # not inside PLCSIM


def test_jieba_segmenter_works_offline(demo_labels) -> None:
    ex = build_extractor(demo_labels, "zh", segmenter="jieba")
    got = _linked(ex.extract("任职要求：熟悉工业机器人编程和PLC编程，会Python脚本者优先。"))
    assert {"SK-ROB-PROG", "SK-ELEC-PLC", "SK-SW-PY"} <= set(got)
    assert got["SK-SW-PY"].cue == "preferred"


def test_chinese_posting_sections_and_cues(zh) -> None:
    text = (FIXTURES / "posting-zh.txt").read_text(encoding="utf-8")
    ms = zh.extract(text)
    _check_offsets(text, ms)
    got = _linked(ms)
    assert got["SK-ELEC-PLC"].section == "title"  # 岗位：PLC电气工程师
    plc = next(m for m in ms if m.text == "PLC编程与调试")
    assert plc.section == "responsibilities" and plc.cue == "required"
    assert got["SK-ELEC-DRIVE-SERVO"].section == "requirements" and got["SK-ELEC-DRIVE-SERVO"].cue == "required"
    assert got["SK-SW-PY"].cue == "preferred"  # 会Python脚本者优先
    assert got["SK-CNC-MILL-5AX"].cue == "negated"  # 不要求五轴加工经验
    sentence = text[slice(*got["SK-SW-PY"].sentence)]
    assert "Python脚本者优先" in sentence and "\n" not in sentence


def test_english_posting_sections_and_cues(en) -> None:
    text = (FIXTURES / "posting-en.md").read_text(encoding="utf-8")
    got = _linked(en.extract(text))
    assert got["SK-ROB-OPS-FRAME"].section == "responsibilities"
    assert got["SK-ROB-PROG-TEACH"].cue == "required"
    assert got["SK-MECH-FLUID"].cue == "preferred"  # Hydraulics is a plus
    assert got["SK-CNC-MILL"].cue == "negated"  # No experience in CNC milling required
    assert got["SK-MECH-FLUID-PNEU"].method == "normalised"  # "Pneumatic Circuits" for "Pneumatic circuits"


def test_syllabus_negation_mastery_and_metadata(zh, en) -> None:
    gr3004 = (DEMO_DOCS / "syllabi" / "GR3004.md").read_text(encoding="utf-8")
    got = _linked(zh.extract(gr3004))
    assert got["SK-QS-SAFE-ROB"].cue == "negated"  # …的系统训练尚未纳入本课程
    assert got["SK-SENS-VIS-GUIDE"].mastery == "I"  # 初步了解视觉定位
    assert got["SK-ELEC-PLC"].section == "meta"  # 先修课程：…PLC应用技术（GR3003）
    gr3002 = (DEMO_DOCS / "syllabi" / "GR3002.md").read_text(encoding="utf-8")
    got = _linked(en.extract(gr3002))
    assert got["SK-SW-VC"].cue == "negated"  # Not covered: virtual commissioning …
    assert got["SK-ROB-PROG-OFFLINE"].section == "title"


def test_standard_levels(zh) -> None:
    text = (FIXTURES / "standard-zh.md").read_text(encoding="utf-8")
    got = _linked(zh.extract(text))
    assert got["SK-ROB-OPS"].level == 5
    assert got["SK-ROB-OPS-FRAME"].level == 4
    assert got["SK-ROB-PROG-OFFLINE"].level == 3
    assert got["SK-SW-VC"].level == 1


@pytest.mark.parametrize(
    ("heading", "level"),
    [("五级/初级工", 5), ("四级", 4), ("三级/高级工", 3), ("二级/技师", 2), ("一级/高级技师", 1), ("高级技师", 1),
     ("初级", 1), ("中级", 2), ("高级", 3), ("Level 4 / Intermediate worker", 4), ("Senior technician", 1)],
)  # fmt: skip
def test_level_names(heading: str, level: int) -> None:
    from ieic_kg.nlp.sections import parse_level

    assert parse_level(heading) == level


def test_inline_sections_of_a_flattened_posting(zh) -> None:
    text = "岗位职责：1. 负责机器人焊接工作站调试；任职要求：熟悉PLC；持电工证者优先。"
    got = _linked(zh.extract(text))
    assert got["SK-ROB-INT-WELD"].section == "responsibilities"
    assert got["SK-ELEC-PLC"].section == "requirements"
    assert got["SK-QS-SAFE-ELEC"].cue == "preferred"


# -- candidates, pipe, languages, cache -------------------------------------------------------------


def test_candidates_are_unlinked_terms(en) -> None:
    ms = en.extract("Requirements\n- Experience with Sysmac Studio and PLC programming.\n")
    cands = [m for m in ms if m.iri is None]
    assert [m.text for m in cands] == ["Sysmac Studio"]
    assert cands[0].method == "candidate" and cands[0].confidence == 0.0


def test_pipe_gives_what_extract_gives(zh, en) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((DEMO_DOCS / "syllabi").glob("*.md"))]
    zh_texts = [t for t in texts if detect_language(t) == "zh"]
    assert list(zh.pipe(zh_texts, batch_size=2)) == [zh.extract(t) for t in zh_texts]


def test_pipe_with_two_processes(demo_labels) -> None:
    ex = build_extractor(demo_labels, "en")
    texts = [p.read_text(encoding="utf-8") for p in sorted((DEMO_DOCS / "postings").glob("*.txt"))]
    texts = [t for t in texts if detect_language(t) == "en"] * 3
    assert list(ex.pipe(texts, batch_size=2, n_process=2)) == [ex.extract(t) for t in texts]


@pytest.mark.parametrize("name", ["french.txt", "japanese.txt"])
def test_other_languages_are_refused(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    with pytest.raises(UnsupportedLanguage) as err:
        detect_language(text)
    assert "Chinese (zh) and English (en) only" in str(err.value)
    assert err.value.language == name[:2].replace("ja", "ja").replace("fr", "fr")


def test_languages_detected_and_given() -> None:
    for path in sorted(DEMO_DOCS.rglob("*.*")):
        text = path.read_text(encoding="utf-8")
        expected = "zh" if any("\u4e00" <= c <= "\u9fff" for c in text[:200]) else "en"
        assert detect_language(text) == expected, path.name
    assert check_language("zh-CN") == "zh" and check_language("en_GB") == "en"
    with pytest.raises(UnsupportedLanguage):
        check_language("fr")
    with pytest.raises(UnsupportedLanguage):
        build_extractor(LABELS, "de")


def test_pattern_cache_is_keyed_by_the_label_set(tmp_path: Path) -> None:
    ex1 = build_extractor(LABELS, "en", cache_dir=tmp_path)
    files = list((tmp_path / "nlp").glob("patterns-en-*.pkl"))
    assert len(files) == 1
    ex2 = build_extractor(LABELS, "en", cache_dir=tmp_path)  # read from the cache
    text = "Requirements\n- Robot programming and pneumatic circuits.\n"
    assert ex1.extract(text) == ex2.extract(text)
    more = [*LABELS, LabelEntry("urn:s:new", "Cobot deployment", "en", "label")]
    assert label_set_hash(more) != label_set_hash(LABELS)
    ex3 = build_extractor(more, "en", cache_dir=tmp_path)
    assert len(list((tmp_path / "nlp").glob("patterns-en-*.pkl"))) == 2
    assert [m.iri for m in ex3.extract("Cobot deployment.")] == ["urn:s:new"]


def test_english_tokens_are_spacys_default_tokens() -> None:
    """The English tokenizer leaves out spaCy's whitespace special cases (they kept its cache off for a whole
    text after its first line break) and empties the cache after tokenising the patterns: the tokens of texts
    with line breaks, tabs, no-break spaces and contractions are still those of spaCy's default tokenizer."""
    import spacy

    from ieic_kg.nlp.text import fold_width
    from ieic_kg.nlp.tokenizer import blank_pipeline

    ours = blank_pipeline("en")
    default = spacy.blank("en").tokenizer
    texts = [
        "Requirements:\n- PLC programming (Siemens S7-1500);\tHMI\u00a0design.\n\nWe don't need C++, e.g. R&D.\n",
        "  Robot Technician #12\r\nExperience with TIA Portal V17 is a plus!  Mr. Smith's team, 8 a.m.–5 p.m.",
    ]
    for _ in range(2):  # the second time from the cache
        for text in texts:
            expected = [(t.idx, t.text) for t in default(fold_width(text))]
            assert [(t.idx, t.text) for t in ours.tokenizer(text)] == expected
    ex = build_extractor(LABELS, "en", fuzzy_threshold=100)
    text = "Requirements:\nRobot programming and pneumatic circuits.\nRobot programming again."
    assert [m.text for m in ex.extract(text)] == ["Robot programming", "pneumatic circuits", "Robot programming"]
