"""What every command shares: the client made from the global options, and the log they turn on."""

from __future__ import annotations

import argparse
import os

from .._client import FishAudio
from .._logging import ENVIRONMENT_VARIABLE, log, setup_logging


def client_for(args: argparse.Namespace) -> FishAudio:
    """The client of ``--api-key`` and ``--base-url``, else of the environment (as ``FishAudio()`` reads)."""
    return FishAudio(api_key=args.api_key, base_url=args.base_url)


def turn_on_log(verbose: int) -> None:
    """``-v``: the ``FISH_LOG=info`` lines on stderr, ``-vv`` the ``debug`` ones; a ``FISH_LOG`` already set
    in the environment has turned them on at import and is kept."""
    if verbose and not log.handlers:
        os.environ[ENVIRONMENT_VARIABLE] = "debug" if verbose > 1 else "info"
        setup_logging()
