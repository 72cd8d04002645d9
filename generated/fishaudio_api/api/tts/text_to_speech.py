from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx
import msgpack

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.known_tts_model import KnownTTSModel
from ...models.tts_request import TTSRequest
from ...models.validation_issue import ValidationIssue
from ...types import UNSET, File, Response, Unset


def request_args(
    *,
    body: TTSRequest,
    model: KnownTTSModel | str | Unset = UNSET,
    traceparent: str | Unset = UNSET,
) -> dict[str, Any]:
    """This operation's request, as keyword arguments of ``httpx.Client.build_request``; ``url`` is a path."""
    headers: dict[str, Any] = {}
    if not isinstance(model, Unset):
        headers["model"] = model

    if not isinstance(traceparent, Unset):
        headers["traceparent"] = traceparent

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tts",
    }

    _kwargs["content"] = msgpack.packb(body.to_dict(), use_bin_type=True)
    headers["Content-Type"] = "application/msgpack"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | File | list[ValidationIssue] | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = ErrorBody.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = []
        _response_422 = response.json()
        for componentsschemas_validation_error_body_item_data in _response_422:
            componentsschemas_validation_error_body_item = ValidationIssue.from_dict(
                componentsschemas_validation_error_body_item_data
            )

            response_422.append(componentsschemas_validation_error_body_item)

        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorBody.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | File | list[ValidationIssue]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TTSRequest,
    model: KnownTTSModel | str | Unset = UNSET,
    traceparent: str | Unset = UNSET,
) -> Response[ErrorBody | File | list[ValidationIssue]]:
    """Synthesize speech from text

     Returns the audio in the requested `format` as a chunked body, streamed as it is generated.
    Reference audio (`references`) needs a MessagePack body: JSON cannot carry raw bytes.
    WAV responses carry placeholder RIFF sizes: trust the byte count, not the header.

    Args:
        model (KnownTTSModel | str | Unset): A TTS model name; models added later pass through as
            plain strings.
        traceparent (str | Unset):
        body (TTSRequest): A synthesis request; the same fields serve `/v1/tts`,
            `/v1/tts/stream/with-timestamp` and the
            `/v1/tts/live` start event. Multi-speaker synthesis (S2 family only) takes a list of
            `reference_id`s
            (or one list of `references` per speaker) and `<|speaker:N|>` tags in the text.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File | list[ValidationIssue]]
    """

    kwargs = request_args(
        body=body,
        model=model,
        traceparent=traceparent,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: TTSRequest,
    model: KnownTTSModel | str | Unset = UNSET,
    traceparent: str | Unset = UNSET,
) -> ErrorBody | File | list[ValidationIssue] | None:
    """Synthesize speech from text

     Returns the audio in the requested `format` as a chunked body, streamed as it is generated.
    Reference audio (`references`) needs a MessagePack body: JSON cannot carry raw bytes.
    WAV responses carry placeholder RIFF sizes: trust the byte count, not the header.

    Args:
        model (KnownTTSModel | str | Unset): A TTS model name; models added later pass through as
            plain strings.
        traceparent (str | Unset):
        body (TTSRequest): A synthesis request; the same fields serve `/v1/tts`,
            `/v1/tts/stream/with-timestamp` and the
            `/v1/tts/live` start event. Multi-speaker synthesis (S2 family only) takes a list of
            `reference_id`s
            (or one list of `references` per speaker) and `<|speaker:N|>` tags in the text.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File | list[ValidationIssue]
    """

    return sync_detailed(
        client=client,
        body=body,
        model=model,
        traceparent=traceparent,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TTSRequest,
    model: KnownTTSModel | str | Unset = UNSET,
    traceparent: str | Unset = UNSET,
) -> Response[ErrorBody | File | list[ValidationIssue]]:
    """Synthesize speech from text

     Returns the audio in the requested `format` as a chunked body, streamed as it is generated.
    Reference audio (`references`) needs a MessagePack body: JSON cannot carry raw bytes.
    WAV responses carry placeholder RIFF sizes: trust the byte count, not the header.

    Args:
        model (KnownTTSModel | str | Unset): A TTS model name; models added later pass through as
            plain strings.
        traceparent (str | Unset):
        body (TTSRequest): A synthesis request; the same fields serve `/v1/tts`,
            `/v1/tts/stream/with-timestamp` and the
            `/v1/tts/live` start event. Multi-speaker synthesis (S2 family only) takes a list of
            `reference_id`s
            (or one list of `references` per speaker) and `<|speaker:N|>` tags in the text.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File | list[ValidationIssue]]
    """

    kwargs = request_args(
        body=body,
        model=model,
        traceparent=traceparent,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TTSRequest,
    model: KnownTTSModel | str | Unset = UNSET,
    traceparent: str | Unset = UNSET,
) -> ErrorBody | File | list[ValidationIssue] | None:
    """Synthesize speech from text

     Returns the audio in the requested `format` as a chunked body, streamed as it is generated.
    Reference audio (`references`) needs a MessagePack body: JSON cannot carry raw bytes.
    WAV responses carry placeholder RIFF sizes: trust the byte count, not the header.

    Args:
        model (KnownTTSModel | str | Unset): A TTS model name; models added later pass through as
            plain strings.
        traceparent (str | Unset):
        body (TTSRequest): A synthesis request; the same fields serve `/v1/tts`,
            `/v1/tts/stream/with-timestamp` and the
            `/v1/tts/live` start event. Multi-speaker synthesis (S2 family only) takes a list of
            `reference_id`s
            (or one list of `references` per speaker) and `<|speaker:N|>` tags in the text.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File | list[ValidationIssue]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            model=model,
            traceparent=traceparent,
        )
    ).parsed
