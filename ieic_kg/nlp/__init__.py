"""Skill extraction from documents with spaCy: no model downloaded, rules and the graph's own labels.

Public API (see docs/documents.md):

* ``Mention`` — one mention: character offsets, text, entity type, IRI (or None), method, confidence,
  section, cue, level (and mastery, sentence, matched label).
* ``LabelEntry`` — one label of one entity; ``labels_from_graph``, ``labels_from_records``,
  ``labels_from_table`` make them.
* ``build_extractor(labels, lang)`` → ``Extractor`` with ``extract(text)`` and ``pipe(texts)``.
* ``read_document(path)``, ``detect_language(text)``, ``UnsupportedLanguage``.
* ``ReviewQueue`` and ``Decisions`` for unlinked terms.
"""

from ieic_kg.nlp.cache import cached_extractor
from ieic_kg.nlp.documents import DocumentText, read_document
from ieic_kg.nlp.extractor import Extractor, Mention, build_extractor
from ieic_kg.nlp.labels import LabelEntry, label_set_hash, labels_from_graph, labels_from_records, labels_from_table
from ieic_kg.nlp.lang import SUPPORTED_LANGUAGES, UnsupportedLanguage, detect_language
from ieic_kg.nlp.review import Decision, Decisions, ReviewQueue

__all__ = [
    "SUPPORTED_LANGUAGES",
    "Decision",
    "Decisions",
    "DocumentText",
    "Extractor",
    "LabelEntry",
    "Mention",
    "ReviewQueue",
    "UnsupportedLanguage",
    "build_extractor",
    "cached_extractor",
    "detect_language",
    "label_set_hash",
    "labels_from_graph",
    "labels_from_records",
    "labels_from_table",
    "read_document",
]
