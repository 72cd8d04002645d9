from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.known_tts_model import KnownTTSModel
from ...models.tts_request import TTSRequest
from ...models.validation_issue import ValidationIssue
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TTSRequest,
    model: KnownTTSModel | str | Unset = UNSET,
    traceparent: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(model, Unset):
        headers["model"] = model

    if not isinstance(traceparent, Unset):
        headers["traceparent"] = traceparent

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tts/stream/with-timestamp",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | list[ValidationIssue] | str | None:
    if response.status_code == 200:
        response_200 = response.text
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
) -> Response[ErrorBody | list[ValidationIssue] | str]:
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
) -> Response[ErrorBody | list[ValidationIssue] | str]:
    """Synthesize speech from text, streamed with word timestamps

     A Server-Sent Events stream. Each `message` event carries one base64 audio chunk and the latest
    cumulative alignment snapshot for its `chunk_seq`: concatenate the audio in arrival order and
    replace (do not append) the stored alignment of each `chunk_seq`.

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
        Response[ErrorBody | list[ValidationIssue] | str]
    """

    kwargs = _get_kwargs(
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
) -> ErrorBody | list[ValidationIssue] | str | None:
    """Synthesize speech from text, streamed with word timestamps

     A Server-Sent Events stream. Each `message` event carries one base64 audio chunk and the latest
    cumulative alignment snapshot for its `chunk_seq`: concatenate the audio in arrival order and
    replace (do not append) the stored alignment of each `chunk_seq`.

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
        ErrorBody | list[ValidationIssue] | str
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
) -> Response[ErrorBody | list[ValidationIssue] | str]:
    """Synthesize speech from text, streamed with word timestamps

     A Server-Sent Events stream. Each `message` event carries one base64 audio chunk and the latest
    cumulative alignment snapshot for its `chunk_seq`: concatenate the audio in arrival order and
    replace (do not append) the stored alignment of each `chunk_seq`.

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
        Response[ErrorBody | list[ValidationIssue] | str]
    """

    kwargs = _get_kwargs(
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
) -> ErrorBody | list[ValidationIssue] | str | None:
    """Synthesize speech from text, streamed with word timestamps

     A Server-Sent Events stream. Each `message` event carries one base64 audio chunk and the latest
    cumulative alignment snapshot for its `chunk_seq`: concatenate the audio in arrival order and
    replace (do not append) the stored alignment of each `chunk_seq`.

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
        ErrorBody | list[ValidationIssue] | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            model=model,
            traceparent=traceparent,
        )
    ).parsed
