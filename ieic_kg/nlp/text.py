"""Text normalisation shared by the matcher, the linker and the review queue.

Two kinds of normalisation are kept apart:

* ``fold_width`` maps every character whose NFKC form is one *single* other character (full-width
  ASCII ``ＰＬＣ`` → ``PLC``, the ideographic space, compatibility ideographs …). It never changes the
  length of a text, so offsets found in the folded text are offsets in the original: the extractor
  tokenises the folded text and reports spans of the original.
* ``norm_key`` is the form labels and spans are compared in: NFKC, case-folded, punctuation and
  spacing removed or collapsed, and — for English — each word reduced by ``en_lemma`` (plurals and
  British spellings; see there). Two texts with the same key name the same thing for the linker.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache


def _width_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x80, 0x30000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c)
        if n != c and len(n) == 1:
            table[cp] = n
    # typographic quotes and dashes fold to ASCII too (NFKC keeps them)
    for c, a in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"), ("－", "-")):
        table[ord(c)] = a
    return table


WIDTH_TABLE: dict[int, str] = _width_table()


def fold_width(text: str) -> str:
    """``text`` with single-character NFKC foldings applied; ``len`` is unchanged."""
    if text.isascii():
        return text  # nothing to fold (the table maps only non-ASCII characters)
    return text.translate(WIDTH_TABLE)


# -- English lemmas: a deliberately small, precise rule set -----------------------------------------

#: British → American spellings, and a few variants common in technical English.
_SPELLING = {
    "modelling": "modeling",
    "modelled": "modeled",
    "labelling": "labeling",
    "travelling": "traveling",
    "signalling": "signaling",
    "centre": "center",
    "centres": "centers",
    "metre": "meter",
    "fibre": "fiber",
    "colour": "color",
    "behaviour": "behavior",
    "programme": "program",
    "programmes": "programs",
    "analyse": "analyze",
    "catalogue": "catalog",
    "grey": "gray",
}

#: Words ending in -s that are not plurals (kept as they are).
_NOT_PLURAL = frozenset(
    [
        "analysis",
        "basis",
        "diagnosis",
        "synthesis",
        "thesis",
        "hypothesis",
        "emphasis",
        "axis",
        "chassis",
        "series",
        "species",
        "means",
        "news",
        "physics",
        "mathematics",
        "statistics",
        "logistics",
        "mechanics",
        "electronics",
        "robotics",
        "pneumatics",
        "hydraulics",
        "mechatronics",
        "ergonomics",
        "economics",
        "ethics",
        "optics",
        "kinematics",
        "dynamics",
        "acoustics",
        "graphics",
        "analytics",
        "electrics",
        "informatics",
        "linguistics",
        "plus",
        "bus",
        "gas",
        "lens",
        "status",
        "campus",
        "canvas",
        "bias",
        "process",
        "access",
        "express",
        "less",
        "class",
        "glass",
        "cross",
        "mass",
        "press",
        "stress",
        "loss",
        "business",
        "wireless",
        "success",
        "various",
        "previous",
        "continuous",
        "autonomous",
        "simultaneous",
        "dangerous",
        "hazardous",
        "numerous",
        "precious",
        "us",
        "this",
        "its",
        "has",
        "was",
        "is",
        "does",
        "yes",
        "always",
        "perhaps",
        "whereas",
        "across",
        "thus",
        "alias",
        "atlas",
        "iris",
        "apparatus",
        "corpus",
        "virus",
        "focus",
        "census",
        "consensus",
        "radius",
        "nexus",
        "bonus",
        "versus",
        "minus",
        "cactus",
        "surplus",
        "famous",
    ]
)

#: Irregular plurals.
_IRREGULAR = {"criteria": "criterion", "phenomena": "phenomenon", "indices": "index", "matrices": "matrix"}


@lru_cache(maxsize=200_000)
def en_lemma(word: str) -> str:
    """The lemma of a lower-case English word, by rules: plural nouns and British spellings only.

    Verb and gerund forms are left alone on purpose: "machining" is not "machine" and "programming" is
    not "program" — a stemmer's recall would cost precision in skill names.
    """
    w = _SPELLING.get(word, word)
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or not w.isalpha() or w in _NOT_PLURAL:
        return w
    w = re.sub(r"(?<=[a-z])is(ation|e|ed|es|ing)$", r"iz\1", w) if _ize_word(w) else w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return w[:-2]
    if w.endswith("ss") or w.endswith("us") or w.endswith("is"):
        return w
    if w.endswith("s") and not w.endswith("'s"):
        return w[:-1]
    return w


_IZE_STEMS = (
    "optim",
    "organ",
    "standard",
    "custom",
    "visual",
    "synchron",
    "character",
    "real",
    "util",
    "special",
    "initial",
    "normal",
    "minim",
    "maxim",
    "priorit",
    "digit",
    "author",
    "author",
    "recogn",
    "summar",
    "categor",
    "palet",
    "pallet",
    "virtual",
    "local",
    "industrial",
    "modern",
    "central",
    "parameter",
    "serial",
    "stabil",
    "steril",
    "emphas",
)


def _ize_word(w: str) -> bool:
    return w.startswith(_IZE_STEMS) and re.search(r"is(ation|e|ed|es|ing)$", w) is not None


# -- keys -------------------------------------------------------------------------------------------

_PUNCT_RE = re.compile(r"[\s\W_]+", re.UNICODE)
_WORD_RE = re.compile(r"[a-z0-9]+|[^\sa-z0-9]", re.UNICODE)
_WORDS_RE = re.compile(r"[^\W_]+", re.UNICODE)
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def simple_key(text: str) -> str:
    """NFKC, case-folded, every run of spaces and punctuation removed: ``"Teach-in  Programming"`` →
    ``"teachinprogramming"``. Two texts with the same simple key differ only in case, width, spacing
    and punctuation (the linker's ``normalised`` method)."""
    return _PUNCT_RE.sub("", unicodedata.normalize("NFKC", text).casefold())


def norm_key(text: str, lang: str = "en") -> str:
    """``simple_key`` after English words are lemmatised: ``"Robot Simulations"`` → ``"robotsimulation"``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if lang == "en" or not _CJK_RE.search(folded):
        words = _WORDS_RE.findall(folded)
        return "".join(en_lemma(w) if w.isascii() else w for w in words)
    return _PUNCT_RE.sub("", folded)


def token_norm(token_text: str) -> str:
    """The NORM a token carries for the phrase matcher: lower case, lemma for ASCII words."""
    low = token_text.lower()
    if low.isascii() and low.isalpha():
        return en_lemma(low)
    return low


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def is_ascii_word_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


def intern(text: str) -> str:
    return sys.intern(text)
