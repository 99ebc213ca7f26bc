"""The ESCO loader on fixture slices of ESCO v1.1.1, zipped as the real downloads are."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from ieic_kg.loaders.taxonomies import EscoLoader

from ieic_kg.errors import SourceError

from .conftest import ESCO_CLASSIFICATION, ESCO_RELATIONS, FIXTURES, collect, zip_folder

ESCO = "http://data.europa.eu/esco/"
SOFTWARE_DEVELOPER = ESCO + "occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
BLOCKCHAIN_DEVELOPER = ESCO + "occupation/24135b84-cbdd-4d42-9ed2-02fd982d15b2"
ABSENT_OCCUPATION = ESCO + "occupation/a9e54177-a185-404d-b6e6-15663d31137e"
COMPUTER_PROGRAMMING = ESCO + "skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
HASKELL = ESCO + "skill/000f1d3d-220f-4789-9c0a-cc742521fb02"
PROVIDE_TECHNICAL_DOCUMENTATION = ESCO + "skill/04dfd9fb-e0cf-40f6-96c6-9d2280c4347e"
PROGRAMMING_GROUP = ESCO + "skill/a8c3186b-c791-4d57-8f4f-4d12c7a5c6a7"  # S5.1.0
DIGITAL_CONTENT_CREATION = ESCO + "skill/f5369f2f-e52b-43d8-8d31-79a6c11188d8"
SKILLS_PILLAR = ESCO + "skill/335228d2-297d-4e0e-a6ee-bc6a8dc110d9"  # S


def test_dataset_and_source_paths_come_from_the_archives(esco_folder: Path) -> None:
    loader = EscoLoader(esco_folder)
    assert (loader.name, loader.dataset) == ("esco", "esco-1.1.1")
    assert [p.name for p in loader.source_paths()] == [ESCO_CLASSIFICATION, ESCO_RELATIONS]


def test_occupations_keep_esco_uris_and_isco_groups_get_isco08_keys(esco_folder: Path) -> None:
    c = collect(EscoLoader(esco_folder).records())
    occ = c.node(BLOCKCHAIN_DEVELOPER)
    assert (occ.cls, occ.key, occ.iri) == ("Occupation", None, BLOCKCHAIN_DEVELOPER)
    assert occ.properties["code"] == "2512.4.1"
    assert occ.properties["label_en"] == "blockchain developer"
    assert occ.properties["altLabel_en"] == [
        "decentralized ledger technology specialist",
        "DLT specialist",
        "blockchain engineer",
    ]
    assert occ.properties["definition_en"].startswith("Blockchain developers implement")
    unit = c.node("ISCO08:2512")
    assert (unit.cls, unit.iri) == ("Occupation", None)
    assert unit.properties["code"] == "2512"
    assert unit.properties["level"] == 4
    assert unit.properties["levelName_en"] == "unit group"
    assert unit.properties["url"] == ESCO + "isco/C2512"
    assert unit.properties["label_en"] == "Software developers"
    assert [n.key for n in c.nodes if n.key] == ["ISCO08:2", "ISCO08:25", "ISCO08:251", "ISCO08:2512"]


def test_occupation_hierarchy_runs_from_occupation_to_isco_major_group(esco_folder: Path) -> None:
    c = collect(EscoLoader(esco_folder).records())
    assert c.targets("broader", BLOCKCHAIN_DEVELOPER) == [SOFTWARE_DEVELOPER]
    assert c.targets("broader", SOFTWARE_DEVELOPER) == ["ISCO08:2512"]
    assert c.targets("broader", "ISCO08:2512") == ["ISCO08:251"]
    assert c.targets("broader", "ISCO08:251") == ["ISCO08:25"]
    assert c.targets("broader", "ISCO08:25") == ["ISCO08:2"]
    assert all(e.properties["method"] == "taxonomy" for e in c.edges)


def test_skills_carry_the_ontology_skill_types_and_split_alt_labels(esco_folder: Path) -> None:
    c = collect(EscoLoader(esco_folder).records())
    haskell = c.node(HASKELL)
    assert dict(haskell.properties) == {
        "label_en": "Haskell",
        "skillType": "knowledge",  # ESCO "knowledge"
        "definition_en": haskell.properties["definition_en"],
    }
    doc = c.node(PROVIDE_TECHNICAL_DOCUMENTATION)
    assert doc.properties["skillType"] == "skill"  # ESCO "skill/competence"
    assert "prepare technical documentation" in doc.properties["altLabel_en"]
    assert all("\n" not in a for n in c.nodes for a in n.properties.get("altLabel_en", []))
    assert "provide technical documentation" not in doc.properties["altLabel_en"]  # the label itself


def test_skill_groups_have_a_level_and_code_but_no_skill_type(esco_folder: Path) -> None:
    c = collect(EscoLoader(esco_folder).records())
    group = c.node(PROGRAMMING_GROUP)
    assert group.properties["code"] == "S5.1.0"
    assert group.properties["level"] == 3
    assert group.properties["levelName_en"] == "skill group"
    assert "skillType" not in group.properties
    pillar = c.node(SKILLS_PILLAR)
    assert (pillar.properties["code"], pillar.properties["level"], pillar.properties["levelName_en"]) == (
        "S",
        0,
        "skills pillar",
    )
    isced = c.node(ESCO + "isced-f/0613")
    assert isced.properties["level"] == 3 and "code" not in isced.properties  # ESCO gives ISCED-F groups no code
    groups = [n for n in c.nodes if n.cls == "Skill" and "level" in n.properties]
    assert len(groups) == 50
    assert not any("skillType" in n.properties for n in groups)


def test_skill_hierarchy_links_skills_to_groups_and_groups_up_to_the_pillar(esco_folder: Path) -> None:
    c = collect(EscoLoader(esco_folder).records())
    # a knowledge concept under its ISCED-F group and under a broader concept (an untyped DigComp area)
    assert set(c.targets("broader", COMPUTER_PROGRAMMING)) == {ESCO + "isced-f/0613", DIGITAL_CONTENT_CREATION}
    assert set(c.targets("broader", PROVIDE_TECHNICAL_DOCUMENTATION)) == {
        ESCO + "skill/95bf4552-6d5b-41dc-b990-53ace372f705",  # group S2.2.6
        ESCO + "skill/2636b3d3-843e-46a9-8b4c-a9d6ca3f5a2d",  # a broader skill
    }
    chain, node = [], PROGRAMMING_GROUP
    while targets := c.targets("broader", node):
        assert len(targets) == 1
        node = targets[0]
        chain.append(c.node(node).properties["code"])
    assert chain == ["S5.1", "S5", "S"]


def test_occupation_skill_relations_have_weights_by_relation_type(esco_folder: Path) -> None:
    c = collect(EscoLoader(esco_folder).records())
    edges = c.out[("requiresSkill", SOFTWARE_DEVELOPER)]
    assert len(c.edges_of("requiresSkill")) == 18
    by_target = {e.target.iri: dict(e.properties) for e in edges}
    assert by_target[COMPUTER_PROGRAMMING] == {"relationType": "essential", "weight": 1.0, "method": "taxonomy"}
    assert by_target[HASKELL] == {"relationType": "optional", "weight": 0.5, "method": "taxonomy"}
    assert all(e.source.cls == "Occupation" and e.target.cls == "Skill" for e in edges)


def test_skill_skill_relations_become_related_skill(esco_folder: Path) -> None:
    c = collect(EscoLoader(esco_folder).records())
    related = c.edges_of("relatedSkill")
    assert len(related) == 3
    assert dict(related[0].properties) == {"relationType": "optional", "method": "taxonomy"}
    assert related[0].source.iri == ESCO + "skill/00064735-8fad-454b-90c7-ed858cc993f2"


def test_origins_name_the_zip_member_and_the_line_a_record_starts_on(esco_folder: Path) -> None:
    c = collect(EscoLoader(esco_folder).records())
    edge = c.out[("requiresSkill", BLOCKCHAIN_DEVELOPER)][0]
    assert edge.origin.file == f"{esco_folder / ESCO_RELATIONS}!/occupationSkillRelations.csv"
    assert edge.origin.line == 2
    # skills_en.csv has quoted multi-line fields: the line is where the record starts
    text = (FIXTURES / "esco" / "classification" / "skills_en.csv").read_text(encoding="utf-8").splitlines()
    for node in (n for n in c.nodes if n.origin.file.endswith("!/skills_en.csv")):
        assert node.origin.line is not None
        assert text[node.origin.line - 1].startswith(f"KnowledgeSkillCompetence,{node.iri},")


def test_relations_naming_an_absent_occupation_are_rejected(esco_folder: Path) -> None:
    c = collect(EscoLoader(esco_folder).records())
    assert [(r.origin.file.rsplit("!/", 1)[1], r.origin.line, r.field) for r in c.rejects] == [
        ("broaderRelationsOccPillar.csv", 7, "conceptUri"),
        ("occupationSkillRelations.csv", 11, "occupationUri"),
        ("occupationSkillRelations.csv", 12, "occupationUri"),
    ]
    assert all(r.value == ABSENT_OCCUPATION and "not in occupations_en.csv" in r.reason for r in c.rejects)


def _esco_with(tmp_path: Path, edits: dict[str, str]) -> Path:
    """ESCO archives from the fixtures with some members' text edited: {member: replacement text}."""
    src = tmp_path / "src"
    shutil.copytree(FIXTURES / "esco", src)
    for member, text in edits.items():
        part = "relations" if (src / "relations" / member).exists() else "classification"
        (src / part / member).write_text(text, encoding="utf-8")
    folder = tmp_path / "esco"
    folder.mkdir()
    zip_folder(src / "classification", folder / ESCO_CLASSIFICATION)
    zip_folder(src / "relations", folder / ESCO_RELATIONS)
    return folder


def test_bad_rows_become_rejects_and_the_rows_around_them_load(tmp_path: Path) -> None:
    rel = (FIXTURES / "esco" / "relations" / "occupationSkillRelations.csv").read_text(encoding="utf-8")
    header, first, *rest = rel.splitlines(keepends=True)
    broken = [
        first.replace("essential", "mandatory"),  # unknown relation type
        f"{SOFTWARE_DEVELOPER},essential,knowledge\n",  # a field short
        f"{SOFTWARE_DEVELOPER},essential,knowledge,{ESCO}skill/not-a-skill\n",  # unknown skill
        f",essential,knowledge,{HASKELL}\n",  # empty occupation
        f"{SOFTWARE_DEVELOPER},optional,knowledge,{HASKELL}\xff\n",
    ]
    text = "".join([header, *broken, *rest])
    folder = _esco_with(tmp_path, {"occupationSkillRelations.csv": text})
    c = collect(EscoLoader(folder).records())
    reasons = [(r.origin.line, r.field, r.reason) for r in c.rejects if "occupationSkillRelations" in r.origin.file]
    assert reasons[:5] == [
        (2, "relationType", "relationType is 'mandatory', not essential or optional"),
        (3, "", "expected 4 fields, found 3"),
        (4, "skillUri", reasons[2][2]),
        (5, "occupationUri", "occupation (empty) is not in occupations_en.csv"),
        (6, "skillUri", reasons[4][2]),
    ]
    assert "not-a-skill is not in skills_en.csv" in reasons[2][2]
    assert len(c.edges_of("requiresSkill")) == 17  # the first good row was replaced by a bad one


def test_bytes_that_are_not_utf8_reject_only_their_row(tmp_path: Path) -> None:
    rel = (FIXTURES / "esco" / "relations" / "skillSkillRelations.csv").read_bytes()
    header, first, *rest = rel.splitlines(keepends=True)
    src = tmp_path / "src"
    shutil.copytree(FIXTURES / "esco", src)
    (src / "relations" / "skillSkillRelations.csv").write_bytes(
        b"".join([header, first.replace(b",optional,", b",opt\xffional,"), *rest])
    )
    folder = tmp_path / "esco"
    folder.mkdir()
    zip_folder(src / "classification", folder / ESCO_CLASSIFICATION)
    zip_folder(src / "relations", folder / ESCO_RELATIONS)
    c = collect(EscoLoader(folder).records())
    bad = [r for r in c.rejects if "skillSkillRelations" in r.origin.file]
    assert [(r.origin.line, r.reason, r.field) for r in bad] == [(2, "not valid UTF-8", "relationType")]
    assert len(c.edges_of("relatedSkill")) == 2


def test_groups_and_links_only_the_hierarchy_states_are_still_loaded(tmp_path: Path) -> None:
    groups = (FIXTURES / "esco" / "classification" / "skillGroups_en.csv").read_text(encoding="utf-8")
    pillar = (FIXTURES / "esco" / "relations" / "broaderRelationsSkillPillar.csv").read_text(encoding="utf-8")
    # drop group S5.1.0 from skillGroups_en.csv and every group → group link from the pillar relations
    kept_groups = _drop_records(groups, lambda raw: PROGRAMMING_GROUP in raw.split(",", 2)[1])
    kept_pillar = _drop_records(pillar, lambda raw: raw.startswith("SkillGroup,"))
    folder = _esco_with(tmp_path, {"skillGroups_en.csv": kept_groups, "broaderRelationsSkillPillar.csv": kept_pillar})
    c = collect(EscoLoader(folder).records())
    group = c.node(PROGRAMMING_GROUP)
    assert group.origin.file.endswith("!/skillsHierarchy_en.csv")
    assert dict(group.properties) == {
        "label_en": "programming computer systems",
        "level": 3,
        "levelName_en": "skill group",
        "code": "S5.1.0",
        "definition_en": "Writing and submitting  instructions, specifications and programmes for computers.",
    }
    assert c.targets("broader", PROGRAMMING_GROUP) == [ESCO + "skill/d6e4373a-ef2c-4b64-9dc6-4140846f6609"]
    origin = c.out[("broader", PROGRAMMING_GROUP)][0].origin
    assert origin.file.endswith("!/skillsHierarchy_en.csv")
    assert not c.rejects[3:]


def _drop_records(text: str, drop: Callable[[str], bool]) -> str:
    """The CSV text without the records (whole, multi-line ones too) for which ``drop(raw)`` holds."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    out, end = [lines[0]], reader.line_num
    for _ in reader:
        start, end = end, reader.line_num
        raw = "".join(lines[start:end])
        if not drop(raw):
            out.append(raw)
    return "".join(out)


def test_missing_folder_archive_or_member_raises_source_error_saying_where_data_is(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="folder not found") as exc:
        EscoLoader(tmp_path / "nowhere")
    assert "IEIC_PUBLIC_DATA" in str(exc.value) and "shared/data" in str(exc.value)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceError, match="no ESCO classification archive"):
        EscoLoader(empty)
    only_classification = tmp_path / "half"
    only_classification.mkdir()
    zip_folder(FIXTURES / "esco" / "classification", only_classification / ESCO_CLASSIFICATION)
    with pytest.raises(SourceError, match="file not found") as exc:
        EscoLoader(only_classification)
    assert exc.value.file is not None and exc.value.file.endswith(ESCO_RELATIONS)
    lacking = tmp_path / "lacking"
    lacking.mkdir()
    zip_folder(FIXTURES / "esco" / "relations", lacking / ESCO_RELATIONS)
    with zipfile.ZipFile(lacking / ESCO_CLASSIFICATION, "w") as zf:
        zf.write(FIXTURES / "esco" / "classification" / "skills_en.csv", "skills_en.csv")
    with pytest.raises(SourceError, match=r"the archive lacks ISCOGroups_en\.csv"):
        EscoLoader(lacking)
