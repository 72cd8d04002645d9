"""``voices.list_all``: every matching voice, page by page, never a request past the last page.

pytest-httpx plays the API: besides each test's own checks, it fails a test that sends a request no
response was registered for, or leaves a registered response unrequested. Each test runs for FishAudio
and AsyncFishAudio (``is_async``).
"""

from __future__ import annotations

import math
import re
from typing import Any

import httpx
import pytest
from fishaudio_api.facts import LIST_MODELS_PAGE_SIZE_BOUNDS
from pytest_httpx import HTTPXMock

from fishaudio_ext import ValidationError
from tests.support.samples import VOICE

MODELS = re.compile(r"https://api\.fish\.audio/model(\?.*)?")


def voice(number: int) -> dict[str, Any]:
    return {**VOICE, "_id": f"v{number}", "title": f"Voice {number}"}


class Library:
    """A paged ``GET /model`` over ``count`` voices; ``extra`` is merged into every page."""

    def __init__(self, count: int, **extra: Any) -> None:
        self.count = count
        self.extra = extra
        self.pages: list[int] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        size = int(request.url.params["page_size"])
        number = int(request.url.params["page_number"])
        self.pages.append(number)
        start = (number - 1) * size
        items = [voice(n) for n in range(start, min(start + size, self.count))]
        return httpx.Response(200, json={"total": self.count, "items": items, **self.extra})


async def every(is_async: bool, voices: Any) -> list[str]:
    if is_async:
        return [v.id async for v in voices]
    return [v.id for v in voices]


@pytest.mark.parametrize(("count", "page_size"), [(0, 10), (7, 10), (10, 10), (23, 10), (3, 1)])
async def test_every_voice_once_and_no_request_past_the_end(
    is_async: bool, make_client: Any, httpx_mock: HTTPXMock, count: int, page_size: int
) -> None:
    library = Library(count)
    httpx_mock.add_callback(library, url=MODELS, is_reusable=True)

    ids = await every(is_async, make_client(is_async).voices.list_all(page_size=page_size))

    assert ids == [f"v{n}" for n in range(count)]
    assert library.pages == list(range(1, max(1, math.ceil(count / page_size)) + 1))


async def test_pages_are_as_large_as_the_spec_allows(
    is_async: bool, make_client: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_callback(Library(3), url=MODELS, is_reusable=True)

    await every(is_async, make_client(is_async).voices.list_all())

    (request,) = httpx_mock.get_requests()
    assert request.url.params["page_size"] == str(LIST_MODELS_PAGE_SIZE_BOUNDS.maximum)


async def test_filters_go_with_every_page(is_async: bool, make_client: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_callback(Library(5), url=MODELS, is_reusable=True)

    voices = make_client(is_async).voices.list_all(
        page_size=2, language="en", self_only=True, sort_by="created_at"
    )
    assert len(await every(is_async, voices)) == 5

    for request in httpx_mock.get_requests():
        params = request.url.params
        assert (params["language"], params["self"], params["sort_by"]) == ("en", "true", "created_at")


async def test_the_server_saying_no_more_ends_it(
    is_async: bool, make_client: Any, httpx_mock: HTTPXMock
) -> None:
    # A windowed query: the total counts matches the server will not page through.
    library = Library(50, has_more=False)
    httpx_mock.add_callback(library, url=MODELS, is_reusable=True)

    ids = await every(is_async, make_client(is_async).voices.list_all(page_size=10))

    assert len(ids) == 10
    assert library.pages == [1]


async def test_an_approximate_total_pages_on_until_an_empty_page(
    is_async: bool, make_client: Any, httpx_mock: HTTPXMock
) -> None:
    pages = [
        {"total": 2, "total_is_exact": False, "items": [voice(0), voice(1)]},
        {"total": 2, "total_is_exact": False, "items": [voice(2)]},
        {"total": 3, "total_is_exact": False, "items": []},
    ]
    for page in pages:  # each answers one request, in order
        httpx_mock.add_response(url=MODELS, json=page)

    ids = await every(is_async, make_client(is_async).voices.list_all(page_size=2))

    assert ids == ["v0", "v1", "v2"]
    assert len(httpx_mock.get_requests()) == 3


async def test_max_offset_is_the_deepest_page_asked_for(
    is_async: bool, make_client: Any, httpx_mock: HTTPXMock
) -> None:
    library = Library(100, max_offset=20)
    httpx_mock.add_callback(library, url=MODELS, is_reusable=True)

    await every(is_async, make_client(is_async).voices.list_all(page_size=10))

    assert library.pages == [1, 2, 3]  # offsets 0, 10 and 20


@pytest.mark.parametrize("page_size", [0, LIST_MODELS_PAGE_SIZE_BOUNDS.maximum + 1])  # type: ignore[operator]
async def test_a_page_size_out_of_bounds_is_refused_before_any_request(
    is_async: bool, make_client: Any, httpx_mock: HTTPXMock, page_size: int
) -> None:
    with pytest.raises(ValidationError) as caught:
        make_client(is_async).voices.list_all(page_size=page_size)

    assert caught.value.field == "page_size"
    assert httpx_mock.get_requests() == []


async def test_pages_are_requested_only_as_the_iteration_needs_them(
    is_async: bool, make_client: Any, httpx_mock: HTTPXMock
) -> None:
    library = Library(30)
    httpx_mock.add_callback(library, url=MODELS, is_reusable=True)
    voices = make_client(is_async).voices.list_all(page_size=10)
    assert library.pages == []

    first = await anext(voices) if is_async else next(voices)

    assert first.id == "v0"
    assert library.pages == [1]
