"""Similarity linking (ieic_kg/nlp/similar.py) and definitions as the extractor's input."""

from __future__ import annotations

from ieic_kg.nlp import LabelEntry, build_extractor
from ieic_kg.nlp.similar import (
    SIMILAR_THRESHOLD,
    SimilarityIndex,
    definition_phrases,
    en_features,
    similarity_phrases,
    zh_features,
)

BASE = "https://example.org/skill/"
VIS, WIRE, DOC, GROUP = BASE + "VIS", BASE + "WIRE", BASE + "DOC", BASE + "ELEC"

LABELS = [
    LabelEntry(VIS, "机器视觉", "zh"),
    LabelEntry(VIS, "Machine vision", "en"),
    LabelEntry(WIRE, "电气接线", "zh"),
    LabelEntry(WIRE, "Electrical wiring", "en"),
    LabelEntry(DOC, "技术文档", "zh"),
    LabelEntry(DOC, "Technical writing", "en"),
    LabelEntry(GROUP, "电气自动化", "zh"),
    LabelEntry(GROUP, "Electrical automation", "en"),
]
DEFINITIONS = {
    VIS: {
        "zh": "能完成工业相机、镜头与光源选型，搭建视觉系统。",
        "en": "Can select industrial cameras, lenses and light sources.",
    },
    WIRE: {
        "zh": "能按图纸完成控制柜布线与通电调试。",
        "en": "Can carry out control cabinet wiring according to drawings.",
    },
    DOC: {
        "zh": "能编写调试记录、维修报告等技术文档。",
        "en": "Can write technical documents such as commissioning records.",
    },
    GROUP: {"zh": "电气控制线路与电机驱动相关能力的总称。", "en": "Umbrella term for electrical control and drives."},
}


def test_features() -> None:
    assert zh_features("完成ＰＬＣ选型") == ["plc", "完成", "选型"]
    assert zh_features("相机与镜头") == ["相机", "机与", "与镜", "镜头"]
    assert en_features("Wiring the control cabinets") == en_features("wire control cabinet")


def test_definition_phrases_drop_the_lead_words() -> None:
    assert definition_phrases(DEFINITIONS[WIRE]["zh"], "zh") == ["按图纸完成控制柜布线与通电调试"]
    assert definition_phrases("Can select cameras; can set up lighting.", "en") == ["select cameras", "set up lighting"]


def test_groups_are_not_in_the_index() -> None:
    phrases = similarity_phrases(LABELS, DEFINITIONS, "zh")
    assert {iri for iri, _ in phrases} == {VIS, WIRE, DOC}


def test_nearest_concept_and_refusals() -> None:
    index = SimilarityIndex(similarity_phrases([e for e in LABELS if e.lang == "zh"], DEFINITIONS, "zh"), "zh")
    best = index.nearest(["工业相机与镜头选型", "软件", "天气预报"])
    assert best[0][0][0] == VIS and best[0][0][1] > 0.5
    assert best[1] == []  # one known feature says too little
    assert best[2] == []  # nothing in common


def test_the_extractor_links_a_clause_no_label_names_only_when_asked() -> None:
    text = "能完成工业相机与镜头选型，能撰写调试记录和维修报告。"
    off = build_extractor(LABELS, "zh", definitions=DEFINITIONS)
    assert [m for m in off.extract(text) if m.iri] == []
    on = build_extractor(LABELS, "zh", definitions=DEFINITIONS, similar_threshold=SIMILAR_THRESHOLD)
    found = [(m.text, m.iri, m.method) for m in on.extract(text) if m.iri]
    assert found == [("工业相机与镜头选型", VIS, "similar"), ("撰写调试记录和维修报告", DOC, "similar")]
    assert all(0 < m.confidence <= 0.75 for m in on.extract(text) if m.iri)


def test_english_clauses_negation_and_examples() -> None:
    ex = build_extractor(LABELS, "en", definitions=DEFINITIONS, similar_threshold=SIMILAR_THRESHOLD)
    got = [(m.text, m.iri) for m in ex.extract("Students wire a control cabinet to IEC 60204-1.") if m.iri]
    assert got == [("wire a control cabinet", WIRE)]
    assert [m for m in ex.extract("Wiring control cabinets is not required.") if m.iri] == []
    assert [m for m in ex.extract("Commission lines, including control cabinet wiring.") if m.method == "similar"] == []


def test_a_named_skill_is_not_linked_again_by_similarity() -> None:
    ex = build_extractor(LABELS, "zh", definitions=DEFINITIONS, similar_threshold=SIMILAR_THRESHOLD)
    mentions = [m for m in ex.extract("掌握机器视觉，完成工业相机与镜头选型。") if m.iri]
    assert [(m.text, m.method) for m in mentions] == [("机器视觉", "exact")]  # the clause after is a step of it


def test_the_documents_loader_passes_definitions_and_the_threshold(tmp_path) -> None:
    from ieic_kg.loaders.documents import DocumentLoader

    from ieic_kg.records import EdgeRecord

    posting = tmp_path / "posting.md"
    posting.write_text("# 电气装配工\n\n## 任职要求\n\n- 能完成工业相机与镜头选型\n", encoding="utf-8")

    def required(**kw: object) -> dict[str, str]:
        records = DocumentLoader([posting], "posting", LABELS, **kw).records()  # type: ignore[arg-type]
        edges = [r for r in records if isinstance(r, EdgeRecord) and r.predicate == "requiresSkill"]
        return {r.target.iri: r.properties.get("method") for r in edges if r.target.iri}

    assert required() == {}
    assert required(definitions=DEFINITIONS, similar_threshold=SIMILAR_THRESHOLD) == {VIS: "extracted:similar"}
