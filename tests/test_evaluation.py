"""Extraction quality measurement (ieic_kg.evaluation) and the labelled set in eval/ — fast, no Neo4j.

* the checker of eval/ieic-skills-v1.jsonl: built from its annotated source, offsets that slice the text,
  IRIs that exist (demo codes in curriculum_design.xlsx, ESCO URIs in the ESCO 1.1.1 zip), no overlaps,
  counts per language, no text copied from the demo sources;
* the metrics on hand-made cases;
* the readers of SkillSpan and Green et al. on the real files, with their counts;
* the harness (``evaluate``) with a stand-in extractor, and end to end with the project's extractor.

Public data are read from ``IEIC_PUBLIC_DATA`` (default ``<repo>/../shared/data``); without them these
tests fail, they are never skipped.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rich.console import Console

from ieic_kg import evaluation as ev
from ieic_kg.errors import ConfigError, NotFound, SourceError

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO / "eval"
DEMO = REPO / "demo" / "sources"


@cache
def public_data() -> Path:
    path = Path(os.environ.get("IEIC_PUBLIC_DATA", REPO.parent / "shared" / "data"))
    assert path.is_dir(), f"public data folder not found: {path} (set IEIC_PUBLIC_DATA)"
    return path


@cache
def taxonomy() -> list[dict]:
    return ev.taxonomy_rows(DEMO / "curriculum_design.xlsx")


@cache
def esco_uris() -> frozenset[str]:
    return frozenset(r["conceptUri"] for r in ev.esco_rows(public_data() / ev.ESCO_ZIP))


@cache
def shipped() -> ev.Dataset:
    return ev.load_dataset("ieic-skills-v1")


# -- the labelled set ------------------------------------------------------------------------------------


def test_jsonl_is_built_from_the_annotated_source() -> None:
    spec = importlib.util.spec_from_file_location("eval_build", EVAL / "build.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    expected = build.render(build.parse(build.SOURCE.read_text(encoding="utf-8")))
    assert (EVAL / "ieic-skills-v1.jsonl").read_text(encoding="utf-8") == expected, "run: python eval/build.py"


def test_shipped_set_passes_the_checker() -> None:
    problems = ev.check_passages(
        shipped().passages, skill_codes=[r["skill_code"] for r in taxonomy()], esco_uris=esco_uris()
    )
    assert problems == []


def test_shipped_set_counts() -> None:
    stats = ev.dataset_stats(shipped())
    assert stats["all"]["passages"] >= 150
    for lang in ("zh", "en"):
        s = stats[lang]
        assert s["passages"] >= 75, lang
        assert s["by_kind"].get("syllabus", 0) >= 30 and s["by_kind"].get("posting", 0) >= 30, (lang, s)
        assert s["spans"] >= 2 * s["passages"], (lang, s)
        assert s["unlinked"] > 0, "some spans have no fitting concept"
        assert s["empty_passages"] > 0, "some passages have no skill at all"
    assert stats["zh"]["esco"] == 0  # ESCO is linked from English passages only
    assert stats["en"]["esco"] >= 30
    assert len({p.kind for p in shipped().passages}) == 2


def test_shipped_set_has_the_phenomena_it_claims() -> None:
    tags: dict[str, set[str]] = {}
    for p in shipped().passages:
        for t in p.tags:
            tags.setdefault(t, set()).add(p.lang)
        if "empty" in p.tags:
            assert not p.spans, p.id
    for phenomenon in ("neg", "distractor", "typo", "fullwidth", "synonym", "abbrev", "coord", "empty"):
        assert tags.get(phenomenon) == {"zh", "en"}, phenomenon
    fullwidth = [p for p in shipped().passages if "fullwidth" in p.tags]
    assert all(re.search(r"[\uff01-\uff5e]", "".join(s.text for s in p.spans)) for p in fullwidth)


def test_every_concept_of_the_demo_taxonomy_that_courses_teach_is_exercised() -> None:
    """Each non-group skill of the taxonomy is gold in at least one passage (groups have no parent)."""
    used = {s.iri for p in shipped().passages for s in p.spans if s.iri}
    leaves = {ev.SKILL_IRI_BASE + r["skill_code"] for r in taxonomy() if r.get("broader_code")}
    missing = sorted(leaves - used)
    assert not missing, missing


def test_eval_text_is_new_text() -> None:
    """No stretch of 40 characters (16 for Chinese) of a passage is copied from the demo's documents or postings."""
    corpus = [json.loads(line)["description"] for line in (DEMO / "job_postings.jsonl").open(encoding="utf-8")]
    corpus += [p.read_text(encoding="utf-8") for p in sorted((DEMO / "documents").rglob("*")) if p.is_file()]
    text = "\n".join(corpus)
    copied = []
    for p in shipped().passages:
        size = 16 if p.lang == "zh" else 40
        for i in range(0, max(len(p.text) - size, 1), 4):
            window = p.text[i : i + size]
            if len(window) == size and window in text:
                copied.append((p.id, window))
                break
    assert not copied, copied


def test_checker_finds_what_is_wrong() -> None:
    text = "熟悉PLC编程和EtherCAT"
    bad = [
        ev.Passage(
            "x-1",
            "zh",
            "posting",
            text,
            (
                ev.GoldSpan(2, 7, "PLC编程", ev.SKILL_IRI_BASE + "SK-ELEC-PLC"),
                ev.GoldSpan(5, 7, "编程", ev.SKILL_IRI_BASE + "SK-NOPE"),
                ev.GoldSpan(8, 16, "EtherCAX", None),
                ev.GoldSpan(8, 16, "EtherCAT", ev.ESCO_SKILL_BASE + "ccd0a1d9-afda-43d9-b901-96344886e14d"),
                ev.GoldSpan(1, 3, "悉P", "http://example.org/x"),
            ),
        ),
        ev.Passage("x-1", "fr", "blog", "ok", (ev.GoldSpan(0, 9, "ok", None),)),
    ]
    problems = "\n".join(ev.check_passages(bad, skill_codes=["SK-ELEC-PLC"], esco_uris=esco_uris()))
    for expected in (
        "x-1: id used 2 times",
        "overlaps",
        "SK-NOPE is not a skill of the demo taxonomy",
        "slices 'EtherCAT', not 'EtherCAX'",
        "ESCO concepts are linked from English passages only",
        "neither a demo skill nor an ESCO skill",
        "unknown language 'fr'",
        "unknown kind 'blog'",
        "offsets outside the text",
    ):
        assert expected in problems, expected


def test_checker_knows_esco_uris_from_the_zip() -> None:
    unknown = ev.ESCO_SKILL_BASE + "00000000-0000-0000-0000-000000000000"
    p = ev.Passage("en-1", "en", "posting", "Python", (ev.GoldSpan(0, 6, "Python", unknown),))
    assert ev.check_passages([p], skill_codes=[], esco_uris=esco_uris()) == [
        f"en-1 [0:6]: {unknown} is not an ESCO 1.1.1 skill"
    ]


# -- metrics ---------------------------------------------------------------------------------------------

PLC = ev.SKILL_IRI_BASE + "SK-ELEC-PLC"
DIAG = ev.SKILL_IRI_BASE + "SK-ELEC-DIAG"
DIAG_ESCO = ev.ESCO_SKILL_BASE + "fe96f581-4905-4282-819c-922c68bda989"
GOLD = (ev.GoldSpan(0, 3, "PLC", PLC), ev.GoldSpan(10, 20, "schematics", DIAG), ev.GoldSpan(30, 35, "teams", None))


def _s(scores: ev.Scores) -> tuple[int, int, int]:
    return scores.tp, scores.fp, scores.fn


def test_perfect_prediction() -> None:
    preds = [ev.Prediction(s.start, s.end, s.iri) for s in GOLD]
    assert _s(ev.span_scores([(0, 3), (10, 20), (30, 35)], [(p.start, p.end) for p in preds])) == (3, 0, 0)
    linked = ev.link_scores(GOLD, preds)
    assert _s(linked) == (2, 0, 0)
    assert (linked.precision, linked.recall, linked.f1) == (1.0, 1.0, 1.0)


def test_missing_and_extra_spans() -> None:
    s = ev.span_scores([(0, 3), (10, 20), (30, 35)], [(0, 3), (40, 44)])
    assert _s(s) == (1, 1, 2)
    assert s.precision == 0.5 and s.recall == pytest.approx(1 / 3) and s.f1 == pytest.approx(0.4)


def test_nothing_to_score_is_zero_not_an_error() -> None:
    s = ev.span_scores([], [])
    assert _s(s) == (0, 0, 0) and (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)


def test_duplicates_count_once() -> None:
    assert _s(ev.span_scores([(0, 3)], [(0, 3), (0, 3)])) == (1, 0, 0)


def test_wrong_iri_is_a_false_positive_and_a_miss() -> None:
    preds = [ev.Prediction(0, 3, DIAG), ev.Prediction(10, 20, DIAG)]
    assert _s(ev.link_scores(GOLD, preds)) == (1, 1, 1)


def test_linking_ignores_gold_spans_without_iri_and_span_only_predictions() -> None:
    preds = [ev.Prediction(30, 35, PLC), ev.Prediction(0, 3, None), ev.Prediction(50, 55, PLC)]
    # (30, 35) is gold without an IRI: ignored; (0, 3) without an IRI: span only; (50, 55): spurious
    assert _s(ev.link_scores(GOLD, preds)) == (0, 1, 2)


def test_linking_needs_exact_offsets() -> None:
    assert _s(ev.link_scores(GOLD, [ev.Prediction(0, 4, PLC)])) == (0, 1, 2)


def test_exact_matches_make_two_iris_one_concept() -> None:
    concepts = ev.concept_map(taxonomy())
    assert concepts.demo_to_esco[DIAG] == DIAG_ESCO
    preds = [ev.Prediction(0, 3, PLC), ev.Prediction(10, 20, DIAG_ESCO)]
    assert _s(ev.link_scores(GOLD, preds)) == (1, 1, 1)
    assert _s(ev.link_scores(GOLD, preds, same=concepts.canonical)) == (2, 0, 0)
    assert concepts.esco(DIAG) == DIAG_ESCO and concepts.esco(PLC) is None and concepts.esco(DIAG_ESCO) == DIAG_ESCO


def test_overlap_variant() -> None:
    gold = [(0, 10), (20, 30)]
    assert _s(ev.span_scores(gold, [(2, 8), (25, 40)], overlap=True)) == (2, 0, 0)
    assert _s(ev.span_scores(gold, [(2, 8), (25, 40)])) == (0, 2, 2)
    # one long prediction over two gold spans pairs with one of them only
    assert _s(ev.span_scores(gold, [(0, 30)], overlap=True)) == (1, 0, 1)
    # two predictions inside one gold span: one pairs, the other is a false positive
    assert _s(ev.span_scores([(0, 10)], [(0, 4), (5, 10)], overlap=True)) == (1, 1, 0)
    # touching is not overlapping
    assert _s(ev.span_scores([(0, 10)], [(10, 12)], overlap=True)) == (0, 1, 1)
    # the larger overlap wins the pairing, so both gold spans are found
    assert _s(ev.span_scores([(0, 10), (8, 20)], [(0, 9), (9, 20)], overlap=True)) == (2, 0, 0)


def test_document_level_esco_scores() -> None:
    concepts = ev.concept_map(taxonomy())
    passages = [
        ev.Passage("en-a", "en", "posting", "", (ev.GoldSpan(0, 1, "x", DIAG), ev.GoldSpan(2, 3, "y", PLC))),
        ev.Passage("en-b", "en", "posting", "", (ev.GoldSpan(0, 1, "x", PLC),)),  # no ESCO concept: not scored
        ev.Passage("zh-c", "zh", "posting", "", (ev.GoldSpan(0, 1, "x", DIAG),)),  # Chinese: not scored
    ]
    other = ev.ESCO_SKILL_BASE + "334e3e49-fb02-4051-809a-f06adfdc1c40"
    scores, n = ev.esco_document_scores(passages, {"en-a": [DIAG, PLC, other], "en-b": [other]}, concepts)
    assert n == 1 and _s(scores) == (1, 1, 0)


def test_bio_spans() -> None:
    tokens = ["Strong", "PLC", "programming", "and", "team", "work", "."]
    assert ev.bio_spans(tokens, ["O", "B", "I", "O", "B", "I", "O"]) == [(7, 22), (27, 36)]
    # an I after O starts a span; B after B splits
    assert ev.bio_spans(tokens, ["O", "I", "I", "O", "B", "B", "O"]) == [(7, 22), (27, 31), (32, 36)]
    typed = ["O", "B-Skill", "I-Skill", "O", "B-Domain", "I-Domain", "O"]
    assert ev.bio_spans(tokens, typed, keep=lambda kind: kind == "Skill") == [(7, 22)]
    # I of another type does not continue the span
    assert ev.bio_spans(tokens, ["O", "B-Skill", "I-Domain", "O", "O", "O", "O"], keep=lambda k: k == "Skill") == [
        (7, 10)
    ]
    with pytest.raises(ValueError):
        ev.bio_spans(tokens, ["O"])


# -- readers on the real public files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "passages", "spans", "with_spans"),
    [
        ("skillspan-dev", 3174, 2163, 914),
        ("skillspan-test", 3569, 2265, 974),
        ("green-2022", 336, 676, 234),
    ],
)
def test_public_readers(name: str, passages: int, spans: int, with_spans: int) -> None:
    ds = ev.load_dataset(name, public_data=public_data())
    assert not ds.linked and ds.languages() == ["en"]
    assert len(ds.passages) == passages
    assert sum(len(p.spans) for p in ds.passages) == spans
    assert sum(1 for p in ds.passages if p.spans) == with_spans
    for p in ds.passages:
        for s in p.spans:
            assert p.text[s.start : s.end] == s.text and s.iri is None


def test_skillspan_spans_are_token_aligned() -> None:
    ds = ev.load_dataset("skillspan-test", public_data=public_data())
    first = next(p for p in ds.passages if p.spans)
    words = first.text.split(" ")
    for s in first.spans:
        assert s.start == 0 or first.text[s.start - 1] == " "
        assert s.end == len(first.text) or first.text[s.end] == " "
        assert s.text.split(" ")[0] in words


def test_green_reads_the_skill_tag_only() -> None:
    ds = ev.load_dataset("green-2022", public_data=public_data())
    first = ds.passages[0]
    assert first.text == "Proven ability to influence cross functional teams and suppliers ."
    assert [s.text for s in first.spans] == ["influence cross functional teams and suppliers"]


def test_unknown_set_and_missing_public_data() -> None:
    with pytest.raises(NotFound) as exc:
        ev.load_dataset("squad")
    assert "ieic-skills-v1" in str(exc.value) and "green-2022" in str(exc.value)
    with pytest.raises(ConfigError, match="IEIC_PUBLIC_DATA"):
        ev.load_dataset("green-2022", public_data=None)
    with pytest.raises(SourceError):
        ev.load_dataset("green-2022", public_data=REPO / "no-such-folder")


# -- the harness -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeMention:
    start: int
    end: int
    iri: str | None
    cue: str | None = None


class GoldExtractor:
    """Answers the gold of a data set (plus one negated mention per text, which must be dropped)."""

    def __init__(self, dataset: ev.Dataset, lang: str) -> None:
        self.gold = {p.text: p.spans for p in dataset.passages if p.lang == lang}

    def pipe(self, texts: Iterable[str], batch_size: int = 64, n_process: int = 1) -> Iterator[list[FakeMention]]:
        for text in texts:
            spans = self.gold[text]
            yield [FakeMention(s.start, s.end, s.iri) for s in spans] + [FakeMention(0, 1, PLC, "negated")]


def test_evaluate_with_a_perfect_extractor() -> None:
    ds = shipped()
    out = io.StringIO()
    report = ev.evaluate(lambda lang: GoldExtractor(ds, lang), ds, concepts=ev.concept_map(taxonomy()),
                         console=Console(file=out, width=200))  # fmt: skip
    assert [r.scope for r in report.rows] == ["all", "en", "zh"]
    for r in report.rows:
        assert r.exact.f1 == r.overlap.f1 == 1.0
        assert r.linking is not None and r.linking.f1 == 1.0
    assert report.esco_documents is not None and report.esco_documents.f1 == 1.0 and report.esco_passages >= 30
    assert report.documents == len(ds.passages) and report.examples == ()
    printed = out.getvalue()
    assert "ieic-skills-v1" in printed and "linking F1" in printed and "ESCO concepts per English passage" in printed
    json.dumps(report.as_dict())  # serialisable


def test_evaluate_with_an_extractor_that_finds_nothing() -> None:
    class Nothing:
        def pipe(self, texts: Iterable[str], batch_size: int = 64, n_process: int = 1) -> Iterator[list]:
            for _ in texts:
                yield []

    report = ev.evaluate(lambda lang: Nothing(), shipped(), console=None)
    row = report.row("all")
    assert row.exact.tp == 0 and row.exact.fn == row.gold_spans and row.predicted == 0
    assert {e.kind for e in report.examples} == {"missed"}
    with pytest.raises(NotFound):
        report.row("fr")


def test_spans_only_sets_are_not_linked() -> None:
    ds = ev.load_dataset("green-2022", public_data=public_data())
    report = ev.evaluate(lambda lang: GoldExtractor(ds, lang), ds, console=None)
    assert report.row("all").linking is None and report.esco_documents is None
    assert report.row("all").exact.f1 == 1.0


# -- end to end with the project's extractor -------------------------------------------------------------


def test_end_to_end_with_the_project_extractor() -> None:
    """The demo taxonomy + the ESCO subset, on the shipped set: the harness runs and gives F1 in [0, 1].

    No threshold: the figures are the business of `ieic-kg eval extraction` and bench/extraction/.
    """
    labels, concepts, definitions = ev.demo_label_set(DEMO)
    assert len({e.iri for e in labels}) == len(taxonomy()) + 21
    assert all(set(definitions[ev.SKILL_IRI_BASE + str(r["skill_code"])]) == {"zh", "en"} for r in taxonomy())
    report = ev.evaluate(
        ev.extractor_factory(labels, definitions=definitions), shipped(), concepts=concepts, console=None
    )
    for r in report.rows:
        assert r.predicted > 0, r.scope
        for s in (r.exact, r.overlap, r.linking):
            assert s is not None and 0.0 <= s.f1 <= 1.0
        assert r.exact.tp <= r.overlap.tp
    assert report.documents_per_second > 0


def test_dev_and_test_halves_split_the_set() -> None:
    full = ev.load_dataset("ieic-skills-v1")
    dev, test = ev.load_dataset("ieic-skills-v1-dev"), ev.load_dataset("ieic-skills-v1-test")
    assert {p.id for p in dev.passages} | {p.id for p in test.passages} == {p.id for p in full.passages}
    assert not {p.id for p in dev.passages} & {p.id for p in test.passages}
    assert all(int(p.id[-3:]) % 2 == 1 for p in dev.passages) and "held-out" in test.description
    for part in (dev, test):  # half of each language and kind, give or take one
        for lang in ("zh", "en"):
            for kind in ("syllabus", "posting"):
                n = sum(1 for p in part.passages if (p.lang, p.kind) == (lang, kind))
                total = sum(1 for p in full.passages if (p.lang, p.kind) == (lang, kind))
                assert abs(2 * n - total) <= 1, (part.name, lang, kind)
