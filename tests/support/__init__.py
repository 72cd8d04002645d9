"""Test support shared by every test folder: servers on 127.0.0.1 that script the API or misbehave on
purpose, sample bodies, a stand-in player, the documented examples and running sync/async twins alike.

Import from any test as ``from tests.support.hostile_http import HostileHTTPServer`` (pytest puts the
repository root on ``sys.path``, see ``pythonpath`` in pyproject.toml).
"""
