"""What a hostile server can make the client hold in memory: a bounded amount, whatever it sends.

Gzip bombs (a small body that decompresses to hundreds of MiB), endless bodies, and megabyte error
messages over HTTP and WebSocket; the peak is measured with tracemalloc and asserted against a bound.
"""

from __future__ import annotations

import gc
import logging
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from fishaudio_ext import (
    APIError,
    APIResponseValidationError,
    AsyncAudioStream,
    ResponseTooLargeError,
    ServerError,
    WebSocketError,
)
from fishaudio_ext._constants import MAX_ERROR_BODY_BYTES, MAX_JSON_BODY_BYTES
from tests.support.calls import close, make_client, resolve
from tests.support.hostile_http import HostileHTTPServer, Reply, drip, endless, gzip_bomb, json_answer
from tests.support.hostile_ws import BINARY, TEXT, HostileWebSocketServer, Refusal, WebSocketPeer

MiB = 1024 * 1024
BOMB = 256 * MiB  # about 256 KiB on the wire
HUGE_MESSAGE = "x" * 1_000_000
# A readable exception: the message cut to 500 characters, plus the status and request id around it.
SHORT = 700

CALLS: dict[str, Callable[[Any], Any]] = {
    "voices.list": lambda client: client.voices.list(),
    "voices.get": lambda client: client.voices.get("v1"),
    "account.get_package": lambda client: client.account.get_package(),
    "tts.convert": lambda client: client.tts.convert(text="Hello"),
    "tts.stream": lambda client: client.tts.stream(text="Hello"),
    "voices.delete": lambda client: client.voices.delete("v1"),
}
JSON_CALLS = ("voices.list", "voices.get", "account.get_package")
AUDIO_CALLS = ("tts.convert", "tts.stream")


@pytest.fixture
def peak() -> Iterator[Callable[[], int]]:
    """The largest amount of memory Python held at once during the test (call it at the end)."""
    gc.collect()
    tracemalloc.start()
    try:
        yield lambda: tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def call_against(is_async: bool, reply: Reply, call: Callable[[Any], Any]) -> Any:
    """Run ``call`` with a client of the server that answers ``reply``; returns what it raised."""
    with HostileHTTPServer(reply) as server:
        client = make_client(is_async, base_url=server.url, max_retries=0, timeout=10)
        try:
            await resolve(call(client))
        except Exception as error:
            return error, server.requests
        finally:
            await close(client)
    raise AssertionError("the call succeeded")


# --- JSON ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", JSON_CALLS)
async def test_a_gzip_bomb_stops_at_the_json_limit(
    is_async: bool, operation: str, peak: Callable[[], int]
) -> None:
    error, requests = await call_against(is_async, gzip_bomb(decoded_bytes=BOMB), CALLS[operation])

    assert isinstance(error, ResponseTooLargeError), error
    assert isinstance(error, APIResponseValidationError)
    assert error.limit == MAX_JSON_BODY_BYTES
    assert "32 MiB" in str(error)
    assert requests[0].headers["accept-encoding"] == "gzip"
    assert peak() < MAX_JSON_BODY_BYTES + 8 * MiB


async def test_an_endless_json_body_is_read_only_up_to_the_limit(is_async: bool) -> None:
    def spaces() -> Iterator[bytes]:
        while True:
            yield b" " * 65536

    reply = endless(200, spaces, headers={"Content-Type": "application/json"})
    error, _ = await call_against(is_async, reply, CALLS["voices.list"])

    assert isinstance(error, ResponseTooLargeError)


async def test_an_endless_gzip_bomb_ends_in_the_error(is_async: bool) -> None:
    error, _ = await call_against(is_async, gzip_bomb(), CALLS["voices.list"])

    assert isinstance(error, ResponseTooLargeError)


async def test_a_body_in_an_encoding_the_client_did_not_ask_for_is_refused(is_async: bool) -> None:
    reply = json_answer(200, {"total": 0, "items": []}, headers={"Content-Encoding": "br"})
    error, _ = await call_against(is_async, reply, CALLS["voices.list"])

    assert isinstance(error, APIResponseValidationError)
    assert "'br'" in str(error)


# --- audio ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", AUDIO_CALLS)
async def test_audio_is_asked_for_uncompressed_and_a_compressed_answer_is_refused(
    is_async: bool, operation: str, peak: Callable[[], int]
) -> None:
    reply = gzip_bomb(decoded_bytes=BOMB, content_type="audio/mpeg", fill=b"\0")
    error, requests = await call_against(is_async, reply, CALLS[operation])

    assert requests[0].headers["accept-encoding"] == "identity"
    assert isinstance(error, APIResponseValidationError), error
    assert "'gzip'" in str(error)
    assert peak() < 8 * MiB


async def test_an_endless_audio_stream_is_held_a_chunk_at_a_time(
    is_async: bool, peak: Callable[[], int]
) -> None:
    with HostileHTTPServer(drip(interval=0.001)) as server:
        client = make_client(is_async, base_url=server.url, max_retries=0)
        try:
            stream = await resolve_stream(client.tts.stream(text="Hello"))
            received = await first_chunks(stream, 50)
        finally:
            await close(client)

    assert len(received) == 50
    assert set(b"".join(received)) == {0}  # the dripped bytes, however the network grouped them
    assert peak() < 4 * MiB


async def resolve_stream(value: Any) -> Any:
    return await value if isinstance(value, Awaitable) else value


async def first_chunks(stream: Any, count: int) -> list[bytes]:
    """The first ``count`` chunks of an audio stream, which is then closed."""
    chunks: list[bytes] = []
    if isinstance(stream, AsyncAudioStream):
        async with stream:
            async for chunk in stream:
                chunks.append(chunk)
                if len(chunks) == count:
                    break
    else:
        with stream:
            for chunk in stream:
                chunks.append(chunk)
                if len(chunks) == count:
                    break
    return chunks


# --- error answers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", sorted(CALLS))
async def test_a_megabyte_error_message_gives_a_short_exception(is_async: bool, operation: str) -> None:
    reply = json_answer(500, {"status": 500, "message": HUGE_MESSAGE})
    error, _ = await call_against(is_async, reply, CALLS[operation])

    assert isinstance(error, ServerError)
    assert len(str(error)) < SHORT
    assert error.message.endswith("x…")  # the message of the JSON error, cut


@pytest.mark.parametrize("operation", sorted(CALLS))
async def test_an_error_body_is_read_only_up_to_its_limit(
    is_async: bool, operation: str, peak: Callable[[], int]
) -> None:
    error, _ = await call_against(is_async, gzip_bomb(502, decoded_bytes=BOMB), CALLS[operation])

    assert isinstance(error, ServerError)
    assert len(str(error)) < SHORT
    assert len(error.body or "") <= MAX_ERROR_BODY_BYTES
    assert peak() < 8 * MiB


async def test_the_content_of_an_answer_without_documented_content_is_not_kept(
    is_async: bool, peak: Callable[[], int]
) -> None:
    with HostileHTTPServer(gzip_bomb(200, decoded_bytes=BOMB)) as server:
        client = make_client(is_async, base_url=server.url, max_retries=0)
        try:
            assert await resolve(client.voices.delete("v1")) is None
        finally:
            await close(client)

    assert peak() < 8 * MiB


# --- WebSocket -----------------------------------------------------------------------------------------


def finish_with(event: dict[str, object]) -> Callable[[WebSocketPeer], None]:
    def script(peer: WebSocketPeer) -> None:
        peer.recv_event()  # start
        peer.send_event(event)
        peer.wait_closed()

    return script


async def live(is_async: bool, server: HostileWebSocketServer) -> bytes:
    client = make_client(is_async, base_url=server.url, max_retries=0)
    try:
        if is_async:

            async def text() -> Any:
                yield "Hello"

            stream: Any = client.tts.stream_websocket(text())
            return b"".join([chunk async for chunk in stream])
        return b"".join(client.tts.stream_websocket(["Hello"]))
    finally:
        await close(client)


async def test_a_websocket_error_with_a_megabyte_message_gives_a_short_exception(is_async: bool) -> None:
    script = finish_with({"event": "finish", "reason": "error", "message": HUGE_MESSAGE})
    with HostileWebSocketServer(script) as server, pytest.raises(WebSocketError) as caught:
        await live(is_async, server)

    assert len(str(caught.value)) < SHORT
    assert str(caught.value).endswith("x…")


async def test_a_websocket_finish_with_a_megabyte_reason_gives_a_short_exception(is_async: bool) -> None:
    script = finish_with({"event": "finish", "reason": HUGE_MESSAGE})
    with HostileWebSocketServer(script) as server, pytest.raises(WebSocketError) as caught:
        await live(is_async, server)

    assert len(str(caught.value)) < SHORT


async def test_a_megabyte_server_log_gives_a_short_log_line(
    is_async: bool, caplog: pytest.LogCaptureFixture
) -> None:
    def script(peer: WebSocketPeer) -> None:
        peer.recv_event()  # start
        peer.send_event({"event": "log", "message": HUGE_MESSAGE})
        peer.send_event({"event": "finish", "reason": "stop"})
        peer.wait_closed()

    caplog.set_level(logging.INFO, logger="fishaudio_ext")
    with HostileWebSocketServer(script) as server:
        await live(is_async, server)

    lines = [record.getMessage() for record in caplog.records if "Server log" in record.getMessage()]
    assert len(lines) == 1
    assert len(lines[0]) < SHORT


def send_raw(frame: tuple[int, bytes]) -> Callable[[WebSocketPeer], None]:
    def script(peer: WebSocketPeer) -> None:
        peer.recv_event()  # start
        peer.send_frame(*frame)
        peer.wait_closed()

    return script


@pytest.mark.parametrize(
    "frame",
    [(TEXT, HUGE_MESSAGE.encode()), (BINARY, b"\xc1" * 1_000_000), (BINARY, b"\x92" + b"\xa1x" * 500_000)],
    ids=["megabyte text frame", "megabyte of garbage", "megabyte array instead of a map"],
)
async def test_a_megabyte_frame_of_nonsense_gives_a_short_exception(
    is_async: bool, frame: tuple[int, bytes]
) -> None:
    with HostileWebSocketServer(send_raw(frame)) as server, pytest.raises(WebSocketError) as caught:
        await live(is_async, server)

    assert len(str(caught.value)) < SHORT


async def test_a_refused_handshake_with_a_megabyte_body_gives_a_short_exception(is_async: bool) -> None:
    body = b'{"message": "' + HUGE_MESSAGE.encode() + b'"}'
    refusal = Refusal(500, body[: 1024 * 1024 - 1], {"Content-Type": "application/json"})
    with HostileWebSocketServer(refusal) as server, pytest.raises(APIError) as caught:
        await live(is_async, server)

    assert len(str(caught.value)) < SHORT
    assert len(caught.value.body or "") <= MAX_ERROR_BODY_BYTES
