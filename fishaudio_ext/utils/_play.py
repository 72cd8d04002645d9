"""Play audio: streamed into ffplay or mpv as it arrives, else with sounddevice, or in a notebook."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterable, Callable, Iterable
from typing import IO, overload

import attrs

from .._background import run_in_background
from ..exceptions import DependencyError, PlaybackError, ValidationError
from ._play_help import diagnose_import, no_player_hint, player_program_hint
from ._save import AudioBytes, audio_chunks

# Both read encoded audio (mp3, wav, opus...) on stdin and start playing before the input ends.
_PLAYER_ARGS = {
    "ffplay": ("-autoexit", "-nodisp", "-loglevel", "error", "-i", "-"),
    "mpv": ("--no-cache", "--no-terminal", "--", "fd://0"),
}
_STDERR_TAIL_BYTES = 500


@attrs.frozen
class _ExternalPlayer:
    """A player program fed through its stdin, so playback starts with the first chunk."""

    name: str
    command: tuple[str, ...]

    def play(self, chunks: Iterable[bytes]) -> None:
        with tempfile.TemporaryFile() as stderr:
            # stderr goes to a file rather than a pipe: a chatty player can then never block on a full pipe
            # while we block writing its stdin.
            with subprocess.Popen(
                self.command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=stderr
            ) as process:
                assert process.stdin is not None  # always true with stdin=PIPE; tells the type checker
                try:
                    delivered = _feed(process.stdin, chunks)
                except BaseException:
                    process.kill()  # the caller's stream failed: stop the half-played audio too
                    raise
            _check_exit(self.name, process.returncode, delivered, stderr)

    async def play_async(self, chunks: AsyncIterable[bytes]) -> None:
        with tempfile.TemporaryFile() as stderr:
            process = await asyncio.create_subprocess_exec(
                *self.command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=stderr
            )
            assert process.stdin is not None  # always true with stdin=PIPE; tells the type checker
            try:
                delivered = await _feed_async(process.stdin, chunks)
            except BaseException:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
                raise
            _check_exit(self.name, await process.wait(), delivered, stderr)


def _feed(stdin: IO[bytes], chunks: Iterable[bytes]) -> bool:
    """Write each chunk as soon as it arrives; return False if the player stopped reading first."""
    delivered = True
    for chunk in chunks:
        try:
            stdin.write(chunk)
            stdin.flush()  # the player must get this chunk now, not when a buffer fills up
        except BrokenPipeError:
            delivered = False
            break
    with contextlib.suppress(BrokenPipeError):
        stdin.close()  # after a broken pipe this drops what is still buffered, yet closes the pipe
    return delivered


async def _feed_async(stdin: asyncio.StreamWriter, chunks: AsyncIterable[bytes]) -> bool:
    """Write each chunk as soon as it arrives; return False if the player stopped reading first."""
    delivered = True
    async for chunk in chunks:
        try:
            stdin.write(chunk)
            await stdin.drain()
        except ConnectionError:  # BrokenPipeError or ConnectionResetError, depending on when it broke
            delivered = False
            break
    stdin.close()
    with contextlib.suppress(ConnectionError):
        await stdin.wait_closed()
    return delivered


def _check_exit(name: str, returncode: int, delivered: bool, stderr: IO[bytes]) -> None:
    if returncode == 0 and delivered:
        return
    stderr.seek(max(0, stderr.seek(0, os.SEEK_END) - _STDERR_TAIL_BYTES))
    tail = " ".join(stderr.read().decode("utf-8", "replace").split())
    if returncode != 0:
        raise PlaybackError(
            f"{name} exited with status {returncode}", player=name, returncode=returncode, stderr=tail
        )
    raise PlaybackError(
        f"{name} stopped reading before all audio was played", player=name, returncode=0, stderr=tail
    )


@attrs.frozen
class _ClipPlayer:
    """A player that needs the whole clip before it starts."""

    play_clip: Callable[[bytes], None]
    blocking: bool  # whether play_clip only returns when playback ends

    def play(self, chunks: Iterable[bytes]) -> None:
        self.play_clip(b"".join(chunks))

    async def play_async(self, chunks: AsyncIterable[bytes]) -> None:
        clip = b"".join([chunk async for chunk in chunks])
        if self.blocking:
            await asyncio.to_thread(self.play_clip, clip)
        else:
            self.play_clip(clip)


def _notebook_player() -> _ClipPlayer:
    try:
        display = importlib.import_module("IPython.display")
    except ImportError as exc:
        raise DependencyError("IPython", "run `pip install ipython`") from exc
    return _ClipPlayer(lambda clip: display.display(display.Audio(data=clip, autoplay=True)), blocking=False)


def _sounddevice_player(*, no_program: bool) -> _ClipPlayer:
    """sounddevice and soundfile, or a DependencyError naming what is missing (``no_program``: neither
    ffplay nor mpv was found either, so the message offers those too)."""
    modules = []
    for name in ("sounddevice", "soundfile"):
        try:
            modules.append(importlib.import_module(name))
        except (ImportError, OSError) as exc:  # OSError: the module's C library could not be loaded
            missing = diagnose_import(name, exc)
            if no_program:
                raise DependencyError("An audio player", no_player_hint(missing)) from exc
            raise DependencyError(missing.dependency, missing.hint) from exc
    sounddevice, soundfile = modules

    def play_clip(clip: bytes) -> None:
        samples, sample_rate = soundfile.read(io.BytesIO(clip))
        sounddevice.play(samples, sample_rate)
        sounddevice.wait()

    return _ClipPlayer(play_clip, blocking=True)


def _named_player(player: str) -> _ExternalPlayer:
    name = os.path.splitext(os.path.basename(player))[0].lower()  # "/opt/bin/ffplay.exe" -> "ffplay"
    if name not in _PLAYER_ARGS:
        raise ValidationError(
            f"player must be 'ffplay' or 'mpv' (or a path to one), not {player!r}",
            field="player",
            value=player,
            allowed="'ffplay' or 'mpv'",
        )
    path = shutil.which(player)
    if path is None:
        raise DependencyError(player, player_program_hint(name))
    return _ExternalPlayer(name, (path, *_PLAYER_ARGS[name]))


def _choose_player(notebook: bool, use_ffmpeg: bool, player: str | None) -> _ExternalPlayer | _ClipPlayer:
    if notebook:
        return _notebook_player()
    if player is not None:
        return _named_player(player)
    if not use_ffmpeg:
        return _sounddevice_player(no_program=False)
    for name in _PLAYER_ARGS:
        path = shutil.which(name)
        if path is not None:
            return _ExternalPlayer(name, (path, *_PLAYER_ARGS[name]))
    return _sounddevice_player(no_program=True)


@overload
def play(
    audio: AudioBytes | Iterable[bytes],
    *,
    notebook: bool = False,
    use_ffmpeg: bool = True,
    player: str | None = None,
) -> None: ...
@overload
def play(
    audio: AsyncIterable[bytes], *, notebook: bool = False, use_ffmpeg: bool = True, player: str | None = None
) -> asyncio.Task[None]: ...
def play(
    audio: AudioBytes | Iterable[bytes] | AsyncIterable[bytes],
    *,
    notebook: bool = False,
    use_ffmpeg: bool = True,
    player: str | None = None,
) -> asyncio.Task[None] | None:
    """Play audio, starting with the first chunk when a player program is available.

    ``audio`` is bytes, an iterable of bytes chunks, or an async iterable of them. For the last one
    ``play`` starts playing in an ``asyncio.Task`` and returns it: ``await play(stream)`` waits for the
    end; not awaited, playback still goes on to the end, even after ``asyncio.run``'s main coroutine has
    returned (cancel the task to stop it). Called where no event loop runs, it plays everything before
    returning.

    The audio goes to ``ffplay`` or else ``mpv`` (found on PATH), chunk by chunk as it arrives. Without
    either, or with ``use_ffmpeg=False``, it is decoded and played with sounddevice and soundfile
    (``pip install 'fishaudio-ext[playback]'``), which wait for the whole clip. ``player="mpv"`` (or a
    path to ffplay or mpv) picks the program; ``notebook=True`` shows an audio widget in Jupyter.

    Raises:
        DependencyError: no way to play audio is installed; the message says what is missing (ffplay or
            mpv, the sounddevice or soundfile package, or the PortAudio or libsndfile library they load)
            and the command that installs it on Debian/Ubuntu, Fedora, macOS and Windows.
        PlaybackError: the player failed, or stopped reading before the audio ended.
        TypeError: ``audio`` is a str or not audio at all.
    """
    chunks = audio_chunks(audio)
    # Chosen before reading any audio, so that a missing player does not use up the caller's stream.
    backend = _choose_player(notebook, use_ffmpeg, player)
    if isinstance(chunks, Iterable):
        backend.play(chunks)
        return None
    return run_in_background(backend.play_async(chunks), "fishaudio_ext.play")
