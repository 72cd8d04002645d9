"""An autouse fixture for local-server tests whose sessions must log no warning and no error.

Import it into a test module (``from tests.support.server_log import quiet_server_log``) to apply it there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def quiet_server_log() -> Iterator[None]:
    """Nothing a session does, not even a client vanishing mid-stream, may log a warning or an error."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "asyncio")]
    for logger in loggers:
        logger.addHandler(handler)
    yield
    for logger in loggers:
        logger.removeHandler(handler)
    assert [record.getMessage() for record in handler.records] == []
