"""Benchmarks of fishaudio-ext against raw httpx, a bare ``websockets`` client and the official SDK.

Run them all with ``scripts/bench`` (``--quick`` for a smoke run); see :mod:`benchmarks.runner`.
``websocket_libraries.py`` is a separate study of WebSocket libraries, run on its own.
"""
