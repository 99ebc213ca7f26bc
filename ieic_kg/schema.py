"""Neo4j schema derived from the ontology: uniqueness of ``iri`` per class, lookup indexes, label search.

Run by ``ieic-kg init`` and before every load. Idempotent: statements use IF NOT EXISTS, and the result
says which schema objects were new.
"""

from __future__ import annotations

from dataclasses import dataclass

from ieic_kg.graph import GraphStore
from ieic_kg.ontology import Ontology

#: A technical label on every domain node (not an ontology class): one uniqueness constraint on ``iri``
#: across all classes, so a reference by IRI needs no class.
ENTITY = "Entity"
LABEL_SEARCH_INDEX = "ieic_label_search"


@dataclass(frozen=True)
class SchemaStatement:
    name: str
    kind: str  # "constraint" | "index"
    cypher: str


def schema_statements(ontology: Ontology) -> list[SchemaStatement]:
    """Every constraint and index the graph needs, in creation order."""
    out = [
        SchemaStatement(
            f"ieic_{ENTITY.lower()}_iri",
            "constraint",
            f"CREATE CONSTRAINT ieic_{ENTITY.lower()}_iri IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.iri IS UNIQUE",
        ),
        SchemaStatement(
            f"ieic_{ENTITY.lower()}_code",
            "index",
            f"CREATE INDEX ieic_{ENTITY.lower()}_code IF NOT EXISTS FOR (n:{ENTITY}) ON (n.code)",
        ),
    ]
    for cls in sorted(ontology.classes.values(), key=lambda c: c.name):
        name = cls.name
        out.append(
            SchemaStatement(
                f"ieic_{name.lower()}_iri",
                "constraint",
                f"CREATE CONSTRAINT ieic_{name.lower()}_iri IF NOT EXISTS FOR (n:`{name}`) REQUIRE n.iri IS UNIQUE",
            )
        )
        if "code" in ontology.datatype_properties and name != "LoadRun":
            out.append(
                SchemaStatement(
                    f"ieic_{name.lower()}_code",
                    "index",
                    f"CREATE INDEX ieic_{name.lower()}_code IF NOT EXISTS FOR (n:`{name}`) ON (n.code)",
                )
            )
    # Full-text search over labels in both languages; the CJK analyzer indexes Chinese by bigrams.
    out.append(
        SchemaStatement(
            LABEL_SEARCH_INDEX,
            "index",
            f"CREATE FULLTEXT INDEX {LABEL_SEARCH_INDEX} IF NOT EXISTS FOR (n:{ENTITY}) "
            "ON EACH [n.label_zh, n.label_en, n.altLabel_zh, n.altLabel_en] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
        )
    )
    return out


def existing_schema(store: GraphStore) -> set[str]:
    """Names of the constraints and indexes the database has."""
    names = {r["name"] for r in store.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    names |= {r["name"] for r in store.read("SHOW INDEXES YIELD name RETURN name")}
    return names


def ensure_schema(store: GraphStore, ontology: Ontology) -> list[SchemaStatement]:
    """Create what is missing; return the statements that created something."""
    before = existing_schema(store)
    created = []
    with store.session() as session:
        for stmt in schema_statements(ontology):
            if stmt.name in before:
                continue
            session.run(stmt.cypher).consume()
            created.append(stmt)
        if created:
            session.run("CALL db.awaitIndexes(300)").consume()
    return created
