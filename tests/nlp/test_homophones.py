"""Chinese labels written with characters of the same sound (pinyin typing errors), ieic_kg/nlp/extractor.py."""

from __future__ import annotations

from ieic_kg.nlp import LabelEntry, build_extractor
from ieic_kg.nlp.extractor import sound

TEACH, LATHE, VISION = "https://example.org/s/TEACH", "https://example.org/s/LATHE", "https://example.org/s/VIS"
LABELS = [
    LabelEntry(TEACH, "示教编程", "zh"),
    LabelEntry(LATHE, "数控车床操作", "zh"),
    LabelEntry(VISION, "视觉检测", "zh"),
    LabelEntry(VISION, "机器视觉", "zh", "altLabel"),
]


def test_sound() -> None:
    assert sound("示教编成") == sound("示教编程") == "shi jiao bian cheng"


def test_a_label_typed_with_homophones_links() -> None:
    ex = build_extractor(LABELS, "zh")
    text = "能在示教器上完成示教编成；熟悉数控车窗操作，会视觉检侧。"
    got = [(m.text, m.iri, m.method, m.confidence) for m in ex.extract(text)]
    assert got == [
        ("示教编成", TEACH, "homophone", 0.8),
        ("数控车窗操作", LATHE, "homophone", 0.8),
        ("视觉检侧", VISION, "homophone", 0.8),
    ]


def test_only_a_few_characters_may_differ_and_exact_matches_come_first() -> None:
    ex = build_extractor(LABELS, "zh")
    assert [m.method for m in ex.extract("熟悉示教编程和机器视觉。")] == ["exact", "exact"]
    assert ex.extract("实教便成") == []  # three of four characters differ: a homophone phrase, not a typo
    assert ex.extract("视觉") == []  # shorter than three characters: too many homophones
