"""Launcher for the real-HTTP tests: the API under uvicorn, configured by a JSON file.

``python serve_app.py CONFIG.json`` where the file holds ``{"settings": {...}, "api": {...}, "host": ...,
"port": ...}``: keyword arguments of ``Settings`` and ``ApiSettings``. It exists because API keys cannot be
given through the environment until ``Settings`` declares the ``api_*`` fields; then ``ieic-kg serve`` (or
``uvicorn ieic_kg.api.app:app_from_environment --factory``, tested too) replaces it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import uvicorn
from ieic_kg.api.app import create_app
from ieic_kg.api.settings import ApiSettings

from ieic_kg.config import Settings


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    app = create_app(Settings(**config["settings"]), api_settings=ApiSettings(**config["api"]))
    uvicorn.run(app, host=config["host"], port=config["port"], log_level="warning", timeout_graceful_shutdown=10)


if __name__ == "__main__":
    main()
