"""A request that creates, changes or deletes something is never sent twice once the server may have acted.

Over real sockets, against a server that acts on every complete request it receives (each one counted
is one voice created) and then stalls, hangs up or answers an error. Reading the same voice twice is
harmless, so reads keep retrying everything they did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fishaudio_ext import APIConnectionError, APIError, APITimeoutError
from tests.support.calls import close, make_client, resolve
from tests.support.clock import FakeClock
from tests.support.hostile_http import HostileHTTPServer, Reply, cut_body, hang_up, json_answer, stall

SAMPLE = b"RIFF" + b"\0" * 64
FAST = {"max_retries": 2, "timeout": 0.3}

CHANGES: dict[str, Callable[[Any], Any]] = {
    "voices.create": lambda client: client.voices.create(title="Mine", voices=[SAMPLE]),
    "voices.update": lambda client: client.voices.update("v1", title="Renamed"),
    "voices.delete": lambda client: client.voices.delete("v1"),
}


async def attempts(
    is_async: bool, reply: Reply, call: Callable[[Any], Any], expected: type[Exception]
) -> int:
    """How many requests the server received for one ``call`` it answers with ``reply`` every time."""
    with HostileHTTPServer(reply) as server:
        client = make_client(is_async, base_url=server.url, clock=FakeClock(), **FAST)
        try:
            with pytest.raises(expected):
                await resolve(call(client))
        finally:
            await close(client)
    return len(server.requests)


@pytest.mark.parametrize("operation", sorted(CHANGES))
async def test_a_change_is_sent_once_when_the_answer_times_out(is_async: bool, operation: str) -> None:
    assert await attempts(is_async, stall(), CHANGES[operation], APITimeoutError) == 1


@pytest.mark.parametrize("operation", sorted(CHANGES))
async def test_a_change_is_sent_once_when_the_server_hangs_up(is_async: bool, operation: str) -> None:
    assert await attempts(is_async, hang_up(), CHANGES[operation], APIConnectionError) == 1


@pytest.mark.parametrize("status", [409, 500, 502, 504])
async def test_a_change_is_not_retried_after_a_status_that_may_follow_the_work(
    is_async: bool, status: int
) -> None:
    reply = json_answer(status, {"message": "failed"})
    assert await attempts(is_async, reply, CHANGES["voices.create"], APIError) == 1


@pytest.mark.parametrize("status", [408, 429, 503])
async def test_a_change_is_retried_after_a_status_by_which_the_server_did_not_act(
    is_async: bool, status: int
) -> None:
    reply = json_answer(status, {"message": "not now"})
    assert await attempts(is_async, reply, CHANGES["voices.create"], APIError) == 3


async def test_a_change_is_retried_when_no_connection_could_be_made(is_async: bool) -> None:
    with HostileHTTPServer(stall()) as server:
        unused = server.url
    # Nothing listens there any more: every attempt is refused before anything is sent.
    clock = FakeClock()
    client = make_client(is_async, base_url=unused, clock=clock, **FAST)
    try:
        with pytest.raises(APIConnectionError):
            await resolve(CHANGES["voices.create"](client))
    finally:
        await close(client)
    assert len(clock.delays) == 2  # two retries, then the error


@pytest.mark.parametrize("operation", sorted(CHANGES))
async def test_a_change_is_sent_once_when_the_answer_is_cut_short(is_async: bool, operation: str) -> None:
    reply = cut_body(200, b'{"_id": "v1", "ti', declared=400, headers={"Content-Type": "application/json"})
    assert await attempts(is_async, reply, CHANGES[operation], APIConnectionError) == 1


READ = lambda client: client.voices.get("v1")  # noqa: E731


async def test_a_read_is_still_retried_after_a_timeout(is_async: bool) -> None:
    assert await attempts(is_async, stall(), READ, APITimeoutError) == 3


async def test_a_read_is_still_retried_after_an_answer_cut_short(is_async: bool) -> None:
    reply = cut_body(200, b'{"_id": "v1", "ti', declared=400, headers={"Content-Type": "application/json"})
    assert await attempts(is_async, reply, READ, APIConnectionError) == 3
