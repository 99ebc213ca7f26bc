"""Named queries (.cypher and .rq files), shipped as package data."""
