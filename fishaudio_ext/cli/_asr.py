"""``fishaudio asr``: speech to text, as plain text, captions or JSON."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ._context import client_for
from ._inputs import read_file
from ._output import print_json
from ._parser import Commands


def add_command(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "asr",
        parents=parents,
        help="transcribe an audio file",
        description="Transcribe an audio file (MP3, WAV, M4A, OGG, FLAC or AAC) and print its text.",
    )
    parser.add_argument("file", help="the audio file")
    parser.add_argument("--language", help="a hint such as en (default: detected)")
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--srt", action="store_true", help="print SubRip captions")
    shape.add_argument("--vtt", action="store_true", help="print WebVTT captions")
    shape.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .. import captions

    audio = read_file(None, args.file)
    with client_for(args) as client:
        result = client.asr.transcribe(audio=audio, language=args.language)
    if args.json:
        print_json(result.to_dict())
    elif args.srt:
        print(captions.to_srt(result), end="")
    elif args.vtt:
        print(captions.to_vtt(result), end="")
    else:
        print(result.text)
    return 0
