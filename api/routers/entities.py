"""Entities: label search, lookup by IRI or by type and code, neighbours; JSON or JSON-LD by Accept.

Every value from the request reaches Neo4j as a bound parameter; type and relationship-type filters are
first checked against the ontology, and search text is escaped for Lucene (``ieic_kg.api.search``).

The routes are ``async def`` and run their blocking part (the reads, and building the answer) in the thread
pool in one hop: for a plain ``def`` route FastAPI also validates the returned model in the thread pool, and
those two hops cost more CPU than the answer itself (docs/api.md, Benchmark).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from ieic_kg.api import graphview
from ieic_kg.api.convert import json_value
from ieic_kg.api.deps import OntologyDep, RateLimit, ReadAccess, StateDep, StoreDep
from ieic_kg.api.errors import Ambiguous, problem_responses
from ieic_kg.api.jsonld import JSONLD_MEDIA_TYPE
from ieic_kg.api.models import Entity, Neighbour, NeighbourPage, RelationshipOut, SearchHit, SearchPage
from ieic_kg.api.negotiation import negotiate
from ieic_kg.api.search import lucene_query
from ieic_kg.api.state import ApiState
from starlette.concurrency import run_in_threadpool

from ieic_kg.errors import NotFound, StoreUnavailable
from ieic_kg.graph import GraphStore, QueryFailed
from ieic_kg.ontology import Ontology
from ieic_kg.schema import LABEL_SEARCH_INDEX

router = APIRouter(prefix="/v1/entities", tags=["entities"], dependencies=[ReadAccess, RateLimit])

OFFERS = ("application/json", JSONLD_MEDIA_TYPE)
MAX_IRI = 2048

IriParam = Annotated[str, Query(min_length=1, max_length=MAX_IRI, description="The entity's IRI.")]
LimitParam = Annotated[int, Query(ge=1, le=100, description="Items per page.")]
OffsetParam = Annotated[int, Query(ge=0, le=10_000, description="Items to skip.")]

JSONLD_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON, or JSON-LD with `Accept: application/ld+json` (the RDF view of the graph).",
        "content": {
            JSONLD_MEDIA_TYPE: {
                "example": {
                    "@context": {"ieic": "https://w3id.org/ieic-kg/ontology#", "Course": "ieic:Course"},
                    "@id": "https://w3id.org/ieic-kg/id/course/GDIMP:GR1001",
                    "@type": "Course",
                    "label": {"zh": "劳动教育与职业素养", "en": "Labour Education and Professional Literacy"},
                }
            }
        },
    }
}

_SEARCH = f"""
CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score
WHERE $type IS NULL OR $type IN labels(node)
WITH node AS n, score ORDER BY score DESC, n.iri SKIP $offset LIMIT $limit
RETURN {graphview.SUMMARY_COLUMNS}, score
"""
_SEARCH_COUNT = """
CALL db.index.fulltext.queryNodes($index, $query) YIELD node
WHERE $type IS NULL OR $type IN labels(node)
RETURN count(node) AS total
"""
_BY_IRI = f"MATCH (n:Entity {{iri: $iri}}) RETURN {graphview.ENTITY_COLUMNS}"
_BY_CODE = f"MATCH (n:Entity {{code: $code}}) WHERE $type IN labels(n) RETURN {graphview.ENTITY_COLUMNS} LIMIT 10"
_NEIGHBOUR_MATCH = """
MATCH (n:Entity {iri: $iri})-[r]-(m:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($direction = 'both' OR ($direction = 'out') = (startNode(r) = n))
  AND ($nodeType IS NULL OR $nodeType IN labels(m))
"""
_NEIGHBOURS = (
    _NEIGHBOUR_MATCH
    + """
WITH n, r, m, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction
ORDER BY type(r), direction, m.iri, elementId(r) SKIP $offset LIMIT $limit
RETURN type(r) AS relType, direction, properties(r) AS relProps, m.iri AS iri, labels(m) AS labels,
       m.code AS code, m.label_zh AS label_zh, m.label_en AS label_en
"""
)
_NEIGHBOUR_COUNT = _NEIGHBOUR_MATCH + "RETURN count(r) AS total"


def _next(offset: int, limit: int, total: int) -> int | None:
    return offset + limit if offset + limit < total else None


@router.get(
    "/search",
    response_model=SearchPage,
    summary="Search entities by label (Chinese or English)",
    responses=problem_responses(400, 401, 429, 503),
)
async def search(
    store: StoreDep,
    ontology: OntologyDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words of a label, in Chinese or English.")],
    type: Annotated[
        str | None, Query(max_length=80, description="Only entities of this type (or a subtype): see /v1/types.")
    ] = None,
    limit: LimitParam = 20,
    offset: OffsetParam = 0,
) -> SearchPage:
    """Full-text search over labels and alternative labels, best matches first.

    The text is matched word by word (Chinese by character pairs); Lucene syntax in it has no effect.
    """
    if type is not None:
        graphview.check_type(ontology, type)
    return await run_in_threadpool(_search, store, ontology, q, type, limit, offset)


def _search(store: GraphStore, ontology: Ontology, q: str, type: str | None, limit: int, offset: int) -> SearchPage:
    params = {"index": LABEL_SEARCH_INDEX, "query": lucene_query(q), "type": type}
    try:
        total = store.read(_SEARCH_COUNT, params)[0]["total"]
        rows = store.read(_SEARCH, {**params, "offset": offset, "limit": limit}) if total > offset else []
    except QueryFailed as exc:
        if LABEL_SEARCH_INDEX in exc.message or "fulltext" in exc.message.lower():
            raise StoreUnavailable(
                f"the label search index {LABEL_SEARCH_INDEX} is not usable: {exc.message}",
                hint="create it with `ieic-kg init`",
            ) from None
        raise
    items = [SearchHit(**graphview.summary(ontology, r).model_dump(), score=r["score"]) for r in rows]
    return SearchPage(
        query=q, type=type, items=items, total=total, limit=limit, offset=offset, nextOffset=_next(offset, limit, total)
    )


def _one_entity(store: GraphStore, iri: str) -> dict[str, Any]:
    rows = store.read(_BY_IRI, {"iri": iri})
    if not rows:
        raise NotFound(f"no entity with IRI {iri[:300]!r}", hint="find entities with /v1/entities/search?q=…")
    return rows[0]


def _entity_response(state: ApiState, row: dict[str, Any], media: str, response: Response) -> Any:
    response.headers["Vary"] = "Accept"
    if media == JSONLD_MEDIA_TYPE:
        doc = state.jsonld.document(state.jsonld.node_triples(row["iri"], row["labels"], row["props"]))
        return JSONResponse(doc, media_type=JSONLD_MEDIA_TYPE, headers={"Vary": "Accept"})
    return graphview.entity(state.ontology, row)


@router.get(
    "",
    response_model=Entity,
    summary="An entity by IRI",
    responses={**JSONLD_RESPONSE, **problem_responses(400, 401, 404, 406, 429, 503)},
)
async def by_iri(request: Request, response: Response, state: StateDep, store: StoreDep, iri: IriParam) -> Any:
    """The entity with this IRI: labels, properties and provenance. IRIs go in the query string, URL-encoded."""
    media = negotiate(request.headers.get("accept"), OFFERS)
    return await run_in_threadpool(lambda: _entity_response(state, _one_entity(store, iri), media, response))


@router.get(
    "/neighbours",
    response_model=NeighbourPage,
    summary="An entity's neighbours",
    responses={**JSONLD_RESPONSE, **problem_responses(400, 401, 404, 406, 429, 503)},
)
async def neighbours(
    request: Request,
    response: Response,
    state: StateDep,
    store: StoreDep,
    iri: IriParam,
    rel: Annotated[
        list[str] | None,
        Query(max_length=20, description="Only these relationship types (repeat the parameter): see /v1/relations."),
    ] = None,
    direction: Annotated[
        Literal["out", "in", "both"], Query(description="out: the entity is the start; in: the end.")
    ] = "both",
    type: Annotated[
        str | None, Query(max_length=80, description="Only neighbours of this type (or a subtype).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page.")] = 50,
    offset: OffsetParam = 0,
) -> Any:
    """The entities linked to this one, with each relationship's type, direction, qualifiers and provenance."""
    media = negotiate(request.headers.get("accept"), OFFERS)
    ontology = state.ontology
    types = graphview.check_relationship_types(ontology, rel) if rel else None
    if type is not None:
        graphview.check_type(ontology, type)
    return await run_in_threadpool(
        _neighbours, state, store, response, media, iri, types, direction, type, limit, offset
    )


def _neighbours(
    state: ApiState,
    store: GraphStore,
    response: Response,
    media: str,
    iri: str,
    types: list[str] | None,
    direction: str,
    type: str | None,
    limit: int,
    offset: int,
) -> Any:
    ontology = state.ontology
    center = _one_entity(store, iri)
    params = {"iri": iri, "types": types, "direction": direction, "nodeType": type}
    total = store.read(_NEIGHBOUR_COUNT, params)[0]["total"]
    rows = store.read(_NEIGHBOURS, {**params, "offset": offset, "limit": limit}) if total > offset else []
    response.headers["Vary"] = "Accept"
    if media == JSONLD_MEDIA_TYPE:
        writer = state.jsonld
        triples = writer.node_triples(center["iri"], center["labels"], _summary_props(center["props"]))
        for r in rows:
            triples += writer.node_triples(r["iri"], r["labels"], _summary_props(r))
            start, end = (center["iri"], r["iri"]) if r["direction"] == "out" else (r["iri"], center["iri"])
            triples += writer.relationship_triples(start, r["relType"], end, r["relProps"])
        return JSONResponse(writer.document(triples), media_type=JSONLD_MEDIA_TYPE, headers={"Vary": "Accept"})
    items = [
        Neighbour(
            relationship=RelationshipOut(
                type=r["relType"],
                direction=r["direction"],
                label=graphview.relation_labels(ontology, r["relType"]),
                properties={k: json_value(v) for k, v in sorted(r["relProps"].items())},
            ),
            node=graphview.summary(ontology, r),
        )
        for r in rows
    ]
    return NeighbourPage(
        entity=graphview.summary(ontology, center),
        items=items,
        total=total,
        limit=limit,
        offset=offset,
        nextOffset=_next(offset, limit, total),
    )


def _summary_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: props.get(k) for k in ("code", "label_zh", "label_en") if props.get(k) is not None}


@router.get(
    "/{type}/{code:path}",
    response_model=Entity,
    summary="An entity by type and code",
    responses={**JSONLD_RESPONSE, **problem_responses(400, 401, 404, 406, 409, 429, 503)},
)
async def by_code(
    request: Request,
    response: Response,
    state: StateDep,
    store: StoreDep,
    type: Annotated[str, Path(max_length=80, description="An entity type: see /v1/types.")],
    code: Annotated[str, Path(min_length=1, max_length=200, description="The entity's code in its source.")],
) -> Any:
    """The entity of this type (or a subtype) with this code; 409 when several have it (use the IRI)."""
    media = negotiate(request.headers.get("accept"), OFFERS)
    graphview.check_type(state.ontology, type)
    return await run_in_threadpool(_by_code, state, store, response, media, type, code)


def _by_code(state: ApiState, store: GraphStore, response: Response, media: str, type: str, code: str) -> Any:
    rows = store.read(_BY_CODE, {"type": type, "code": code})
    if not rows:
        raise NotFound(f"no {type} with code {code!r}", hint=f"search with /v1/entities/search?type={type}&q=…")
    if len(rows) > 1:
        iris = ", ".join(r["iri"] for r in rows[:5])
        raise Ambiguous(f"{len(rows)} {type} entities have the code {code!r}", hint=f"ask by IRI: {iris}")
    return _entity_response(state, rows[0], media, response)
