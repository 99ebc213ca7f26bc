"""The main job: build the demo community's graph from its shipped raw sources and print an alignment report.

The demo is described by ``demo/manifest.yaml``: the mapping files to load, in order, and the program and
industry of the report. Everything goes through the same loaders and ingest engine a data steward uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ieic_kg import __file__ as _package_file
from ieic_kg.errors import SourceError


@dataclass(frozen=True)
class DemoDocuments:
    path: Path
    kind: str
    subject_key: str | None = None


@dataclass(frozen=True)
class DemoManifest:
    folder: Path
    mappings: tuple[Path, ...]
    program: str
    industry: str
    documents: tuple[DemoDocuments, ...] = ()


def default_demo_dir() -> Path:
    """The ``demo/`` folder of the checkout this package runs from."""
    return Path(_package_file).resolve().parent.parent / "demo"


def read_manifest(folder: Path) -> DemoManifest:
    path = folder / "manifest.yaml"
    if not path.is_file():
        raise SourceError(
            "no demo manifest here",
            file=str(path),
            hint="run from a checkout of ieic-kg, or pass --sources DIR pointing at its demo/ folder",
        )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        mappings = tuple((folder / m).resolve() for m in data["mappings"])
        documents = tuple(
            DemoDocuments((folder / d["path"]).resolve(), str(d["kind"]), d.get("subject_key"))
            for d in data.get("documents") or []
        )
        report = data["report"]
        return DemoManifest(folder, mappings, str(report["program"]), str(report["industry"]), documents)
    except (KeyError, TypeError) as exc:
        raise SourceError(
            f"the manifest lacks {exc}", file=str(path), hint="it needs 'mappings' and 'report'"
        ) from None
