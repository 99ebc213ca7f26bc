"""Named queries (``queries/*.cypher``): list them with their headers, run one by name.

Parameters are checked against the query's header before anything runs: unknown or missing names and
values of the wrong type are a 400 naming the parameter. Strings (the query string of a GET) are parsed
by the declared type; JSON values (POST) must already have it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from ieic_kg.api.convert import json_value
from ieic_kg.api.deps import QueriesDep, RateLimit, ReadAccess, StateDep, StoreDep
from ieic_kg.api.errors import problem_responses
from ieic_kg.api.models import NamedQueryInfo, ParamInfo, QueryResult, QueryRunRequest
from ieic_kg.api.state import ApiState

from ieic_kg.errors import QueryParameterError, StoreUnavailable
from ieic_kg.graph import GraphStore
from ieic_kg.queries import NamedQuery

router = APIRouter(prefix="/v1/queries", tags=["named queries"], dependencies=[ReadAccess, RateLimit])

NameParam = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_\-]+$", description="The query's name.")]
LanguageParam = Annotated[
    Literal["cypher", "sparql"], Query(description="cypher (Neo4j); sparql once the RDF store is in the API.")
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


def _run(state: ApiState, store: GraphStore, q: NamedQuery, given: dict[str, Any]) -> QueryResult:
    params = _typed(q, given)
    if q.language != "cypher":
        raise StoreUnavailable("the RDF store (SPARQL) is not part of the API yet", hint="run the Cypher twin")
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
    store: StoreDep,
    queries: QueriesDep,
    name: NameParam,
    body: QueryRunRequest,
    language: LanguageParam = "cypher",
) -> QueryResult:
    """Run the query with the parameters of the body; defaults fill the others. At most IEIC_API_ROW_CAP rows."""
    return _run(state, store, queries.get(name, language), body.parameters)


@router.get(
    "/{name}/run",
    response_model=QueryResult,
    summary="Run a named query (parameters in the query string)",
    responses=problem_responses(400, 401, 404, 429, 503),
)
def run_get(
    request: Request,
    state: StateDep,
    store: StoreDep,
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
    return _run(state, store, q, given)
