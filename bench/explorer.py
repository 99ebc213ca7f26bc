"""How long the web explorer's program view takes to show its answer, against the API requests behind it.

    .venv/bin/python bench/explorer.py [--url http://127.0.0.1:8000] [--runs 10]

Needs a running ``ieic-kg serve`` on the demo graph (``ieic-kg demo`` first), the built page (``make web``)
and Debian's ``/usr/bin/chromium``. For each run it opens a fresh browser context (empty cache) on
``/explorer/#program?program=460305&industry=3491`` in headless Chromium and measures the time until the
coverage figure is shown and until the heatmap is drawn. The **baseline**, measured in the same run, is the
same API requests the page makes for that view, sent one after another from Python (httpx, one connection):
the difference is what the browser adds (loading and running the page, the requests it can overlap, drawing).
Also prints the sizes of the built files, raw and gzip-compressed. It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time

import httpx
from ieic_kg.api.explorer import CHROMIUM, CHROMIUM_ARGS, STATIC_DIR

PROGRAM, INDUSTRY = "460305", "3491"


def api_baseline(base: str) -> float:
    """Seconds for the requests of the program view, one after another."""
    start = time.perf_counter()
    with httpx.Client(base_url=base, timeout=60) as c:
        for path in ("/v1/types", "/v1/relations"):
            c.get(path).raise_for_status()
        c.get("/v1/queries/programs/run").raise_for_status()
        c.get("/v1/queries/industries/run").raise_for_status()
        target = {"program": PROGRAM, "industry": INDUSTRY}
        a = c.get("/v1/alignment", params={**target, "paths": 100})
        a.raise_for_status()
        c.get("/v1/alignment/matrix", params=target).raise_for_status()
        c.get("/v1/alignment/partners", params=target).raise_for_status()
        body = a.json()
        gaps = ",".join(body["gaps"])
        c.get("/v1/queries/gap_courses/run", params={"program": body["program"]["iri"], "skills": gaps})
    return time.perf_counter() - start


def page_times(browser: object, base: str) -> tuple[float, float]:
    """Seconds from navigation to the coverage figure, and to the drawn heatmap, in a fresh context."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        start = time.perf_counter()
        page.goto(f"{base}/explorer/#program?program={PROGRAM}&industry={INDUSTRY}")
        page.wait_for_selector("[data-testid=coverage]")
        coverage = time.perf_counter() - start
        page.wait_for_selector("[data-testid=heatmap] tbody tr")
        heatmap = time.perf_counter() - start
        return coverage, heatmap
    finally:
        context.close()


def sizes() -> list[tuple[str, int, int]]:
    files = sorted(p for p in STATIC_DIR.rglob("*") if p.is_file())
    return [(str(p.relative_to(STATIC_DIR)), p.stat().st_size, len(gzip.compress(p.read_bytes(), 6))) for p in files]


def ms(xs: list[float], q: float) -> str:
    xs = sorted(xs)
    return f"{1000 * xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]:7.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="a running ieic-kg serve")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    base = args.url.rstrip("/")
    if not (STATIC_DIR / "index.html").is_file():
        raise SystemExit(f"{STATIC_DIR} has no index.html: run `make web`")
    if not CHROMIUM.is_file():
        raise SystemExit("/usr/bin/chromium is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    print(f"{'file':40} {'bytes':>10} {'gzip':>10}")
    for name, raw, packed in sizes():
        print(f"{name:40} {raw:10,} {packed:10,}")

    api_baseline(base)  # warm the server's caches and Neo4j's
    baseline, coverage, heatmap = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            page_times(browser, base)  # warm the browser
            for _ in range(args.runs):
                baseline.append(api_baseline(base))
                c, h = page_times(browser, base)
                coverage.append(c)
                heatmap.append(h)
        finally:
            browser.close()
    print(f"\n{args.runs} runs, ms{'':28} {'p50':>7} {'p95':>7}")
    for name, xs in (
        ("baseline: the view's API requests", baseline),
        ("page: coverage shown", coverage),
        ("page: heatmap drawn", heatmap),
    ):
        print(f"{name:40} {ms(xs, 0.5)} {ms(xs, 0.95)}")
    ratio = statistics.median(heatmap) / statistics.median(baseline)
    print(f"\npage (heatmap drawn) / baseline, medians: {ratio:.2f}")


if __name__ == "__main__":
    main()
