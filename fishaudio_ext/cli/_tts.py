"""``fishaudio tts``: text to speech into a file, stdout or the speakers, with subtitles; a long text goes
through long-form synthesis (pieces sent concurrently, a checkpoint, a price limit)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..types._tts_config import with_overrides
from ._context import client_for
from ._inputs import read_stdin_text, read_text_file
from ._output import (
    Progress,
    check_destination,
    check_stdout_for_audio,
    deliver_audio,
    print_json,
    write_text,
)
from ._parser import Commands, UsageError, add_json_option, number
from ._synthesis import add_synthesis_options, output_format, synthesis_config, voice_id

if TYPE_CHECKING:
    from .._client import FishAudio
    from ..longform import Progress as JobProgress
    from ..types import TTSConfig

_CAPTIONS: Final = (".srt", ".vtt")
EXAMPLES = """examples:
  fishaudio tts "Hello, world!" -o hello.mp3
  fishaudio tts --file book.txt -o book.wav --checkpoint parts --max-cost 0.5
  echo "Hi there." | fishaudio tts - --voice "My voice" --play
  fishaudio tts "Captions too." -o clip.wav --subtitles clip.srt
"""


def add_command(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "tts",
        parents=parents,
        help="speak text into a file, stdout or the speakers",
        description="Speak text. The audio goes to -o FILE, else to stdout when it is not a terminal.",
        epilog=EXAMPLES,
    )
    parser.add_argument("text", nargs="?", help="the text to speak; - reads it from stdin")
    parser.add_argument("-f", "--file", help="read the text from this file (UTF-8)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the audio here, complete or not at all")
    parser.add_argument("--subtitles", metavar="FILE", help="also write its captions, a .srt or .vtt file")
    parser.add_argument("--play", action="store_true", help="play the audio as it arrives (ffplay or mpv)")
    add_synthesis_options(parser)
    long = parser.add_argument_group("long texts (longer than one chunk_length)")
    long.add_argument(
        "--concurrency", type=number(int, 1, "a whole number, 1 or more"), help="pieces sent at once"
    )
    long.add_argument("--checkpoint", metavar="DIR", help="keep finished pieces here; a rerun sends the rest")
    long.add_argument(
        "--max-cost", type=number(float, 0.0, "USD, 0 or more"), metavar="USD", help="refuse a dearer job"
    )
    long.add_argument("--estimate", action="store_true", help="print the price and exit, sending nothing")
    add_json_option(parser, "with --estimate: print the price as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = _text(args)
    format = output_format(args.output, args.format)
    config = synthesis_config(args, format)
    if args.estimate:
        return _print_estimate(text, args.model, config, args.json)
    if args.json:
        raise UsageError("--json prints the price of --estimate; the audio itself is not JSON")
    if args.output is None and not args.play:
        check_stdout_for_audio()
    if args.subtitles is not None:
        if Path(args.subtitles).suffix.lower() not in _CAPTIONS:
            raise UsageError(f"--subtitles {args.subtitles}: the file must end in .srt or .vtt")
        if _long_options(args):
            raise UsageError("--subtitles takes one request: leave out --concurrency/--checkpoint/--max-cost")
        check_destination("--subtitles", args.subtitles)
    if args.output is not None:
        check_destination("-o", args.output)
    with client_for(args) as client:
        if args.voice is not None:
            config = with_overrides(config, reference_id=voice_id(client, args.voice))
        if args.subtitles is not None:
            _speak_with_subtitles(client, text, config, args)
        elif _long_options(args) or _pieces(text, config) > 1:
            progress = Progress(args.quiet)
            try:
                deliver_audio(_long(client, text, config, args, progress), args.output, args.play)
            finally:
                progress.done()
        else:
            with client.tts.stream(text=text, config=config, model=args.model) as audio:
                deliver_audio(audio, args.output, args.play)
    return 0


def _text(args: argparse.Namespace) -> str:
    if args.file is not None:
        if args.text is not None:
            raise UsageError("give the text or --file, not both")
        return read_text_file("--file", args.file)
    if args.text is None:
        raise UsageError("give the text to speak, --file FILE, or - to read it from stdin")
    return read_stdin_text("echo 'Hello.' | fishaudio tts -") if args.text == "-" else str(args.text)


def _long_options(args: argparse.Namespace) -> bool:
    return args.concurrency is not None or args.checkpoint is not None or args.max_cost is not None


def _pieces(text: str, config: TTSConfig) -> int:
    from ..longform import split_text

    return len(split_text(text, max_chars=config.chunk_length))


def _print_estimate(text: str, model: str, config: TTSConfig, as_json: bool) -> int:
    from ..longform import estimate

    cost = estimate(text, model=model, max_chars=config.chunk_length)
    if as_json:
        print_json({"usd": cost.usd, "utf8_bytes": cost.utf8_bytes, "pieces": cost.pieces, "model": model})
    else:
        price = "price unknown" if cost.usd is None else f"USD {cost.usd:.4f}"
        print(f"{price}: {cost.utf8_bytes:,} bytes in {cost.pieces} piece(s) with model {model}")
    return 0


def _long(
    client: FishAudio, text: str, config: TTSConfig, args: argparse.Namespace, progress: Progress
) -> Iterator[bytes]:
    def report(done: JobProgress) -> None:
        progress.show(
            f"{done.pieces_done}/{done.pieces_total} pieces, {done.chars_done:,}/{done.chars_total:,}"
            f" characters, {done.audio_seconds:.1f} s of audio"
        )

    options: dict[str, Any] = {"checkpoint": args.checkpoint, "max_cost": args.max_cost}
    if args.concurrency is not None:
        options["max_concurrency"] = args.concurrency
    return client.tts.stream_long(text=text, config=config, model=args.model, on_progress=report, **options)


def _speak_with_subtitles(client: FishAudio, text: str, config: TTSConfig, args: argparse.Namespace) -> None:
    from .. import captions

    with client.tts.stream_with_timestamps(text=text, config=config, model=args.model) as events:
        deliver_audio((event.audio for event in events), args.output, args.play)
        timeline = events.timeline
    to_text = captions.to_vtt if args.subtitles.lower().endswith(".vtt") else captions.to_srt
    write_text(to_text(timeline), args.subtitles)
