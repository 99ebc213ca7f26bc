"""The label set the matcher is built from: every label and alternative label of the target classes.

A ``LabelEntry`` is one name of one entity in one language. They come from the graph (the Skill nodes
of the community taxonomy, ESCO and whatever else is loaded: ``labels_from_graph``), from records
(``labels_from_records``, for tests and for sources not yet loaded), or from review decisions (an
accepted term becomes an alternative label). The hash of the sorted set is the cache key of the built
pipeline, so a changed taxonomy rebuilds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ieic_kg.nlp.text import has_cjk

if TYPE_CHECKING:
    from ieic_kg.graph import GraphStore
    from ieic_kg.records import Record

LANGS = ("zh", "en")

#: Entity type (the spaCy label of a mention) of each ontology class that documents mention.
ENTITY_TYPES = {
    "Skill": "SKILL",
    "Occupation": "OCCUPATION",
    "Industry": "INDUSTRY",
    "Standard": "STANDARD",
    "OccupationalSkillStandard": "STANDARD",
    "Certificate": "STANDARD",
    "CurriculumStandard": "STANDARD",
    "TeachingStandard": "STANDARD",
}


@dataclass(frozen=True, slots=True, order=True)
class LabelEntry:
    """One name of one entity: ``kind`` is ``"label"`` (preferred) or ``"altLabel"``; ``cls`` its class.

    ``source`` (optional) is the dataset that stated the name (``gdimp-curriculum-design``,
    ``esco-1.1.1``, ``review``); the linker uses it only to break ties.
    """

    iri: str
    text: str
    lang: str
    kind: str = "label"
    cls: str = "Skill"
    source: str | None = None

    @property
    def entity_type(self) -> str:
        return ENTITY_TYPES.get(self.cls, self.cls.upper())


def label_set_hash(labels: Iterable[LabelEntry], *extra: Any) -> str:
    """SHA-256 of the sorted label set (and of ``extra`` build options): the cache key of a pipeline."""
    h = hashlib.sha256()
    for e in sorted(set(labels)):
        h.update("\x1f".join((e.iri, e.text, e.lang, e.kind, e.cls, e.source or "")).encode("utf-8"))
        h.update(b"\x1e")
    for x in extra:
        h.update(repr(x).encode("utf-8"))
    return h.hexdigest()


def _entries(iri: str, cls: str, props: dict[str, Any], source: str | None) -> Iterable[LabelEntry]:
    for lang in LANGS:
        for kind in ("label", "altLabel"):
            values = props.get(f"{kind}_{lang}")
            for v in values if isinstance(values, list | tuple) else [values]:
                if isinstance(v, str) and v.strip():
                    yield LabelEntry(iri, v.strip(), lang, kind, cls, source)


_GRAPH_LABELS = """
MATCH (n:Entity)
WHERE any(l IN labels(n) WHERE l IN $classes) AND coalesce(n.deprecated, false) = false
RETURN n.iri AS iri, [l IN labels(n) WHERE l IN $classes] AS classes, n.source AS source,
       n.label_zh AS label_zh, n.label_en AS label_en, n.altLabel_zh AS altLabel_zh, n.altLabel_en AS altLabel_en
"""


def labels_from_graph(store: GraphStore, classes: Iterable[str] = ("Skill",)) -> list[LabelEntry]:
    """Every label and alternative label (zh and en) of the nodes of ``classes`` in the graph.

    Deprecated nodes are left out. A node's class is its most specific class among ``classes``.
    """
    wanted = list(classes)
    out: list[LabelEntry] = []
    for row in store.read(_GRAPH_LABELS, {"classes": wanted}):
        found = row["classes"] or wanted[:1]
        cls = found[-1]
        sources = row.get("source") or []
        out.extend(_entries(row["iri"], cls, row, sources[0] if sources else None))
    return sorted(set(out))


def labels_from_records(
    records: Iterable[Record], *, classes: Iterable[str] = ("Skill",), id_base: str = "https://w3id.org/ieic-kg/id/"
) -> list[LabelEntry]:
    """The labels stated by loader records (``NodeRecord``s of ``classes``) — no Neo4j needed.

    IRIs are the record's own IRI or the one the ingest engine would mint from its key (for classes
    without an ieic superclass, as Skill, Occupation, Industry and Standard's root are).
    """
    from urllib.parse import quote

    from ieic_kg.ontology import class_slug
    from ieic_kg.records import NodeRecord

    wanted = set(classes)
    out: list[LabelEntry] = []
    for r in records:
        if not isinstance(r, NodeRecord) or r.cls not in wanted:
            continue
        root = "Standard" if ENTITY_TYPES.get(r.cls) == "STANDARD" else r.cls
        iri = r.iri or f"{id_base}{class_slug(root)}/{quote(r.key or '', safe='-._~:')}"
        out.extend(_entries(iri, r.cls, dict(r.properties), None))
    return sorted(set(out))


def labels_from_table(
    rows: Iterable[dict[str, Any]],
    *,
    iri: str,
    columns: dict[str, tuple[str, str]],
    cls: str = "Skill",
    split: str | None = None,
    source: str | None = None,
) -> list[LabelEntry]:
    """Labels from plain rows: ``columns`` maps a column to (lang, kind); ``iri`` names the IRI column.

    E.g. ESCO's skills_en.csv: ``columns={"preferredLabel": ("en", "label"), "altLabels": ("en", "altLabel")}``
    with ``split="\\n"``.
    """
    out: list[LabelEntry] = []
    for row in rows:
        for column, (lang, kind) in columns.items():
            value = row.get(column)
            if not value:
                continue
            for v in str(value).split(split) if split else [str(value)]:
                if v.strip():
                    out.append(LabelEntry(str(row[iri]), v.strip(), lang, kind, cls, source))
    return out


def guess_lang(text: str) -> str:
    return "zh" if has_cjk(text) else "en"
