"""Reading documents as text: every format, offsets, front matter, and what cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from ieic_kg.errors import SourceError
from ieic_kg.nlp import read_document

from .conftest import DEMO_DOCS, FIXTURES


def test_plain_text_and_markdown_are_read_as_written() -> None:
    for path in (DEMO_DOCS / "postings" / "lingmou-vision-algorithm-2026-10.txt", DEMO_DOCS / "syllabi" / "GR3001.md"):
        doc = read_document(path)
        assert doc.text == path.read_text(encoding="utf-8")
        assert doc.offset == 0 and doc.body == doc.text
        assert doc.checksum.startswith("sha256:") and len(doc.checksum) == 7 + 64
    assert read_document(DEMO_DOCS / "syllabi" / "GR3001.md").title.startswith("GR3001 工业机器人现场编程")
    assert read_document(DEMO_DOCS / "postings" / "lingmou-vision-algorithm-2026-10.txt").title.startswith("机器视觉")


def test_front_matter_is_kept_in_the_text_but_not_in_the_body() -> None:
    doc = read_document(FIXTURES / "standard-zh.md")
    assert doc.front_matter["code"] == "NOSS-TEST-2026"
    assert doc.text.startswith("---\n") and doc.body.startswith("# 工业机器人系统操作员")
    assert doc.text[doc.offset :] == doc.body


def test_crlf_bom_and_gb18030(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("\ufeff任职要求：\r\n熟悉PLC编程\r\n".encode())
    (tmp_path / "b.txt").write_bytes("任职要求：\n熟悉PLC编程\n".encode("gb18030"))
    assert read_document(tmp_path / "a.txt").text == "任职要求：\n熟悉PLC编程\n"
    assert read_document(tmp_path / "b.txt").text == "任职要求：\n熟悉PLC编程\n"


def test_html_keeps_structure_and_drops_scripts() -> None:
    doc = read_document(FIXTURES / "syllabus-en.html")
    assert doc.format == "html"
    lines = doc.text.splitlines()
    assert "# GR9001 Robot Programming Basics" in lines
    assert "## Learning outcomes" in lines
    assert "- Carry out robot programming with a teach pendant." in lines
    assert "| Unit 1 | Introduction to machine vision |" in lines
    assert "PLC programming" not in doc.text and "Home | Courses" not in doc.text and "color" not in doc.text


def test_docx(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("GR9002 焊接机器人编程", level=1)
    d.add_heading("学习成果", level=2)
    d.add_paragraph("能完成焊接机器人工作站调试。", style="List Number")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "项目一"
    table.rows[0].cells[1].text = "弧焊机器人示教"
    d.save(str(tmp_path / "GR9002.docx"))
    doc = read_document(tmp_path / "GR9002.docx")
    assert doc.format == "docx"
    assert doc.text.splitlines() == [
        "# GR9002 焊接机器人编程",
        "## 学习成果",
        "- 能完成焊接机器人工作站调试。",
        "| 项目一 | 弧焊机器人示教 |",
    ]


def make_pdf(path: Path, lines: list[str]) -> Path:
    """A real PDF with a text layer (reportlab), one line of text per line."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    c = canvas.Canvas(str(path))
    y = 800
    for line in lines:
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return path


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "posting.pdf", ["Requirements", "- PLC programming in Structured Text.", "- Python is a plus."]
    )
    doc = read_document(path)
    assert doc.format == "pdf"
    assert doc.text.splitlines() == ["Requirements", "- PLC programming in Structured Text.", "- Python is a plus."]


def test_pdf_without_text_is_refused(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(SourceError, match="no text"):
        read_document(path)


def test_unknown_format_and_broken_files(tmp_path: Path) -> None:
    (tmp_path / "x.odt").write_bytes(b"PK")
    with pytest.raises(SourceError, match=r"cannot read \.odt"):
        read_document(tmp_path / "x.odt")
    (tmp_path / "x.docx").write_bytes(b"not a zip")
    with pytest.raises(SourceError, match="not a readable DOCX"):
        read_document(tmp_path / "x.docx")
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(SourceError):
        read_document(tmp_path / "x.pdf")
