"""Which language a document is written in: Chinese, English, or something we refuse to read.

The extractor has pipelines for ``zh`` and ``en`` only. A document in another language must never be
read as "mentions no skill": it is refused with ``UnsupportedLanguage``. Detection is by script first
(Han, kana, hangul, Cyrillic, Arabic …) and, for Latin-script text, by the share of function words of
English against French, German, Spanish, Italian, Portuguese and Dutch — reliable on documents of a few
sentences, which is what syllabi, postings and standards are. Too little text to tell is an error
asking for ``--lang``.
"""

from __future__ import annotations

import re
from collections import Counter

from ieic_kg.errors import SourceError

SUPPORTED_LANGUAGES = ("zh", "en")

_LANGUAGE_NAMES = {
    "zh": "Chinese",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian (Cyrillic script)",
    "ar": "Arabic",
    "th": "Thai",
    "el": "Greek",
    "he": "Hebrew",
    "hi": "Hindi (Devanagari)",
}


class UnsupportedLanguage(SourceError):
    """The document's language has no extraction pipeline (only zh and en have)."""

    title = "Unsupported language"

    def __init__(self, language: str, *, file: str | None = None, detected: bool = True) -> None:
        name = _LANGUAGE_NAMES.get(language, language)
        how = "detected as" if detected else "given as"
        super().__init__(
            f"document language {how} {name} ({language}); skills can be extracted from Chinese (zh) and "
            "English (en) only — the document is not read rather than read as mentioning no skill",
            file=file,
            hint="translate it, or pass --lang zh|en if the detection is wrong",
        )
        self.language = language


_SCRIPTS: list[tuple[str, re.Pattern[str]]] = [
    ("ja", re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")),  # kana
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("zh", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f]")),
]

_FUNCTION_WORDS = {
    "en": "the and of to in for with a an is are be on as by or from this that will you we our your "
    "at it have has not can who which their more all years experience",
    "fr": "le la les de des du et en un une est sont pour avec dans sur au aux par ce cette qui que "
    "nous vous votre notre pas ou être avoir expérience ans",
    "de": "der die das und ist sind mit für von den dem des ein eine zu im auf nicht wir sie ihr "
    "oder bei auch als werden erfahrung jahre",
    "es": "el la los las de del y en un una es son para con por que se al su sus nuestro como o experiencia años",
    "it": "il lo la gli le di del della e è in un una per con che non sono al alla dei delle nostro esperienza anni",
    "pt": "o a os as de do da dos das e em um uma para com que não por ao na no é são seu sua experiência anos",
    "nl": "de het een en van in is op te met voor zijn niet dat die wij je ons of bij ervaring jaar",
}
_WORD_SETS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_WORD_RE = re.compile(r"[a-zà-ÿ']+")


def detect_language(text: str, *, file: str | None = None) -> str:
    """``"zh"`` or ``"en"``; raises ``UnsupportedLanguage`` for another language, ``SourceError`` when
    there is too little text to tell."""
    counts: Counter[str] = Counter()
    for name, pattern in _SCRIPTS:
        counts[name] = len(pattern.findall(text))
    letters = sum(counts.values())
    if letters == 0:
        raise SourceError("the document has no text to read", file=file, hint="is it a scanned PDF without text?")
    # kana in any amount marks Japanese (Japanese text mixes kana into kanji)
    if counts["ja"] >= max(5, 0.05 * counts["zh"]):
        raise UnsupportedLanguage("ja", file=file)
    script, n = max(((k, v) for k, v in counts.items() if k not in ("latin",)), key=lambda kv: kv[1])
    han = counts["zh"]
    if (script == "zh" and han >= 0.15 * letters) or (han >= 20 and han >= counts["latin"] / 8):
        return "zh"
    if n > counts["latin"]:
        raise UnsupportedLanguage(script, file=file)
    words = _WORD_RE.findall(text.lower())
    scores = {lang: sum(1 for w in words if w in ws) for lang, ws in _WORD_SETS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 3:
        if _mostly_ascii(text) and max(v for k, v in scores.items() if k != "en") < 2:
            return "en"  # short, technical English ("PLC, Python, EtherCAT") has few function words
        raise SourceError(
            "too little text to tell the document's language", file=file, hint="pass --lang zh or --lang en"
        )
    if best != "en" and scores[best] >= 1.5 * max(scores["en"], 1):
        raise UnsupportedLanguage(best, file=file)
    return "en"


def _mostly_ascii(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) >= 0.97 * len(letters)


def check_language(lang: str, *, file: str | None = None) -> str:
    """A language given by the user: ``zh`` or ``en`` (``zh-CN``, ``en-GB`` … accepted); else refused."""
    primary = lang.strip().lower().replace("_", "-").split("-")[0]
    if primary not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage(primary, file=file, detected=False)
    return primary
