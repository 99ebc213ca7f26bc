"""Documents (syllabi, job postings, standards) read with the spaCy extractor into skill facts.

**Reads** the files given (or every readable file below a folder given): plain text, Markdown, HTML,
DOCX and PDF with a text layer (``ieic_kg.nlp.documents``). Each document's language is ``--lang``
(``zh``/``en``) or detected (``auto``); a document in any other language is refused with a clear reason
— it is rejected, never read as mentioning no skill.

**Makes**, per document:

- a ``Document`` node — IRI ``<id_base>document/sha256:<hex>`` from the SHA-256 of the file's bytes
  (the same text at another path is the same document; an edited file is a new version); properties
  ``documentType`` (``syllabus``, ``job-posting``, ``standard``), ``language``, ``checksum``, ``url``
  (the file's ``file:`` URI: its source path) and ``label_<lang>`` (the title).
- ``Document describes <subject>`` when the document names its subject: a ``Course`` (syllabus),
  ``JobPosting`` (posting) or ``Standard`` (standard) whose source key comes from, first, the front
  matter field ``subject`` (a key, or an IRI when it contains ``://``); else the ``subject_key``
  template (``--subject-key``). Placeholders: ``{code}`` — front matter ``code``, else a code field of
  the header (课程代码：/Course code:/岗位编号：/Posting ID:/标准编号：), else the first word of the
  title or the file name that looks like a code (``GR3001``, ``P-2025-016``); ``{stem}`` — the file name
  without extension. Defaults: syllabus ``{code}``, posting ``{stem}``, standard ``{code}``; the demo's
  courses are keyed ``GDIMP:{code}``, so its syllabi load with ``--subject-key 'GDIMP:{code}'``
  (GR3001.md → Course ``GDIMP:GR3001``). A posting's text *is* the posting, so a ``JobPosting`` node
  is stated (label = title, language, ``datePosted`` from a Posted:/发布日期： field, and ``postedBy``
  the Enterprise named by a Company:/公司： line, resolved by label — an unknown employer is rejected); courses and
  standards must already be in the graph, or the ingest engine rejects the relationships to them.
- for every linked mention, ``Document mentions <entity>`` — one relationship per document and
  entity, with the best mention (highest confidence, then first): ``method`` ``extracted:<how>``,
  ``confidence``, ``spanStart``/``spanEnd`` (code points in the document text, see
  ``ieic_kg.nlp.documents``), ``matchedText`` and ``evidence`` (the sentence).
- syllabus → ``Course teachesSkill Skill`` for skills mentioned, not negated, in the title, objectives,
  outcomes, content or notes (not in metadata such as prerequisites, nor in assessment): the same
  evidence qualifiers plus ``evidenceDocument`` (the Document IRI), ``masteryLevel`` when a cue says
  (初步了解/入门 → I, 熟练掌握/独立完成 → M) and ``strength`` = confidence × mastery (M 1.0, R or no
  cue 0.7, I 0.4) × section (0.8 in notes, else 1.0), the highest over the skill's mentions.
- posting → ``JobPosting requiresSkill Skill`` for skills mentioned, not negated, in the title,
  responsibilities, requirements or a preferred section, or under a required/preferred cue (not in
  education clauses such as "degree in mechatronics"): ``relationType`` ``required`` (weight 1.0) if any
  such mention is required, else ``preferred`` (weight 0.5, "…者优先", "is a plus").
- standard → ``Standard specifiesSkill Skill`` with ``level`` from the level section of its first
  mention (五级/初级工 … 一级/高级技师 → 5 … 1).

Unlinked candidate terms are collected on ``loader.candidates`` for the review queue
(``ieic_kg.nlp.review``); terms a reviewer rejected are left out, and accepted ones are patterns.

**Dataset** ``documents-<kind>`` (``--dataset`` to choose). The load is never *complete*: loading some
documents does not retract what others stated.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ieic_kg.errors import SourceError
from ieic_kg.nlp.documents import FORMATS, DocumentText, read_document
from ieic_kg.nlp.extractor import Extractor, Mention, build_extractor
from ieic_kg.nlp.labels import LabelEntry
from ieic_kg.nlp.lang import UnsupportedLanguage, check_language, detect_language
from ieic_kg.records import EdgeRecord, NodeRecord, Origin, Record, Ref, Reject

KINDS = {
    "syllabus": ("Course", "syllabus", "{code}"),
    "posting": ("JobPosting", "job-posting", "{code}"),
    "standard": ("Standard", "standard", "{code}"),
}
DEFAULT_TEMPLATES = {"syllabus": "{code}", "posting": "{stem}", "standard": "{code}"}

TEACHING_SECTIONS = {"title", "objectives", "outcomes", "content", "notes", "body"}
REQUIREMENT_SECTIONS = {"title", "responsibilities", "requirements", "preferred"}
MASTERY_FACTOR = {"M": 1.0, "R": 0.7, "I": 0.4, None: 0.7}

_CODE_FIELD = re.compile(
    r"(?:课程代码|课程编号|岗位编号|职位编号|标准编号|Course code|Posting ID|Job ID|Standard number|Code)\s*[:：]\s*"
    r"(?P<code>[A-Za-z0-9][A-Za-z0-9:._/-]*)",
    re.IGNORECASE,
)
_CODE_WORD = re.compile(r"^[A-Z]{1,6}[-_]?\d{2,}(?:[-_.][A-Za-z0-9]+)*$")
_COMPANY = re.compile(
    r"^(?:Company|Employer|公司|企业|招聘单位|用人单位)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE
)
_POSTED = re.compile(r"(?:Posted|Date posted|发布日期|发布时间)\s*[:：]\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


@dataclass
class Candidate:
    """An unlinked term found in a document, for the review queue."""

    term: str
    lang: str
    document: str
    sentence: str
    start: int
    end: int
    section: str


@dataclass
class DocumentLoader:
    """Loads documents of one kind; see the module docstring for every rule."""

    paths: Sequence[Path]
    kind: str
    labels: Sequence[LabelEntry]
    lang: str = "auto"
    subject_key: str | None = None
    id_base: str = "https://w3id.org/ieic-kg/id/"
    dataset_name: str | None = None
    segmenter: str = "char"
    fuzzy_threshold: float = 90.0
    decisions: Any = None  # ieic_kg.nlp.review.Decisions: accepted terms are patterns, rejected ones unqueued
    # IRI → lang → definition: hidden labels and similarity linking (build_extractor); the CLI passes none
    definitions: Mapping[str, Mapping[str, str]] | None = None
    similar_threshold: float | None = None
    span_model: Path | None = None  # a trained span model (ieic_kg.nlp.spanmodel): its finds go to review
    extractors: dict[str, Extractor] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)

    name = "documents"
    version = "1"
    complete = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise SourceError(f"unknown document kind {self.kind!r}", hint=f"use one of: {', '.join(KINDS)}")
        if self.lang != "auto":
            self.lang = check_language(self.lang)
        self.paths = [Path(p) for p in self.paths]

    @property
    def dataset(self) -> str:
        return self.dataset_name or f"documents-{self.kind}"

    def source_paths(self) -> list[Path]:
        return list(_expand(self.paths))

    def extractor(self, lang: str) -> Extractor:
        if lang not in self.extractors:
            labels = list(self.labels)
            if self.decisions is not None:
                labels += self.decisions.label_entries()
            self.extractors[lang] = build_extractor(
                labels,
                lang,
                segmenter=self.segmenter,
                fuzzy_threshold=self.fuzzy_threshold,
                candidates=True,
                definitions=self.definitions,
                similar_threshold=self.similar_threshold,
                span_model=self.span_model,
            )
        return self.extractors[lang]

    # -- records ------------------------------------------------------------------------------------

    def records(self) -> Iterator[Record]:
        if self.decisions is not None:
            yield from self.decisions.records()
        paths = self.source_paths()
        if not paths:
            raise SourceError("no documents to read", hint=f"give files or folders with {', '.join(sorted(FORMATS))}")
        for path in paths:
            origin = Origin(str(path))
            try:
                doc = read_document(path)
                lang = self._language(doc)
            except SourceError as exc:
                yield Reject(origin, exc.message.split(": ", 1)[-1] if exc.file else exc.message, "document")
                continue
            mentions = self.extractor(lang).extract(doc.body)
            yield from self._document(doc, lang, mentions, origin)

    def _language(self, doc: DocumentText) -> str:
        given = doc.front_matter.get("lang") or doc.front_matter.get("language")
        if given:
            return check_language(str(given), file=str(doc.path))
        if self.lang != "auto":
            return self.lang
        return detect_language(doc.body, file=str(doc.path))

    def document_iri(self, doc: DocumentText) -> str:
        return f"{self.id_base}document/{doc.checksum}"

    def _document(self, doc: DocumentText, lang: str, mentions: list[Mention], origin: Origin) -> Iterator[Record]:
        doc_type = KINDS[self.kind][1]
        doc_iri = self.document_iri(doc)
        yield NodeRecord(
            "Document",
            None,
            {
                "documentType": doc_type,
                "language": lang,
                "checksum": doc.checksum,
                "url": doc.path.resolve().as_uri(),
                f"label_{lang}": doc.title,
            },
            origin,
            iri=doc_iri,
        )
        subject = self._subject(doc)
        if isinstance(subject, Reject):
            yield subject
        elif subject is not None:
            if self.kind == "posting":
                yield self._posting(doc, lang, subject, origin)
                company = _COMPANY.search(doc.body[:2000])
                if company:  # the employer by its name, resolved to an Enterprise at ingest (else rejected)
                    name = company.group(1).strip()
                    yield EdgeRecord("postedBy", subject, Ref(cls="Enterprise", label=name), {}, origin)
            yield EdgeRecord("describes", Ref(iri=doc_iri), subject, {}, origin)
        offset = doc.offset
        by_iri: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            if m.iri is None:
                if not self.decisions or not self.decisions.is_rejected(m.text, lang):
                    self.candidates.append(
                        Candidate(
                            m.text, lang, str(doc.path), _evidence(doc, m), m.start + offset, m.end + offset, m.section
                        )
                    )
                continue
            by_iri[m.iri].append(m)
        for iri, group in by_iri.items():
            best = max(group, key=lambda m: (m.confidence, -m.start))
            yield EdgeRecord("mentions", Ref(iri=doc_iri), Ref(iri=iri), self._evidence(doc, best), origin)
            if subject is None or isinstance(subject, Reject) or group[0].label != "SKILL":
                continue
            fact = self._fact(doc_iri, doc, subject, iri, group)
            if fact is not None:
                yield EdgeRecord(fact[0], subject, Ref(iri=iri), fact[1], origin)

    def _evidence(self, doc: DocumentText, m: Mention) -> dict[str, Any]:
        return {
            "method": f"extracted:{m.method}",
            "confidence": m.confidence,
            "spanStart": m.start + doc.offset,
            "spanEnd": m.end + doc.offset,
            "matchedText": m.text,
            "evidence": _evidence(doc, m),
        }

    def _fact(
        self, doc_iri: str, doc: DocumentText, subject: Ref, iri: str, group: list[Mention]
    ) -> tuple[str, dict[str, Any]] | None:
        positive = [m for m in group if m.cue != "negated"]
        if self.kind == "syllabus":
            taught = [m for m in positive if m.section in TEACHING_SECTIONS]
            if not taught:
                return None

            def strength(m: Mention) -> float:
                return m.confidence * MASTERY_FACTOR[m.mastery] * (0.8 if m.section in ("notes", "body") else 1.0)

            best = max(taught, key=lambda m: (strength(m), m.confidence, -m.start))
            props = self._evidence(doc, best) | {"evidenceDocument": doc_iri, "strength": round(strength(best), 3)}
            if best.mastery:
                props["masteryLevel"] = best.mastery
            return "teachesSkill", props
        if self.kind == "posting":
            wanted = [
                m
                for m in positive
                if m.section != "education"
                and (m.section in REQUIREMENT_SECTIONS or m.cue in ("required", "preferred"))
            ]
            if not wanted:
                return None
            required = [m for m in wanted if m.cue != "preferred" and m.section != "preferred"]
            chosen = required or wanted
            best = max(chosen, key=lambda m: (m.confidence, -m.start))
            kind = "required" if required else "preferred"
            props = self._evidence(doc, best) | {
                "evidenceDocument": doc_iri,
                "relationType": kind,
                "weight": 1.0 if kind == "required" else 0.5,
            }
            return "requiresSkill", props
        specified = [m for m in positive if m.section not in ("meta", "assessment", "company", "benefits")]
        if not specified:
            return None
        best = min(specified, key=lambda m: m.start)
        props = self._evidence(doc, best) | {"evidenceDocument": doc_iri}
        levelled = [m for m in specified if m.level is not None]
        if levelled:
            props["level"] = levelled[0].level
        return "specifiesSkill", props

    # -- subjects -----------------------------------------------------------------------------------

    def _subject(self, doc: DocumentText) -> Ref | Reject | None:
        cls = KINDS[self.kind][0]
        given = doc.front_matter.get("subject")
        if given:
            text = str(given).strip()
            return Ref(iri=text) if "://" in text else Ref(cls=cls, key=text)
        template = self.subject_key or DEFAULT_TEMPLATES[self.kind]
        code = _code(doc)
        if "{code}" in template and code is None:
            return Reject(
                Origin(str(doc.path)),
                f"cannot tell which {cls} the document describes: no code in its front matter, header, title "
                "or file name",
                "subject",
                hint_value(template),
            )
        try:
            key = template.format(code=code or "", stem=doc.path.stem, name=doc.path.name)
        except (KeyError, IndexError) as exc:
            raise SourceError(
                f"--subject-key {template!r} uses an unknown placeholder {exc}", hint="use {code}, {stem} or {name}"
            ) from None
        return Ref(cls=cls, key=key)

    def _posting(self, doc: DocumentText, lang: str, subject: Ref, origin: Origin) -> Record:
        props: dict[str, Any] = {f"label_{lang}": doc.title, "language": lang}
        if subject.key:
            props["code"] = subject.key
        posted = _POSTED.search(doc.body)
        if posted:
            props["datePosted"] = posted.group(1)
        if subject.iri:
            return NodeRecord("JobPosting", None, props, origin, iri=subject.iri)
        return NodeRecord("JobPosting", subject.key, props, origin)


def hint_value(template: str) -> str:
    return f"--subject-key {template}"


def _code(doc: DocumentText) -> str | None:
    if doc.front_matter.get("code"):
        return str(doc.front_matter["code"]).strip()
    m = _CODE_FIELD.search(doc.body[:2000])
    if m:
        return m.group("code").strip()
    first = doc.title.split()[0] if doc.title.split() else ""
    if _CODE_WORD.match(first):
        return first
    if _CODE_WORD.match(doc.path.stem):
        return doc.path.stem
    return None


def _evidence(doc: DocumentText, m: Mention) -> str:
    if m.sentence is None:
        return m.text
    return doc.body[m.sentence[0] : m.sentence[1]].strip()


def _expand(paths: Iterable[Path]) -> Iterator[Path]:
    for p in paths:
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FORMATS)
        else:
            yield p


def documents_loader(
    paths: Sequence[Path],
    *,
    kind: str,
    labels: Sequence[LabelEntry],
    lang: str = "auto",
    subject_key: str | None = None,
    settings: Any = None,
    decisions: Any = None,
    dataset: str | None = None,
    span_model: bool = False,
) -> DocumentLoader:
    """The loader the CLI builds: labels from the graph, decisions from the review folder, and (``span_model``)
    the shipped span model for English documents."""
    from ieic_kg.nlp.spanmodel import SHIPPED_MODEL

    id_base = settings.id_base if settings is not None else "https://w3id.org/ieic-kg/id/"
    return DocumentLoader(
        list(paths),
        kind,
        labels,
        lang=lang,
        subject_key=subject_key,
        id_base=id_base,
        dataset_name=dataset,
        decisions=decisions,
        span_model=SHIPPED_MODEL if span_model else None,
    )


def documents_factory(source: Path, mapping: Path | None = None, table: str | None = None) -> DocumentLoader:
    """For ``LOADERS``: the kind comes from ``--table`` (syllabus, posting, standard) and no labels are
    known, so every mention is a review candidate; ``ieic-kg load documents`` builds the real loader
    with ``documents_loader`` and the graph's labels."""
    if mapping is not None:
        raise SourceError("documents take no --mapping", hint="use --kind syllabus|posting|standard")
    return DocumentLoader([source], table or "syllabus", [])


__all__ = ["Candidate", "DocumentLoader", "UnsupportedLanguage", "documents_factory", "documents_loader"]
