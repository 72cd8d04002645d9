"""``client.tts``: text to speech, whole (``convert``) or streamed as it is generated (``stream``)."""

from __future__ import annotations

from collections.abc import Sequence

import msgpack
from fishaudio_api.api.tts import text_to_speech
from fishaudio_api.models import TTSRequest

from .._http import AsyncHTTP, RequestArgs, SyncHTTP
from .._request_options import RequestOptions
from .._streaming import AsyncAudioStream, AudioStream
from ..types import AudioFormat, LatencyMode, Model, ReferenceAudio, TTSConfig
from ..types._model import DEFAULT_MODEL, check_model
from ..types._tts_config import tts_request_payload, with_overrides
from ._validate import require_text

DEFAULT_CONFIG = TTSConfig()


def tts_request_args(
    *,
    text: str,
    config: TTSConfig,
    model: Model,
    reference_id: str | list[str] | None,
    references: Sequence[ReferenceAudio] | Sequence[Sequence[ReferenceAudio]] | None,
    format: AudioFormat | None,
    latency: LatencyMode | None,
    speed: float | None,
) -> RequestArgs:
    """The ``POST /v1/tts`` request: a MessagePack body, the only encoding that carries reference audio."""
    require_text("text", text)
    model = check_model(model)
    config = with_overrides(
        config, reference_id=reference_id, references=references, format=format, latency=latency, speed=speed
    )
    # The generated layer knows the method, path and headers; the body it would send is JSON.
    args = text_to_speech._get_kwargs(body=TTSRequest(text=text), model=model)
    del args["json"]
    args["content"] = msgpack.packb(tts_request_payload(text, config), use_bin_type=True)
    args["headers"]["Content-Type"] = "application/msgpack"
    return args


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
        model: Model = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
    ) -> bytes:
        """Synthesize ``text`` and return the whole audio.

        The arguments other than ``text`` override the same settings of ``config`` for this call; ``speed``
        sets ``config.prosody.speed``. A connection lost before the audio is complete is retried.

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
        )
        return self._http.request(args, request_options).content

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
        model: Model = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
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
        )
        return AudioStream(self._http.request(args, request_options, stream=True))


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
        model: Model = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
    ) -> bytes:
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
        )
        return (await self._http.request(args, request_options)).content

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
        model: Model = DEFAULT_MODEL,
        request_options: RequestOptions | None = None,
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
        )
        return AsyncAudioStream(await self._http.request(args, request_options, stream=True))
