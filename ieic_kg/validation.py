"""SHACL validation of the stored graph: the shapes of ``ontology/shapes.ttl`` over the RDF view of Neo4j."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from pyshacl import validate
from rdflib import SH, Graph, Literal

from ieic_kg.ontology import Ontology


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    value: str
    severity: str
    message_zh: str
    message_en: str
    shape: str


def load_shapes() -> Graph:
    g = Graph()
    g.parse(data=resources.files("ieic_kg.assets.ontology").joinpath("shapes.ttl").read_text("utf-8"), format="turtle")
    return g


def validate_graph(data: Graph, ontology: Ontology) -> tuple[bool, list[Violation]]:
    """Validate ``data`` against the shapes, with the ontology for RDFS inference; violations in zh and en."""
    conforms, report, _ = validate(
        data, shacl_graph=load_shapes(), ont_graph=ontology.graph, inference="rdfs", allow_warnings=True
    )
    out = []
    for result in report.subjects(SH.resultSeverity, None):
        messages = {m.language: str(m) for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)}
        severity = report.value(result, SH.resultSeverity)
        out.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath) or ""),
                value=str(report.value(result, SH.value) or ""),
                severity=str(severity).rpartition("#")[2] if severity else "",
                message_zh=messages.get("zh", ""),
                message_en=messages.get("en", messages.get(None, "")),
                shape=str(report.value(result, SH.sourceShape) or ""),
            )
        )
    out.sort(key=lambda v: (v.shape, v.focus, v.path))
    return bool(conforms), out
