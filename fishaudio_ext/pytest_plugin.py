"""pytest fixtures for testing an application against the local Fish Audio server.

Registered with pytest by entry point; the fixtures (``fish_audio_server``, ``fish_audio_client``,
``async_fish_audio_client``) exist only when ``fishaudio-ext[server]`` is installed, so that pytest keeps
working for everyone who installed the client alone.
"""

from __future__ import annotations

from importlib.util import find_spec

_SERVER_MODULES = ("starlette", "uvicorn", "python_multipart", "av", "jsonschema", "yaml")

if all(find_spec(module) for module in _SERVER_MODULES):
    from fishaudio_ext.server._pytest_plugin import *  # noqa: F403
