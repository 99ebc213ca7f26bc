"""One load at a time per store: the lock that API loads and CLI loads share.

A load holds an exclusive ``flock`` on ``<IEIC_DATA_DIR>/loads/api.lock`` while it writes, whichever process
runs it: ``ieic-kg load``, ``demo``, ``restore`` and ``sync`` (not ``sync --verify`` alone), or a load
started through the API (``POST /v1/loads``, from the request that starts it to its end, across the API's
threads and worker processes). The holder writes what it is into the file (an API load's run id, or the CLI
command and its process id), so that the refused one can say which load is running. A second load is refused
(``LoadConflict``: 409 through the API, exit code 1 from the CLI), never queued. The kernel releases the lock
when its process ends, however it ends.
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ieic_kg.errors import IeicError

#: Looks at a held lock whose holder has not written its name yet (10 ms apart) before saying "started elsewhere".
HOLDER_WAITS = 50
RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$")


class LoadConflict(IeicError):
    """Another load is running on this store."""

    status = 409
    title = "Conflict"


def cli_holder(command: str) -> str:
    """What a CLI command writes into the lock: which command, process and host holds it."""
    return f"`ieic-kg {command}` (process {os.getpid()} on {socket.gethostname()})"


def lock_path(data_dir: Path) -> Path:
    folder = Path(data_dir) / "loads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "api.lock"


def acquire(data_dir: Path, holder: str) -> int:
    """Take the store's load lock for ``holder`` (a run id, or a description of a CLI load); its file
    descriptor, for ``release``. LoadConflict naming the holder when another load has it."""
    fd = os.open(lock_path(data_dir), os.O_RDWR | os.O_CREAT, 0o600)
    other = ""
    for _ in range(HOLDER_WAITS):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            other = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            if other:
                break
            # held but still empty: the holder is between its flock and writing its name, or between
            # clearing it and unlocking at its end; look again in a moment
            time.sleep(0.01)
    else:
        other = "started elsewhere"
    if other:
        os.close(fd)
        if RUN_ID.match(other):
            hint = f"follow it with GET /v1/loads/{other}; start this one when it has ended"
        else:
            hint = "start this one when it has ended"
        raise LoadConflict(f"another load is running on this store: {other}", hint=hint)
    os.ftruncate(fd, 0)
    os.pwrite(fd, holder.encode("utf-8"), 0)
    return fd


def release(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def held(data_dir: Path, holder: str) -> Iterator[None]:
    """The store's load lock for the ``with`` block (a CLI load)."""
    fd = acquire(data_dir, holder)
    try:
        yield
    finally:
        release(fd)
