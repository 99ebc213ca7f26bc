"""``ieic-kg review``: the steward's queue of terms that documents mention but that link to no skill.

Decisions are recorded with who and when, and reused by every later documents load (an accepted term
becomes a pattern; a rejected one is not queued again).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ieic_kg.config import load_settings

console = Console()
review_app = typer.Typer(help="Review terms that documents mention but that link to no skill.", no_args_is_help=True)


@review_app.command("list")
def review_list(
    status: Annotated[str, typer.Option(help="pending, accepted, rejected or all.")] = "pending",
    lang: Annotated[str | None, typer.Option(help="zh or en.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many terms.")] = 50,
) -> None:
    """Unlinked terms, most frequent first, with an example sentence and the closest label."""
    from ieic_kg.nlp import ReviewQueue

    queue = ReviewQueue.open(load_settings())
    table = Table(title=f"Review queue 待审术语 ({queue.path})")
    for col in ("term", "lang", "count", "docs", "suggestion", "example", "status"):
        table.add_column(col, overflow="fold")
    for item in queue.list(status=None if status == "all" else status, lang=lang, limit=limit):
        s = item.get("suggestion") or {}
        hint = f"{s['label']} ({s.get('method', 'fuzzy')} {s['score']}) {s['iri']}" if s else ""
        example = item["examples"][0]["sentence"] if item["examples"] else ""
        table.add_row(
            escape(item["term"]), item["lang"], str(item["count"]), str(item["documents"]),
            escape(hint), escape(example), item["status"],
        )  # fmt: skip
    console.print(table)


@review_app.command("accept")
def review_accept(
    term: Annotated[str, typer.Argument(help="The term as listed.")],
    alt_of: Annotated[str | None, typer.Option(help="IRI of the skill the term is another name of.")] = None,
    new_skill: Annotated[bool, typer.Option("--new-skill", help="Accept the term as a new skill.")] = False,
    key: Annotated[str | None, typer.Option(help="Source key of the new skill (default REVIEW:<term>).")] = None,
    lang: Annotated[str | None, typer.Option(help="zh or en, when the term is queued in both.")] = None,
    by: Annotated[str | None, typer.Option(help="Who decides (default: your login name).")] = None,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
) -> None:
    """Accept a term as an alternative label of a skill (--alt-of IRI) or as a new skill (--new-skill)."""
    from ieic_kg.nlp import ReviewQueue

    if bool(alt_of) == new_skill:
        raise typer.BadParameter("give exactly one of --alt-of IRI and --new-skill")
    d = ReviewQueue.open(load_settings()).accept(term, lang=lang, alt_of=alt_of, new_skill_key=key, by=by, note=note)
    console.print(
        f"accepted {d.term!r} ({d.lang}) as {d.decision} by {d.by} at {d.at}; used by the next documents load"
    )


@review_app.command("reject")
def review_reject(
    term: Annotated[str, typer.Argument(help="The term as listed.")],
    lang: Annotated[str | None, typer.Option(help="zh or en, when the term is queued in both.")] = None,
    by: Annotated[str | None, typer.Option(help="Who decides (default: your login name).")] = None,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
) -> None:
    """Reject a term: it is no skill and is not queued again."""
    from ieic_kg.nlp import ReviewQueue

    d = ReviewQueue.open(load_settings()).reject(term, lang=lang, by=by, note=note)
    console.print(f"rejected {d.term!r} ({d.lang}) by {d.by} at {d.at}")


def register(app: typer.Typer) -> None:
    """Add ``review list|accept|reject`` to the ``ieic-kg`` app."""
    app.add_typer(review_app, name="review")
