"""Reading tables row by row: lines, malformed rows as rejects, tables that cannot be read at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from ieic_kg.loaders.taxonomies._common import Table, lines, normalise_name

from ieic_kg.errors import SourceError
from ieic_kg.records import Reject


def _rows(path: Path, **options: object) -> list[tuple[int | None, dict[str, str] | Reject]]:
    return [(origin.line, row) for origin, row in Table(path, **options).rows(("a", "b"))]  # type: ignore[arg-type]


def test_rows_are_stripped_and_cite_the_line_they_start_on(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes(b'\xef\xbb\xbfa,b\n1, x \n"2\nmore",y\n\n3,z\n')
    assert _rows(tmp_path / "t.csv") == [
        (2, {"a": "1", "b": "x"}),
        (3, {"a": "2\nmore", "b": "y"}),
        (6, {"a": "3", "b": "z"}),
    ]


def test_a_row_of_the_wrong_width_is_a_reject_and_reading_goes_on(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("a,b\n1\n1,2,3\n4,5\n", encoding="utf-8")
    got = _rows(tmp_path / "t.csv")
    assert [(line, r.reason if isinstance(r, Reject) else r) for line, r in got] == [
        (2, "expected 2 fields, found 1"),
        (3, "expected 2 fields, found 3"),
        (4, {"a": "4", "b": "5"}),
    ]


def test_ragged_tables_pad_short_rows(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("a,b\n1\n", encoding="utf-8")
    assert _rows(tmp_path / "t.csv", ragged=True) == [(2, {"a": "1", "b": ""})]


def test_bytes_that_are_not_utf8_reject_their_row_only(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes(b"a,b\n1,caf\xe9\n2,ok\n")
    (line, reject), good = _rows(tmp_path / "t.csv")
    assert isinstance(reject, Reject) and (line, reject.reason, reject.field) == (2, "not valid UTF-8", "b")
    assert reject.value == "caf\ufffd"
    assert good == (3, {"a": "2", "b": "ok"})


def test_tab_separated_without_quoting(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text('a\tb\n"x\ty"\r\n', encoding="utf-8")
    assert _rows(tmp_path / "t.txt", delimiter="\t", quoting=False) == [(2, {"a": '"x', "b": 'y"'})]


def test_a_table_without_header_or_a_needed_column_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match="no header row"):
        _rows(tmp_path / "empty.csv")
    (tmp_path / "t.csv").write_text("a,c\n1,2\n", encoding="utf-8")
    with pytest.raises(SourceError, match="missing column") as exc:
        _rows(tmp_path / "t.csv")
    assert exc.value.line == 1 and "the header has: a, c" in str(exc.value)


def test_multi_line_cells_and_names() -> None:
    assert lines(" a \nb\n\na\r\n") == ["a", "b"]
    assert normalise_name("  Microsoft\u3000 EXCEL ") == "microsoft excel"
