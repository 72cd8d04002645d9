"""What every endpoint of one server shares: the spec, the database, faults, limits and pacing.

Endpoints receive a :class:`ServerContext` when the app is built. The ``/v1/tts/live`` WebSocket endpoint
(``_live_endpoint.py``) uses the same object: the gateway has already checked the key, the concurrency
limit and the ``fail`` faults by the time it runs, :meth:`ServerContext.account` says whose
session it is, and :meth:`Faults.take_websocket_finish_error` says whether to end it with an error.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Final

import attrs
from fishaudio_api.facts import LIVE_MAX_CONNECTION_SECONDS
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection, Request

from ._engines import Engine, FastEngine
from ._errors import Issue
from ._faults import Faults
from ._limits import ConcurrencyLimiter
from ._own_audio import samples_digest
from ._pacing import Pacing
from ._spec import Operation, Spec
from ._state import Account, Store, Transcript, key_digest
from ._text_limit import DEFAULT_MAX_TEXT_LENGTH
from ._validation import DEFAULT_MAX_BODY_BYTES, BodyHook, ValidRequest, check_instance, validate_request

ACCOUNT_SCOPE_KEY: Final = "fishaudio_ext.account"
OPERATION_SCOPE_KEY: Final = "fishaudio_ext.operation"


def bearer_token(headers: Headers) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, or None."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@attrs.define
class ServerContext:
    """The state and settings of one server.

    Attributes:
        spec: the OpenAPI document requests and responses follow.
        store: the SQLite database (accounts, voices, transcripts).
        faults: the fault registry.
        limiter: concurrent requests per key.
        pacing: how streamed audio is paced; may be replaced while the server runs.
        credit: the credit (micro-USD) of each API key the server starts with or is given.
        admin_key_hash: the digest of the server's own key, the one the ``/_local/*`` routes ask for.
        listen_host: the host the server was started on, one of the ``Host`` values it answers.
        max_text_length: the characters of text one synthesis may have (``_text_limit``).
        engine: the speech engine that synthesizes (``_engines``).
        live_max_connection_seconds: how long a ``/v1/tts/live`` socket may stay open (the API's limit).
        live_handshake_delay: seconds each ``/v1/tts/live`` handshake waits before it is answered.
        key_hashes: the digests of the keys accepted since the start, re-registered by a reset.
    """

    spec: Spec
    store: Store
    faults: Faults
    limiter: ConcurrencyLimiter
    pacing: Pacing
    credit: int
    admin_key_hash: str
    listen_host: str
    max_text_length: int = DEFAULT_MAX_TEXT_LENGTH
    engine: Engine = attrs.field(factory=FastEngine)
    live_max_connection_seconds: float = LIVE_MAX_CONNECTION_SECONDS
    live_handshake_delay: float = 0.0
    key_hashes: list[str] = attrs.field(factory=list)

    def add_api_key(self, api_key: str, *, credit: int | None = None) -> Account:
        """Accept ``api_key`` from now on, with its own account (``credit`` micro-USD, or the default)."""
        digest = key_digest(api_key)
        if digest not in self.key_hashes:
            self.key_hashes.append(digest)
        return self.store.add_account(digest, credit=self.credit if credit is None else credit)

    def authenticate(self, headers: Headers) -> Account | None:
        """The account of the request's bearer key, or None when the key is missing or unknown."""
        token = bearer_token(headers)
        return None if token is None else self.store.account(key_digest(token))

    def is_admin(self, headers: Headers) -> bool:
        """Whether the request carries the server's own key as its bearer token."""
        token = bearer_token(headers)
        return token is not None and hmac.compare_digest(key_digest(token), self.admin_key_hash)

    def account(self, connection: HTTPConnection) -> Account:
        """The account the gateway authenticated for this request or WebSocket, freshly read."""
        key: str = connection.scope[ACCOUNT_SCOPE_KEY].key_hash
        account = self.store.account(key)
        assert account is not None, "the gateway only lets authenticated requests through"
        return account

    def operation(self, request: Request) -> Operation:
        """The spec operation the gateway matched for this request."""
        operation: Operation = request.scope[OPERATION_SCOPE_KEY]
        return operation

    async def validate(
        self,
        request: Request,
        *,
        prepare_body: BodyHook | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> ValidRequest:
        """Check the request against its operation; raises :class:`Problem` with the 4xx answer."""
        return await validate_request(
            self.spec,
            request,
            self.operation(request),
            prepare_body=prepare_body,
            max_body_bytes=max_body_bytes,
        )

    def check(self, pointer: str, instance: Any, *, prefix: tuple[str | int, ...] = ("body",)) -> list[Issue]:
        """Validate a decoded message against the spec schema at ``pointer`` (e.g.
        ``/components/schemas/LiveStartEvent``); returns the 422-style issues, and fills in the schema's
        defaults when there are none."""
        return check_instance(self.spec, pointer, instance, prefix=prefix)

    def remember_audio(self, data: bytes, transcript: Transcript) -> None:
        """Record that ``data`` (exactly as served) says ``transcript``, so ``/v1/asr`` can transcribe it,
        also once its header is rewritten or its samples are put in another file (see ``_own_audio``).
        Decodes ``data``: call it from a thread in async code."""
        self.remember_digest(hashlib.sha256(data).hexdigest(), transcript, samples_digest(data))

    def remember_digest(self, sha256: str, transcript: Transcript, samples_sha256: str | None = None) -> None:
        """:meth:`remember_audio` for audio hashed while it was sent, so that no copy of it is kept."""
        self.store.remember(sha256, transcript)
        if samples_sha256 is not None:
            self.store.remember(samples_sha256, transcript)

    def recall_audio(self, data: bytes) -> Transcript | None:
        """What ``data`` says, if this server produced these bytes or these samples. May decode ``data``:
        call it from a thread in async code."""
        known = self.store.transcript(hashlib.sha256(data).hexdigest())
        if known is not None:
            return known
        samples = samples_digest(data)
        return None if samples is None else self.store.transcript(samples)

    def reset(self) -> None:
        """Back to the initial state: database re-seeded, original keys and credit, no faults."""
        self.faults.clear()
        self.store.clear()
        for key_hash in self.key_hashes:
            self.store.add_account(key_hash, credit=self.credit)
