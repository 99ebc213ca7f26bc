"""``ieic-kg neo4j …``: start, stop and inspect the managed local Neo4j, or report the configured one.

With ``IEIC_NEO4J_URI`` set, ieic-kg uses that server: ``start``/``stop`` do nothing and say so, ``status``
and ``env`` report it. Otherwise the managed Neo4j lives in ``IEIC_DATA_DIR/neo4j``.
"""

from __future__ import annotations

import shlex
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ieic_kg.config import Settings, load_settings
from ieic_kg.errors import StoreUnavailable
from ieic_kg.neo4j_server import ManagedNeo4j, check_connectivity, resolve_connection

# `status` exit code when the server is not running / not reachable (LSB "program is not running").
# Raised as SystemExit rather than typer.Exit: ieic_kg.cli.main runs the app with standalone_mode=False,
# where click *returns* a typer.Exit's code instead of raising it, so the code would be lost.
EXIT_STOPPED = 3

app = typer.Typer(
    help="Run the managed local Neo4j (downloaded once from Maven Central), or report the configured one.",
    no_args_is_help=True,
)


def _console() -> Console:
    """A Rich console that never breaks a path across lines when the output is not a terminal."""
    console = Console(soft_wrap=True)
    return console if console.is_terminal else Console(soft_wrap=True, width=4096)


def _configured_note(settings: Settings, console: Console, action: str) -> bool:
    if settings.managed:
        return False
    console.print(
        f"A configured Neo4j is in use ({settings.neo4j_uri}, from IEIC_NEO4J_URI): nothing to {action}. "
        "Unset IEIC_NEO4J_URI to use the managed local Neo4j."
    )
    return True


@app.command()
def start(
    timeout: Annotated[
        float | None,
        typer.Option(help="Seconds to wait for Bolt to answer (default: IEIC_NEO4J_START_TIMEOUT)."),
    ] = None,
) -> None:
    """Start the managed Neo4j (download it first if needed) and wait until it answers over Bolt.

    Idempotent: when it already runs, prints its connection. Prints the Bolt URI and where the password
    file and the logs are; `ieic-kg neo4j env` prints the connection as environment variables.
    """
    settings = load_settings()
    console = _console()
    if _configured_note(settings, console, "start"):
        return
    if timeout is not None:
        settings = settings.model_copy(update={"neo4j_start_timeout": timeout})
    server = ManagedNeo4j(settings)
    before = server.status()
    if not before.running:
        console.print(f"Starting Neo4j {server.version} in {server.home} …")
    conn = server.start(progress=console)
    after = server.status()
    verb = "already running" if before.running else "running"
    console.print(f"[green]Neo4j {after.version} {verb}[/] (pid {after.pid})")
    console.print(f"  Bolt URI  {conn.uri}   user {conn.user}   database {conn.database}")
    console.print(f"  password  {server.password_path}")
    console.print(f"  logs      {server.neo4j_log}  (console: {server.console_log})")
    console.print('  [dim]eval "$(ieic-kg neo4j env --export)"  sets IEIC_NEO4J_* in your shell[/]')


@app.command()
def stop(
    timeout: Annotated[float, typer.Option(help="Seconds to wait after SIGTERM before SIGKILL.")] = 60.0,
) -> None:
    """Stop the managed Neo4j (SIGTERM, then SIGKILL after --timeout). Does nothing when it is not running."""
    settings = load_settings()
    console = _console()
    if _configured_note(settings, console, "stop"):
        return
    ManagedNeo4j(settings).stop(timeout=timeout, progress=console)


@app.command()
def status() -> None:
    """Show whether Neo4j runs, and where: URI, user, pid, version, data folder, log.

    Exit code 0 when it is running (or, for a configured server, reachable), 3 when it is not.
    Never prints the password.
    """
    settings = load_settings()
    console = _console()
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    if not settings.managed:
        conn = resolve_connection(settings)
        try:
            check_connectivity(conn, timeout=5)
            state, ok, problem = "[green]reachable[/]", True, None
        except StoreUnavailable as exc:
            state, ok, problem = "[red]unreachable[/]", False, exc.message
        table.add_row("state", state)
        table.add_row("server", "configured (IEIC_NEO4J_URI)")
        table.add_row("URI", conn.uri)
        table.add_row("user", conn.user)
        table.add_row("database", conn.database)
        if problem:
            table.add_row("error", problem)
        console.print(table)
        if not ok:
            raise SystemExit(EXIT_STOPPED)
        return
    server = ManagedNeo4j(settings)
    st = server.status()
    table.add_row("state", "[green]running[/]" if st.running else "[yellow]stopped[/]")
    table.add_row("server", "managed")
    table.add_row("URI", st.uri or "-")
    table.add_row("user", st.user)
    table.add_row("pid", str(st.pid) if st.pid else "-")
    table.add_row("version", st.version)
    table.add_row("data dir", str(st.data_dir))
    table.add_row("password", f"in {server.password_path}")
    table.add_row("log", str(st.log_path))
    console.print(table)
    if not st.running:
        console.print("[dim]start it with `ieic-kg neo4j start`[/]")
        raise SystemExit(EXIT_STOPPED)


@app.command()
def env(
    export: Annotated[bool, typer.Option("--export", help="Prefix each line with `export `.")] = False,
) -> None:
    """Print the connection as IEIC_NEO4J_URI/USER/PASSWORD/DATABASE=… lines (plain, shell-quoted).

    Use: eval "$(ieic-kg neo4j env --export)". Fails when the managed Neo4j is not running.
    """
    settings = load_settings()
    conn = resolve_connection(settings)
    prefix = "export " if export else ""
    for name, value in (
        ("IEIC_NEO4J_URI", conn.uri),
        ("IEIC_NEO4J_USER", conn.user),
        ("IEIC_NEO4J_PASSWORD", conn.password),
        ("IEIC_NEO4J_DATABASE", conn.database),
    ):
        typer.echo(f"{prefix}{name}={shlex.quote(value)}")
