"""API keys with roles, and the per-key rate limit.

Keys are configured only as SHA-256 digests. A presented key is hashed and compared with every configured
digest in constant time (``hmac.compare_digest``, no early exit), so neither the keys nor the timing of the
comparison tell anything. Keys are never logged: a principal is named by the first 8 hex digits of its
digest.

The rate limit is a token bucket per principal (per client address for requests without a key) kept in
the memory of each server process: with several worker processes each has its own buckets.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from ieic_kg.api.settings import ROLE_RANK, Role


def key_digest(key: str) -> str:
    """The SHA-256 hex digest of a key: what IEIC_API_KEYS holds."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_api_key() -> tuple[str, str]:
    """A new random key and its digest (give the key to its user once; configure only the digest)."""
    key = "ieic_" + secrets.token_urlsafe(32)
    return key, key_digest(key)


@dataclass(frozen=True)
class Principal:
    """Who is asking: a configured key (with its role) or an anonymous client."""

    id: str
    role: Role | None

    @property
    def anonymous(self) -> bool:
        return self.role is None

    def can(self, role: Role) -> bool:
        """True when this principal's role is ``role`` or above it."""
        return self.role is not None and ROLE_RANK[self.role] >= ROLE_RANK[role]


ANONYMOUS = Principal("anonymous", None)


class KeyRing:
    """The configured key digests and their roles."""

    def __init__(self, table: dict[str, Role]) -> None:
        self._entries = tuple((digest.encode("ascii"), role) for digest, role in table.items())

    def __len__(self) -> int:
        return len(self._entries)

    def identify(self, key: str) -> Principal | None:
        """The principal of ``key``, or None when no configured digest matches."""
        presented = key_digest(key).encode("ascii")
        found: Principal | None = None
        for digest, role in self._entries:  # no early exit: the time does not depend on which key matched
            if hmac.compare_digest(digest, presented):
                found = Principal(f"key:{digest[:8].decode()}", role)
        return found


class TokenBucketLimiter:
    """Token buckets per principal id: ``rate`` tokens a second, at most ``burst`` saved up.

    At most ``max_buckets`` are kept (the least recently used are dropped), so memory stays bounded
    whatever the number of clients.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        max_buckets: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.max_buckets = max_buckets
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # id → (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, who: str) -> float | None:
        """Take one token for ``who``: None when allowed, else the seconds until a token is available."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(who, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[who] = (tokens - 1.0, now)
                wait = None
            else:
                self._buckets[who] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > self.max_buckets:
                self._buckets.popitem(last=False)
        return wait
