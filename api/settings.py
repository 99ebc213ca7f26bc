"""The API's settings: a typed, validated view of the ``api_*`` fields of :class:`ieic_kg.config.Settings`.

The API reads no environment variable itself. :meth:`ApiSettings.from_settings` takes the ``api_*``
attributes of the one ``Settings`` object (``IEIC_API_KEYS``, ``IEIC_API_OPEN_READS`` …), whose field
definitions it shares; here it adds the checks of key digests and the reading of the keys file.
A caller may also pass an ``ApiSettings`` explicitly to :func:`ieic_kg.api.app.create_app`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, create_model, field_validator

from ieic_kg.config import Settings
from ieic_kg.errors import ConfigError

Role = Literal["reader", "steward", "admin"]
#: Each role can do what the roles before it can.
ROLE_RANK: dict[str, int] = {"reader": 1, "steward": 2, "admin": 3}
ROLES: tuple[Role, ...] = ("reader", "steward", "admin")

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


# The fields are those of ``Settings`` (one definition, with their types, defaults and descriptions);
# ``api_host``/``api_port`` belong to ``ieic-kg serve``, not to the app.
_API_FIELDS: dict[str, Any] = {
    name: (info.annotation, info)
    for name, info in Settings.model_fields.items()
    if name.startswith("api_") and name not in ("api_host", "api_port")
}
_ApiFields = create_model("_ApiFields", __config__=ConfigDict(frozen=True, extra="forbid"), **_API_FIELDS)


class ApiSettings(_ApiFields):
    """Settings of the graph API; the field names are those of the ``Settings`` fields (``IEIC_`` + upper case)."""

    if TYPE_CHECKING:  # the fields come from Settings at run time; these two are read here
        api_keys: dict[str, Role] = Field(default_factory=dict)
        api_keys_file: Path | None = None

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
