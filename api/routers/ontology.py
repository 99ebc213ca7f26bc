"""The API's vocabulary, derived from the ontology: entity types, relationship types, the JSON-LD context."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from ieic_kg.api.deps import OntologyDep, RateLimit, ReadAccess, StateDep
from ieic_kg.api.errors import problem_responses
from ieic_kg.api.graphview import entity_types
from ieic_kg.api.jsonld import JSONLD_MEDIA_TYPE
from ieic_kg.api.models import Labels, RelationInfo, TypeInfo

router = APIRouter(prefix="/v1", tags=["ontology"], dependencies=[ReadAccess, RateLimit])


@router.get("/types", response_model=list[TypeInfo], summary="Entity types", responses=problem_responses(401, 429))
async def types(ontology: OntologyDep) -> list[TypeInfo]:
    """Every entity type (ontology class) with its labels in Chinese and English and its superclasses."""
    out = []
    for name in entity_types(ontology):
        c = ontology.classes[name]
        out.append(
            TypeInfo(
                name=c.name,
                iri=c.iri,
                label=Labels(zh=c.labels.get("zh"), en=c.labels.get("en")),
                definition=c.definition,
                parents=list(c.parents),
                ancestors=list(c.ancestors),
            )
        )
    return out


@router.get(
    "/relations",
    response_model=list[RelationInfo],
    summary="Relationship types",
    responses=problem_responses(401, 429),
)
async def relations(ontology: OntologyDep) -> list[RelationInfo]:
    """Every relationship type (ontology object property) with its labels, domain and range."""
    return [
        RelationInfo(
            type=rel_type,
            property=p.name,
            iri=p.iri,
            label=Labels(zh=p.labels.get("zh"), en=p.labels.get("en")),
            definition=p.definition,
            domain=sorted(p.domain),
            range=sorted(p.range),
        )
        for rel_type, p in sorted(ontology.rel_types.items())
    ]


@router.get(
    "/context.jsonld",
    summary="The JSON-LD context",
    response_class=JSONResponse,
    responses={
        200: {
            "description": "The context (terms for every class, relation and property of the ontology).",
            "content": {JSONLD_MEDIA_TYPE: {"example": {"@context": {"ieic": "https://w3id.org/ieic-kg/ontology#"}}}},
        },
        **problem_responses(401, 429),
    },
)
async def context(state: StateDep) -> JSONResponse:
    """The JSON-LD context derived from the ontology; the JSON-LD documents of the API embed the part they use."""
    body: dict[str, Any] = {"@context": state.context}
    return JSONResponse(body, media_type=JSONLD_MEDIA_TYPE)
