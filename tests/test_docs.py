"""The documentation is tested: a setting, command, option or named query that is not documented fails here.

Fast and offline (no Neo4j): the commands and queries are discovered from the code (the Typer app, the
``Settings`` class, ``QueryLibrary``), never listed by hand, and the commands shown in README.md and the
docs are parsed by the real command line so that a renamed command or option breaks the build.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ieic_kg.cli import EXIT_ERROR, EXIT_OK, EXIT_REJECTED, app
from ieic_kg.cli_neo4j import EXIT_STOPPED
from ieic_kg.config import Settings
from ieic_kg.errors import QueryParameterError
from ieic_kg.queries import NamedQuery, QueryLibrary

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
DOCS = REPO / "docs"
CLI_DOC = DOCS / "cli.md"
CONFIG_DOC = DOCS / "configuration.md"
QUERIES_DOC = DOCS / "queries.md"

#: Variables read by the test suite itself (never by the package); each must be read somewhere in tests/.
TEST_SUITE_VARIABLES = frozenset(
    {
        "IEIC_TEST_NEO4J_URI",
        "IEIC_TEST_NEO4J_USER",
        "IEIC_TEST_NEO4J_PASSWORD",
        "IEIC_TEST_NEO4J_DATABASE",
        "IEIC_PUBLIC_DATA",
    }
)

#: Options known to lack a help text (a gap in ieic_kg/cli.py); remove an entry once the option has one.
OPTIONS_WITHOUT_HELP: frozenset[tuple[str, str]] = frozenset()

ENV_VAR = re.compile(r"\bIEIC_[A-Z0-9_]*[A-Z0-9]\b(?!_)")  # IEIC_NEO4J_* and the bare prefix are not names
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SHELL_BLOCKS = ("bash", "sh", "shell")
INLINE_CODE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")


# ---------------------------------------------------------------- helpers


@cache
def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def root_command() -> Any:
    return typer.main.get_command(app)


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and sub-command of the CLI as (path, click command), depth first."""
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield (*path, name), sub
        yield from walk(sub, (*path, name))


COMMANDS = dict(walk(root_command()))
COMMAND_IDS = [" ".join(p) for p in COMMANDS]


def sections(markdown: str) -> list[tuple[int, str, str]]:
    """(level, heading, body up to the next heading of the same or a higher level) for every heading."""
    lines = markdown.splitlines()
    heads: list[tuple[int, int, str]] = []
    in_fence = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and (m := HEADING.match(line)):
            heads.append((i, len(m[1]), m[2]))
    out = []
    for k, (i, level, title) in enumerate(heads):
        end = next((j for j, lv, _ in heads[k + 1 :] if lv <= level), len(lines))
        out.append((level, title, "\n".join(lines[i + 1 : end])))
    return out


def section_of(markdown: str, code: str) -> str:
    """The body of the heading whose code span is exactly ``code``; fails when there is none."""
    for _, title, body in sections(markdown):
        if code in INLINE_CODE.findall(title):
            return body
    pytest.fail(f"no heading with `{code}`", pytrace=False)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    s = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return s.replace(" ", "-")


def code_blocks(markdown: str, languages: tuple[str, ...] | None = None) -> list[str]:
    """The fenced code blocks, optionally only those whose info string is one of ``languages``."""
    return [body for lang, body in FENCE.findall(markdown) if languages is None or lang.strip() in languages]


def options_of(command: Any) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "option" and p.name != "help"]


def long_name(option: Any) -> str:
    return max(option.opts, key=len)


def command_lines(markdown: str) -> list[tuple[str, bool]]:
    """(arguments after ``ieic-kg``, shown failing) for the shell lines of the code blocks: every line of a
    ``bash``/``sh`` block, the ``$ `` lines of a ``console`` block (the rest is output; a command whose
    output starts with ``error:`` is shown failing). ``text`` blocks (synopses) are not commands."""
    shell_lines = [(line, False) for block in code_blocks(markdown, SHELL_BLOCKS) for line in block.splitlines()]
    for block in code_blocks(markdown, ("console",)):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ "):
                fails = i + 1 < len(lines) and lines[i + 1].startswith("error:")
                shell_lines.append((line[2:], fails))
    out = []
    for line, fails in shell_lines:
        m = re.search(r"(?:^|[\s/(\"])ieic-kg(?=\s|$)(.*)", line)
        if m:
            out.append((re.split(r"\s#|\s\||\s>|\s2>|\)|\"|;|\s&&", m[1])[0].strip(), fails))
    return out


def inline_commands(markdown: str) -> list[str]:
    """The arguments after ``ieic-kg`` in the inline code spans of the prose (command names, no options)."""
    spans = INLINE_CODE.findall(FENCE.sub("", markdown))
    return [m[1].strip() for s in spans if (m := re.match(r"(?:\S*/)?ieic-kg(?:\s+(.*)|$)", s)) and m[1]]


def expand(args: str) -> list[list[str]]:
    """Shell words of a documented command line, with ``[optional]`` parts kept and ``a|b`` alternatives
    expanded into separate command lines."""
    words = shlex.split(args.replace("[", " ").replace("]", " "))
    variants: list[list[str]] = [[]]
    for w in words:
        choices = w.split("|") if "|" in w and not w.startswith("-") else [w]
        variants = [[*v, c] for v in variants for c in choices]
    return variants


def resolve(words: list[str]) -> tuple[tuple[str, ...], Any, list[str]]:
    """(path, click command, remaining words) of a command line; fails for an unknown (sub-)command."""
    command, rest = root_command(), list(words)
    path: tuple[str, ...] = ()
    while rest and getattr(command, "commands", None) and not rest[0].startswith("-"):
        name = rest.pop(0)
        assert name in command.commands, f"`ieic-kg {' '.join((*path, name))}` is not a command"
        command, path = command.commands[name], (*path, name)
    return path, command, rest


def parse_command_line(words: list[str]) -> tuple[str, ...]:
    """Resolve the (sub-)command of ``words`` and parse its options and arguments as the CLI would,
    without running it. Raises the parser's error for an unknown option or a missing argument."""
    path, command, rest = resolve(words)
    if "--help" not in rest and not (not rest and getattr(command, "commands", None)):
        command.make_context(" ".join(("ieic-kg", *path)), rest)
    return path


@cache
def query_library() -> list[NamedQuery]:
    return QueryLibrary().all()


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field: str) -> None:
    var = f"IEIC_{field.upper()}"
    rows = [line for line in text(CONFIG_DOC).splitlines() if line.startswith("|") and f"`{var}`" in line]
    assert rows, f"{var} (Settings.{field}) has no table row in docs/configuration.md"
    info = Settings.model_fields[field]
    assert info.description, f"Settings.{field} has no description"
    if info.default_factory is None and info.default is not None:
        default = info.default
        shown = {f"`{default}`"} | (
            {f"`{int(default)}`"} if isinstance(default, float) and default.is_integer() else set()
        )
        assert any(s in rows[0] for s in shown), f"the default of {var} ({default!r}) is not in its row"


@pytest.mark.parametrize(
    "doc", ["README.md", "CHANGELOG.md", "docs/configuration.md", "docs/cli.md", "docs/queries.md"]
)
def test_documented_variables_exist(doc: str) -> None:
    settings = {f"IEIC_{f.upper()}" for f in Settings.model_fields}
    unknown = set(ENV_VAR.findall(text(REPO / doc))) - settings - TEST_SUITE_VARIABLES
    assert not unknown, f"{doc} names variables that are no setting: {sorted(unknown)}"


@pytest.mark.parametrize("var", sorted(TEST_SUITE_VARIABLES))
def test_test_suite_variables_are_real_and_documented(var: str) -> None:
    sources = [p for p in (REPO / "tests").rglob("*.py") if p.name != "test_docs.py"]
    assert any(f'"{var}"' in text(p) for p in sources), f"no test reads {var}: drop it from the docs"
    assert f"`{var}`" in text(CONFIG_DOC), f"{var} is read by the tests but not in docs/configuration.md"


# ---------------------------------------------------------------- commands


@pytest.mark.parametrize("path", list(COMMANDS), ids=COMMAND_IDS)
def test_every_command_has_a_section(path: tuple[str, ...]) -> None:
    section_of(text(CLI_DOC), "ieic-kg " + " ".join(path))


@pytest.mark.parametrize("path", list(COMMANDS), ids=COMMAND_IDS)
def test_every_option_is_documented(path: tuple[str, ...]) -> None:
    body = section_of(text(CLI_DOC), "ieic-kg " + " ".join(path))
    missing = [long_name(o) for o in options_of(COMMANDS[path]) if f"`{long_name(o)}" not in body]
    assert not missing, f"docs/cli.md, `ieic-kg {' '.join(path)}`: options not documented: {missing}"


@pytest.mark.parametrize("path", list(COMMANDS), ids=COMMAND_IDS)
def test_help_runs(path: tuple[str, ...]) -> None:
    command = COMMANDS[path]
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert (command.help or "").strip(), f"`ieic-kg {' '.join(path)}` has no help text"
    for option in options_of(command):
        undocumented = not (option.help or "").strip()
        if (" ".join(path), long_name(option)) in OPTIONS_WITHOUT_HELP:
            assert undocumented, f"{long_name(option)} has a help text now: drop it from OPTIONS_WITHOUT_HELP"
        else:
            assert not undocumented, f"`ieic-kg {' '.join(path)} {long_name(option)}` has no help text"


def test_top_level_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    for name in root_command().commands:
        assert name in result.output


@pytest.mark.parametrize(
    ("command", "codes"),
    [("ieic-kg load", (EXIT_OK, EXIT_ERROR, EXIT_REJECTED)), ("ieic-kg neo4j status", (0, EXIT_STOPPED))],
)
def test_exit_codes_are_documented(command: str, codes: tuple[int, ...]) -> None:
    body = section_of(text(CLI_DOC), command)
    for code in codes:
        assert re.search(rf"^\|\s*{code}\s*\|", body, re.MULTILINE), f"exit code {code} of `{command}` not in a table"


@pytest.mark.parametrize("doc", ["docs/cli.md", "docs/configuration.md", "docs/queries.md"])
def test_documented_command_lines_parse(doc: str) -> None:
    lines = command_lines(text(REPO / doc))
    assert lines or doc != "docs/cli.md"
    for line, _ in lines:
        for words in expand(line):
            parse_command_line(words)


# ---------------------------------------------------------------- README


def test_readme_commands_are_real() -> None:
    """Every command line in README.md's code blocks parses; every `ieic-kg X` in its prose is a command."""
    lines = [line for line, _ in command_lines(text(README))]
    assert any(line.startswith("load ") for line in lines)  # this test's parser still finds README's commands
    for line in lines:
        for words in expand(line):
            parse_command_line(words)
    for line in inline_commands(text(README)):
        for words in expand(line):
            resolve(words)


def test_readme_commands_are_documented() -> None:
    for line in [line for line, _ in command_lines(text(README))] + inline_commands(text(README)):
        for words in expand(line):
            path, _, _ = resolve(words)
            if path:
                section_of(text(CLI_DOC), "ieic-kg " + " ".join(path))


def test_readme_make_targets_exist() -> None:
    makefile = text(REPO / "Makefile")
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", makefile, re.MULTILINE))
    used = {m for block in code_blocks(text(README)) for m in re.findall(r"(?:^|\s)make\s+([\w.-]+)", block)}
    assert used, "README.md shows no make target"
    assert not used - targets, f"README.md uses make targets the Makefile lacks: {sorted(used - targets)}"


@pytest.mark.parametrize("doc", ["README.md", "CHANGELOG.md", *(f"docs/{p.name}" for p in sorted(DOCS.glob("*.md")))])
def test_relative_links_resolve(doc: str) -> None:
    path = REPO / doc
    links = re.findall(r"\]\(([^)\s]+)\)", FENCE.sub("", text(path)))
    for link in links:
        target, _, anchor = link.partition("#")
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # http:, https:, mailto:
        resolved = (path.parent / target) if target else path
        assert resolved.exists(), f"{doc} links to {link}, which does not exist"
        if anchor and resolved.suffix == ".md":
            slugs = {slug(t) for _, t, _ in sections(text(resolved))}
            assert anchor in slugs, f"{doc} links to #{anchor}, which is no heading of {resolved.name}"


def test_readme_links_the_docs() -> None:
    linked = set(re.findall(r"\]\((docs/[^)#\s]+\.md)", text(README)))
    assert linked, "README.md links no docs/*.md"
    for link in linked:
        assert (REPO / link).is_file(), f"README.md links {link}, which does not exist"


# ---------------------------------------------------------------- named queries


@pytest.mark.parametrize("query", query_library(), ids=lambda q: f"{q.name}.{q.language}")
def test_every_query_has_a_section(query: NamedQuery) -> None:
    body = section_of(text(QUERIES_DOC), query.name)
    for param in query.params:
        assert f"`{param.name}`" in body, f"docs/queries.md, {query.name}: parameter {param.name} not described"
    assert f"ieic-kg query {query.name}" in body, f"docs/queries.md, {query.name}: no example command"


@pytest.mark.parametrize("query", query_library(), ids=lambda q: f"{q.name}.{q.language}")
def test_every_query_header_is_complete(query: NamedQuery) -> None:
    assert query.title.strip(), f"{query.path}: no title"
    assert query.description.strip(), f"{query.path}: no description"
    assert query.returns.strip(), f"{query.path}: no 'returns:' line"
    for param in query.params:
        assert param.doc.strip(), f"{query.path}: parameter {param.name} has no doc"


def test_query_examples_bind() -> None:
    """Every `ieic-kg query NAME -p k=v` in the docs names a real query and binds its parameters (or, when
    the docs show it failing, fails to bind)."""
    library = {q.name: q for q in query_library() if q.language == "cypher"}
    shown: set[str] = set()
    for doc in (QUERIES_DOC, CLI_DOC):
        for line, fails in command_lines(text(doc)):
            words = shlex.split(line)
            if words[:1] != ["query"] or len(words) < 2 or words[1].endswith((".cypher", ".rq")):
                continue
            assert words[1] in library, f"{doc.name} runs an unknown query: {words[1]}"
            given = dict(w.partition("=")[::2] for w in words[2:] if "=" in w and not w.startswith("-"))
            if fails:
                with pytest.raises(QueryParameterError):
                    library[words[1]].bind(given)
            else:
                library[words[1]].bind(given)  # raises for an unknown, missing or mistyped parameter
                shown.add(words[1])
    assert shown >= library.keys(), f"docs/queries.md shows no working example of {sorted(library.keys() - shown)}"
