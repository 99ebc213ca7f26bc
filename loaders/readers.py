"""Row readers for the sources a mapping names: CSV/TSV, XLSX, SQL (SQLAlchemy), JSON and JSON Lines.

Each reader yields ``(Origin, row)`` pairs, where a row is a dict of column name to value with empty
strings turned into None. A row that cannot be read at all (a malformed JSON line) is yielded as a
``Reject`` so that the rows around it still load; a source that cannot be opened raises ``SourceError``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ieic_kg.errors import SourceError
from ieic_kg.records import Origin, Reject

if TYPE_CHECKING:
    from ieic_kg.loaders.mapping import SourceSpec

Row = dict[str, Any]

#: Encodings tried in order when a CSV source does not name one: UTF-8 (with or without BOM), then
#: GB18030, the superset of GBK/GB2312 that Chinese Excel writes.
FALLBACK_ENCODINGS = ("utf-8-sig", "gb18030")

#: A cell longer than this is rejected (with its row), not loaded: no property of the ontology needs
#: more, and a runaway field usually means a broken quote in the file.
MAX_FIELD_CHARS = 100_000
csv.field_size_limit(64 * 1024 * 1024)  # read long fields so they can be reported, instead of a csv.Error


def source_format(spec: SourceSpec) -> str:
    """The format of a source: declared, or from the file extension, or 'sql' for a URL."""
    if spec.format:
        return spec.format
    if spec.url is not None:
        return "sql"
    suffix = Path(spec.file or "").suffix.lower()
    by_suffix = {
        ".csv": "csv",
        ".tsv": "tsv",
        ".txt": "tsv",
        ".xlsx": "xlsx",
        ".xlsm": "xlsx",
        ".json": "json",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".sqlite": "sql",
        ".sqlite3": "sql",
        ".db": "sql",
    }
    if suffix not in by_suffix:
        raise SourceError(
            f"cannot tell the format of {spec.file!r}",
            field=f"sources.{spec.name}.format",
            hint="add 'format: csv|tsv|xlsx|sql|json|jsonl' to the source",
        )
    return by_suffix[suffix]


def read_rows(spec: SourceSpec, base_dir: Path) -> Iterator[tuple[Origin, Row | Reject]]:
    """Rows of one source, whichever its format."""
    fmt = source_format(spec)
    path = (base_dir / spec.file).resolve() if spec.file is not None else None
    if path is not None and not path.is_file():
        raise SourceError("source file not found", file=str(path), field=f"sources.{spec.name}.file")
    rows: Iterator[tuple[Origin, Row | Reject]]
    if fmt in ("csv", "tsv"):
        assert path is not None
        rows = _csv_rows(path, spec.encoding, spec.delimiter or ("\t" if fmt == "tsv" else ","))
    elif fmt == "xlsx":
        assert path is not None
        rows = _xlsx_rows(path, spec.sheet)
    elif fmt == "sql":
        rows = _sql_rows(spec, path)
    elif fmt == "jsonl":
        assert path is not None
        rows = _jsonl_rows(path, spec.records)
    else:
        assert path is not None
        rows = _json_rows(path, spec.records)
    for origin, row in rows:
        if isinstance(row, dict):
            row = {k: _clean(v, spec.trim) for k, v in row.items()}
            huge = next((k for k, v in row.items() if isinstance(v, str) and len(v) > MAX_FIELD_CHARS), None)
            if huge is not None:
                yield (
                    origin,
                    Reject(
                        origin,
                        f"field is {len(row[huge]):,} characters long; the limit is {MAX_FIELD_CHARS:,} "
                        "(a missing closing quote in the file?)",
                        field=huge,
                    ),
                )
                continue
        yield origin, row


def _clean(value: Any, trim: bool) -> Any:
    if isinstance(value, str):
        if trim:
            value = value.strip()
        return value if value != "" else None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()  # Excel stores dates as datetimes at midnight
    return value


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _csv_rows(path: Path, encoding: str | None, delimiter: str) -> Iterator[tuple[Origin, Row]]:
    data = path.read_bytes()
    if not data.strip():
        raise SourceError("the file is empty", file=str(path), hint="a CSV source needs a header row")
    text = None
    for enc in (encoding,) if encoding else FALLBACK_ENCODINGS:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError as exc:
            if encoding:
                raise SourceError(
                    f"not valid {encoding}: byte {data[exc.start]:#04x}",
                    file=str(path),
                    line=_line_of(data, exc.start),
                    field="encoding",
                    hint="set the source's 'encoding' (utf-8, utf-8-sig, gb18030…) or pass --encoding",
                ) from None
            last = exc
    if text is None:
        raise SourceError(
            f"neither UTF-8 nor GB18030 (first bad byte {data[last.start]:#04x})",
            file=str(path),
            line=_line_of(data, last.start),
            field="encoding",
            hint="name the encoding in the mapping ('encoding:') or with --encoding",
        )
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise SourceError("the file has no header row", file=str(path), line=1)
    header = [h.strip().removeprefix("\ufeff") for h in header]
    _check_header(header, path)
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            values = values[: len(header)]  # trailing empty cells from spreadsheets; extra data is reported below
        yield Origin(str(path), line), dict(zip(header, values + [""] * (len(header) - len(values)), strict=True))


def _check_header(header: list[str], path: Path) -> None:
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise SourceError(f"column {name!r} appears twice in the header", file=str(path), line=1)
        seen.add(name)


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[Origin, Row]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/XML errors for damaged files
        raise SourceError(f"cannot open the workbook: {exc}", file=str(path)) from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise SourceError(
                f"no sheet named {sheet!r}",
                file=str(path),
                field="sheet",
                hint=f"sheets in this workbook: {', '.join(wb.sheetnames)}",
            )
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None)
        if not header_row or not any(header_row):
            raise SourceError("the sheet has no header row", file=f"{path}#{ws.title}", line=1)
        header = [str(h).strip() if h is not None else "" for h in header_row]
        _check_header(header, path)
        for line, values in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            yield Origin(f"{path}#{ws.title}", line), dict(zip(header, values, strict=False))
    finally:
        wb.close()


def _sql_rows(spec: SourceSpec, path: Path | None) -> Iterator[tuple[Origin, Row]]:
    import sqlalchemy as sa

    url = spec.url or f"sqlite:///{path}"
    shown = sa.engine.make_url(url).render_as_string(hide_password=True)
    if (spec.query is None) == (spec.table is None):
        raise SourceError("a SQL source needs exactly one of 'query' or 'table'", field=f"sources.{spec.name}")
    if spec.table is not None:
        sql: Any = sa.select(sa.text("*")).select_from(sa.table(spec.table))  # SQLAlchemy quotes the name
    else:
        sql = sa.text(spec.query)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(sql)
            columns = list(result.keys())
            for i, values in enumerate(result, start=1):
                yield Origin(shown, None, f"row {i}"), dict(zip(columns, values, strict=True))
    except sa.exc.SQLAlchemyError as exc:
        raise SourceError(
            f"SQL source failed: {exc.__class__.__name__}: {exc.args[0] if exc.args else exc}",
            file=shown,
            field=f"sources.{spec.name}",
        ) from None
    finally:
        engine.dispose()


def _jsonl_rows(path: Path, records: str | None) -> Iterator[tuple[Origin, Row | Reject]]:
    with path.open(encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            origin = Origin(str(path), line_no)
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield origin, Reject(origin, f"not valid JSON: {exc.msg} at column {exc.colno}", field="json")
                continue
            if not isinstance(obj, dict):
                yield origin, Reject(origin, "a JSON Lines record must be an object", field="json")
                continue
            for pointer, row in _flatten(obj, _path(records)) if records else [("", obj)]:
                yield Origin(str(path), line_no, pointer or None), row


def _json_rows(path: Path, records: str | None) -> Iterator[tuple[Origin, Row]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise SourceError(f"not valid JSON: {exc.msg}", file=str(path), line=exc.lineno) from None
    steps = _path(records) if records else []
    if not steps and not isinstance(doc, list):
        raise SourceError("the top level is not a list", file=str(path), hint="name the list with 'records:'")
    items = _flatten(doc, steps) if steps else ((f"[{i}]", r) for i, r in enumerate(doc))
    for pointer, row in items:
        yield Origin(str(path), None, pointer), row


def _path(records: str) -> list[str]:
    """``standards[].levels[]`` → ``['standards', 'levels']``."""
    return [p.removesuffix("[]") for p in records.split(".") if p]


def _flatten(obj: Any, steps: list[str], prefix: str = "", pointer: str = "") -> Iterator[tuple[str, Row]]:
    """Rows for nested lists: each step descends into a list; the fields of outer objects stay visible.

    Fields of the outermost list's elements keep their names; those of an element of ``levels`` below
    them are ``levels.level``;
    a list of scalars gives its item as ``levels.skill_codes`` (the dotted path of the list).
    """
    row: Row = {}
    if isinstance(obj, dict):
        row = {f"{prefix}{k}": v for k, v in obj.items() if not isinstance(v, dict)}
    if not steps:
        yield pointer, row
        return
    step, rest = steps[0], steps[1:]
    children = obj.get(step) if isinstance(obj, dict) else None
    if not isinstance(children, list):
        return
    for i, child in enumerate(children):
        child_pointer = f"{pointer}.{step}[{i}]" if pointer else f"{step}[{i}]"
        if isinstance(child, dict):
            inner_prefix = f"{prefix}{step}." if pointer else ""  # the outermost list's fields keep their names
            for p, inner in _flatten(child, rest, inner_prefix, child_pointer):
                yield p, {**row, **inner}
        elif not rest:
            yield child_pointer, {**row, f"{prefix}{step}": child}
