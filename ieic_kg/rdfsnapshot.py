"""Published snapshots of the RDF store: how the API serves SPARQL while another process writes the store.

The on-disk Oxigraph store (``<data_dir>/rdf``, see ``ieic_kg.rdfstore``) is held by one process at a time,
and pyoxigraph documents that opening it read-only while another process writes it is undefined behaviour.
So readers never open it. Instead, the writer publishes: when a process that changed the store closes it
(``RdfStore.close``, at the end of ``ieic-kg load``, ``sync``, ``restore``…), it makes an Oxigraph backup
(a RocksDB checkpoint: the immutable data files are hard-linked, so it costs milliseconds and little disk)
into ``<data_dir>/rdf-snapshots/<generation>`` and then points ``rdf-snapshots/CURRENT`` at it with an
atomic rename. Readers open the generation CURRENT names with ``Store.read_only``; nobody writes a
published generation, so any number of processes may read it while the next load writes the store.

Consistency: a query runs on one generation from start to end, so it sees the store as the last
completed writing command left it — every graph of that load, or none — never a half-written graph, and
never a change before the writing command has ended.

Old generations are deleted once no reader uses them: a reader holds a shared ``flock`` on
``<generation>.lock`` while it has the generation open, and the deleter takes the lock exclusively
(without waiting) before removing a generation, and never removes the current one. A reader that lost the
race (the generation vanished between reading CURRENT and locking) reads CURRENT again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CURRENT = "CURRENT"
_GENERATION = re.compile(r"^\d{8}$")


class GenerationGone(Exception):
    """The generation was removed before it could be locked: read CURRENT again."""


def snapshots_dir(store_path: Path) -> Path:
    """Where the snapshots of the store at ``store_path`` are published: a sibling ``<name>-snapshots``."""
    return store_path.with_name(store_path.name + "-snapshots")


@dataclass(frozen=True)
class Generation:
    """One published snapshot: its name (eight digits, increasing), its folder and when it was published."""

    name: str
    path: Path
    published: dt.datetime


def current(root: Path) -> Generation | None:
    """The generation CURRENT names, or None when nothing was published yet."""
    try:
        name = (root / CURRENT).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    if not _GENERATION.match(name):
        return None
    path = root / name
    try:
        published = dt.datetime.fromtimestamp((root / CURRENT).stat().st_mtime, dt.UTC)
    except FileNotFoundError:
        return None
    return Generation(name, path, published)


def current_marker(root: Path) -> tuple[int, int] | None:
    """A cheap fingerprint of CURRENT (inode, mtime): it changes whenever a generation is published."""
    try:
        st = (root / CURRENT).stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def publish(store: Any, root: Path) -> Generation:
    """Back ``store`` (an on-disk pyoxigraph Store, held by the caller) up as the next generation and make it
    current; then remove the old generations no reader holds. Only the holder of the store publishes, so
    generation numbers cannot collide."""
    root.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name) for p in root.iterdir() if _GENERATION.match(p.name)]
    name = f"{max(numbers, default=0) + 1:08d}"
    store.backup(str(root / name))
    (root / f"{name}.lock").touch()  # readers lock it read-only: they need no write access to the folder
    tmp = root / f"{CURRENT}.{os.getpid()}.tmp"
    with tmp.open("w", encoding="ascii") as out:
        out.write(name + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, root / CURRENT)
    remove_unused(root)
    generation = current(root)
    assert generation is not None and generation.name == name
    return generation


def remove_unused(root: Path) -> list[str]:
    """Remove every generation but the current one that no reader holds (best effort); their names."""
    now = current(root)
    removed = []
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        if not _GENERATION.match(path.name) or (now is not None and path.name == now.name):
            continue
        lock = root / f"{path.name}.lock"
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue  # a reader has it open
        try:
            shutil.rmtree(path, ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
            removed.append(path.name)
        finally:
            os.close(fd)
    return removed


class Lease:
    """A shared lock on one generation while a reader has it open (released by ``close`` or process exit).

    The lock file is opened read-only: a reader needs no write access to the snapshots folder."""

    def __init__(self, root: Path, name: str) -> None:
        self.path = root / name
        try:
            self._fd: int | None = os.open(root / f"{name}.lock", os.O_RDONLY)
        except FileNotFoundError:
            raise GenerationGone(name) from None
        fcntl.flock(self._fd, fcntl.LOCK_SH)
        if not self.path.is_dir():  # removed between reading CURRENT and locking
            self.close()
            raise GenerationGone(name)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
