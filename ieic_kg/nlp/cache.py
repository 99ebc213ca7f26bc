"""Building extractors with the pattern cache under ``settings.cache_dir``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ieic_kg.nlp.extractor import Extractor, build_extractor
from ieic_kg.nlp.labels import LabelEntry


def cached_extractor(labels: Iterable[LabelEntry], lang: str, settings: Any, **options: Any) -> Extractor:
    """``build_extractor`` with its patterns cached in ``<settings.cache_dir>/nlp/`` (keyed by the label set)."""
    return build_extractor(labels, lang, cache_dir=settings.cache_dir, **options)
