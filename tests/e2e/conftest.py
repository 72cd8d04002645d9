"""End-to-end tests: the public clients, the official SDK and the documented examples against
``LocalServer`` over loopback, with the project's own pytest plugin (``fish_audio_server``,
``fish_audio_client``, ``async_fish_audio_client``: one server for the session, reset before each test).
"""

from __future__ import annotations

import pytest
from e2e_samples import Samples

from fishaudio_ext import FishAudio
from fishaudio_ext.server import LocalServer


@pytest.fixture(scope="session")
def samples(fish_audio_server_session: LocalServer) -> Samples:
    server = fish_audio_server_session
    with FishAudio(base_url=server.url, api_key=server.api_key) as client:
        return Samples(client)
