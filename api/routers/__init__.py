"""One router per area. ``ROUTERS`` is what :func:`ieic_kg.api.app.create_app` mounts, in order.

The SPARQL 1.1 Protocol endpoint (``/sparql``) will be one more module here once the RDF store lands,
with its own store holder reported by /ready.
"""

from __future__ import annotations

from fastapi import APIRouter
from ieic_kg.api.routers import alignment, cypher, entities, loads, ontology, provenance, queries, students, system

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
)
