"""The web explorer (docs/explorer.md): the page built from ``web/`` into ``api/static/explorer``, served at
``/explorer/`` by the same app as the API, which it uses like any other client.

Caching: the built files under ``assets/`` carry a content hash in their names, so they are cached for a year
as immutable; ``index.html`` (which names them) is revalidated on every load (``no-cache``), so a rebuilt page
is seen at once. Every file of the page goes out with a Content-Security-Policy that allows nothing but this
origin: the page loads no script, style, font or data from elsewhere (no CDN).

When the assets are not built (a source checkout before ``make web``), ``/explorer/`` answers 503 saying so.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from ieic_kg.api.errors import ApiError
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

log = logging.getLogger("ieic_kg.api")

#: Where ``npm run build`` (web/vite.config.ts) writes the page.
STATIC_DIR = Path(__file__).resolve().parent / "static" / "explorer"
PATH = "/explorer"

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
#: Inline styles are allowed because Cytoscape.js and Chart.js size their canvases with style attributes.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

#: Debian's Chromium and the switches the browser tests and bench/explorer.py start it with, headless: no
#: sandbox (root in CI), and none of its own network traffic (the machine's network refuses it).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class ExplorerNotBuilt(ApiError):
    """The explorer's static files are missing from the installed package."""

    status = 503
    title = "Explorer not built"


class ExplorerFiles(StaticFiles):
    """Static files with the explorer's caching and security headers."""

    def file_response(
        self, full_path: Any, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        hashed = Path(full_path).parent.name == "assets"
        response.headers["Cache-Control"] = IMMUTABLE if hashed else REVALIDATE
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response


def built(directory: Path = STATIC_DIR) -> bool:
    return (directory / "index.html").is_file()


def mount_explorer(app: FastAPI, directory: Path = STATIC_DIR) -> None:
    """Serve the explorer at /explorer/ (gzip for the larger files) and send / there."""

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse(f"{PATH}/", status_code=307)

    @app.get(PATH, include_in_schema=False)
    async def explorer_slash() -> RedirectResponse:
        return RedirectResponse(f"{PATH}/", status_code=307)

    if built(directory):
        app.mount(
            PATH, GZipMiddleware(ExplorerFiles(directory=directory, html=True), minimum_size=1024), name="explorer"
        )
        return

    log.warning("the web explorer is not built (%s has no index.html): run `make web`", directory)

    @app.get(PATH + "/{rest:path}", include_in_schema=False)
    async def not_built(rest: str) -> None:
        raise ExplorerNotBuilt(
            f"the web explorer's files are not built ({directory} has no index.html)",
            hint="build them with `make web` (npm ci and vite build in web/), then restart ieic-kg serve",
        )
