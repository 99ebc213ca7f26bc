"""Neo4j → RDF store (sync, verify, repair), SPARQL against Cypher, exports, and the backup story.

Real Neo4j (the conftest fixtures) and a real on-disk Oxigraph store in the test's tmp folder.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from ieic_kg.loaders import get_loader
from ieic_kg.loaders.mapping import MappingLoader
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from test_ingest import MAPPING
from typer.testing import CliRunner

from ieic_kg.cli_rdf import register
from ieic_kg.config import Settings
from ieic_kg.errors import StoreUnavailable
from ieic_kg.export import export, jsonld_context, restore
from ieic_kg.graph import GraphStore
from ieic_kg.ingest import Ingest, LoadReport
from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.ontology import IEIC, Ontology
from ieic_kg.rdf import RdfMapping
from ieic_kg.rdfstore import ONTOLOGY_GRAPH, PROVENANCE_GRAPH, RdfStore, SparqlError, SparqlTimeout, dataset_graph
from ieic_kg.sync import project_dataset, repair, sync_after_load, sync_all, verify

pytestmark = pytest.mark.neo4j

COLLEGE = MAPPING.replace("dataset: test-college", "dataset: college")  # the same mapping, its own dataset
SKILLS = (
    "code,name_zh,name_en,alt_zh,parent\n"
    "SK-ROB,工业机器人,Industrial robotics,机器人技术,\n"
    "SK-PROG,机器人编程,Robot programming,示教编程;机器人示教,SK-ROB\n"
    "SK-ELEC,电工技术,Electrical work,,\n"
)
COURSES = "code,name_zh,credits\nC1,工业机器人编程,4\nC2,电工基础,3.5\n"
MATRIX = "course,skill,level\nC1,SK-PROG,M\nC1,SK-ROB,I\nC2,SK-ROB,R\nC2,SK-ELEC,M\n"

POSTINGS = """
dataset: postings
sources:
  - name: skills
    file: shared.csv
    class: Skill
    key: code
    properties: {code: code, label_en: name_en}
  - name: postings
    file: postings.csv
    class: JobPosting
    key: id
    properties: {label_zh: title, datePosted: date}
    edges:
      - predicate: requiresSkill
        to: {class: Skill, key: skill}
        properties: {weight: {value: 0.8}}
"""
SHARED = "code,name_en\nSK-ROB,Industrial robotics\n"
POSTING_ROWS = "id,title,date,skill\nP1,机器人调试工程师,2025-03-01,SK-ROB\nP2,电工,2025-04-02,SK-ELEC\n"


def write_sources(folder: Path, *, matrix: str = MATRIX, courses: str = COURSES) -> tuple[Path, Path]:
    for name, text in {
        "skills.csv": SKILLS,
        "courses.csv": courses,
        "matrix.csv": matrix,
        "college.yaml": COLLEGE,
        "shared.csv": SHARED,
        "postings.csv": POSTING_ROWS,
        "postings.yaml": POSTINGS,
    }.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "college.yaml", folder / "postings.yaml"


def load(settings: Settings, store: GraphStore, ontology: Ontology, loader: Any) -> LoadReport:
    report = Ingest(settings, ontology, store).run(loader)
    assert report.status == "completed", report.rejects
    return report


@pytest.fixture
def loaded(tmp_path: Path, test_settings: Settings, graph_store: GraphStore, ontology: Ontology) -> GraphStore:
    college, postings = write_sources(tmp_path)
    load(test_settings, graph_store, ontology, MappingLoader(college))
    load(test_settings, graph_store, ontology, MappingLoader(postings))
    return graph_store


@pytest.fixture
def rdf(test_settings: Settings) -> Iterator[RdfStore]:
    store = RdfStore.open(test_settings)
    try:
        yield store
    finally:
        store.close()


def out_of_step(diffs: list[Any]) -> dict[str, Any]:
    return {d.name: d for d in diffs if not d.in_step}


# ---------------------------------------------------------------- sync, verify, repair


def test_sync_puts_each_dataset_in_its_named_graph_and_verify_finds_no_difference(
    loaded: GraphStore, rdf: RdfStore, ontology: Ontology, test_settings: Settings
) -> None:
    synced = sync_all(loaded, rdf, ontology, test_settings)
    assert [s.graph for s in synced] == [
        ONTOLOGY_GRAPH,
        dataset_graph("college"),
        dataset_graph("postings"),
        PROVENANCE_GRAPH,
    ]
    assert rdf.graph_names() == sorted(s.graph for s in synced)
    assert out_of_step(verify(loaded, rdf, ontology, test_settings)) == {}
    assert not any(s.changed for s in sync_all(loaded, rdf, ontology, test_settings))  # in step: nothing written

    # SK-ROB is stated by both datasets: in both graphs, with both sources
    shared = "https://w3id.org/ieic-kg/id/skill/SK-ROB"
    rows = rdf.query(f"SELECT ?g ?src WHERE {{ GRAPH ?g {{ <{shared}> ieic:source ?src }} }} ORDER BY ?g ?src").rows
    assert [(r["g"].rsplit("/", 1)[1], r["src"]) for r in rows] == [
        ("college", "college"),
        ("college", "postings"),
        ("postings", "college"),
        ("postings", "postings"),
    ]
    runs = rdf.query(
        "SELECT ?run ?dataset WHERE { GRAPH <https://w3id.org/ieic-kg/graph/provenance> "
        "{ ?run a prov:Activity , ieic:LoadRun ; ieic:source ?dataset ; ieic:status 'completed' } } ORDER BY ?dataset"
    ).rows
    assert [r["dataset"] for r in runs] == ["college", "postings"]


def test_a_relationship_deleted_in_neo4j_is_reported_lagging_and_repair_fixes_it(
    loaded: GraphStore, rdf: RdfStore, ontology: Ontology, test_settings: Settings
) -> None:
    sync_all(loaded, rdf, ontology, test_settings)
    c1, prog = "https://w3id.org/ieic-kg/id/course/T:C1", "https://w3id.org/ieic-kg/id/skill/SK-PROG"
    loaded.execute("MATCH (:Course {iri: $c})-[r:TEACHES_SKILL]->(:Skill {iri: $s}) DELETE r", {"c": c1, "s": prog})

    diffs = out_of_step(verify(loaded, rdf, ontology, test_settings))
    assert list(diffs) == ["college"]
    college = diffs["college"]
    assert college.status == "lagging" and college.only_in_neo4j == []
    edge = f"<{c1}> <{IEIC.teachesSkill}> <{prog}> ."
    statement = str(RdfMapping(ontology, test_settings.id_base).statement_iri(c1, "teachesSkill", prog))
    assert edge in college.only_in_rdf
    # the rest is the relationship's reified statement: its qualifier and provenance
    assert all(line.startswith(f"<{statement}> ") for line in college.only_in_rdf if line != edge)
    assert len(college.only_in_rdf) == 1 + 4 + 1 + 4  # edge; type, subject, predicate, object; strength; provenance
    assert rdf.query(f"ASK {{ <{c1}> ieic:teachesSkill <{prog}> }}").boolean is True

    repaired = repair(loaded, rdf, ontology, test_settings)
    assert [(r.dataset, r.removed, r.added) for r in repaired] == [("college", 10, 0)]
    assert out_of_step(verify(loaded, rdf, ontology, test_settings)) == {}
    assert rdf.query(f"ASK {{ <{c1}> ieic:teachesSkill <{prog}> }}").boolean is False

    # a dataset Neo4j no longer has: its graph is orphaned, and repair drops it
    loaded.execute("MATCH (p:JobPosting) DETACH DELETE p")
    loaded.execute("MATCH (n:Entity) WHERE 'postings' IN n.source SET n.source = [s IN n.source WHERE s <> 'postings']")
    assert out_of_step(verify(loaded, rdf, ontology, test_settings))["postings"].status == "orphaned"
    repair(loaded, rdf, ontology, test_settings)
    assert dataset_graph("postings") not in rdf.graph_names()
    assert out_of_step(verify(loaded, rdf, ontology, test_settings)) == {}


def test_after_a_load_the_changed_graphs_follow_retractions_included(
    tmp_path: Path, loaded: GraphStore, rdf: RdfStore, ontology: Ontology, test_settings: Settings
) -> None:
    sync_all(loaded, rdf, ontology, test_settings)
    college, _ = write_sources(
        tmp_path, matrix=MATRIX.replace("C2,SK-ELEC,M\n", ""), courses=COURSES.replace(",4\n", ",5\n")
    )
    report = load(test_settings, loaded, ontology, MappingLoader(college))
    assert report.stale == 1  # the course–skill row that went
    synced = {s.dataset or s.graph: s for s in sync_after_load(loaded, rdf, ontology, test_settings, "college")}
    assert synced["college"].changed and synced["postings"].changed  # SK-ROB's provenance moved on in both
    assert out_of_step(verify(loaded, rdf, ontology, test_settings)) == {}
    credits = rdf.query("SELECT ?c WHERE { ?course ieic:code 'C1' ; ieic:credits ?c }").rows
    assert credits == [{"c": 5.0}]


# ---------------------------------------------------------------- SPARQL


def test_sparql_answers_as_cypher_does_and_a_bad_or_slow_query_is_a_clear_error(
    loaded: GraphStore, rdf: RdfStore, ontology: Ontology, test_settings: Settings
) -> None:
    sync_all(loaded, rdf, ontology, test_settings)
    # the skills a course teaches, with the strength on the relationship (its reified statement in RDF)
    cypher = loaded.read(
        "MATCH (:Course {code: $code})-[t:TEACHES_SKILL]->(s:Skill) "
        "RETURN s.iri AS skill, s.label_zh AS label, t.strength AS strength ORDER BY skill",
        {"code": "C2"},
    )
    sparql = rdf.query(
        """SELECT ?skill ?label ?strength WHERE {
             ?course a ieic:Course ; ieic:code "C2" ; ieic:teachesSkill ?skill .
             ?skill rdfs:label ?label FILTER (lang(?label) = "zh")
             ?st rdf:subject ?course ; rdf:predicate ieic:teachesSkill ; rdf:object ?skill ; ieic:strength ?strength .
           } ORDER BY ?skill"""
    ).rows
    assert sparql == cypher and len(cypher) == 2

    with pytest.raises(SparqlError, match=r"malformed SPARQL query: error at 1:\d+"):
        rdf.query("SELECT ?s WHERE { ?s ieic:code }")
    with pytest.raises(SparqlTimeout, match=r"did not finish within 0\.2 s"):
        rdf.query("SELECT * WHERE { ?a ?p ?o . ?b ?q ?r . ?c ?x ?y }", timeout=0.2)


# ---------------------------------------------------------------- exports


@pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")  # rdflib's own parsers
def test_every_export_format_parses_back(
    tmp_path: Path, loaded: GraphStore, ontology: Ontology, test_settings: Settings
) -> None:
    results = {
        fmt: export(loaded, ontology, test_settings, fmt, out=tmp_path / f"all.{fmt if fmt != 'csv' else 'zip'}")
        for fmt in ("ttl", "nq", "jsonld", "csv")
    }
    assert all((r.nodes, r.relationships, r.load_runs) == (7, 7, 2) for r in results.values()), results

    ttl = Graph().parse(tmp_path / "all.ttl", format="turtle")
    assert len(ttl) == results["ttl"].triples
    assert (URIRef("https://w3id.org/ieic-kg/id/skill/SK-ROB"), IEIC.source, Literal("postings")) in ttl
    jsonld = Graph().parse(tmp_path / "all.jsonld", format="json-ld")
    assert isomorphic(ttl, jsonld)
    document = json.loads((tmp_path / "all.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == jsonld_context(ontology)

    ds = Dataset()
    ds.parse(tmp_path / "all.nq", format="nquads")
    graphs = {str(g.identifier): g for g in ds.graphs() if len(g)}
    assert set(graphs) == {ONTOLOGY_GRAPH, dataset_graph("college"), dataset_graph("postings"), PROVENANCE_GRAPH}
    for dataset in ("college", "postings"):
        projection = Graph()
        for t in project_dataset(loaded, ontology, test_settings.id_base, dataset):
            projection.add(t)
        assert isomorphic(graphs[dataset_graph(dataset)], projection)

    with zipfile.ZipFile(tmp_path / "all.zip") as zf:
        assert sorted(zf.namelist()) == ["nodes.csv", "relationships.csv"]
        nodes = list(csv.DictReader(io.TextIOWrapper(zf.open("nodes.csv"), encoding="utf-8-sig")))
        rels = list(csv.DictReader(io.TextIOWrapper(zf.open("relationships.csv"), encoding="utf-8-sig")))
    assert len(nodes) == 7 + 2 and len(rels) == 7
    course = next(n for n in nodes if n["iri"].endswith("/course/T:C1"))
    assert course["labels"] == "Entity;Course"
    props = json.loads(course["properties"])
    assert props["credits"] == 4.0 and props["source"] == ["college"] and props["firstSeen"].startswith("20")
    teaches = [r for r in rels if r["type"] == "TEACHES_SKILL"]
    assert {json.loads(r["properties"])["strength"] for r in teaches} == {0.4, 0.7, 1.0}

    only = export(loaded, ontology, test_settings, "nq", "postings", out=tmp_path / "postings.nq")
    ds = Dataset()
    ds.parse(tmp_path / "postings.nq", format="nquads")
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {dataset_graph("postings"), PROVENANCE_GRAPH}
    assert (only.nodes, only.relationships, only.load_runs) == (3, 2, 1)


def without_run_provenance(g: Graph) -> set[tuple[Any, Any, Any]]:
    """The triples without what a new load run changes: loadRun, firstSeen, lastSeen, the runs."""
    runs = set(g.subjects(RDF.type, IEIC.LoadRun))
    moving = {IEIC.loadRun, IEIC.firstSeen, IEIC.lastSeen}
    return {(s, p, o) for s, p, o in g if p not in moving and s not in runs}


def test_backup_and_restore_give_the_same_graph(
    tmp_path: Path, loaded: GraphStore, ontology: Ontology, test_settings: Settings
) -> None:
    before = {d: project_dataset(loaded, ontology, test_settings.id_base, d) for d in ("college", "postings")}
    export(loaded, ontology, test_settings, "nq", out=tmp_path / "backup.nq")
    export(loaded, ontology, test_settings, "ttl", "college", out=tmp_path / "college.ttl")

    # wipe both stores
    loaded.execute("MATCH (n) DETACH DELETE n")
    reports = restore(loaded, ontology, test_settings, tmp_path / "backup.nq")
    assert [(r.dataset, r.status) for r in reports] == [("college", "completed"), ("postings", "completed")]
    for d, triples in before.items():
        after = project_dataset(loaded, ontology, test_settings.id_base, d)
        assert without_run_provenance(_graph(after)) == without_run_provenance(_graph(triples)), d
    with RdfStore(tmp_path / "fresh-rdf") as rdf:
        sync_all(loaded, rdf, ontology, test_settings)
        assert out_of_step(verify(loaded, rdf, ontology, test_settings)) == {}

    # the same from Turtle, where the datasets are told by the ieic:source values
    export(loaded, ontology, test_settings, "ttl", out=tmp_path / "backup.ttl")
    loaded.execute("MATCH (n) DETACH DELETE n")
    reports = restore(loaded, ontology, test_settings, tmp_path / "backup.ttl")
    assert [r.dataset for r in reports] == ["college", "postings"] and not any(r.rejects for r in reports)
    for d, triples in before.items():
        after = project_dataset(loaded, ontology, test_settings.id_base, d)
        assert without_run_provenance(_graph(after)) == without_run_provenance(_graph(triples)), d

    # one dataset's export loads back with `load rdf` under its own name (the file's stem)
    loaded.execute("MATCH (n) DETACH DELETE n")
    loader = get_loader("rdf", tmp_path / "college.ttl")
    assert loader.dataset == "college"
    load(test_settings, loaded, ontology, loader)
    reloaded = _graph(project_dataset(loaded, ontology, test_settings.id_base, "college"))
    drop = {IEIC.source}  # SK-ROB was also stated by postings; this load alone states it now
    assert {t for t in without_run_provenance(reloaded) if t[1] not in drop} == {
        t for t in without_run_provenance(_graph(before["college"])) if t[1] not in drop
    }


def _graph(triples: set[Any]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


# ---------------------------------------------------------------- the commands


@pytest.fixture
def cli(neo4j_connection: Neo4jConnection, test_settings: Settings) -> Any:
    app = typer.Typer()
    register(app)
    env = {
        "IEIC_NEO4J_URI": neo4j_connection.uri,
        "IEIC_NEO4J_USER": neo4j_connection.user,
        "IEIC_NEO4J_PASSWORD": neo4j_connection.password,
        "IEIC_NEO4J_DATABASE": neo4j_connection.database,
        "IEIC_DATA_DIR": str(test_settings.data_dir),
        "IEIC_QUERY_TIMEOUT": "5",
    }

    def run(*args: str) -> Any:
        return CliRunner().invoke(app, list(args), env=env)

    return run


def test_the_commands_sync_verify_repair_query_and_export(loaded: GraphStore, cli: Any, tmp_path: Path) -> None:
    empty = cli("sparql", "ASK {}")
    assert isinstance(empty.exception, StoreUnavailable) and "is empty" in str(empty.exception)
    assert cli("sync").exit_code == 0
    ok = cli("sync", "--verify")
    assert ok.exit_code == 0 and "in step with Neo4j" in ok.output
    loaded.execute("MATCH (:Course {code: 'C2'})-[r:TEACHES_SKILL]->(:Skill {code: 'SK-ELEC'}) DELETE r")
    lagging = cli("sync", "--verify")
    assert lagging.exit_code == 1 and "lagging" in lagging.output and "stale" in lagging.output
    assert cli("sync", "--verify", "--repair").exit_code == 0
    assert cli("sync", "--verify").exit_code == 0

    rows = cli("sparql", "SELECT ?code WHERE { ?c a ieic:Course ; ieic:code ?code } ORDER BY ?code", "--format", "json")
    assert rows.exit_code == 0 and json.loads(rows.output) == [{"code": "C1"}, {"code": "C2"}]
    (tmp_path / "q.rq").write_text("ASK { ?s a ieic:JobPosting }", encoding="utf-8")
    assert cli("sparql", "--file", str(tmp_path / "q.rq")).output.strip() == "true"
    refused = cli("sparql", 'INSERT DATA { <urn:a> <urn:b> "c" }')
    assert isinstance(refused.exception, SparqlError) and "not allowed" in str(refused.exception)

    written = cli("export", "--format", "nq", "--output", str(tmp_path / "x.nq"))
    assert written.exit_code == 0 and (tmp_path / "x.nq").stat().st_size > 0
    to_stdout = cli("export", "--format", "ttl", "--source", "postings")
    assert to_stdout.exit_code == 0 and "ieic:JobPosting" in to_stdout.output
    assert cli("export", "--format", "csv").exit_code == 2  # a zip needs --output
