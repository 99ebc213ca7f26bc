"""The CASE loader: CFPackage JSON (1EdTech CASE 1.0 and 1.1) becomes a standard and its skills.

The fixtures in tests/fixtures/case are hand-made packages (see their README): an industrial-robot
programming framework in Chinese (CASE 1.0) and a robot operation and maintenance framework in English
with one Chinese translation (CASE 1.1).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ieic_kg.loaders import LOADERS
from ieic_kg.loaders.case import CaseLoader, case_factory

from ieic_kg.config import Settings
from ieic_kg.errors import SourceError
from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest
from ieic_kg.ontology import Ontology
from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Record, Ref, Reject

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "case"
V1P0 = FIXTURES / "irap-v1p0.json"
V1P1 = FIXTURES / "irom-v1p1.json"

B0 = "https://case.example.org/ims/case/v1p0"
B1 = "https://case.example.org/ims/case/v1p1"
DOC0 = f"{B0}/CFDocuments/4e659f70-7344-4153-b260-c1c8a35a2f0d"
DOC1 = f"{B1}/CFDocuments/6bf3160d-0ee8-4130-8483-06c658e884fc"
ESCO1 = "http://data.europa.eu/esco/skill/81c2e0d5-a634-4874-9da3-3c9a9492faab"
ESCO2 = "http://data.europa.eu/esco/skill/dc94ba8f-b21d-4567-b991-d88e11ec9d4d"
ESCO3 = "http://data.europa.eu/esco/skill/93f1b2af-fc43-4aa0-95e5-7d91154d9296"
OTHER_FRAMEWORK_ITEM = f"{B0}/CFItems/2f934a87-01b7-4c51-b5fc-7e81f212d002"
TEACH_PENDANT = f"{B0}/CFItems/893396c6-2429-4707-ac07-2af72b8a5aa2"  # IRAP-1.1.1


def _split(records: list[Record]) -> tuple[list[NodeRecord], list[EdgeRecord], list[Reject]]:
    return (
        [r for r in records if isinstance(r, NodeRecord)],
        [r for r in records if isinstance(r, EdgeRecord)],
        [r for r in records if isinstance(r, Reject)],
    )


def _read(path: Path) -> tuple[list[NodeRecord], list[EdgeRecord], list[Reject]]:
    return _split(list(CaseLoader(path).records()))


def _codes(nodes: list[NodeRecord]) -> dict[str, str]:
    """IRI → code of the nodes."""
    return {n.iri or "": n.properties["code"] for n in nodes}


def _package(tmp_path: Path, package: Any, name: str = "p.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _association(kind: str | None, origin: dict[str, str], destination: dict[str, str]) -> dict[str, Any]:
    link = {"originNodeURI": origin, "destinationNodeURI": destination}
    return link if kind is None else {"associationType": kind, **link}


def _minimal(**document: Any) -> dict[str, Any]:
    doc = {"identifier": "d1", "uri": "https://x.example.org/CFDocuments/d1", "title": "T", **document}
    return {"CFDocument": doc, "CFItems": [], "CFAssociations": []}


# -- the kind ---------------------------------------------------------------------------------------------


def test_case_is_a_registered_kind_that_reads_the_package_as_published(tmp_path: Path) -> None:
    loader = LOADERS["case"](V1P0, None, None)
    assert isinstance(loader, CaseLoader)
    assert loader.name == "case" and loader.dataset == "case-4e659f70-7344-4153-b260-c1c8a35a2f0d"
    assert loader.source_paths() == [V1P0.resolve()]
    with pytest.raises(SourceError, match="no --mapping"):
        case_factory(V1P0, tmp_path / "m.yaml", None)
    with pytest.raises(SourceError, match="no --table"):
        case_factory(V1P0, None, "items")


# -- CASE 1.0 ---------------------------------------------------------------------------------------------


def test_v1p0_document_becomes_a_standard_under_its_published_uri() -> None:
    loader = CaseLoader(V1P0)
    nodes, _, _ = _read(V1P0)
    doc = nodes[0]
    assert loader.case_version == "1.0"
    assert (doc.cls, doc.iri, doc.key, doc.origin.pointer) == ("Standard", DOC0, None, "CFDocument")
    assert doc.properties == {
        "code": "4e659f70-7344-4153-b260-c1c8a35a2f0d",
        "label_zh": "工业机器人应用编程职业能力框架（示例）",
        "description_zh": "依据工业机器人应用编程职业技能等级要求编制的示例能力框架，仅用于测试。",
        "url": "https://case.example.org/frameworks/irap",
        "issuedDate": "2021-03-01",  # adoptionStatus Adopted: its statusStartDate
    }


def test_v1p0_items_become_skills_with_codes_chinese_labels_and_types() -> None:
    nodes, _, _ = _read(V1P0)
    skills = {n.properties["code"]: n for n in nodes[1:]}
    assert len(skills) == 8 and {n.cls for n in skills.values()} == {"Skill"}
    assert all(n.iri and n.iri.startswith(f"{B0}/CFItems/") for n in skills.values())
    pendant = skills["IRAP-1.1.1"]
    assert pendant.iri == TEACH_PENDANT and pendant.origin == Origin(str(V1P0), pointer="CFItems[2]")
    assert pendant.properties == {
        "code": "IRAP-1.1.1",
        "label_zh": "示教器手动操纵",  # the abbreviated statement is the label …
        "definition_zh": "能使用示教器完成工业机器人的手动操纵、坐标系切换和速度设定",  # … the full one its definition
        "altLabel_zh": ["手动示教"],
        "skillType": "skill",  # CFItemType 技能
    }
    # without an abbreviated statement the full statement is the label
    assert skills["IRAP-2.1.2"].properties["label_zh"] == "能编写机器人与PLC之间的I/O通信程序"
    assert "definition_zh" not in skills["IRAP-2.1.2"].properties
    # the type only by CFItemTypeURI, found in CFDefinitions.CFItemTypes: 知识
    assert skills["IRAP-1.1.2"].properties["skillType"] == "knowledge"
    # work areas and tasks (工作领域, 工作任务) group skills: no skillType
    assert {c for c, n in skills.items() if "skillType" not in n.properties} == {
        "IRAP-1",
        "IRAP-1.1",
        "IRAP-2",
        "IRAP-2.1",
    }
    assert not any(k.endswith("_en") for n in nodes for k in n.properties)


def test_hierarchy_points_from_child_to_parent_and_the_document_specifies_the_top_items() -> None:
    nodes, edges, _ = _read(V1P0)
    code = _codes(nodes)
    broader = {(code[e.source.iri or ""], code[e.target.iri or ""]) for e in edges if e.predicate == "broader"}
    assert broader == {
        ("IRAP-1.1", "IRAP-1"),
        ("IRAP-1.1.1", "IRAP-1.1"),
        ("IRAP-1.1.2", "IRAP-1.1"),
        ("IRAP-2.1", "IRAP-2"),
        ("IRAP-2.1.1", "IRAP-2.1"),
        ("IRAP-2.1.2", "IRAP-2.1"),
    }
    specifies = [e for e in edges if e.predicate == "specifiesSkill"]
    assert {e.source.iri for e in specifies} == {DOC0}
    assert sorted(code[e.target.iri or ""] for e in specifies) == ["IRAP-1", "IRAP-2"]
    assert specifies[0].source == Ref(cls="Standard", iri=DOC0)
    # every skill reaches the document: up by broader, then specifiesSkill
    parent = dict(broader)
    for skill in (c for c in code.values() if c.startswith("IRAP")):
        while skill in parent:
            skill = parent[skill]
        assert skill in ("IRAP-1", "IRAP-2")
    assert all(e.properties["method"] == "taxonomy" for e in edges)
    assert edges[2].origin == Origin(str(V1P0), pointer="CFAssociations[2]")


def test_matches_and_related_skills_keep_external_uris_for_the_ingest_engine_to_check() -> None:
    nodes, edges, _ = _read(V1P0)
    code = _codes(nodes)
    matches = {(code[e.source.iri or ""], e.target) for e in edges if e.predicate == "exactMatch"}
    assert matches == {("IRAP-1.1.1", Ref(iri=ESCO1)), ("IRAP-2.1.1", Ref(iri=ESCO2))}
    related = [e for e in edges if e.predicate == "relatedSkill"]
    assert [(code[e.source.iri or ""], code.get(e.target.iri or "", e.target.iri)) for e in related] == [
        ("IRAP-1.1.1", "IRAP-2.1.1"),
        ("IRAP-1.1.2", OTHER_FRAMEWORK_ITEM),  # another framework's item: referred to by its uri
    ]
    assert related[0].properties == {"method": "taxonomy", "evidence": "CASE association isRelatedTo"}


def test_v1p0_rejects_name_the_json_pointer_field_and_reason() -> None:
    _, edges, rejects = _read(V1P0)
    assert len(edges) == 12
    got = {(r.origin.pointer, r.field): r.reason for r in rejects}
    assert list(got) == [
        ("CFItems[8]", "uri"),
        ("CFAssociations[8]", "originNodeURI"),
        ("CFAssociations[12]", "associationType"),
        ("CFAssociations[14]", "associationType"),
    ]
    assert got[("CFItems[8]", "uri")] == "the CFItem has no uri (CASE requires identifier and uri)"
    assert got[("CFAssociations[8]", "originNodeURI")] == "not loaded: the item it names was rejected at CFItems[8]"
    assert got[("CFAssociations[12]", "associationType")].startswith("unsupported association: precedes — ")
    assert got[("CFAssociations[14]", "associationType")].startswith("unknown association type 'isPrerequisiteOf'")
    assert all(r.origin.file == str(V1P0) for r in rejects)
    assert rejects[0].record["humanCodingScheme"] == "IRAP-2.1.3"  # the record goes to rejects.csv


# -- CASE 1.1 ---------------------------------------------------------------------------------------------


def test_v1p1_framework_type_chooses_the_class_and_languages_follow_each_item() -> None:
    loader = CaseLoader(V1P1)
    nodes, _, _ = _read(V1P1)
    doc, skills = nodes[0], {n.properties["code"]: n for n in nodes[1:]}
    assert loader.case_version == "1.1"
    assert (doc.cls, doc.iri) == ("OccupationalSkillStandard", DOC1)  # frameworkType "Occupational skill standard"
    assert doc.properties["label_en"].startswith("Industrial Robot Operation and Maintenance")
    assert "issuedDate" not in doc.properties  # a Draft has no issued date
    assert skills["IROM-A.1"].properties == {
        "code": "IROM-A.1",
        "label_en": "Robot TCP and user frame calibration",
        "definition_en": "Calibrate the tool centre point (TCP) and the user frames of a six-axis robot",
        "altLabel_en": ["TCP calibration"],
        "skillType": "skill",
    }
    translation = skills["IROM-A.1-zh"].properties  # language zh-Hans in an English document
    assert translation["label_zh"] == "机器人TCP与用户坐标系标定" and "label_en" not in translation
    assert {c: n.properties.get("skillType") for c, n in skills.items()} == {
        "IROM-A": "skill",  # Competency
        "IROM-A.1": "skill",
        "IROM-A.2": "knowledge",
        "IROM-A.1-zh": "skill",
        "IROM-B": "skill",
        "IROM-B.1": "skill",
        "IROM-B.2": "attitude",  # Disposition
        "IROM-A.0": "skill",
    }


def test_v1p1_associations_translations_peers_and_unsupported_types() -> None:
    nodes, edges, rejects = _read(V1P1)
    code = _codes(nodes)

    def named(e: EdgeRecord) -> tuple[str, str, str]:
        return (e.predicate, code.get(e.source.iri or "", "?"), code.get(e.target.iri or "", e.target.iri or "?"))

    assert sorted(map(named, edges)) == sorted(
        [
            ("specifiesSkill", "6bf3160d-0ee8-4130-8483-06c658e884fc", "IROM-A"),
            ("specifiesSkill", "6bf3160d-0ee8-4130-8483-06c658e884fc", "IROM-B"),
            ("broader", "IROM-A.1", "IROM-A"),
            ("broader", "IROM-A.2", "IROM-A"),
            ("broader", "IROM-B.1", "IROM-B"),
            ("broader", "IROM-B.2", "IROM-B"),
            ("broader", "IROM-A.0", "IROM-A"),  # isPartOf: part → whole
            ("exactMatch", "IROM-A.1-zh", "IROM-A.1"),  # isTranslationOf
            ("exactMatch", "IROM-A.1", ESCO3),
            ("relatedSkill", "IROM-A.0", TEACH_PENDANT),  # isPeerOf an item of the 1.0 framework
        ]
    )
    peer = next(e for e in edges if e.predicate == "relatedSkill")
    assert peer.target == Ref(iri=TEACH_PENDANT) and peer.properties["evidence"] == "CASE association isPeerOf"
    got = {r.origin.pointer: (r.field, r.reason, r.value) for r in rejects}
    assert got["CFItems[8]"][:2] == ("identifier", "the CFItem has no identifier (CASE requires identifier and uri)")
    assert got["CFItems[9]"] == (
        "language",
        "language 'de' is neither Chinese nor English: the graph keeps zh and en text only",
        "de",
    )
    for pointer, kind in (
        ("CFAssociations[10]", "replacedBy"),
        ("CFAssociations[11]", "hasSkillLevel"),
        ("CFAssociations[12]", "exemplar"),
        ("CFAssociations[13]", "ext:alignsWithProgram"),
    ):
        field, reason, value = got[pointer]
        assert (field, value) == ("associationType", kind) and reason.startswith("unsupported association: ")
    assert got["CFAssociations[14]"][:2] == (
        "destinationNodeURI",
        "names no node: no uri, and its identifier is not in the package",
    )
    assert len(rejects) == 7


# -- rules ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("framework_type", "cls"),
    [
        (None, "Standard"),
        ("Competency Framework", "Standard"),
        ("Academic Standards", "Standard"),
        ("Course", "CurriculumStandard"),
        ("课程标准", "CurriculumStandard"),
        ("Program Teaching Standard", "TeachingStandard"),
        ("国家职业技能标准", "OccupationalSkillStandard"),
        ("1+X Certificate", "Certificate"),
        ("职业技能等级证书", "Certificate"),
    ],
)
def test_framework_type_names_the_kind_of_standard(tmp_path: Path, framework_type: str | None, cls: str) -> None:
    path = _package(tmp_path, _minimal(frameworkType=framework_type, caseVersion="1.1"))
    document = next(iter(CaseLoader(path).records()))
    assert isinstance(document, NodeRecord) and document.cls == cls


def test_without_a_language_tag_chinese_characters_decide(tmp_path: Path) -> None:
    package = _minimal(title="机器人框架")
    package["CFItems"] = [
        {"identifier": "i1", "uri": "https://x.example.org/i1", "fullStatement": "Weld with a robot"},
        {"identifier": "i2", "uri": "https://x.example.org/i2", "fullStatement": "机器人焊接"},
        {"identifier": "i3", "uri": "https://x.example.org/i3", "fullStatement": "机器人焊接", "language": "en-US"},
    ]
    nodes, _, rejects = _split(list(CaseLoader(_package(tmp_path, package)).records()))
    assert not rejects
    assert [sorted(n.properties) for n in nodes] == [
        ["code", "label_zh"],
        ["code", "label_en"],
        ["code", "label_zh"],
        ["code", "label_en"],  # an explicit tag wins
    ]
    assert nodes[1].properties["code"] == "i1"  # no humanCodingScheme: the CASE identifier


def test_an_item_inherits_the_documents_language(tmp_path: Path) -> None:
    package = _minimal(language="en")
    package["CFItems"] = [{"identifier": "i1", "uri": "https://x.example.org/i1", "fullStatement": "机器人焊接"}]
    nodes, _, _ = _split(list(CaseLoader(_package(tmp_path, package)).records()))
    assert nodes[1].properties["label_en"] == "机器人焊接"  # CASE: the document's language is the default


def test_dates_follow_the_adoption_status(tmp_path: Path) -> None:
    adopted = _minimal(
        adoptionStatus="Adopted", statusStartDate="2020-09-01T00:00:00+00:00", statusEndDate="2025-08-31"
    )
    deprecated = _minimal(adoptionStatus="Deprecated", statusStartDate="2024-01-15")
    first = next(iter(CaseLoader(_package(tmp_path, adopted, "a.json")).records()))
    second = next(iter(CaseLoader(_package(tmp_path, deprecated, "d.json")).records()))
    assert isinstance(first, NodeRecord) and isinstance(second, NodeRecord)
    assert (first.properties["issuedDate"], first.properties["validUntil"]) == ("2020-09-01", "2025-08-31")
    assert second.properties["validUntil"] == "2024-01-15" and "issuedDate" not in second.properties


def test_records_that_are_not_objects_are_rejected_and_the_rest_load(tmp_path: Path) -> None:
    package = _minimal()
    package["CFItems"] = ["not an item", {"identifier": "i1", "uri": "https://x.example.org/i1", "fullStatement": "A"}]
    i1, d1 = {"identifier": "i1"}, {"identifier": "d1"}
    package["CFAssociations"] = [
        42,
        _association("isChildOf", i1, {"uri": ""}),
        _association("isChildOf", i1, i1),
        _association("isRelatedTo", i1, d1),
        _association("isChildOf", d1, i1),
        _association(None, i1, d1),
        _association("isChildOf", {"uri": "https://x.example.org/i1"}, d1),
    ]
    nodes, edges, rejects = _split(list(CaseLoader(_package(tmp_path, package)).records()))
    assert len(nodes) == 2 and [e.predicate for e in edges] == ["specifiesSkill"]  # the last one, found by uri
    assert [(r.origin.pointer, r.field) for r in rejects] == [
        ("CFItems[0]", ""),
        ("CFAssociations[0]", ""),
        ("CFAssociations[1]", "destinationNodeURI"),
        ("CFAssociations[2]", "destinationNodeURI"),
        ("CFAssociations[3]", "destinationNodeURI"),
        ("CFAssociations[4]", "originNodeURI"),
        ("CFAssociations[5]", "associationType"),
    ]
    assert rejects[0].reason == "a CFItem must be a JSON object" and rejects[0].value == '"not an item"'
    assert rejects[3].reason == "the association links a node to itself"
    assert "relatedSkill links skills" in rejects[4].reason


# -- unreadable packages ----------------------------------------------------------------------------------


def test_malformed_json_is_a_source_error_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "CFDocument": {\n    "identifier": "d1",,\n  }\n}\n', encoding="utf-8")
    with pytest.raises(SourceError) as err:
        CaseLoader(path)
    assert err.value.line == 3 and err.value.file == str(path)
    assert "not valid JSON" in str(err.value) and "line 3, column 24" in str(err.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"CFItems": []}', "no CFDocument: this is not a CASE package"),
        (b"[]", "a CASE package is a JSON object, not a list"),
        (b'{"CFDocument": []}', "CFDocument must be a JSON object"),
        (b'{"CFDocument": {"identifier": "d1", "title": "T"}}', "the CFDocument has no uri"),
        (b'{"CFDocument": {"uri": "https://x.example.org/d", "title": "T"}}', "the CFDocument has no identifier"),
        (
            b'{"CFDocument": {"identifier": "d", "uri": "https://x.example.org/d", "language": "fr"}}',
            "language 'fr' is neither Chinese nor English",
        ),
        (
            b'{"CFDocument": {"identifier": "d", "uri": "https://x.example.org/d"}, "CFItems": {}}',
            "CFItems must be a list",
        ),
        ('{"CFDocument": {"title": "标准"}}'.encode("gb18030"), "not UTF-8"),
    ],
)
def test_a_file_that_is_no_case_package_is_a_source_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        CaseLoader(path)


def test_a_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="CASE package not found"):
        CaseLoader(tmp_path / "nope.json")


# -- through the ingest engine ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [V1P0, V1P1], ids=["v1p0", "v1p1"])
def test_every_record_the_loader_yields_passes_the_ontology(
    path: Path, test_settings: Settings, ontology: Ontology
) -> None:
    """A dry run without a store validates classes, properties, values, domains and ranges (no Neo4j)."""
    loader = CaseLoader(path)
    _, edges, loader_rejects = _read(path)
    report = Ingest(test_settings, ontology, None).run(loader)
    assert report.status == "dry-run"
    assert report.rejects == loader_rejects  # the engine rejects nothing more
    assert sum(c.read for c in report.edges.values()) == len(edges)


class _EscoSkills:
    """Two ESCO skills already in the graph (the third one the 1.1 package matches is not)."""

    name = "test-esco"
    version = "1"

    @property
    def dataset(self) -> str:
        return "test-esco"

    def source_paths(self) -> list[Path]:
        return []

    def records(self) -> Iterator[Record]:
        for iri, label in ((ESCO1, "operate robot with teach pendant"), (ESCO2, "program robots offline")):
            yield NodeRecord("Skill", None, {"label_en": label, "skillType": "skill"}, Origin("esco"), iri=iri)


@pytest.mark.neo4j
def test_loading_case_packages_into_neo4j(test_settings: Settings, graph_store: GraphStore, ontology: Ontology) -> None:
    ingest = Ingest(test_settings, ontology, graph_store)
    assert ingest.run(_EscoSkills()).status == "completed"

    first = ingest.run(CaseLoader(V1P0))
    assert first.status == "completed-with-rejects"
    assert first.nodes["Standard"].created == 1 and first.nodes["Skill"].created == 8
    assert {t: c.created for t, c in first.edges.items()} == {
        "SPECIFIES_SKILL": 2,
        "BROADER": 6,
        "EXACT_MATCH": 2,
        "RELATED_SKILL": 1,
    }
    reasons = {r.origin.pointer: r.reason for r in first.rejects}
    assert len(reasons) == 5  # the loader's 4, and the other framework's item that is not in the graph
    assert (
        reasons["CFAssociations[13]"]
        == f"broken reference: no node <{OTHER_FRAMEWORK_ITEM}> in this load or in the graph"
    )

    # broader chains end at the top items, which the standard specifies
    chain = graph_store.read(
        "MATCH p = (:Skill {code: 'IRAP-2.1.1'})-[:BROADER*]->(top:Skill)<-[:SPECIFIES_SKILL]-(d:Standard) "
        "RETURN [n IN nodes(p) | n.code] AS codes, d.iri AS doc, labels(d) AS labels"
    )
    codes = ["IRAP-2.1.1", "IRAP-2.1", "IRAP-2", "4e659f70-7344-4153-b260-c1c8a35a2f0d"]  # the last: the standard
    assert chain == [{"codes": codes, "doc": DOC0, "labels": ["Entity", "Standard"]}]
    unreached = graph_store.read(
        "MATCH (s:Skill) WHERE $dataset IN s.source "
        "AND NOT EXISTS { (s)-[:BROADER*0..]->(:Skill)<-[:SPECIFIES_SKILL]-(:Standard {iri: $doc}) } "
        "RETURN count(s) AS n",
        {"dataset": first.dataset, "doc": DOC0},
    )
    assert unreached == [{"n": 0}]
    skill = graph_store.read(
        "MATCH (s:Skill {iri: $iri})-[:EXACT_MATCH]->(e:Skill) "
        "RETURN s.label_zh AS label, s.definition_zh AS definition, s.skillType AS type, e.label_en AS esco",
        {"iri": TEACH_PENDANT},
    )
    assert skill == [
        {
            "label": "示教器手动操纵",
            "definition": "能使用示教器完成工业机器人的手动操纵、坐标系切换和速度设定",
            "type": "skill",
            "esco": "operate robot with teach pendant",
        }
    ]
    standard = graph_store.read("MATCH (d:Standard {iri: $iri}) RETURN d", {"iri": DOC0})[0]["d"]
    assert standard["issuedDate"].iso_format() == "2021-03-01" and standard["source"] == [first.dataset]

    # the 1.1 package: a kind of standard, and a peer in the 1.0 framework already in the graph
    second = ingest.run(CaseLoader(V1P1))
    assert second.nodes["OccupationalSkillStandard"].created == 1 and second.nodes["Skill"].created == 8
    assert second.edges["BROADER"].created == 5 and second.edges["RELATED_SKILL"].created == 1
    assert [r.reason for r in second.rejects if r.origin.pointer == "CFAssociations[8]"] == [
        f"broken reference: no node <{ESCO3}> in this load or in the graph"
    ]
    assert len(second.rejects) == 8
    labels = graph_store.read("MATCH (d {iri: $iri}) RETURN labels(d) AS labels", {"iri": DOC1})[0]["labels"]
    assert sorted(labels) == ["Entity", "OccupationalSkillStandard", "Standard"]
    peers = graph_store.read(
        "MATCH (a:Skill {code: 'IROM-A.0'})-[r:RELATED_SKILL]->(b:Skill) RETURN b.code AS code, r.evidence AS t"
    )
    assert peers == [{"code": "IRAP-1.1.1", "t": "CASE association isPeerOf"}]
    translations = graph_store.read(
        "MATCH (zh:Skill)-[:EXACT_MATCH]->(en:Skill {code: 'IROM-A.1'})-[:BROADER]->(:Skill)"
        "<-[:SPECIFIES_SKILL]-(:OccupationalSkillStandard) RETURN zh.label_zh AS zh, en.label_en AS en"
    )
    assert translations == [{"zh": "机器人TCP与用户坐标系标定", "en": "Robot TCP and user frame calibration"}]

    # loading the same packages again changes nothing
    for path in (V1P0, V1P1):
        again = ingest.run(CaseLoader(path))
        t = again.totals()
        assert (t.created, t.updated) == (0, 0) and t.unchanged == t.read > 0
        assert again.stale == 0
