"""The API's pure parts, without Neo4j: keys and limits, negotiation, Lucene escaping, the Cypher check."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from ieic_kg.api.convert import json_value
from ieic_kg.api.cypher import ALLOWED_PROCEDURES, check_read_only
from ieic_kg.api.errors import BadRequest, NotAcceptable, WriteRefused
from ieic_kg.api.jsonld import build_context
from ieic_kg.api.negotiation import negotiate
from ieic_kg.api.search import lucene_escape, lucene_query
from ieic_kg.api.security import KeyRing, TokenBucketLimiter, key_digest, new_api_key
from ieic_kg.api.settings import ApiSettings
from rdflib import Graph

from ieic_kg.errors import ConfigError
from ieic_kg.ontology import Ontology

from .conftest import KEYS


def test_a_key_is_identified_by_its_digest_and_named_without_revealing_it() -> None:
    key, digest = new_api_key()
    ring = KeyRing({digest: "steward", key_digest("other"): "reader"})
    principal = ring.identify(key)
    assert principal is not None and principal.role == "steward"
    assert principal.id == f"key:{digest[:8]}" and key not in principal.id
    assert ring.identify(key + "x") is None and ring.identify("") is None


def test_roles_are_ordered() -> None:
    ring = KeyRing({key_digest(k): role for role, k in KEYS.items()})
    admin, steward, reader = (ring.identify(KEYS[r]) for r in ("admin", "steward", "reader"))
    assert admin and steward and reader
    assert admin.can("steward") and admin.can("reader") and steward.can("reader")
    assert not reader.can("steward") and not steward.can("admin")


def test_settings_hold_digests_never_keys() -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        ApiSettings(api_keys={"my-plain-secret-key": "reader"})
    with pytest.raises(ValueError):
        ApiSettings.model_validate({"api_keys": {key_digest("k"): "superuser"}})


def test_a_keys_file_adds_keys_and_a_bad_one_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({key_digest("from-file"): "admin"}))
    table = ApiSettings(api_keys={key_digest("k"): "reader"}, api_keys_file=path).key_table()
    assert table == {key_digest("k"): "reader", key_digest("from-file"): "admin"}
    path.write_text(json.dumps({"plain-key": "admin"}))
    with pytest.raises(ConfigError, match="not a map of key digests"):
        ApiSettings(api_keys_file=path).key_table()
    with pytest.raises(ConfigError, match="does not exist"):
        ApiSettings(api_keys_file=tmp_path / "missing.json").key_table()


def test_the_token_bucket_allows_a_burst_then_the_rate() -> None:
    now = [100.0]
    limiter = TokenBucketLimiter(rate=2.0, burst=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [None, None, None]
    wait = limiter.take("a")
    assert wait == pytest.approx(0.5)
    assert limiter.take("b") is None  # buckets are per principal
    now[0] += 0.5
    assert limiter.take("a") is None and limiter.take("a") is not None


def test_the_limiter_keeps_a_bounded_number_of_buckets() -> None:
    limiter = TokenBucketLimiter(rate=1.0, burst=1, max_buckets=10)
    for i in range(1000):
        limiter.take(f"client-{i}")
    assert len(limiter._buckets) == 10


# -- content negotiation ----------------------------------------------------------------------------------

OFFERS = ("application/json", "application/ld+json")


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/json"),
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/ld+json", "application/ld+json"),
        ("application/json;q=0.5, application/ld+json", "application/ld+json"),
        ("application/ld+json;q=0.2, application/json;q=0.9", "application/json"),
        ("application/*", "application/json"),
        ("text/html, application/ld+json;q=0.8, */*;q=0.1", "application/ld+json"),
        ("APPLICATION/LD+JSON", "application/ld+json"),
        ("application/json;q=0, */*", "application/ld+json"),
        ('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', "application/ld+json"),
    ],
)
def test_negotiation_picks_the_preferred_offer(accept: str | None, chosen: str) -> None:
    assert negotiate(accept, OFFERS) == chosen


@pytest.mark.parametrize("accept", ["text/turtle", "application/json;q=0, application/ld+json;q=0", "image/*"])
def test_negotiation_fails_when_nothing_is_acceptable(accept: str) -> None:
    with pytest.raises(NotAcceptable, match="cannot produce"):
        negotiate(accept, OFFERS)


# -- Lucene -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("焊接", "焊接"),
        ("Python", "Python Python*"),
        ("*", "\\*"),
        ("label_en:robot", "label_en\\:robot"),
        ('"unbalanced', '\\"unbalanced'),
        ("a~2 b^10", "a\\~2 b\\^10"),
        ("(x OR y) AND NOT z", "\\(x or y\\) and not z"),
        ("/re.*/", "\\/re.\\*\\/"),
        ("C++ && C#", "C\\+\\+ \\&\\& C#"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_search_text_is_escaped_word_by_word(text: str, query: str) -> None:
    assert lucene_query(text) == query


def test_every_lucene_special_character_is_escaped() -> None:
    for ch in '+-&|!(){}[]^"~*?:\\/':
        assert lucene_escape(f"a{ch}b") == f"a\\{ch}b"


@pytest.mark.parametrize("text", ["   ", "\t\n", " ".join(["w"] * 17)])
def test_empty_or_huge_search_text_is_a_bad_request(text: str) -> None:
    with pytest.raises(BadRequest):
        lucene_query(text)


# -- the Cypher check ---------------------------------------------------------------------------------------

WRITES = [
    "CREATE (n:Skill {iri: 'x'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) DELETE n",
    "MERGE (n:Skill {iri: 'x'}) RETURN n",
    "MATCH (n:Skill) SET n.label_en = 'pwned'",
    "MATCH (n:Skill) REMOVE n.label_en",
    "DROP INDEX ieic_label_search",
    "DROP CONSTRAINT ieic_entity_iri",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "load csv from 'http://169.254.169.254/latest/meta-data/' as l return l",
    "UNWIND [1] AS x CALL (x) { CREATE (:T) } IN TRANSACTIONS OF 10 ROWS",
    "MATCH (n) FOREACH (x IN [1] | SET n.x = 1)",
    "CALL db.createLabel('Pwned')",
    "CALL db.index.fulltext.drop('ieic_label_search')",
    "CALL dbms.security.createUser('eve', 'pw', false)",
    "CALL dbms.components()",
    "RETURN dbms.info()",
    "CALL apoc.create.node(['X'], {}) YIELD node RETURN node",
    "CALL apoc.cypher.runWrite('CREATE (n)', {})",
    "RETURN apoc.cypher.runFirstColumnSingle('MATCH (n) RETURN n', {})",
    "CALL apoc.load.json('file:///etc/passwd')",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})",
    "SHOW USERS",
    "USE system SHOW DATABASES",
    "GRANT ROLE admin TO eve",
    "STOP DATABASE neo4j",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "ALTER USER neo4j SET PASSWORD 'x'",
    "CALL `db`.`createLabel`('X')",
    "CALL db . createLabel('X')",
    "MATCH (n) /* harmless? */ DETACH /**/ DELETE n",
    "MATCH (n) WHERE n.code = 'x' // comment\nDELETE n",
    "MATCH (n) WHERE n.code = 'it\\'s' DELETE n",
    'MATCH (n) WHERE n.code = "a\\"b" SET n.x = 1',
    "MATCH (n) RETURN n /* unterminated comment hides DELETE n",
    "MATCH (n) WHERE n.code = 'unterminated DELETE n",
    "CALL { MATCH (n) DELETE n }",
    "create (n)",
    "MATCH (n) CALL db.labels() YIELD label CREATE (m)",
]

READS = [
    "MATCH (n:Skill) RETURN n.label_zh AS label LIMIT 5",
    "MATCH (n) WHERE n.label_en = 'CREATE and DELETE' RETURN n",
    'MATCH (n) WHERE n.label_en CONTAINS "SET" RETURN n',
    "MATCH (n) // DELETE n\nRETURN count(n)",
    "MATCH (n) /* MERGE */ RETURN count(n)",
    "MATCH (n) RETURN n.`set` AS s, n.`delete`",
    "MATCH (n) WHERE n.label_en STARTS WITH 'Robot' RETURN n",
    "MATCH (n) RETURN n.created, n.updated, n.startedAt",
    "CALL db.index.fulltext.queryNodes('ieic_label_search', $q) YIELD node RETURN node",
    "CALL db.labels() YIELD label RETURN label",
    "CALL { MATCH (n:Skill) RETURN n } RETURN count(n)",
    "MATCH (c:Course) CALL (c) { MATCH (c)-[:TEACHES_SKILL]->(s) RETURN count(s) AS k } RETURN c.code, k",
    "MATCH p = (a)-[*1..2]->(b) RETURN p LIMIT 3",
    "EXPLAIN MATCH (n) RETURN n",
    "MATCH (n) RETURN n.code ORDER BY n.code SKIP 5 LIMIT 5",
    "MATCH (n) WHERE n.code IN $codes RETURN n",
    "RETURN 'LOAD CSV FROM x' AS text, \"DROP\" AS y",
]


@pytest.mark.parametrize("query", WRITES)
def test_write_and_admin_queries_are_refused_before_they_run(query: str) -> None:
    with pytest.raises(WriteRefused):
        check_read_only(query)


@pytest.mark.parametrize("query", READS)
def test_read_queries_pass_the_check(query: str) -> None:
    check_read_only(query)


def test_only_read_only_procedures_are_allowed() -> None:
    for name in ALLOWED_PROCEDURES:
        assert name.startswith("db.") and not any(w in name for w in ("create", "drop", "set", "await", "clear"))


# -- JSON of Neo4j values and the JSON-LD context -----------------------------------------------------------


def test_values_that_json_cannot_hold_are_spelt_out() -> None:
    assert json_value([math.nan, math.inf, -math.inf, 1.5]) == ["NaN", "Infinity", "-Infinity", 1.5]
    assert json_value(b"\x00\x01") == "AAE="
    assert json.dumps(json_value({"a": (1, 2)})) == '{"a": [1, 2]}'


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_the_context_names_every_class_relation_and_property(ontology: Ontology) -> None:
    ctx = build_context(ontology)
    assert set(ontology.classes) <= ctx.keys()
    assert set(ontology.object_properties) <= ctx.keys()
    assert set(ontology.datatype_properties) <= ctx.keys()
    assert ctx["teachesSkill"] == {"@id": "ieic:teachesSkill", "@type": "@id"}
    assert ctx["label"]["@container"] == "@language"
    # it is a valid JSON-LD context: a document using it parses to the ontology's IRIs
    doc = {"@context": ctx, "@id": "https://example.org/c", "@type": "Course", "credits": "2.5", "label": {"zh": "课"}}
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert {str(p) for _, p, _ in g} == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://w3id.org/ieic-kg/ontology#credits",
        "http://www.w3.org/2000/01/rdf-schema#label",
    }


def test_settings_fields_are_the_api_fields_of_the_settings_class() -> None:
    # every ApiSettings field is named api_* so that it maps to IEIC_API_* in ieic_kg.config.Settings
    assert all(name.startswith("api_") for name in ApiSettings.model_fields)


def test_bad_api_settings_from_the_settings_object_are_a_config_error() -> None:
    from types import SimpleNamespace

    declares_keys = SimpleNamespace(api_keys={"not-a-digest": "reader"})  # a Settings with the api_* fields
    with pytest.raises(ConfigError, match="IEIC_API_KEYS"):
        ApiSettings.from_settings(declares_keys)
