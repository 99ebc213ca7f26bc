"""Throughput of the extractor on job postings with a realistic pattern set (ESCO 1.1.1 skills).

``python -m ieic_kg.nlp.bench [--esco ZIP] [--docs N] [--n-process K]`` builds the English extractor
from every preferred and alternative label of ESCO's skills_en.csv (plus the demo taxonomy), makes N
postings of about 150 words by recombining the sentences of the demo's English postings (seeded, so
every run reads the same texts), and reports the build time, the memory it took, and postings per
second through ``Extractor.pipe``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import resource
import time
import zipfile
from pathlib import Path

from ieic_kg.nlp.extractor import build_extractor
from ieic_kg.nlp.labels import LabelEntry, labels_from_table

DEMO = Path(__file__).resolve().parents[2] / "demo"
DEFAULT_ESCO = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "esco-1.1.1" / "esco-v1.1.1-classification-en-csv.zip"
)


def esco_labels(zip_path: Path) -> list[LabelEntry]:
    """Every preferred and alternative English label of the ESCO skills in a classification zip."""
    with zipfile.ZipFile(zip_path) as z, z.open("skills_en.csv") as fh:
        rows = list(csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8")))
    columns = {"preferredLabel": ("en", "label"), "altLabels": ("en", "altLabel")}
    return labels_from_table(rows, iri="conceptUri", columns=columns, split="\n", source="esco-1.1.1")


def postings(n: int, seed: int = 7) -> list[str]:
    """``n`` English postings of about 150 words made from the demo's English posting sentences."""
    sentences: list[str] = []
    for line in (DEMO / "sources" / "job_postings.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("lang") == "en":
            sentences += [s.strip() + "." for s in record["description"].split(". ") if s.strip()]
    for path in sorted((DEMO / "sources" / "documents" / "postings").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.isascii():
            sentences += [s.strip("- ").strip() for s in text.splitlines() if len(s.split()) > 3]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words, parts = 0, [f"Position: Engineer {i}", "Responsibilities"]
        while words < 110:
            s = rng.choice(sentences)
            parts.append("- " + s)
            words += len(s.split())
        parts.append("Requirements")
        while words < 150:
            s = rng.choice(sentences)
            parts.append("- " + s)
            words += len(s.split())
        out.append("\n".join(parts) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=DEFAULT_ESCO)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--no-fuzzy", action="store_true", help="turn fuzzy linking off")
    parser.add_argument("--no-memo", action="store_true", help="do not memoise fuzzy lookups (a cold corpus)")
    args = parser.parse_args()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    labels = esco_labels(args.esco)
    t = time.perf_counter()
    extractor = build_extractor(labels, "en", fuzzy_threshold=100 if args.no_fuzzy else 90)
    build = time.perf_counter() - t
    if args.no_memo:
        extractor.state.fuzzy_memo = None
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    texts = postings(args.docs)
    words = sum(len(t.split()) for t in texts) / len(texts)
    list(extractor.pipe(texts[:50]))  # warm up
    t, cpu = time.perf_counter(), time.process_time()
    mentions = sum(len(m) for m in extractor.pipe(texts, batch_size=256, n_process=args.n_process))
    seconds, cpu_seconds = time.perf_counter() - t, time.process_time() - cpu
    print(
        json.dumps(
            {
                "labels": len(labels),
                "entities": len({e.iri for e in labels}),
                "patterns": len(extractor.state.index.variants()),
                "build_seconds": round(build, 2),
                "build_peak_rss_mb": round((rss1 - rss0) / 1024),
                "docs": len(texts),
                "words_per_doc": round(words),
                "mentions": mentions,
                "n_process": args.n_process,
                "fuzzy": not args.no_fuzzy,
                "fuzzy_memo": not args.no_memo,
                "docs_per_second": round(len(texts) / seconds),
                # CPU time of this process: the rate of one core even when the machine is busy
                "docs_per_cpu_second": round(len(texts) / cpu_seconds) if args.n_process == 1 else None,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
