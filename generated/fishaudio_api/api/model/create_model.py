from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_model_request import CreateModelRequest
from ...models.error_body import ErrorBody
from ...models.model_entity import ModelEntity
from ...models.validation_issue import ValidationIssue
from ...types import Response


def request_args(
    *,
    body: CreateModelRequest,
) -> dict[str, Any]:
    """This operation's request, as keyword arguments of ``httpx.Client.build_request``; ``url`` is a path."""
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/model",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def parse_json(data: Any) -> ModelEntity:
    """The 201 response body, parsed from its JSON."""
    response_201 = ModelEntity.from_dict(data)

    return response_201


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ModelEntity | list[ValidationIssue] | None:
    if response.status_code == 201:
        response_201 = ModelEntity.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

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
) -> Response[ErrorBody | ModelEntity | list[ValidationIssue]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateModelRequest,
) -> Response[ErrorBody | ModelEntity | list[ValidationIssue]]:
    """Create a voice model (instant voice clone)

     Files (`voices`, `cover_image`) need multipart/form-data or MessagePack. With `train_mode: fast`
    the model is usable as soon as it is created.

    Args:
        body (CreateModelRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ModelEntity | list[ValidationIssue]]
    """

    kwargs = request_args(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateModelRequest,
) -> ErrorBody | ModelEntity | list[ValidationIssue] | None:
    """Create a voice model (instant voice clone)

     Files (`voices`, `cover_image`) need multipart/form-data or MessagePack. With `train_mode: fast`
    the model is usable as soon as it is created.

    Args:
        body (CreateModelRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ModelEntity | list[ValidationIssue]
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateModelRequest,
) -> Response[ErrorBody | ModelEntity | list[ValidationIssue]]:
    """Create a voice model (instant voice clone)

     Files (`voices`, `cover_image`) need multipart/form-data or MessagePack. With `train_mode: fast`
    the model is usable as soon as it is created.

    Args:
        body (CreateModelRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ModelEntity | list[ValidationIssue]]
    """

    kwargs = request_args(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateModelRequest,
) -> ErrorBody | ModelEntity | list[ValidationIssue] | None:
    """Create a voice model (instant voice clone)

     Files (`voices`, `cover_image`) need multipart/form-data or MessagePack. With `train_mode: fast`
    the model is usable as soon as it is created.

    Args:
        body (CreateModelRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ModelEntity | list[ValidationIssue]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
