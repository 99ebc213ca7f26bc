"""A trained span model for English skill mentions: spaCy's NER (tok2vec + ner, no word vectors) on SkillSpan.

The rules of the extractor find what the taxonomy names; a posting also asks for skills no taxonomy lists yet.
This model, trained on the SkillSpan job-posting sentences (Zhang et al., NAACL 2022, MIT; skill and knowledge
spans as one label ``SKILL``), marks such stretches so that they reach the review queue as candidate terms
(method ``span-model``). It does not link and does not move the bounds of linked mentions: SkillSpan's spans
are longer than the project's guidelines, and re-bounding mentions by them lowered linking F1 (eval/README.md).

The weights ship in the package (``models/skillspan-en``, about 3.7 MB: hash embeddings of NORM, PREFIX, SUFFIX
and SHAPE, width 64, two CNN layers); ``ieic-kg train spans`` rebuilds them from ``<public data>/skillspan``.
It is opt-in (``build_extractor(..., span_model=SHIPPED_MODEL)``, ``ieic-kg load documents --span-model``):
with it the extractor reads 179 English postings per CPU-second instead of 549, so it is not on by default.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ieic_kg.errors import SourceError

#: The model shipped with the package.
SHIPPED_MODEL = Path(__file__).parent / "models" / "skillspan-en"
#: The training configuration (spaCy config system); ``ieic-kg train spans`` overrides paths, steps and seed.
CONFIG = Path(__file__).parent / "spanmodel.cfg"
LABEL = "SKILL"


def skillspan_docs(path: Path, vocab: Any) -> list[Any]:
    """The sentences of one SkillSpan split (``evaluation.read_skillspan``) as Docs whose entities are its skill
    and knowledge spans, labelled ``SKILL``; where two overlap, the longer is kept."""
    from spacy.tokens import Doc

    from ieic_kg.evaluation import read_skillspan

    docs = []
    for passage in read_skillspan(path).passages:
        doc = Doc(vocab, words=passage.text.split(" "))
        taken: set[int] = set()
        ents = []
        for gold in sorted(passage.spans, key=lambda g: (g.start - g.end, g.start)):
            span = doc.char_span(gold.start, gold.end, label=LABEL)
            if span is not None and not taken.intersection(range(span.start, span.end)):
                taken.update(range(span.start, span.end))
                ents.append(span)
        doc.ents = sorted(ents, key=lambda x: x.start)
        docs.append(doc)
    return docs


def train_span_model(
    skillspan: Path,
    output: Path,
    *,
    steps: int = 3000,
    limit: int = 0,
    seed: int = 0,
    progress: Any = None,
) -> dict[str, Any]:
    """Train the span model on ``skillspan/train.json`` (model selection on ``dev.json``) and write the best
    pipeline to ``output`` (replaced whole, never half-written). ``limit`` > 0 uses that many sentences of each
    split (for a quick check). Returns the dev scores of the written model."""
    import spacy
    from spacy.cli.train import train
    from spacy.tokens import DocBin

    for split in ("train.json", "dev.json"):
        if not (skillspan / split).is_file():
            raise SourceError(
                "SkillSpan not found", file=str(skillspan / split), hint="set IEIC_PUBLIC_DATA (it has skillspan/)"
            )
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ieic-spans-", dir=output.parent) as tmp:
        work = Path(tmp)
        vocab = spacy.blank("en").vocab
        for split in ("train", "dev"):
            docs = skillspan_docs(skillspan / f"{split}.json", vocab)
            DocBin(docs=docs[:limit] if limit else docs).to_disk(work / f"{split}.spacy")
        overrides = {
            "paths.train": str(work / "train.spacy"),
            "paths.dev": str(work / "dev.spacy"),
            "training.max_steps": steps,
            "training.eval_frequency": max(10, min(500, steps // 6)),
            "system.seed": seed,
        }
        if progress is not None:
            progress(f"training on {skillspan} for {steps} steps")
        train(CONFIG, work / "out", overrides=overrides)
        best = work / "out" / "model-best"
        meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
        meta.update(
            name="ieic_skillspan_en",
            description="ieic-kg span model: skill and knowledge spans of English job postings (SkillSpan, MIT)",
            sources=[{"name": "SkillSpan", "author": "Zhang et al., NAACL 2022", "license": "MIT"}],
        )
        (best / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
        staged = work / "staged"
        shutil.copytree(best, staged)
        if output.exists():
            shutil.rmtree(output)
        staged.rename(output)
    return dict(meta.get("performance") or {})


def load_span_model(path: Path | None = None) -> Any:
    """The span model at ``path`` (default the shipped one), loaded from disk: nothing is downloaded."""
    import spacy

    where = Path(path) if path is not None else SHIPPED_MODEL
    if not (where / "meta.json").is_file():
        raise SourceError("not a span model folder", file=str(where), hint="run `ieic-kg train spans --output DIR`")
    return spacy.load(where)


def model_spans(doc: Any) -> Iterable[tuple[int, int]]:
    """Character offsets of the entities the span model set on ``doc``."""
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ == LABEL]
