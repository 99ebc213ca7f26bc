"""The graph API (FastAPI), installed as ieic_kg.api: ``ieic_kg.api.app.create_app(settings)``; see docs/api.md."""
