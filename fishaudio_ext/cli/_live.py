"""``fishaudio live``: speak stdin line by line, as it arrives, through one live session."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO

import attrs

from ._context import client_for
from ._inputs import decoded, stdin_bytes
from ._output import Progress, check_destination, check_stdout_for_audio, deliver_audio
from ._parser import Commands, UsageError, add_json_option
from ._synthesis import add_synthesis_options, output_format, synthesis_config, voice_id

if TYPE_CHECKING:
    from .. import LiveSession

EXAMPLES = """examples:
  my-agent | fishaudio live --play
  fishaudio live -o reply.mp3 --voice "My narrator" < lines.txt
"""


def add_command(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "live",
        parents=parents,
        help="speak stdin line by line through one live session",
        description="Read stdin line by line as it arrives and speak each line through one live (WebSocket)"
        " session. The audio goes to -o FILE once stdin ends (complete or not at all), else to stdout as it"
        " arrives when that is not a terminal; --play plays it. On a terminal, type the lines; Ctrl-D ends"
        " them. Ctrl-C stops.",
        epilog=EXAMPLES,
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the whole session's audio here")
    parser.add_argument("--play", action="store_true", help="play the audio as it arrives (ffplay or mpv)")
    add_synthesis_options(parser)
    add_json_option(parser, "print each line's metrics on stdout, one JSON object a line")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    format = output_format(args.output, args.format)
    if format == "wav":
        raise UsageError("live writes one stream of many utterances: use mp3, opus or pcm, not wav")
    config = synthesis_config(args, format)
    to_stdout = args.output is None and not args.play
    if to_stdout:
        check_stdout_for_audio()
    if to_stdout and args.json:
        raise UsageError("--json prints on stdout, which carries the audio: give -o FILE or --play")
    if args.output is not None:
        check_destination("-o", args.output)
    stdin = stdin_bytes()
    with client_for(args) as client:
        reference = None if args.voice is None else voice_id(client, args.voice)
        with client.tts.live(config=config, model=args.model, reference_id=reference) as session:
            session.prewarm()  # the handshake before the first line, not after it
            deliver_audio(_spoken(session, stdin, args), args.output, args.play)
    return 0


def _spoken(session: LiveSession, stdin: BinaryIO, args: argparse.Namespace) -> Iterator[bytes]:
    """The audio of each line of stdin, read as it arrives, in order. Stdin without any text is refused
    once it ends, so that ``-o`` is not left holding an empty file."""
    if stdin.isatty() and not args.quiet:
        sys.stderr.write("Type a line to speak it; Ctrl-D ends.\n")  # one write: the whole line at once
        sys.stderr.flush()
    progress = Progress(args.quiet)
    spoken = 0
    try:
        for number, line in enumerate(iter(stdin.readline, b""), start=1):
            text = decoded(line, f"stdin line {number}").strip()
            if not text:
                continue
            audio = session.speak(text)
            yield from audio
            spoken += 1
            if args.json:
                print(json.dumps({"line": number, "text": text, **attrs.asdict(audio.metrics)}), flush=True)
            progress.show(f"line {number} spoken: {audio.metrics.audio_bytes:,} bytes of audio")
    finally:
        progress.done()
    if not spoken:
        raise UsageError("stdin held no text to speak")
