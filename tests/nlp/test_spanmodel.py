"""The trained span model (ieic_kg/nlp/spanmodel.py): SkillSpan reading, training, the shipped weights in use."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ieic_kg.cli import app
from ieic_kg.errors import SourceError
from ieic_kg.nlp import LabelEntry, build_extractor
from ieic_kg.nlp.spanmodel import SHIPPED_MODEL, load_span_model, skillspan_docs

REPO = Path(__file__).resolve().parents[2]
PUBLIC = Path(os.environ.get("IEIC_PUBLIC_DATA", REPO.parent / "shared" / "data"))
PLC = "https://example.org/skill/PLC"
LABELS = [LabelEntry(PLC, "PLC programming", "en")]
POSTING = (
    "Requirements: PLC programming, experience with agile software development and strong project management "
    "skills; you will maintain customer relationships."
)


def test_skillspan_sentences_become_docs_with_one_label(tmp_path: Path) -> None:
    import spacy

    split = tmp_path / "train.json"
    row = {
        "tokens": ["design", "web", "applications", "in", "Java"],
        "tags_skill": ["B", "I", "I", "O", "O"],
        "tags_knowledge": ["O", "B", "O", "O", "B"],  # "web" overlaps the longer skill span: the longer wins
    }
    split.write_text(json.dumps(row) + "\n\n" + json.dumps(row) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        skillspan_docs(split, spacy.blank("en").vocab)
    assert err.value.line == 4 and err.value.file == str(split)
    split.write_text(json.dumps(row) + "\n", encoding="utf-8")
    (doc,) = skillspan_docs(split, spacy.blank("en").vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("design web applications", "SKILL"), ("Java", "SKILL")]


def test_train_spans_writes_a_loadable_model_and_replaces_the_old_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("IEIC_PUBLIC_DATA", str(PUBLIC))
    target = tmp_path / "model"
    target.mkdir()
    (target / "stale.txt").write_text("from an earlier model", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["train", "spans", "--output", str(target), "--steps", "6", "--limit", "40"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "span model written to" in result.output
    assert not (target / "stale.txt").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["model"]
    nlp = load_span_model(target)
    assert nlp.pipe_names == ["tok2vec", "ner"] and nlp.get_pipe("ner").labels == ("SKILL",)
    assert json.loads((target / "meta.json").read_text(encoding="utf-8"))["name"] == "ieic_skillspan_en"


def test_train_spans_without_the_data_says_where_to_get_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("IEIC_PUBLIC_DATA", str(tmp_path))
    result = CliRunner().invoke(app, ["train", "spans", "--output", str(tmp_path / "m")])
    assert result.exit_code != 0 and isinstance(result.exception, SourceError)  # `main` prints it with the hint
    assert "SkillSpan not found" in str(result.exception) and "IEIC_PUBLIC_DATA" in (result.exception.hint or "")
    assert result.exception.file == str(tmp_path / "skillspan" / "train.json")
    assert not (tmp_path / "m").exists()


def test_the_shipped_model_marks_skills_no_label_names() -> None:
    assert (SHIPPED_MODEL / "meta.json").is_file() and (SHIPPED_MODEL.parent / "NOTICE.md").is_file()
    plain = build_extractor(LABELS, "en")
    assert [m.method for m in plain.extract(POSTING)] == ["exact"]
    with_model = build_extractor(LABELS, "en", span_model=SHIPPED_MODEL)
    mentions = with_model.extract(POSTING)
    linked = [m for m in mentions if m.iri]
    found = [m for m in mentions if m.method == "span-model"]
    assert [m.text for m in linked] == ["PLC programming"]
    assert found and all(m.iri is None and POSTING[m.start : m.end] == m.text for m in found)
    assert any("software development" in m.text or "project management" in m.text for m in found), found
    assert not any(m.start < linked[0].end and linked[0].start < m.end for m in found)
    zh = build_extractor(LABELS, "zh", span_model=SHIPPED_MODEL)  # English only: Chinese texts are unchanged
    assert "ner" not in zh.nlp.pipe_names


def test_the_documents_loader_sends_what_the_model_finds_to_review(tmp_path: Path) -> None:
    from ieic_kg.loaders.documents import DocumentLoader

    posting = tmp_path / "posting.md"
    posting.write_text(f"# Automation engineer\n\n## Requirements\n\n{POSTING}\n", encoding="utf-8")
    loader = DocumentLoader([posting], "posting", LABELS, span_model=SHIPPED_MODEL)
    list(loader.records())
    terms = [c.term for c in loader.candidates]
    assert any("software development" in t or "project management" in t for t in terms), terms


def test_the_model_looks_only_at_content_sections() -> None:
    ex = build_extractor(LABELS, "en", span_model=SHIPPED_MODEL)
    text = f"Requirements\n{POSTING}\n\nEducation\nA degree in electrical engineering or mechatronics.\n"
    found = [m for m in ex.extract(text) if m.method == "span-model"]
    assert found and all(m.end <= text.index("Education") for m in found), found
