"""Label search through the full-text index: user text becomes a Lucene query that can only match words.

Every character the Lucene query syntax gives a meaning to is escaped and the operator words
(AND, OR, NOT, TO) are lower-cased, so ``*``, ``name:x``, ``"``, ``(`` or ``a~`` search for what they say
instead of changing the query. Words of letters and digits also match as prefixes (``pyth`` finds
Python). The index (``ieic_kg.schema.LABEL_SEARCH_INDEX``) covers label_zh, label_en and the alt labels
with the CJK analyzer, so Chinese text is matched by character bigrams.
"""

from __future__ import annotations

from ieic_kg.api.errors import BadRequest

LUCENE_SPECIAL = frozenset('+-&|!(){}[]^"~*?:\\/')
LUCENE_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})
MAX_TERMS = 16


def lucene_escape(word: str) -> str:
    """One word with every Lucene special character escaped."""
    escaped = "".join("\\" + ch if ch in LUCENE_SPECIAL else ch for ch in word)
    return escaped.lower() if word in LUCENE_OPERATORS else escaped


def lucene_query(text: str) -> str:
    """A safe Lucene query for free text: any word may match (more matches rank higher)."""
    words = text.split()
    if not words:
        raise BadRequest("the search text is empty", hint="give a word of the label, in Chinese or English")
    if len(words) > MAX_TERMS:
        raise BadRequest(f"the search text has {len(words)} words; at most {MAX_TERMS} are used")
    parts: list[str] = []
    for word in words:
        escaped = lucene_escape(word)
        parts.append(escaped)
        if word.isascii() and word.isalnum() and len(word) >= 2 and word not in LUCENE_OPERATORS:
            parts.append(escaped + "*")
    return " ".join(parts)
