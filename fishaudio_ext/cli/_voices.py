"""``fishaudio voices``: list, show, clone, change, delete and design voices."""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fishaudio_api.facts import CREATE_MODEL_REQUEST_VOICES_ITEMS as SAMPLES
from fishaudio_api.models.model_sort_by import MODEL_SORT_BY_VALUES
from fishaudio_api.models.visibility import VISIBILITY_VALUES

from ._context import client_for
from ._inputs import read_file
from ._output import Progress, print_json, print_table
from ._parser import Commands, UsageError, add_json_option, number

if TYPE_CHECKING:
    from fishaudio_api.models import ModelEntity

NOT_DONE = 1  # a deletion declined at the prompt


def add_command(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    voices = commands.add_parser(
        "voices",
        parents=parents,
        help="list, show, clone, change, delete or design voices",
        description="Voice models: the library's voices and your own clones.",
    )
    actions = voices.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", parents=parents, help="list voices (every page)")
    listing.add_argument("--title", help="voices whose title contains this")
    listing.add_argument("--tag", action="append", help="voices with this tag (repeatable)")
    listing.add_argument("--language", action="append", help="voices speaking this language (repeatable)")
    listing.add_argument("--author", metavar="ID", help="voices of this author")
    listing.add_argument("--mine", action="store_true", help="only your own voices")
    listing.add_argument("--sort", choices=sorted(MODEL_SORT_BY_VALUES), default="task_count")
    add_json_option(listing)
    listing.set_defaults(run=list_voices)

    show = actions.add_parser("get", parents=parents, help="show one voice")
    show.add_argument("voice_id", metavar="ID")
    add_json_option(show)
    show.set_defaults(run=get_voice)

    create = actions.add_parser("create", parents=parents, help="clone a voice from audio samples")
    create.add_argument("--title", required=True)
    create.add_argument(
        "--sample",
        action="append",
        required=True,
        metavar="FILE",
        help=f"an audio sample (repeatable; {SAMPLES.minimum} to {SAMPLES.maximum})",
    )
    create.add_argument("--text", action="append", help="the transcript of each sample, in their order")
    create.add_argument("--description")
    create.add_argument("--tag", action="append", help="a tag (repeatable)")
    create.add_argument("--visibility", choices=sorted(VISIBILITY_VALUES), default="private")
    add_json_option(create)
    create.set_defaults(run=create_voice)

    update = actions.add_parser("update", parents=parents, help="change a voice's title, description, ...")
    update.add_argument("voice_id", metavar="ID")
    update.add_argument("--title")
    update.add_argument("--description")
    update.add_argument("--visibility", choices=sorted(VISIBILITY_VALUES))
    update.add_argument("--tag", action="append", help="the voice's tags, replacing its own (repeatable)")
    update.set_defaults(run=update_voice)

    delete = actions.add_parser("delete", parents=parents, help="delete a voice (asks first)")
    delete.add_argument("voice_id", metavar="ID")
    delete.add_argument("-y", "--yes", action="store_true", help="do not ask")
    delete.set_defaults(run=delete_voice)

    design = actions.add_parser(
        "design",
        parents=parents,
        help="design candidate voices from a description",
        description="Write candidate voices for a description, DIR/candidate-1.wav and on; keep one with"
        " `fishaudio voices create --title NAME --sample DIR/candidate-1.wav`.",
    )
    design.add_argument("instruction", help='the voice, described ("a warm, low narrator")')
    design.add_argument("-n", type=number(int, 1, "a whole number, 1 or more"), help="how many (default: 2)")
    design.add_argument("-o", "--output", metavar="DIR", default=".", help="where to write them (default .)")
    design.add_argument("--reference-text", help="what the candidates say")
    design.add_argument("--language")
    design.add_argument("--seed", type=int, help="for reproducible candidates")
    design.add_argument("--speed", type=float)
    add_json_option(design)
    design.set_defaults(run=design_voices)


def _row(voice: ModelEntity) -> list[str]:
    languages = voice.languages if isinstance(voice.languages, list) else []
    return [voice.id, voice.title, ",".join(languages), str(voice.visibility), voice.author.nickname]


def list_voices(args: argparse.Namespace) -> int:
    with client_for(args) as client:
        found = list(
            client.voices.list_all(
                title=args.title,
                tags=args.tag,
                language=args.language,
                author_id=args.author,
                self_only=args.mine,
                sort_by=args.sort,
            )
        )
    if args.json:
        print_json([voice.to_dict() for voice in found])
    else:
        print_table(["ID", "TITLE", "LANGUAGES", "VISIBILITY", "AUTHOR"], [_row(voice) for voice in found])
    return 0


def get_voice(args: argparse.Namespace) -> int:
    with client_for(args) as client:
        voice = client.voices.get(args.voice_id)
    if args.json:
        print_json(voice.to_dict())
        return 0
    fields = {
        "id": voice.id,
        "title": voice.title,
        "description": voice.description or "",
        "state": voice.state,
        "visibility": voice.visibility,
        "languages": ", ".join(voice.languages) if isinstance(voice.languages, list) else "",
        "tags": ", ".join(voice.tags),
        "author": voice.author.nickname,
        "created": voice.created_at.isoformat(),
    }
    print_table(["FIELD", "VALUE"], list(fields.items()))
    return 0


def create_voice(args: argparse.Namespace) -> int:
    samples = [read_file("--sample", name) for name in args.sample]
    progress = Progress(args.quiet)
    progress.show(f"uploading {len(samples)} sample(s), {sum(map(len, samples)):,} bytes...")
    try:
        with client_for(args) as client:
            voice = client.voices.create(
                title=args.title,
                voices=samples,
                texts=args.text,
                description=args.description,
                tags=args.tag,
                visibility=args.visibility,
            )
    finally:
        progress.done()
    if args.json:
        print_json(voice.to_dict())
    else:
        print(f"{voice.id}  {voice.title}")
    return 0


def update_voice(args: argparse.Namespace) -> int:
    changes = {
        "title": args.title,
        "description": args.description,
        "visibility": args.visibility,
        "tags": args.tag,
    }
    if all(value is None for value in changes.values()):
        raise UsageError("nothing to change: give --title, --description, --visibility or --tag")
    with client_for(args) as client:
        client.voices.update(args.voice_id, **changes)
    return 0


def delete_voice(args: argparse.Namespace) -> int:
    if not args.yes and sys.stdin is None:
        raise UsageError("stdin is closed, so there is no one to ask: give --yes to delete without asking")
    with client_for(args) as client:
        if not args.yes:
            voice = client.voices.get(args.voice_id)
            print(f"Delete voice {voice.id} ({voice.title})? [y/N] ", end="", file=sys.stderr, flush=True)
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                print("Not deleted.", file=sys.stderr)
                return NOT_DONE
        client.voices.delete(args.voice_id)
    return 0


def design_voices(args: argparse.Namespace) -> int:
    directory, where = Path(args.output), f"-o {args.output}"
    # Before the request, so that a directory that cannot be made does not cost a design; made after
    # it, so that a refused request leaves none behind.
    existing = next(path for path in (directory, *directory.parents) if path.exists())
    if not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"Not a directory: {existing}", where)
    with client_for(args) as client:
        candidates = client.voices.design(
            instruction=args.instruction,
            n=args.n,
            reference_text=args.reference_text,
            language=args.language,
            seed=args.seed,
            speed=args.speed,
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise type(error)(error.errno, error.strerror, where) from None
    paths = [directory / f"candidate-{index}.wav" for index in range(1, len(candidates) + 1)]
    for candidate, path in zip(candidates, paths, strict=True):
        candidate.save(path)
    if args.json:
        print_json(
            [
                {
                    "file": str(path),
                    "id": c.id,
                    "text": c.text,
                    "duration_ms": c.duration_ms,
                    "language": c.language,
                }
                for c, path in zip(candidates, paths, strict=True)
            ]
        )
    else:
        rows = [
            [path, f"{c.duration_ms / 1000:.1f}", c.text or ""]
            for c, path in zip(candidates, paths, strict=True)
        ]
        print_table(["FILE", "SECONDS", "TEXT"], rows)
    return 0
