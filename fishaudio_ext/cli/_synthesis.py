"""The synthesis options ``tts`` and ``live`` share, and the ``TTSConfig`` they make.

Values are checked where the library checks them (``TTSConfig``, ``Prosody``): a bad ``--speed`` fails
with the same ``ValidationError`` as ``TTSConfig(prosody=Prosody(speed=...))`` would.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
from fishaudio_api.models.audio_format import AUDIO_FORMAT_VALUES, AudioFormat
from fishaudio_api.models.latency_mode import LATENCY_MODE_VALUES

from ..exceptions import ValidationError
from ..types import Prosody, TTSConfig
from ..types._model import DEFAULT_MODEL
from ..types._tts_config import with_overrides
from ._inputs import read_text_file
from ._parser import UsageError

if TYPE_CHECKING:
    from .._client import FishAudio

FORMATS: Final = sorted(AUDIO_FORMAT_VALUES)
_EXTENSIONS: Final[dict[str, AudioFormat]] = {**{f".{name}": name for name in FORMATS}, ".ogg": "opus"}
# A voice id is 32 hexadecimal digits; anything else given to --voice is the title of one of your voices.
_VOICE_ID: Final = re.compile(r"[0-9a-f]{32}")


def add_synthesis_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("voice and audio")
    group.add_argument("--voice", help="a voice id, or the title of one of your own voices")
    group.add_argument("--model", default=DEFAULT_MODEL, help="the TTS model (default %(default)s)")
    group.add_argument(
        "--format", choices=FORMATS, help="audio format (default: from -o's extension, else mp3)"
    )
    group.add_argument("--speed", type=float, help="speaking rate, 0.5 to 2.0")
    group.add_argument("--volume", type=float, help="volume change in dB, -20 to 20")
    group.add_argument("--latency", choices=sorted(LATENCY_MODE_VALUES), help="latency against quality")
    group.add_argument("--sample-rate", type=int, metavar="HZ", help="sample rate (default: the format's)")
    group.add_argument(
        "--bitrate", type=int, help="mp3: 64, 128 or 192 kbps; opus: 24, 32, 48 or 64 kbps (or bps)"
    )
    group.add_argument(
        "--config",
        metavar="FILE",
        help="a TOML or JSON file of TTSConfig settings (temperature, prosody = {speed = 1.2}, ...);"
        " the options here override it",
    )


def output_format(output: str | None, format: AudioFormat | None) -> AudioFormat | None:
    """The audio format: ``--format``, else the one ``-o``'s extension names (None: neither says). An
    extension naming another format than ``--format`` is refused rather than written under a wrong name."""
    if output is None:
        return format
    suffix = Path(output).suffix.lower()
    named = _EXTENSIONS.get(suffix)
    if format is None and named is None:
        known = ", ".join(sorted(_EXTENSIONS))
        raise UsageError(f"-o {output}: cannot tell the format from the extension ({known}); give --format")
    if format is not None and named not in (None, format):
        raise UsageError(f"-o {output} names {named} audio, not --format {format}: make them agree")
    return format or named


def load_config(filename: str) -> TTSConfig:
    """The ``TTSConfig`` of a TOML (``.toml``) or JSON (``.json``) file of its settings, by their Python
    names; any flaw is a UsageError naming the file and the setting."""
    source = f"--config {filename}"
    kind = Path(filename).suffix.lower()
    if kind not in (".toml", ".json"):
        raise UsageError(f"{source}: give a .toml or .json file of TTSConfig settings")
    text = read_text_file("--config", filename)
    try:
        settings: Any = _toml(text) if kind == ".toml" else json.loads(text)
    except ValueError as error:  # json.JSONDecodeError and tomllib.TOMLDecodeError are ValueErrors
        raise UsageError(f"{source}: not valid {kind[1:]}: {error}") from None
    if not isinstance(settings, dict):
        raise UsageError(f"{source}: expected a table of TTSConfig settings")
    _known_only(settings, TTSConfig, source)
    try:
        if isinstance(settings.get("prosody"), dict):
            _known_only(settings["prosody"], Prosody, f"{source}: prosody")
            settings["prosody"] = Prosody(**settings["prosody"])
        return TTSConfig(**settings)
    except ValidationError as error:  # the setting's name, value and allowed range
        raise UsageError(f"{source}: {error}") from None


def _known_only(settings: dict[str, Any], kind: type[Any], source: str) -> None:
    known = sorted(field.alias for field in attrs.fields(kind) if field.init)
    unknown = sorted(name for name in settings if name not in known)
    if unknown:
        raise UsageError(f"{source}: unknown setting {unknown[0]!r}; {kind.__name__} has {', '.join(known)}")


def _toml(text: str) -> Any:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        raise UsageError("--config: TOML needs Python 3.11 or later; use a JSON file") from None
    return tomllib.loads(text)


def synthesis_config(args: argparse.Namespace, format: AudioFormat | None) -> TTSConfig:
    """``--config`` with the options given on the command line applied; ``format`` is the one chosen
    for the output (None: the config's)."""
    config = load_config(args.config) if args.config else TTSConfig()
    overrides: dict[str, Any] = {}
    if args.volume is not None:
        base = config.prosody
        overrides["prosody"] = (
            Prosody(volume=args.volume) if base is None else attrs.evolve(base, volume=args.volume)
        )
    if args.sample_rate is not None:
        overrides["sample_rate"] = args.sample_rate
    chosen = format or config.format
    if args.bitrate is not None:
        if chosen not in ("mp3", "opus"):
            raise UsageError(f"--bitrate applies to mp3 and opus, not {chosen}")
        overrides[f"{chosen}_bitrate"] = args.bitrate
    return with_overrides(config, format=format, latency=args.latency, speed=args.speed, **overrides)


def voice_id(client: FishAudio, voice: str) -> str:
    """The id ``--voice`` names: the id itself, or the one voice of yours with that title (any case)."""
    if _VOICE_ID.fullmatch(voice):
        return voice
    wanted = voice.casefold()
    found = [v for v in client.voices.list_all(title=voice, self_only=True) if v.title.casefold() == wanted]
    if len(found) == 1:
        return found[0].id
    if not found:
        raise UsageError(f"--voice {voice!r}: no voice of yours has that title (give its id instead)")
    ids = ", ".join(v.id for v in found)
    raise UsageError(f"--voice {voice!r}: {len(found)} of your voices have that title ({ids}); give the id")
