"""The API's settings: a typed, validated view of the ``api_*`` fields of :class:`ieic_kg.config.Settings`.

The API reads no environment variable itself. :meth:`ApiSettings.from_settings` takes the ``api_*``
attributes of the one ``Settings`` object (``IEIC_API_KEYS``, ``IEIC_API_OPEN_READS`` … once they are
declared there) and falls back to the defaults below for any that ``Settings`` does not declare yet.
A caller may also pass an ``ApiSettings`` explicitly to :func:`ieic_kg.api.app.create_app`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ieic_kg.config import Settings
from ieic_kg.errors import ConfigError

Role = Literal["reader", "steward", "admin"]
#: Each role can do what the roles before it can.
ROLE_RANK: dict[str, int] = {"reader": 1, "steward": 2, "admin": 3}
ROLES: tuple[Role, ...] = ("reader", "steward", "admin")

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ApiSettings(BaseModel):
    """Settings of the graph API; the field names are those of the ``Settings`` fields (``IEIC_`` + upper case)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_keys: dict[str, Role] = Field(
        default_factory=dict,
        description="API keys as a JSON object {SHA-256 hex digest of the key: role}; roles reader, steward, "
        "admin. Only digests are configured, never the keys themselves.",
    )
    api_keys_file: Path | None = Field(
        None, description="A JSON file with more keys, in the same form as IEIC_API_KEYS (read at start)."
    )
    api_open_reads: bool = Field(
        True,
        description="Let requests without a key read the public data (entities, search, alignment, named "
        "queries, provenance without operational details). Cypher always needs a key.",
    )
    api_cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (JSON list); empty: no CORS headers."
    )
    api_rate_limit: float = Field(
        20.0,
        ge=0,
        description="Requests per second allowed per API key (per client address without a key), as a token "
        "bucket kept in each server process; 0 turns the limit off.",
    )
    api_rate_burst: int = Field(40, ge=1, description="Size of each token bucket: requests allowed in a burst.")
    api_row_cap: int = Field(1000, ge=1, le=100_000, description="Most rows a named query or a Cypher request returns.")
    api_cypher_timeout: float = Field(
        10.0, gt=0, description="Seconds before a /v1/cypher query is stopped (a request may ask for less)."
    )

    @field_validator("api_keys")
    @classmethod
    def _digests(cls, keys: dict[str, Role]) -> dict[str, Role]:
        for digest in keys:
            if not _SHA256.match(digest.lower()):
                raise ValueError("keys are SHA-256 hex digests (64 hex digits), not the keys themselves")
        return {digest.lower(): role for digest, role in keys.items()}

    @classmethod
    def from_settings(cls, settings: Settings) -> ApiSettings:
        """The ``api_*`` values of ``settings``; defaults for the ones it does not declare."""
        values: dict[str, Any] = {name: getattr(settings, name) for name in cls.model_fields if hasattr(settings, name)}
        try:
            return cls(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = "IEIC_" + str(first["loc"][0]).upper() if first["loc"] else "IEIC_API_*"
            raise ConfigError(f"{name}: {first['msg']}", hint="see docs/api.md, Settings") from None

    def key_table(self) -> dict[str, Role]:
        """Every configured key digest with its role: IEIC_API_KEYS, then the keys file."""
        table = dict(self.api_keys)
        if self.api_keys_file is not None:
            path = self.api_keys_file
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise ConfigError(f"IEIC_API_KEYS_FILE: {path} does not exist") from None
            except (OSError, ValueError) as exc:
                raise ConfigError(
                    f"IEIC_API_KEYS_FILE: cannot read {path}: {exc}",
                    hint='write a JSON object {"<sha256 of the key>": "reader|steward|admin"}',
                ) from None
            try:
                table.update(ApiSettings(api_keys=data).api_keys)
            except ValueError:
                raise ConfigError(
                    f"IEIC_API_KEYS_FILE: {path} is not a map of key digests to roles",
                    hint=f"keys are SHA-256 hex digests of the keys; roles are {', '.join(ROLES)}",
                ) from None
        return table
