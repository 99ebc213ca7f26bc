"""Named queries (``queries/*.cypher``): list them with their headers, run one by name.

Parameters are checked against the query's header before anything runs: unknown or missing names and
values of the wrong type are a 400 naming the parameter. Strings (the query string of a GET) are parsed
by the declared type; JSON values (POST) must already have it.
"""

from __future__ import annotations

from functools import partial
from types import SimpleNamespace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from ieic_kg.api.convert import json_value
from ieic_kg.api.deps import QueriesDep, RateLimit, ReadAccess, StateDep, neo4j_store
from ieic_kg.api.errors import problem_responses
from ieic_kg.api.models import NamedQueryInfo, ParamInfo, QueryResult, QueryRunRequest
from ieic_kg.api.state import ApiState

from ieic_kg.errors import QueryParameterError
from ieic_kg.queries import NamedQuery, run_query

router = APIRouter(prefix="/v1/queries", tags=["named queries"], dependencies=[ReadAccess, RateLimit])

NameParam = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_\-]+$", description="The query's name.")]
LanguageParam = Annotated[
    Literal["cypher", "sparql"],
    Query(description="cypher (Neo4j), or sparql: the query's SPARQL twin on the RDF store (served without Neo4j)."),
]


def _info(q: NamedQuery) -> NamedQueryInfo:
    return NamedQueryInfo(
        name=q.name,
        language="sparql" if q.language == "sparql" else "cypher",
        title=q.title,
        description=q.description,
        params=[
            ParamInfo(
                name=p.name,
                type=p.type,  # one of queries.PARAM_TYPES, checked when the file is read
                required=p.required,
                default=p.default,
                doc=p.doc,
            )
            for p in q.params
        ],
        returns=q.returns,
    )


def _typed(q: NamedQuery, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` bound to the query's parameters; a JSON value must already have the declared type."""
    declared = {p.name: p for p in q.params}
    for name, value in given.items():
        p = declared.get(name)
        if p is None or isinstance(value, str):
            continue  # unknown names and strings: QueryParameterError or parsing in NamedQuery.bind
        ok = {
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, int | float) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "list[string]": isinstance(value, list) and all(isinstance(v, str) for v in value),
            "string": False,
        }[p.type]
        if not ok:
            raise QueryParameterError(
                f"parameter {name!r} of {q.name} must be {p.type}, not {json_value(value)!r}"[:300],
                hint=f"{name}: {p.type} — {p.doc}",
            )
    return q.bind(given)


@router.get("", response_model=list[NamedQueryInfo], summary="Named queries", responses=problem_responses(401, 429))
async def list_queries(queries: QueriesDep) -> list[NamedQueryInfo]:
    """Every named query with its header: title, description, parameters (type, default) and what it returns."""
    return [_info(q) for q in queries.all()]


@router.get(
    "/{name}",
    response_model=NamedQueryInfo,
    summary="One named query's header",
    responses=problem_responses(400, 401, 404, 429),
)
async def get_query(queries: QueriesDep, name: NameParam, language: LanguageParam = "cypher") -> NamedQueryInfo:
    """The header of the query: title, description, parameters with types and defaults, what it returns."""
    return _info(queries.get(name, language))


def _run(state: ApiState, q: NamedQuery, given: dict[str, Any]) -> QueryResult:
    params = _typed(q, given)
    if q.language == "sparql":  # on the RDF store's snapshot, through the /sparql workers
        api = state.api
        # what run_query asks of an RDF store (``query``), answered by the workers with the endpoint's cap
        reader = SimpleNamespace(query=partial(state.rdf.get().query, max_bytes=api.api_sparql_max_result_bytes))
        rows = run_query(q, params, rdf_store=reader, timeout=api.api_sparql_timeout)
    else:
        with neo4j_store(state) as store:
            rows = store.read(q.text, params)
    cap = state.api.api_row_cap
    shown = rows[:cap]
    return QueryResult(
        query=q.name,
        parameters={k: json_value(v) for k, v in params.items()},
        columns=list(rows[0].keys()) if rows else [],
        rows=[{k: json_value(v) for k, v in r.items()} for r in shown],
        rowCount=len(shown),
        truncated=len(rows) > cap,
    )


@router.post(
    "/{name}/run",
    response_model=QueryResult,
    summary="Run a named query (typed JSON parameters)",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def run_post(
    state: StateDep,
    queries: QueriesDep,
    name: NameParam,
    body: QueryRunRequest,
    language: LanguageParam = "cypher",
) -> QueryResult:
    """Run the query with the parameters of the body; defaults fill the others. At most IEIC_API_ROW_CAP rows."""
    return _run(state, queries.get(name, language), body.parameters)


@router.get(
    "/{name}/run",
    response_model=QueryResult,
    summary="Run a named query (parameters in the query string)",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def run_get(
    request: Request,
    state: StateDep,
    queries: QueriesDep,
    name: NameParam,
    language: LanguageParam = "cypher",
) -> QueryResult:
    """Run the query with ``?param=value``, each value parsed by its declared type (``list[string]``:
    comma-separated). At most IEIC_API_ROW_CAP rows."""
    q = queries.get(name, language)
    given: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if key == "language":
            continue
        if key in given:
            raise QueryParameterError(f"parameter {key!r} is given twice", hint="list[string]: a,b,c")
        given[key] = value
    return _run(state, q, given)
