from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.package_entity import PackageEntity
from ...models.validation_issue import ValidationIssue
from ...types import Response


def request_args(
    user_id: str = "self",
) -> dict[str, Any]:
    """This operation's request, as keyword arguments of ``httpx.Client.build_request``; ``url`` is a path."""

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/wallet/{user_id}/package".format(
            user_id=quote(str(user_id), safe=""),
        ),
    }

    return _kwargs


def parse_json(data: Any) -> PackageEntity:
    """The 200 response body, parsed from its JSON."""
    response_200 = PackageEntity.from_dict(data)

    return response_200


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | PackageEntity | list[ValidationIssue] | None:
    if response.status_code == 200:
        response_200 = PackageEntity.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

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
) -> Response[ErrorBody | PackageEntity | list[ValidationIssue]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: str = "self",
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorBody | PackageEntity | list[ValidationIssue]]:
    """Get the active package

    Args:
        user_id (str):  Default: 'self'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PackageEntity | list[ValidationIssue]]
    """

    kwargs = request_args(
        user_id=user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str = "self",
    *,
    client: AuthenticatedClient | Client,
) -> ErrorBody | PackageEntity | list[ValidationIssue] | None:
    """Get the active package

    Args:
        user_id (str):  Default: 'self'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PackageEntity | list[ValidationIssue]
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    user_id: str = "self",
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorBody | PackageEntity | list[ValidationIssue]]:
    """Get the active package

    Args:
        user_id (str):  Default: 'self'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PackageEntity | list[ValidationIssue]]
    """

    kwargs = request_args(
        user_id=user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str = "self",
    *,
    client: AuthenticatedClient | Client,
) -> ErrorBody | PackageEntity | list[ValidationIssue] | None:
    """Get the active package

    Args:
        user_id (str):  Default: 'self'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PackageEntity | list[ValidationIssue]
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
        )
    ).parsed
