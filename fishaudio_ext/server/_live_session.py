"""One ``/v1/tts/live`` session once the socket is open: from the client's events to ``audio`` and ``finish``.

The first event must be ``start``: its request is validated like a ``POST /v1/tts`` body (422-style issues
and the 400 checks become ``finish``/``error`` with a message). ``text`` adds to a buffer, which is spoken
once it holds ``chunk_length`` characters (up to its last whole word), on ``flush`` and on ``stop``. All the
text of a session goes through one :class:`SynthesisSession`, so the ``audio`` frames concatenate into one
valid file; each frame holds the audio of one text chunk, as the hosted API sends it (an MP3 or Ogg
encoder may keep a few milliseconds back until the next text or ``stop``). ``stop`` ends the session with
``finish``/``stop``, the audio registered for ``/v1/asr`` just before; the socket stays open, and the
next ``start`` on it begins another session. A session that fails ends with ``finish``/``error`` and a
close with the code that says why.

A session holds one of its key's concurrency slots from ``start`` to its end (a socket that has not sent
``start``, or is between sessions, holds none); when they are all busy, ``start`` is answered with
``finish``/``error``.

Faults, taken when ``start`` arrives: ``websocket_finish_error`` and ``drop`` act after their number of
audio frames, or at the end of a shorter session (instead of ``finish``/``stop``); ``delay`` holds the
first audio frame.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Final

import anyio.to_thread
import attrs
import msgpack
from starlette.websockets import WebSocket

from ._context import ServerContext
from ._errors import Issue, Problem, too_many_requests
from ._faults import LIVE_PATH
from ._gateway import ConnectionDropped
from ._own_audio import StreamedSamples
from ._routes_tts import TTSJob, accept_legacy_opus_kbps, charge_text, check_tts_request
from ._synthesis import Piece, SynthesisSession, paced, synthesized_chunks
from ._validation import text_too_long

# RFC 6455 close codes.
GOING_AWAY: Final = 1001  # the socket reached the connection time limit
UNSUPPORTED_DATA: Final = 1003  # a text frame: the protocol is binary only
INVALID_PAYLOAD: Final = 1007  # a binary frame that is not a MessagePack map
POLICY_VIOLATION: Final = 1008  # a request the API refuses: bad start event, unknown voice, no credit
INTERNAL_ERROR: Final = 1011  # synthesis failed (the injected finish error)
_MAX_CLOSE_REASON_BYTES = 123
# The last whitespace of a buffer: text after it may be a word the next text event completes.
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")


class SessionEnded(Exception):
    """Ends the session with ``finish``/``error`` carrying ``message``, then a close with ``code``."""

    def __init__(self, message: str, code: int, close_reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.close_reason = close_reason or message


Next = Callable[[], Awaitable[dict[str, Any]]]
"""Waits for the client's next event; raises :class:`SessionEnded` for a frame that breaks the protocol."""


def pack(event: Mapping[str, Any]) -> bytes:
    """One frame: a MessagePack map, strings as str and audio as bin."""
    return bytes(msgpack.packb(event, use_bin_type=True))


def close_reason(text: str) -> str:
    """``text`` cut to fit a close frame (123 bytes of UTF-8)."""
    data = text.encode("utf-8")[:_MAX_CLOSE_REASON_BYTES]
    return data.decode("utf-8", errors="ignore")


def _issues_message(what: str, issues: list[Issue]) -> str:
    details = "; ".join(f"{'.'.join(map(str, issue.loc)) or what}: {issue.msg}" for issue in issues)
    return f"Invalid {what} event: {details}"


def _problem_message(problem: Problem) -> str:
    """The message of an HTTP error answer, e.g. ``Reference not found: No voice model with id x``."""
    try:
        body = json.loads(bytes(problem.response.body))
    except ValueError:
        return bytes(problem.response.body).decode("utf-8", errors="replace")
    if not isinstance(body, dict):
        return str(body)
    message, reason = str(body.get("message", "")), body.get("reason")
    return f"{message}: {reason}" if reason else message


def _refused(problem: Problem) -> SessionEnded:
    return SessionEnded(_problem_message(problem), POLICY_VIOLATION)


async def _frames(chunks: AsyncIterable[list[Piece]]) -> AsyncIterator[Piece]:
    """One piece per text chunk, holding all its audio (none for a chunk the encoder held back)."""
    async for pieces in chunks:
        audio = b"".join(piece.audio for piece in pieces)
        if audio:
            yield attrs.evolve(pieces[-1], audio=audio)


class LiveSession:
    """The server's side of one session, from its ``start`` to its ``finish``.

    Raises :class:`~starlette.websockets.WebSocketDisconnect` when the client goes away, and
    :class:`~fishaudio_ext.server._gateway.ConnectionDropped` for the ``drop`` fault.
    """

    def __init__(self, context: ServerContext, websocket: WebSocket, next_event: Next) -> None:
        self._context = context
        self._websocket = websocket
        self._next = next_event
        # What ASR will know the session's audio by; the audio itself is not kept, however long the session.
        self._audio_digest = hashlib.sha256()
        self._samples: StreamedSamples | None = None
        self._frames_sent = 0
        self._error_after: int | None = None
        self._drop_after: int | None = None
        self._delay: float | None = None

    async def run(self) -> bool:
        """Serve the session; True if it finished (the socket stays open), False if it failed (closed)."""
        try:
            await self._serve()
        except SessionEnded as ended:
            finish = {"event": "finish", "reason": "error", "message": ended.message}
            await self._websocket.send_bytes(pack(finish))
            await self._websocket.close(ended.code, close_reason(ended.close_reason))
            return False
        return True

    async def _serve(self) -> None:
        request = await self._start()
        # The session is work from now on: it takes a concurrency slot of its key until it ends.
        limiter, key = self._context.limiter, self._context.account(self._websocket).key_hash
        if not limiter.try_acquire(key):
            raise SessionEnded(_problem_message(Problem(too_many_requests(limiter.limit))), POLICY_VIOLATION)
        try:
            await self._synthesize(request)
        finally:
            limiter.release(key)

    async def _synthesize(self, request: dict[str, Any]) -> None:
        try:
            job = await check_tts_request(self._context, self._websocket, request, self._websocket.headers)
        except Problem as problem:
            raise _refused(problem) from None
        faults = self._context.faults
        self._error_after = faults.take_websocket_finish_error()
        self._drop_after = faults.take_drop("GET", LIVE_PATH)
        self._delay = faults.take_delay("GET", LIVE_PATH)
        synthesis = SynthesisSession(job.settings, self._context.engine)
        self._samples = StreamedSamples(job.settings.format)
        buffer = str(request["text"])
        while True:
            while len(buffer) >= job.settings.chunk_length:
                buffer = await self._speak_whole_words(job, synthesis, buffer)
            event = await self._next()
            name = event.get("event")
            if name == "text":
                buffer += self._text(event)
            elif name in ("flush", "stop"):
                await self._speak(job, synthesis, buffer)
                buffer = ""
                if name == "stop":
                    await self._end(synthesis)
                    return
            elif name == "start":
                raise SessionEnded("A session has one start event: it was sent again", POLICY_VIOLATION)
            # Any other event is ignored, as the protocol asks of both sides for forward compatibility.

    async def _start(self) -> dict[str, Any]:
        event = await self._next()
        if event.get("event") != "start":
            raise SessionEnded(
                f"The first event must be start, not {event.get('event')!r}",
                POLICY_VIOLATION,
                "the first event must be start",
            )
        if isinstance(event.get("request"), dict):
            event["request"] = accept_legacy_opus_kbps(event["request"])
        issues = self._context.check("/components/schemas/LiveStartEvent", event, prefix=())
        if issues:
            raise SessionEnded(_issues_message("start", issues), POLICY_VIOLATION, "invalid start event")
        request: dict[str, Any] = event["request"]
        self._check_length(str(request["text"]), ("request", "text"), "start")
        return request

    def _text(self, event: dict[str, Any]) -> str:
        issues = self._context.check("/components/schemas/LiveTextEvent", event, prefix=())
        if issues:
            raise SessionEnded(_issues_message("text", issues), POLICY_VIOLATION, "invalid text event")
        text = str(event["text"])
        self._check_length(text, ("text",), "text")
        return text

    def _check_length(self, text: str, loc: tuple[str | int, ...], what: str) -> None:
        issue = text_too_long(text, self._context.max_text_length, loc)
        if issue is not None:
            raise SessionEnded(_issues_message(what, [issue]), POLICY_VIOLATION, f"invalid {what} event")

    async def _speak_whole_words(self, job: TTSJob, synthesis: SynthesisSession, buffer: str) -> str:
        """Speak the buffer up to its last whole word; return what is left (a word still being written)."""
        space = _LAST_SPACE.search(buffer)
        cut = space.end() if space else len(buffer)
        await self._speak(job, synthesis, buffer[:cut])
        return buffer[cut:]

    async def _speak(self, job: TTSJob, synthesis: SynthesisSession, text: str) -> None:
        if not text.strip():
            return
        try:
            charge_text(self._context, job, text)
        except Problem as problem:
            raise _refused(problem) from None
        frames = _frames(synthesized_chunks(synthesis, text))
        async for frame in paced(frames, self._context.pacing, job.settings.latency):
            await self._send_audio(frame.audio)

    async def _send_audio(self, audio: bytes) -> None:
        self._inject_faults(at_end=False)
        if self._delay:
            delay, self._delay = self._delay, None
            await self._context.faults.pause(delay)
        await self._websocket.send_bytes(pack({"event": "audio", "audio": audio}))
        self._audio_digest.update(audio)
        if self._samples is not None:
            self._samples.add(audio)
        self._frames_sent += 1

    def _inject_faults(self, *, at_end: bool) -> None:
        """Raise for a ``finish``-error or ``drop`` fault whose frame count is reached (or at the end)."""
        if self._error_after is not None and (at_end or self._frames_sent >= self._error_after):
            raise SessionEnded(
                f"Synthesis failed after {self._frames_sent} audio frames (injected fault)", INTERNAL_ERROR
            )
        if self._drop_after is not None and (at_end or self._frames_sent >= self._drop_after):
            raise ConnectionDropped(f"dropped after {self._frames_sent} audio frames, as injected")

    async def _end(self, synthesis: SynthesisSession) -> None:
        if self._frames_sent:
            tail = await anyio.to_thread.run_sync(synthesis.finish)
            if tail:
                await self._send_audio(tail)
        self._inject_faults(at_end=True)
        if self._frames_sent:
            # Before finish: a client may transcribe the audio as soon as it has it all.
            samples = None if self._samples is None else self._samples.hexdigest
            self._context.remember_digest(self._audio_digest.hexdigest(), synthesis.transcript, samples)
        await self._websocket.send_bytes(pack({"event": "finish", "reason": "stop"}))
