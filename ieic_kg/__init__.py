"""ieic-kg: a knowledge graph of industry–education integration communities (产教融合共同体).

The package is organised along the one-way data flow described in docs/architecture.md:
loaders → ingest → stores → queries → alignment → CLI / API.
"""

__version__ = "0.1.0"
