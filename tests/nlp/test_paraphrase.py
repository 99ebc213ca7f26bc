"""Verb-object paraphrases of activity labels, and the span rules that came with them (eval/README.md, results of
2026-11-29 evening): one-word modifiers are not mentions, coordinated noun modifiers and Chinese noun modifiers
belong to the mention, a text without sections is all content."""

from __future__ import annotations

from ieic_kg.nlp import LabelEntry, Mention, build_extractor

LABELS = [
    LabelEntry("urn:s:ops", "Industrial robot operation", "en", "label"),
    LabelEntry("urn:s:prog", "Industrial robot programming", "en", "label"),
    LabelEntry("urn:s:insp", "Defect detection", "en", "altLabel"),
    LabelEntry("urn:s:weld", "welding", "en", "label"),
    LabelEntry("urn:s:fix", "Fixture design", "en", "altLabel"),
    LabelEntry("urn:s:team", "work in teams", "en", "label"),
    LabelEntry("urn:s:risk", "风险评估", "zh", "altLabel"),
    LabelEntry("urn:s:3d", "三维建模", "zh", "label"),
]


def _by_text(mentions: list[Mention]) -> dict[str, Mention]:
    return {m.text: m for m in mentions if m.iri}


def test_a_verb_and_its_object_link_to_the_activity_label() -> None:
    ex = build_extractor(LABELS, "en")
    text = "Students operate an industrial robot, program industrial robots and detect surface defects."
    found = _by_text(ex.extract(text))
    assert found["operate an industrial robot"].iri == "urn:s:ops"
    assert found["program industrial robots"].iri == "urn:s:prog"
    # one modifier more than the label ("surface"), the same head: a narrower mention of the same skill
    assert found["detect surface defects"].iri == "urn:s:insp"
    for m in found.values():
        assert m.method == "paraphrase"
        assert 0.7 <= m.confidence <= 0.8
    assert found["detect surface defects"].confidence < found["operate an industrial robot"].confidence


def test_a_paraphrase_needs_the_object_of_a_label() -> None:
    ex = build_extractor(LABELS, "en")
    assert [m for m in ex.extract("Students operate a coffee machine and program a washing machine.") if m.iri] == []
    # a verb without a nominalisation links nothing either
    assert [m for m in ex.extract("Students admire an industrial robot.") if m.iri] == []


def test_paraphrases_are_off_with_fuzzy_linking() -> None:
    ex = build_extractor(LABELS, "en", fuzzy_threshold=100)
    assert [m for m in ex.extract("Students operate an industrial robot.") if m.iri] == []


def test_a_one_word_label_that_modifies_a_noun_is_not_a_mention() -> None:
    ex = build_extractor(LABELS, "en")
    texts = {
        "Check the welding power source and set welding parameters.": [],
        "Welding experience required; welding is a plus.": ["welding", "welding"],
    }
    for text, expected in texts.items():
        assert [m.text.lower() for m in ex.extract(text) if m.iri] == expected, text


def test_coordinated_noun_modifiers_of_an_activity_make_one_mention() -> None:
    ex = build_extractor(LABELS, "en")
    assert [m.text for m in ex.extract("Skills: jig and fixture design.") if m.iri] == ["jig and fixture design"]
    # a verb phrase is not an activity noun's modifier: the conjunction's left side stays out
    assert [m.text for m in ex.extract("Present to the class and work in teams.") if m.iri] == ["work in teams"]


def test_a_chinese_noun_modifier_before_a_match_belongs_to_it() -> None:
    ex = build_extractor(LABELS, "zh")
    found = [m.text for m in ex.extract("负责开展设备风险评估；熟练SW三维建模。") if m.iri]
    assert found == ["设备风险评估", "SW三维建模"]
    # a verb (协助) or a preposition (根据) before the match is not a modifier (jieba's part-of-speech dictionary)
    assert [m.text for m in ex.extract("能协助风险评估，根据三维建模结果。") if m.iri] == ["风险评估", "三维建模"]


def test_chinese_drawings_writing_verbs_and_coordinated_english_verbs() -> None:
    labels = [
        LabelEntry("urn:s:fluid", "液压", "zh", "altLabel"),
        LabelEntry("urn:s:doc", "调试报告编写", "zh", "altLabel"),
        LabelEntry("urn:s:int", "Robot workcell integration", "en", "label"),
    ]
    zh = build_extractor(labels, "zh")
    # a drawing named after what it shows is the object of the reading verb; 编写 X ↔ X编写
    assert [(m.text, m.iri) for m in zh.extract("能看懂液压原理图，编写调试报告。") if m.iri] == [
        ("看懂液压原理图", "urn:s:fluid"),
        ("编写调试报告", "urn:s:doc"),
    ]
    en = build_extractor(labels, "en")
    assert [m.text for m in en.extract("Design and integrate robot workcells.") if m.iri] == [
        "Design and integrate robot workcells"
    ]


def test_examples_listed_for_a_named_skill_are_not_mentions_of_their_own() -> None:
    labels = [
        LabelEntry("urn:s:lean", "lean manufacturing", "en", "label"),
        LabelEntry("urn:s:lean", "value stream mapping", "en", "altLabel"),
        LabelEntry("urn:s:lean", "精益生产", "zh", "label"),
        LabelEntry("urn:s:lean", "快速换模", "zh", "altLabel"),
    ]
    en = build_extractor(labels, "en")
    assert [m.text for m in en.extract("Explain lean manufacturing tools such as value stream mapping.")] == [
        "lean manufacturing"
    ]
    # not an example when a clause stop separates them, or when nothing says "such as"
    assert [m.text for m in en.extract("Lean manufacturing; value stream mapping.")] == [
        "Lean manufacturing",
        "value stream mapping",
    ]
    zh = build_extractor(labels, "zh")
    assert [m.text for m in zh.extract("了解价值流图与快速换模等精益生产工具。")] == ["精益生产"]
