"""The web explorer in a real browser: Debian's headless Chromium driven by Playwright, against a real
``ieic-kg serve`` on the demo graph. Every figure and label the page shows is checked against what the API
answers for the same question. A screenshot of each step goes to ``test-artifacts/web/`` (printed).

Needs the built page (``make web``) and ``/usr/bin/chromium`` (``apt-get install chromium``); without either
the tests fail saying so. No browser is downloaded.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from conftest import REPO
from fastapi import FastAPI
from ieic_kg.api.errors import install_error_handlers
from ieic_kg.api.explorer import CHROMIUM, CHROMIUM_ARGS, STATIC_DIR, built, mount_explorer
from ieic_kg.api.security import key_digest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ieic_kg.neo4j_server import Neo4jConnection

from .conftest import INDUSTRY, PROGRAM, serve_in_process
from .http_server import Server, free_port, server_env, start_server, stop_server

pytestmark = pytest.mark.neo4j

ARTIFACTS = REPO / "test-artifacts" / "web"
READER_KEY = "explorer-test-reader-key"
SKILL = "https://w3id.org/ieic-kg/id/skill/"
TIMEOUT = 30_000  # ms, for the page to show what it fetched (the machine may be loaded)


def start_explorer(conn: Neo4jConnection, demo: Path, tmp: Path, **settings: str) -> Server:
    """``ieic-kg serve`` on the demo graph and a copy of its RDF store, configured only by IEIC_* variables,
    with one reader key."""
    assert built(), f"the explorer is not built ({STATIC_DIR} has no index.html): run `make web`"
    shutil.copytree(demo / "rdf", tmp / "data" / "rdf")
    port = free_port()
    env = server_env(
        conn,
        tmp / "data",
        IEIC_API_KEYS=json.dumps({key_digest(READER_KEY): "reader"}),
        IEIC_API_RATE_LIMIT="0",
        **settings,
    )
    ieic_kg = Path(sys.executable).parent / "ieic-kg"
    args = [str(ieic_kg), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return start_server(args, env, tmp / "serve.log", port)


@pytest.fixture(scope="module")
def explorer(
    demo_graph: Path, neo4j_connection: Neo4jConnection, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    server = start_explorer(neo4j_connection, demo_graph, tmp_path_factory.mktemp("explorer"))
    try:
        yield server
    finally:
        assert stop_server(server) == 0, server.output()


@pytest.fixture(scope="module")
def api(explorer: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=explorer.base_url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: apt-get install chromium (Debian's package; no download)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            yield b
        finally:
            b.close()


class Shots:
    """Screenshots of the steps of one test, numbered, under test-artifacts/web/<test>/."""

    def __init__(self, page: Any, name: str) -> None:
        self.page = page
        self.dir = ARTIFACTS / name
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):
            old.unlink()
        self.n = 0

    def __call__(self, step: str, *, full: bool = False) -> None:
        self.n += 1
        path = self.dir / f"{self.n:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=full)
        print(f"screenshot: {path.relative_to(REPO)}")


@pytest.fixture
def page(browser: Any, explorer: Server, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page (English first, a laptop's window) that records every request and every script error;
    after the test, nothing may have gone to another origin and no script may have failed."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB", accept_downloads=True)
    context.add_init_script("localStorage.getItem('ieic-lang') || localStorage.setItem('ieic-lang', 'en')")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT)
    requests: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.shots = Shots(pg, request.node.name)
    pg.errors = errors
    try:
        yield pg
    finally:
        context.close()
    foreign = [u for u in requests if not u.startswith((explorer.base_url + "/", "blob:", "data:"))]
    assert not foreign, f"the page fetched from elsewhere: {foreign}"
    assert not errors, f"script errors or failed requests: {errors}"


def open_view(page: Any, base: str, view: str, **params: str) -> None:
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
    page.goto(f"{base}/explorer/#{view}" + (f"?{query}" if query else ""))
    page.wait_for_selector("body[data-ready=true]")


def percent(x: float) -> str:
    """The page's rendering of a share (Intl, at most one decimal)."""
    return f"{round(x * 100, 1):.1f}".removesuffix(".0") + "%"


# -- serving ------------------------------------------------------------------------------------------------


def test_served_with_caching_and_security_headers(api: httpx.Client) -> None:
    root = api.get("/", follow_redirects=False)
    assert root.status_code == 307 and root.headers["location"] == "/explorer/"
    index = api.get("/explorer/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    assert index.headers["cache-control"] == "no-cache"
    assert "default-src 'self'" in index.headers["content-security-policy"]
    assets = re.findall(r'(?:src|href)="(/explorer/assets/[^"]+)"', index.text)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), index.text
    for a in assets:
        r = api.get(a, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200, a
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable", a
        if a.endswith(".js"):
            assert r.headers.get("content-encoding") == "gzip", "the script goes out compressed"
    assert not re.search(r"https?://", index.text), "index.html names no other origin"
    assert api.get("/explorer/assets/no-such-file.js").status_code == 404


def test_unbuilt_explorer_says_how_to_build(tmp_path: Path) -> None:
    app = FastAPI()
    install_error_handlers(app)
    mount_explorer(app, tmp_path)  # an empty folder: nothing built
    with serve_in_process(app) as c:
        r = c.get("/explorer/")
        assert r.status_code == 503, r.text
        body = r.json()
        assert body["title"] == "Explorer not built" and "make web" in body["hint"], body
        assert c.get("/", follow_redirects=False).headers["location"] == "/explorer/"


# -- the program view -----------------------------------------------------------------------------------------


def test_program_view_answers_what_is_missing_and_who_can_help(page: Any, explorer: Server, api: httpx.Client) -> None:
    truth = api.get("/v1/alignment", params={"program": PROGRAM, "industry": INDUSTRY, "paths": 100}).json()
    skills = {s["skill"]: s for s in truth["skills"]}
    assert truth["gaps"], "the demo program has gaps for industry 3491"

    # start elsewhere and choose the program and the industry in the form
    open_view(page, explorer.base_url, "program", program="460103", industry="34")
    page.select_option("[data-testid=program-select]", PROGRAM)
    page.select_option("[data-testid=industry-select]", INDUSTRY)
    coverage = page.locator("[data-testid=coverage]")
    page.wait_for_function(
        "v => document.querySelector('[data-testid=coverage]')?.dataset.value === v", arg=str(truth["coverage"])
    )
    assert coverage.inner_text() == percent(truth["coverage"])
    assert page.locator("[data-testid=count-gaps]").inner_text() == str(len(truth["gaps"]))
    assert page.locator("[data-testid=count-demanded]").inner_text() == str(len(truth["skills"]))
    assert f"program={PROGRAM}" in page.url and f"industry={INDUSTRY}" in page.url
    page.shots("coverage")

    # the heatmap: one row per demanded skill, one column per course, each cell the course's t·m for the skill
    m = api.get("/v1/alignment/matrix", params={"program": PROGRAM, "industry": INDUSTRY}).json()
    heat = page.locator("[data-testid=heatmap]")
    assert heat.locator("tbody tr").evaluate_all("els => els.map(e => e.dataset.skill)") == [
        s["iri"] for s in m["skills"]
    ]
    assert heat.locator("tbody tr.gap-row").count() == len(truth["gaps"])
    assert heat.locator("thead th.course-col").all_inner_texts() == [c["code"] for c in m["courses"]]
    plc = next(j for j, s in enumerate(m["skills"]) if s["code"] == "SK-ELEC-PLC")
    cells = heat.locator(f"tbody tr[data-skill='{SKILL}SK-ELEC-PLC'] td.cell").all_inner_texts()
    expected = {c["course"]: c["score"] for c in m["cells"] if c["skill"] == plc}
    assert expected, "some course teaches PLC programming"
    for i, text in enumerate(cells):
        if i in expected:
            assert float(text) == pytest.approx(expected[i], abs=0.006), m["courses"][i]["code"]
        else:
            assert text.strip() == "", m["courses"][i]["code"]
    heat.scroll_into_view_if_needed()
    page.shots("heatmap")

    # the gaps, in the API's order (demand, then trend), each with the partners the API names
    items = page.locator("[data-testid=gap-list] > li")
    assert items.evaluate_all("els => els.map(e => e.dataset.skill)") == truth["gaps"]
    first = skills[truth["gaps"][0]]
    assert items.first.locator(".skill-label").inner_text() == first["label_en"]
    shown = items.first.locator(".helper-name").all_inner_texts()
    assert shown == [p["helper_en"] or p["helper_zh"] for p in first["partners"]]
    assert shown, "the first gap has someone who can help"
    # a gap no course teaches still points at the course whose syllabus mentions it
    vc = page.locator(f"[data-testid=gap-list] > li[data-skill='{SKILL}SK-SW-VC'] li[data-relation=mentioned]")
    assert "GR3002" in vc.inner_text() and "Not covered" in vc.inner_text()
    page.locator("[data-testid=gap-list]").scroll_into_view_if_needed()
    page.shots("gaps")

    # the partner enterprises, as the API ranks them, with the resources that cover gaps
    partners = api.get("/v1/alignment/partners", params={"program": PROGRAM, "industry": INDUSTRY}).json()
    table = page.locator("[data-testid=partner-table]")
    assert table.locator("tbody th").all_inner_texts() == [e["enterprise_en"] for e in partners["enterprises"]]
    hosts = [r for e in partners["enterprises"] for r in e["hosts"] if any(x["gap"] for x in r["skills"])]
    assert hosts and table.locator(".resource").count() == len(hosts)

    # a gap's "Show paths" opens the path explorer on that skill: who demands it, and no course
    items.first.get_by_role("button").click()
    page.wait_for_function(
        "v => document.querySelector('[data-testid=focus-select]')?.value === v", arg=truth["gaps"][0]
    )
    edges = page.locator("[data-testid=edge-list] button").evaluate_all("els => els.map(e => e.dataset.edge)")
    skill = f"skill:{truth['gaps'][0]}"
    assert {f"occ:{o['code']}|REQUIRES_SKILL|{skill}" for o in first["occupations"]} <= set(edges)
    assert not [e for e in edges if e.startswith("course:")], "a gap has no course in its paths"
    page.shots("gap-paths")


def test_occupation_target(page: Any, explorer: Server, api: httpx.Client) -> None:
    occupation = "6-31-07-03"
    truth = api.get("/v1/alignment", params={"program": PROGRAM, "occupation": occupation}).json()
    cells = api.get("/v1/alignment/coverage", params={"program": PROGRAM}).json()["cells"]
    open_view(page, explorer.base_url, "program", program=PROGRAM, industry=INDUSTRY)
    page.get_by_test_id("coverage").wait_for()
    page.get_by_test_id("target-occupation").check()
    select = page.get_by_test_id("occupation-select")
    select.wait_for()
    options = select.locator("option").evaluate_all("els => els.map(e => e.value)")
    assert options == [c["occupation"] for c in cells if c["demanded"] > 0]
    select.select_option(occupation)
    page.wait_for_function(
        "v => document.querySelector('[data-testid=coverage]')?.dataset.value === v", arg=str(truth["coverage"])
    )
    assert page.get_by_test_id("coverage").inner_text() == percent(truth["coverage"])
    assert page.locator("#summary-title").inner_text().endswith(f"{occupation} {truth['occupation']['label_en']}")
    gaps = page.locator("[data-testid=gap-list] > li").evaluate_all("els => els.map(e => e.dataset.skill)")
    assert gaps == truth["gaps"]
    assert "target=occupation" in page.url and f"occupation={occupation}" in page.url
    assert page.get_by_test_id("partner-table").count() == 0, "partner enterprises are per industry"
    page.shots("occupation")


def test_language_switch_shows_every_label_in_chinese(page: Any, explorer: Server, api: httpx.Client) -> None:
    truth = api.get("/v1/alignment", params={"program": PROGRAM, "industry": INDUSTRY}).json()
    gap = next(s for s in truth["skills"] if s["skill"] == truth["gaps"][0])
    open_view(page, explorer.base_url, "program", program=PROGRAM, industry=INDUSTRY)
    label = page.locator("[data-testid=gap-list] > li").first.locator(".skill-label")
    assert label.inner_text() == gap["label_en"]
    assert page.locator("#tab-program").inner_text() == "Program view"

    page.get_by_test_id("lang-toggle").click()
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    label = page.locator("[data-testid=gap-list] > li").first.locator(".skill-label")
    label.wait_for()
    assert label.inner_text() == gap["label_zh"]
    assert page.locator("#tab-program").inner_text() == "专业对接"
    assert page.locator("#summary-title").inner_text() == (
        f"{PROGRAM} {truth['program']['label_zh']} → {INDUSTRY} {truth['industry']['label_zh']}"
    )
    helper = page.locator("[data-testid=gap-list] > li").first.locator(".helper-name").first
    assert helper.inner_text() == gap["partners"][0]["helper_zh"]
    page.shots("chinese", full=True)

    # the choice is kept: a reload stays in Chinese
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#tab-program").inner_text() == "专业对接"
    page.get_by_test_id("lang-toggle").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")


def test_tablet_layout_keeps_long_chinese_names_inside(browser: Any, explorer: Server) -> None:
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="zh-CN", has_touch=True)
    context.add_init_script("localStorage.setItem('ieic-lang', 'zh')")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    shots = Shots(page, "test_tablet_layout")
    try:
        for view in ("program", "paths", "community"):
            open_view(page, explorer.base_url, view, program=PROGRAM, industry=INDUSTRY)
            page.wait_for_selector(".panel:not([hidden]) .results:not([aria-busy]) .card")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{view}: the page is {overflow}px wider than a tablet's screen"
            shots(view)
    finally:
        context.close()


# -- the path explorer ----------------------------------------------------------------------------------------


def click_edge(page: Any, edge_id: str, attempts: int = 5) -> None:
    """Click the middle of an edge of the path graph, where Cytoscape.js drew it on its canvas, until the page
    marks that edge selected (a click while the graph still settles after a new focus can miss it)."""
    selected = page.locator(f"[data-testid=edge-list] button[data-edge='{edge_id}'][aria-pressed=true]")
    for _ in range(attempts):
        _click_edge_once(page, edge_id)
        try:
            selected.wait_for(timeout=3000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"clicking edge {edge_id} on the canvas never selected it ({attempts} attempts)")


def _click_edge_once(page: Any, edge_id: str) -> None:
    point = page.evaluate(
        """id => {
            const cy = window.ieicExplorer.paths;
            const e = cy.getElementById(id);
            if (e.empty()) return null;
            const m = e.renderedMidpoint();
            let box = cy.container().getBoundingClientRect();
            window.scrollBy(0, box.top + m.y - window.innerHeight / 2);  // the middle of the edge on screen
            box = cy.container().getBoundingClientRect();
            return {x: box.left + m.x, y: box.top + m.y};
        }""",
        edge_id,
    )
    assert point is not None, f"no edge {edge_id} in the graph"
    page.mouse.click(point["x"], point["y"])


def test_path_edge_shows_its_evidence(page: Any, explorer: Server, api: httpx.Client) -> None:
    skill = SKILL + "SK-ROB-OPS"
    course = api.get("/v1/entities/Course/GR3001").json()
    rel = next(
        n["relationship"]["properties"]
        for n in api.get(
            "/v1/entities/neighbours", params={"iri": course["iri"], "rel": "TEACHES_SKILL", "direction": "out"}
        ).json()["items"]
        if n["node"]["iri"] == skill
    )
    assert rel["evidence"] and rel["matchedText"] in rel["evidence"], "the demo syllabus states this with evidence"
    run = api.get(f"/v1/loads/{rel['loadRun'].rsplit('/', 1)[1]}").json()
    document = api.get("/v1/entities", params={"iri": rel["evidenceDocument"]}).json()

    open_view(page, explorer.base_url, "paths", program=PROGRAM, industry=INDUSTRY)
    page.wait_for_selector("[data-testid=edge-list] button")
    page.shots("best-paths")
    page.select_option("[data-testid=focus-select]", skill)
    edge = f"course:GR3001|TEACHES_SKILL|skill:{skill}"
    page.wait_for_selector(f"[data-testid=edge-list] button[data-edge='{edge}']")
    click_edge(page, edge)

    panel = page.get_by_test_id("evidence")
    excerpt = panel.get_by_test_id("evidence-excerpt")
    excerpt.wait_for()
    assert excerpt.inner_text() == rel["evidence"]
    assert excerpt.locator("mark").inner_text() == rel["matchedText"]
    assert panel.get_by_test_id("evidence-run").inner_text() == run["runId"]
    assert panel.get_by_test_id("evidence-document").inner_text() == (
        document["label"]["en"] or document["label"]["zh"]
    )
    assert panel.get_by_test_id("evidence-sources").inner_text() == ", ".join(rel["source"])
    assert "GR3001" in panel.locator(".edge-title").inner_text()
    assert page.locator(f"[data-testid=edge-list] button[data-edge='{edge}']").get_attribute("aria-pressed") == "true"
    page.shots("edge-evidence")

    # the same from the keyboard: an occupation's demand (taxonomy data: a source and a run, no excerpt)
    occupation = next(
        s
        for s in api.get("/v1/alignment", params={"program": PROGRAM, "industry": INDUSTRY}).json()["skills"]
        if s["skill"] == skill
    )["occupations"][0]
    button = page.locator(
        f"[data-testid=edge-list] button[data-edge='occ:{occupation['code']}|REQUIRES_SKILL|skill:{skill}']"
    )
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "code => document.querySelector('[data-testid=evidence] .edge-title')?.textContent.includes(code)",
        arg=occupation["code"],
    )
    panel.get_by_test_id("evidence-sources").wait_for()
    assert panel.get_by_test_id("evidence-sources").inner_text() == ", ".join(occupation["source"])
    assert panel.get_by_test_id("evidence-run").inner_text() == occupation["loadRun"].rsplit("/", 1)[1]
    assert panel.get_by_test_id("evidence-excerpt").count() == 0
    page.shots("keyboard-evidence")

    # an extracted link (a syllabus sentence matched by the extractor) shows its method and confidence
    truth = api.get("/v1/alignment", params={"program": PROGRAM, "industry": INDUSTRY}).json()
    demanded = {s["skill"]: s for s in truth["skills"]}
    extracted = next(
        n
        for n in api.get(
            "/v1/entities/neighbours", params={"iri": course["iri"], "rel": "TEACHES_SKILL", "direction": "out"}
        ).json()["items"]
        if "confidence" in n["relationship"]["properties"]
        and any(
            x["course_code"] == "GR3001" and x["hops"] == 0
            for x in demanded.get(n["node"]["iri"], {}).get("supplies", [])
        )
    )
    props = extracted["relationship"]["properties"]
    page.select_option("[data-testid=focus-select]", extracted["node"]["iri"])
    button = page.locator(
        f"[data-testid=edge-list] button[data-edge='course:GR3001|TEACHES_SKILL|skill:{extracted['node']['iri']}']"
    )
    button.focus()
    page.keyboard.press("Enter")
    panel.get_by_test_id("evidence-confidence").wait_for()
    assert panel.get_by_test_id("evidence-confidence").inner_text() == f"{props['confidence']:.2f}".rstrip("0").rstrip(
        "."
    )
    assert panel.get_by_test_id("evidence-excerpt").locator("mark").inner_text() == props["matchedText"]
    assert props["method"] in panel.inner_text()
    page.shots("extracted-evidence")


# -- trends, console, community ---------------------------------------------------------------------------------


def test_demand_trends(page: Any, explorer: Server, api: httpx.Client) -> None:
    truth = api.get("/v1/alignment/trends", params={"industry": INDUSTRY, "window": "quarter"}).json()
    open_view(page, explorer.base_url, "trends", industry=INDUSTRY)
    page.select_option("[data-testid=trend-window]", "quarter")
    table = page.get_by_test_id("trend-table")
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=trend-table] thead th').length === n",
        arg=2 + len(truth["periods"]),
    )
    assert table.locator("thead th").all_inner_texts()[1:-1] == truth["periods"]
    assert table.locator("tbody tr").count() == len(truth["skills"])
    py = next(s for s in truth["skills"] if s["skill"] == SKILL + "SK-SW-PY")
    row = table.locator(f"tbody tr[data-skill='{SKILL}SK-SW-PY'] td")
    assert row.all_inner_texts()[:-1] == [str(n) for n in py["counts"]]
    assert row.last.inner_text().endswith(str(py["change"]))
    assert page.locator(".chart-box canvas").count() == 1
    page.shots("trends")


def test_query_console_runs_a_named_query_and_downloads_csv(page: Any, explorer: Server, api: httpx.Client) -> None:
    truth = api.get("/v1/queries/partner_enterprises/run", params={"program": PROGRAM, "industry": INDUSTRY}).json()
    header = next(q for q in api.get("/v1/queries").json() if q["name"] == "partner_enterprises")
    open_view(page, explorer.base_url, "queries")
    page.select_option("[data-testid=query-select]", "partner_enterprises")
    inputs = page.locator("[data-param]")
    assert inputs.evaluate_all("els => els.map(e => e.dataset.param)") == [p["name"] for p in header["params"]]
    page.fill("[data-param=program]", PROGRAM)
    page.fill("[data-param=industry]", INDUSTRY)
    page.get_by_test_id("run-query").click()
    page.get_by_test_id("row-count").wait_for()
    result = page.get_by_test_id("result-table")
    assert result.locator("thead th").all_inner_texts() == truth["columns"]
    assert result.locator("tbody tr").count() == truth["rowCount"]
    page.shots("named-query")

    with page.expect_download() as info:
        page.get_by_test_id("download-csv").click()
    download = info.value
    assert download.suggested_filename == "partner_enterprises.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == truth["columns"]
    assert rows[1:] == [["" if r[c] is None else str(r[c]) for c in truth["columns"]] for r in truth["rows"]]

    with page.expect_download() as info:
        page.get_by_test_id("download-json").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data == {"columns": truth["columns"], "rows": truth["rows"]}

    page.get_by_test_id("result-graph-tab").click()
    page.wait_for_function("() => window.ieicExplorer?.console?.nodes().length > 0")
    assert page.evaluate("() => window.ieicExplorer.console.nodes().length") == len(truth["rows"])
    page.shots("result-graph")


def test_sparql_in_the_console(page: Any, explorer: Server, api: httpx.Client) -> None:
    open_view(page, explorer.base_url, "queries")
    # a named query's SPARQL twin, on the RDF store: the same rows as the API gives for it
    twin = api.post(
        "/v1/queries/partner_enterprises/run",
        params={"language": "sparql"},
        json={"parameters": {"program": PROGRAM, "industry": INDUSTRY}},
    ).json()
    assert twin["rows"], "the twin answers on the demo store"
    page.select_option("[data-testid=query-select]", "partner_enterprises")
    page.fill("[data-param=program]", PROGRAM)
    page.fill("[data-param=industry]", INDUSTRY)
    page.get_by_test_id("sparql-twin").check()
    page.get_by_test_id("run-query").click()
    page.get_by_test_id("row-count").wait_for()
    table = page.get_by_test_id("result-table")
    assert table.locator("thead th").all_inner_texts() == twin["columns"]
    assert table.locator("tbody tr").count() == len(twin["rows"])

    # a query written by hand, sent to /sparql
    page.get_by_test_id("mode-sparql").check()
    query = page.get_by_test_id("sparql-text").input_value()
    truth = api.post(
        "/sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    ).json()
    assert truth["results"]["bindings"], "the example query answers on the demo store"
    page.get_by_role("button", name="Run").click()
    page.get_by_test_id("row-count").wait_for()
    table = page.get_by_test_id("result-table")
    assert table.locator("thead th").all_inner_texts() == truth["head"]["vars"]
    labels = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert labels == [b["label"]["value"] for b in truth["results"]["bindings"]]
    page.shots("sparql")


def test_cypher_needs_a_key_and_runs_with_one(page: Any, explorer: Server) -> None:
    open_view(page, explorer.base_url, "queries")
    page.get_by_test_id("mode-cypher").check()
    assert page.get_by_text("Cypher needs an API key").is_visible()
    page.get_by_test_id("key-button").click()
    page.fill("#key-input", "not-a-key")
    page.click("#key-save")
    page.wait_for_selector("#key-error:not([hidden])")
    assert "The key was refused" in page.locator("#key-error").inner_text()
    page.errors.remove("Failed to load resource: the server responded with a status of 401 (Unauthorized)")
    page.fill("#key-input", READER_KEY)
    page.click("#key-save")
    page.wait_for_function("() => document.querySelector('[data-testid=who]').textContent.includes('reader')")
    page.get_by_test_id("mode-cypher").check()
    page.get_by_test_id("run-cypher").click()
    page.get_by_test_id("row-count").wait_for()
    assert page.get_by_test_id("result-table").locator("thead th").all_inner_texts() == ["c", "t", "s"]
    assert page.get_by_test_id("result-table").locator("tbody tr").count() > 0
    page.get_by_test_id("result-graph-tab").click()
    page.wait_for_function("() => window.ieicExplorer?.console?.edges().length > 0")
    page.shots("cypher-graph")


def test_community_overview(page: Any, explorer: Server, api: httpx.Client) -> None:
    community = api.get("/v1/queries/communities/run").json()["rows"][0]["code"]
    summary = api.get("/v1/queries/community_summary/run", params={"community": community}).json()["rows"]
    members = api.get("/v1/queries/community_enterprises/run", params={"community": community}).json()["rows"]
    open_view(page, explorer.base_url, "community")
    table = page.get_by_test_id("member-table")
    table.wait_for()
    assert table.locator("tbody th").all_inner_texts() == [r["enterprise_en"] for r in members]
    for measure in ("member", "agreement", "resource", "project", "fund"):
        total = sum(r["count"] for r in summary if r["measure"] == measure)
        shown = page.locator(f".measure[data-measure={measure}] h3 .figure-value").inner_text()
        assert shown == str(total), measure
    page.shots("community", full=True)


def test_closed_reads_ask_for_a_key(
    browser: Any, demo_graph: Path, neo4j_connection: Neo4jConnection, tmp_path: Path
) -> None:
    """With IEIC_API_OPEN_READS=false the page still loads, says the API wants a key, and works once given one."""
    server = start_explorer(neo4j_connection, demo_graph, tmp_path, IEIC_API_OPEN_READS="false")
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script("localStorage.setItem('ieic-lang', 'en')")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    shots = Shots(page, "test_closed_reads")
    try:
        with httpx.Client(base_url=server.base_url, timeout=60) as c:
            truth = c.get(
                "/v1/alignment", params={"program": PROGRAM, "industry": INDUSTRY}, headers={"X-API-Key": READER_KEY}
            ).json()
        open_view(page, server.base_url, "program", program=PROGRAM, industry=INDUSTRY)
        alert = page.locator("[role=alert]").first
        alert.wait_for()
        assert "401" in alert.inner_text() and "Authorization" in alert.inner_text()
        shots("needs-key")
        page.get_by_test_id("key-button").click()
        page.fill("#key-input", READER_KEY)
        page.click("#key-save")
        page.wait_for_function(
            "v => document.querySelector('[data-testid=coverage]')?.dataset.value === v", arg=str(truth["coverage"])
        )
        assert page.locator("#ontology-error").count() == 0
        assert page.locator("[data-testid=gap-list] > li").count() == len(truth["gaps"])
        shots("signed-in")
    finally:
        context.close()
        assert stop_server(server) == 0, server.output()
