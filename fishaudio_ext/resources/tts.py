"""``client.tts``: text to speech, whole (``convert``), streamed as it is generated (``stream``), or from text
that is itself still being generated (``stream_websocket``); each HTTP form also with its text timed
(``convert_with_timestamps``, ``stream_with_timestamps``)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from fishaudio_api.api.tts import text_to_speech, text_to_speech_with_timestamps
from fishaudio_api.facts import CONCURRENT_REQUESTS_PER_KEY, FORMAT_DEFAULT_SAMPLE_RATES
from fishaudio_api.response_facts import SUCCESS_MEDIA_TYPES
from fishaudio_api.tts_settings import TTSOverrides, tts_request

from .._api_operations import OPERATIONS
from .._audio_bytes import AudioBytes
from .._http import AsyncHTTP, HTTPSettings, RequestArgs, SyncHTTP, max_retries
from .._request_options import RequestOptions
from .._response_info import info_of
from .._streaming import AsyncAudioStream, AudioStream
from .._timestamps import (
    AsyncTimestampStream,
    TimestampedAudio,
    TimestampStream,
    aread_timestamped,
    read_timestamped,
)
from .._wav import complete_wav
from ..types import (
    AudioFormat,
    LatencyMode,
    Model,  # noqa: F401 - the official SDK's fishaudio.resources.tts has it
    ReferenceAudio,
    TTSConfig,
    WebSocketOptions,
)
from ..types._model import DEFAULT_MODEL, ModelName, check_model
from ..types._tts_config import with_overrides
from ._validate import require_text

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is Python 3.11+; never imported at run time

    # The WebSocket modules are imported when stream_websocket is first used: with the websockets library
    # they would add some 30 ms and 2 MiB to every import of the package.
    from .._live.async_session import AsyncLiveSession, AsyncWebSocketAudioStream
    from .._live.protocol import TextItem
    from .._live.settings import LiveSettings
    from .._live.sync_session import LiveSession, WebSocketAudioStream

    # Long-form synthesis is imported when first used, like the WebSocket modules below.
    from .._longform import Progress
    from .._longform_run import Plan
    from .._split import Piece

DEFAULT_CONFIG = TTSConfig()
# Pieces of a long text sent at once by default: the concurrency limit of the API's lowest tier.
DEFAULT_MAX_CONCURRENCY = CONCURRENT_REQUESTS_PER_KEY
# The media types POST /v1/tts answers with: anything else (an HTML login page, JSON) is not audio.
AUDIO_ANSWER = SUCCESS_MEDIA_TYPES["text_to_speech"]
# Whether a lost response may be retried, from the spec (x-replay-safe): synthesis changes nothing.
_IDEMPOTENT = OPERATIONS["text_to_speech"].idempotent
EVENTS_ANSWER = SUCCESS_MEDIA_TYPES["text_to_speech_with_timestamps"]
_TIMESTAMPS_IDEMPOTENT = OPERATIONS["text_to_speech_with_timestamps"].idempotent


def _call_settings(
    config: TTSConfig,
    model: ModelName,
    reference_id: str | list[str] | None,
    references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None,
    format: AudioFormat | None,
    latency: LatencyMode | None,
    speed: float | None,
    overrides: TTSOverrides,
) -> tuple[TTSConfig, str]:
    """The config with a call's direct arguments applied, and the checked model: shared by HTTP and live."""
    model = check_model(model)
    config = with_overrides(
        config,
        reference_id=reference_id,
        references=references,
        format=format,
        latency=latency,
        speed=speed,
        **overrides,
    )
    return config, model


def tts_request_args(
    *,
    text: str,
    config: TTSConfig,
    model: ModelName,
    reference_id: str | list[str] | None,
    references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None,
    format: AudioFormat | None,
    latency: LatencyMode | None,
    speed: float | None,
    **overrides: Unpack[TTSOverrides],
) -> RequestArgs:
    """The ``POST /v1/tts`` request, built by the generated layer: the ``TTSRequest`` as MessagePack."""
    return _synthesis_args(
        text_to_speech.request_args,
        text,
        config,
        model,
        reference_id,
        references,
        format,
        latency,
        speed,
        overrides,
    )


def timestamps_request_args(
    *,
    text: str,
    config: TTSConfig,
    model: ModelName,
    reference_id: str | list[str] | None,
    references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None,
    format: AudioFormat | None,
    latency: LatencyMode | None,
    speed: float | None,
    **overrides: Unpack[TTSOverrides],
) -> RequestArgs:
    """The ``POST /v1/tts/stream/with-timestamp`` request: the same ``TTSRequest`` as ``POST /v1/tts``."""
    return _synthesis_args(
        text_to_speech_with_timestamps.request_args,
        text,
        config,
        model,
        reference_id,
        references,
        format,
        latency,
        speed,
        overrides,
    )


def _synthesis_args(
    build: Callable[..., dict[str, Any]],
    text: str,
    config: TTSConfig,
    model: ModelName,
    reference_id: str | list[str] | None,
    references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None,
    format: AudioFormat | None,
    latency: LatencyMode | None,
    speed: float | None,
    overrides: TTSOverrides,
) -> RequestArgs:
    require_text("text", text)
    config, model = _call_settings(config, model, reference_id, references, format, latency, speed, overrides)
    return build(body=tts_request(config, text=text), model=model)


def long_plan(
    settings: HTTPSettings,
    *,
    text: str,
    config: TTSConfig,
    model: ModelName,
    reference_id: str | list[str] | None,
    references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None,
    format: AudioFormat | None,
    latency: LatencyMode | None,
    speed: float | None,
    request_options: RequestOptions | None,
    max_chars: int | None,
    max_concurrency: int,
    paragraph_pause: float,
    on_progress: Callable[[Progress], None] | None,
    checkpoint: str | os.PathLike[str] | None,
    regenerate: Iterable[int],
    max_cost: float | None,
    overrides: TTSOverrides,
) -> tuple[Plan, TTSConfig, str, RequestOptions]:
    """Everything a long-form job decides before sending: the pieces, the settings each request is sent
    with, the price check, the pieces already kept in ``checkpoint``. Raises before anything is sent."""
    from .._longform import check_budget, check_long_arguments, estimate_pieces
    from .._longform_run import Plan
    from .._split import split_text

    require_text("text", text)
    config, model = _call_settings(config, model, reference_id, references, format, latency, speed, overrides)
    pieces = split_text(text, max_chars=config.chunk_length if max_chars is None else max_chars)
    redo = check_long_arguments(max_concurrency, paragraph_pause, regenerate, len(pieces))
    check_budget(estimate_pieces(pieces, model), max_cost, model)
    # Retries are the job's to decide (a 429 also lowers its concurrency), each a single attempt here.
    single = attrs.evolve(request_options or RequestOptions(), max_retries=0)
    keys = [_piece_key(piece, config, model) for piece in pieces] if checkpoint is not None else []
    plan = Plan(
        pieces,
        format=config.format,
        sample_rate=config.sample_rate or FORMAT_DEFAULT_SAMPLE_RATES[config.format],
        limit=max_concurrency,
        max_retries=max_retries(settings, request_options),
        pause=float(paragraph_pause),
        on_progress=on_progress,
        checkpoint=checkpoint,
        keys=keys,
        regenerate=redo,
    )
    return plan, config, model, single


def _piece_key(piece: Piece, config: TTSConfig, model: str) -> bytes:
    """What makes a piece's audio: its request body (text and settings) and the model."""
    args = tts_request_args(
        text=piece.text,
        config=config,
        model=model,
        reference_id=None,
        references=None,
        format=None,
        latency=None,
        speed=None,
    )
    return bytes(args["content"]) + b"\0" + model.encode()


def live_settings(
    settings: HTTPSettings,
    *,
    config: TTSConfig,
    model: ModelName,
    reference_id: str | list[str] | None,
    references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None,
    format: AudioFormat | None,
    latency: LatencyMode | None,
    speed: float | None,
    ws_options: WebSocketOptions | None,
    **overrides: Unpack[TTSOverrides],
) -> LiveSettings:
    """A ``/v1/tts/live`` session's settings: those of ``POST /v1/tts``, checked now, the text sent later."""
    from .._live.settings import LiveSettings

    config, model = _call_settings(config, model, reference_id, references, format, latency, speed, overrides)
    live = LiveSettings(http=settings, config=config, model=model, options=ws_options)
    live.request()  # raises now for invalid settings, before any connection
    return live


class TTSClient:
    """Text to speech."""

    def __init__(self, http: SyncHTTP) -> None:
        self._http = http

    def convert(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> AudioBytes:
        """Synthesize ``text`` and return the whole audio.

        The arguments other than ``text`` override the same settings of ``config`` for this call; ``speed``
        sets ``config.prosody.speed``, and any other ``TTSConfig`` setting may be passed by name too
        (``chunk_length=200``), checked before anything is sent. A connection lost before the audio is
        complete is retried.

        Example::

            audio = client.tts.convert(text="Hello!", reference_id="bf322df2096a46f18c579d0baa36f41d")
            save(audio, "hello.mp3")
        """
        args = tts_request_args(
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        response = self._http.request(
            args, request_options, response_types=AUDIO_ANSWER, idempotent=_IDEMPOTENT
        )
        return AudioBytes(complete_wav(response.content), response=info_of(response))

    def stream(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> AudioStream:
        """Synthesize ``text`` and stream the audio chunk by chunk, as the server sends it.

        Returns once the server has accepted the request (errors are raised here); the audio is then read
        as you iterate. Memory stays flat however long the audio.

        Example::

            with client.tts.stream(text="Very long text...") as audio, open("out.mp3", "wb") as f:
                for chunk in audio:
                    f.write(chunk)
        """
        args = tts_request_args(
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        return AudioStream(
            self._http.request(
                args, request_options, stream=True, response_types=AUDIO_ANSWER, idempotent=_IDEMPOTENT
            )
        )

    def stream_with_timestamps(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> TimestampStream:
        """Stream the audio with its text timed: each event carries a decoded audio chunk, the alignment
        as the API sent it, and the merged timeline so far (``event.timeline.segments``, in seconds from
        the start of the whole audio).

        The arguments are those of :meth:`stream`; the connection is released as for :meth:`stream`.
        ``collect()`` reads the rest into the whole audio and its final segments.

        Example::

            with client.tts.stream_with_timestamps(text="Hello world.", format="wav") as events:
                for event in events:
                    sink.write(event.audio)
                    show(event.timeline.segments)
        """
        args = timestamps_request_args(
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        return TimestampStream(
            self._http.request(
                args,
                request_options,
                stream=True,
                response_types=EVENTS_ANSWER,
                idempotent=_TIMESTAMPS_IDEMPOTENT,
            )
        )

    def convert_with_timestamps(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> TimestampedAudio:
        """Synthesize ``text`` and return the whole audio with the final timeline of its text.

        ``result.audio`` is the audio (a WAV's header sizes filled in); ``result.segments`` are the timed
        pieces of text (``text``, ``start``, ``end`` in seconds on the whole audio), in order. The
        arguments are those of :meth:`convert`; a connection lost before the answer is complete is retried.

        Example::

            result = client.tts.convert_with_timestamps(text="Hello world.", format="wav")
            save(result.audio, "hello.wav")
            Path("hello.srt").write_text(captions.to_srt(result))
        """
        args = timestamps_request_args(
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        response = self._http.request(
            args, request_options, response_types=EVENTS_ANSWER, idempotent=_TIMESTAMPS_IDEMPOTENT
        )
        return read_timestamped(response)

    def stream_long(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        max_chars: int | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        paragraph_pause: float = 0.0,
        on_progress: Callable[[Progress], None] | None = None,
        checkpoint: str | os.PathLike[str] | None = None,
        regenerate: Iterable[int] = (),
        max_cost: float | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> Iterator[bytes]:
        """Synthesize a text of any length and yield its audio, one file in order, as the pieces finish.

        The text is cut into pieces (:func:`fishaudio_ext.longform.split_text`, at most ``max_chars``
        characters each, ``chunk_length`` by default) sent ``max_concurrency`` at a time (by default the
        limit of the API's lowest tier); the audio of each piece is yielded once it and every piece before
        it are done, joined into one file of the requested format. A 429 lowers the concurrency for the
        rest of the job and sends the piece again after the server's ``Retry-After``; other failures are
        retried as the client retries any call. The other arguments are those of :meth:`convert`.

        Args:
            paragraph_pause: seconds of silence between paragraphs.
            on_progress: called with a :class:`~fishaudio_ext.longform.Progress` each time a piece is done.
            checkpoint: a directory where each finished piece is kept, named by its text and settings: a
                rerun sends only the pieces not there yet.
            regenerate: indexes of pieces to synthesize again even if ``checkpoint`` has them.
            max_cost: refuse the job, before sending anything, if it costs more USD than this.

        Example::

            with open("chapter.mp3", "wb") as f:
                for chunk in client.tts.stream_long(text=chapter, reference_id=voice_id):
                    f.write(chunk)

        Raises:
            ValidationError: a bad argument; BudgetExceededError: over ``max_cost`` (both before sending).
            PieceFailedError: a piece kept failing (while iterating); its cause is the last error.
        """
        plan, resolved, model, single = long_plan(
            self._http.settings,
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            request_options=request_options,
            max_chars=max_chars,
            max_concurrency=max_concurrency,
            paragraph_pause=paragraph_pause,
            on_progress=on_progress,
            checkpoint=checkpoint,
            regenerate=regenerate,
            max_cost=max_cost,
            overrides=overrides,
        )

        def open_piece(piece: Piece) -> AudioStream:
            return self.stream(text=piece.text, config=resolved, model=model, request_options=single)

        from .._longform_run import run_sync

        return run_sync(plan, open_piece)

    def convert_long(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        max_chars: int | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        paragraph_pause: float = 0.0,
        on_progress: Callable[[Progress], None] | None = None,
        checkpoint: str | os.PathLike[str] | None = None,
        regenerate: Iterable[int] = (),
        max_cost: float | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> AudioBytes:
        """Synthesize a text of any length and return its whole audio as one file; see :meth:`stream_long`.

        Example::

            audio = client.tts.convert_long(text=chapter, format="wav", checkpoint="chapter-1.parts")
            save(audio, "chapter-1.wav")
        """
        chunks = self.stream_long(
            text=text,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            config=config,
            model=model,
            request_options=request_options,
            max_chars=max_chars,
            max_concurrency=max_concurrency,
            paragraph_pause=paragraph_pause,
            on_progress=on_progress,
            checkpoint=checkpoint,
            regenerate=regenerate,
            max_cost=max_cost,
            **overrides,
        )
        return AudioBytes(complete_wav(b"".join(chunks)))

    def stream_websocket(
        self,
        text_stream: Iterable[TextItem],
        *,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        ws_options: WebSocketOptions | None = None,
        flush_sentences: bool = False,
        **overrides: Unpack[TTSOverrides],
    ) -> WebSocketAudioStream:
        """Speak text while it is still being produced (an LLM's tokens, live captions) over a WebSocket.

        ``text_stream`` yields ``str``, ``TextEvent`` or ``FlushEvent``; it is read by a background thread
        while you read the audio, so the first sentence plays while later text is being written. The
        server gathers text into chunks (``config.chunk_length``); yield ``FlushEvent()`` to have what it
        holds spoken now, for example at the end of each sentence. The other arguments are those of
        :meth:`convert`; ``ws_options`` tunes keepalive, limits and timeouts. ``flush_sentences=True``
        does the flushing for you: the text is joined into sentences (long ones cut at a clause end),
        each sent with a ``FlushEvent`` (CJK punctuation, abbreviations and decimals understood, never
        inside ``[...]``, ``(...)`` or ``<|speaker:N|>``).

        Nothing is sent until you start reading; the connection closes when the audio ends, an error is
        raised, or the stream is closed (``with`` closes it for you).

        Example::

            with client.tts.stream_websocket(llm_tokens(), reference_id=voice_id) as audio:
                play(audio)

        Raises:
            ValidationError: an argument is invalid (now), or the iterator yields something else (while
                reading).
            AuthenticationError, PaymentRequiredError, RateLimitError, ServerError, APIError: the server
                refused the connection, as for HTTP requests.
            APIConnectionError, APITimeoutError: no connection (``open_timeout_seconds``).
            WebSocketError: the server reported an error, closed early, sent something unreadable, or went
                silent for ``receive_timeout_seconds`` after all text was sent.
            Any exception of ``text_stream`` itself, unchanged.
        """
        from .._live.protocol import check_text_stream
        from .._live.sync_session import LiveSession

        self._http.check_open()
        check_text_stream(text_stream, asynchronous=False)
        settings = live_settings(
            self._http.settings,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            ws_options=ws_options,
            **overrides,
        )
        session = LiveSession(self._http, settings, flush_sentences=flush_sentences, single_use=True)
        return session.speak(text_stream)

    def live(
        self,
        *,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        ws_options: WebSocketOptions | None = None,
        flush_sentences: bool = False,
        **overrides: Unpack[TTSOverrides],
    ) -> LiveSession:
        """A live session: one ``/v1/tts/live`` connection kept across utterances, for voice agents.

        Nothing is sent until :meth:`LiveSession.prewarm` or the first utterance is read. Each
        ``session.speak(text)`` returns that utterance's audio (a :class:`WebSocketAudioStream` with
        ``metrics``); ``session.cancel()`` stops it at once (barge-in) and opens a fresh socket. The
        arguments are those of :meth:`stream_websocket`, the settings every utterance starts from
        (``flush_sentences`` too; ``speak()`` may override each for one utterance).

        Example::

            with client.tts.live(reference_id=voice_id) as session:
                session.prewarm()
                play(session.speak("Hello! How can I help?"))

        Raises:
            ValidationError: an argument is invalid.
        """
        from .._live.sync_session import LiveSession

        self._http.check_open()
        settings = live_settings(
            self._http.settings,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            ws_options=ws_options,
            **overrides,
        )
        return LiveSession(self._http, settings, flush_sentences=flush_sentences)


class AsyncTTSClient:
    """Text to speech (async)."""

    def __init__(self, http: AsyncHTTP) -> None:
        self._http = http

    async def convert(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> AudioBytes:
        """Synthesize ``text`` and return the whole audio; see :meth:`TTSClient.convert`."""
        args = tts_request_args(
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        response = await self._http.request(
            args, request_options, response_types=AUDIO_ANSWER, idempotent=_IDEMPOTENT
        )
        return AudioBytes(complete_wav(response.content), response=info_of(response))

    async def stream(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> AsyncAudioStream:
        """Stream the audio as the server sends it; see :meth:`TTSClient.stream`.

        Example::

            audio = await client.tts.stream(text="Long text here")
            async for chunk in audio:
                ...
        """
        args = tts_request_args(
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        return AsyncAudioStream(
            await self._http.request(
                args, request_options, stream=True, response_types=AUDIO_ANSWER, idempotent=_IDEMPOTENT
            )
        )

    async def stream_with_timestamps(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> AsyncTimestampStream:
        """Stream the audio with its text timed; see :meth:`TTSClient.stream_with_timestamps`.

        Example::

            events = await client.tts.stream_with_timestamps(text="Hello world.")
            async with events:
                async for event in events:
                    show(event.timeline.segments)
        """
        args = timestamps_request_args(
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        return AsyncTimestampStream(
            await self._http.request(
                args,
                request_options,
                stream=True,
                response_types=EVENTS_ANSWER,
                idempotent=_TIMESTAMPS_IDEMPOTENT,
            )
        )

    async def convert_with_timestamps(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> TimestampedAudio:
        """The whole audio and its final timeline; see :meth:`TTSClient.convert_with_timestamps`."""
        args = timestamps_request_args(
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            **overrides,
        )
        response = await self._http.request(
            args, request_options, response_types=EVENTS_ANSWER, idempotent=_TIMESTAMPS_IDEMPOTENT
        )
        return await aread_timestamped(response)

    def stream_long(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        max_chars: int | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        paragraph_pause: float = 0.0,
        on_progress: Callable[[Progress], None] | None = None,
        checkpoint: str | os.PathLike[str] | None = None,
        regenerate: Iterable[int] = (),
        max_cost: float | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> AsyncIterator[bytes]:
        """Yield the audio of a text of any length in order; see :meth:`TTSClient.stream_long`.

        Example::

            async for chunk in client.tts.stream_long(text=chapter):
                sink.write(chunk)
        """
        plan, resolved, model, single = long_plan(
            self._http.settings,
            text=text,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            request_options=request_options,
            max_chars=max_chars,
            max_concurrency=max_concurrency,
            paragraph_pause=paragraph_pause,
            on_progress=on_progress,
            checkpoint=checkpoint,
            regenerate=regenerate,
            max_cost=max_cost,
            overrides=overrides,
        )

        async def send(piece: Piece) -> bytes:
            audio = await self.convert(text=piece.text, config=resolved, model=model, request_options=single)
            return bytes(audio)

        from .._longform_run import run_async

        return run_async(plan, send)

    async def convert_long(
        self,
        *,
        text: str,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
        max_chars: int | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        paragraph_pause: float = 0.0,
        on_progress: Callable[[Progress], None] | None = None,
        checkpoint: str | os.PathLike[str] | None = None,
        regenerate: Iterable[int] = (),
        max_cost: float | None = None,
        **overrides: Unpack[TTSOverrides],
    ) -> AudioBytes:
        """The whole audio of a text of any length; see :meth:`TTSClient.convert_long`."""
        chunks = self.stream_long(
            text=text,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            config=config,
            model=model,
            request_options=request_options,
            max_chars=max_chars,
            max_concurrency=max_concurrency,
            paragraph_pause=paragraph_pause,
            on_progress=on_progress,
            checkpoint=checkpoint,
            regenerate=regenerate,
            max_cost=max_cost,
            **overrides,
        )
        return AudioBytes(complete_wav(b"".join([chunk async for chunk in chunks])))

    def stream_websocket(
        self,
        text_stream: AsyncIterable[TextItem],
        *,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        ws_options: WebSocketOptions | None = None,
        flush_sentences: bool = False,
        **overrides: Unpack[TTSOverrides],
    ) -> AsyncWebSocketAudioStream:
        """Speak text while it is still being produced; see :meth:`TTSClient.stream_websocket`.

        ``text_stream`` is an async iterable, read by a task of its own while you read the audio. Use the
        result directly or await it first; both forms work::

            async for chunk in client.tts.stream_websocket(llm_tokens()):
                ...

            audio = await client.tts.stream_websocket(llm_tokens())
            await play(audio)
        """
        from .._live.async_session import AsyncLiveSession
        from .._live.protocol import check_text_stream

        self._http.check_open()
        check_text_stream(text_stream, asynchronous=True)
        settings = live_settings(
            self._http.settings,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            ws_options=ws_options,
            **overrides,
        )
        session = AsyncLiveSession(self._http, settings, flush_sentences=flush_sentences, single_use=True)
        return session.speak(text_stream)

    def live(
        self,
        *,
        reference_id: str | list[str] | None = None,
        references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None = None,
        format: AudioFormat | None = None,
        latency: LatencyMode | None = None,
        speed: float | None = None,
        config: TTSConfig = DEFAULT_CONFIG,
        model: ModelName = DEFAULT_MODEL,
        ws_options: WebSocketOptions | None = None,
        flush_sentences: bool = False,
        **overrides: Unpack[TTSOverrides],
    ) -> AsyncLiveSession:
        """A live session (:class:`AsyncLiveSession`); see :meth:`TTSClient.live`.

        Example::

            async with client.tts.live(reference_id=voice_id) as session:
                await session.prewarm()
                await play(session.speak("Hello! How can I help?"))
        """
        from .._live.async_session import AsyncLiveSession

        self._http.check_open()
        settings = live_settings(
            self._http.settings,
            config=config,
            model=model,
            reference_id=reference_id,
            references=references,
            format=format,
            latency=latency,
            speed=speed,
            ws_options=ws_options,
            **overrides,
        )
        return AsyncLiveSession(self._http, settings, flush_sentences=flush_sentences)
