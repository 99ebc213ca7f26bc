"""Shared fixtures of the extraction tests: the demo skill taxonomy as labels, and extractors on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from ieic_kg.loaders.mapping import MappingLoader

from ieic_kg.nlp import LabelEntry, build_extractor, labels_from_records

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "documents"
DEMO_DOCS = REPO / "demo" / "sources" / "documents"
SKILL = "https://w3id.org/ieic-kg/id/skill/"


@pytest.fixture(scope="session")
def demo_labels() -> list[LabelEntry]:
    """Labels and alternative labels (zh, en) of the demo community's skill taxonomy, read from its workbook."""
    return labels_from_records(MappingLoader(REPO / "demo" / "mappings" / "curriculum.yaml").records())


@pytest.fixture(scope="session")
def zh(demo_labels: list[LabelEntry]):
    return build_extractor(demo_labels, "zh", candidates=True)


@pytest.fixture(scope="session")
def en(demo_labels: list[LabelEntry]):
    return build_extractor(demo_labels, "en", candidates=True)
