"""Fault injection, the concurrency limit and pacing of the local server, over real HTTP."""

from __future__ import annotations

import asyncio
import time

import anyio.to_thread
import httpx
import pytest
from local_wire import KEY, Recorder

from fishaudio_ext import APIConnectionError, FishAudio, RateLimitError, ServerError
from fishaudio_ext.server import LocalServer, Pacing, assert_conforms


def test_fail_the_next_requests(server: LocalServer, http: httpx.Client) -> None:
    server.faults.fail(503, times=2, path="/v1/tts", retry_after=2)
    assert http.get("/model").status_code == 200  # another path: not affected
    first = http.post("/v1/tts", json={"text": "Hi"})
    second = http.post("/v1/tts", json={"text": "Hi"})
    third = http.post("/v1/tts", json={"text": "Hi"})
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.json() == {"status": 503, "message": "Service Unavailable"}
    assert first.headers["retry-after"] == "2"
    assert_conforms("POST", "/v1/tts", first)


def test_fail_with_a_custom_body(server: LocalServer, http: httpx.Client) -> None:
    server.faults.fail(429, body={"status": 429, "message": "Slow down"}, retry_after="1", method="GET")
    response = http.get("/model")
    assert (response.status_code, response.json()["message"]) == (429, "Slow down")
    assert_conforms("GET", "/model", response)


def test_client_retries_an_injected_503(server: LocalServer) -> None:
    server.faults.fail(503, times=1, retry_after=0)
    with FishAudio(base_url=server.url, api_key=KEY, max_retries=2) as client:
        assert client.voices.list().total == 7
    server.faults.fail(503, times=5)
    with FishAudio(base_url=server.url, api_key=KEY, max_retries=0) as client, pytest.raises(ServerError):
        client.voices.list()


def test_delay_holds_the_response(server: LocalServer, http: httpx.Client) -> None:
    server.faults.delay(0.3, times=1)
    started = time.monotonic()
    assert http.get("/model").status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    http.get("/model")
    assert time.monotonic() - started < 0.3  # used up


def test_drop_breaks_the_chunked_body(server: LocalServer, http: httpx.Client) -> None:
    server.faults.drop(after_chunks=2, path="/v1/tts")
    received: list[bytes] = []
    with http.stream(
        "POST", "/v1/tts", json={"text": "A sentence long enough for several chunks."}
    ) as response:
        assert response.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
            received.extend(response.iter_raw())
    assert received  # the first chunks arrived before the connection broke
    full = http.post("/v1/tts", json={"text": "A sentence long enough for several chunks."}).content
    assert 0 < len(b"".join(received)) < len(full)


def test_client_stream_reports_the_drop_and_convert_retries_it(
    server: LocalServer, client: FishAudio
) -> None:
    text = "A sentence long enough for several chunks."
    server.faults.drop(after_chunks=1)
    with client.tts.stream(text=text) as audio, pytest.raises(APIConnectionError):
        list(audio)
    whole = client.tts.convert(text=text)
    server.faults.drop(after_chunks=1)
    with FishAudio(base_url=server.url, api_key=KEY, max_retries=1) as retrying:
        assert retrying.tts.convert(text=text) == whole


def test_drop_of_a_timestamp_stream(server: LocalServer, http: httpx.Client) -> None:
    server.faults.drop(after_chunks=0, path="/v1/tts/stream/with-timestamp")
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/v1/tts/stream/with-timestamp", json={"text": "Hello"})


def test_websocket_fault_is_kept_for_the_live_endpoint(server: LocalServer) -> None:
    server.faults.websocket_finish_error(after_frames=3)
    assert server.faults.take_drop("POST", "/v1/tts") is None
    assert server.faults.take_websocket_finish_error() == 3
    assert server.faults.take_websocket_finish_error() is None  # used up


def test_admin_endpoint(server: LocalServer, http: httpx.Client, recorder: Recorder) -> None:
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {KEY}"}) as admin:
        added = admin.post(
            "/_local/faults", json={"kind": "fail", "status": 500, "times": 1, "path": "/model"}
        )
        assert added.status_code == 201
        assert added.json() == [
            {
                "kind": "fail",
                "path": "/model",
                "times": 1,
                "status": 500,
                "body": {"status": 500, "message": "Internal Server Error"},
            }
        ]
        assert http.get("/model").status_code == 500
        assert admin.get("/_local/faults").json() == []
        admin.post("/_local/faults", json={"kind": "delay", "seconds": 30})
        assert admin.delete("/_local/faults").json() == []
        assert admin.post("/_local/faults", json={"kind": "explode"}).status_code == 400
        assert admin.get("/_local/health").json() == {"status": "ok"}
    assert http.get("/model").status_code == 200


async def test_sixth_concurrent_request_gets_429(server: LocalServer, async_http: httpx.AsyncClient) -> None:
    server.faults.delay(30, path="/model")  # holds requests open until cleared
    held = [asyncio.create_task(async_http.get("/model")) for _ in range(5)]
    assert await anyio.to_thread.run_sync(server.wait_for_in_flight, 5)

    refused = await async_http.get("/model")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["status"] == 429
    assert_conforms("GET", "/model", refused)

    other_key = server.add_api_key("second-key")  # the limit is per key
    async with httpx.AsyncClient(
        base_url=server.url, headers={"Authorization": f"Bearer {other_key}"}
    ) as other:
        assert (await other.get("/wallet/self/package")).status_code == 200

    server.faults.clear()  # releases the held requests
    assert [r.status_code for r in await asyncio.gather(*held)] == [200] * 5
    assert await anyio.to_thread.run_sync(server.wait_for_idle)


def test_client_raises_rate_limit_error(server: LocalServer) -> None:
    server.concurrency_limit = 0
    with FishAudio(base_url=server.url, api_key=KEY, max_retries=0) as client, pytest.raises(RateLimitError):
        client.voices.list()


def test_pacing_schedule() -> None:
    assert Pacing().offsets("normal", [0.2, 0.4]) == [0.0, 0.0]
    assert Pacing(spread=2.0).offsets("low", [0.2, 0.4, 0.6]) == [0.0, 1.0, 2.0]
    realistic = Pacing.named("realistic")
    assert realistic.first_chunk_delay("normal") == 0.5
    assert realistic.offsets("low", [0.2, 0.8]) == pytest.approx([0.15, 0.15 + 0.6 / 3])
    with pytest.raises(ValueError, match="unknown pacing"):
        Pacing.named("slow")


def test_paced_stream_sends_the_first_chunk_at_once_and_spreads_the_rest(server: LocalServer) -> None:
    server.pacing = Pacing(spread=0.6)
    times = []
    with FishAudio(base_url=server.url, api_key=KEY) as client:
        started = time.monotonic()
        with client.tts.stream(text="One two three four five six.", format="pcm") as audio:
            for _ in audio:
                times.append(time.monotonic() - started)
    assert times[0] < 0.3
    assert times[-1] >= 0.6


def test_first_chunk_delay_follows_the_latency_mode(server: LocalServer, http: httpx.Client) -> None:
    server.pacing = Pacing(first_chunk={"normal": 0.4, "low": 0.0})

    def first_chunk_after(latency: str) -> float:
        started = time.monotonic()
        elapsed = 0.0
        with http.stream("POST", "/v1/tts", json={"text": "Hi", "latency": latency}) as response:
            for index, _ in enumerate(response.iter_raw()):
                if index == 0:
                    elapsed = time.monotonic() - started
        return elapsed

    assert first_chunk_after("normal") >= 0.4
    assert first_chunk_after("low") < 0.3


@pytest.mark.parametrize(
    "definition",
    [
        '{"kind": "delay", "seconds": Infinity}',
        '{"kind": "delay", "seconds": NaN}',
        '{"kind": "delay", "seconds": "1"}',
        '{"kind": "fail", "status": 503, "body": {"n": NaN}}',
        '{"kind": "fail", "status": "503"}',
        '{"kind": "fail", "status": 503, "path": 7}',
        '{"kind": "fail", "status": 503, "retry_after": Infinity}',
        '{"kind": "drop", "after_chunks": 1.5}',
    ],
)
def test_an_invalid_fault_is_refused_and_not_stored(
    server: LocalServer, http: httpx.Client, definition: str
) -> None:
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {KEY}"}) as admin:
        added = admin.post("/_local/faults", content=definition, headers={"Content-Type": "application/json"})
        assert added.status_code == 400
        assert added.json()["message"].startswith("Invalid fault: ")
        listed = admin.get("/_local/faults")
        assert listed.status_code == 200
        assert listed.json() == []
    assert http.get("/model").status_code == 200  # nothing hangs or fails


def test_invalid_faults_from_python_raise_before_anything_is_stored(server: LocalServer) -> None:
    for call in (
        lambda: server.faults.delay(float("inf")),
        lambda: server.faults.delay(float("nan")),
        lambda: server.faults.fail(503, body={"x": float("nan")}),
        lambda: server.faults.fail(503, path=5),  # type: ignore[arg-type]
        lambda: server.faults.drop(after_chunks=True),
    ):
        with pytest.raises(ValueError, match="must be"):
            call()
    assert server.faults.active() == []
