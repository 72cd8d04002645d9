"""The ``fishaudio`` command: speak text, caption it, manage voices, transcribe, check credit, go live, serve.

Every subcommand is a thin layer over the client (``FishAudio``): the same requests, retries, errors and
atomic output files as the library. Parsing is the standard library's ``argparse``: the command adds no
dependency, and ``fishaudio --help`` loads nothing of a subcommand but its options.
"""

from ._main import main

__all__ = ["main"]
