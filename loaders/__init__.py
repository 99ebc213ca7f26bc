"""Loaders: read a source and yield ontology-typed records; never write to a store.

Loaders are registered by kind. ``get_loader`` fails on an unknown kind listing the valid ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from ieic_kg.loaders import taxonomies
from ieic_kg.loaders.case import case_factory
from ieic_kg.loaders.rdf import rdf_loader

from ieic_kg.errors import NotFound, SourceError
from ieic_kg.records import Record


class Loader(Protocol):
    """What the ingest engine needs from a loader."""

    name: str
    version: str

    @property
    def dataset(self) -> str: ...

    def source_paths(self) -> list[Path]: ...

    def records(self) -> Iterator[Record]: ...

    # Optional: ``complete`` (default True) is False when a loader reads only part of its dataset, so
    # that the ingest engine does not take what it did not read as retracted.


def _mapping(source: Path, mapping: Path | None, table: str | None) -> Loader:
    from ieic_kg.loaders.mapping import MappingLoader

    if mapping is None:
        return MappingLoader(source, only=table)
    return MappingLoader(mapping, source_file=source, only=table)


#: kind → factory(source, mapping, table). ``mapping`` loads a mapping file (its sources named inside);
#: the tabular kinds load SOURCE through the one source of ``--mapping``.
LOADERS: dict[str, Callable[[Path, Path | None, str | None], Loader]] = {
    "mapping": _mapping,
    "csv": _mapping,
    "xlsx": _mapping,
    "json": _mapping,
    "jsonl": _mapping,
    "sql": _mapping,
    "case": case_factory,  # a 1EdTech CASE package (CFPackage JSON), read as published
    "rdf": rdf_loader,  # an RDF file in the ontology's vocabulary (e.g. an export); --table picks a dataset
    # syllabi, job postings, standards read with spaCy (kind by --table; `load documents` passes the graph's labels)
    "documents": lambda s, m, t: __import__("ieic_kg.loaders.documents", fromlist=["x"]).documents_factory(s, m, t),
    **taxonomies.FACTORIES,  # esco, onet, gbt4754, csco, cip-soc, isic, naics, lightcast: as published
}


#: Kinds that read a data file through the one source of a ``--mapping`` file; the others read their
#: source as published.
NEEDS_MAPPING = frozenset({"csv", "xlsx", "json", "jsonl", "sql"})


def get_loader(kind: str, source: Path, *, mapping: Path | None = None, table: str | None = None) -> Loader:
    """The loader of ``kind`` for ``source``."""
    factory = LOADERS.get(kind)
    if factory is None:
        raise NotFound(f"unknown loader kind {kind!r}", hint=f"use one of: {', '.join(sorted(LOADERS))}")
    if kind in NEEDS_MAPPING and mapping is None:
        raise SourceError(f"loading a {kind} file needs --mapping FILE", hint="see docs/mappings.md")
    return factory(source, mapping, table)
