"""Fixtures of the taxonomy loader tests: the fixture slices, ESCO archives built from them, the real data.

The tests over the real data find it in ``IEIC_PUBLIC_DATA`` (or ``IEIC_PUBLIC_DATA_DIR``, the setting's
name), by default ``<repo>/../shared/data``; when it is absent they fail, saying so. How long each loader
took over the real data is printed at the end of the run (never asserted).
"""

from __future__ import annotations

import os
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ieic_kg.records import EdgeRecord, NodeRecord, Record, Reject

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "taxonomies"
ESCO_CLASSIFICATION = "esco-v1.1.1-classification-en-csv.zip"
ESCO_RELATIONS = "esco-v1.1.1-relations-csv.zip"

#: (loader, records, seconds) of each real-data run, printed by pytest_terminal_summary
TIMINGS: list[tuple[str, int, float]] = []


@dataclass
class Collected:
    """What a loader yielded, sorted by kind, with look-ups by key or IRI."""

    nodes: list[NodeRecord] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    by_id: dict[str, NodeRecord] = field(default_factory=dict)
    out: dict[tuple[str, str], list[EdgeRecord]] = field(default_factory=lambda: defaultdict(list))

    def node(self, ident: str) -> NodeRecord:
        return self.by_id[ident]

    def targets(self, predicate: str, source: str) -> list[str]:
        """Keys (or IRIs) of the targets of ``source``'s ``predicate`` relationships."""
        return [_ident(e.target.key, e.target.iri) for e in self.out[(predicate, source)]]

    def edges_of(self, predicate: str) -> list[EdgeRecord]:
        return [e for e in self.edges if e.predicate == predicate]


def _ident(key: str | None, iri: str | None) -> str:
    return iri or key or ""


def collect(records: Iterable[Record]) -> Collected:
    c = Collected()
    for r in records:
        if isinstance(r, NodeRecord):
            c.nodes.append(r)
            c.by_id.setdefault(_ident(r.key, r.iri), r)
        elif isinstance(r, EdgeRecord):
            c.edges.append(r)
            c.out[(r.predicate, _ident(r.source.key, r.source.iri))].append(r)
        else:
            c.rejects.append(r)
    return c


@dataclass
class Tally:
    """Counts of what a loader yielded over a large source (nothing kept but the rejects)."""

    records: int = 0
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)
    levels: Counter[tuple[str, Any]] = field(default_factory=Counter)
    rejects: list[Reject] = field(default_factory=list)
    seconds: float = 0.0


def tally(name: str, records: Iterable[Record], *, level_of: Any = None) -> Tally:
    import time

    t = Tally()
    started = time.perf_counter()
    for r in records:
        t.records += 1
        if isinstance(r, NodeRecord):
            t.nodes[r.cls] += 1
            if level_of is not None:
                t.levels[level_of(r)] += 1
        elif isinstance(r, EdgeRecord):
            t.edges[r.predicate] += 1
        else:
            t.rejects.append(r)
    t.seconds = time.perf_counter() - started
    TIMINGS.append((name, t.records, t.seconds))
    return t


def zip_folder(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f.name)
    return archive


@pytest.fixture
def esco_folder(tmp_path: Path) -> Path:
    """A folder with the two ESCO archives, built from the fixture slices."""
    folder = tmp_path / "esco"
    folder.mkdir()
    zip_folder(FIXTURES / "esco" / "classification", folder / ESCO_CLASSIFICATION)
    zip_folder(FIXTURES / "esco" / "relations", folder / ESCO_RELATIONS)
    return folder


@pytest.fixture(scope="session")
def public_data() -> Path:
    """The public data folder; the tests that need it fail (never skip) when it is absent."""
    given = os.environ.get("IEIC_PUBLIC_DATA") or os.environ.get("IEIC_PUBLIC_DATA_DIR")
    path = Path(given) if given else REPO.parent / "shared" / "data"
    if not (path / "README.md").is_file():
        pytest.fail(
            f"the public data sets are not at {path}: set IEIC_PUBLIC_DATA to the folder holding "
            "esco-1.1.1/, onet-29.2/, cip-soc/ and gbt4754-2017.csv (see its README.md)",
            pytrace=False,
        )
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("taxonomy loaders over the real data")
    for name, records, seconds in TIMINGS:
        rate = records / seconds if seconds else float("inf")
        terminalreporter.write_line(f"{name:17s} {records:8,d} records in {seconds:6.2f} s  ({rate:9,.0f} records/s)")
