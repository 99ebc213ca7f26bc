"""The HTTP protocol ``ieic-kg serve`` runs: uvicorn's httptools protocol with ``TCP_NODELAY`` on every connection.

With ``--workers`` > 1 uvicorn binds the listening socket itself and hands it to its worker processes with the
socket's protocol number left at 0; asyncio's event loop then skips ``TCP_NODELAY`` on the connections it
accepts, and every keep-alive answer after the first waits about 40 ms for the client's delayed ACK (uvicorn
issue #3149): 23 requests a second on one connection instead of thousands. uvloop, a dependency where it
installs, sets the option itself; the asyncio loop runs where it does not (Windows) or is not installed.
Setting the option where a connection is made does not depend on the loop or on how the socket was created.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """Turn Nagle's algorithm off for a TCP connection (nothing for a Unix socket or when it cannot be set)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)
