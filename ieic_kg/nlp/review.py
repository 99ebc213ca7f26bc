"""The review queue of unlinked terms, and the decisions that later runs reuse.

Everything lives in ``<IEIC_DATA_DIR>/review/`` as JSON Lines, readable and diffable:

* ``queue.jsonl`` — one line per term (per language, keyed by its normalised form) that documents
  mention but that links to no entity: ``term``, ``lang``, ``count`` (mentions seen), ``documents``
  (how many), up to three ``examples`` (sentence, document, span), the likeliest label as a
  ``suggestion`` (IRI, label, score, method: ``Extractor.suggest``), ``firstSeen``/``lastSeen`` and
  ``status`` (pending, accepted, rejected).
* ``decisions.jsonl`` — an append-only log; the last decision on a term wins. ``accept`` as an
  alternative label of an existing entity (``iri``), ``accept`` as a new skill (a ``Skill`` with key
  ``REVIEW:<term>`` unless one is given), or ``reject``; each with ``by`` (who) and ``at`` (when).

Later document loads read the decisions: accepted terms become patterns (``LabelEntry`` with source
``review``), new skills are stated as ``Skill`` nodes by the loader, and rejected terms are no longer
queued.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ieic_kg.errors import NotFound, SourceError
from ieic_kg.nlp.labels import LabelEntry
from ieic_kg.nlp.text import norm_key
from ieic_kg.records import NodeRecord, Origin, Record

QUEUE = "queue.jsonl"
DECISIONS = "decisions.jsonl"


def review_dir(settings: Any) -> Path:
    return Path(settings.data_dir) / "review"


def term_key(term: str, lang: str) -> str:
    return f"{lang}:{norm_key(term, lang)}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SourceError(f"malformed JSON: {exc.msg}", file=str(path), line=n) from None


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    os.replace(tmp, path)


@dataclass(frozen=True)
class Decision:
    term: str
    lang: str
    decision: str  # "alt-label" | "new-skill" | "reject"
    by: str
    at: str
    iri: str | None = None
    key: str | None = None
    note: str | None = None

    @property
    def term_key(self) -> str:
        return term_key(self.term, self.lang)


class Decisions:
    """The current decision per term (the last one in the log wins)."""

    def __init__(self, folder: Path, id_base: str = "https://w3id.org/ieic-kg/id/") -> None:
        self.folder = folder
        self.id_base = id_base
        self.by_term: dict[str, Decision] = {}
        for row in _read_jsonl(folder / DECISIONS):
            d = Decision(**{k: row.get(k) for k in Decision.__dataclass_fields__})  # type: ignore[arg-type]
            self.by_term[d.term_key] = d

    @classmethod
    def load(cls, settings: Any) -> Decisions:
        return cls(review_dir(settings), settings.id_base)

    def is_rejected(self, term: str, lang: str) -> bool:
        d = self.by_term.get(term_key(term, lang))
        return d is not None and d.decision == "reject"

    def decided(self, term: str, lang: str) -> Decision | None:
        return self.by_term.get(term_key(term, lang))

    def label_entries(self) -> list[LabelEntry]:
        """Accepted terms as labels: alternative labels of their entity, or labels of the new skill."""
        out = []
        for d in self.by_term.values():
            if d.decision == "alt-label" and d.iri:
                out.append(LabelEntry(d.iri, d.term, d.lang, "altLabel", "Skill", "review"))
            elif d.decision == "new-skill":
                out.append(LabelEntry(self.new_skill_iri(d), d.term, d.lang, "label", "Skill", "review"))
        return out

    def new_skill_key(self, d: Decision) -> str:
        return d.key or f"REVIEW:{d.term}"

    def new_skill_iri(self, d: Decision) -> str:
        return f"{self.id_base}skill/{quote(self.new_skill_key(d), safe='-._~:')}"

    def records(self) -> Iterator[Record]:
        """``Skill`` nodes for the terms accepted as new skills."""
        origin = Origin(str(self.folder / DECISIONS))
        for d in self.by_term.values():
            if d.decision == "new-skill":
                yield NodeRecord("Skill", self.new_skill_key(d), {f"label_{d.lang}": d.term}, origin)


class ReviewQueue:
    """The queue file: add candidates after a load, list them, and decide."""

    def __init__(self, folder: Path, id_base: str = "https://w3id.org/ieic-kg/id/") -> None:
        self.folder = folder
        self.id_base = id_base

    @classmethod
    def open(cls, settings: Any) -> ReviewQueue:
        return cls(review_dir(settings), settings.id_base)

    @property
    def path(self) -> Path:
        return self.folder / QUEUE

    def items(self) -> dict[str, dict[str, Any]]:
        return {row["key"]: row for row in _read_jsonl(self.path)}

    def add(self, candidates: Iterable[Any], extractors: dict[str, Any] | None = None) -> int:
        """Count the loader's candidates in; returns how many terms are new. ``extractors`` (by language)
        give each new term its closest label as a suggestion."""
        items = self.items()
        decisions = Decisions(self.folder, self.id_base)
        now = _now()
        new = 0
        docs: dict[str, set[str]] = {k: set(v.get("documentPaths", [])) for k, v in items.items()}
        for c in candidates:
            if decisions.decided(c.term, c.lang) is not None:
                continue
            key = term_key(c.term, c.lang)
            item = items.get(key)
            if item is None:
                new += 1
                item = items[key] = {
                    "key": key,
                    "term": c.term,
                    "lang": c.lang,
                    "count": 0,
                    "documents": 0,
                    "documentPaths": [],
                    "examples": [],
                    "firstSeen": now,
                    "status": "pending",
                }
                ex = (extractors or {}).get(c.lang)
                hit = ex.suggest(c.term) if ex is not None else None
                if hit is not None:
                    entry, score, method = hit
                    item["suggestion"] = {"iri": entry.iri, "label": entry.text, "score": score, "method": method}
            item["count"] += 1
            item["lastSeen"] = now
            docs.setdefault(key, set()).add(c.document)
            if len(item["examples"]) < 3 and all(e["sentence"] != c.sentence for e in item["examples"]):
                item["examples"].append(
                    {
                        "sentence": c.sentence,
                        "document": c.document,
                        "start": c.start,
                        "end": c.end,
                        "section": c.section,
                    }
                )
        for key, paths in docs.items():
            if key in items:
                items[key]["documentPaths"] = sorted(paths)
                items[key]["documents"] = len(paths)
        _write_jsonl(self.path, sorted(items.values(), key=lambda r: (-r["count"], r["key"])))
        return new

    def list(
        self, *, status: str | None = "pending", lang: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Queue items, most frequent first."""
        rows = [
            r
            for r in self.items().values()
            if (status is None or r.get("status") == status) and (lang is None or r["lang"] == lang)
        ]
        rows.sort(key=lambda r: (-r["count"], r["key"]))
        return rows[:limit] if limit else rows

    def _find(self, term: str, lang: str | None) -> dict[str, Any]:
        items = self.items()
        keys = [term_key(term, lang)] if lang else [term_key(term, lg) for lg in ("zh", "en")]
        for k in keys:
            if k in items:
                return items[k]
        raise NotFound(f"{term!r} is not in the review queue", hint="see `ieic-kg review list`")

    def _decide(self, item: dict[str, Any], decision: Decision) -> Decision:
        path = self.folder / DECISIONS
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            row = {k: v for k, v in decision.__dict__.items() if v is not None}
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        items = self.items()
        items[item["key"]]["status"] = "rejected" if decision.decision == "reject" else "accepted"
        items[item["key"]]["decision"] = decision.decision
        _write_jsonl(self.path, sorted(items.values(), key=lambda r: (-r["count"], r["key"])))
        return decision

    def accept(
        self,
        term: str,
        *,
        lang: str | None = None,
        alt_of: str | None = None,
        new_skill_key: str | None = None,
        by: str | None = None,
        note: str | None = None,
    ) -> Decision:
        """Accept ``term``: as an alternative label of the entity ``alt_of`` (an IRI), or as a new skill."""
        item = self._find(term, lang)
        if alt_of:
            d = Decision(item["term"], item["lang"], "alt-label", by or _who(), _now(), iri=alt_of, note=note)
        else:
            d = Decision(item["term"], item["lang"], "new-skill", by or _who(), _now(), key=new_skill_key, note=note)
        return self._decide(item, d)

    def reject(self, term: str, *, lang: str | None = None, by: str | None = None, note: str | None = None) -> Decision:
        """Reject ``term``: it is no skill and is not queued again."""
        item = self._find(term, lang)
        return self._decide(item, Decision(item["term"], item["lang"], "reject", by or _who(), _now(), note=note))
