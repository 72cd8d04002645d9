"""No web page can use the local server: the admin routes need the server's key, and foreign ``Host`` and
``Origin`` values are refused on every route, the API and the WebSocket included (real loopback HTTP)."""

from __future__ import annotations

import socket

import httpx
import pytest
from local_wire import KEY
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from fishaudio_ext import FishAudio
from fishaudio_ext.server import LocalServer

ADMIN = {"Authorization": f"Bearer {KEY}"}
# What a page of another site can make a browser send without a preflight: a "simple" request.
SIMPLE = {"Content-Type": "text/plain", "Origin": "https://attacker.example"}
FAULT = '{"kind": "fail", "status": 503, "times": null}'


def test_admin_routes_need_the_server_key(server: LocalServer, client: FishAudio) -> None:
    voice = client.voices.create(title="Mine", voices=[client.tts.convert(text="Keep me.", format="wav")])
    other = server.add_api_key("another-accepted-key")
    with httpx.Client(base_url=server.url) as admin:
        assert admin.post("/_local/reset").status_code == 401
        assert (
            admin.post(
                "/_local/faults", content=FAULT, headers={"Content-Type": "application/json"}
            ).status_code
            == 401
        )
        assert admin.get("/_local/faults").status_code == 401
        assert admin.delete("/_local/faults").status_code == 401
        assert admin.post("/_local/reset", headers={"Authorization": f"Bearer {other}"}).status_code == 401
        assert admin.get("/_local/health").json() == {"status": "ok"}  # says only that the server runs
    assert client.voices.get(voice.id).title == "Mine"
    assert server.faults.active() == []
    with httpx.Client(base_url=server.url, headers=ADMIN) as admin:
        assert admin.post("/_local/reset").json() == {"status": "ok"}
    assert client.voices.list(self_only=True).total == 0


def test_a_cross_site_simple_request_changes_nothing(server: LocalServer, client: FishAudio) -> None:
    voice = client.voices.create(title="Mine", voices=[client.tts.convert(text="Keep me.", format="wav")])
    with httpx.Client(base_url=server.url) as page:
        assert page.post("/_local/reset", content="x", headers=SIMPLE).status_code == 403
        assert page.post("/_local/faults", content=FAULT, headers=SIMPLE).status_code == 403
        # Even a page that somehow had the key is refused for its Origin.
        assert page.post("/_local/reset", headers={**SIMPLE, **ADMIN}).status_code == 403
        assert page.post("/v1/tts", content='{"text": "hi"}', headers={**SIMPLE, **ADMIN}).status_code == 403
    assert client.voices.get(voice.id).title == "Mine"
    assert server.faults.active() == []


@pytest.mark.parametrize(
    "origin",
    [
        "https://attacker.example",
        "null",
        "http://localhost.attacker.example",
        "http://[::1",
        "file://localhost",
    ],
)
def test_foreign_origins_are_refused_on_every_route(server: LocalServer, origin: str) -> None:
    with httpx.Client(base_url=server.url, headers={**ADMIN, "Origin": origin}) as page:
        for method, path in [
            ("GET", "/model"),
            ("GET", "/wallet/self/api-credit"),
            ("GET", "/_local/faults"),
        ]:
            response = page.request(method, path)
            assert response.status_code == 403
            assert response.json()["message"].startswith("Requests from web pages of other origins")
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{server.websocket_url}/v1/tts/live", additional_headers={**ADMIN, "Origin": origin})
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize(
    "host",
    ["attacker.example", "attacker.example:8080", "rebind.localhost.example", "[::1", "localhost:http"],
)
def test_a_dns_rebinding_page_cannot_read_anything(server: LocalServer, host: str) -> None:
    server.faults.delay(0, times=5)
    with httpx.Client(base_url=server.url, headers={**ADMIN, "Host": host}) as page:
        for path in ("/_local/faults", "/_local/health", "/model"):
            response = page.get(path)
            assert response.status_code == 403
            assert "delay" not in response.text


def test_a_dns_rebinding_page_cannot_open_a_live_session(server: LocalServer) -> None:
    # The page's own name in the URL, the server's address underneath: what a rebound name resolves to.
    with (
        socket.create_connection(("127.0.0.1", server.port)) as sock,
        pytest.raises(InvalidStatus) as refused,
    ):
        connect(f"ws://attacker.example:{server.port}/v1/tts/live", sock=sock, additional_headers=ADMIN)
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "app.localhost", "[::1]", "10.1.2.3"])
def test_local_names_and_pages_are_served(server: LocalServer, host: str) -> None:
    port = server.port
    headers = {**ADMIN, "Host": f"{host}:{port}", "Origin": "http://localhost:3000"}
    with httpx.Client(base_url=server.url, headers=headers) as local:
        assert local.get("/model").status_code == 200
        assert local.get("/_local/faults").json() == []


def test_admin_bodies_are_limited_and_must_be_json(server: LocalServer) -> None:
    with httpx.Client(base_url=server.url, headers=ADMIN) as admin:
        padded = '{"kind": "delay", "seconds": 1, "path": "/' + "x" * 70_000 + '"}'
        too_large = admin.post("/_local/faults", content=padded, headers={"Content-Type": "application/json"})
        assert too_large.status_code == 413
        assert too_large.json()["message"] == "Request entity too large: at most 64 KiB"
        as_text = admin.post("/_local/faults", content=FAULT, headers={"Content-Type": "text/plain"})
        assert as_text.status_code == 415
    assert server.faults.active() == []
