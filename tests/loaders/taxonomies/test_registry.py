"""The taxonomy kinds in the loader registry, and their records passing the ingest engine's validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from ieic_kg.loaders import LOADERS, Loader, get_loader
from ieic_kg.loaders.taxonomies import (
    CipSocLoader,
    CscoLoader,
    EscoLoader,
    Gbt4754Loader,
    IsicLoader,
    LightcastLoader,
    NaicsLoader,
    OnetLoader,
)

from ieic_kg.config import Settings
from ieic_kg.errors import SourceError
from ieic_kg.ingest import Ingest
from ieic_kg.ontology import Ontology
from ieic_kg.records import Reject

from .conftest import FIXTURES

KINDS = {
    "esco": EscoLoader,
    "onet": OnetLoader,
    "gbt4754": Gbt4754Loader,
    "csco": CscoLoader,
    "cip-soc": CipSocLoader,
    "isic": IsicLoader,
    "naics": NaicsLoader,
    "lightcast": LightcastLoader,
}


def _source(kind: str, esco_folder: Path) -> Path:
    return {
        "esco": esco_folder,
        "onet": FIXTURES / "onet",
        "gbt4754": FIXTURES / "gbt4754-2017.csv",
        "csco": FIXTURES / "csco22.csv",
        "cip-soc": FIXTURES / "cip-soc",
        "isic": FIXTURES / "isic" / "en.json",
        "naics": FIXTURES / "naics.py",
        "lightcast": FIXTURES / "lightcast_data_formatted.csv",
    }[kind]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_registered_and_makes_its_loader(kind: str, esco_folder: Path) -> None:
    loader = LOADERS[kind](_source(kind, esco_folder), None, None)
    assert isinstance(loader, KINDS[kind])
    assert loader.name == kind
    assert isinstance(loader.version, str) and loader.dataset
    assert all(p.is_file() for p in loader.source_paths())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_taxonomy_kinds_take_no_mapping_nor_table(kind: str, esco_folder: Path) -> None:
    with pytest.raises(SourceError, match="takes no --mapping"):
        LOADERS[kind](_source(kind, esco_folder), Path("m.yaml"), None)
    with pytest.raises(SourceError, match="takes no --table"):
        LOADERS[kind](_source(kind, esco_folder), None, "skills")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_get_loader_makes_a_taxonomy_loader_without_mapping(kind: str, esco_folder: Path) -> None:
    assert isinstance(get_loader(kind, _source(kind, esco_folder)), KINDS[kind])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_fixture_records_pass_the_ingest_engines_validation(
    kind: str, esco_folder: Path, test_settings: Settings, ontology: Ontology
) -> None:
    """A dry run (no store): classes, properties, value types, keys and relationship ends are all accepted.

    The only rejects are those the loader itself makes for the slices' faulty rows.
    """
    loader: Loader = LOADERS[kind](_source(kind, esco_folder), None, None)
    own = [r for r in loader.records() if isinstance(r, Reject)]
    report = Ingest(test_settings, ontology, None).run(loader)
    assert report.status == "dry-run"
    assert report.rejects == own
    assert sum(c.read for c in report.nodes.values()) > 0
