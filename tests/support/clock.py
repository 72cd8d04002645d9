"""A clock for the clients' ``clock=`` argument that records the delays it is asked to wait, and never waits:
retry tests then check the backoff without spending it."""

from __future__ import annotations


class FakeClock:
    """Satisfies ``fishaudio_ext``'s ``Clock``; :attr:`delays` lists every wait, in seconds, in order."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
