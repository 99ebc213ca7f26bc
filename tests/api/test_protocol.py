"""`ieic-kg serve`'s HTTP protocol sets TCP_NODELAY even on a listening socket bound the way uvicorn's
multi-worker supervisor binds it (protocol number 0), where asyncio leaves Nagle's algorithm on."""

from __future__ import annotations

import asyncio
import socket

import pytest
from ieic_kg.api.protocol import NoDelayHttpToolsProtocol
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState


async def _ok(scope: dict, receive: object, send: object) -> None:  # pragma: no cover - never called
    raise AssertionError("no request is sent")


def accepted_nodelay(protocol_class: type[HttpToolsProtocol]) -> int:
    """TCP_NODELAY of the connection a real asyncio server accepts on a socket bound like uvicorn's
    ``Config.bind_socket`` (``socket.socket(family, SOCK_STREAM)``: protocol 0)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    assert listener.proto == 0
    config = Config(app=_ok, lifespan="off")
    state = ServerState()
    seen: list[int] = []

    class Probe(protocol_class):  # type: ignore[valid-type,misc]
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    async def run() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: Probe(config, state, {}), sock=listener)
        port = listener.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()

    asyncio.run(run())
    assert seen, "the server accepted no connection"
    return seen[0]


def test_asyncio_leaves_nagle_on_for_a_socket_bound_with_protocol_zero() -> None:
    """The condition the fix is for, so that the next test could fail."""
    if accepted_nodelay(HttpToolsProtocol):
        pytest.fail("asyncio set TCP_NODELAY itself here: the workaround in ieic_kg.api.protocol is not needed")


def test_serves_protocol_turns_nagle_off() -> None:
    assert accepted_nodelay(NoDelayHttpToolsProtocol) == 1
