"""A long-form job that is closed (or interrupted) stops reading the pieces still in flight at once:
their threads cannot be interrupted, and reading each to its end would hold up the program's exit."""

from __future__ import annotations

import threading

from fishaudio_ext import FishAudio
from tests.support.hostile_http import Connection, HostileHTTPServer, answer, drip

FIRST = "The first sentence is spoken at once."
LATER = "Every later sentence drips a byte at a time, forever."


def _first_at_once_the_rest_forever(conn: Connection) -> None:
    if FIRST.encode() in conn.request.body:
        answer(200, b"\0\0" * 800, headers={"Content-Type": "audio/pcm"})(conn)
    else:
        drip(content_type="audio/pcm")(conn)


def _piece_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("fishaudio-long")]


def test_closing_stream_long_ends_the_pieces_in_flight() -> None:
    with HostileHTTPServer(_first_at_once_the_rest_forever) as server:
        client = FishAudio(api_key="k", base_url=server.url, timeout=600, max_retries=0)
        text = " ".join([FIRST, LATER, LATER.replace("Every", "Each")])
        audio = client.tts.stream_long(text=text, format="pcm", max_chars=60, max_concurrency=3)
        assert next(audio)  # the first piece, while the two others are still dripping
        audio.close()
        for thread in _piece_threads():
            # Their streams are closed at the next byte of the drip (every 10 ms); without that they
            # would read until the server stops, and this join would time out.
            thread.join(30)
            assert not thread.is_alive()
        client.close()
