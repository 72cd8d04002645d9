"""A local, Fish Audio-compatible API server, so applications and tests run offline (like moto for AWS).

It serves every operation of the spec on 127.0.0.1 with real audio (speech-like, in the requested format),
state in SQLite, the per-key concurrency limit, credit and 402s, validation errors in the API's own shape,
and fault injection. Install it with ``pip install 'fishaudio-ext[server]'``.

In-process::

    from fishaudio_ext import FishAudio
    from fishaudio_ext.server import LocalServer

    with LocalServer() as server:
        client = FishAudio(base_url=server.url, api_key=server.api_key)
        audio = client.tts.convert(text="Hello!", reference_id="bf322df2096a46f18c579d0baa36f41d")
        server.faults.fail(503, times=1)  # the next request gets a 503

From a shell: ``fishaudio serve --port 8080 --key test-key``. In pytest: the ``fish_audio_server``,
``fish_audio_client`` and ``async_fish_audio_client`` fixtures.

The names below are loaded on first use, so that the ``fishaudio`` command (``_cli``) starts, and can say
what is missing, on an installation without the ``[server]`` extra.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

from ..exceptions import DependencyError

if TYPE_CHECKING:
    from ._conformance import assert_conforms
    from ._espeak import EngineUnavailable
    from ._faults import Failure, Fault, Faults
    from ._local import LocalServer
    from ._pacing import Pacing

__all__ = ["EngineUnavailable", "Failure", "Fault", "Faults", "LocalServer", "Pacing", "assert_conforms"]

_HOMES: Final = {
    "EngineUnavailable": "._espeak",
    "Failure": "._faults",
    "Fault": "._faults",
    "Faults": "._faults",
    "LocalServer": "._local",
    "Pacing": "._pacing",
    "assert_conforms": "._conformance",
}


def require_dependencies() -> None:
    """Raise :class:`DependencyError`, naming the install command, if a server dependency is missing."""
    try:
        import av  # noqa: F401
        import jsonschema  # noqa: F401
        import python_multipart  # noqa: F401 (Starlette needs it to parse uploads)
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
        import yaml  # noqa: F401
    except ImportError as exc:
        missing = exc.name or "a dependency of the local server"
        raise DependencyError(missing, "run `pip install 'fishaudio-ext[server]'`") from exc


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    require_dependencies()
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value
