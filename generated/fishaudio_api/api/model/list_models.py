from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.model_list import ModelList
from ...models.model_sort_by import ModelSortBy
from ...models.validation_issue import ValidationIssue
from ...types import UNSET, Response, Unset


def request_args(
    *,
    page_size: int | Unset = 10,
    page_number: int | Unset = 1,
    title: str | Unset = UNSET,
    tag: list[str] | str | Unset = UNSET,
    self_: bool | Unset = False,
    author_id: str | Unset = UNSET,
    language: list[str] | str | Unset = UNSET,
    title_language: list[str] | str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
) -> dict[str, Any]:
    """This operation's request, as keyword arguments of ``httpx.Client.build_request``; ``url`` is a path."""

    params: dict[str, Any] = {}

    params["page_size"] = page_size

    params["page_number"] = page_number

    params["title"] = title

    json_tag: list[str] | str | Unset
    if isinstance(tag, Unset):
        json_tag = UNSET
    elif isinstance(tag, list):
        json_tag = tag

    else:
        json_tag = tag
    params["tag"] = json_tag

    params["self"] = self_

    params["author_id"] = author_id

    json_language: list[str] | str | Unset
    if isinstance(language, Unset):
        json_language = UNSET
    elif isinstance(language, list):
        json_language = language

    else:
        json_language = language
    params["language"] = json_language

    json_title_language: list[str] | str | Unset
    if isinstance(title_language, Unset):
        json_title_language = UNSET
    elif isinstance(title_language, list):
        json_title_language = title_language

    else:
        json_title_language = title_language
    params["title_language"] = json_title_language

    json_sort_by: str | Unset = UNSET
    if not isinstance(sort_by, Unset):
        json_sort_by = sort_by

    params["sort_by"] = json_sort_by

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/model",
        "params": params,
    }

    return _kwargs


def parse_json(data: Any) -> ModelList:
    """The 200 response body, parsed from its JSON."""
    response_200 = ModelList.from_dict(data)

    return response_200


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ModelList | list[ValidationIssue] | None:
    if response.status_code == 200:
        response_200 = ModelList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

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
) -> Response[ErrorBody | ModelList | list[ValidationIssue]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 10,
    page_number: int | Unset = 1,
    title: str | Unset = UNSET,
    tag: list[str] | str | Unset = UNSET,
    self_: bool | Unset = False,
    author_id: str | Unset = UNSET,
    language: list[str] | str | Unset = UNSET,
    title_language: list[str] | str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
) -> Response[ErrorBody | ModelList | list[ValidationIssue]]:
    """List voice models

     Page-number pagination. Every query is windowed by the server; see `has_more` and `max_offset`.

    Args:
        page_size (int | Unset):  Default: 10.
        page_number (int | Unset):  Default: 1.
        title (str | Unset):
        tag (list[str] | str | Unset): One value, or several.
        self_ (bool | Unset):  Default: False.
        author_id (str | Unset):
        language (list[str] | str | Unset): One value, or several.
        title_language (list[str] | str | Unset): One value, or several.
        sort_by (ModelSortBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ModelList | list[ValidationIssue]]
    """

    kwargs = request_args(
        page_size=page_size,
        page_number=page_number,
        title=title,
        tag=tag,
        self_=self_,
        author_id=author_id,
        language=language,
        title_language=title_language,
        sort_by=sort_by,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 10,
    page_number: int | Unset = 1,
    title: str | Unset = UNSET,
    tag: list[str] | str | Unset = UNSET,
    self_: bool | Unset = False,
    author_id: str | Unset = UNSET,
    language: list[str] | str | Unset = UNSET,
    title_language: list[str] | str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
) -> ErrorBody | ModelList | list[ValidationIssue] | None:
    """List voice models

     Page-number pagination. Every query is windowed by the server; see `has_more` and `max_offset`.

    Args:
        page_size (int | Unset):  Default: 10.
        page_number (int | Unset):  Default: 1.
        title (str | Unset):
        tag (list[str] | str | Unset): One value, or several.
        self_ (bool | Unset):  Default: False.
        author_id (str | Unset):
        language (list[str] | str | Unset): One value, or several.
        title_language (list[str] | str | Unset): One value, or several.
        sort_by (ModelSortBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ModelList | list[ValidationIssue]
    """

    return sync_detailed(
        client=client,
        page_size=page_size,
        page_number=page_number,
        title=title,
        tag=tag,
        self_=self_,
        author_id=author_id,
        language=language,
        title_language=title_language,
        sort_by=sort_by,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 10,
    page_number: int | Unset = 1,
    title: str | Unset = UNSET,
    tag: list[str] | str | Unset = UNSET,
    self_: bool | Unset = False,
    author_id: str | Unset = UNSET,
    language: list[str] | str | Unset = UNSET,
    title_language: list[str] | str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
) -> Response[ErrorBody | ModelList | list[ValidationIssue]]:
    """List voice models

     Page-number pagination. Every query is windowed by the server; see `has_more` and `max_offset`.

    Args:
        page_size (int | Unset):  Default: 10.
        page_number (int | Unset):  Default: 1.
        title (str | Unset):
        tag (list[str] | str | Unset): One value, or several.
        self_ (bool | Unset):  Default: False.
        author_id (str | Unset):
        language (list[str] | str | Unset): One value, or several.
        title_language (list[str] | str | Unset): One value, or several.
        sort_by (ModelSortBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ModelList | list[ValidationIssue]]
    """

    kwargs = request_args(
        page_size=page_size,
        page_number=page_number,
        title=title,
        tag=tag,
        self_=self_,
        author_id=author_id,
        language=language,
        title_language=title_language,
        sort_by=sort_by,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page_size: int | Unset = 10,
    page_number: int | Unset = 1,
    title: str | Unset = UNSET,
    tag: list[str] | str | Unset = UNSET,
    self_: bool | Unset = False,
    author_id: str | Unset = UNSET,
    language: list[str] | str | Unset = UNSET,
    title_language: list[str] | str | Unset = UNSET,
    sort_by: ModelSortBy | Unset = UNSET,
) -> ErrorBody | ModelList | list[ValidationIssue] | None:
    """List voice models

     Page-number pagination. Every query is windowed by the server; see `has_more` and `max_offset`.

    Args:
        page_size (int | Unset):  Default: 10.
        page_number (int | Unset):  Default: 1.
        title (str | Unset):
        tag (list[str] | str | Unset): One value, or several.
        self_ (bool | Unset):  Default: False.
        author_id (str | Unset):
        language (list[str] | str | Unset): One value, or several.
        title_language (list[str] | str | Unset): One value, or several.
        sort_by (ModelSortBy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ModelList | list[ValidationIssue]
    """

    return (
        await asyncio_detailed(
            client=client,
            page_size=page_size,
            page_number=page_number,
            title=title,
            tag=tag,
            self_=self_,
            author_id=author_id,
            language=language,
            title_language=title_language,
            sort_by=sort_by,
        )
    ).parsed
