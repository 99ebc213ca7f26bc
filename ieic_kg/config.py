"""Settings: one typed object, read from IEIC_* environment variables (and an optional .env), passed down.

Nothing in the package reads the environment anywhere else; code that needs a setting receives a
``Settings`` instance from its caller.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ieic_kg.errors import ConfigError

WEAK_PASSWORDS = frozenset({"neo4j", "password", "changeme", "admin", "secret"})


def _xdg(var: str, fallback: str) -> Path:
    base = os.environ.get(var)
    return (Path(base) if base else Path.home() / fallback) / "ieic-kg"


class Settings(BaseSettings):
    """Every setting of ieic-kg. Environment variables carry the prefix ``IEIC_`` (``IEIC_NEO4J_URI``…)."""

    model_config = SettingsConfigDict(env_prefix="IEIC_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = Field(
        "development", description="Deployment mode; 'production' refuses weak or default passwords."
    )
    data_dir: Path = Field(
        default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share"),
        description="Where the managed Neo4j keeps its database, logs, password and state, and where each "
        "load run writes its report and rejects (loads/<run>/).",
    )
    cache_dir: Path = Field(
        default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache"),
        description="Where the Neo4j distribution obtained from Maven Central is kept (shared, reusable).",
    )
    neo4j_uri: str | None = Field(
        None,
        description="Bolt URI of an existing Neo4j (bolt://, neo4j://, neo4j+s://). Unset: the managed local Neo4j.",
    )
    neo4j_user: str = Field("neo4j", description="Neo4j user name of a configured server (the managed one's is neo4j).")
    neo4j_password: SecretStr | None = Field(
        None, description="Neo4j password. Unset with the managed Neo4j: the generated one in the data folder."
    )
    neo4j_database: str = Field("neo4j", description="Neo4j database name.")
    neo4j_version: str = Field("5.26.30", description="Version of the managed Neo4j (5.26 LTS runs on Java 17).")
    neo4j_bolt_port: int | None = Field(
        None,
        ge=1,
        le=65535,
        description="Bolt port of the managed Neo4j; unset: the port it used last if free, else 7687 if free, "
        "else a free port.",
    )
    neo4j_heap: str = Field("1g", description="Java heap of the managed Neo4j.")
    neo4j_pagecache: str = Field("512m", description="Page cache of the managed Neo4j.")
    neo4j_start_timeout: float = Field(180.0, gt=0, description="Seconds to wait for the managed Neo4j to answer.")
    java_home: Path | None = Field(None, description="JDK/JRE used for the managed Neo4j; unset: JAVA_HOME or PATH.")
    id_base: str = Field(
        "https://w3id.org/ieic-kg/id/", description="Base IRI under which entity IRIs are minted from source keys."
    )
    batch_size: int = Field(1000, ge=1, le=100_000, description="Records per write transaction.")
    query_timeout: float = Field(30.0, gt=0, description="Seconds before a read query is cancelled.")
    public_data: Path | None = Field(
        None, description="Folder of the public data sets (ESCO, O*NET, GB/T 4754…), e.g. ../shared/data."
    )

    api_host: str = Field("127.0.0.1", description="Address `ieic-kg serve` listens on.")
    api_port: int = Field(8000, ge=1, le=65535, description="Port `ieic-kg serve` listens on.")
    api_keys: dict[str, Literal["reader", "steward", "admin"]] = Field(
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
    api_students_file: Path | None = Field(
        None,
        description="Student profiles (JSON, the form of `ieic-kg student --students`) that /v1/students/{id} "
        "serves to keys; unset: the demo's synthetic students (demo/sources/students.json).",
    )
    api_sources_file: Path | None = Field(
        None, description="YAML file of the registered sources stewards may load by name; unset: none."
    )
    api_upload_dir: Path | None = Field(
        None,
        description="Where files uploaded for a load are kept (a private folder per load, removed when it ends); "
        "unset: the system's temporary folder.",
    )
    api_upload_max_bytes: int = Field(
        50_000_000, ge=1, description="Largest upload accepted by POST /v1/loads (the whole request body), in bytes."
    )
    api_sparql_timeout: float = Field(
        30.0,
        gt=0,
        le=3600,
        description="Seconds before a /sparql query is stopped (its worker process is killed); a request may ask "
        "for less with the `timeout` parameter.",
    )
    api_sparql_max_result_bytes: int = Field(
        10_000_000,
        ge=1000,
        description="Largest /sparql answer in bytes, as serialised; a larger one is an error (400 Result too "
        "large), never a truncated answer.",
    )
    api_cache_bytes: int = Field(
        64_000_000,
        ge=0,
        description="Memory (bytes, per server process) for cached answers of the read-only GET routes "
        "(entities, alignment, /sparql), invalidated when the graph or the RDF snapshot changes; 0 turns the "
        "cache off.",
    )
    api_cache_check_interval: float = Field(
        0.5,
        ge=0,
        le=60,
        description="Seconds between two checks (one Neo4j round trip) of whether the graph changed: a cached "
        "answer reflects the graph as it was at most this long ago; 0 checks on every request.",
    )
    api_sparql_workers: int = Field(
        2, ge=1, le=64, description="Worker processes answering /sparql queries, per API server process."
    )

    @model_validator(mode="after")
    def _refuse_weak_passwords_in_production(self) -> Settings:
        if self.env == "production":
            pw = self.neo4j_password.get_secret_value() if self.neo4j_password else None
            missing = pw is None and bool(self.neo4j_uri)  # the managed server generates a strong one
            if missing or (pw is not None and (pw.lower() in WEAK_PASSWORDS or len(pw) < 8)):
                raise ConfigError(
                    "IEIC_NEO4J_PASSWORD is missing or weak while IEIC_ENV=production",
                    hint="set a strong IEIC_NEO4J_PASSWORD (8+ characters, not a default)",
                )
        return self

    @property
    def managed(self) -> bool:
        """True when no Neo4j is configured and the managed local server is used."""
        return not self.neo4j_uri


#: Environment variables with the IEIC_ prefix that are not settings but are read by the test suite.
TEST_VARIABLES = ("IEIC_TEST_", "IEIC_PUBLIC_DATA")


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from the environment; a bad or misspelt IEIC_ variable is one clear ConfigError."""
    known = {f"IEIC_{name.upper()}" for name in Settings.model_fields}
    for var in os.environ:
        if var.startswith("IEIC_") and var not in known and not var.startswith(TEST_VARIABLES):
            close = difflib.get_close_matches(var, sorted(known), n=1)
            raise ConfigError(
                f"unknown setting {var}",
                hint=f"did you mean {close[0]}?" if close else "see docs/configuration.md for the settings",
            )
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "IEIC_" + "_".join(str(p) for p in first["loc"]).upper()
        raise ConfigError(f"{name}: {first['msg']}", hint="see docs/configuration.md") from None
