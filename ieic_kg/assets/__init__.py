"""Files shipped with the package. Their sources live at the top of the repository (ontology/, queries/)
and are mapped here by pyproject.toml, so they install as ieic_kg.assets.ontology and ieic_kg.assets.queries."""
