"""The graph API (FastAPI), installed as ieic_kg.api."""
