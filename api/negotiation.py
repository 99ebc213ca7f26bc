"""Content negotiation: which of the media types a route offers best matches the Accept header."""

from __future__ import annotations

from collections.abc import Sequence

from ieic_kg.api.errors import NotAcceptable


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header; malformed q values count as 0."""
    out = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((media, max(0.0, min(q, 1.0)), position))
    return out


def _specificity(media_range: str, offer: str) -> int | None:
    """How specifically ``media_range`` matches ``offer`` (2 exact, 1 type/*, 0 */*), or None."""
    if media_range == offer:
        return 2
    kind, _, _sub = offer.partition("/")
    if media_range == f"{kind}/*":
        return 1
    if media_range == "*/*":
        return 0
    return None


def negotiate(accept: str | None, offers: Sequence[str]) -> str:
    """The offer the client prefers; the first offer when Accept is absent; NotAcceptable (406) when none."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = _ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(offers):
        # the q of an offer is that of the most specific range matching it
        matches = [(spec, q) for media, q, _ in ranges if (spec := _specificity(media, offer)) is not None]
        if not matches:
            continue
        spec, q = max(matches)
        if q <= 0:
            continue
        key = (q, spec, -index)
        if best is None or key > best:
            best, chosen = key, offer
    if chosen is None:
        raise NotAcceptable(
            f"cannot produce any of the types in Accept: {accept[:200]}",
            hint=f"ask for one of: {', '.join(offers)}",
        )
    return chosen
