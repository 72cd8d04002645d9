"""Test support shared by every test folder and by the benchmarks: servers on 127.0.0.1 that script the API
(``loopback_api``, ``live_server``), misbehave on purpose (``hostile_http``, ``hostile_ws``) or only answer
as fast as they can (``minimal_api``, for the benchmarks), sample bodies, a stand-in player, a clock that
never waits, the documented examples, the repository's scripts as modules, and running sync/async twins
alike (``calls``, ``live_calls``, with the ``is_async`` fixture of tests/conftest.py). The product's own
server, ``fishaudio_ext.server.LocalServer``, is the one the end-to-end tests use.

Import from any test as ``from tests.support.hostile_http import HostileHTTPServer`` (pytest puts the
repository root on ``sys.path``, see ``pythonpath`` in pyproject.toml).
"""
