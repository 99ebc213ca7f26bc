"""Stewards' loads over real HTTP: uploads with their mapping, registered sources, one load at a time per
store, live status with the RDF store's lag, rejects as CSV, and the roles that may do it.

The server runs in a subprocess with its own data folder, the demo's registered sources (demo/sources.yaml),
a small upload limit and its own upload folder; it writes into the demo graph of the API tests. What the
tests load is either the demo's own data again (unchanged) or a small dataset of their own, removed at the
end by a pruning load.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from ieic_kg.api.loadjobs import check_mapping_terms
from ieic_kg.loaders.mapping import MappingLoader, read_mapping

from ieic_kg.config import Settings
from ieic_kg.demo import default_demo_dir, read_manifest
from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.rdfstore import RdfStore

from .conftest import assert_problem, auth, graph_snapshot, key_settings
from .http_server import Server, clean_env, free_port, server_env, start_server, stop_server

pytestmark = pytest.mark.neo4j

DEMO = default_demo_dir()
UPLOAD_LIMIT = 300_000
DATASET = "api-upload-test"


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("loads")
    return {"tmp": tmp, "data": tmp / "data", "uploads": tmp / "uploads"}


def start_loads_server(neo4j_connection: Neo4jConnection, folders: dict[str, Path]) -> Server:
    port = free_port()
    settings = {
        "data_dir": str(folders["data"]),
        "neo4j_uri": neo4j_connection.uri,
        "neo4j_user": neo4j_connection.user,
        "neo4j_password": neo4j_connection.password,
        "neo4j_database": neo4j_connection.database,
    }
    api = key_settings(
        api_sources_file=DEMO / "sources.yaml",
        api_upload_dir=folders["uploads"],
        api_upload_max_bytes=UPLOAD_LIMIT,
    )
    config = {"host": "127.0.0.1", "port": port, "settings": settings, "api": api.model_dump(mode="json")}
    (folders["tmp"] / "config.json").write_text(json.dumps(config))
    return start_server(
        [sys.executable, str(Path(__file__).resolve().parent / "serve_app.py"), str(folders["tmp"] / "config.json")],
        clean_env(),
        folders["tmp"] / "server.log",
        port,
    )


@pytest.fixture(scope="module")
def loads_server(demo_graph: Path, neo4j_connection: Neo4jConnection, folders: dict[str, Path]) -> Iterator[Server]:
    s = start_loads_server(neo4j_connection, folders)
    try:
        yield s
    finally:
        assert stop_server(s) == 0, s.output()


@pytest.fixture(scope="module")
def http(loads_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=loads_server.base_url, timeout=120) as c:
        yield c


def follow(http: httpx.Client, run: str, *, timeout: float = 120) -> dict[str, Any]:
    """The run's status once its job is done."""
    deadline = time.monotonic() + timeout
    phases = []
    while time.monotonic() < deadline:
        body: dict[str, Any] = http.get(f"/v1/loads/{run}", headers=auth("steward")).json()
        phases.append(body["job"]["phase"])
        if body["job"]["phase"] == "done":
            return body
        time.sleep(0.2)
    raise AssertionError(f"the load {run} did not end within {timeout}s: {phases[-5:]}")


def started(r: httpx.Response) -> str:
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == f"/v1/loads/{job['runId']}" == job["links"]["status"]
    assert job["phase"] in ("queued", "validating", "writing", "finishing", "done")
    run: str = job["runId"]
    return run


def skills_csv(rows: list[tuple[str, str, str]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["code", "name_zh", "name_en"])
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


MAPPING = f"""
dataset: {DATASET}
title: {{zh: API 上传测试, en: API upload test}}
sources:
  - name: skills
    file: ../sources/test_skills.csv
    class: Skill
    key: {{template: "APITEST:{{code}}"}}
    properties:
      code: code
      label_zh: name_zh
      label_en: name_en
  - name: broader
    file: links.csv
    edges:
      - predicate: broader
        from: {{class: Skill, key: {{template: "APITEST:{{code}}"}}}}
        to: {{class: Skill, key: {{template: "APITEST:{{parent}}"}}}}
""".encode()

GOOD = [("T1", "测试技能一", "Test skill one"), ("T2", "测试技能二", "Test skill two")]


def upload(
    http: httpx.Client,
    files: list[tuple[str, tuple[str, bytes]]],
    role: str = "steward",
    **fields: str,
) -> httpx.Response:
    return http.post("/v1/loads", files=files, data=fields, headers=auth(role))


# -- access ------------------------------------------------------------------------------------------------


def test_steward_routes_need_a_steward_key(http: httpx.Client) -> None:
    files = [("mapping", ("m.yaml", MAPPING))]
    calls = [
        lambda h: http.post("/v1/loads", files=files, headers=h),
        lambda h: http.post("/v1/sources/demo-gbt4754/load", headers=h),
        lambda h: http.get("/v1/sources", headers=h),
        lambda h: http.get("/v1/loads/20261129T143251Z-1e9eac/rejects", headers=h),
    ]
    for call in calls:
        assert_problem(call({}), 401)
        body = assert_problem(call(auth("reader")), 403)
        assert "steward" in body["detail"]
    # pruning deletes data: admin only
    assert_problem(http.post("/v1/sources/demo-gbt4754/load", json={"prune": True}, headers=auth("steward")), 403)
    assert_problem(upload(http, files, prune="true"), 403)


# -- registered sources --------------------------------------------------------------------------------------


def test_the_demo_manifest_is_registered_by_dataset(http: httpx.Client) -> None:
    listed = http.get("/v1/sources", headers=auth("steward")).json()
    expected = {MappingLoader(m).spec.dataset for m in read_manifest(DEMO).mappings}
    assert {s["name"] for s in listed["items"]} == expected and listed["file"].endswith("sources.yaml")
    body = assert_problem(http.post("/v1/sources/nope/load", headers=auth("steward")), 404)
    assert "demo-gbt4754" in body["hint"]


def test_a_registered_source_loads_in_the_background(http: httpx.Client, folders: dict[str, Path]) -> None:
    run = started(http.post("/v1/sources/demo-gbt4754/load", headers=auth("steward")))
    done = follow(http, run)
    job = done["job"]
    assert job["status"] == done["status"] == "completed" and job["origin"] == "source:demo-gbt4754"
    assert done["runId"] == run and done["dataset"] == "demo-gbt4754" and done["loader"] == "mapping/1"
    industries = job["report"]["nodes"]["Industry"]
    assert industries["read"] == industries["unchanged"] > 0  # the demo's own data again: nothing changes
    assert done["recordsRead"] == industries["read"] + job["report"]["edges"]["BROADER"]["read"]
    assert job["principal"].startswith("key:")
    assert (folders["data"] / "loads" / run / "status.json").is_file()
    # a reader sees the status, not who started it
    seen = http.get(f"/v1/loads/{run}", headers=auth("reader")).json()["job"]
    assert seen["principal"] is None and seen["status"] == "completed"


def test_one_load_at_a_time_per_store(http: httpx.Client, folders: dict[str, Path]) -> None:
    """Another process (or worker) holding the store's load lock: a second load is refused, not queued."""
    lock = folders["data"] / "loads" / "api.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, b"20261129T000000Z-abcdef", 0)
        body = assert_problem(http.post("/v1/sources/demo-gbt4754/load", headers=auth("steward")), 409)
        assert "20261129T000000Z-abcdef" in body["detail"]
        assert_problem(upload(http, [("mapping", ("m.yaml", MAPPING))]), 409)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    run = started(http.post("/v1/sources/demo-gbt4754/load", json={"dryRun": True}, headers=auth("steward")))
    # while it runs, another start is a 409 naming it (it may already have ended: then it starts)
    second = http.post("/v1/sources/demo-gbt4754/load", json={"dryRun": True}, headers=auth("steward"))
    if second.status_code == 409:
        assert run in second.json()["detail"]
    else:
        follow(http, started(second))
    assert follow(http, run)["job"]["status"] == "dry-run"


def test_the_rdf_stores_lag_is_in_the_status(http: httpx.Client, folders: dict[str, Path]) -> None:
    """The RDF store held by another process: the load goes into Neo4j and says the RDF store lags."""
    with RdfStore.open(Settings(data_dir=folders["data"])):
        run = started(http.post("/v1/sources/demo-gbt4754/load", headers=auth("steward")))
        done = follow(http, run)
    assert done["job"]["status"] == "completed"
    assert "RDF store" in done["job"]["rdfLag"] and "ieic-kg sync" in done["job"]["rdfLag"]
    assert done["job"]["report"]["rdfLag"] is None  # the engine itself had no RDF store to sync


# -- uploads -----------------------------------------------------------------------------------------------


def test_a_dry_run_upload_of_a_demo_source_writes_nothing(
    http: httpx.Client, neo4j_driver: Any, neo4j_connection: Neo4jConnection, folders: dict[str, Path]
) -> None:
    before = graph_snapshot(neo4j_driver, neo4j_connection.database)
    mapping = DEMO / "mappings" / "occupation_demand.yaml"
    data = DEMO / "sources" / "occupation_skill_demand.csv"
    r = upload(
        http,
        [("mapping", (mapping.name, mapping.read_bytes())), ("data", (data.name, data.read_bytes()))],
        dry_run="true",
    )
    done = follow(http, started(r))
    assert done["status"] == "dry-run" and done["job"]["report"]["edges"]["REQUIRES_SKILL"]["read"] > 100
    assert done["checksums"] == [] and done["job"]["dryRun"]
    assert graph_snapshot(neo4j_driver, neo4j_connection.database) == before
    assert list(folders["uploads"].iterdir()) == []  # the upload folder is removed


@pytest.mark.parametrize(
    ("mapping", "detail"),
    [
        (b"dataset: x\nsources:\n  - name: s\n   file: a.csv\n", "bad.yaml:4: not valid YAML"),
        (b"dataset: x\nsources:\n  - name: s\n    file: a.csv\n    class: Skil\n    key: k\n", "[sources.s.class]"),
        (
            b"dataset: x\nsources:\n  - {name: s, file: a.csv, class: Skill, key: k, properties: {lable_zh: n}}\n",
            "lable_zh",
        ),
        (
            b"dataset: x\nsources:\n  - {name: s, file: /etc/passwd, format: csv, class: Skill, key: k}\n",
            "[sources.s.file]",
        ),
        (
            b"dataset: x\nsources:\n  - {name: s, url: 'sqlite:////tmp/x.db', table: t, class: Skill, key: k}\n",
            "[sources.s.url]",
        ),
        (
            b"dataset: x\nsources:\n  - {name: s, file: a.db, query: \"ATTACH DATABASE '/tmp/y' AS y\", "
            b"class: Skill, key: k}\n",
            "[sources.s.query]",
        ),
        (
            b"dataset: x\nsources:\n  - {name: s, file: a.csv, edges: [{predicate: teaches, "
            b"from: {class: Course, key: a}, to: {class: Skill, key: b}}]}\n",
            "[sources.s.edges.0.predicate]",
        ),
        (
            b"dataset: x\nsources:\n  - {name: s, file: a.csv, edges: [{predicate: broader, "
            b"from: {class: Skill, key: a}, to: {class: Skill, key: b}, properties: {wieght: w}}]}\n",
            "[sources.s.edges.0.properties.wieght]",
        ),
        (b"dataset: bad name\nsources: []\n", "[dataset]"),
    ],
)
def test_a_bad_mapping_is_400_naming_file_line_and_field(
    http: httpx.Client, folders: dict[str, Path], mapping: bytes, detail: str
) -> None:
    runs = set((folders["data"] / "loads").glob("2*"))
    body = assert_problem(upload(http, [("mapping", ("bad.yaml", mapping))]), 400)
    assert body["detail"].startswith("bad.yaml") and detail in body["detail"], body
    assert str(folders["uploads"]) not in body["detail"] and "ieic-upload" not in body["detail"]
    assert set((folders["data"] / "loads").glob("2*")) == runs  # nothing started
    assert list(folders["uploads"].iterdir()) == []


@pytest.mark.parametrize("mapping", sorted((DEMO / "mappings").glob("*.yaml")), ids=lambda p: p.name)
def test_the_demo_mappings_pass_the_upload_check(mapping: Path, ontology: Any) -> None:
    """No false alarms: every shipped mapping names only the ontology's classes, properties and relations."""
    check_mapping_terms(read_mapping(mapping), ontology, mapping.name)


def test_a_source_without_its_file_names_it(http: httpx.Client) -> None:
    body = assert_problem(upload(http, [("mapping", ("m.yaml", MAPPING))]), 400)
    assert "[sources.skills.file]" in body["detail"] and "test_skills.csv" in body["hint"]


def test_an_upload_over_the_limit_is_413(http: httpx.Client, folders: dict[str, Path]) -> None:
    big = b"code,name_zh,name_en\n" + b"X,y,z\n" * (UPLOAD_LIMIT // 6 + 10)
    r = upload(http, [("mapping", ("m.yaml", MAPPING)), ("data", ("test_skills.csv", big))])
    body = assert_problem(r, 413)
    assert str(UPLOAD_LIMIT) in body["detail"] and "IEIC_API_UPLOAD_MAX_BYTES" in body["hint"]
    assert list(folders["uploads"].iterdir()) == []


def test_a_data_error_fails_the_load_naming_the_file_and_field(http: httpx.Client) -> None:
    """What can only be seen in the data (a column the mapping names is missing) fails the job, not the
    request; nothing is written."""
    no_column = b"code,name_en\nT1,x\n"
    links = b"code,parent\n"
    r = upload(
        http,
        [("mapping", ("m.yaml", MAPPING)), ("data", ("test_skills.csv", no_column)), ("data", ("links.csv", links))],
    )
    done = follow(http, started(r))
    assert done["status"] == "failed" and done["job"]["error"]["title"] == "Bad source"
    assert (
        done["job"]["error"]["detail"].startswith("test_skills.csv") and "'name_zh'" in done["job"]["error"]["detail"]
    )
    assert "ieic-upload" not in done["job"]["error"]["detail"]


def test_upload_load_rejects_and_pruning(
    http: httpx.Client, neo4j_driver: Any, neo4j_connection: Neo4jConnection, folders: dict[str, Path]
) -> None:
    def count() -> int:
        with neo4j_driver.session(database=neo4j_connection.database) as s:
            return int(s.run("MATCH (n:Skill) WHERE $d IN n.source RETURN count(n) AS n", d=DATASET).single()["n"])

    links = b"code,parent\nT2,T1\nT1,NOPE\n"
    files = [
        ("mapping", ("m.yaml", MAPPING)),
        ("data", ("test_skills.csv", skills_csv(GOOD))),
        ("data", ("links.csv", links)),
    ]
    # strict: a reject means nothing is written
    strict = follow(http, started(upload(http, files, strict="true")))
    assert strict["status"] == "rejected" and strict["rejected"] == 1 and count() == 0
    done = follow(http, started(upload(http, files)))
    assert done["status"] == "completed-with-rejects" and done["rejected"] == 1 and count() == 2
    assert done["job"]["report"]["edges"]["BROADER"]["created"] == 1
    # the rejects CSV names the file, line and field
    r = http.get(f"/v1/loads/{done['runId']}/rejects", headers=auth("steward"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert f"rejects-{done['runId']}.csv" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0]["file"].endswith("links.csv") and rows[0]["line"] == "3"
    assert rows[0]["field"] == "to" and "NOPE" in rows[0]["value"]
    assert_problem(http.get("/v1/loads/20261129T143251Z-1e9eac/rejects", headers=auth("steward")), 404)
    assert_problem(http.get("/v1/loads/..%2F..%2Fetc/rejects", headers=auth("steward")), 404)
    # an admin's pruning load of the emptied dataset deletes what it stated
    empty = [
        ("mapping", ("m.yaml", MAPPING)),
        ("data", ("test_skills.csv", skills_csv([]))),
        ("data", ("links.csv", b"code,parent\n")),
    ]
    pruned = follow(http, started(upload(http, empty, role="admin", prune="true")))
    assert pruned["status"] == "completed" and pruned["pruned"] >= 2 and count() == 0
    assert list(folders["uploads"].iterdir()) == []


def test_a_stopping_server_lets_the_running_load_end(
    demo_graph: Path, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    """Ctrl-C right after a load starts: the server waits for it before closing its Neo4j driver."""
    folders = {"tmp": tmp_path, "data": tmp_path / "data", "uploads": tmp_path / "uploads"}
    server = start_loads_server(neo4j_connection, folders)
    try:
        r = httpx.post(
            f"{server.base_url}/v1/sources/gdimp-curriculum-design/load", headers=auth("steward"), timeout=60
        )
        run = started(r)
    finally:
        assert stop_server(server) == 0, server.output()
    status = json.loads((folders["data"] / "loads" / run / "status.json").read_text(encoding="utf-8"))
    assert status["phase"] == "done" and status["status"] == "completed", status


def test_dry_runs_of_the_api_and_of_the_cli_are_listed_apart(
    http: httpx.Client, folders: dict[str, Path], neo4j_connection: Neo4jConnection
) -> None:
    """Dry runs write nothing to the graph: GET /v1/loads?status=dry-run lists them from their reports."""
    api_run = started(http.post("/v1/sources/demo-gbt4754/load", json={"dryRun": True}, headers=auth("steward")))
    assert follow(http, api_run)["job"]["status"] == "dry-run"
    mapping = next(p for p in read_manifest(DEMO).mappings if "industr" in p.name)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "ieic-kg"), "load", "mapping", str(mapping), "--dry-run"],
        env=server_env(neo4j_connection, folders["data"]),
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    cli_run = next(
        p.name
        for p in sorted((folders["data"] / "loads").iterdir(), reverse=True)
        if p.name != api_run and (p / "report.json").is_file() and not (p / "status.json").exists()
    )
    listed = http.get("/v1/loads", params={"status": "dry-run", "limit": 200}).json()
    ids = [r["runId"] for r in listed["items"]]
    assert {api_run, cli_run} <= set(ids) and listed["total"] == len(ids)
    assert ids == sorted(ids, reverse=True)  # newest first
    assert all(r["status"] == "dry-run" and r["created"] is None for r in listed["items"])
    cli = next(r for r in listed["items"] if r["runId"] == cli_run)
    assert cli["recordsRead"] > 0 and cli["startedAt"] <= cli["endedAt"]
    one = http.get(f"/v1/loads/{cli_run}").json()
    assert one.pop("job") is None and one == cli
    # the runs that wrote the graph are listed without them
    graph_runs = http.get("/v1/loads", params={"limit": 200}).json()["items"]
    assert not {api_run, cli_run} & {r["runId"] for r in graph_runs}
