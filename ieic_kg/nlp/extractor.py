"""The extractor: spaCy pipelines that find skill (and other entity) mentions and link them to IRIs.

Per language one blank spaCy pipeline (no model, nothing downloaded) with:

1. a tokenizer (``tokenizer.py``) — Chinese by character, English by spaCy's rules — whose tokens
   carry NORMs (lower case, English plurals and British spellings reduced);
2. ``ieic_layout`` — sections, clauses, cues, levels and sentences by rules (``sections.py``);
3. ``ieic_matcher`` — a ``PhraseMatcher`` on NORM over every label and alternative label of the
   label set and their spelling variants (hyphens, slashes, "X (Y)" qualifiers);
4. ``ieic_linker`` — resolves each candidate span to an IRI and says how (``method``) and how sure
   (``confidence``): ``exact`` 1.0 (the text is a label as written), ``normalised`` 0.95 (case, width,
   spacing or punctuation differ), ``lemma`` 0.9 (plural/spelling), ``abbreviation`` 0.85 (an
   abbreviation the document defines, "Tool Centre Point (TCP)"), ``homophone`` 0.8 (a Chinese label typed
   with characters of the same sound: 示教编成), ``fuzzy`` 0.5–0.85 (rapidfuzz
   ``ratio`` of the normalised forms ≥ the threshold, 90 by default, for terms the matcher missed).
   An alternative label costs 0.02, a hidden label (a task phrase of a definition) 0.1. Short upper-case
   labels (acronyms: PLC, CAM, MES) match only in upper case. When one span names several entities, the
   type wins first (``type_priority``), then a label as written over an abbreviation over a fuzzy link,
   then the ``prefer_sources`` order, then the document's context (the entity whose IRI namespace the
   document's unambiguous mentions share), then the confidence and a preferred label over an alternative
   one; the confidence of a resolved ambiguity is multiplied by 0.9. Longer matches win over the shorter
   ones inside them; ``spans.py`` then sets each mention's bounds (verbs, brands, activity nouns) and drops
   matches inside names (titles, organisations, places, job titles) or that are only a means.

``Extractor.pipe`` runs ``nlp.pipe``; results travel as plain tuples in ``doc.user_data`` so that
``n_process`` > 1 works.
"""

from __future__ import annotations

import os
import pickle
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.attrs import IDX, LENGTH, NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ieic_kg.nlp.labels import ENTITY_TYPES, LabelEntry, description_labels, label_set_hash
from ieic_kg.nlp.labels import TASK_END as _DESC_TASK_END
from ieic_kg.nlp.sections import META_FIELDS, SECTION_CUES, SECTION_NAMES, TITLE_FIELDS, layout
from ieic_kg.nlp.similar import SIMILAR_MARGIN, SimilarityIndex, similarity_phrases
from ieic_kg.nlp.spanmodel import load_span_model, model_spans
from ieic_kg.nlp.spans import EN_HEADS, EN_NAME_HEADS, EN_VERBS, refine, zh_noun
from ieic_kg.nlp.synonyms import read_synonyms, with_synonyms
from ieic_kg.nlp.text import en_lemma, fold_width, has_cjk, norm_key, simple_key
from ieic_kg.nlp.tokenizer import blank_pipeline

#: Version of the extraction rules; part of the cache key.
RULES_VERSION = "6"

CONFIDENCE = {
    "exact": 1.0,
    "normalised": 0.95,
    "lemma": 0.9,
    "abbreviation": 0.85,
    "paraphrase": 0.8,
    "homophone": 0.8,
}
FUZZY_MIN, FUZZY_MAX = 0.5, 0.85
#: Confidence of a similarity link: this times the cosine similarity (so at most 0.75).
SIMILAR_CONFIDENCE = 0.75
#: Review suggestions: the least fuzzy ratio (0–100) of a near spelling, the least TF-IDF cosine of a name.
SUGGEST_FUZZY = 80.0
SUGGEST_SIMILAR = 0.5
#: … and the least share of the term's telling words (IDF-weighted) the suggested name must have.
SUGGEST_COVERAGE = 0.7


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention found in a text; offsets are character offsets (code points) in that text.

    ``iri`` is None for a candidate term that links to nothing (``method`` "candidate"), which the
    extractor reports only when built with ``candidates=True``. ``cue`` is "required", "preferred",
    "negated" or None; ``level`` the standard level of the enclosing level section; ``mastery`` the
    curriculum-map level (I, R, M) a syllabus states for it, None when no cue says; ``sentence`` the
    bounds of the sentence it was found in (the evidence); ``matched`` the label it was linked through.
    """

    start: int
    end: int
    text: str
    label: str
    iri: str | None
    method: str
    confidence: float
    section: str
    cue: str | None
    level: int | None
    mastery: str | None = None
    sentence: tuple[int, int] | None = None
    matched: str | None = None


# -- the label index -----------------------------------------------------------------------------------


_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&+\-]{1,5}$")
_ZH_VERB_SUFFIX = re.compile(
    r"^(?P<obj>[\u4e00-\u9fffA-Za-z0-9 ]+?)"
    r"(?P<verb>标定|编程|调试|安装|配置|选型|维护|保养|操作|检测|诊断|设计|测量|组态|装配|识读|部署|加工|编制|编写|撰写|绘制|使用)$"
)
_PAREN = re.compile(r"\s*[(（][^()（）]*[)）]\s*")


def latin_name(text: str) -> bool:
    """True for an English label a Chinese text may write as it is: a name in Latin script of at most four
    words, each capitalised or holding a capital or a digit (PLC, EtherCAT, TIA Portal, C++, ISO 10218,
    "Python (computer programming)"), not an English phrase ("use hand tools", "Robot operation")."""
    if not text.isascii():
        return False
    words = _PAREN.sub(" ", text).split()
    if not words or len(words) > 4:
        return False
    return all(not w[0].isalpha() or w[0].isupper() or any(c.isupper() or c.isdigit() for c in w) for w in words)


def usable_labels(entries: Sequence[LabelEntry]) -> list[LabelEntry]:
    """The labels worth matching: an alternative label that is one lower-case English word ("plan",
    "design", "lead", "valves", "source") is a common word more often than a skill name, so it is kept only
    when the concept's preferred label contains it ("welding" of "welding techniques"); one-word preferred
    labels that are everyday words (``EVERYDAY_WORDS``: "plan", "lead", "report") are not matched either."""
    preferred: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.kind == "label" and e.lang == "en":
            preferred[e.iri].update(re.findall(r"[a-z0-9+#]+", e.text.lower()))
    return [
        e
        for e in entries
        if not (
            _common_word(e.text)
            and (e.text in EVERYDAY_WORDS or (e.kind != "label" and e.text not in preferred[e.iri]))
        )
    ]


def _common_word(text: str) -> bool:
    return text.isascii() and text.isalpha() and text.islower() and " " not in text


#: One-word preferred labels of ESCO that are everyday English words far more often than skill names.
EVERYDAY_WORDS = frozenset(
    [
        "lead",
        "plan",
        "detect",
        "report",
        "computer",
        "database",
        "energy",
        "dust",
        "hair",
        "iron",
        "collections",
        "delegate",
        "engineering",
        "migration",
        "logging",
        "literature",
        "history",
        "bake",
        "sing",
        "swim",
        "improvise",
        "negotiate",
        "embroider",
        "brainstorm",
        "crafting",
        "coining",
        "dies",
        "abstracts",
        "protein",
        "prayer",
        "consultation",
        "curiosity",
        "morality",
        "logic",
        "camera",
        "cameras",
    ]
)


def _variants(text: str, lang: str) -> set[str]:
    """Surface forms under which a label is matched (all link as normalised/lemma, never exact)."""
    out = {text}
    if has_cjk(text):
        out.add(text.replace(" ", ""))
    if re.search(r"[-/‐]", text):
        out.add(re.sub(r"\s*[-/‐]\s*", " ", text))
        if re.search(r"\w-\w", text):
            out.add(re.sub(r"(?<=\w)-(?=\w)", "", text))
    m = _ZH_VERB_SUFFIX.match(text)
    if m and len(m.group("obj")) >= 2:
        out.add(m.group("verb") + m.group("obj"))  # 工具坐标系标定 → 标定工具坐标系
        if m.group("verb") == "识读" and len(m.group("obj")) >= 3:
            out.add(m.group("obj"))  # 电气原理图识读: a drawing named is the skill of reading it
    if _PAREN.search(text):
        bare = _PAREN.sub(" ", text).strip()
        if len(bare.split()) >= 2 or (has_cjk(bare) and len(bare) >= 3):
            out.add(bare)
    return {v for v in out if v.strip()}


class LabelIndex:
    """The label set of one language, ready for matching and linking.

    ``by_key`` maps the normalised key of every label variant to its entries. For fuzzy linking the keys
    are blocked: English keys by their words (``word_keys``) and one-word keys by their first three
    letters (``prefix_keys``); Chinese keys by character bigrams (``bigram_keys``).
    """

    def __init__(self, entries: Sequence[LabelEntry], lang: str) -> None:
        self.lang = lang
        self.entries = list(entries)
        self.by_key: dict[str, list[int]] = defaultdict(list)  # norm_key → entry ids
        self.variant_texts: list[str] = []
        seen_variants: set[str] = set()
        words: dict[str, list[str]] = {}
        heads: dict[str, str] = {}
        for i, e in enumerate(self.entries):
            for v in _variants(e.text, lang):
                if v not in seen_variants:
                    seen_variants.add(v)
                    self.variant_texts.append(v)
                key = norm_key(v, lang)
                ids = self.by_key[key]
                if key and i not in ids:
                    ids.append(i)
                    if key not in words:
                        words[key] = _words(v)
                        heads[key] = _head(v)
        self.by_iri: dict[str, list[int]] = defaultdict(list)  # IRI → entry ids
        for i, e in enumerate(self.entries):
            self.by_iri[e.iri].append(i)
        self.keys = list(self.by_key)
        self.key_words = [frozenset(words.get(k, ())) for k in self.keys]
        self.key_heads = [heads.get(k, "") for k in self.keys]
        self.word_keys: dict[str, list[int]] = defaultdict(list)
        self.prefix_keys: dict[str, list[int]] = defaultdict(list)
        self.word_len_keys: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.bigram_keys: dict[str, list[int]] = defaultdict(list)
        for k, key in enumerate(self.keys):
            if has_cjk(key):
                for b in {key[i : i + 2] for i in range(len(key) - 1)} or {key}:
                    self.bigram_keys[b].append(k)
                continue
            kw = self.key_words[k]
            for w in kw:
                self.word_keys[w].append(k)
                self.word_len_keys[(w, len(key))].append(k)
            if len(kw) == 1:
                self.prefix_keys[key[:3]].append(k)
        # Chinese labels of three or more characters by their sound: 示教编程 under "shi jiao bian cheng"
        # (keys by the sound of their first two characters, and each key's sound)
        self.sound_starts: dict[str, list[str]] = defaultdict(list)
        self.key_sounds: dict[str, str] = {}
        if lang == "zh":
            for key in self.keys:
                if len(key) >= 3 and _ALL_CJK.fullmatch(key):
                    self.key_sounds[key] = sound(key)
                    self.sound_starts[" ".join(self.key_sounds[key].split(" ")[:2])].append(key)

    def variants(self) -> list[str]:
        return self.variant_texts

    def fuzzy_candidates(self, key: str, words: set[str]) -> list[int]:
        """Ids of keys that may be within fuzzy reach of ``key`` (with ``words`` its words)."""
        if has_cjk(key):
            out: set[int] = set()
            for i in range(len(key) - 1):
                out.update(self.bigram_keys.get(key[i : i + 2], ()))
            return list(out)
        if len(words) <= 1:
            return list(self.prefix_keys.get(key[:3], ()))
        # a fuzzy match shares a word and is of about the same length (ratio ≥ 80 allows ±20 %)
        lo, hi = int(len(key) * 0.8), int(len(key) * 1.25) + 1
        common = [w for w in words if len(self.word_keys.get(w, ())) > 3000]
        out = set()
        for w in words:
            if w in common and len(common) < len(words):
                continue  # "system", "management": the other words block well enough
            for n in range(lo, hi + 1):
                out.update(self.word_len_keys.get((w, n), ()))
        return list(out)

    def superset_keys(self, words: set[str]) -> list[int]:
        """Ids of keys whose words include all of ``words``."""
        lists = sorted((self.word_keys.get(w, []) for w in words), key=len)
        if not lists or not lists[0]:
            return []
        found = set(lists[0])
        for ids in lists[1:]:
            found.intersection_update(ids)
            if not found:
                break
        return list(found)


_STOP_WORDS = frozenset(["a", "an", "the", "of", "and", "or", "for", "in", "on", "to", "with", "by", "at", "from"])


_WORD = re.compile(r"[^\W_]+")
_ABBREVIATION_AFTER = re.compile(r"\s*[(（]\s*([A-Z][A-Za-z]{1,7})\s*[)）]")


def _head(text: str) -> str:
    """The head word of an English noun phrase: the last word before "of", else the last word."""
    before_of = re.split(r"\s+of\s+", text.strip(), maxsplit=1)[0]
    words = _words(before_of)
    return words[-1] if words else ""


def _words(text: str) -> list[str]:
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return [en_lemma(w) for w in words if w not in _STOP_WORDS]


def _namespace(iri: str) -> str:
    return iri.rsplit("/", 1)[0]


# -- components ----------------------------------------------------------------------------------------


class _State:
    """What the pipeline components share: the index, the matcher and the options."""

    def __init__(
        self,
        nlp: Language,
        index: LabelIndex,
        *,
        fuzzy_threshold: float,
        candidates: bool,
        type_priority: Sequence[str],
        prefer_sources: Sequence[str],
        patterns: PatternSet | None = None,
        refine: bool = True,
        similar: SimilarityIndex | None = None,
        similar_threshold: float = 1.0,
        similar_margin: float = SIMILAR_MARGIN,
        span_model: bool = False,
    ) -> None:
        self.index = index
        self.span_model = span_model
        self.similar = similar if similar is not None and len(similar) else None
        self.similar_threshold = similar_threshold
        self.similar_margin = similar_margin
        self.refine = refine
        self.lang = index.lang
        self.fuzzy_threshold = fuzzy_threshold
        self.candidates = candidates
        self.type_priority = {t: i for i, t in enumerate(type_priority)}
        self.prefer_sources = {s: i for i, s in enumerate(prefer_sources)}
        self.fuzzy_memo: dict[str, list[tuple[LabelEntry, str, float]]] | None = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        if patterns is None:
            patterns = PatternSet.tokenize(nlp, index)
        self.patterns = patterns
        self.matcher.add("LABEL", patterns.docs(nlp))
        self.token_keys = patterns.token_keys


@dataclass
class PatternSet:
    """The matcher's patterns as token lists (what the cache keeps) and the NORM hashes of a pattern's tokens
    → its label key."""

    words: list[list[str]]
    spaces: list[list[bool]]
    token_keys: dict[tuple[int, ...], str]

    @classmethod
    def tokenize(cls, nlp: Language, index: LabelIndex) -> PatternSet:
        words: list[list[str]] = []
        spaces: list[list[bool]] = []
        token_keys: dict[tuple[int, ...], str] = {}
        for doc in nlp.tokenizer.pipe(index.variants()):  # type: ignore[union-attr]
            words.append([t.text for t in doc])
            spaces.append([bool(t.whitespace_) for t in doc])
            norms = tuple(doc.to_array(NORM).tolist())
            token_keys.setdefault(norms, norm_key(doc.user_data["text"], index.lang))
        reset = getattr(nlp.tokenizer, "reset_cache", None)
        if reset is not None:
            reset()  # the documents' words, not the labels', should fill the tokenizer's cache
        return cls(words, spaces, token_keys)

    def docs(self, nlp: Language) -> list[Doc]:
        return [Doc(nlp.vocab, words=w, spaces=s) for w, s in zip(self.words, self.spaces, strict=True)]


def _layout_component(doc: Doc) -> Doc:
    doc.user_data["layout"] = layout(fold_width(doc.user_data["text"]), doc.user_data.get("lang", "en"))
    return doc


class Matcher:
    def __init__(self, state: _State) -> None:
        self.state = state

    def __call__(self, doc: Doc) -> Doc:
        matches = self.state.matcher(doc)
        spans = []
        if matches:
            norms, idx, length = doc.to_array([NORM, IDX, LENGTH]).T.tolist()
            for _, start, end in matches:
                spans.append((idx[start], idx[end - 1] + length[end - 1], tuple(norms[start:end])))
        doc.user_data["matches"] = spans
        return doc


class Linker:
    def __init__(self, state: _State) -> None:
        self.state = state

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data["mentions"] = link(self.state, doc)
        doc.user_data.pop("layout", None)
        doc.user_data.pop("matches", None)
        return doc


def link(state: _State, doc: Doc) -> list[tuple[Any, ...]]:
    text: str = doc.user_data["text"]
    lay = doc.user_data["layout"]
    index = state.index
    # 1. candidates from the matcher, longest first; drop those inside a longer one
    raw = sorted(set(doc.user_data["matches"]), key=lambda m: (-(m[1] - m[0]), m[0]))
    taken = _Taken(len(text))
    found: list[tuple[int, int, list[tuple[LabelEntry, str, float]]]] = []
    for start, end, tk in raw:
        if taken.overlaps(start, end):
            continue
        if not _boundaries_ok(text, start, end):
            continue
        surface = text[start:end]
        if state.lang == "en" and _attributive(text, start, end):
            continue
        key = state.token_keys.get(tk) or norm_key(surface, state.lang)
        options = []
        for i in index.by_key.get(key, ()):
            entry = index.entries[i]
            scored = _score(entry, surface)
            if scored is not None:
                options.append((entry, *scored))
        if not options:
            continue
        taken.add(start, end)
        found.append((start, end, options))
    # 2. abbreviations the document defines: "Tool Centre Point (TCP)" → TCP links like the long form
    for start, end, options in list(found):
        m = _ABBREVIATION_AFTER.match(text, end, end + 14)
        if not m or not _abbreviates(m.group(1), text[start:end]):
            continue
        abbr = m.group(1)
        for am in re.finditer(rf"(?<![A-Za-z0-9]){re.escape(abbr)}(?![A-Za-z0-9])", text):
            s, e = am.start(), am.end()
            if not taken.overlaps(s, e):
                taken.add(s, e)
                found.append((s, e, [(o[0], "abbreviation", CONFIDENCE["abbreviation"]) for o in options]))
    # 2b. Chinese labels written with other characters of the same sound (pinyin typing errors)
    if state.lang == "zh" and state.index.key_sounds:
        for start, end, options in _homophones(state, text):
            if not taken.overlaps(start, end):
                taken.add(start, end)
                found.append((start, end, options))
    # 3. fuzzy linking (and candidate terms) for chunks the matcher did not cover
    if state.fuzzy_threshold < 100 or state.candidates:
        for start, end in _chunks(text, lay, state.lang, skip=taken.overlaps):
            if taken.overlaps(start, end):
                continue
            para = _paraphrase(state, text, start, end)
            if para is not None and not taken.overlaps(para[0], end):
                taken.add(para[0], end)
                found.append((para[0], end, para[1]))
                continue
            fuzzy = _fuzzy(state, text[start:end])
            if fuzzy:
                taken.add(start, end)
                found.append((start, end, fuzzy))
            elif state.candidates and _candidate_term(text[start:end]):
                found.append((start, end, []))
    # 3b. a clause no mention covers, linked to the concept whose names or definition it is most like
    if state.similar is not None:
        found = [f for f in found if f[2]] + _similar(state, text, lay, taken, [f for f in found if not f[2]])
    # 3c. stretches the trained span model marks in content sections that no linked mention touches: candidates
    by_model: set[tuple[int, int]] = set()
    if state.span_model:
        by_model = {
            (s, e)
            for s, e in model_spans(doc)
            if not taken.overlaps(s, e) and _content_section(lay, s) in _CHUNK_SECTIONS and not lay.is_heading(s)
        }
        if by_model:
            found = [f for f in found if f[2] or not any(s < f[1] and f[0] < e for s, e in by_model)]
            found += [(s, e, []) for s, e in sorted(by_model)]
    # 4. the bounds of each mention, and matches that are part of a name or only a means (spans.py)
    if state.refine:
        linked = refine(text, state.lang, [f for f in found if f[2]], keep=lambda o: lay.section(o) == "title")
        found = linked + [f for f in found if not f[2] and not any(s < f[1] and f[0] < e for s, e, _ in linked)]
    # 5. disambiguate by type and context
    unambiguous = Counter(
        _namespace(opts[0][0].iri) for _, _, opts in found if len({o[0].iri for o in opts}) == 1 and opts
    )
    out: list[tuple[Any, ...]] = []
    steps: list[bool] = []
    for start, end, options in sorted(found, key=lambda f: f[0]):
        cue, mastery = lay.cues(start)
        section = lay.section(start)
        if cue is None:
            cue = SECTION_CUES.get(section)
        sentence = lay.sentence(start, end)
        if not options:
            method = "span-model" if (start, end) in by_model else "candidate"
            out.append((start, end, text[start:end], "SKILL", None, method, 0.0, section, cue,
                        lay.level(start), mastery, sentence, None))  # fmt: skip
            steps.append(False)
            continue
        entry, method, conf = _choose(state, options, unambiguous)
        out.append((start, end, text[start:end], entry.entity_type, entry.iri, method, round(conf, 3), section,
                    cue, lay.level(start), mastery, sentence, entry.text))  # fmt: skip
        steps.append(entry.kind == "hiddenLabel" or method == "similar")
    # 6. a task from a skill's definition, after a mention of the same skill in its sentence, is a step of it
    kept, named = [], set()
    for row, step in zip(out, steps, strict=True):
        if not (step and (row[4], row[11]) in named):
            kept.append(row)
        if row[4]:
            named.add((row[4], row[11]))
    # 7. examples listed for a skill named in the same sentence are not mentions of their own ("lean tools such as
    #    value stream mapping and SMED", 价值流图与快速换模等精益生产工具: the guidelines' steps inside a named skill)
    by_iri: dict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
    for row in kept:
        if row[4]:
            by_iri[(row[4], row[11])].append((row[0], row[1]))
    return [row for row in kept if not (row[4] and _example_of_named(text, row, by_iri[(row[4], row[11])]))]


_EXAMPLE_AFTER = re.compile(r"\b(?:such as|including|e\.g\.|for example|for instance|like)\b|例如|比如|包括|诸如")
_CLAUSE_STOP = re.compile(r"[;；。]|\.(?=\s)")
_EXAMPLE_BEFORE = re.compile(r"[^，,；;。：:]{0,12}等")


def _example_of_named(text: str, row: tuple[Any, ...], same: list[tuple[int, int]]) -> bool:
    """True when ``row`` is listed as an example of a mention of the same concept in its sentence (``same``):
    after it behind "such as", "including", 例如, 包括 (no clause stop between), or before it ending in 等."""
    for s, e in same:
        if e <= row[0]:
            between = text[e : row[0]]
            if _EXAMPLE_AFTER.search(between) and not _CLAUSE_STOP.search(between):
                return True
        elif row[1] <= s and _EXAMPLE_BEFORE.fullmatch(text[row[1] : s]):
            return True
    return False


_EN_HEAD_WORD = re.compile(rf"(?:{EN_HEADS})", re.IGNORECASE)
_NEXT_WORD = re.compile(r" ([a-z]+)\b")
#: Words after a one-word match that do not make it a modifier: function words, cue words and generic heads.
_NOT_A_HEAD = frozenset(
    "a an the and or of in on for to with by at from as is are be will can must should that which "  # noqa: SIM905 - a word list reads best as words
    "who this its their our your experience skills skill knowledge background required preferred "
    "desirable essential plus tasks work works techniques technique abilities ability".split()
)


def _attributive(text: str, start: int, end: int) -> bool:
    """True for a one-word lower-case match used as the modifier of the noun after it: "welding" in "welding
    power source" or "set welding parameters" names the parameters' kind, not the skill (the guidelines: a span
    names a skill, not a thing). Words after it that are activity nouns (programming, design…, ``EN_HEADS``)
    extend the mention instead, and generic heads ("welding experience") leave it a skill."""
    surface = text[start:end]
    if not (surface.isalpha() and surface.islower()):
        return False
    m = _NEXT_WORD.match(text, end)
    if m is None:
        return False
    word = m.group(1)
    return word not in _NOT_A_HEAD and not _EN_HEAD_WORD.fullmatch(word)


class _Taken:
    """The characters of a text already covered by a mention."""

    def __init__(self, length: int) -> None:
        self.mask = bytearray(length)

    def overlaps(self, start: int, end: int) -> bool:
        return 1 in self.mask[start:end]

    def add(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)


def _abbreviates(abbr: str, long_form: str) -> bool:
    """True when ``abbr`` can abbreviate ``long_form``: any Chinese long form; for an English one, its
    letters occur in order in the long form, the first one starting a word (Schwartz & Hearst 2003)."""
    if has_cjk(long_form):
        return True
    low, pos = long_form.lower(), 0
    words = [w[0] for w in re.findall(r"[a-z]+", low)]
    if not words or abbr[0].lower() not in words:
        return False
    for c in abbr.lower():
        pos = low.find(c, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _boundaries_ok(text: str, start: int, end: int) -> bool:
    """A match of Latin letters or digits must not continue a longer word ("PLC" in "PLCSIM")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    first, last = text[start], text[end - 1]
    if first.isascii() and first.isalnum() and before.isascii() and before.isalnum():
        return False
    return not (last.isascii() and last.isalnum() and after.isascii() and after.isalnum())


def _score(entry: LabelEntry, surface: str) -> tuple[str, float] | None:
    """(method, confidence) of linking ``surface`` to ``entry``, or None when it must not link."""
    label = entry.text
    if _ACRONYM.match(label) and any(c.isalpha() for c in label) and fold_width(surface) != label:
        return None  # acronyms match in upper case only: "CAM" is not "cam"
    if surface == label:
        method = "exact"
    elif simple_key(surface) == simple_key(label):
        method = "normalised"
    else:
        method = "lemma"
    conf = CONFIDENCE[method]
    if entry.kind == "hiddenLabel":
        conf -= 0.1
    elif entry.kind != "label":
        conf -= 0.02
    return method, conf


#: Methods that name the label as written (up to case, width, punctuation and plurals) rank above the others.
_METHOD_TIER = {
    "exact": 0,
    "normalised": 0,
    "lemma": 0,
    "abbreviation": 1,
    "paraphrase": 1,
    "homophone": 1,
    "fuzzy": 2,
    "similar": 3,
}


def _choose(
    state: _State, options: list[tuple[LabelEntry, str, float]], context: Counter[str]
) -> tuple[LabelEntry, str, float]:
    if len(options) == 1:
        return options[0]
    iris = {o[0].iri for o in options}

    def rank(o: tuple[LabelEntry, str, float]) -> tuple[Any, ...]:
        e, _method, conf = o
        return (
            state.type_priority.get(e.cls, state.type_priority.get(ENTITY_TYPES.get(e.cls, ""), 99)),
            _METHOD_TIER.get(_method, 3),
            state.prefer_sources.get(e.source or "", 99),
            -context.get(_namespace(e.iri), 0),
            -conf,
            e.kind != "label",
            e.iri,
        )

    best = min(options, key=rank)
    entry, method, conf = best
    if len(iris) > 1:
        conf *= 0.9
    return entry, method, conf


def _fuzzy(state: _State, chunk: str) -> list[tuple[LabelEntry, str, float]]:
    """Fuzzy links of ``chunk``, memoised per extractor (postings repeat their phrases a lot)."""
    memo = state.fuzzy_memo
    if memo is None:
        return _fuzzy_link(state, chunk)
    found = memo.get(chunk)
    if found is None:
        if len(memo) >= 100_000:
            memo.clear()
        found = memo[chunk] = _fuzzy_link(state, chunk)
    return found


#: The last word of a name (job title, organisation, room): a fuzzy match ending in it is no skill.
_NAME_HEAD_WORD = re.compile(rf"(?:{EN_NAME_HEADS})")


#: A one-word English term is worth a steward's review when it names an activity or a field: "soldering",
#: "metrology", "pneumatics" — not "reports" or "suppliers".
_EN_ACTIVITY_WORD = re.compile(r"[a-z-]+(?:ing|tion|sion|ment|ance|ence|ics|ogy|ysis|ure|ship|ry)")


def _candidate_term(term: str) -> bool:
    """Whether an unlinked chunk goes to the review queue: not a job, organisation or room ("Automation
    Engineer"), and a single lower-case English word only when it names an activity or a field."""
    if has_cjk(term):
        return True
    words = term.split()
    if _NAME_HEAD_WORD.fullmatch(words[-1]):
        return False
    return len(words) > 1 or not words[0].islower() or _EN_ACTIVITY_WORD.fullmatch(words[0]) is not None


def _fuzzy_link(state: _State, chunk: str) -> list[tuple[LabelEntry, str, float]]:
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Indel

    key = norm_key(chunk, state.lang)
    cjk = has_cjk(key)
    if len(key) < (3 if cjk else 5):
        return []
    if not cjk and _NAME_HEAD_WORD.fullmatch(chunk.rsplit(maxsplit=1)[-1]):
        return []  # "Mechanical Designer" is a job, a room or a company, however near "Mechanical design" it is
    index = state.index
    threshold = state.fuzzy_threshold
    words = set() if cjk else set(_words(chunk))
    ids = index.fuzzy_candidates(key, words)
    best_score, best_keys = 0.0, []
    if ids:
        choices = [index.keys[k] for k in ids]
        hits = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=5)
        if hits:
            best_score = hits[0][1]
            best_keys = [h[0] for h in hits if h[1] == best_score]
    if not best_keys and cjk:
        # a label of four or more characters inside the term with at most two characters inserted
        # ("相机标定" in "相机内参标定"): a fuzzy link at the threshold
        for k in ids:
            cand = index.keys[k]
            if len(cand) >= 4 and 0 < len(key) - len(cand) <= 2 and Indel.distance(key, cand) == len(key) - len(cand):
                best_keys.append(cand)
        best_score = threshold
    elif not best_keys and len(words) >= 2:
        # every word of the term is in a label that has at most one word more and the same head word
        # ("servo commissioning" in "servo system commissioning"): a fuzzy link at the threshold
        head = _head(chunk)
        for k in index.superset_keys(words):
            if len(index.key_words[k]) <= len(words) + 1 and index.key_heads[k] == head:
                best_keys.append(index.keys[k])
        best_score = threshold
    if not best_keys:
        return []
    span = 100 - threshold or 1
    conf = FUZZY_MIN + (FUZZY_MAX - FUZZY_MIN) * (best_score - threshold) / span
    out = []
    for cand in best_keys:
        for i in index.by_key[cand]:
            e = index.entries[i]
            out.append((e, "fuzzy", conf - (0.02 if e.kind != "label" else 0.0)))
    return out


# -- Chinese homophones ------------------------------------------------------------------------------------

_ALL_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


@lru_cache(maxsize=1 << 16)
def _syllable(char: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(char)[0]


def sound(text: str) -> str:
    """The toneless pinyin of a Chinese text, a syllable per character (pypinyin; the first reading of a
    character with several): 示教编成 and 示教编程 both sound "shi jiao bian cheng"."""
    return " ".join(_syllable(c) for c in text)


def _homophones(state: _State, text: str) -> Iterator[tuple[int, int, list[Any]]]:
    """Chinese labels written with characters of the same sound — the typos of pinyin input (示教编成 for
    示教编程, 数控车窗 for 数控车床, 视觉检侧 for 视觉检测): stretches of three or more Chinese characters that sound
    like a label and differ from it in at least one and at most a third of their characters, longest first."""
    index = state.index
    for run in _ALL_CJK.finditer(text):
        chars = run.group()
        if len(chars) < 3:
            continue
        sounds = [_syllable(c) for c in chars]
        i = 0
        while i < len(chars) - 2:
            hit = None
            for key in index.sound_starts.get(f"{sounds[i]} {sounds[i + 1]}", ()):
                n = len(key)
                piece = chars[i : i + n]
                if len(piece) == n and " ".join(sounds[i : i + n]) == index.key_sounds[key]:
                    differ = sum(a != b for a, b in zip(piece, key, strict=True))
                    if 1 <= differ <= max(1, n // 3) and (hit is None or n > len(hit)):
                        hit = key
            if hit is None:
                i += 1
                continue
            start = run.start() + i
            yield (
                start,
                start + len(hit),
                [(index.entries[j], "homophone", CONFIDENCE["homophone"]) for j in index.by_key[hit]],
            )
            i += len(hit)


# -- verb-object paraphrases of activity labels ---------------------------------------------------------

#: English verbs and the activity nouns made from them: a label "<object> <noun>" ("Industrial robot operation")
#: is also said "<verb> <object>" ("operate an industrial robot"). English derivational morphology, not a list
#: of the taxonomy's labels.
EN_NOMINALISATIONS = {
    "operate": "operation", "program": "programming", "calibrate": "calibration", "configure": "configuration",
    "install": "installation", "integrate": "integration", "commission": "commissioning", "maintain": "maintenance",
    "inspect": "inspection", "measure": "measurement", "assemble": "assembly", "design": "design",
    "diagnose": "diagnosis", "troubleshoot": "troubleshooting", "wire": "wiring", "model": "modeling",
    "draft": "drafting", "read": "reading", "select": "selection", "deploy": "deployment", "detect": "detection",
    "test": "testing", "repair": "repair", "weld": "welding", "plan": "planning", "simulate": "simulation",
    "monitor": "monitoring", "tune": "tuning", "document": "documentation", "analyze": "analysis",
    "analyse": "analysis", "write": "writing", "draw": "drawing", "solder": "soldering", "service": "servicing",
    "control": "control", "manage": "management", "optimize": "optimization", "optimise": "optimization",
    "develop": "development", "evaluate": "evaluation", "verify": "verification", "validate": "validation",
    "adjust": "adjustment", "align": "alignment", "replace": "replacement", "lubricate": "lubrication",
    "parameterize": "parameterization", "network": "networking", "script": "scripting", "debug": "debugging",
    "machine": "machining", "mill": "milling", "turn": "turning", "grind": "grinding", "drill": "drilling",
}  # fmt: skip
_FIRST_WORD = re.compile(r"([A-Za-z]+)\s+")
_DETERMINERS = frozenset(["a", "an", "the", "its", "their", "our", "your"])
_DETERMINER = re.compile(r"^(?:(?:a|an|the|its|their|our|your)\s+)", re.IGNORECASE)


def _paraphrase(
    state: _State, text: str, start: int, end: int
) -> tuple[int, list[tuple[LabelEntry, str, float]]] | None:
    """An English chunk that is a verb and its object, said of a label that names the activity as a noun:
    "operate an industrial robot" → Industrial robot operation, "program industrial robots" → Industrial robot
    programming, "detect surface defects" → Defect detection (one modifier of the object more than the label, the
    same head). The verb is the chunk's first word or the word before it. Returns the mention's start (the
    verb's) and the options (method ``paraphrase``), or None."""
    if state.lang != "en":
        return None
    chunk = text[start:end]
    first = _FIRST_WORD.match(chunk)
    verb, obj, s = None, "", start
    if first and _verb_noun(first.group(1)):
        verb, obj = first.group(1), chunk[first.end() :]
    else:
        window = text[max(0, start - 30) : start]
        words = window.split()
        if words and words[-1].lower() in _DETERMINERS:
            words.pop()
        if words and words[-1].isalpha() and window[-1:].isspace() and _verb_noun(words[-1]):
            verb, obj, s = words[-1], chunk, max(0, start - 30) + window.rfind(words[-1])
    if verb is None:
        return None
    obj = _DETERMINER.sub("", obj).strip()
    noun = _verb_noun(verb)
    if not obj or not noun or len(obj.split()) > 4:
        return None
    memo_key = f"\x00{noun}\x00{obj}"
    memo = state.fuzzy_memo
    options = memo.get(memo_key) if memo is not None else None
    if options is None:
        options = _paraphrase_options(state, noun, obj)
        if memo is not None:
            memo[memo_key] = options
    return (s, options) if options else None


@lru_cache(maxsize=4096)
def _verb_noun(word: str) -> str | None:
    low = word.lower()
    for form in (low, low[:-1] if low.endswith("s") else "", low[:-3] if low.endswith("ing") else "",
                 low[:-3] + "e" if low.endswith("ing") else ""):  # fmt: skip
        if form in EN_NOMINALISATIONS:
            return EN_NOMINALISATIONS[form]
    return None


def _paraphrase_options(state: _State, noun: str, obj: str) -> list[tuple[LabelEntry, str, float]]:
    index = state.index
    conf = CONFIDENCE["paraphrase"]
    for phrase in (f"{obj} {noun}", f"{noun} of {obj}"):
        ids = index.by_key.get(norm_key(phrase, "en"), ())
        if ids:
            return [(index.entries[i], "paraphrase", conf - (0.02 if index.entries[i].kind != "label" else 0.0))
                    for i in ids]  # fmt: skip
    # a label with one word less than "<object> <noun>", the same head: the object names a narrower thing
    words = set(_words(f"{obj} {noun}"))
    head = en_lemma(noun)
    out = []
    for k in index.word_keys.get(head, ()):
        kw = index.key_words[k]
        if index.key_heads[k] == head and len(kw) >= 2 and kw < words and len(words) - len(kw) == 1:
            for i in index.by_key[index.keys[k]]:
                e = index.entries[i]
                out.append((e, "paraphrase", conf - 0.05 - (0.02 if e.kind != "label" else 0.0)))
    return out


# -- chunks: term-like stretches the matcher did not cover (for fuzzy linking and review) -------------

_CHUNK_SECTIONS = {"requirements", "responsibilities", "preferred", "outcomes", "objectives", "content", "title"}
#: Where English chunks end: punctuation, conjunctions and prepositions (one word group after one ``\b``: a
#: regex of separate ``\band\b|\bor\b|…`` alternatives is three times slower on the same text).
_EN_SPLIT = re.compile(
    r"[,;:.()\[\]!?\n|·/]|\be\.g\."
    r"|\b(?:and|or|as well as|including|such as|through|from|with|into|using|via|to|for|before|after|on|in|at|of)\b"
)
_ZH_SPLIT = re.compile(r"[，,；;。：:（）()\[\]、！？!?\n|·—]|以及|或者|和|及|与|或|等")
_EN_LEAD = re.compile(
    r"^(?:(?:a|an|the|to|in|on|of|for|with|from|our|your|their|its|all|any|basic|good|strong|solid|"
    r"experience|experienced|knowledge|understanding|familiarity|familiar|proficiency|proficient|ability|able|"
    r"skills?|years?|two|three|one|some|at|least|be|is|are|will|can|must|should|help|configure|tune|solve|write|"
    r"train|build|connect|check|generate|analy[sz]e|transfer|carry|out|diagnose|perform|explain|assist|plan|"
    r"keep|use|using|develop|design|maintain|install|operate|support|manage|create|provide|ensure|test|"
    r"integrate|prepare|read|select|set|calibrate|handle|record|replace|import|optimi[sz]e|verify|work|learn|"
    r"apply|understand|know|have|demonstrate|identify|implement|monitor|evaluate|assess|document|debug|"
    r"troubleshoot|adjust|measure|inspect|automate|before|after|during|real|new|up|by|into|per|plus|"
    r"degree|diploma|above|or|and|students?|course|working|no|hands-on|practical|proven)\s+)+",
    re.IGNORECASE,
)
_EN_TRAIL = re.compile(
    r"(?:\s+(?:experience|skills?|knowledge|is|are|a|plus|preferred|required|problems?|issues?|on|site|"
    r"tasks?|work|basics|the|of|in|for|to|with))+$",
    re.IGNORECASE,
)
_ZH_LEAD = re.compile(
    r"^(?:负责|熟悉|掌握|精通|了解|熟练使用|熟练|会使用|能使用|能够|使用|具备|具有|擅长|完成|进行|开展|编写|评估|设置|包括|"
    r"维护|支持|配合|依据|根据|按|能|会|有|懂|理解|至少一种|一种|相关|基本的|基本|良好的|良好|较强的|较强|一定的|"
    r"对|在|将|用|从|为|的)+"
)
_ZH_TRAIL = re.compile(r"(?:的?能力|的?经验|基础|原理|方法|工作|方向|者优先|优先|等|的|者|项目|相关专业|专业|以上)+$")
_STOP_CHUNKS = frozenset(
    [
        "学生",
        "课程",
        "本课程",
        "项目",
        "任务",
        "企业",
        "公司",
        "客户",
        "现场",
        "岗位",
        "工作",
        "学历",
        "大专",
        "本科",
        "中专",
        "以上",
        "要求",
        "职责",
        "能力",
        "经验",
        "students",
        "course",
        "project",
        "projects",
        "customers",
        "customer",
        "company",
        "team",
        "site",
        "work",
    ]
)


_SECTION_WORDS = frozenset(n.lower() for names in SECTION_NAMES.values() for n in names) | frozenset(
    n.lower() for n in (*META_FIELDS, *TITLE_FIELDS)
)
_ZH_NOISE = re.compile(
    r"^(?:模块|项目|第|任务|学时|学分|单元)[一二三四五六七八九十\d]*$|的|^[一二三四五六七八九十\d]+$"
)


_EN_TRAIL_WORDS = frozenset(
    [
        "experience",
        "skill",
        "skills",
        "knowledge",
        "is",
        "are",
        "a",
        "plus",
        "preferred",
        "required",
        "problem",
        "problems",
        "issue",
        "issues",
        "on",
        "site",
        "task",
        "tasks",
        "work",
        "basics",
        "the",
        "of",
        "in",
        "for",
        "to",
        "with",
    ]
)


def _trail_start(core: str) -> int:
    """Where the trailing generic words of a chunk start ("TIA Portal experience" → after "Portal"): for English
    the last words are looked up one by one (``_EN_TRAIL`` says the same, but a ``$``-anchored search of a long
    alternation tries every position)."""
    if has_cjk(core):
        trail = _ZH_TRAIL.search(core)
        return trail.start() if trail else len(core)
    end = len(core)
    while True:
        parts = core[:end].rsplit(None, 1)
        if len(parts) != 2 or parts[1].lower() not in _EN_TRAIL_WORDS:
            return end
        end = len(core[:end].rstrip()) - len(parts[1])
        end = len(core[:end].rstrip())


def _content_section(lay: Any, offset: int) -> str:
    """The section at ``offset``; a text without headings or section names (a bare paragraph of outcomes) is all
    content."""
    section: str = lay.section(offset)
    return "content" if section == "body" and not lay.section_names else section


def _chunks(
    text: str, lay: Any, lang: str, skip: Callable[[int, int], bool] | None = None
) -> Iterator[tuple[int, int]]:
    """Stretches of at most five words (en) or 2–12 characters (zh) in content-bearing sections; pieces for
    which ``skip(start, end)`` is true (a mention already covers part of them) are passed over."""
    split = _ZH_SPLIT if lang == "zh" else _EN_SPLIT
    pos = 0
    for m in [*split.finditer(text), None]:
        end = m.start() if m else len(text)
        start = pos
        pos = m.end() if m else len(text)
        piece = text[start:end]
        if skip is not None and skip(start, end):
            continue
        section = _content_section(lay, start)
        if not piece.strip() or section not in _CHUNK_SECTIONS or lay.is_heading(start):
            continue
        core = _piece_core(piece)
        if core is not None:
            yield start + core[0], start + core[1]


@lru_cache(maxsize=65_536)
def _piece_core(piece: str) -> tuple[int, int] | None:
    """The term-like core of a piece of text between chunk separators, as offsets into the piece (lead and
    trailing generic words stripped), or None when no term is left. Cached: postings repeat their phrases."""
    stripped = piece.lstrip(" -*#|>0123456789.、\t")
    lead = (_ZH_LEAD if has_cjk(piece) else _EN_LEAD).match(stripped)
    offset = len(piece) - len(stripped) + (lead.end() if lead else 0)
    core = piece[offset:]
    core_end = _trail_start(core.rstrip())
    s, e = offset, offset + core_end
    while s < e and piece[s].isspace():
        s += 1
    while e > s and piece[e - 1].isspace():
        e -= 1
    term = piece[s:e]
    low = term.lower()
    if not term or low in _STOP_CHUNKS or low in _SECTION_WORDS or re.fullmatch(r"[\W\d_]+", term):
        return None
    if has_cjk(term):
        if not 2 <= len(term) <= 12 or _ZH_NOISE.search(term):
            return None
    elif len(term.split()) > 5 or len(term) < 2 or (term.islower() and len(term.split()) == 1 and len(term) < 4):
        return None
    return s, e


# -- similarity links of whole clauses ------------------------------------------------------------------

_ZH_CLAUSE = re.compile(r"[，,；;。：:（）()！？!?\n|]")
_EN_CLAUSE = re.compile(rf"[,;:()!?\n|]|\.(?=\s|$)|\s+(?:and|or)\s+(?=(?:{EN_VERBS})\b)", re.IGNORECASE)
#: What comes before the skill in a clause: numbering, "students will be able to", and the generic verbs and
#: words of degree the guidelines leave out of a span (能 会 熟悉 掌握 负责 进行 完成; "knowledge of", "use").
_ZH_CLAUSE_LEAD = re.compile(
    r"^(?:[\s\d.、)）]+|完成本课程后|学生|能够|能|会|熟练|熟悉|掌握|了解|精通|具备|具有|负责|进行|完成|运用|开展|"
    r"实现|协助|推进|组织|并|可|有|懂|独立|正确|合理|有效|严格)+"
)
_ZH_CLAUSE_TRAIL = re.compile(r"(?:的?基本知识|的?能力|的?经验|者优先|优先|等|的|知识|基础|工作)+$")
_EN_CLAUSE_LEAD = re.compile(
    r"^(?:[\s\d.)*-]+|(?:on completion of the (?:module|course)|students?|will|be|is|are|able|to|must|should|"
    r"you|have|has|experience|experienced|in|with|knowledge|of|familiar|familiarity|strong|basic|good|solid|"
    r"proficient|proficiency|ability|carry|carrying|out|perform|performing|use|using|apply|applying|and|or|the|a|"
    r"an)\b\s*)+",
    re.IGNORECASE,
)
_EN_CLAUSE_TRAIL = re.compile(
    r"(?:\s+(?:to|for|with|using|via|against|before|after|at|while|by)\s+.*|"
    r"(?:\s+(?:is|are|an?|preferred|required|plus|advantage|bonus|experience|skills?|knowledge))+)$",
    re.IGNORECASE,
)
#: A clause that names an organisation, a course or a job is not a skill (the guidelines' "what is not").
_NOT_A_SKILL_CLAUSE = re.compile(
    r"[《》]|公司|学院|大学|工程师|技术员|课程|学时|Co\.|Ltd|Inc\b|\b(?:Engineer|Technician|Officer|Designer|"
    r"Assembler|Mechanic|Electrician|Fitter|module|course)\b"
)


_ZH_CONJUNCTS = re.compile(r"、|和|与|及|以及")
_ZH_LIST_HEAD = re.compile(r".*等(?=[\u4e00-\u9fff]{2,}$)")
_ZH_CERTIFICATE = re.compile(r"(?:证|证书)$")
#: A clause that says a skill is not wanted or not taught (the negation cues of sections.py say it of mentions).
_NEGATED_CLAUSE = re.compile(
    r"\b(?:not|no|without|never)\b|无需|不需要|不要求|不涉及|不包括|不含|无须|不必", re.IGNORECASE
)
_EN_LIST = re.compile(r"\s+(?:and|or)\s+")
_EN_VERB_START = re.compile(rf"^(?:{EN_VERBS})(?:s|es|ed|d|ing)?\b", re.IGNORECASE)
_EN_EXAMPLES = re.compile(r"^\s*(?:and\s+)?(?:including|such as|e\.g\.|for example|like|especially)\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _zh_starts_with_verb(text: str) -> bool:
    """jieba's part-of-speech dictionary reads the first word of ``text`` as a verb (撰写, 使用, 看懂)."""
    import jieba.posseg

    pairs = jieba.posseg.lcut(text[:6], HMM=False)
    return bool(pairs) and pairs[0].flag == "v"


def _clauses(text: str, lay: Any, lang: str, taken: _Taken) -> Iterator[tuple[int, int]]:
    """The skill-like core of each clause of a content section that no linked mention touches: generic lead and
    trailing words left out, a Chinese list "甲、乙等丙" reduced to what it names (丙), a list of nouns without a
    verb before it (直流电路、三相交流电路和常用电子元器件) split into its conjuncts — the guidelines' coordination."""
    if lang == "zh":
        split, lead_re, trail_re = _ZH_CLAUSE, _ZH_CLAUSE_LEAD, _ZH_CLAUSE_TRAIL
    else:
        split, lead_re, trail_re = _EN_CLAUSE, _EN_CLAUSE_LEAD, _EN_CLAUSE_TRAIL
    pos = 0
    for m in [*split.finditer(text), None]:
        start, end = pos, (m.start() if m else len(text))
        pos = m.end() if m else len(text)
        if end - start < 2 or taken.overlaps(start, end) or lay.is_heading(start):
            continue
        section = _content_section(lay, start)
        piece = text[start:end]
        if section not in _CHUNK_SECTIONS or section == "title" or _NOT_A_SKILL_CLAUSE.search(piece):
            continue
        if (lang == "en" and _EN_EXAMPLES.match(piece)) or _NEGATED_CLAUSE.search(piece):
            continue
        lead = lead_re.match(piece)
        s = start + (lead.end() if lead else 0)
        core = text[s:end]
        trail = trail_re.search(core)
        e = s + (trail.start() if trail else len(core))
        while e > s and text[e - 1].isspace():
            e -= 1
        if lang == "en":
            yield from _en_conjuncts(text, s, e)
            continue
        head = _ZH_LIST_HEAD.match(text, s, e)
        if head:
            s = head.end()
        core = text[s:e]
        if _ZH_CERTIFICATE.search(core):
            continue
        parts = [(s, e)]
        if _ZH_CONJUNCTS.search(core) and not _zh_starts_with_verb(core):
            last = list(_ZH_CONJUNCTS.finditer(core))[-1]
            if not _DESC_TASK_END.search(core[last.end() :]):  # 滚珠丝杠和导轨的安装调整: one head for both
                parts = _between(s, core, _ZH_CONJUNCTS.finditer(core))
        for ps, pe in parts:
            if 3 <= pe - ps <= 20 or (len(parts) > 1 and pe - ps == 2):
                yield ps, pe


def _between(offset: int, text: str, separators: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    """The stretches of ``text`` (which starts at ``offset``) between the ``separators`` matched in it."""
    bounds = [0, *[x for m in separators for x in (m.start(), m.end())], len(text)]
    return [(offset + bounds[i], offset + bounds[i + 1]) for i in range(0, len(bounds), 2)]


def _en_conjuncts(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    """An English clause, or its conjuncts when it is a list of noun phrases of two words or more that no verb
    governs ("first-article inspection and in-process checks"); "relay and contactor control circuits" (one
    head for both modifiers) and "select and wire sensors" (a verb) stay whole."""
    core = text[s:e]
    cuts = list(_EN_LIST.finditer(core))
    parts = [(s, e)]
    if cuts and not _EN_VERB_START.match(core) and len(core[: cuts[0].start()].split()) >= 2:
        parts = _between(s, core, cuts)
    for ps, pe in parts:
        if 2 <= len(text[ps:pe].split()) <= 8:
            yield ps, pe


def _similar(
    state: _State, text: str, lay: Any, taken: _Taken, candidates: list[tuple[int, int, list[Any]]]
) -> list[tuple[int, int, list[tuple[LabelEntry, str, float]]]]:
    """Similarity links of the clauses no mention covers (``similar.py``), and the ``candidates`` (unlinked
    terms for review) that none of them overlaps."""
    assert state.similar is not None
    spans = list(_clauses(text, lay, state.lang, taken))
    linked: list[tuple[int, int, list[tuple[LabelEntry, str, float]]]] = []
    if spans:
        for (s, e), near in zip(spans, state.similar.nearest([text[s:e] for s, e in spans]), strict=True):
            if not near:
                continue
            iri, score, _phrase = near[0]
            runner_up = near[1][1] if len(near) > 1 else 0.0
            if score < state.similar_threshold or score - runner_up < state.similar_margin:
                continue
            entries = [state.index.entries[i] for i in state.index.by_iri.get(iri, ())]
            if not entries:
                continue
            entry = min(entries, key=lambda x: (x.kind != "label", x.kind))
            linked.append((s, e, [(entry, "similar", round(SIMILAR_CONFIDENCE * score, 3))]))
            taken.add(s, e)
    return linked + [c for c in candidates if not any(s < c[1] and c[0] < e for s, e, _ in linked)]


# -- the public object ---------------------------------------------------------------------------------


class Extractor:
    """Finds and links mentions in texts of one language. Build it with ``build_extractor``."""

    def __init__(self, nlp: Language, state: _State) -> None:
        self.nlp = nlp
        self.state = state
        self.lang = state.lang
        self._names: SimilarityIndex | None = None  # built on the first review suggestion that needs it

    @property
    def labels(self) -> list[LabelEntry]:
        return self.state.index.entries

    def extract(self, text: str) -> list[Mention]:
        """Mentions in ``text``, in text order."""
        return _mentions(self.nlp(text))

    def pipe(self, texts: Iterable[str], batch_size: int = 256, n_process: int = 1) -> Iterator[list[Mention]]:
        """Mentions of each text, in order, through ``nlp.pipe`` (``n_process`` > 1 forks workers)."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
            yield _mentions(doc)

    def suggest(self, term: str) -> tuple[LabelEntry, float, str] | None:
        """The label a steward most likely wants for ``term`` (for review): ``(entry, score 0–100, method)``.
        A near spelling (fuzzy ratio ≥ ``SUGGEST_FUZZY``: PLC编成 → PLC编程) comes first; else the name that
        shares the most telling words and nearly all of the term's (TF-IDF cosine ≥ ``SUGGEST_SIMILAR``,
        coverage ≥ ``SUGGEST_COVERAGE``: "robot welding cell set-up" → "Robotic welding cell commissioning");
        else nothing: a far-off label ("root cause analysis" → "Circuit analysis") misleads more than none."""
        from rapidfuzz import fuzz, process

        index = self.state.index
        key = norm_key(term, self.lang)
        ids = index.fuzzy_candidates(key, set() if has_cjk(key) else set(_words(term)))
        hit = process.extractOne(key, {k: index.keys[k] for k in ids}, scorer=fuzz.ratio) if ids else None
        if hit is not None and hit[1] >= SUGGEST_FUZZY:
            return index.entries[index.by_key[hit[0]][0]], round(hit[1], 1), "fuzzy"
        if self._names is None:
            self._names = SimilarityIndex(similarity_phrases(index.entries, {}, self.lang), self.lang)
        near = self._names.nearest([term], top=1)[0]
        if near and near[0][1] >= SUGGEST_SIMILAR and self._names.coverage(term, near[0][2]) >= SUGGEST_COVERAGE:
            iri, score, phrase = near[0]
            entry = next((index.entries[i] for i in index.by_iri.get(iri, ()) if index.entries[i].text == phrase), None)
            if entry is not None:
                return entry, round(100 * score, 1), "similar"
        return None


def _mentions(doc: Doc) -> list[Mention]:
    out = []
    for row in doc.user_data.get("mentions", ()):
        row = list(row)
        row[11] = tuple(row[11]) if row[11] is not None else None  # msgpack gives lists back
        out.append(Mention(*row))
    return out


def build_extractor(
    labels: Iterable[LabelEntry],
    lang: str,
    *,
    segmenter: str = "char",
    fuzzy_threshold: float = 90.0,
    candidates: bool = False,
    type_priority: Sequence[str] = ("Skill", "Occupation", "Standard", "Industry"),
    prefer_sources: Sequence[str] = (),
    cache_dir: Path | str | None = None,
    synonyms: bool = True,
    definitions: Mapping[str, Mapping[str, str]] | None = None,
    similar_threshold: float | None = None,
    span_model: Path | str | None = None,
) -> Extractor:
    """An extractor for texts in ``lang`` ("zh" or "en") over ``labels``.

    Chinese texts are matched against Chinese labels and against the English labels that are names in
    Latin script (``latin_name``: Chinese postings name PLC, Python, EtherCAT, TIA Portal in English — not
    the English phrases of ESCO, which a Chinese text does not contain); English texts against English
    labels. ``segmenter`` is "char" (default) or "jieba" for Chinese. ``fuzzy_threshold`` (0–100, 100
    turns fuzzy linking off) is the rapidfuzz ratio a term the matcher missed needs to link.
    ``candidates=True`` also reports unlinked term-like stretches (``iri`` None, method "candidate")
    for the review queue. With ``cache_dir`` the label index and the tokenised patterns are kept in
    ``<cache_dir>/nlp/patterns-<lang>-<segmenter>-<hash>.pkl``, keyed by the hash of the label set (and
    the rules and spaCy versions): a changed taxonomy builds anew, an unchanged one skips tokenising.
    ``synonyms`` adds the rows of the shipped synonym table (``synonyms.py``) as alternative labels of the
    concepts labelled with their ``same_as``.

    ``definitions`` (IRI → language → text: the concepts' definitions) add the task
    phrases of the Chinese ones as hidden labels (``description_labels``) and feed similarity linking
    (``similar.py``) when ``similar_threshold`` is given (below 1.0; ``SIMILAR_THRESHOLD`` is the value tuned on
    the dev half): a clause no label names links to the concept whose names or definition clause it is most
    like when their cosine similarity reaches it. Off by default: on the held-out half of the evaluation set it
    links as many clauses wrongly as rightly (eval/README.md).

    ``span_model`` (a folder, e.g. ``spanmodel.SHIPPED_MODEL``; English only) adds the trained span model's NER:
    the skill stretches it marks that no linked mention touches become unlinked mentions (method ``span-model``)
    for the review queue. It makes English extraction about three times slower.
    """
    from ieic_kg.nlp.lang import check_language

    lang = check_language(lang)
    if synonyms:
        labels = with_synonyms(labels, read_synonyms())
    if definitions:
        labels = list(labels)
        zh = {iri: d["zh"] for iri, d in definitions.items() if d.get("zh")}
        labels += description_labels(labels, zh)
    chosen = usable_labels(
        [e for e in labels if e.lang == lang or (lang == "zh" and e.lang == "en" and latin_name(e.text))]
    )
    threshold = 1.0 if similar_threshold is None else similar_threshold
    nlp = blank_pipeline(lang, segmenter, words=[e.text for e in chosen if has_cjk(e.text)])
    cached = None
    path = None
    if cache_dir is not None:
        import spacy

        key = label_set_hash(
            chosen, lang, segmenter, RULES_VERSION, spacy.__version__, _definitions_key(definitions), threshold < 1.0
        )
        path = Path(cache_dir) / "nlp" / f"patterns-{lang}-{segmenter}-{key[:24]}.pkl"
        if path.exists():
            try:
                with path.open("rb") as fh:
                    cached = pickle.load(fh)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
                cached = None  # a broken cache file is rebuilt
    index, patterns, similar = cached if cached is not None else (LabelIndex(chosen, lang), None, None)
    if similar is None and threshold < 1.0:
        similar = SimilarityIndex(similarity_phrases(chosen, definitions or {}, lang), lang)
    state = _State(
        nlp,
        index,
        fuzzy_threshold=fuzzy_threshold,
        candidates=candidates,
        type_priority=type_priority,
        prefer_sources=prefer_sources,
        patterns=patterns,
        similar=similar if threshold < 1.0 else None,
        similar_threshold=threshold,
        span_model=span_model is not None and lang == "en",
    )
    if path is not None and cached is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.part")
        with tmp.open("wb") as fh:
            pickle.dump((index, state.patterns, similar), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    _add_components(nlp, state, lang)
    if state.span_model and span_model is not None:
        trained = load_span_model(Path(span_model))
        for name in ("tok2vec", "ner"):
            nlp.add_pipe(name, source=trained, before="ieic_linker")
    if lang == "zh":
        zh_noun("设备")  # loads jieba's part-of-speech dictionary now, at build time, not in the first document
    return Extractor(nlp, state)


def _definitions_key(definitions: Mapping[str, Mapping[str, str]] | None) -> str:
    """What of ``definitions`` goes into the cache key: a hash of the sorted (IRI, language, text) triples."""
    if definitions is None:
        return "-"
    import hashlib

    h = hashlib.sha256()
    for iri in sorted(definitions):
        for lang, text in sorted(definitions[iri].items()):
            h.update(f"{iri}\x1f{lang}\x1f{text}\x1e".encode())
    return h.hexdigest()


def _add_components(nlp: Language, state: _State, lang: str) -> None:
    name = f"ieic_{id(state)}"
    Language.component(f"{name}_lang", func=_set_lang(lang))
    Language.component(f"{name}_layout", func=_layout_component)
    Language.factory(f"{name}_matcher", func=lambda nlp, name: Matcher(state))
    Language.factory(f"{name}_linker", func=lambda nlp, name: Linker(state))
    nlp.add_pipe(f"{name}_lang", name="ieic_lang")
    nlp.add_pipe(f"{name}_layout", name="ieic_layout")
    nlp.add_pipe(f"{name}_matcher", name="ieic_matcher")
    nlp.add_pipe(f"{name}_linker", name="ieic_linker")


def _set_lang(lang: str) -> Any:
    def component(doc: Doc) -> Doc:
        doc.user_data["lang"] = lang
        return doc

    return component
