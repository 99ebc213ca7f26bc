"""The managed local Neo4j: obtained once from Maven Central, run as a detached Java process.

Layout
------
* Distribution (shared, reusable, read-only after download):
  ``settings.cache_dir / f"neo4j-{settings.neo4j_version}"`` with ``pom.xml`` and ``lib/*.jar``. It is
  assembled by Maven in a temporary sibling folder and renamed into place only when complete, under a lock
  file, so an interrupted or concurrent download never leaves half a distribution. After the first time no
  network is used. Maven's output goes to ``cache_dir / f"neo4j-{version}.maven.log"``.
* Instance (one per data folder): ``settings.data_dir / "neo4j"`` with ``conf/neo4j.conf`` (regenerated at
  each start from the settings), ``data/``, ``logs/`` (``console.log``, ``neo4j.log``, ``debug.log``),
  ``run/``, ``password`` (mode 0600, generated once with :mod:`secrets`, or taken from
  ``IEIC_NEO4J_PASSWORD`` on the very first start) and ``state.json`` (port, pid, version, Java used).

The server is started without the ``neo4j`` shell launcher: ``java … org.neo4j.server.CommunityEntryPoint``
with the JVM flags of the stock 5.26 ``neo4j.conf`` (see :data:`JVM_FLAGS`). The user is always ``neo4j``.

A configured server (``IEIC_NEO4J_URI``) is never started or stopped here; see :func:`resolve_connection`
and :func:`ensure_neo4j`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from ieic_kg.config import Settings
from ieic_kg.errors import SetupError, StoreUnavailable

MANAGED_USER = "neo4j"
DEFAULT_BOLT_PORT = 7687
SUPPORTED_JAVA = (17, 21)
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
JVM_SEARCH_DIR = Path("/usr/lib/jvm")

INSTALL_HINT = (
    "install Java 17 and Maven (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless maven`), "
    "or point ieic-kg at an existing Neo4j with IEIC_NEO4J_URI, IEIC_NEO4J_USER and IEIC_NEO4J_PASSWORD"
)

# The JVM flags of the stock Neo4j 5.26 neo4j.conf (server.jvm.additional), less -XX:+AlwaysPreTouch
# (it would touch the whole heap at start: slower, and pointless for a local development server).
JVM_FLAGS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
    "-Dfile.encoding=UTF-8",
)

_POM = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by ieic-kg: the jars of Neo4j {version} community, copied by
     mvn dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=lib -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>ieic-kg</groupId>
  <artifactId>managed-neo4j</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j.app</groupId>
      <artifactId>neo4j-server</artifactId>
      <version>{version}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""


@dataclass(frozen=True)
class Neo4jConnection:
    """Where and how to reach a Neo4j server. ``repr`` never shows the password."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str = "neo4j"

    def __repr__(self) -> str:
        return f"Neo4jConnection(uri={self.uri!r}, user={self.user!r}, password='***', database={self.database!r})"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    def driver(self, **config: Any) -> Any:
        """A new ``neo4j.Driver`` for this server (the caller closes it)."""
        from neo4j import GraphDatabase

        return GraphDatabase.driver(self.uri, auth=self.auth, **config)


@dataclass(frozen=True)
class ManagedStatus:
    """What :meth:`ManagedNeo4j.status` reports."""

    running: bool
    pid: int | None
    uri: str | None
    user: str
    version: str
    data_dir: Path
    log_path: Path


@dataclass(frozen=True)
class JavaRuntime:
    """A Java executable and its major version."""

    executable: Path
    major: int
    version: str

    @property
    def home(self) -> Path:
        return self.executable.resolve().parent.parent


# ----------------------------------------------------------------------------------------------- Java


def _java_version(executable: Path) -> tuple[int, str] | None:
    """(major, full version string) of a java executable, or None when it does not run."""
    try:
        out = subprocess.run([str(executable), "-version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "([^"]+)"', out.stderr + out.stdout)
    if not m:
        return None
    version = m.group(1)
    numbers = re.findall(r"\d+", version)
    if not numbers:
        return None
    major = int(numbers[1]) if numbers[0] == "1" and len(numbers) > 1 else int(numbers[0])  # 1.8.0 → 8
    return major, version


def _java_candidates(settings: Settings) -> Iterator[tuple[str, Path]]:
    """(where it came from, java executable) in order of preference; settings.java_home is handled apart."""
    java_home_env = os.environ.get("JAVA_HOME")  # located like PATH: a property of the machine, not a setting
    if java_home_env:
        yield "JAVA_HOME", Path(java_home_env) / "bin" / "java"
    on_path = shutil.which("java")
    if on_path:
        yield "PATH", Path(on_path)
    if JVM_SEARCH_DIR.is_dir():
        for home in sorted(JVM_SEARCH_DIR.iterdir()):
            if any(str(v) in home.name for v in SUPPORTED_JAVA) and (home / "bin" / "java").exists():
                yield str(JVM_SEARCH_DIR), home / "bin" / "java"


def find_java(settings: Settings) -> JavaRuntime:
    """The Java runtime for Neo4j: settings.java_home, else JAVA_HOME, else ``java`` on PATH, else a Java
    17/21 in /usr/lib/jvm. Only Java 17 and 21 are accepted (Neo4j 5.26's supported runtimes)."""
    supported = " or ".join(str(v) for v in SUPPORTED_JAVA)
    if settings.java_home is not None:
        exe = settings.java_home / "bin" / "java"
        found = _java_version(exe) if exe.exists() else None
        if found is None:
            raise SetupError(
                f"no working Java at IEIC_JAVA_HOME={settings.java_home} (looked for {exe})",
                hint=f"set IEIC_JAVA_HOME to a Java {supported} home, or unset it; {INSTALL_HINT}",
            )
        if found[0] not in SUPPORTED_JAVA:
            raise SetupError(
                f"IEIC_JAVA_HOME={settings.java_home} is Java {found[1]}; "
                f"Neo4j {settings.neo4j_version} needs Java {supported}",
                hint=f"set IEIC_JAVA_HOME to a Java {supported} home; {INSTALL_HINT}",
            )
        return JavaRuntime(exe, found[0], found[1])

    seen: list[str] = []
    checked: set[Path] = set()
    for origin, exe in _java_candidates(settings):
        real = exe.resolve()
        if real in checked or not exe.exists():
            continue
        checked.add(real)
        found = _java_version(exe)
        if found is None:
            seen.append(f"{exe} ({origin}) does not run")
            continue
        if found[0] in SUPPORTED_JAVA:
            return JavaRuntime(exe, found[0], found[1])
        seen.append(f"Java {found[1]} at {exe} ({origin})")
    if seen:
        raise SetupError(
            f"Neo4j {settings.neo4j_version} needs Java {supported}, but found only: " + "; ".join(seen),
            hint=f"set IEIC_JAVA_HOME to a Java {supported} home; {INSTALL_HINT}",
        )
    raise SetupError("Java is not installed (no JAVA_HOME, no `java` on PATH)", hint=INSTALL_HINT)


# ------------------------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _file_lock(path: Path, on_wait: str | None = None, console: Console | None = None) -> Iterator[None]:
    """An exclusive advisory lock (fcntl.flock) held for the duration of the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if console is not None and on_wait:
                console.print(on_wait)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _port_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on host:port (bound with SO_REUSEADDR, as Neo4j binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _port_answers(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _size_mb(size: str) -> int:
    """'512m' / '1g' / '1024k' → megabytes (for the JVM heap flags)."""
    m = re.fullmatch(r"\s*(\d+)\s*([kKmMgG]?)[bB]?\s*", size)
    if not m:
        raise SetupError(f"cannot read the memory size {size!r}", hint="use a size like 512m or 1g")
    n, unit = int(m.group(1)), m.group(2).lower()
    return {"k": n // 1024, "m": n, "g": n * 1024, "": n // (1024 * 1024)}[unit]


def _tail(path: Path, lines: int = 20) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return "(no output)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


def _without_stack_frames(output: str, limit: int = 15) -> str:
    """A Java tool's output without its stack frames: the messages and their "Caused by" lines."""
    kept = [
        line for line in output.strip().splitlines() if line.strip() and not re.match(r"\s+(at |\.\.\. \d+ more)", line)
    ]
    return "\n".join(kept[:limit]) or "(no output)"


def _pid_is_ours(pid: int, home: Path) -> bool:
    """True when pid is alive (not a zombie) and is the Neo4j of this home (guards against pid reuse)."""
    proc = Path(f"/proc/{pid}")
    if proc.is_dir():
        try:
            stat = (proc / "stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
                return False
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError):
            return False
        args = [a.decode("utf-8", "replace") for a in cmdline]
        return ENTRY_POINT in args and f"--home-dir={home}" in args
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ----------------------------------------------------------------------------------------- ManagedNeo4j


def _generate_password(length: int = 32) -> str:
    """A random password of letters and digits (nothing a command line or a shell could misread)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


class ManagedNeo4j:
    """The local Neo4j that ieic-kg downloads, configures, starts and stops itself."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.version = settings.neo4j_version
        self.dist_dir = settings.cache_dir / f"neo4j-{self.version}"
        self.lib_dir = self.dist_dir / "lib"
        self.maven_log = settings.cache_dir / f"neo4j-{self.version}.maven.log"
        self.home = (settings.data_dir / "neo4j").absolute()
        self.conf_dir = self.home / "conf"
        self.conf_path = self.conf_dir / "neo4j.conf"
        self.logs_dir = self.home / "logs"
        self.console_log = self.logs_dir / "console.log"
        self.neo4j_log = self.logs_dir / "neo4j.log"
        self.password_path = self.home / "password"
        self.state_path = self.home / "state.json"
        self._proc: subprocess.Popen[bytes] | None = None

    # ---------------------------------------------------------------- distribution

    def distribution_ready(self) -> bool:
        return (self.lib_dir / f"neo4j-{self.version}.jar").is_file() and any(
            self.lib_dir.glob(f"neo4j-server-{self.version}.jar")
        )

    def ensure_distribution(self, progress: Console | None = None) -> Path:
        """Obtain the Neo4j jars from Maven Central once (Maven, into the cache); returns the lib folder.

        ``progress``: a Rich console on which to show a status line while Maven runs (None: silent).
        """
        if self.distribution_ready():
            return self.lib_dir
        cache = self.settings.cache_dir
        cache.mkdir(parents=True, exist_ok=True)
        lock = cache / f"neo4j-{self.version}.lock"
        with _file_lock(lock, "[dim]waiting for another download of Neo4j to finish…[/]", progress):
            if self.distribution_ready():
                return self.lib_dir
            if self.dist_dir.exists():  # incomplete leftover (should not happen: we rename atomically)
                shutil.rmtree(self.dist_dir)
            for stale in cache.glob(f".neo4j-{self.version}.*.partial"):  # left by a killed download
                shutil.rmtree(stale, ignore_errors=True)
            mvn = shutil.which("mvn")
            if mvn is None:
                raise SetupError(
                    f"Maven (`mvn`) is needed once to download Neo4j {self.version} into {self.dist_dir}",
                    hint=INSTALL_HINT,
                )
            java = find_java(self.settings)
            tmp = Path(tempfile.mkdtemp(prefix=f".neo4j-{self.version}.", suffix=".partial", dir=cache))
            try:
                (tmp / "pom.xml").write_text(_POM.format(version=self.version))
                self._run_maven(mvn, java, tmp, progress)
                if not (tmp / "lib" / f"neo4j-{self.version}.jar").is_file():
                    raise SetupError(
                        f"Maven finished but {tmp / 'lib'} has no neo4j-{self.version}.jar (log: {self.maven_log})",
                        hint="check that the version exists on Maven Central (IEIC_NEO4J_VERSION)",
                    )
                shutil.copy2(self.maven_log, tmp / "maven.log")
                os.replace(tmp, self.dist_dir)
            finally:
                if tmp.exists():
                    shutil.rmtree(tmp, ignore_errors=True)
        return self.lib_dir

    def _run_maven(self, mvn: str, java: JavaRuntime, workdir: Path, progress: Console | None) -> None:
        cmd = [
            mvn,
            "-B",
            "--no-transfer-progress",
            "-f",
            str(workdir / "pom.xml"),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={workdir / 'lib'}",
        ]
        env = dict(os.environ, JAVA_HOME=str(java.home))
        started = time.monotonic()
        with open(self.maven_log, "wb") as log:
            log.write(f"$ {' '.join(cmd)}\n".encode())
            log.flush()
            proc = subprocess.Popen(
                cmd, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
            )
            status_cm = (
                progress.status(f"Downloading Neo4j {self.version} with Maven (first time only)…")
                if progress is not None
                else contextlib.nullcontext()
            )
            try:
                with status_cm as status:
                    while proc.poll() is None:
                        time.sleep(0.5)
                        if status is not None:
                            status.update(
                                f"Downloading Neo4j {self.version} with Maven (first time only, ~1 min)… "
                                f"{time.monotonic() - started:.0f}s — log: {self.maven_log}"
                            )
            except BaseException:
                proc.kill()
                proc.wait()
                raise
        if proc.returncode != 0:
            raise SetupError(
                f"Maven could not download Neo4j {self.version} (exit {proc.returncode}); "
                f"last lines of {self.maven_log}:\n{_tail(self.maven_log)}",
                hint="check network access to Maven Central, or point ieic-kg at an existing Neo4j with "
                "IEIC_NEO4J_URI, IEIC_NEO4J_USER and IEIC_NEO4J_PASSWORD",
            )
        if progress is not None:
            progress.print(f"Neo4j {self.version} downloaded into {self.dist_dir} in {time.monotonic() - started:.0f}s")

    # ---------------------------------------------------------------- state

    def _read_state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_state(self, state: dict[str, Any]) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
        os.replace(tmp, self.state_path)

    def _running_pid(self) -> int | None:
        pid = self._read_state().get("pid")
        if isinstance(pid, int) and pid > 0 and _pid_is_ours(pid, self.home):
            return pid
        return None

    def _uri(self, port: int) -> str:
        return f"bolt://127.0.0.1:{port}"

    def _password(self) -> str | None:
        try:
            return self.password_path.read_text().strip() or None
        except FileNotFoundError:
            return None

    # ---------------------------------------------------------------- public queries

    def status(self) -> ManagedStatus:
        state = self._read_state()
        pid = self._running_pid()
        port = state.get("port")
        return ManagedStatus(
            running=pid is not None,
            pid=pid,
            uri=self._uri(port) if isinstance(port, int) else None,
            user=MANAGED_USER,
            version=str(state.get("version") or self.version),
            data_dir=self.home,
            log_path=self.neo4j_log,
        )

    def connection(self) -> Neo4jConnection:
        """The connection of the running managed Neo4j."""
        state = self._read_state()
        password = self._password()
        if self._running_pid() is None or password is None or not isinstance(state.get("port"), int):
            raise StoreUnavailable(f"the managed Neo4j in {self.home} is not running", hint="run `ieic-kg neo4j start`")
        return Neo4jConnection(self._uri(state["port"]), MANAGED_USER, password, self.settings.neo4j_database)

    # ---------------------------------------------------------------- start / stop

    def _choose_port(self, state: dict[str, Any]) -> int:
        wanted = self.settings.neo4j_bolt_port
        if wanted is not None:
            if not _port_free(wanted):
                raise SetupError(
                    f"port {wanted} (IEIC_NEO4J_BOLT_PORT) is already in use on 127.0.0.1",
                    hint="stop what uses it, or unset IEIC_NEO4J_BOLT_PORT to let ieic-kg pick a free port",
                )
            return wanted
        previous = state.get("port")
        if isinstance(previous, int) and _port_free(previous):
            return previous
        if _port_free(DEFAULT_BOLT_PORT):
            return DEFAULT_BOLT_PORT
        return _free_port()

    def _write_conf(self, port: int) -> None:
        s = self.settings
        h = self.home
        lines = [
            "# Generated by ieic-kg at each start from its settings: edits here are overwritten.",
            "# JVM flags are passed on the java command line (ieic_kg.neo4j_server.JVM_FLAGS).",
            f"server.directories.data={h / 'data'}",
            f"server.directories.logs={h / 'logs'}",
            f"server.directories.run={h / 'run'}",
            f"server.directories.plugins={h / 'plugins'}",
            f"server.directories.import={h / 'import'}",
            f"server.directories.lib={self.lib_dir.absolute()}",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            "server.bolt.enabled=true",
            f"server.bolt.listen_address=127.0.0.1:{port}",
            f"server.bolt.advertised_address=127.0.0.1:{port}",
            "server.http.enabled=false",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            "dbms.usage_report.enabled=false",
            f"server.memory.heap.initial_size={self._heap_initial_mb()}m",
            f"server.memory.heap.max_size={_size_mb(s.neo4j_heap)}m",
            f"server.memory.pagecache.size={s.neo4j_pagecache}",
        ]
        if self.version.startswith("5."):
            # Bolt waits 5 s per connector for its worker pool at shutdown, after the databases are
            # already checkpointed and closed: 1 s makes `stop` take ~2 s instead of 5-10 s.
            lines.append("internal.server.bolt.thread_pool_shutdown_wait_time=1s")
        lines.append("")
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        self.conf_path.write_text("\n".join(lines))

    def _heap_initial_mb(self) -> int:
        return min(512, _size_mb(self.settings.neo4j_heap))

    def _java_env(self) -> dict[str, str]:
        return dict(os.environ, NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.conf_dir))

    def _ensure_password(self, java: JavaRuntime) -> None:
        """Create the password file and set it as the initial password, as long as the DBMS never started."""
        system_db = self.home / "data" / "databases" / "system"
        password = self._password()
        if system_db.exists():
            if password is None:
                raise SetupError(
                    f"the managed Neo4j in {self.home} was initialised, but its password file "
                    f"{self.password_path} is missing",
                    hint=f"restore that file, or delete {self.home} to start over with an empty database",
                )
            return
        if password is None:
            given = self.settings.neo4j_password
            password = given.get_secret_value() if given is not None else _generate_password()
            if len(password) < 8:
                raise SetupError(
                    "IEIC_NEO4J_PASSWORD is shorter than 8 characters, which Neo4j refuses",
                    hint="set a longer IEIC_NEO4J_PASSWORD, or unset it to have one generated",
                )
            self.home.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.password_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(password + "\n")
        os.chmod(self.password_path, 0o600)
        cmd = [str(java.executable), "-cp", f"{self.lib_dir}/*", ADMIN_TOOL, "dbms", "set-initial-password"]
        out = subprocess.run(
            # "--" ends the options: a password may begin with "-"
            [*cmd, "--", password],
            capture_output=True,
            text=True,
            env=self._java_env(),
            timeout=120,
            check=False,
        )
        if out.returncode != 0:
            raise SetupError(
                f"neo4j-admin dbms set-initial-password failed (exit {out.returncode}):\n"
                f"{_without_stack_frames(out.stdout + out.stderr)}",
                hint=f"check {self.conf_path}; deleting {self.home} starts over",
            )

    def start(self, wait: bool = True, progress: Console | None = None) -> Neo4jConnection:
        """Start the managed Neo4j (idempotent) and, with ``wait``, return once it answers over Bolt."""
        java = find_java(self.settings)
        self.ensure_distribution(progress)
        with _file_lock(self.home / ".lock"):
            pid = self._running_pid()
            if pid is not None:
                conn = self.connection()
                if wait:
                    self._wait_ready(conn, pid)
                return conn
            state = self._read_state()
            for sub in ("data", "logs", "run", "plugins", "import"):
                (self.home / sub).mkdir(parents=True, exist_ok=True)
            port = self._choose_port(state)
            self._write_conf(port)
            self._ensure_password(java)
            cmd = [
                str(java.executable),
                f"-Xms{self._heap_initial_mb()}m",
                f"-Xmx{_size_mb(self.settings.neo4j_heap)}m",
                *JVM_FLAGS,
                "-cp",
                f"{self.home / 'plugins'}/*:{self.conf_dir}/*:{self.lib_dir}/*",
                ENTRY_POINT,
                f"--home-dir={self.home}",
                f"--config-dir={self.conf_dir}",
            ]
            with open(self.console_log, "ab") as log:
                stamp = time.strftime("%Y-%m-%d %H:%M:%S")
                log.write(f"\n=== {stamp} ieic-kg starts Neo4j on port {port}\n".encode())
                log.flush()
                self._proc = subprocess.Popen(
                    cmd,
                    cwd=self.home,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=self._java_env(),
                    start_new_session=True,
                    close_fds=True,
                )
            pid = self._proc.pid
            self._write_state(
                {
                    "pid": pid,
                    "port": port,
                    "version": self.version,
                    "java": str(java.executable),
                    "java_version": java.version,
                    "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                }
            )
            conn = Neo4jConnection(self._uri(port), MANAGED_USER, self._password() or "", self.settings.neo4j_database)
            if wait:
                self._wait_ready(conn, pid)
            return conn

    def _failure(self, why: str) -> SetupError:
        state = self._read_state()
        if state.get("pid") is not None:
            state["pid"] = None
            self._write_state(state)
        return SetupError(
            f"the managed Neo4j {why}.\nLast lines of {self.console_log}:\n{_tail(self.console_log)}\n"
            f"Last lines of {self.neo4j_log}:\n{_tail(self.neo4j_log, 10)}\n"
            f"(more in {self.logs_dir / 'debug.log'})",
            hint=f"read the logs above; `ieic-kg neo4j stop` and deleting {self.home} starts over "
            "with an empty database",
        )

    def _wait_ready(self, conn: Neo4jConnection, pid: int) -> None:
        from neo4j.exceptions import AuthError, DriverError, Neo4jError

        deadline = time.monotonic() + self.settings.neo4j_start_timeout
        port = int(conn.uri.rsplit(":", 1)[1])
        last_error = ""
        while True:
            if not self._alive(pid):
                raise self._failure(f"exited while starting (pid {pid})")
            if time.monotonic() > deadline:
                self._kill(pid, timeout=10)
                raise self._failure(
                    f"did not answer on {conn.uri} within {self.settings.neo4j_start_timeout:.0f}s "
                    f"(IEIC_NEO4J_START_TIMEOUT){'; last error: ' + last_error if last_error else ''}; "
                    "it was stopped"
                )
            if _port_answers(port):
                try:
                    with conn.driver(connection_timeout=5, connection_acquisition_timeout=10) as drv:
                        drv.verify_connectivity()
                    return
                except AuthError as exc:
                    raise SetupError(
                        f"the managed Neo4j at {conn.uri} refused the password in {self.password_path}: {exc}",
                        hint=f"restore the right password file, or stop it and delete {self.home} to start over",
                    ) from exc
                except (DriverError, Neo4jError, OSError) as exc:
                    last_error = f"{type(exc).__name__}: {exc}"
            time.sleep(0.25)

    def _alive(self, pid: int) -> bool:
        if self._proc is not None and self._proc.pid == pid:
            return self._proc.poll() is None
        return _pid_is_ours(pid, self.home)

    def _kill(self, pid: int, timeout: float) -> bool:
        """SIGTERM, wait up to timeout, then SIGKILL. True when it had to be killed."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._alive(pid):
                return False
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            if not self._alive(pid):
                break
            time.sleep(0.1)
        return True

    def stop(self, timeout: float = 60, progress: Console | None = None) -> bool:
        """Stop the managed Neo4j: SIGTERM, then SIGKILL after ``timeout`` seconds.

        Returns False (and says so on ``progress``) when it was not running.
        """
        if not self.state_path.exists():
            if progress is not None:
                progress.print(f"The managed Neo4j in {self.home} is not running (never started).")
            return False
        with _file_lock(self.home / ".lock"):
            pid = self._running_pid()
            state = self._read_state()
            if pid is None:
                if state.get("pid") is not None:
                    state["pid"] = None
                    self._write_state(state)
                if progress is not None:
                    progress.print(f"The managed Neo4j in {self.home} is not running.")
                return False
            killed = self._kill(pid, timeout)
            if self._proc is not None and self._proc.pid == pid:
                self._proc = None
            state["pid"] = None
            state["stopped_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            self._write_state(state)
            if progress is not None:
                how = f"killed after {timeout:.0f}s (SIGKILL)" if killed else "stopped"
                progress.print(f"Neo4j (pid {pid}) {how}.")
            return True


# --------------------------------------------------------------------------------------- module API


def resolve_connection(settings: Settings) -> Neo4jConnection:
    """The Neo4j to use: the configured one (IEIC_NEO4J_URI…) if any, else the running managed one.

    Starts nothing; raises StoreUnavailable when the managed Neo4j is not running.
    """
    if settings.neo4j_uri:
        pw = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        return Neo4jConnection(settings.neo4j_uri, settings.neo4j_user, pw, settings.neo4j_database)
    return ManagedNeo4j(settings).connection()


def check_connectivity(conn: Neo4jConnection, timeout: float = 10.0) -> None:
    """Raise StoreUnavailable (with a hint) unless the server answers and accepts the credentials."""
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    try:
        with conn.driver(connection_timeout=timeout, connection_acquisition_timeout=timeout) as drv:
            drv.verify_connectivity()
    except AuthError as exc:
        raise StoreUnavailable(
            f"Neo4j at {conn.uri} refused user {conn.user!r}: {exc}",
            hint="check IEIC_NEO4J_USER and IEIC_NEO4J_PASSWORD",
        ) from exc
    except (DriverError, Neo4jError, OSError, ValueError) as exc:
        raise StoreUnavailable(
            f"cannot reach Neo4j at {conn.uri}: {type(exc).__name__}: {exc}",
            hint="check that the server runs and IEIC_NEO4J_URI is right, "
            "or unset IEIC_NEO4J_URI to use the managed local Neo4j",
        ) from exc


def ensure_neo4j(settings: Settings, console: Console) -> Neo4jConnection:
    """A Neo4j that answers: the configured one (checked), or the managed one (started if needed)."""
    if settings.neo4j_uri:
        conn = resolve_connection(settings)
        check_connectivity(conn)
        return conn
    server = ManagedNeo4j(settings)
    if server.status().running:
        return server.start(progress=console)
    console.print(f"Starting the managed Neo4j {server.version} in {server.home} …")
    started = time.monotonic()
    conn = server.start(progress=console)
    console.print(f"Neo4j is ready at {conn.uri} ({time.monotonic() - started:.1f}s).")
    return conn
