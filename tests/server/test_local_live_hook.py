"""The place left for the ``/v1/tts/live`` endpoint: routes from ``_live_endpoint.live_routes(context)`` are
served behind the same key check, concurrency limit and faults as the HTTP operations.

A stand-in module plays ``_live_endpoint`` here, so these tests hold whether or not the real one exists.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import msgpack
import pytest
from local_wire import KEY
from starlette.routing import BaseRoute, WebSocketRoute
from starlette.websockets import WebSocket
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from fishaudio_ext.server import LocalServer
from fishaudio_ext.server._context import ServerContext

AUTH = {"Authorization": f"Bearer {KEY}"}


def _live_routes(context: ServerContext) -> list[BaseRoute]:
    async def live(websocket: WebSocket) -> None:
        await websocket.accept()
        account = context.account(websocket)
        frames = context.faults.take_websocket_finish_error()
        await websocket.receive_bytes()
        finish = {"event": "finish", "reason": "stop" if frames is None else "error", "user": account.user_id}
        await websocket.send_bytes(msgpack.packb(finish))
        await websocket.close()

    return [WebSocketRoute("/v1/tts/live", live)]


@pytest.fixture
def live_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    stand_in = types.ModuleType("fishaudio_ext.server._live_endpoint")
    stand_in.live_routes = _live_routes  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fishaudio_ext.server._live_endpoint", stand_in)
    with LocalServer(api_key=KEY) as server:
        yield server


def test_live_routes_are_served_for_a_valid_key(live_server: LocalServer) -> None:
    with connect(f"{live_server.websocket_url}/v1/tts/live", additional_headers=AUTH) as socket:
        socket.send(msgpack.packb({"event": "stop"}))
        finish = msgpack.unpackb(socket.recv())
    assert finish["reason"] == "stop"
    assert finish["user"]


def test_handshake_is_refused_with_the_api_status(live_server: LocalServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{live_server.websocket_url}/v1/tts/live", additional_headers={"Authorization": "Bearer no"})
    assert refused.value.response.status_code == 401
    live_server.concurrency_limit = 0
    with pytest.raises(InvalidStatus) as limited:
        connect(f"{live_server.websocket_url}/v1/tts/live", additional_headers=AUTH)
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "1"
    live_server.concurrency_limit = 5
    live_server.faults.fail(503, path="/v1/tts/live")
    with pytest.raises(InvalidStatus) as failed:
        connect(f"{live_server.websocket_url}/v1/tts/live", additional_headers=AUTH)
    assert failed.value.response.status_code == 503


def test_finish_error_fault_reaches_the_endpoint(live_server: LocalServer) -> None:
    live_server.faults.websocket_finish_error(after_frames=0)
    with connect(f"{live_server.websocket_url}/v1/tts/live", additional_headers=AUTH) as socket:
        socket.send(msgpack.packb({"event": "stop"}))
        assert msgpack.unpackb(socket.recv())["reason"] == "error"
