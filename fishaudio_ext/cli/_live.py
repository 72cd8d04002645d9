"""``fishaudio live``: speak stdin line by line through one live session (built on ``client.tts.live``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ._parser import Commands


def add_command(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Nothing yet: added once the live session is available."""
