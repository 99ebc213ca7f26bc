"""The SPARQL 1.1 Protocol endpoint over real HTTP: a real client (SPARQLWrapper), the protocol's status
codes and media types for each format, refusals, time limit, result-size cap, and a load from another process.

The server is ``ieic-kg serve`` itself on a copy of the demo's RDF store, configured by the environment.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from ieic_kg.api.security import key_digest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper

from ieic_kg.neo4j_server import Neo4jConnection

from .conftest import COURSE_IRI, IEIC_KG, KEYS, assert_problem
from .http_server import Server, free_port, server_env, start_server, stop_server

pytestmark = pytest.mark.neo4j

TIMEOUT_MAX = 5  # IEIC_API_SPARQL_TIMEOUT of the test server
RESULT_CAP = 300_000  # IEIC_API_SPARQL_MAX_RESULT_BYTES of the test server
WORKERS = 2

COURSE_LABELS = (
    "SELECT ?c ?label WHERE { ?c a ieic:Course ; rdfs:label ?label FILTER(lang(?label) = 'zh') } ORDER BY ?c"
)
COURSE_GRAPH = "CONSTRUCT { ?c rdfs:label ?label ; a ieic:Course } WHERE { ?c a ieic:Course ; rdfs:label ?label }"
#: Runs for minutes on the demo store (a cross product, sorted): only the time limit stops it.
ENDLESS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


@pytest.fixture(scope="module")
def sparql_server(
    demo_graph: Path, neo4j_connection: Neo4jConnection, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """``ieic-kg serve`` on a copy of the demo's RDF store (only the store: the server publishes its snapshot)."""
    tmp = tmp_path_factory.mktemp("sparql")
    shutil.copytree(demo_graph / "rdf", tmp / "data" / "rdf")
    port = free_port()
    env = server_env(
        neo4j_connection,
        tmp / "data",
        IEIC_API_HOST="127.0.0.1",
        IEIC_API_PORT=str(port),
        IEIC_API_KEYS=json.dumps({key_digest(k): role for role, k in KEYS.items()}),
        IEIC_API_RATE_LIMIT="0",
        IEIC_API_SPARQL_TIMEOUT=str(TIMEOUT_MAX),
        IEIC_API_SPARQL_MAX_RESULT_BYTES=str(RESULT_CAP),
        IEIC_API_SPARQL_WORKERS=str(WORKERS),
    )
    server = start_server([str(IEIC_KG), "serve"], env, tmp / "serve.log", port)
    try:
        yield server
    finally:
        assert stop_server(server) == 0, server.output()


@pytest.fixture
def http(sparql_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sparql_server.base_url, timeout=60) as c:
        yield c


def endpoint(server: Server) -> SPARQLWrapper:
    return SPARQLWrapper(f"{server.base_url}/sparql")


def select_count(http: httpx.Client, where: str) -> int:
    r = http.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def neo4j_count(driver: Any, conn: Neo4jConnection, cypher: str) -> int:
    with driver.session(database=conn.database) as session:
        return int(session.run(cypher).single()[0])


# -- a real client --------------------------------------------------------------------------------------------


def test_sparqlwrapper_select_ask_construct_by_get_and_post(
    sparql_server: Server, neo4j_driver: Any, neo4j_connection: Neo4jConnection
) -> None:
    courses = neo4j_count(neo4j_driver, neo4j_connection, "MATCH (c:Course) RETURN count(c)")
    assert courses > 0
    for method, request in ((None, None), (POST, URLENCODED), (POST, POSTDIRECTLY)):
        w = endpoint(sparql_server)
        if method:
            w.setMethod(method)
            w.setRequestMethod(request)
        w.setQuery("SELECT (COUNT(?c) AS ?n) WHERE { ?c a ieic:Course }")
        w.setReturnFormat(JSON)
        answer = w.query().convert()
        assert int(answer["results"]["bindings"][0]["n"]["value"]) == courses, (method, request)

    w = endpoint(sparql_server)
    w.setQuery(f"SELECT ?label WHERE {{ <{COURSE_IRI}> rdfs:label ?label FILTER(lang(?label) = 'zh') }}")
    w.setReturnFormat(XML)
    doc = w.query().convert()  # a DOM of the SPARQL results XML
    literals = doc.getElementsByTagName("literal")
    assert len(literals) == 1 and literals[0].getAttribute("xml:lang") == "zh" and literals[0].firstChild.data

    for iri, expected in ((COURSE_IRI, True), (COURSE_IRI + "-missing", False)):
        w = endpoint(sparql_server)
        w.setQuery(f"ASK {{ <{iri}> a ieic:Course }}")
        w.setReturnFormat(JSON)
        assert w.query().convert()["boolean"] is expected

    w = endpoint(sparql_server)
    w.setQuery(COURSE_GRAPH)
    w.setReturnFormat(TURTLE)
    graph = Graph().parse(data=w.query().convert(), format="turtle")
    assert len(set(graph.subjects())) == courses

    w = endpoint(sparql_server)
    w.setQuery(COURSE_LABELS)
    w.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(w.query().convert().decode("utf-8"))))
    assert rows[0] == ["c", "label"] and len(rows) > 1 and any(r[0] == COURSE_IRI for r in rows[1:])


# -- the protocol: media types and status codes ---------------------------------------------------------------

SELECT_FORMATS = [
    # Accept, Content-Type answered, rdflib's results parser
    (None, "application/sparql-results+json", "json"),
    ("*/*", "application/sparql-results+json", "json"),
    ("application/sparql-results+json", "application/sparql-results+json", "json"),
    ("application/json", "application/json", "json"),
    ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ("text/csv", "text/csv; charset=utf-8", "csv"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "tsv"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", "xml"),
    (
        "application/sparql-results+json;q=0, text/tab-separated-values;q=0.2",
        "text/tab-separated-values; charset=utf-8",
        "tsv",
    ),
]


@pytest.mark.parametrize(("accept", "content_type", "parser"), SELECT_FORMATS)
def test_select_in_each_format(http: httpx.Client, accept: str | None, content_type: str, parser: str) -> None:
    reference = http.get("/sparql", params={"query": COURSE_LABELS}).json()["results"]["bindings"]
    headers = {"Accept": accept} if accept else {}
    r = http.get("/sparql", params={"query": COURSE_LABELS}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == content_type
    assert r.headers["vary"] == "Accept" and re.fullmatch(r"\d{8}", r.headers["x-rdf-snapshot"])
    result = Result.parse(io.BytesIO(r.content), format=parser)
    assert [str(v) for v in result.vars or []] == ["c", "label"]
    rows = [(str(row[0]), str(row[1])) for row in result]
    assert rows == [(b["c"]["value"], b["label"]["value"]) for b in reference]
    assert (COURSE_IRI, next(b["label"]["value"] for b in reference if b["c"]["value"] == COURSE_IRI)) in rows


@pytest.mark.parametrize(
    ("accept", "content_type", "expected"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", '"boolean":true'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<boolean>true</boolean>"),
        ("text/csv", "text/csv; charset=utf-8", "true"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "true"),
    ],
)
def test_ask_in_each_format(http: httpx.Client, accept: str, content_type: str, expected: str) -> None:
    r = http.post("/sparql", data={"query": f"ASK {{ <{COURSE_IRI}> a ieic:Course }}"}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"] == content_type
    assert expected in r.text


GRAPH_FORMATS = [
    (None, "text/turtle; charset=utf-8", "turtle"),
    ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/sparql-results+json, application/rdf+xml;q=0.8, text/turtle;q=0.5", "application/rdf+xml", "xml"),
]


@pytest.mark.parametrize(("accept", "content_type", "rdflib_format"), GRAPH_FORMATS)
def test_construct_in_each_format(
    http: httpx.Client, accept: str | None, content_type: str, rdflib_format: str
) -> None:
    reference = Graph().parse(
        data=http.get("/sparql", params={"query": COURSE_GRAPH}, headers={"Accept": "application/n-triples"}).text,
        format="nt",
    )
    assert len(reference) == select_count(http, "?c a ieic:Course ; rdfs:label ?label") + len(set(reference.subjects()))
    headers = {"Accept": accept} if accept else {}
    r = http.post(
        "/sparql", content=COURSE_GRAPH.encode(), headers={**headers, "Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == content_type
    assert isomorphic(Graph().parse(data=r.content, format=rdflib_format), reference)


def test_describe(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": f"DESCRIBE <{COURSE_IRI}>"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    graph = Graph().parse(data=r.text, format="turtle")
    assert {str(s) for s in graph.subjects()} >= {COURSE_IRI}
    assert len(graph) == select_count(http, f"<{COURSE_IRI}> ?p ?o")


def test_dataset_parameters_replace_the_default_and_named_graphs(http: httpx.Client) -> None:
    ontology = "https://w3id.org/ieic-kg/ontology"
    in_ontology = select_count(http, f"GRAPH <{ontology}> {{ ?s ?p ?o }}")
    everything = select_count(http, "?s ?p ?o")
    assert 0 < in_ontology < everything
    r = http.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": ontology},
    )
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == in_ontology
    # named-graph-uri: the only graph GRAPH ?g reaches
    r = http.post(
        "/sparql",
        data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": ontology},
    )
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [ontology]
    # and for an application/sparql-query body they come in the URL
    r = http.post(
        "/sparql",
        params={"default-graph-uri": ontology},
        content=b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == in_ontology
    body = assert_problem(
        http.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"}), 400, title="Bad request"
    )
    assert "default-graph-uri" in body["detail"]


def test_not_acceptable_is_406(http: httpx.Client) -> None:
    body = assert_problem(http.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}), 406)
    assert "text/turtle" in body["hint"] and "application/sparql-results+json" in body["hint"]
    # a format that exists, but not for this form of query
    body = assert_problem(http.get("/sparql", params={"query": COURSE_GRAPH}, headers={"Accept": "text/csv"}), 406)
    assert "CONSTRUCT" in body["detail"] and "text/turtle" in body["hint"]
    body = assert_problem(http.get("/sparql", params={"query": COURSE_LABELS}, headers={"Accept": "text/turtle"}), 406)
    assert "SELECT" in body["detail"] and "text/csv" in body["hint"]


def test_bad_requests_are_400_problems(http: httpx.Client) -> None:
    assert "`query`" in assert_problem(http.get("/sparql"), 400)["detail"]
    assert "2 times" in assert_problem(http.get("/sparql?query=ASK{}&query=ASK{}"), 400)["detail"]
    assert "body" in assert_problem(http.post("/sparql", params={"query": "ASK {}"}, data={"x": "1"}), 400)["detail"]
    assert_problem(http.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}), 415)
    for timeout in ("0", "-1", "abc", "nan"):
        assert_problem(http.get("/sparql", params={"query": "ASK {}", "timeout": timeout}), 400)
        assert_problem(http.post("/sparql", data={"query": "ASK {}", "timeout": timeout}), 400)
    body = assert_problem(
        http.get("/sparql", params={"query": "SELECT ?s\nWHERE { ?s ?p }"}), 400, title="Bad SPARQL query"
    )
    assert re.search(r"error at 2:\d+", body["detail"]), body  # line and column of the syntax error
    assert_problem(http.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}), 400)


def test_sparql_update_is_refused_in_every_form(http: httpx.Client) -> None:
    before = select_count(http, "?s ?p ?o")
    update = "INSERT DATA { <https://example.org/x> <https://example.org/p> 1 }"
    refusals = [
        http.get("/sparql", params={"query": update}),
        http.post("/sparql", data={"query": update}),
        http.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-query"}),
        http.post("/sparql", data={"update": update}),
        http.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        http.get("/sparql", params={"update": update}),
        http.get("/sparql", params={"query": "PREFIX ex: <https://example.org/>\nDELETE WHERE { ?s ?p ?o }"}),
        http.get("/sparql", params={"query": "LOAD <file:///etc/passwd>"}),
        http.get("/sparql", params={"query": "DROP ALL"}),
    ]
    for r in refusals:
        body = assert_problem(r, 400, title="Update not allowed")
        assert "not available on the public endpoint" in body["detail"]
    assert select_count(http, "?s ?p ?o") == before


def test_query_text_in_parameters_is_harmless(http: httpx.Client, unchanged_graph: None) -> None:
    before = select_count(http, "GRAPH ?g { ?s ?p ?o }")
    hostile = [
        '"} } ; DROP ALL ; SELECT * { "',
        "'; MATCH (n) DETACH DELETE n; //",
        "> } ; CLEAR DEFAULT ; <",
        "\\u0022) } INSERT DATA { <a:b> <a:c> <a:d> } #",
    ]
    for text in hostile:
        # as data: inside a literal of a client-built query, it is only a string
        literal = json.dumps(text)
        r = http.get(
            "/sparql",
            params={"query": f"SELECT ?l WHERE {{ ?c rdfs:label ?l FILTER(CONTAINS(STR(?l), {literal})) }}"},
        )
        assert r.status_code == 200 and r.json()["results"]["bindings"] == [], (text, r.text)
        r = http.get("/sparql", params={"query": f"SELECT ?x WHERE {{ BIND({literal} AS ?x) }}"})
        assert r.json()["results"]["bindings"][0]["x"]["value"] == text
        # as a graph IRI or a timeout: refused as invalid, never spliced into a query
        assert_problem(http.get("/sparql", params={"query": "ASK {}", "default-graph-uri": text}), 400)
        assert_problem(http.get("/sparql", params={"query": "ASK {}", "named-graph-uri": text}), 400)
        assert_problem(http.get("/sparql", params={"query": "ASK {}", "timeout": text}), 400)
        # as the query itself: a syntax error or an update, refused
        assert http.get("/sparql", params={"query": text}).status_code == 400
    # a keyword in a string or a comment is not an update
    r = http.get("/sparql", params={"query": 'SELECT ?x WHERE { BIND("DELETE WHERE" AS ?x) } # DROP ALL'})
    assert r.status_code == 200
    body = assert_problem(
        http.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }"}),
        400,
    )
    assert "SERVICE" in body["detail"]
    assert select_count(http, "GRAPH ?g { ?s ?p ?o }") == before


# -- limits -----------------------------------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    """The SPARQL worker processes of the server (its children but multiprocessing's resource tracker)."""
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"resource_tracker" not in cmdline:
                out.add(int(child))
    return out


def test_a_long_query_is_stopped_at_its_time_limit(sparql_server: Server, http: httpx.Client) -> None:
    workers = _children(sparql_server.process.pid)
    assert len(workers) == WORKERS
    r = http.get("/sparql", params={"query": ENDLESS, "timeout": "1"})
    body = assert_problem(r, 504, title="SPARQL query timed out")
    assert "within 1 s" in body["detail"] and "stopped" in body["detail"]
    # the request may ask for less than the maximum, never for more
    body = assert_problem(http.post("/sparql", data={"query": ENDLESS, "timeout": "600"}), 504)
    assert f"within {TIMEOUT_MAX} s" in body["detail"]
    # the workers that ran them were killed and replaced: the query does not go on in the background
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = _children(sparql_server.process.pid)
        if len(now) == WORKERS and len(now - workers) == 2:
            break
        time.sleep(0.1)
    assert len(now) == WORKERS and len(now - workers) == 2, (workers, now)
    assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    rdf = next(s for s in http.get("/ready").json()["stores"] if s["name"] == "rdf")
    assert rdf["state"] == "up"


def test_the_result_size_cap_is_an_error_never_a_truncated_answer(http: httpx.Client) -> None:
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    for accept in ("text/turtle", "application/n-triples", "application/ld+json"):
        body = assert_problem(http.get("/sparql", params={"query": query}, headers={"Accept": accept}), 400)
        assert body["title"] == "Result too large" and f"{RESULT_CAP:,} bytes" in body["detail"]
    body = assert_problem(http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}), 400)
    assert body["title"] == "Result too large" and "LIMIT" in body["hint"]
    r = http.get("/sparql", params={"query": query + " LIMIT 100"}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and len(r.text.strip().splitlines()) == 100


# -- a load from another process while queries run ----------------------------------------------------------

DATASET = "sparql-concurrency-test"
ROWS = 1500


@pytest.fixture
def extra_dataset(tmp_path: Path, neo4j_driver: Any, neo4j_connection: Neo4jConnection) -> Iterator[Path]:
    """A mapping of ROWS industries of their own dataset; what its load adds to Neo4j is removed after."""
    rows = "\n".join(f"{900000 + i},9,测试行业 {i},Test industry {i}" for i in range(ROWS))  # 6-digit codes
    (tmp_path / "industries.csv").write_text("code,level,name_zh,name_en\n" + rows + "\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        f"""dataset: {DATASET}
title: {{zh: 并发测试, en: Concurrency test}}
sources:
  - name: industries
    file: industries.csv
    class: Industry
    key: {{template: "TEST:{{code}}"}}
    properties: {{code: code, level: level, label_zh: name_zh, label_en: name_en}}
""",
        encoding="utf-8",
    )
    yield mapping
    with neo4j_driver.session(database=neo4j_connection.database) as session:
        session.run("MATCH (n:Industry) WHERE n.source = [$ds] DETACH DELETE n", ds=DATASET).consume()
        session.run("MATCH (r:LoadRun {source: $ds}) DETACH DELETE r", ds=DATASET).consume()


def test_a_load_in_another_process_while_queries_run(
    sparql_server: Server, http: httpx.Client, extra_dataset: Path, neo4j_connection: Neo4jConnection
) -> None:
    graph = f"https://w3id.org/ieic-kg/graph/{DATASET}"
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s a ieic:Industry }} }}"
    seen: list[tuple[int, str, int | None, str]] = []
    stop = threading.Event()

    def ask() -> None:
        with httpx.Client(base_url=sparql_server.base_url, timeout=60) as c:
            while not stop.is_set():
                r = c.get("/sparql", params={"query": query})
                n = int(r.json()["results"]["bindings"][0]["n"]["value"]) if r.status_code == 200 else None
                seen.append((r.status_code, r.headers.get("x-rdf-snapshot", ""), n, threading.current_thread().name))

    first = http.get("/sparql", params={"query": query})
    start_snapshot = first.headers["x-rdf-snapshot"]
    askers = [threading.Thread(target=ask) for _ in range(2)]
    for t in askers:
        t.start()
    try:
        data_dir = Path(sparql_server.log).parent / "data"
        load = subprocess.run(
            [str(IEIC_KG), "load", "mapping", str(extra_dataset)],
            env=server_env(neo4j_connection, data_dir),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        during = len(seen)
        time.sleep(0.5)  # a few queries after the load
    finally:
        stop.set()
        for t in askers:
            t.join(60)
    assert load.returncode == 0, load.stdout[-3000:] + load.stderr[-3000:]
    assert "RDF store not updated" not in load.stdout + load.stderr, load.stdout + load.stderr
    assert during > 0, "no query ran while the load did"
    assert {status for status, *_ in seen} == {200}
    # each answer saw the graph as before the load (none of it) or after (all of it), never a part
    assert {n for _, _, n, _ in seen} <= {0, ROWS}, sorted({str(n) for _, _, n, _ in seen})
    for asker in askers:
        snapshots = [int(s) for _, s, _, name in seen if name == asker.name]
        assert snapshots == sorted(snapshots), "a client saw an older snapshot after a newer one"
    final = http.get("/sparql", params={"query": query})
    assert int(final.json()["results"]["bindings"][0]["n"]["value"]) == ROWS
    assert int(final.headers["x-rdf-snapshot"]) > int(start_snapshot)
    # the load's run is in the provenance graph of the same snapshot
    r = http.get(
        "/sparql",
        params={"query": f'ASK {{ GRAPH <https://w3id.org/ieic-kg/graph/provenance> {{ ?run ?p "{DATASET}" }} }}'},
    )
    assert r.json()["boolean"] is True
