"""Records at the boundary between loaders and the ingest engine.

A loader reads a source and yields these small frozen values; it never talks to a store. The ingest
engine alone validates them, mints IRIs, attaches provenance and writes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Origin:
    """Where in a source a record was read: file, line (1-based, header included) or a JSON pointer."""

    file: str
    line: int | None = None
    pointer: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer:
            where += f" {self.pointer}"
        return where


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a node: by class and source key, by IRI, or by label (resolved at ingest)."""

    cls: str | None = None
    key: str | None = None
    iri: str | None = None
    label: str | None = None
    within: str | None = None  # a label reference resolves only among nodes stated by this dataset

    def describe(self) -> str:
        if self.iri:
            return f"<{self.iri}>"
        if self.label is not None:
            return f"{self.cls or 'node'} labelled {self.label!r}"
        return f"{self.cls} {self.key!r}"


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """A node of ontology class ``cls`` identified by ``key`` (or an explicit ``iri``)."""

    cls: str
    key: str | None
    properties: Mapping[str, Any]
    origin: Origin
    iri: str | None = None

    @property
    def ref(self) -> Ref:
        return Ref(cls=self.cls, key=self.key, iri=self.iri)


@dataclass(frozen=True, slots=True)
class EdgeRecord:
    """A relationship ``source -[predicate]-> target``; ``predicate`` is an object property name."""

    predicate: str
    source: Ref
    target: Ref
    properties: Mapping[str, Any]
    origin: Origin


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that cannot be loaded, with the place, the field and the reason (and how to fix it)."""

    origin: Origin
    reason: str
    field: str = ""
    value: str = ""
    record: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)
    #: The IRI of the node the rejected record would have stated, when the loader knows it: its earlier
    #: state is kept (a bad row is not a retraction) and relationships to it say why they were skipped.
    iri: str | None = None


Record = NodeRecord | EdgeRecord | Reject
