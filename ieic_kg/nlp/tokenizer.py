"""Tokenisers: Chinese by character (or jieba words), English by spaCy's rules; NORMs for the matcher.

Chinese text is matched character by character: a label matches wherever its characters occur, so
"工业机器人编程" contains both "机器人编程" and "工业机器人编程" whatever a word segmenter would say.
Runs of Latin letters and of digits stay whole tokens ("PLC编程" → PLC 编 程; "ISO10218" → ISO 10218),
so "PLC" never matches inside "PLCSIM". ``segmenter="jieba"`` segments Chinese into jieba words instead
(labels are added to jieba's dictionary so they come out whole); it is slower and misses labels that
cross a word boundary, and is kept for comparison and for term discovery.

Every token's NORM is its lower-case form, with English plural nouns and British spellings reduced
(``text.token_norm``); the phrase matcher compares NORMs. The tokenisers see text whose width
variants were folded (``text.fold_width``), which keeps every offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.attrs import NORM
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ieic_kg.nlp.text import fold_width, token_norm

_ZH_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+|\s+|.", re.S)


class ZhCharTokenizer:
    """Chinese characters one by one; Latin-letter and digit runs whole; whitespace as spaCy keeps it."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = _split(_ZH_TOKEN.findall(fold_width(text)))
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["text"] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for t in texts:
            yield self(t)

    # spaCy calls these when it serialises the pipeline; the tokenizer has no state of its own
    def to_bytes(self, **_: Any) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **__: Any) -> ZhCharTokenizer:
        return self

    def to_disk(self, _path: Any, **__: Any) -> None:
        return None

    def from_disk(self, _path: Any, **__: Any) -> ZhCharTokenizer:
        return self


class ZhJiebaTokenizer(ZhCharTokenizer):
    """Chinese segmented into jieba words (a private jieba dictionary with the labels added)."""

    def __init__(self, vocab: Vocab, words: Iterable[str] = ()) -> None:
        import jieba

        super().__init__(vocab)
        self.jieba = jieba.Tokenizer()
        self.jieba.initialize()
        for w in words:
            self.jieba.add_word(w, freq=100_000)

    def __call__(self, text: str) -> Doc:
        pieces: list[str] = []
        for w in self.jieba.cut(fold_width(text), HMM=False):
            pieces.extend(_ZH_TOKEN.findall(w) if re.search(r"[A-Za-z0-9\s]", w) else [w])
        words, spaces = _split(pieces)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["text"] = text
        return doc


class EnTokenizer:
    """spaCy's English rule tokenizer over the width-folded text; keeps the original text aside."""

    def __init__(self, base: Any) -> None:
        self.base = base
        self.vocab = base.vocab

    def __call__(self, text: str) -> Doc:
        doc = self.base(fold_width(text))
        doc.user_data["text"] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for t in texts:
            yield self(t)

    def reset_cache(self) -> None:
        """Empty spaCy's cache of tokenised chunks. It keeps at most 10,000 chunks and then stops adding: after
        the label patterns were tokenised it is full of label words, and documents' words would never be cached
        (assigning the rules is spaCy's public way of flushing it)."""
        self.base.rules = self.base.rules

    def to_bytes(self, **_: Any) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **__: Any) -> EnTokenizer:
        return self

    def to_disk(self, _path: Any, **__: Any) -> None:
        return None

    def from_disk(self, _path: Any, **__: Any) -> EnTokenizer:
        return self


def _split(pieces: list[str]) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags that rebuild the text exactly (spaCy's convention)."""
    words: list[str] = []
    spaces: list[bool] = []
    for p in pieces:
        if p.isspace() and words and not spaces[-1] and not words[-1].isspace() and p[0] == " ":
            spaces[-1] = True
            p = p[1:]
            if not p:
                continue
        words.append(p)
        spaces.append(False)
    return words, spaces


def blank_pipeline(lang: str, segmenter: str = "char", words: Iterable[str] = ()) -> Language:
    """A blank spaCy pipeline for ``lang`` with our tokenizer and NORMs; no model is loaded."""
    import spacy

    if lang == "zh":
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
        nlp.tokenizer = ZhJiebaTokenizer(nlp.vocab, words) if segmenter == "jieba" else ZhCharTokenizer(nlp.vocab)
    elif lang == "en":
        nlp = spacy.blank("en")
        base = nlp.tokenizer
        # spaCy's tokenizer stops caching the rest of a text once one of its special cases occurs in it (a
        # per-text flag, spaCy issue #1250), and "\n" is a special case: a posting's first line break turned the
        # cache off for the whole posting. The whitespace special cases only say that "\n" is one token, which
        # the affix rules give anyway: without them the tokens are the same and the cache works.
        base.rules = {k: v for k, v in base.rules.items() if k.strip()}  # type: ignore[union-attr]
        nlp.tokenizer = EnTokenizer(base)
    else:  # pragma: no cover - callers check the language first
        raise ValueError(lang)
    getters = dict(nlp.vocab.lex_attr_getters)  # type: ignore[attr-defined]
    getters[NORM] = token_norm
    nlp.vocab.lex_attr_getters = getters  # type: ignore[attr-defined]
    for lex in nlp.vocab:
        lex.norm_ = token_norm(lex.orth_)
    return nlp
