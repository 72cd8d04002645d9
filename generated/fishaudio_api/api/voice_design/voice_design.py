from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.known_voice_design_model import (
    KnownVoiceDesignModel,
)
from ...models.validation_issue import ValidationIssue
from ...models.voice_design_request import VoiceDesignRequest
from ...models.voice_design_response import VoiceDesignResponse
from ...types import Response


def request_args(
    *,
    body: VoiceDesignRequest,
    model: KnownVoiceDesignModel | str,
) -> dict[str, Any]:
    """This operation's request, as keyword arguments of ``httpx.Client.build_request``; ``url`` is a path."""
    headers: dict[str, Any] = {}
    headers["model"] = model

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/voice-design",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def parse_json(data: Any) -> VoiceDesignResponse:
    """The 200 response body, parsed from its JSON."""
    response_200 = VoiceDesignResponse.from_dict(data)

    return response_200


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | VoiceDesignResponse | list[ValidationIssue] | None:
    if response.status_code == 200:
        response_200 = VoiceDesignResponse.from_dict(response.json())

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
) -> Response[ErrorBody | VoiceDesignResponse | list[ValidationIssue]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VoiceDesignRequest,
    model: KnownVoiceDesignModel | str,
) -> Response[ErrorBody | VoiceDesignResponse | list[ValidationIssue]]:
    """Design voice candidates from a text description

     Billed once per successful request.

    Args:
        model (KnownVoiceDesignModel | str): A voice-design model name; models added later pass
            through as plain strings.
        body (VoiceDesignRequest): What to design; a field the API does not know is refused (422),
            not ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | VoiceDesignResponse | list[ValidationIssue]]
    """

    kwargs = request_args(
        body=body,
        model=model,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: VoiceDesignRequest,
    model: KnownVoiceDesignModel | str,
) -> ErrorBody | VoiceDesignResponse | list[ValidationIssue] | None:
    """Design voice candidates from a text description

     Billed once per successful request.

    Args:
        model (KnownVoiceDesignModel | str): A voice-design model name; models added later pass
            through as plain strings.
        body (VoiceDesignRequest): What to design; a field the API does not know is refused (422),
            not ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | VoiceDesignResponse | list[ValidationIssue]
    """

    return sync_detailed(
        client=client,
        body=body,
        model=model,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VoiceDesignRequest,
    model: KnownVoiceDesignModel | str,
) -> Response[ErrorBody | VoiceDesignResponse | list[ValidationIssue]]:
    """Design voice candidates from a text description

     Billed once per successful request.

    Args:
        model (KnownVoiceDesignModel | str): A voice-design model name; models added later pass
            through as plain strings.
        body (VoiceDesignRequest): What to design; a field the API does not know is refused (422),
            not ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | VoiceDesignResponse | list[ValidationIssue]]
    """

    kwargs = request_args(
        body=body,
        model=model,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: VoiceDesignRequest,
    model: KnownVoiceDesignModel | str,
) -> ErrorBody | VoiceDesignResponse | list[ValidationIssue] | None:
    """Design voice candidates from a text description

     Billed once per successful request.

    Args:
        model (KnownVoiceDesignModel | str): A voice-design model name; models added later pass
            through as plain strings.
        body (VoiceDesignRequest): What to design; a field the API does not know is refused (422),
            not ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | VoiceDesignResponse | list[ValidationIssue]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            model=model,
        )
    ).parsed
