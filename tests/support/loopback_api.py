"""A small Fish Audio API that runs in a thread on 127.0.0.1, for end-to-end tests over real HTTP.

It speaks enough of the REST API for the documented examples: ``POST /v1/tts`` (MessagePack in, chunked
audio out), the voice models under ``/model``, the wallet and ``POST /v1/asr``. Every request is recorded
(method, path, query, headers, body, client port and the status answered) so tests can assert on the
wire, and the TTS answer can be paced with a :class:`StreamPlan` ("send one chunk, then wait").

Example::

    with LoopbackAPI() as api:
        client = FishAudio(api_key="test-key", base_url=api.url)
        audio = client.tts.convert(text="Hello")
        assert audio == audio_for("Hello", "mp3")
        assert api.requests[0].payload()["text"] == "Hello"

Any non-empty API key is accepted except :data:`BAD_API_KEY`. Voice ids listed in
:attr:`LoopbackAPI.voices` exist; any other id is unknown (404 for ``/model/{id}``, 400 "Reference not
found" as a TTS ``reference_id``), as on the real API.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import re
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import msgpack

TEST_API_KEY = "test-key"
"""A key the server accepts, for tests to use."""
BAD_API_KEY = "bad-key"
"""The one key the server refuses (401), so tests can exercise authentication failures."""

CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "opus": "audio/ogg",
    "pcm": "application/octet-stream",
}
# The first bytes of each format, so a saved or played file is recognisably audio of the asked format.
_MAGIC = {"mp3": b"ID3\x04\x00", "wav": b"RIFF\xff\xff\xff\xffWAVEfmt ", "opus": b"OggS\x00", "pcm": b""}
_TTS_CHUNK_BYTES = 256


def audio_for(text: str, audio_format: str = "mp3") -> bytes:
    """The audio the server answers for ``text``: 32 bytes per character after a format header."""
    digest = hashlib.sha256(text.encode()).digest()
    return _MAGIC[audio_format] + digest * max(1, len(text))


def voice_entity(voice_id: str, title: str, tags: list[str], **extra: Any) -> dict[str, Any]:
    """A voice shaped like the ModelEntity example of spec/openapi.yaml."""
    return {
        "_id": voice_id,
        "type": "tts",
        "title": title,
        "description": "",
        "cover_image": f"coverimage/{voice_id}",
        "train_mode": "fast",
        "state": "trained",
        "tags": tags,
        "samples": [],
        "created_at": "2025-01-15T08:30:00Z",
        "updated_at": "2025-01-15T08:30:00.123456Z",
        "languages": ["en"],
        "visibility": "public",
        "lock_visibility": False,
        "like_count": 10,
        "mark_count": 2,
        "shared_count": 1,
        "task_count": 1234,
        "author": {"_id": "5f1b2c3d4e5f6a7b8c9d0e1f", "nickname": "fish", "avatar": "avatars/fish.png"},
        **extra,
    }


def library_voices() -> dict[str, dict[str, Any]]:
    """The public voices the documentation uses by id."""
    voices = [
        voice_entity("8ef4a238714b45718ce04243307c57a7", "E-girl", ["female", "english"]),
        voice_entity("802e3bc2b27e49c2995d23ef70e6ac89", "Energetic Male", ["male", "english"]),
        voice_entity("933563129e564b19a115bedd57b7406a", "Sarah", ["female", "english"]),
        voice_entity("bf322df2096a46f18c579d0baa36f41d", "Adrian", ["male", "english"]),
        voice_entity("b347db033a6549378b48d00acb0d06cd", "Selene", ["female", "english"]),
        voice_entity("536d3a5e000945adb7038665781a4aca", "Ethan", ["male", "english"]),
    ]
    return {voice["_id"]: voice for voice in voices}


@dataclass
class StreamPlan:
    """How one ``POST /v1/tts`` sends its audio; queue it with :meth:`LoopbackAPI.plan_tts`.

    Attributes:
        chunk_size: bytes per HTTP chunk.
        total_bytes: send this many bytes of a repeating pattern instead of :func:`audio_for`'s audio.
        hold: after the first chunk, wait for this event before sending the rest ("hold the rest back").
            If it is not set within ``hold_timeout`` seconds the server drops the connection, so a client
            that buffers the whole body fails instead of hanging.
        drop_after_chunks: close the connection after this many chunks, without ending the body.
    """

    chunk_size: int = _TTS_CHUNK_BYTES
    total_bytes: int | None = None
    hold: threading.Event | None = None
    hold_timeout: float = 5.0
    drop_after_chunks: int | None = None
    hold_timed_out: bool = False

    def pattern(self) -> bytes:
        """The repeating block of ``total_bytes`` mode (one ``chunk_size`` long)."""
        return bytes(i % 251 for i in range(self.chunk_size))

    def chunks(self, audio: bytes) -> Iterator[bytes]:
        if self.total_bytes is None:
            view = memoryview(audio)
            for start in range(0, len(audio), self.chunk_size):
                yield bytes(view[start : start + self.chunk_size])
            return
        block, remaining = self.pattern(), self.total_bytes
        while remaining > 0:
            yield block if remaining >= len(block) else block[:remaining]
            remaining -= len(block)


@dataclass
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Header names in lower case."""
    body: bytes
    client_port: int
    """The client's TCP port: the same port on two requests means the same connection was reused."""
    status: int | None = None
    """The status the server answered, once it has."""

    def payload(self) -> dict[str, Any]:
        """The MessagePack body of a TTS request."""
        data = msgpack.unpackb(self.body, raw=False)
        assert isinstance(data, dict)
        return data

    def form(self) -> list[FormPart]:
        """The parts of a multipart/form-data body, in order."""
        return parse_multipart(self.headers.get("content-type", ""), self.body)


@dataclass(frozen=True)
class FormPart:
    name: str
    filename: str | None
    content_type: str
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode()


def parse_multipart(content_type: str, body: bytes) -> list[FormPart]:
    """Split a multipart/form-data body with the standard library's MIME parser."""
    if not content_type.startswith("multipart/form-data"):
        raise ValueError(f"not multipart/form-data: {content_type!r}")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    parts = []
    for part in message.iter_parts():
        data = part.get_payload(decode=True)
        parts.append(
            FormPart(
                name=str(part.get_param("name", header="content-disposition")),
                filename=part.get_filename(),
                content_type=part.get_content_type(),
                data=data if isinstance(data, bytes) else b"",
            )
        )
    return parts


class RouteError(Exception):
    """Raised by a route to answer with a Fish Audio error body."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class LoopbackAPI:
    """The server; a context manager that starts it on an ephemeral port and stops it on exit."""

    def __init__(self) -> None:
        self.voices = library_voices()
        self._tts_plans: list[StreamPlan] = []
        self._every_plan: list[StreamPlan] = []
        self.requests: list[RecordedRequest] = []
        self.errors: list[BaseException] = []
        """Unexpected exceptions raised while handling a request (a client hanging up is expected)."""
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._server.handle_error = self._record_error  # type: ignore[method-assign]
        # A short poll interval makes shutdown() quick: each test starts and stops its own server.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="loopback-api",
            daemon=True,
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LoopbackAPI:
        self._thread.start()
        return self

    def plan_tts(self, plan: StreamPlan) -> StreamPlan:
        """Answer the next TTS request (after those already planned) as ``plan`` says; returns ``plan``."""
        with self._lock:
            self._tts_plans.append(plan)
            self._every_plan.append(plan)
        return plan

    def _next_tts_plan(self) -> StreamPlan:
        with self._lock:
            return self._tts_plans.pop(0) if self._tts_plans else StreamPlan()

    def stop(self) -> None:
        with self._lock:
            for plan in self._every_plan:
                if plan.hold is not None:
                    plan.hold.set()  # never leave a handler thread waiting
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> LoopbackAPI:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _record_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, (ConnectionError, TimeoutError)):
            self.errors.append(error)

    # --- routes ---------------------------------------------------------------------------------------
    def tts(self, request: RecordedRequest, send: _Sender) -> None:
        try:
            payload = request.payload()
        except (ValueError, msgpack.UnpackException, AssertionError):
            raise RouteError(400, "Body is not MessagePack") from None
        text = payload.get("text")
        if not isinstance(text, str):
            send.json(422, [{"loc": ["body", "text"], "type": "missing", "msg": "Field required"}])
            return
        reference_ids = payload.get("reference_id")
        for reference_id in [reference_ids] if isinstance(reference_ids, str) else reference_ids or []:
            if reference_id not in self.voices:
                raise RouteError(400, "Reference not found")
        audio_format = payload.get("format", "mp3")
        if audio_format not in CONTENT_TYPES:
            raise RouteError(400, f"Unsupported format {audio_format!r}")
        send.chunked(200, CONTENT_TYPES[audio_format], audio_for(text, audio_format), self._next_tts_plan())

    def list_voices(self, request: RecordedRequest, send: _Sender) -> None:
        query = request.query
        page_size = int(query.get("page_size", ["10"])[0])
        page_number = int(query.get("page_number", ["1"])[0])
        tags, languages = query.get("tag", []), query.get("language", [])
        title = query.get("title", [""])[0].lower()
        matches = [
            voice
            for voice in self.voices.values()
            if set(tags) <= set(voice["tags"])
            and (not languages or set(languages) & set(voice["languages"]))
            and title in voice["title"].lower()
        ]
        start = (page_number - 1) * page_size
        page = matches[start : start + page_size]
        has_more = start + page_size < len(matches)
        send.json(200, {"total": len(matches), "items": page, "has_more": has_more})

    def get_voice(self, request: RecordedRequest, send: _Sender, voice_id: str) -> None:
        send.json(200, self._existing_voice(voice_id))

    def create_voice(self, request: RecordedRequest, send: _Sender) -> None:
        form = request.form()
        fields = {part.name: part.text for part in form if part.filename is None and part.name != "tags"}
        samples = [part for part in form if part.name == "voices"]
        if not fields.get("title") or not samples:
            send.json(422, [{"loc": ["body", "voices"], "type": "missing", "msg": "Field required"}])
            return
        voice = voice_entity(
            uuid.uuid4().hex,
            fields["title"],
            [part.text for part in form if part.name == "tags"],
            description=fields.get("description", ""),
            visibility=fields.get("visibility", "public"),
            state="trained",
        )
        self.voices[voice["_id"]] = voice
        send.json(201, voice)

    def update_voice(self, request: RecordedRequest, send: _Sender, voice_id: str) -> None:
        voice = self._existing_voice(voice_id)
        form = request.form()
        for part in form:
            if part.name in ("title", "description", "visibility"):
                voice[part.name] = part.text
        if any(part.name == "tags" for part in form):
            voice["tags"] = [part.text for part in form if part.name == "tags"]
        send.empty(200)

    def delete_voice(self, request: RecordedRequest, send: _Sender, voice_id: str) -> None:
        self._existing_voice(voice_id)
        del self.voices[voice_id]
        send.empty(200)

    def api_credit(self, request: RecordedRequest, send: _Sender) -> None:
        check_free = request.query.get("check_free_credit", ["false"])[0] == "true"
        send.json(
            200,
            {
                "_id": "6650a1b2c3d4e5f60718293a",
                "user_id": "5f1b2c3d4e5f6a7b8c9d0e1f",
                "credit": "12.345600",
                "cumulative_top_up": "20.00",
                "created_at": "2025-01-15T08:30:00Z",
                "updated_at": "2025-02-01T10:00:00Z",
                "has_phone_sha256": False,
                "has_free_credit": True if check_free else None,
            },
        )

    def package(self, request: RecordedRequest, send: _Sender) -> None:
        send.json(
            200,
            {
                "user_id": "5f1b2c3d4e5f6a7b8c9d0e1f",
                "type": "basic",
                "total": 1000000,
                "balance": 873210,
                "created_at": "2025-01-15T08:30:00Z",
                "updated_at": "2025-02-01T10:00:00Z",
                "finished_at": "2026-01-15T08:30:00Z",
            },
        )

    def transcribe(self, request: RecordedRequest, send: _Sender) -> None:
        form = {part.name: part for part in request.form()}
        if "audio" not in form or not form["audio"].data:
            send.json(422, [{"loc": ["body", "audio"], "type": "missing", "msg": "Field required"}])
            return
        text = f"Heard {len(form['audio'].data)} bytes."
        duration = 1.5
        with_timestamps = "ignore_timestamps" not in form or form["ignore_timestamps"].text != "true"
        segments = [{"text": text, "start": 0.0, "end": duration}] if with_timestamps else []
        language = form["language"].text if "language" in form else "en"
        send.json(
            200,
            {"text": text, "duration": duration, "segments": segments, "language_code": language},
        )

    def _existing_voice(self, voice_id: str) -> dict[str, Any]:
        if voice_id not in self.voices:
            raise RouteError(404, "Model not found")
        return self.voices[voice_id]

    def route(self, request: RecordedRequest) -> Callable[[_Sender], None]:
        """Find the handler for a request; raises RouteError 404 for an unknown path."""
        simple: dict[tuple[str, str], Callable[[RecordedRequest, _Sender], None]] = {
            ("POST", "/v1/tts"): self.tts,
            ("GET", "/model"): self.list_voices,
            ("POST", "/model"): self.create_voice,
            ("GET", "/wallet/self/api-credit"): self.api_credit,
            ("GET", "/wallet/self/package"): self.package,
            ("POST", "/v1/asr"): self.transcribe,
        }
        handler = simple.get((request.method, request.path))
        if handler is not None:
            return lambda send: handler(request, send)
        match = re.fullmatch(r"/model/([^/]+)", request.path)
        by_id = {"GET": self.get_voice, "PATCH": self.update_voice, "DELETE": self.delete_voice}
        if match is not None and request.method in by_id:
            return lambda send: by_id[request.method](request, send, match.group(1))
        raise RouteError(404, f"No route for {request.method} {request.path}")


class _Sender:
    """Writes responses for one request, remembering the status in its record."""

    def __init__(self, handler: BaseHTTPRequestHandler, record: RecordedRequest) -> None:
        self._handler = handler
        self._record = record

    def _start(self, status: int, headers: dict[str, str]) -> None:
        self._record.status = status
        self._handler.send_response(status)
        for name, value in headers.items():
            self._handler.send_header(name, value)
        self._handler.end_headers()

    def json(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self._start(status, {"Content-Type": "application/json", "Content-Length": str(len(data))})
        self._handler.wfile.write(data)

    def empty(self, status: int) -> None:
        self._start(status, {"Content-Length": "0"})

    def error(self, status: int, message: str) -> None:
        self.json(status, {"status": status, "message": message})

    def chunked(self, status: int, content_type: str, audio: bytes, plan: StreamPlan) -> None:
        self._start(status, {"Content-Type": content_type, "Transfer-Encoding": "chunked"})
        out = self._handler.wfile
        for index, chunk in enumerate(plan.chunks(audio)):
            if plan.drop_after_chunks is not None and index == plan.drop_after_chunks:
                self._handler.close_connection = True  # hang up mid-body: no terminating chunk
                return
            # One write per chunk: with TCP_NODELAY each chunk leaves at once, as a streaming server's would.
            out.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
            if index == 0 and plan.hold is not None and not plan.hold.wait(plan.hold_timeout):
                plan.hold_timed_out = True
                self._handler.close_connection = True  # a buffering client fails rather than hangs
                return
        out.write(b"0\r\n\r\n")


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        body = bytearray()
        while size := int(handler.rfile.readline().split(b";")[0], 16):
            body += handler.rfile.read(size)
            handler.rfile.readline()
        while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return bytes(body)
    return handler.rfile.read(int(handler.headers.get("Content-Length", "0")))


def _authorized(headers: dict[str, str]) -> bool:
    scheme, _, key = headers.get("authorization", "").partition(" ")
    return scheme == "Bearer" and key.strip() not in ("", BAD_API_KEY)


def _make_handler(api: LoopbackAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so tests can see a pooled connection being reused
        disable_nagle_algorithm = True

        def _handle(self) -> None:
            url = urlsplit(self.path)
            record = RecordedRequest(
                method=self.command,
                path=url.path,
                query=parse_qs(url.query),
                headers={name.lower(): value for name, value in self.headers.items()},
                body=_read_body(self),
                client_port=self.client_address[1],
            )
            api.record(record)
            send = _Sender(self, record)
            if not _authorized(record.headers):
                send.error(401, "Invalid API key")
                return
            try:
                api.route(record)(send)
            except RouteError as error:
                send.error(error.status, error.message)

        do_GET = do_POST = do_PATCH = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet; the requests are recorded instead

    return Handler
