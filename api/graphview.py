"""Nodes as the API shows them: turning ``labels`` and ``properties`` rows into the public models.

The ontology decides which labels are types (the most specific class is ``type``), which keys are
language-tagged (``description_zh`` → ``properties.description.zh``) and how relations are labelled.
"""

from __future__ import annotations

from typing import Any

from ieic_kg.api.convert import json_value, native_datetime
from ieic_kg.api.errors import BadRequest
from ieic_kg.api.models import (
    Entity,
    EntityProvenance,
    EntitySummary,
    LabelLists,
    Labels,
    LoadRunOut,
)

from ieic_kg.ontology import LANG_ANNOTATIONS, LANGUAGES, Ontology

#: Cypher projection every entity query returns, so that rows become models the same way.
ENTITY_COLUMNS = "n.iri AS iri, labels(n) AS labels, properties(n) AS props"
SUMMARY_COLUMNS = "n.iri AS iri, labels(n) AS labels, n.code AS code, n.label_zh AS label_zh, n.label_en AS label_en"
PROVENANCE_KEYS = ("source", "loadRun", "firstSeen", "lastSeen")
#: LoadRun properties only steward and admin keys see: paths, accounts and hosts of the loading machine.
OPERATIONAL_KEYS = ("sourcePath", "agent", "host", "processId")
TECHNICAL_LABELS = frozenset({"Entity", "LoadRun"})


def entity_types(ontology: Ontology) -> list[str]:
    """The type names an entity can have (every ontology class but LoadRun)."""
    return sorted(name for name in ontology.classes if name not in TECHNICAL_LABELS)


def check_type(ontology: Ontology, name: str) -> str:
    """``name`` when it is an entity type of the ontology, else a 400 listing the valid ones."""
    if name in ontology.classes and name not in TECHNICAL_LABELS:
        return name
    raise BadRequest(f"unknown type {name[:80]!r}", hint="types: " + ", ".join(entity_types(ontology)))


def check_relationship_types(ontology: Ontology, names: list[str]) -> list[str]:
    """``names`` when each is a relationship type of the ontology, else a 400 listing the valid ones."""
    for name in names:
        if name not in ontology.rel_types:
            raise BadRequest(
                f"unknown relationship type {name[:80]!r}",
                hint="relationship types: " + ", ".join(sorted(ontology.rel_types)),
            )
    return names


def classes_of(ontology: Ontology, labels: list[str]) -> tuple[str, list[str]]:
    """(most specific class, all classes most general first) among a node's labels."""
    classes = [label for label in labels if label in ontology.classes and label not in TECHNICAL_LABELS]
    if not classes:
        return "Entity", []
    specific = sorted(c for c in classes if not any(c in ontology.classes[o].ancestors for o in classes))
    ordered = sorted(classes, key=lambda c: (len(ontology.classes[c].ancestors), c))
    return specific[0], ordered


def summary(ontology: Ontology, row: dict[str, Any]) -> EntitySummary:
    """An EntitySummary from a row with SUMMARY_COLUMNS (or ENTITY_COLUMNS)."""
    props = row.get("props") or {}
    kind, types = classes_of(ontology, row["labels"])
    return EntitySummary(
        iri=row["iri"],
        type=kind,
        types=types,
        code=_text(row.get("code", props.get("code"))),
        label=Labels(zh=row.get("label_zh", props.get("label_zh")), en=row.get("label_en", props.get("label_en"))),
    )


def entity(ontology: Ontology, row: dict[str, Any]) -> Entity:
    """A full Entity from a row with ENTITY_COLUMNS."""
    props: dict[str, Any] = dict(row["props"])
    head = summary(ontology, row)
    annotations: dict[str, dict[str, Any]] = {name: {} for name in LANG_ANNOTATIONS}
    others: dict[str, Any] = {}
    for key, value in sorted(props.items()):
        if key in ("iri", "code", *PROVENANCE_KEYS):
            continue
        base, _, lang = key.rpartition("_")
        if lang in LANGUAGES and base in annotations:
            annotations[base][lang] = value
        elif lang in LANGUAGES and base in ontology.datatype_properties:
            others.setdefault(base, {})[lang] = json_value(value)
        else:
            others[key] = json_value(value)
    alt = annotations["altLabel"]
    return Entity(
        **head.model_dump(),
        altLabel=LabelLists(zh=_strings(alt.get("zh")), en=_strings(alt.get("en"))),
        definition=Labels(**{k: _text(v) for k, v in annotations["definition"].items()}),
        properties=others,
        provenance=provenance(props),
    )


def provenance(props: dict[str, Any]) -> EntityProvenance:
    return EntityProvenance(
        sources=_strings(props.get("source")),
        loadRun=_text(props.get("loadRun")),
        firstSeen=native_datetime(props.get("firstSeen")),
        lastSeen=native_datetime(props.get("lastSeen")),
    )


def load_run(props: dict[str, Any], *, operational: bool) -> LoadRunOut:
    """A LoadRun node's properties as the public model; operational details only when ``operational``."""

    def number(key: str) -> int | None:
        value = props.get(key)
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    return LoadRunOut(
        iri=props["iri"],
        runId=_text(props.get("runId")),
        dataset=_text(props.get("source")),
        loader=_text(props.get("loader")),
        status=_text(props.get("status")),
        startedAt=native_datetime(props.get("startedAt")),
        endedAt=native_datetime(props.get("endedAt")),
        recordsRead=number("recordsRead"),
        created=number("created"),
        updated=number("updated"),
        unchanged=number("unchanged"),
        rejected=number("rejected"),
        stale=number("stale"),
        pruned=number("pruned"),
        checksums=_strings(props.get("checksum")),
        sourcePaths=_strings(props.get("sourcePath")) if operational else None,
        agent=_text(props.get("agent")) if operational else None,
        host=_text(props.get("host")) if operational else None,
        processId=number("processId") if operational else None,
    )


def relation_labels(ontology: Ontology, rel_type: str) -> Labels:
    prop = ontology.rel_types.get(rel_type)
    return Labels(zh=prop.labels.get("zh"), en=prop.labels.get("en")) if prop else Labels()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]
