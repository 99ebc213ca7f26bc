"""What one app instance owns: its settings, the ontology and queries it serves, its stores and limiter.

Built by :func:`ieic_kg.api.app.create_app` (no connection is opened there) and kept on ``app.state``; the
lifespan opens and closes the stores. Routes reach it only through the dependencies in ``deps``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ieic_kg.api.jsonld import JsonLdWriter
from ieic_kg.api.security import KeyRing, TokenBucketLimiter
from ieic_kg.api.settings import ApiSettings
from ieic_kg.api.stores import Neo4jHolder, RdfHolder

from ieic_kg.config import Settings
from ieic_kg.ontology import Ontology
from ieic_kg.queries import QueryLibrary

if TYPE_CHECKING:
    from ieic_kg.api.cache import AnswerCache


@dataclass
class ApiState:
    settings: Settings
    api: ApiSettings
    ontology: Ontology
    queries: QueryLibrary
    neo4j: Neo4jHolder
    rdf: RdfHolder
    keys: KeyRing
    limiter: TokenBucketLimiter | None
    jsonld: JsonLdWriter
    cache: AnswerCache | None = None  # answers of the read-only GET routes (ieic_kg.api.cache)

    @property
    def context(self) -> dict[str, Any]:
        """The JSON-LD context derived from the ontology."""
        return self.jsonld.context
