"""``ieic-kg eval``: measure the skill extractor on labelled sets (eval/README.md); ``ieic-kg train spans``: train
its optional span model (``ieic_kg/nlp/spanmodel.py``)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ieic_kg.config import load_settings
from ieic_kg.errors import ConfigError
from ieic_kg.evaluation import DATASETS, DEFAULT_DATASET

console = Console()
eval_app = typer.Typer(help="Measure extraction quality on labelled sets (评测).", no_args_is_help=True)
train_app = typer.Typer(help="Train the extractor's optional span model (训练).", no_args_is_help=True)

#: The labelled sets `ieic-kg eval extraction --set` accepts (the registry of ieic_kg.evaluation).
EvalSet = StrEnum("EvalSet", {name: name for name in DATASETS})  # type: ignore[misc]
DEFAULT_EVAL_SET = EvalSet(DEFAULT_DATASET)


class EscoLabels(StrEnum):
    subset = "subset"
    full = "full"


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


@eval_app.command("extraction")
def eval_extraction(
    dataset: Annotated[
        EvalSet,
        typer.Option(
            "--set",
            help="Labelled set: ieic-skills-v1 (eval/, Chinese and English, linked to IRIs) or its halves "
            "ieic-skills-v1-dev (tuning) and ieic-skills-v1-test (held out), or skillspan-dev, "
            "skillspan-test, green-2022 (English, spans only; read from IEIC_PUBLIC_DATA).",
        ),
    ] = DEFAULT_EVAL_SET,
    esco: Annotated[
        EscoLabels | None,
        typer.Option(
            help="ESCO labels the matcher gets besides the demo taxonomy: subset (the demo's "
            "esco_skills_subset.csv) or full (every skill of ESCO 1.1.1, from IEIC_PUBLIC_DATA). "
            "Default: subset for ieic-skills-v1, full for the public sets.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", help="table or json.")] = EvalFormat.table,
    examples: Annotated[int, typer.Option(min=0, help="How many errors to list under the table.")] = 12,
    sources: Annotated[Path | None, typer.Option(help="The demo folder (default: demo/ of this checkout).")] = None,
    similar_threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Turn on similarity linking of clauses no label names, at this cosine similarity (0.5 was tuned "
            "on the dev half; off by default: see eval/README.md).",
            show_default=False,
        ),
    ] = None,
    span_model: Annotated[
        bool,
        typer.Option(
            "--span-model",
            help="Add the shipped span model (English): the skill stretches it marks become span-only predictions.",
        ),
    ] = False,
) -> None:
    """Score the skill extractor on a labelled set: span and linking precision, recall, F1 per language."""
    from ieic_kg import evaluation as ev
    from ieic_kg.demo import default_demo_dir

    settings = load_settings()
    data = ev.load_dataset(str(dataset.value), public_data=settings.public_data)
    if esco is None:
        esco = EscoLabels.full if ev.DATASETS[data.name][0].startswith("public:") else EscoLabels.subset
    esco_path = None
    if esco is EscoLabels.full:
        if settings.public_data is None:
            raise ConfigError("--esco full reads ESCO 1.1.1 from the public data folder", hint="set IEIC_PUBLIC_DATA")
        esco_path = settings.public_data / ev.ESCO_ZIP
    labels, concepts, definitions = ev.demo_label_set((sources or default_demo_dir()) / "sources", esco=esco_path)
    from ieic_kg.nlp.spanmodel import SHIPPED_MODEL

    factory = ev.extractor_factory(
        labels,
        definitions=definitions,
        similar_threshold=similar_threshold,
        span_model=SHIPPED_MODEL if span_model else None,
    )
    report = ev.evaluate(factory, data, concepts=concepts, console=None, max_examples=examples)
    if fmt is EvalFormat.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        ev.render_report(report, console, examples=examples)


@train_app.command("spans")
def train_spans(
    output: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the model folder (default: the shipped one, ieic_kg/nlp/models/skillspan-en)."
        ),
    ] = None,
    steps: Annotated[int, typer.Option(min=1, help="Training steps (batches).")] = 3000,
    limit: Annotated[int, typer.Option(min=0, help="Use only this many sentences of each split (0: all).")] = 0,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Train the span model on SkillSpan (<IEIC_PUBLIC_DATA>/skillspan): spaCy NER for English skill mentions.

    The best model on SkillSpan's dev split replaces OUTPUT whole. About four minutes on one core for 3,000
    steps. Use it with `ieic-kg load documents --span-model` (the shipped folder) or build_extractor(span_model=).
    """
    from ieic_kg.nlp.spanmodel import SHIPPED_MODEL, train_span_model

    settings = load_settings()
    if settings.public_data is None:
        raise ConfigError("training reads SkillSpan from the public data folder", hint="set IEIC_PUBLIC_DATA")
    target = output or SHIPPED_MODEL
    scores = train_span_model(
        settings.public_data / "skillspan", target, steps=steps, limit=limit, seed=seed, progress=console.print
    )
    console.print(
        f"span model written to {target}: SkillSpan dev P {scores.get('ents_p', 0):.3f} "
        f"R {scores.get('ents_r', 0):.3f} F1 {scores.get('ents_f', 0):.3f}"
    )


def register(app: typer.Typer) -> None:
    """Add ``eval extraction`` and ``train spans`` to the ``ieic-kg`` app."""
    app.add_typer(eval_app, name="eval")
    app.add_typer(train_app, name="train")
