"""Values from Neo4j as JSON: the only place that knows the driver's value types.

Temporal values become ISO 8601 strings, nodes ``{elementId, labels, properties}``, relationships
``{elementId, type, start, end, properties}``, paths ``{nodes, relationships}``, points
``{srid, x, y[, z]}``, bytes base64. Floats that JSON cannot hold (NaN, ±Infinity) become the strings
``"NaN"``, ``"Infinity"``, ``"-Infinity"``.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from typing import Any

from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time


def json_value(value: Any) -> Any:
    """``value`` (anything a Neo4j record may hold) as JSON-ready data."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, DateTime | Date | Time | Duration):
        return value.iso_format()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, Node):
        return node_json(value)
    if isinstance(value, Relationship):
        return relationship_json(value)
    if isinstance(value, Path):
        return {
            "nodes": [node_json(n) for n in value.nodes],
            "relationships": [relationship_json(r) for r in value.relationships],
        }
    if isinstance(value, Point):
        out: dict[str, Any] = {"srid": value.srid}
        out.update(zip(("x", "y", "z"), (json_value(c) for c in value), strict=False))
        return out
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def node_json(node: Node) -> dict[str, Any]:
    return {
        "elementId": node.element_id,
        "labels": sorted(node.labels),
        "properties": {k: json_value(v) for k, v in node.items()},
    }


def relationship_json(rel: Relationship) -> dict[str, Any]:
    return {
        "elementId": rel.element_id,
        "type": rel.type,
        "start": rel.start_node.element_id if rel.start_node is not None else None,
        "end": rel.end_node.element_id if rel.end_node is not None else None,
        "properties": {k: json_value(v) for k, v in rel.items()},
    }


def native_datetime(value: Any) -> dt.datetime | None:
    """A Neo4j DateTime (or a Python one) as a Python datetime; anything else None."""
    if isinstance(value, DateTime):
        native = value.to_native()
        return native if isinstance(native, dt.datetime) else None
    return value if isinstance(value, dt.datetime) else None
