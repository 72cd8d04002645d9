"""``voices.list_all``: every matching voice, page by page, never a request past the last page.

respx plays the API; each test runs for FishAudio and AsyncFishAudio (``is_async``).
"""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest
import respx
from fishaudio_api.facts import LIST_MODELS_PAGE_SIZE_BOUNDS

from fishaudio_ext import ValidationError
from tests.support.samples import VOICE


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
    is_async: bool, make_client: Any, router: respx.MockRouter, count: int, page_size: int
) -> None:
    library = Library(count)
    router.get("/model").mock(side_effect=library)

    ids = await every(is_async, make_client(is_async).voices.list_all(page_size=page_size))

    assert ids == [f"v{n}" for n in range(count)]
    assert library.pages == list(range(1, max(1, math.ceil(count / page_size)) + 1))


async def test_pages_are_as_large_as_the_spec_allows(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    route = router.get("/model").mock(side_effect=Library(3))

    await every(is_async, make_client(is_async).voices.list_all())

    assert route.calls.last.request.url.params["page_size"] == str(LIST_MODELS_PAGE_SIZE_BOUNDS.maximum)


async def test_filters_go_with_every_page(is_async: bool, make_client: Any, router: respx.MockRouter) -> None:
    route = router.get("/model").mock(side_effect=Library(5))

    voices = make_client(is_async).voices.list_all(
        page_size=2, language="en", self_only=True, sort_by="created_at"
    )
    assert len(await every(is_async, voices)) == 5

    for call in route.calls:
        params = call.request.url.params
        assert (params["language"], params["self"], params["sort_by"]) == ("en", "true", "created_at")


async def test_the_server_saying_no_more_ends_it(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    # A windowed query: the total counts matches the server will not page through.
    library = Library(50, has_more=False)
    router.get("/model").mock(side_effect=library)

    ids = await every(is_async, make_client(is_async).voices.list_all(page_size=10))

    assert len(ids) == 10
    assert library.pages == [1]


async def test_an_approximate_total_pages_on_until_an_empty_page(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    pages = [
        {"total": 2, "total_is_exact": False, "items": [voice(0), voice(1)]},
        {"total": 2, "total_is_exact": False, "items": [voice(2)]},
        {"total": 3, "total_is_exact": False, "items": []},
    ]
    route = router.get("/model").mock(side_effect=[httpx.Response(200, json=page) for page in pages])

    ids = await every(is_async, make_client(is_async).voices.list_all(page_size=2))

    assert ids == ["v0", "v1", "v2"]
    assert route.call_count == 3


async def test_max_offset_is_the_deepest_page_asked_for(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    library = Library(100, max_offset=20)
    router.get("/model").mock(side_effect=library)

    await every(is_async, make_client(is_async).voices.list_all(page_size=10))

    assert library.pages == [1, 2, 3]  # offsets 0, 10 and 20


@pytest.mark.parametrize("page_size", [0, LIST_MODELS_PAGE_SIZE_BOUNDS.maximum + 1])  # type: ignore[operator]
async def test_a_page_size_out_of_bounds_is_refused_before_any_request(
    is_async: bool, make_client: Any, router: respx.MockRouter, page_size: int
) -> None:
    route = router.get("/model").mock(side_effect=Library(3))

    with pytest.raises(ValidationError) as caught:
        make_client(is_async).voices.list_all(page_size=page_size)

    assert caught.value.field == "page_size"
    assert route.call_count == 0


async def test_pages_are_requested_only_as_the_iteration_needs_them(
    is_async: bool, make_client: Any, router: respx.MockRouter
) -> None:
    library = Library(30)
    router.get("/model").mock(side_effect=library)
    voices = make_client(is_async).voices.list_all(page_size=10)
    assert library.pages == []

    first = await anext(voices) if is_async else next(voices)

    assert first.id == "v0"
    assert library.pages == [1]
