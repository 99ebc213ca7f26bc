"""The app factory: ``create_app(settings)`` builds the FastAPI app; its lifespan opens and closes the stores.

Nothing connects at import time or in ``create_app``: the lifespan connects to Neo4j when the server
starts and closes the driver when it stops. If Neo4j is down the app still starts; Neo4j routes answer
503 (problem+json, with the reason) until it is back, /health says up and /ready says which store is down.

Run it with ``ieic-kg serve``, or ``python -m uvicorn ieic_kg.api.app:app_from_environment --factory``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from ieic_kg.api.cache import AnswerCache, CacheMiddleware, graph_generation, rdf_generation
from ieic_kg.api.errors import BodyLimitMiddleware, install_error_handlers, problem_responses
from ieic_kg.api.explorer import mount_explorer
from ieic_kg.api.jsonld import JsonLdWriter
from ieic_kg.api.loadjobs import LOAD_SHUTDOWN_WAIT
from ieic_kg.api.routers import ROUTERS
from ieic_kg.api.security import KeyRing, TokenBucketLimiter
from ieic_kg.api.settings import ApiSettings
from ieic_kg.api.state import ApiState
from ieic_kg.api.stores import Neo4jHolder, RdfHolder
from starlette.concurrency import run_in_threadpool

from ieic_kg import __version__
from ieic_kg.config import Settings, load_settings
from ieic_kg.ontology import Ontology
from ieic_kg.queries import QueryLibrary

log = logging.getLogger("ieic_kg.api")

DESCRIPTION = """
The knowledge graph of industry–education integration communities (产教融合共同体知识图谱).

* **Entities**: search by label in Chinese or English, look up by IRI or by type and code, neighbours;
  JSON, or JSON-LD with `Accept: application/ld+json`.
* **Alignment**: how well a program's courses cover an industry's or an occupation's skill demand, with
  paths, gaps and partners; standard coverage, demand trends, the course × skill matrix.
* **Students**: learning paths toward an occupation, job and internship matching.
* **Named queries** with typed parameters, **provenance** and **load runs**, and **read-only Cypher**.
* **Loads** by data stewards: upload a mapping with its files, or load a registered source; follow it.
* **SPARQL 1.1 Protocol** at `/sparql` over the RDF view (one named graph per dataset), read-only; it keeps
  answering when Neo4j is down.

Errors are `application/problem+json`. API keys go in `Authorization: Bearer <key>` or `X-API-Key`;
reads of public data may be open (IEIC_API_OPEN_READS); Cypher and stored student profiles always need a
key, loads a steward key. See docs/api.md.

The web explorer for curriculum designers, built on this API, is at [/explorer/](/explorer/) (docs/explorer.md).
"""

#: Largest request body accepted (a Cypher query with its parameters); larger ones get 413.
MAX_BODY_SIZE = 1_000_000

TAGS = [
    {"name": "system", "description": "Liveness, readiness and the caller."},
    {"name": "ontology", "description": "Types, relations and the JSON-LD context, from the ontology."},
    {"name": "entities", "description": "Search, lookup and neighbours of entities."},
    {"name": "alignment", "description": "Program → industry or occupation alignment, standards, trends, partners."},
    {"name": "students", "description": "Learning paths and job/internship matching for students."},
    {"name": "named queries", "description": "The queries of queries/*.cypher, run by name."},
    {"name": "provenance", "description": "Sources and load runs."},
    {"name": "loads", "description": "Stewards start loads (uploads, registered sources) and get their rejects."},
    {"name": "cypher", "description": "Read-only Cypher (needs an API key)."},
    {"name": "sparql", "description": "The SPARQL 1.1 Protocol endpoint over the RDF view (read-only)."},
]


def create_app(
    settings: Settings,
    *,
    api_settings: ApiSettings | None = None,
    ontology: Ontology | None = None,
    queries: QueryLibrary | None = None,
) -> FastAPI:
    """The API for ``settings``; ``api_settings`` defaults to ``ApiSettings.from_settings(settings)``.

    ``ontology`` and ``queries`` default to the shipped ones (parsed here: files, no connection).
    Raises ConfigError for an unreadable keys file.
    """
    api = api_settings or ApiSettings.from_settings(settings)
    ontology = ontology or Ontology.load()
    keys = KeyRing(api.key_table())
    state = ApiState(
        settings=settings,
        api=api,
        ontology=ontology,
        queries=queries or QueryLibrary(),
        neo4j=Neo4jHolder(settings),
        rdf=RdfHolder(settings, workers=api.api_sparql_workers),
        keys=keys,
        limiter=TokenBucketLimiter(api.api_rate_limit, api.api_rate_burst) if api.api_rate_limit > 0 else None,
        jsonld=JsonLdWriter(ontology, settings.id_base),
    )
    state.cache = AnswerCache(
        api.api_cache_bytes, api.api_cache_check_interval, graph_generation(state), rdf_generation(state)
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(state.neo4j.open)
        await run_in_threadpool(state.rdf.open)
        status = await run_in_threadpool(state.neo4j.status)
        if status.state == "up":
            log.info("ieic-kg API %s: %s", __version__, status.detail)
        else:
            log.warning("ieic-kg API %s started without Neo4j: %s", __version__, status.detail)
        log.info(
            "API keys: %d configured; open reads %s; rate limit %s",
            len(keys),
            "on" if api.api_open_reads else "off",
            f"{api.api_rate_limit:g}/s per key per process" if api.api_rate_limit else "off",
        )
        rdf = await run_in_threadpool(state.rdf.status)
        (log.info if rdf.state == "up" else log.warning)("SPARQL: %s", rdf.detail)
        try:
            yield
        finally:
            jobs = getattr(app.state, "ieic_loads", None)  # a running load ends before the driver closes
            if jobs is not None:
                await run_in_threadpool(jobs.wait, LOAD_SHUTDOWN_WAIT)
            await run_in_threadpool(state.neo4j.close)
            await run_in_threadpool(state.rdf.close)

    app = FastAPI(
        title="ieic-kg API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.ieic = state
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    mount_explorer(app)
    app.add_middleware(CacheMiddleware, state=state)
    app.add_middleware(
        BodyLimitMiddleware, max_body_size=MAX_BODY_SIZE, path_limits={"/v1/loads": api.api_upload_max_bytes}
    )
    if api.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=api.api_cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type", "Accept"],
            expose_headers=["Retry-After", "Vary", "X-RDF-Snapshot", "X-Cache"],
        )
    _document_400_not_422(app)
    return app


def _document_400_not_422(app: FastAPI) -> None:
    """OpenAPI as the API behaves: invalid requests are 400 problem+json (errors.py), never FastAPI's 422."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        bad_request = problem_responses(400)[400]
        for operations in schema.get("paths", {}).values():
            for op in operations.values():
                responses = op.get("responses", {})
                if responses.pop("422", None) is not None and "400" not in responses:
                    responses["400"] = {
                        "description": bad_request["description"],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}},
                            **bad_request["content"],
                        },
                    }
        schemas = schema.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def app_from_environment() -> FastAPI:
    """The app for the settings in the environment (IEIC_*): the factory for ``uvicorn --factory``."""
    return create_app(load_settings())
