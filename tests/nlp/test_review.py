"""The review queue of unlinked terms, and decisions reused by later runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ieic_kg.loaders.documents import DocumentLoader

from ieic_kg.errors import NotFound
from ieic_kg.nlp import Decisions, ReviewQueue
from ieic_kg.records import EdgeRecord, NodeRecord

from .conftest import SKILL

POSTING = """Position: Automation Engineer

Requirements
- Experience with Sysmac Studio and PLC programming.
- Knowledge of robot cells.
- Familiar with Zivid.
"""


def _load(tmp_path: Path, labels, decisions=None) -> DocumentLoader:
    path = tmp_path / "posting.txt"
    path.write_text(POSTING, encoding="utf-8")
    loader = DocumentLoader([path], "posting", labels, decisions=decisions)
    loader.records_list = list(loader.records())  # type: ignore[attr-defined]
    return loader


def test_queue_counts_examples_and_suggestions(tmp_path: Path, demo_labels) -> None:
    queue = ReviewQueue(tmp_path / "review")
    loader = _load(tmp_path, demo_labels)
    terms = {c.term for c in loader.candidates}
    assert {"Sysmac Studio", "robot cells", "Zivid"} <= terms
    assert queue.add(loader.candidates, loader.extractors) == len(terms)
    assert queue.add(loader.candidates, loader.extractors) == 0  # the same terms again: counted, not new
    items = {i["term"]: i for i in queue.list()}
    tia = items["Sysmac Studio"]
    assert tia["count"] == 2 and tia["documents"] == 1 and tia["lang"] == "en" and tia["status"] == "pending"
    assert tia["examples"][0]["sentence"] == "Experience with Sysmac Studio and PLC programming."
    start, end = tia["examples"][0]["start"], tia["examples"][0]["end"]
    assert POSTING[start:end] == "Sysmac Studio"
    assert items["robot cells"]["suggestion"]["method"] in ("fuzzy", "similar")
    lines = (tmp_path / "review" / "queue.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["key"] for line in lines)


def test_suggestions_are_near_spellings_or_names_saying_the_same(en, zh) -> None:
    entry, score, method = zh.suggest("PLC编成")  # a typo: the near spelling
    assert (entry.iri, method) == (SKILL + "SK-ELEC-PLC", "fuzzy") and score >= 80
    entry, score, method = en.suggest("robot welding cell set-up")  # other words for the same task
    assert (entry.iri, method) == (SKILL + "SK-ROB-INT-WELD", "similar")
    # a far-off label misleads: "Circuit analysis" shares a word and a fuzzy ratio of 69, nothing more
    assert en.suggest("root cause analysis") is None


def test_review_candidates_are_terms_not_jobs_or_plain_words(en) -> None:
    text = (
        "Automation Engineer\n\nResponsibilities\n- Commission PLC programs and write test reports.\n"
        "- Liaise with suppliers; brazing of fittings.\n\nRequirements\n- Experience with root cause analysis."
    )
    unlinked = {m.text for m in en.extract(text) if not m.iri}
    assert {"brazing", "root cause analysis"} <= unlinked  # an activity word, a multi-word term
    assert not unlinked & {"Automation Engineer", "reports", "test reports", "suppliers"}


def test_decisions_are_reused_by_a_later_run(tmp_path: Path, demo_labels) -> None:
    queue = ReviewQueue(tmp_path / "review")
    first = _load(tmp_path, demo_labels)
    queue.add(first.candidates, first.extractors)
    plc = SKILL + "SK-ELEC-PLC"
    d1 = queue.accept("Sysmac Studio", alt_of=plc, by="steward")
    d2 = queue.reject("robot cells", by="steward", note="a place, not a skill")
    d3 = queue.accept("Zivid", new_skill_key="SK-SENS-VIS-ZIVID", by="steward")
    assert (d1.decision, d2.decision, d3.decision) == ("alt-label", "reject", "new-skill")
    assert d1.by == "steward" and d1.at.endswith("+00:00")
    log = [json.loads(x) for x in (tmp_path / "review" / "decisions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["decision"] for x in log] == ["alt-label", "reject", "new-skill"]
    assert queue.list() == [i for i in queue.list() if i["term"] not in ("Sysmac Studio", "robot cells", "Zivid")]
    assert {i["term"]: i["status"] for i in queue.list(status=None)}["robot cells"] == "rejected"

    decisions = Decisions(tmp_path / "review")
    second = _load(tmp_path, demo_labels, decisions)
    terms = {c.term for c in second.candidates}
    assert not terms & {"Sysmac Studio", "robot cells", "Zivid"}
    edges = [r for r in second.records_list if isinstance(r, EdgeRecord) and r.predicate == "requiresSkill"]  # type: ignore[attr-defined]
    tia = next(m for m in second.extractor("en").extract(POSTING) if m.text == "Sysmac Studio")
    assert tia.iri == plc and tia.method == "exact"  # the accepted alternative label is a pattern now
    halcon_iri = "https://w3id.org/ieic-kg/id/skill/SK-SENS-VIS-ZIVID"
    assert any(e.target.iri == halcon_iri for e in edges)
    nodes = [r for r in second.records_list if isinstance(r, NodeRecord) and r.cls == "Skill"]  # type: ignore[attr-defined]
    assert [(n.key, dict(n.properties)) for n in nodes] == [("SK-SENS-VIS-ZIVID", {"label_en": "Zivid"})]


def test_deciding_an_unknown_term(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        ReviewQueue(tmp_path / "review").reject("nothing")
