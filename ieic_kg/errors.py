"""One exception hierarchy for the whole package.

The CLI renders an ``IeicError`` as one line plus its hint and exits non-zero; the API maps it to an
``application/problem+json`` response with ``status`` taken from the class. Code never logs an error and
returns None instead of raising.
"""

from __future__ import annotations


class IeicError(Exception):
    """Base class: a message for the user, an optional hint saying how to fix it, and an HTTP status."""

    status: int = 500
    title: str = "Internal error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class ConfigError(IeicError):
    """A setting is missing, malformed or unsafe."""

    status = 500
    title = "Configuration error"


class SetupError(IeicError):
    """A prerequisite of the managed Neo4j (Java, Maven, the distribution) is missing or broken."""

    status = 503
    title = "Setup error"


class StoreUnavailable(IeicError):
    """A store (Neo4j, the RDF store) cannot be reached."""

    status = 503
    title = "Store unavailable"


class OntologyError(IeicError):
    """The ontology is malformed, or a record uses a class or property it does not define."""

    status = 500
    title = "Ontology error"


class SourceError(IeicError):
    """A source or mapping file is unreadable or malformed. Names the file, line or field where it can."""

    status = 400
    title = "Bad source"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = ":".join(str(p) for p in (file, line) if p is not None)
        if field:
            where = f"{where} [{field}]" if where else f"[{field}]"
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.file, self.line, self.field = file, line, field


class NotFound(IeicError):
    """A named thing (query, entity, program) does not exist."""

    status = 404
    title = "Not found"


class QueryParameterError(IeicError):
    """A query parameter is missing or has the wrong type."""

    status = 400
    title = "Bad query parameter"
