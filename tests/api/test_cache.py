"""The answer cache (ieic_kg.api.cache): hits are the routes' answers, access control and the rate limit still
apply, and a write to the graph (by anyone) or a new RDF snapshot makes the next answer new."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from ieic_kg.neo4j_server import Neo4jConnection
from ieic_kg.rdfstore import RdfStore

from .conftest import COURSE_IRI, AppFactory, assert_problem, auth, key_settings, settings_for

pytestmark = pytest.mark.neo4j

PROBE_IRI = "https://w3id.org/ieic-kg/id/skill/TEST-CACHE-PROBE"


@pytest.fixture
def probe_node(neo4j_driver: Any, neo4j_connection: Neo4jConnection) -> Iterator[Any]:
    """A skill of its own in the demo graph (removed after), which the test changes behind the API's back."""

    def run(cypher: str, **params: Any) -> None:
        with neo4j_driver.session(database=neo4j_connection.database) as s:
            s.run(cypher, params).consume()

    run("CREATE (:Entity:Skill {iri: $iri, code: 'TEST-CACHE-PROBE', label_en: 'before'})", iri=PROBE_IRI)
    try:
        yield run
    finally:
        run("MATCH (n:Entity {iri: $iri}) DETACH DELETE n", iri=PROBE_IRI)


def test_a_repeated_lookup_is_a_hit_with_the_same_answer(make_client: AppFactory) -> None:
    with make_client() as c:
        first = c.get("/v1/entities", params={"iri": COURSE_IRI})
        second = c.get("/v1/entities", params={"iri": COURSE_IRI})
        assert first.status_code == second.status_code == 200
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
        assert second.content == first.content and second.headers["content-type"] == first.headers["content-type"]
        # Accept is part of the key: JSON-LD is another answer
        ld = c.get("/v1/entities", params={"iri": COURSE_IRI}, headers={"Accept": "application/ld+json"})
        assert ld.headers["x-cache"] == "miss" and ld.headers["content-type"].startswith("application/ld+json")
        assert c.get("/v1/entities", params={"iri": COURSE_IRI}).content == first.content
        # errors are never kept
        for _ in range(2):
            missing = c.get("/v1/entities", params={"iri": COURSE_IRI + "-nope"})
            assert_problem(missing, 404)
            assert missing.headers["x-cache"] == "miss"


def test_access_control_and_the_rate_limit_apply_to_hits(make_client: AppFactory) -> None:
    with make_client(key_settings(api_open_reads=False, api_rate_limit=0.01, api_rate_burst=3)) as c:
        path = "/v1/entities/search"
        assert c.get(path, params={"q": "robot"}, headers=auth("reader")).headers["x-cache"] == "miss"
        assert c.get(path, params={"q": "robot"}, headers={"X-API-Key": "test-reader-key"}).headers["x-cache"] == "hit"
        assert_problem(c.get(path, params={"q": "robot"}), 401)  # no key
        assert_problem(c.get(path, params={"q": "robot"}, headers={"Authorization": "Bearer wrong"}), 401)
        assert c.get(path, params={"q": "robot"}, headers=auth("steward")).headers["x-cache"] == "hit"
        # the reader's bucket (3) is spent by its three requests, hits included
        assert c.get(path, params={"q": "robot"}, headers=auth("reader")).headers["x-cache"] == "hit"
        assert_problem(c.get(path, params={"q": "robot"}, headers=auth("reader")), 429)


def test_a_write_by_another_client_is_seen_after_the_check_interval(make_client: AppFactory, probe_node: Any) -> None:
    interval = 0.5
    with make_client(key_settings(api_cache_check_interval=interval)) as c:

        def label() -> tuple[str, str]:
            r = c.get("/v1/entities", params={"iri": PROBE_IRI})
            assert r.status_code == 200, r.text
            return r.json()["label"]["en"], r.headers["x-cache"]

        assert label() == ("before", "miss")
        assert label() == ("before", "hit")
        probe_node("MATCH (n:Entity {iri: $iri}) SET n.label_en = 'after'", iri=PROBE_IRI)
        time.sleep(interval + 0.1)  # past the interval the next request checks the graph's generation
        assert label() == ("after", "miss")
        assert label() == ("after", "hit")


def test_with_no_check_interval_every_write_is_seen_at_once(make_client: AppFactory, probe_node: Any) -> None:
    with make_client(key_settings(api_cache_check_interval=0)) as c:
        for n in range(3):
            probe_node("MATCH (n:Entity {iri: $iri}) SET n.label_en = $v", iri=PROBE_IRI, v=f"v{n}")
            r = c.get("/v1/entities", params={"iri": PROBE_IRI})
            assert (r.json()["label"]["en"], r.headers["x-cache"]) == (f"v{n}", "miss")
            assert c.get("/v1/entities", params={"iri": PROBE_IRI}).headers["x-cache"] == "hit"


def test_the_cache_can_be_turned_off(make_client: AppFactory) -> None:
    with make_client(key_settings(api_cache_bytes=0)) as c:
        for _ in range(2):
            r = c.get("/v1/entities", params={"iri": COURSE_IRI})
            assert r.status_code == 200 and "x-cache" not in r.headers


def test_sparql_answers_follow_the_published_snapshot(
    make_client: AppFactory, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    query = "SELECT ?o WHERE { <https://example.org/cache/s> <https://example.org/cache/p> ?o }"
    with make_client(settings=settings_for(neo4j_connection, tmp_path)) as c:

        def ask() -> tuple[list[str], str, str]:
            r = c.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200, r.text
            values = [b["o"]["value"] for b in r.json()["results"]["bindings"]]
            return values, r.headers["x-cache"], r.headers["x-rdf-snapshot"]

        values, first, snapshot = ask()
        assert (values, first) == ([], "miss")
        assert ask() == ([], "hit", snapshot)
        with RdfStore(tmp_path / "rdf") as rdf:  # another writer; closing publishes a new snapshot
            t = (ox.NamedNode("https://example.org/cache/s"), ox.NamedNode("https://example.org/cache/p"))
            rdf.replace_graph("https://example.org/cache/g", [ox.Triple(*t, ox.Literal("new"))])
        values, state, newer = ask()
        assert (values, state) == (["new"], "miss") and newer != snapshot
        assert ask() == (["new"], "hit", newer)
