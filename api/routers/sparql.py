"""The SPARQL 1.1 Protocol endpoint ``/sparql``: queries over the RDF view, read-only.

Query operation as the protocol defines it: ``GET /sparql?query=…``, ``POST`` with a form-encoded body
(``query=…``) and ``POST`` with an ``application/sparql-query`` body (the dataset parameters then in the URL).
``default-graph-uri`` and ``named-graph-uri`` (each repeatable) replace the query's own dataset (FROM, FROM
NAMED). Results by ``Accept`` (q-values honoured): SELECT and ASK as SPARQL results JSON (the default), XML,
CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (the default), N-Triples, JSON-LD or RDF/XML. SPARQL Update is
refused (400). Queries run in worker processes (``ieic_kg.sparqlpool``) on the last published snapshot of
the RDF store; the time limit kills the worker, the result-size cap is an error: an answer is complete.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from ieic_kg.api.deps import RateLimit, ReadAccess, StateDep
from ieic_kg.api.errors import ApiError, BadRequest, NotAcceptable, problem_responses
from ieic_kg.api.negotiation import negotiate
from ieic_kg.api.state import ApiState
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ieic_kg.rdfstore import is_update
from ieic_kg.sparqlpool import GRAPH_FORMATS, RESULTS_FORMATS, SparqlAnswer, SparqlJob

router = APIRouter(tags=["sparql"], dependencies=[ReadAccess, RateLimit])

#: What a SELECT or ASK answer may be, the first being the default (application/json and application/xml are
#: accepted as the SPARQL results JSON and XML).
RESULT_OFFERS = list(RESULTS_FORMATS)
#: What a CONSTRUCT or DESCRIBE answer may be, the first being the default.
GRAPH_OFFERS = list(GRAPH_FORMATS)
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
SNAPSHOT_HEADER = "X-RDF-Snapshot"

UPDATE_REFUSED = "SPARQL Update is not available on the public endpoint: /sparql answers queries only"
UPDATE_HINT = "the RDF store follows the graph in Neo4j; stewards change it with `ieic-kg load` (docs/rdf.md)"


class UpdateRefused(ApiError):
    """A SPARQL Update request (INSERT, DELETE, LOAD…), or an ``update`` parameter, sent to /sparql."""

    status = 400
    title = "Update not allowed"


class UnsupportedMediaType(ApiError):
    """A POST body that is neither a form nor a SPARQL query."""

    status = 415
    title = "Unsupported media type"


# -- OpenAPI: the shapes of the answers ------------------------------------------------------------------------


class SparqlBindingValue(BaseModel):
    """One RDF term of a solution (SPARQL 1.1 Query Results JSON Format)."""

    model_config = ConfigDict(populate_by_name=True)

    type: str = Field(description="uri, literal, bnode or triple.")
    value: str
    datatype: str | None = None
    lang: str | None = Field(None, alias="xml:lang")


class SparqlHead(BaseModel):
    vars: list[str] = Field(default_factory=list, description="The projected variables (SELECT).")
    link: list[str] | None = None


class SparqlBindings(BaseModel):
    bindings: list[dict[str, SparqlBindingValue]]


class SparqlResults(BaseModel):
    """Answer to SELECT (``results``) or ASK (``boolean``) as application/sparql-results+json."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "head": {"vars": ["course", "label"]},
                    "results": {
                        "bindings": [
                            {
                                "course": {"type": "uri", "value": "https://w3id.org/ieic-kg/id/course/GDIMP:GR1001"},
                                "label": {"type": "literal", "value": "工业机器人技术基础", "xml:lang": "zh"},
                            }
                        ]
                    },
                },
                {"head": {}, "boolean": True},
            ]
        }
    )

    head: SparqlHead
    results: SparqlBindings | None = None
    boolean: bool | None = None


_SELECT_EXAMPLE = "SELECT ?course ?label WHERE { ?course a ieic:Course ; rdfs:label ?label } LIMIT 10"
_TEXT = {"schema": {"type": "string"}}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": SparqlResults,
        "headers": {
            SNAPSHOT_HEADER: {
                "description": "The snapshot (generation) of the RDF store the answer was computed on.",
                "schema": {"type": "string", "example": "00000007"},
            },
            "Vary": {"description": "Accept: the format depends on it.", "schema": {"type": "string"}},
        },
        "description": "The complete answer, in the negotiated format (`Vary: Accept`); the `X-RDF-Snapshot` "
        "header names the snapshot of the RDF store it was computed on.",
        "content": {
            "application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
            "application/sparql-results+xml": {
                **_TEXT,
                "example": '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                "</head><boolean>true</boolean></sparql>",
            },
            "text/csv": {
                **_TEXT,
                "example": "course,label\r\nhttps://w3id.org/ieic-kg/id/course/GDIMP:GR1001,工业机器人技术基础\r\n",
            },
            "text/tab-separated-values": {
                **_TEXT,
                "example": '?course\t?label\n<https://w3id.org/ieic-kg/id/course/GDIMP:GR1001>\t"工业机器人技术基础"@zh\n',
            },
            "text/turtle": {
                **_TEXT,
                "example": "@prefix ieic: <https://w3id.org/ieic-kg/ontology#> .\n"
                "<https://w3id.org/ieic-kg/id/course/GDIMP:GR1001> a ieic:Course .\n",
            },
            "application/n-triples": {
                **_TEXT,
                "example": "<https://w3id.org/ieic-kg/id/course/GDIMP:GR1001> "
                "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/ieic-kg/ontology#Course> .\n",
            },
            "application/ld+json": {
                "schema": {"type": "array", "items": {"type": "object"}},
                "example": [
                    {
                        "@id": "https://w3id.org/ieic-kg/id/course/GDIMP:GR1001",
                        "@type": ["https://w3id.org/ieic-kg/ontology#Course"],
                    }
                ],
            },
            "application/rdf+xml": _TEXT,
        },
    },
    **problem_responses(400, 401, 406, 415, 429, 503, 504),
}


# -- the routes ------------------------------------------------------------------------------------------------------

GraphUris = Annotated[
    list[str],
    Query(
        alias="default-graph-uri",
        description="IRI of a graph making up the default graph (repeatable); replaces the query's FROM. The "
        "default graph is otherwise the union of all graphs, each triple once.",
    ),
]
NamedGraphUris = Annotated[
    list[str],
    Query(
        alias="named-graph-uri",
        description="IRI of a graph the query may reach with GRAPH (repeatable); replaces its FROM NAMED.",
    ),
]
Timeout = Annotated[
    float | None,
    Query(gt=0, description="Seconds the query may run, at most IEIC_API_SPARQL_TIMEOUT (its default)."),
]


@router.get(
    "/sparql",
    summary="SPARQL query (GET)",
    response_class=Response,
    responses=RESPONSES,
)
async def sparql_get(
    request: Request,
    state: StateDep,
    query: Annotated[
        str | None,
        Query(description="The SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE).", examples=[_SELECT_EXAMPLE]),
    ] = None,
    default_graph_uri: GraphUris = [],  # noqa: B006 - FastAPI copies defaults
    named_graph_uri: NamedGraphUris = [],  # noqa: B006
    timeout: Timeout = None,
) -> Response:
    """The query operation of the SPARQL 1.1 Protocol by GET. Prefixes `ieic:`, `rdf:`, `rdfs:`, `owl:`,
    `xsd:`, `skos:`, `prov:` and `schema:` are predeclared. The answer is complete or an error: past the time
    limit 504, past the result-size cap 400 *Result too large*."""
    params = request.query_params
    if "update" in params:
        raise UpdateRefused(UPDATE_REFUSED, hint=UPDATE_HINT)
    return await _answer(
        request, state, _one(params.getlist("query"), "query"), default_graph_uri, named_graph_uri, timeout
    )


@router.post(
    "/sparql",
    summary="SPARQL query (POST)",
    response_class=Response,
    responses=RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "required": ["query"],
                        "properties": {
                            "query": {"type": "string", "example": _SELECT_EXAMPLE},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "timeout": {"type": "number", "exclusiveMinimum": 0},
                        },
                    }
                },
                SPARQL_QUERY: {"schema": {"type": "string"}, "example": _SELECT_EXAMPLE},
            },
        }
    },
)
async def sparql_post(
    request: Request,
    state: StateDep,
    default_graph_uri: GraphUris = [],  # noqa: B006
    named_graph_uri: NamedGraphUris = [],  # noqa: B006
    timeout: Timeout = None,
) -> Response:
    """The query operation of the SPARQL 1.1 Protocol by POST: a form-encoded body with `query` (and the
    dataset parameters and `timeout` in the body), or the query itself as an `application/sparql-query`
    body (the dataset parameters and `timeout` in the URL). SPARQL Update (`update=`, an
    `application/sparql-update` body) is refused with 400."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the request body is not UTF-8 (byte {exc.start})", hint="send the query in UTF-8") from None
    if media == SPARQL_UPDATE:
        raise UpdateRefused(UPDATE_REFUSED, hint=UPDATE_HINT)
    if media == SPARQL_QUERY:
        if "query" in request.query_params:
            raise BadRequest("a query in both the URL and an application/sparql-query body", hint="send the query once")
        return await _answer(request, state, text, default_graph_uri, named_graph_uri, timeout)
    if media != FORM:
        raise UnsupportedMediaType(
            f"a POST to /sparql has a body of type {media or '(none)'}",
            hint=f"send {FORM} with query=…, or the query as {SPARQL_QUERY}",
        )
    if request.query_params.keys() & {"query", "default-graph-uri", "named-graph-uri"}:
        raise BadRequest(
            "with a form-encoded POST, the protocol's parameters go in the body, not in the URL",
            hint="move query, default-graph-uri and named-graph-uri into the form",
        )
    form = parse_qs(text, keep_blank_values=True)
    if "update" in form:
        raise UpdateRefused(UPDATE_REFUSED, hint=UPDATE_HINT)
    given_timeout = timeout
    if "timeout" in form:
        given_timeout = _positive(_one(form["timeout"], "timeout"), "timeout")
    return await _answer(
        request,
        state,
        _one(form.get("query", []), "query"),
        form.get("default-graph-uri", []),
        form.get("named-graph-uri", []),
        given_timeout,
    )


def _one(values: list[str], name: str) -> str:
    if not values:
        raise BadRequest(
            f"the `{name}` parameter is missing",
            hint="send a SPARQL query as ?query=… (GET), a form with query=… or an application/sparql-query body",
        )
    if len(values) > 1:
        raise BadRequest(f"the `{name}` parameter is given {len(values)} times", hint="give it once")
    return values[0]


def _positive(value: str, name: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number > 0 or number == float("inf"):
        raise BadRequest(f"`{name}` must be a number of seconds above 0, not {value[:40]!r}")
    return number


def _iris(values: list[str], name: str) -> tuple[str, ...]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise BadRequest(
                f"`{name}` is not an absolute IRI: {value[:200]!r} ({exc})", hint="give the graph's full IRI"
            ) from None
    return tuple(values)


def _negotiated(accept: str | None) -> tuple[str | None, str | None]:
    """The media type for a SELECT/ASK answer and for a CONSTRUCT/DESCRIBE answer (None: nothing fits)."""
    chosen: list[str | None] = []
    for offers in (RESULT_OFFERS, GRAPH_OFFERS):
        try:
            chosen.append(negotiate(accept, offers))
        except NotAcceptable:
            chosen.append(None)
    if chosen == [None, None]:
        raise NotAcceptable(
            f"cannot produce any of the types in Accept: {(accept or '')[:200]}",
            hint="SELECT and ASK: " + ", ".join(RESULT_OFFERS) + "; CONSTRUCT and DESCRIBE: " + ", ".join(GRAPH_OFFERS),
        )
    return chosen[0], chosen[1]


async def _answer(
    request: Request,
    state: ApiState,
    query: str,
    default_graphs: list[str],
    named_graphs: list[str],
    timeout: float | None,
) -> Response:
    if not query.strip():
        raise BadRequest("the `query` parameter is empty", hint="send a SPARQL query")
    if is_update(query):
        raise UpdateRefused(UPDATE_REFUSED, hint=UPDATE_HINT)
    results_format, graph_format = _negotiated(request.headers.get("accept"))
    api = state.api
    job = SparqlJob(
        query=query,
        results_format=results_format,
        graph_format=graph_format,
        default_graphs=_iris(default_graphs, "default-graph-uri"),
        named_graphs=_iris(named_graphs, "named-graph-uri"),
        max_bytes=api.api_sparql_max_result_bytes,
    )
    limit = min(timeout or api.api_sparql_timeout, api.api_sparql_timeout)
    answer: SparqlAnswer = await run_in_threadpool(lambda: state.rdf.get().run(job, limit))
    media = answer.media_type
    if media.startswith("text/"):
        media += "; charset=utf-8"
    return Response(
        answer.body,
        media_type=media,
        headers={"Vary": "Accept", SNAPSHOT_HEADER: answer.generation},
    )
