"""One router per area. ``ROUTERS`` is what :func:`ieic_kg.api.app.create_app` mounts, in order.

``sparql`` is the SPARQL 1.1 Protocol endpoint (``/sparql``, outside ``/v1`` as SPARQL clients expect);
its store holder (``stores.RdfHolder``) is reported by /ready with Neo4j's.
"""

from __future__ import annotations

from fastapi import APIRouter
from ieic_kg.api.routers import (
    alignment,
    cypher,
    entities,
    loads,
    ontology,
    provenance,
    queries,
    sparql,
    students,
    system,
)

ROUTERS: tuple[APIRouter, ...] = (
    system.router,
    ontology.router,
    entities.router,
    alignment.router,
    students.router,
    queries.router,
    provenance.router,
    loads.router,
    cypher.router,
    sparql.router,
)
