"""Build eval/ieic-skills-v1.jsonl from its annotated source, or check that the two agree.

    .venv/bin/python eval/build.py            # write the JSONL
    .venv/bin/python eval/build.py --check    # exit 1 when the JSONL is not what the source gives

The source (``ieic-skills-v1.annotated.txt``) is what annotators edit: one passage a line, gold spans written
in place as ``[[surface text|CONCEPT]]``; this script removes the markup and computes the character offsets,
so that offsets can never drift from the text. The format is described at the top of the source file and in
eval/README.md. Checking the IRIs against the taxonomy and ESCO is the job of
``ieic_kg.evaluation.check_passages`` (run by tests/test_evaluation.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "ieic-skills-v1.annotated.txt"
TARGET = HERE / "ieic-skills-v1.jsonl"

SKILL_BASE = "https://w3id.org/ieic-kg/id/skill/"
ESCO_BASE = "http://data.europa.eu/esco/skill/"

SPAN = re.compile(r"\[\[([^\[\]|]+)\|([^\[\]|]+)\]\]")
PASSAGE = re.compile(
    r"^(?P<id>(?P<lang>zh|en)-(?:syl|job)-\d{3}) (?P<kind>syllabus|posting)(?: \[(?P<tags>[a-z,]+)\])?: (?P<text>.+)$"
)
ALIAS = re.compile(r"^@(?P<name>[a-z0-9]+)\s+(?P<uuid>[0-9a-f-]{36})\s+(?P<label>.+)$")
KINDS = {"syl": "syllabus", "job": "posting"}


class SourceError(ValueError):
    """A line of the annotated source that cannot be read."""


def parse(source: str) -> list[dict]:
    """The passages of the annotated source, as the JSON objects written to the JSONL (in source order)."""
    aliases: dict[str, str] = {}
    passages: list[dict] = []
    seen: set[str] = set()
    for number, line in enumerate(source.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            alias = ALIAS.match(line)
            if not alias:
                raise SourceError(f"line {number}: bad alias line: {line!r}")
            aliases[alias["name"]] = ESCO_BASE + alias["uuid"]
            continue
        match = PASSAGE.match(line)
        if not match:
            raise SourceError(f"line {number}: not a passage line: {line[:60]!r}")
        pid = match["id"]
        if pid in seen:
            raise SourceError(f"line {number}: duplicate id {pid}")
        seen.add(pid)
        if KINDS[pid.split("-")[1]] != match["kind"]:
            raise SourceError(f"line {number}: id {pid} does not fit kind {match['kind']}")
        text, spans = _strip_markup(match["text"], aliases, number)
        record: dict = {"id": pid, "lang": match["lang"], "kind": match["kind"], "text": text, "spans": spans}
        if match["tags"]:
            record["tags"] = match["tags"].split(",")
        passages.append(record)
    return passages


def _strip_markup(marked: str, aliases: dict[str, str], number: int) -> tuple[str, list[dict]]:
    if "[[" in SPAN.sub("", marked) or "]]" in SPAN.sub("", marked):
        raise SourceError(f"line {number}: unbalanced span markup")
    plain: list[str] = []
    spans: list[dict] = []
    length = 0
    last = 0
    for m in SPAN.finditer(marked):
        before = marked[last : m.start()]
        plain.append(before)
        length += len(before)
        surface, concept = m.group(1), m.group(2).strip()
        if surface != surface.strip():
            raise SourceError(f"line {number}: span {surface!r} starts or ends with a space")
        if concept == "-":
            iri = None
        elif concept.startswith("SK-"):
            iri = SKILL_BASE + concept
        elif concept.startswith("@"):
            if concept[1:] not in aliases:
                raise SourceError(f"line {number}: unknown ESCO alias {concept}")
            iri = aliases[concept[1:]]
        else:
            raise SourceError(f"line {number}: concept {concept!r} is neither SK-…, @alias nor -")
        spans.append({"start": length, "end": length + len(surface), "text": surface, "iri": iri})
        plain.append(surface)
        length += len(surface)
        last = m.end()
    plain.append(marked[last:])
    return "".join(plain), spans


def render(passages: list[dict]) -> str:
    """The JSONL text: one passage a line, UTF-8 characters as they are."""
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in passages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the JSONL matches the source")
    args = parser.parse_args(argv)
    expected = render(parse(SOURCE.read_text(encoding="utf-8")))
    if args.check:
        actual = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if actual != expected:
            print(f"{TARGET.name} is out of date: run python eval/build.py", file=sys.stderr)
            return 1
        print(f"{TARGET.name} matches {SOURCE.name}")
        return 0
    TARGET.write_text(expected, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(HERE.parent)}: {expected.count(chr(10))} passages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
