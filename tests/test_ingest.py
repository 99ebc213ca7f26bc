"""The ingest engine against the real Neo4j: validation, IRIs, provenance, idempotence, rejects."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from ieic_kg.loaders.mapping import MappingLoader

from ieic_kg.config import Settings
from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest, LoadRejected, LoadReport
from ieic_kg.ontology import Ontology
from ieic_kg.schema import ensure_schema, schema_statements

pytestmark = pytest.mark.neo4j

MAPPING = """
dataset: test-college
sources:
  - name: skills
    file: skills.csv
    class: Skill
    key: code
    properties: {code: code, label_zh: name_zh, label_en: name_en, altLabel_zh: {column: alt_zh, split: ";"}}
    edges:
      - predicate: broader
        to: {class: Skill, key: parent}
  - name: courses
    file: courses.csv
    class: Course
    key: {template: "T:{code}"}
    properties: {code: code, label_zh: name_zh, credits: credits}
  - name: matrix
    file: matrix.csv
    edges:
      - predicate: teachesSkill
        from: {class: Course, key: {template: "T:{course}"}}
        to: {class: Skill, key: skill}
        properties: {strength: {column: level, map: {I: 0.4, R: 0.7, M: 1.0}}}
"""

SKILLS = (
    "code,name_zh,name_en,alt_zh,parent\n"
    "SK-ROB,工业机器人,Industrial robotics,机器人技术,\n"
    "SK-PROG,机器人编程,Robot programming,示教编程;机器人示教,SK-ROB\n"
)
COURSES = "code,name_zh,credits\nC1,工业机器人编程,4\nC2,电工基础,3.5\n"
MATRIX = "course,skill,level\nC1,SK-PROG,M\nC1,SK-ROB,I\nC2,SK-ROB,R\n"


def write_sources(folder: Path, *, skills: str = SKILLS, courses: str = COURSES, matrix: str = MATRIX) -> Path:
    (folder / "skills.csv").write_text(skills, encoding="utf-8")
    (folder / "courses.csv").write_text(courses, encoding="utf-8")
    (folder / "matrix.csv").write_text(matrix, encoding="utf-8")
    (folder / "m.yaml").write_text(MAPPING, encoding="utf-8")
    return folder / "m.yaml"


def load(settings: Settings, store: GraphStore, ontology: Ontology, mapping: Path, **kw: object) -> LoadReport:
    return Ingest(settings, ontology, store).run(MappingLoader(mapping), **kw)  # type: ignore[arg-type]


def graph_state(store: GraphStore, *, drop: tuple[str, ...] = ("lastSeen", "loadRun")) -> tuple[list[dict], list[dict]]:
    """Nodes and relationships with their properties, minus the run-dependent provenance."""
    nodes = store.read("MATCH (n:Entity) RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS p ORDER BY iri")
    rels = store.read(
        "MATCH (a:Entity)-[r]->(b:Entity) "
        "RETURN a.iri AS a, type(r) AS t, b.iri AS b, properties(r) AS p ORDER BY a, t, b"
    )
    for row in (*nodes, *rels):
        row["p"] = {k: v for k, v in row["p"].items() if k not in drop}
    return nodes, rels


def test_a_load_writes_typed_nodes_relationships_and_provenance(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    report = load(test_settings, graph_store, ontology, write_sources(tmp_path))
    assert report.status == "completed", report.rejects
    assert report.nodes["Skill"].created == 2 and report.nodes["Course"].created == 2
    assert report.edges["TEACHES_SKILL"].created == 3 and report.edges["BROADER"].created == 1

    course = graph_store.read("MATCH (c:Course {code: 'C2'}) RETURN c, labels(c) AS labels")[0]
    assert course["c"]["iri"] == "https://w3id.org/ieic-kg/id/course/T:C2"
    assert course["c"]["credits"] == 3.5 and isinstance(course["c"]["credits"], float)
    assert set(course["labels"]) == {"Entity", "Course"}
    assert course["c"]["source"] == ["test-college"] and course["c"]["loadRun"] == report.run_iri
    assert course["c"]["firstSeen"] is not None

    skill = graph_store.read("MATCH (s:Skill {code: 'SK-PROG'}) RETURN s.altLabel_zh AS alt")[0]
    assert skill["alt"] == ["示教编程", "机器人示教"]
    rel = graph_store.read(
        "MATCH (:Course {code: 'C1'})-[r:TEACHES_SKILL]->(:Skill {code: 'SK-PROG'}) RETURN properties(r) AS p"
    )[0]["p"]
    assert rel["strength"] == 1.0 and rel["source"] == ["test-college"] and rel["loadRun"] == report.run_iri

    run = graph_store.read("MATCH (r:LoadRun {iri: $iri}) RETURN r", {"iri": report.run_iri})[0]["r"]
    assert run["status"] == "completed" and run["created"] == 8 and run["rejected"] == 0
    assert len(run["checksum"]) == 4  # the mapping and its three files
    assert report.report_path is not None and report.report_path.is_file()


def test_loading_the_same_source_twice_changes_nothing(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    mapping = write_sources(tmp_path)
    load(test_settings, graph_store, ontology, mapping)
    before = graph_state(graph_store)
    again = load(test_settings, graph_store, ontology, mapping)
    t = again.totals()
    assert (t.created, t.updated, t.unchanged) == (0, 0, 8)
    assert graph_state(graph_store) == before


def test_a_changed_source_updates_what_changed(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    load(test_settings, graph_store, ontology, write_sources(tmp_path))
    changed = load(
        test_settings, graph_store, ontology, write_sources(tmp_path, courses=COURSES.replace(",4\n", ",5\n"))
    )
    assert changed.nodes["Course"].updated == 1 and changed.nodes["Course"].unchanged == 1
    assert graph_store.read("MATCH (c:Course {code: 'C1'}) RETURN c.credits AS v")[0]["v"] == 5.0


def test_a_second_dataset_repeating_the_preferred_label_among_the_alternatives_changes_nothing(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    """SKOS keeps preferred and alternative labels disjoint: a source that repeats the preferred label (and an
    alternative) among its alternatives states the same labels, so loading it does not rewrite the node."""
    load(test_settings, graph_store, ontology, write_sources(tmp_path))
    other = tmp_path / "other"
    other.mkdir()
    (other / "skills.csv").write_text(
        "code,name_zh,name_en,alt_zh,parent\n"
        "SK-PROG,机器人编程,Robot programming,示教编程;机器人编程;机器人示教;示教编程,\n",
        encoding="utf-8",
    )
    (other / "m.yaml").write_text(
        "dataset: other-college\nsources:\n  - name: skills\n    file: skills.csv\n    class: Skill\n    key: code\n"
        "    properties: {code: code, label_zh: name_zh, label_en: name_en,"
        ' altLabel_zh: {column: alt_zh, split: ";"}}\n',
        encoding="utf-8",
    )
    report = load(test_settings, graph_store, ontology, other / "m.yaml")
    assert report.nodes["Skill"].updated == 0, report.nodes
    skill = graph_store.read("MATCH (s:Skill {code: 'SK-PROG'}) RETURN s.altLabel_zh AS alt, s.source AS src")[0]
    assert skill["alt"] == ["示教编程", "机器人示教"]
    assert sorted(skill["src"]) == ["other-college", "test-college"]


def test_bad_records_are_rejected_with_place_and_reason_and_good_ones_load(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    courses = COURSES + "C3,坏学分,four\n"
    matrix = MATRIX + "C9,SK-ROB,M\nC1,SK-NOPE,M\n"
    report = load(test_settings, graph_store, ontology, write_sources(tmp_path, courses=courses, matrix=matrix))
    reasons = {(Path(r.origin.file).name, r.origin.line, r.field): r.reason for r in report.rejects}
    assert "credits must be a decimal" in reasons[("courses.csv", 4, "credits")]
    assert "broken reference" in reasons[("matrix.csv", 5, "from")]
    assert "broken reference" in reasons[("matrix.csv", 6, "to")]
    assert report.status == "completed-with-rejects"
    assert graph_store.read("MATCH (c:Course) RETURN count(c) AS n")[0]["n"] == 2
    assert graph_store.read("MATCH ()-[r:TEACHES_SKILL]->() RETURN count(r) AS n")[0]["n"] == 3
    assert report.rejects_path is not None
    with report.rejects_path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3 and {r["line"] for r in rows} == {"4", "5", "6"}


def test_strict_writes_nothing_when_anything_is_rejected(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    mapping = write_sources(tmp_path, matrix=MATRIX + "C1,SK-NOPE,M\n")
    with pytest.raises(LoadRejected):
        load(test_settings, graph_store, ontology, mapping, strict=True)
    assert graph_store.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0


def test_dry_run_validates_and_writes_nothing(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    report = load(test_settings, graph_store, ontology, write_sources(tmp_path), dry_run=True)
    assert report.status == "dry-run" and report.nodes["Skill"].read == 2
    assert graph_store.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0


def test_ontology_violations_are_rejected(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    (tmp_path / "x.csv").write_text("a,b,when\nO1,C1,2025-13-01\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        """
dataset: t
sources:
  - name: occ
    file: x.csv
    class: Occupation
    key: a
    properties: {labl_zh: b}
  - name: post
    file: x.csv
    class: JobPosting
    key: b
    properties: {datePosted: when}
  - name: wrong
    file: x.csv
    edges:
      - predicate: teachesSkill
        from: {class: Occupation, key: a}
        to: {class: Skill, key: b}
""",
        encoding="utf-8",
    )
    report = load(test_settings, graph_store, ontology, tmp_path / "m.yaml")
    reasons = " | ".join(r.reason for r in report.rejects)
    assert "unknown property 'labl_zh' (did you mean label_zh" in reasons
    assert "datePosted must be a date YYYY-MM-DD, not '2025-13-01'" in reasons
    assert "a Occupation cannot be the subject of teachesSkill" in reasons


def test_references_by_label_resolve_in_either_language(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    load(test_settings, graph_store, ontology, write_sources(tmp_path))
    (tmp_path / "p.csv").write_text("id,tag\nP1,ROBOT PROGRAMMING\nP2,机器人示教\nP3,焊接\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(
        """
dataset: postings
sources:
  - name: p
    file: p.csv
    class: JobPosting
    key: id
    properties: {label_zh: id, datePosted: {value: "2025-03-01"}}
    edges:
      - predicate: requiresSkill
        to: {class: Skill, label: tag}
""",
        encoding="utf-8",
    )
    report = load(test_settings, graph_store, ontology, tmp_path / "p.yaml")
    assert report.edges["REQUIRES_SKILL"].created == 2
    assert [r.reason for r in report.rejects] == ["no Skill is labelled '焊接'"]


def test_duplicate_keys_with_conflicting_values_are_rejected(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    report = load(test_settings, graph_store, ontology, write_sources(tmp_path, courses=COURSES + "C1,另一个名字,4\n"))
    assert len(report.rejects) == 1
    assert "duplicate key: label_zh" in report.rejects[0].reason and "courses.csv:2" in report.rejects[0].reason


def test_schema_from_the_ontology_is_created_once(graph_store: GraphStore, ontology: Ontology) -> None:
    created = ensure_schema(graph_store, ontology)
    assert {s.name for s in created} == {s.name for s in schema_statements(ontology)}
    assert "ieic_enterprise_iri" in {s.name for s in created}
    assert ensure_schema(graph_store, ontology) == []


def test_records_a_source_drops_are_deprecated_then_pruned_on_request(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    load(test_settings, graph_store, ontology, write_sources(tmp_path))
    without_prog = SKILLS.rsplit("SK-PROG", 1)[0].rstrip("\n") + "\n"
    matrix = "course,skill,level\nC1,SK-ROB,I\nC2,SK-ROB,R\n"
    dropped = load(test_settings, graph_store, ontology, write_sources(tmp_path, skills=without_prog, matrix=matrix))
    assert dropped.stale == 3 and dropped.deprecated == 3  # SK-PROG, its BROADER and C1's TEACHES_SKILL to it
    prog = graph_store.read("MATCH (s:Skill {code: 'SK-PROG'}) RETURN s.source AS source, s.deprecated AS d")
    assert prog == [{"source": [], "d": True}]  # kept, not deleted
    assert graph_store.read("MATCH (s:Skill {code: 'SK-ROB'}) RETURN s.deprecated AS d") == [{"d": None}]

    back = load(test_settings, graph_store, ontology, write_sources(tmp_path))  # the record comes back
    assert back.stale == 0
    assert graph_store.read("MATCH (s:Skill {code: 'SK-PROG'}) RETURN s.source AS source, s.deprecated AS d") == [
        {"source": ["test-college"], "d": None}
    ]

    load(test_settings, graph_store, ontology, write_sources(tmp_path, skills=without_prog, matrix=matrix))
    pruned = load(
        test_settings, graph_store, ontology, write_sources(tmp_path, skills=without_prog, matrix=matrix), prune=True
    )
    assert pruned.pruned == 3
    assert graph_store.read("MATCH (s:Skill {code: 'SK-PROG'}) RETURN count(s) AS n") == [{"n": 0}]


def test_a_partial_load_retracts_nothing(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    mapping = write_sources(tmp_path)
    load(test_settings, graph_store, ontology, mapping)
    only_courses = Ingest(test_settings, ontology, graph_store).run(MappingLoader(mapping, only="courses"))
    assert only_courses.stale == 0
    assert graph_store.read("MATCH (n:Entity) WHERE n.deprecated RETURN count(n) AS n") == [{"n": 0}]


def test_an_end_already_in_the_graph_must_be_of_an_allowed_class(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    load(test_settings, graph_store, ontology, write_sources(tmp_path))
    (tmp_path / "x.csv").write_text("occ,iri\nO1,https://w3id.org/ieic-kg/id/course/T:C1\n", encoding="utf-8")
    (tmp_path / "x.yaml").write_text(
        """
dataset: t
sources:
  - name: x
    file: x.csv
    class: Occupation
    key: occ
    properties: {label_zh: occ}
    edges:
      - predicate: requiresSkill
        to: {iri: iri}
""",
        encoding="utf-8",
    )
    report = load(test_settings, graph_store, ontology, tmp_path / "x.yaml")
    assert report.edges["REQUIRES_SKILL"].created == 0
    assert "in the graph is a Course, which cannot be the object of requiresSkill" in report.rejects[0].reason


# ---------------------------------------------------------------- SHACL in the ingest engine


class _Listed:
    """A loader of the records it is given."""

    name, version, dataset = "listed", "1", "shapes-test"

    def __init__(self, records: list[object]) -> None:
        self._records = records

    def source_paths(self) -> list[Path]:
        return []

    def records(self) -> object:
        return iter(self._records)


def _records_for_shapes() -> list[object]:
    """Records that break one literal constraint of the shapes each (and some that break none)."""
    from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Ref

    o = Origin("shapes.csv", 1)

    def node(cls: str, key: str, **props: object) -> NodeRecord:
        return NodeRecord(cls, key, props, o)

    good_course = {"label_zh": "电工基础", "code": "C0", "credits": 3.5, "hours": 48, "semester": 2}
    return [
        node("Course", "good", **good_course),
        node("Course", "no-code", label_zh="无代码课程"),
        node("Course", "two-codes", label_zh="两个代码", code=["A", "B"]),
        node("Course", "many", label_en="Many faults", code="C9", semester=13, hours=-1, courseType="lecture"),
        node("Program", "credits", label_zh="专业", credits=-1.5, durationYears=7, degreeLevel="master"),
        node("Skill", "good", label_en="Robot programming", skillType="skill"),
        node("Skill", "other", label_zh="电气安装", skillType="knowledge"),
        node("Skill", "unlabelled", code="S-1"),
        node("Skill", "competence", label_en="Welding", skillType="competence"),
        node("Industry", "abc", label_en="Bad code", code="abc"),
        node("Industry", "ok", label_zh="工业机器人制造", code="3491"),
        node("Occupation", "csco", label_zh="编码有误", code="6-3-07"),
        node("Occupation", "good", label_zh="工业机器人系统操作员", code="6-31-07-03"),
        node("Enterprise", "co", label_zh="企业"),
        node("JobPosting", "undated", label_zh="无日期岗位"),
        node(
            "JobPosting",
            "salary",
            label_zh="薪酬有误",
            datePosted="2025-03-01",
            salaryMin=9000.0,
            salaryMax=6000.0,
            salaryPeriod="week",
            currency="cny",
            headcount=0,
        ),
        node("JobPosting", "fine", label_zh="机器人调试", datePosted="2025-03-01", salaryMin=6000.0, salaryMax=9000.0),
        node("OccupationalSkillStandard", "lvl", label_zh="标准", level=7),
        node("Fund", "neg", label_zh="资金", amount=-5.0, currency="CNY"),
        node("Document", "doc", label_en="A syllabus"),
        *[
            EdgeRecord("postedBy", Ref("JobPosting", k), Ref("Enterprise", "co"), {}, o)
            for k in ("undated", "salary", "fine")
        ],
        EdgeRecord("requiresSkill", Ref("Occupation", "good"), Ref("Skill", "good"), {"weight": 1.5}, o),
        EdgeRecord("requiresSkill", Ref("Occupation", "good"), Ref("Skill", "other"), {"relationType": "must"}, o),
        EdgeRecord("requiresSkill", Ref("JobPosting", "fine"), Ref("Skill", "good"), {"weight": 0.5}, o),
        EdgeRecord("teachesSkill", Ref("Course", "good"), Ref("Skill", "good"), {"masteryLevel": "X"}, o),
        EdgeRecord("teachesSkill", Ref("Course", "good"), Ref("Skill", "other"), {"strength": 0.6}, o),
        EdgeRecord("mentions", Ref("Document", "doc"), Ref("Skill", "good"), {"spanStart": 5, "spanEnd": 3}, o),
        EdgeRecord("mentions", Ref("Document", "doc"), Ref("Skill", "other"), {"confidence": 2.0}, o),
    ]


def test_the_ingest_shape_checks_agree_with_pyshacl(test_settings: Settings, ontology: Ontology) -> None:
    """The same records: rejected by the compiled shapes at ingest, and reported by pyshacl over their RDF view."""
    import re
    from collections import Counter

    from rdflib import Graph

    from ieic_kg.rdf import RdfMapping
    from ieic_kg.records import EdgeRecord, NodeRecord
    from ieic_kg.validation import validate_graph

    records = _records_for_shapes()
    ingest = Ingest(test_settings, ontology, None)
    report = ingest.run(_Listed(records))  # type: ignore[arg-type]
    mapping = RdfMapping(ontology, test_settings.id_base)
    at_ingest: set[tuple[str, str]] = set()
    for r in report.rejects:
        shapes = re.findall(r"\(SHACL (\w+)\)", r.reason)
        assert shapes, r.reason  # every reject of these records is a shape's
        if r.iri:
            at_ingest |= {(r.iri, s) for s in shapes}
        else:  # a relationship: pyshacl reports its reified statement
            edge = next(e for e in records if isinstance(e, EdgeRecord) and dict(e.properties) == r.record)
            ends = [ingest.mint_iri(ref.cls or "", ref.key or "") for ref in (edge.source, edge.target)]
            at_ingest |= {(str(mapping.statement_iri(ends[0], edge.predicate, ends[1])), s) for s in shapes}

    data = Graph()
    skipped: Counter[str] = Counter()
    for rec in records:
        if isinstance(rec, NodeRecord):
            iri = ingest.mint_iri(rec.cls, rec.key or "")
            for t in mapping.node_triples(iri, [rec.cls], ingest._node(rec).props, skipped):
                data.add(t)
        elif isinstance(rec, EdgeRecord):
            ends = [ingest.mint_iri(ref.cls or "", ref.key or "") for ref in (rec.source, rec.target)]
            rel = ontology.object_property(rec.predicate).rel_type
            for t in mapping.relationship_triples(ends[0], rel, ends[1], dict(rec.properties), skipped):
                data.add(t)
    _, violations = validate_graph(data, ontology)
    by_pyshacl = {(v.focus, v.shape.rpartition("#")[2]) for v in violations}

    assert at_ingest == by_pyshacl
    expected = {
        ("course/no-code", "CourseCodeShape"),
        ("course/two-codes", "CourseCodeShape"),
        ("course/many", "SemesterShape"),
        ("course/many", "HoursShape"),
        ("course/many", "CourseTypeShape"),
        ("program/credits", "CreditsShape"),
        ("program/credits", "DurationYearsShape"),
        ("program/credits", "DegreeLevelShape"),
        ("skill/unlabelled", "LabelZhOrEnShape"),
        ("skill/competence", "SkillTypeShape"),
        ("industry/abc", "IndustryCodeShape"),
        ("occupation/csco", "OccupationCodeShape"),
        ("job-posting/salary", "SalaryMinShape"),
        ("job-posting/salary", "SalaryPeriodShape"),
        ("job-posting/salary", "CurrencyShape"),
        ("job-posting/salary", "HeadcountShape"),
        ("standard/lvl", "StandardLevelShape"),
        ("fund/neg", "AmountShape"),
    }
    nodes = {(iri.removeprefix(test_settings.id_base), s) for iri, s in at_ingest if "/statement/" not in iri}
    assert nodes == expected  # an undated posting is fine: it counts for demand, not for trends
    statements = Counter(s for iri, s in at_ingest if "/statement/" in iri)
    assert statements == Counter(
        {"WeightShape": 1, "RelationTypeShape": 1, "MasteryLevelShape": 1, "SpanStartShape": 1, "ConfidenceShape": 1}
    )
    # what passed is written; the bad nodes are kept out, and so would be the relationships to them
    assert report.nodes["Course"].read == 1 and report.nodes["Skill"].read == 2
    assert report.edges["REQUIRES_SKILL"].read == 1 and report.edges["TEACHES_SKILL"].read == 1


def test_a_shape_reject_names_the_place_field_and_reason_in_both_languages(
    test_settings: Settings, ontology: Ontology
) -> None:
    report = Ingest(test_settings, ontology, None).run(_Listed(_records_for_shapes()))  # type: ignore[arg-type]
    reject = next(r for r in report.rejects if r.iri and r.iri.endswith("/industry/abc"))
    assert (reject.origin.file, reject.origin.line, reject.field, reject.value) == ("shapes.csv", 1, "code", "abc")
    assert "An industry has at most one ieic:code" in reject.reason and "行业代码至多一个" in reject.reason
    assert reject.reason.endswith("(SHACL IndustryCodeShape)")
    weight = next(r for r in report.rejects if r.record == {"weight": 1.5})
    assert (weight.field, weight.value) == ("weight", "1.5")


def test_a_relation_takes_only_the_qualifiers_the_ontology_declares_for_it(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    mapping = MAPPING.replace(
        "properties: {strength: {column: level, map: {I: 0.4, R: 0.7, M: 1.0}}}",
        "properties: {strength: {column: level, map: {I: 0.4, R: 0.7, M: 1.0}}, relationType: {value: required}}",
    )
    path = write_sources(tmp_path)
    path.write_text(mapping, encoding="utf-8")
    report = load(test_settings, graph_store, ontology, path)
    reasons = {r.reason for r in report.rejects}
    assert len(report.rejects) == 3 and {r.field for r in report.rejects} == {"relationType"}
    (reason,) = reasons
    assert reason.startswith("'relationType' is not a qualifier of teachesSkill (its qualifiers: ")
    assert "strength" in reason and "masteryLevel" in reason
    assert ingest_qualifiers(ontology, "relatedSkill") >= {"relationType", "method"}  # ESCO's essential/optional
    assert "relationType" not in ingest_qualifiers(ontology, "teachesSkill")


def ingest_qualifiers(ontology: Ontology, predicate: str) -> frozenset[str]:
    from ieic_kg.ingest import relation_qualifiers

    return relation_qualifiers(ontology)[predicate]


def test_a_node_in_the_graph_is_checked_with_the_values_it_has_there(
    tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology
) -> None:
    """A record adding a property to a labelled node needs no label; one without a label for a new node is rejected."""
    load(test_settings, graph_store, ontology, write_sources(tmp_path))
    (tmp_path / "extra.csv").write_text("code,type\nSK-ROB,skill\nSK-NEW,skill\n", encoding="utf-8")
    (tmp_path / "extra.yaml").write_text(
        "dataset: test-extra\nsources:\n  - name: extra\n    file: extra.csv\n    class: Skill\n    key: code\n"
        "    properties: {skillType: type}\n",
        encoding="utf-8",
    )
    report = load(test_settings, graph_store, ontology, tmp_path / "extra.yaml")
    (reject,) = report.rejects
    assert reject.iri and reject.iri.endswith("/skill/SK-NEW") and reject.field == "label"
    assert report.nodes["Skill"].updated == 1
    rows = graph_store.read("MATCH (n:Skill {code: 'SK-ROB'}) RETURN n.skillType AS t, n.label_zh AS l")
    assert rows == [{"t": "skill", "l": "工业机器人"}]
