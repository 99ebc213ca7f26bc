"""Similarity linking: a clause no label names, linked to the concept whose names and definition it is most like.

A syllabus says 完成工业相机与镜头选型 and a posting "wire a control cabinet"; no label of the taxonomy is in
either, but the definition of 机器视觉 says 能完成工业相机、镜头与光源选型 and that of *Electrical wiring* "can wire
control cabinets". The ``SimilarityIndex`` holds every name (label, alternative and hidden label) of the label
set and every clause of the concepts' definitions, as TF-IDF vectors (scikit-learn): character bigrams of the
Chinese text and whole Latin words for Chinese, Snowball word stems without stop words for English. A query —
a clause of a document that no mention covers — links to the concept of the most similar phrase when the
cosine similarity reaches the threshold and beats the best phrase of any *other* concept by the margin.

The extractor calls it last, for the clauses the matcher, the paraphrases and fuzzy linking left without a
mention (``extractor.link``, method ``similar``), and only when asked (``build_extractor(..., similar_threshold=)``):
tuned on the dev half of the evaluation set, it does not raise linking F1 on the held-out half (eval/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ieic_kg.nlp.labels import LabelEntry
from ieic_kg.nlp.text import fold_width

#: Threshold (cosine similarity of a clause and its nearest phrase; tuned on the dev half) and margin over the
#: next concept.
SIMILAR_THRESHOLD = 0.5
SIMILAR_MARGIN = 0.1

_DEF_SPLIT = {
    "zh": re.compile(r"[，,；;。：:（）()\n]"),
    "en": re.compile(r"(?<=[.;:])\s+|\n|,\s+(?:and\s+)?(?=[a-z])"),
}
_DEF_LEAD = {
    "zh": re.compile(r"^(?:能够|能|掌握|了解|理解|熟悉|并)+"),
    "en": re.compile(r"^(?:(?:can|is able to|able to|knows?|understands?|and)\s+)+", re.IGNORECASE),
}
_LATIN = re.compile(r"[a-z0-9][a-z0-9+#./&-]*[a-z0-9+#]|[a-z0-9]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_EN_WORD = re.compile(r"[a-z0-9][a-z0-9+#&'-]*")


def zh_features(text: str) -> list[str]:
    """Chinese features: the character bigrams of each run of Chinese characters (a single character when
    the run has one) and each Latin word or code (PLC, S7-1200, iso) whole."""
    folded = fold_width(text).lower()
    out = [w for w in _LATIN.findall(folded) if len(w) > 1 or w.isdigit()]
    for run in _CJK_RUN.findall(folded):
        out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return out


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def en_features(text: str) -> list[str]:
    """English features: the Snowball stem of each word that is not a stop word ("wiring", "wire" → wire)."""
    stop = _stop_words()
    return [_stem(w) for w in _EN_WORD.findall(fold_width(text).lower()) if w not in stop]


FEATURES = {"zh": zh_features, "en": en_features}


def definition_phrases(definition: str, lang: str) -> list[str]:
    """The clauses of a definition, lead words ("能", "Can") left out: each is one phrase of the index."""
    out = []
    for piece in _DEF_SPLIT[lang].split(definition or ""):
        p = _DEF_LEAD[lang].sub("", piece.strip()).strip(" .;")
        if len(p) >= 2:
            out.append(p)
    return out


def _group(definition: str) -> bool:
    return "总称" in definition or definition.lower().startswith("umbrella term")


class SimilarityIndex:
    """TF-IDF vectors of the names and definition clauses of the concepts of one language."""

    def __init__(self, phrases: Sequence[tuple[str, str]], lang: str) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.lang = lang
        kept = [(iri, text) for iri, text in phrases if FEATURES[lang](text)]
        self.iris = np.array([iri for iri, _ in kept], dtype=object)
        self.phrases = [text for _, text in kept]
        self.vectorizer = TfidfVectorizer(analyzer=FEATURES[lang], sublinear_tf=True, dtype=np.float32)
        self.matrix = self.vectorizer.fit_transform(self.phrases).tocsc() if kept else None

    def __len__(self) -> int:
        return len(self.phrases)

    def nearest(self, texts: Sequence[str], top: int = 8) -> list[list[tuple[str, float, str]]]:
        """For each text, the concepts of its most similar phrases, best first: (IRI, cosine, phrase), one entry
        per concept (its best phrase), at most ``top`` phrases looked at. A text with fewer than two features the
        index knows gets none: one shared word (软件, "system") says too little."""
        if self.matrix is None or not texts:
            return [[] for _ in texts]
        queries = self.vectorizer.transform(texts).tocsr()
        known = np.diff(queries.indptr)
        scores = (queries @ self.matrix.T).tocsr()
        out: list[list[tuple[str, float, str]]] = []
        for i in range(len(texts)):
            row = scores.getrow(i)
            if not row.nnz or known[i] < 2:
                out.append([])
                continue
            order = np.argsort(-row.data)[:top]
            seen: dict[str, tuple[str, float, str]] = {}
            for j in order:
                k = int(row.indices[j])
                iri = str(self.iris[k])
                if iri not in seen:
                    seen[iri] = (iri, float(row.data[j]), self.phrases[k])
            out.append(list(seen.values()))
        return out

    def coverage(self, text: str, phrase: str) -> float:
        """The share of ``text``'s known features, weighted by IDF, that ``phrase`` has too: 1.0 when the phrase
        says all that the text says ("robot welding cell set-up" in "Robotic welding cell commissioning"), 0.5
        for "hydraulic troubleshooting" against "troubleshoot system"."""
        vocabulary, idf = self.vectorizer.vocabulary_, self.vectorizer.idf_
        analyse = FEATURES[self.lang]
        known = {f: float(idf[vocabulary[f]]) for f in analyse(text) if f in vocabulary}
        if not known:
            return 0.0
        theirs = set(analyse(phrase))
        return sum(w for f, w in known.items() if f in theirs) / sum(known.values())


def similarity_phrases(
    entries: Iterable[LabelEntry], definitions: Mapping[str, Mapping[str, str]], lang: str
) -> list[tuple[str, str]]:
    """(IRI, phrase) pairs for the index of ``lang``: each name in ``entries`` (the extractor's labels of the
    language), then the clauses of each named concept's definition in it. Definitions of groups (…相关能力的总称,
    "Umbrella term for …") list their members' fields, not a task of their own, and are left out."""
    groups = {iri for iri, texts in definitions.items() if any(_group(t) for t in texts.values())}
    out: list[tuple[str, str]] = []
    named: set[str] = set()
    for e in entries:
        if e.iri not in groups:
            out.append((e.iri, e.text))
            named.add(e.iri)
    for iri, texts in definitions.items():
        text = texts.get(lang)
        if iri in named and text:
            out.extend((iri, p) for p in definition_phrases(text, lang))
    return out
