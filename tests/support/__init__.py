"""Test support shared by every test folder: servers that misbehave on purpose, on 127.0.0.1.

Import from any test as ``from tests.support.hostile_http import HostileHTTPServer`` (pytest puts the
repository root on ``sys.path``, see ``pythonpath`` in pyproject.toml).
"""
