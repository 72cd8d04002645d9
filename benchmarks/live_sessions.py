"""Live sessions: time to first audio of ten utterances in a row, one socket kept against one per utterance,
and the time from ``cancel()`` to a session ready for the next utterance.

The server is ``LocalServer`` in its own process (fast engine, no pacing) holding each ``/v1/tts/live``
handshake for 150 ms, as TLS and distance do on the hosted API. Each round speaks ten short sentences:

* new socket each: ``tts.stream_websocket([sentence])`` per utterance, the way a voice agent without
  sessions speaks;
* session: ``tts.live()``, one ``speak(sentence)`` per utterance on the socket kept from the one before;
* prewarmed session: the same after ``prewarm()``, so the first utterance skips the handshake too;
* official SDK: its ``tts.stream_websocket([sentence])`` per utterance (it has no sessions).

Time to first audio is from the call to the first chunk read; every utterance is read to its end. The
figures are utterances 2 to 10. Barge-in: a long text is spoken in a prewarmed session, its first chunk
read, then ``cancel()``: the time until it returns (another socket is open), with and without a standby
socket prewarmed while the reply plays, and the next utterance's time to first audio.

Target: the kept socket saves at least the handshake delay on every utterance after the first (the median
saving at each position 2..10, the smallest of them).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator

from .contenders import MODEL
from .runner import OFFICIAL, OURS, Check, Measure, Plan, Series
from .servers import Server, local_server

HANDSHAKE_DELAY = 0.15
UTTERANCES = 10
NEW_SOCKET = "new socket each"
PREWARMED = "prewarmed session"
SAVING = "smallest saving"
NEXT_FIRST_AUDIO = "next utterance's first audio"
NO_STANDBY = "no standby socket"
LONG_TEXT = "This sentence keeps the speaker busy for a while, so that the listener can interrupt it. " * 20


def _sentence(index: int) -> str:
    return f"Here is reply number {index}, short and to the point."


def _first_audio(speak: Callable[[str], Iterator[bytes]], text: str) -> float:
    """Seconds from ``speak(text)`` to its stream's first chunk; the stream is then read to its end."""
    started = time.perf_counter()
    stream = speak(text)
    first = next(iter(stream))
    seconds = time.perf_counter() - started
    if not first:
        raise RuntimeError("the first chunk was empty")
    for _ in stream:
        pass
    return seconds


def _round(server: Server, name: str) -> list[float]:
    """Time to first audio of each utterance of one round, by ``name``'s way of speaking."""
    from fishaudio_ext import FishAudio

    if name == OFFICIAL:
        import fishaudio

        official = fishaudio.FishAudio(api_key=server.api_key, base_url=server.url)
        speak = official.tts.stream_websocket
        try:
            return [
                _first_audio(lambda text: speak([text], format="pcm", model=MODEL), _sentence(i))
                for i in range(UTTERANCES)
            ]
        finally:
            official.close()
    with FishAudio(api_key=server.api_key, base_url=server.url) as client:
        if name == NEW_SOCKET:
            return [
                _first_audio(
                    lambda text: client.tts.stream_websocket([text], format="pcm", model=MODEL), _sentence(i)
                )
                for i in range(UTTERANCES)
            ]
        with client.tts.live(format="pcm", model=MODEL) as session:
            if name == PREWARMED:
                session.prewarm()
            return [_first_audio(session.speak, _sentence(i)) for i in range(UTTERANCES)]


def _barge_in(server: Server, *, standby: bool) -> tuple[float, float]:
    """Seconds from ``cancel()`` to its return, and the next utterance's time to first audio; with
    ``standby``, a second socket is prewarmed while the reply plays."""
    from fishaudio_ext import FishAudio

    with (
        FishAudio(api_key=server.api_key, base_url=server.url) as client,
        client.tts.live(format="pcm", model=MODEL) as session,
    ):
        session.prewarm()
        audio = session.speak(LONG_TEXT)
        next(iter(audio))
        if standby:
            session.prewarm()
        started = time.perf_counter()
        session.cancel()
        ready = time.perf_counter() - started
        return ready, _first_audio(session.speak, _sentence(0))


def run(plan: Plan) -> list[Measure]:
    rounds = plan.pick(1, 5)
    names = (NEW_SOCKET, OURS, PREWARMED, OFFICIAL)
    by_position: dict[str, list[list[float]]] = {name: [[] for _ in range(UTTERANCES)] for name in names}
    cancel = {
        OURS: Series(note="a standby socket prewarmed during the reply"),
        NO_STANDBY: Series(note="the fresh socket's handshake included"),
        NEXT_FIRST_AUDIO: Series(note="after the barge-in without standby"),
    }
    with local_server(live_handshake_delay=HANDSHAKE_DELAY) as server:
        _round(server, OURS)  # warm-up: imports, the server's encoders and caches
        for index in range(rounds):
            for name in names[index % 4 :] + names[: index % 4]:  # each contender goes first in turn
                for position, seconds in enumerate(_round(server, name)):
                    by_position[name][position].append(seconds)
            ready, next_first = _barge_in(server, standby=False)
            cancel[NO_STANDBY].values.append(ready)
            cancel[NEXT_FIRST_AUDIO].values.append(next_first)
            cancel[OURS].values.append(_barge_in(server, standby=True)[0])
    series = {name: Series([s for position in by_position[name][1:] for s in position]) for name in names}
    series[NEW_SOCKET].note = "stream_websocket per utterance"
    series[OFFICIAL].note = "stream_websocket per utterance"
    first = {name: statistics.median(by_position[name][0]) for name in names}
    series[OURS].note = f"first utterance {first[OURS] * 1000:.0f} ms"
    series[PREWARMED].note = f"first utterance {first[PREWARMED] * 1000:.0f} ms"
    savings = [
        statistics.median(by_position[NEW_SOCKET][position]) - statistics.median(by_position[OURS][position])
        for position in range(1, UTTERANCES)
    ]
    series[SAVING] = Series([min(savings)], note="median per position, smallest of positions 2..10")
    ttfa = Measure(
        "live_session_ttfa",
        f"time to first audio of utterances 2..{UTTERANCES}, {HANDSHAKE_DELAY * 1000:.0f} ms handshake delay",
        "s",
        "lower",
        series,
        checks=[Check("saving per utterance vs a new socket", SAVING, HANDSHAKE_DELAY, at_most=False)],
        notes=[
            "LocalServer in its own process: fast engine, no pacing, PCM, each handshake held 150 ms",
            f"{rounds} round(s) of {UTTERANCES} sentences per contender, rotating which goes first",
        ],
        details={"savings_by_position": savings, "first_utterance": first},
    )
    barge_in = Measure(
        "live_cancel",
        "barge-in: cancel() until the session is ready, and the next utterance's first audio",
        "s",
        "lower",
        cancel,
        notes=[
            "the cancelled reply's socket is cut; cancel() returns once another is open",
            "without a standby socket, its handshake (held 150 ms here) is in the figure",
        ],
    )
    return [ttfa, barge_in]
