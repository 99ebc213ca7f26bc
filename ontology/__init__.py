"""Ontology files (OWL 2 Turtle and SHACL shapes), shipped as package data."""
