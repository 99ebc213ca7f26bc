"""The synonym table (``synonyms.tsv``): written-out acronyms, translations, product names and protocol families.

A row ``term  lang  same_as  basis`` makes ``term`` an alternative label of every concept that has ``same_as``
among its labels (case-insensitive), with that label's source, so a taxonomy without "programmable logic
controller" still links it to whatever is labelled "PLC". The table is reviewable data, shipped with the package;
its header says how it was made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ieic_kg.errors import SourceError
from ieic_kg.nlp.labels import LabelEntry

TABLE = Path(__file__).with_name("synonyms.tsv")
BASES = frozenset(["expansion", "translation", "product", "protocol", "spelling"])


@dataclass(frozen=True, slots=True)
class Synonym:
    term: str
    lang: str
    same_as: str
    basis: str


@lru_cache(maxsize=4)
def read_synonyms(path: Path = TABLE) -> tuple[Synonym, ...]:
    """The rows of a synonym table; a malformed row is an error naming its line."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[1] not in ("zh", "en") or parts[3] not in BASES or not all(parts):
            raise SourceError(
                "expected: term <TAB> zh|en <TAB> same_as <TAB> " + "|".join(sorted(BASES)),
                file=str(path),
                line=number,
            )
        out.append(Synonym(*(p.strip() for p in parts)))
    return tuple(out)


def with_synonyms(entries: Iterable[LabelEntry], synonyms: Iterable[Synonym]) -> list[LabelEntry]:
    """``entries`` plus an alternative label per synonym and concept labelled ``same_as``."""
    entries = list(entries)
    by_text: dict[str, list[LabelEntry]] = defaultdict(list)
    for e in entries:
        by_text[e.text.casefold()].append(e)
    extra = {
        LabelEntry(e.iri, s.term, s.lang, "altLabel", e.cls, e.source)
        for s in synonyms
        for e in by_text.get(s.same_as.casefold(), ())
    }
    return entries + sorted(extra - set(entries))
