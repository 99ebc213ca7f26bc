"""Reading documents as text: plain text, Markdown, HTML, DOCX and PDF with a text layer.

The **document text** is what offsets (``spanStart``/``spanEnd``) count in, in Unicode code points:

* ``.txt``, ``.md`` — the file decoded (UTF-8, with or without BOM; else GB18030), line ends made
  ``\\n``. A YAML front matter block (``---`` … ``---`` at the top) is part of the text but not read
  for mentions; its fields (``subject``, ``code``, ``title``, ``lang``, ``kind``) configure the load.
* ``.html``, ``.htm`` — the visible text, one block element a line, headings written as Markdown
  headings (``<h2>任职要求</h2>`` → ``## 任职要求``), list items as ``- item``, table rows as
  ``| a | b |``; scripts, styles and navigation are dropped.
* ``.docx`` — paragraphs a line each; Heading/标题 styles as Markdown headings, list paragraphs as
  ``- item``, tables as ``| a | b |`` rows (python-docx).
* ``.pdf`` — the text layer, page by page (pypdf). A PDF without one (a scan) is refused: OCR is not
  done here.

So the same section rules read every format. ``DocumentText.body`` is the text after the front matter
and ``offset`` where it starts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ieic_kg.errors import SourceError

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}


@dataclass(frozen=True)
class DocumentText:
    """A document read as text, with its checksum (SHA-256 of the file's bytes) and front matter."""

    path: Path
    format: str
    text: str
    checksum: str
    offset: int = 0
    front_matter: dict[str, Any] = field(default_factory=dict)

    @property
    def body(self) -> str:
        return self.text[self.offset :]

    @property
    def title(self) -> str:
        """Front matter ``title``, else the first level-1 heading, else a job-title field, else the file name."""
        if self.front_matter.get("title"):
            return str(self.front_matter["title"])
        m = re.search(r"^#\s+(.+?)\s*#*\s*$", self.body, re.M)
        if m:
            return m.group(1).strip()
        m = re.search(r"^\s*(?:岗位|职位|岗位名称|职位名称|Position|Job title)\s*[:：]\s*(.+)$", self.body, re.M | re.I)
        if m:
            return m.group(1).strip()
        return self.path.stem


def read_document(path: Path) -> DocumentText:
    """Read ``path`` as text (format by extension); ``SourceError`` when it cannot be read."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(
            f"cannot read {path.suffix or 'files without an extension'} documents",
            file=str(path),
            hint=f"use one of: {', '.join(sorted(FORMATS))}",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
    checksum = "sha256:" + hashlib.sha256(data).hexdigest()
    if fmt in ("text", "markdown"):
        text = _decode(data, path)
    elif fmt == "html":
        text = html_text(_decode(data, path))
    elif fmt == "docx":
        text = _docx_text(path)
    else:
        text = _pdf_text(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front, offset = _front_matter(text, path)
    if not text[offset:].strip():
        hint = "is it a scanned PDF without a text layer? OCR it first" if fmt == "pdf" else None
        raise SourceError("the document has no text", file=str(path), hint=hint)
    return DocumentText(path, fmt, text, checksum, offset, front)


def _decode(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SourceError("the file is neither UTF-8 nor GB18030 text", file=str(path)) from None


def _front_matter(text: str, path: Path) -> tuple[dict[str, Any], int]:
    m = re.match(r"---[ \t]*\n(.*?\n)---[ \t]*(?:\n|$)", text, re.S)
    if not m:
        return {}, 0
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        raise SourceError(f"malformed YAML front matter: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        return {}, 0
    return {str(k): v for k, v in data.items()}, m.end()


# -- HTML -----------------------------------------------------------------------------------------------

_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "blockquote",
    "pre",
    "br",
    "hr",
    "form",
    "figure",
    "figcaption",
}


def html_text(html: str) -> str:
    """The visible text of an HTML page, with headings, list items and table rows marked as in Markdown."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, Tag

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "head"]):
        tag.decompose()
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = re.sub(r"[ \t\u00a0]+", " ", "".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    def walk(node: Any) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                    continue
                current.append(str(child).replace("\n", " "))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if re.fullmatch(r"h[1-6]", name):
                    flush()
                    current.append("#" * int(name[1]) + " ")
                    walk(child)
                    flush()
                elif name == "li":
                    flush()
                    current.append("- ")
                    walk(child)
                    flush()
                elif name == "tr":
                    flush()
                    cells = [re.sub(r"\s+", " ", c.get_text(" ")).strip() for c in child.find_all(["td", "th"])]
                    lines.append("| " + " | ".join(cells) + " |")
                elif name in _BLOCKS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(soup)
    flush()
    return "\n".join(lines) + "\n"


# -- DOCX -----------------------------------------------------------------------------------------------


def _docx_text(path: Path) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a declared dependency
        raise SourceError("reading .docx needs python-docx", file=str(path)) from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise SourceError(f"not a readable DOCX file: {exc}", file=str(path)) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if not text:
                continue
            style = (block.style.name if block.style is not None else "") or ""
            m = re.match(r"(?:Heading|标题)\s*(\d)", style)
            if m:
                lines.append("#" * int(m.group(1)) + " " + text)
            elif style.lower() == "title":
                lines.append("# " + text)
            elif "list" in style.lower() or "列表" in style:
                lines.append("- " + text)
            else:
                lines.append(text)
        elif isinstance(block, Table):
            for row in block.rows:
                lines.append("| " + " | ".join(c.text.strip() for c in row.cells) + " |")
    return "\n".join(lines) + "\n"


# -- PDF ------------------------------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise SourceError(f"not a readable PDF: {exc}", file=str(path)) from None
    return "\n".join(p.strip("\n") for p in pages) + "\n"
