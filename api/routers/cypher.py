"""Read-only Cypher (``POST /v1/cypher``) for holders of an API key; see ``ieic_kg.api.cypher`` for the guards."""

from __future__ import annotations

from typing import Any

import neo4j
from fastapi import APIRouter
from ieic_kg.api.convert import json_value
from ieic_kg.api.cypher import check_parameters, check_read_only, run_read
from ieic_kg.api.deps import RateLimit, StateDep, StoreDep, require_role
from ieic_kg.api.errors import problem_responses
from ieic_kg.api.models import CypherRequest, CypherResult, GraphNode, GraphOut, GraphRelationship
from neo4j.graph import Node, Path, Relationship

router = APIRouter(prefix="/v1", tags=["cypher"], dependencies=[require_role("reader"), RateLimit])


@router.post(
    "/cypher",
    response_model=CypherResult,
    summary="Run a read-only Cypher query",
    responses=problem_responses(400, 401, 403, 429, 503, 504),
)
def cypher(state: StateDep, store: StoreDep, body: CypherRequest) -> CypherResult:
    """One read-only statement with bound ``$parameters``, in a READ transaction, stopped after its timeout
    (504) and cut at the row cap (``truncated``). A query that names a write clause, a disallowed procedure
    or file access is refused (403) before it runs. Results as rows, or as a graph {nodes, relationships}."""
    check_read_only(body.query)
    check_parameters(body.parameters)
    cap = min(body.limit or state.api.api_row_cap, state.api.api_row_cap)
    timeout = min(body.timeout or state.api.api_cypher_timeout, state.api.api_cypher_timeout)
    result = run_read(store, body.query, body.parameters, timeout=timeout, max_rows=cap)
    if body.format == "graph":
        return CypherResult(
            columns=result.keys,
            rows=None,
            graph=_graph(result.records),
            rowCount=len(result.records),
            truncated=result.truncated,
            elapsedMs=result.elapsed_ms,
        )
    return CypherResult(
        columns=result.keys,
        rows=[{k: json_value(v) for k, v in r.items()} for r in result.records],
        graph=None,
        rowCount=len(result.records),
        truncated=result.truncated,
        elapsedMs=result.elapsed_ms,
    )


def _graph(records: list[neo4j.Record]) -> GraphOut:
    """The distinct nodes and relationships anywhere in the records (in lists, maps and paths too)."""
    nodes: dict[str, GraphNode] = {}
    rels: dict[str, GraphRelationship] = {}

    def visit(value: Any) -> None:
        if isinstance(value, Node):
            if value.element_id not in nodes:
                props = {k: json_value(v) for k, v in value.items()}
                iri = props.get("iri")
                nodes[value.element_id] = GraphNode(
                    id=value.element_id,
                    labels=sorted(value.labels),
                    iri=iri if isinstance(iri, str) else None,
                    properties=props,
                )
        elif isinstance(value, Relationship):
            if value.element_id not in rels:
                rels[value.element_id] = GraphRelationship(
                    id=value.element_id,
                    type=value.type,
                    start=value.start_node.element_id if value.start_node is not None else None,
                    end=value.end_node.element_id if value.end_node is not None else None,
                    properties={k: json_value(v) for k, v in value.items()},
                )
        elif isinstance(value, Path):
            for n in value.nodes:
                visit(n)
            for r in value.relationships:
                visit(r)
        elif isinstance(value, list | tuple):
            for v in value:
                visit(v)
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)

    for record in records:
        for value in record.values():
            visit(value)
    return GraphOut(nodes=list(nodes.values()), relationships=list(rels.values()))
