"""Fixtures for every test folder."""

from __future__ import annotations

import pytest


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    """Run the test once for ``FishAudio`` (``False``) and once for ``AsyncFishAudio`` (``True``)."""
    return bool(request.param)
