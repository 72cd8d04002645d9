"""End-to-end tests: the public clients, the official SDK and the documented examples against
``LocalServer`` over loopback, with the project's own pytest plugin (``fish_audio_server``,
``fish_audio_client``, ``async_fish_audio_client``: one server for the session, reset before each test).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from e2e_samples import Samples

from fishaudio_ext import FishAudio
from fishaudio_ext.server import LocalServer

# The documented examples are extracted and run by machinery of the integration tests: import it there
# (test_seed_examples_local.py) instead of keeping a copy.
INTEGRATION_TESTS = Path(__file__).resolve().parents[1] / "integration"
if str(INTEGRATION_TESTS) not in sys.path:
    sys.path.append(str(INTEGRATION_TESTS))


@pytest.fixture(scope="session")
def samples(fish_audio_server_session: LocalServer) -> Samples:
    server = fish_audio_server_session
    with FishAudio(base_url=server.url, api_key=server.api_key) as client:
        return Samples(client)
