"""play() names what is really missing (a program, a package, or the C library a package loads) and how
to install it on each system. The import failures are the ones the real packages raise: sounddevice and
soundfile raise OSError when their library cannot be loaded, ImportError when they or a dependency are
absent."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

from fishaudio_ext.exceptions import DependencyError
from fishaudio_ext.utils import play

SYSTEMS = ("Debian/Ubuntu: ", "Fedora: ", "macOS: ", "Windows: ")
PORTAUDIO_COMMANDS = (
    "sudo apt install libportaudio2",
    "sudo dnf install portaudio",
    "brew install portaudio",
)


class _FailingImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Makes ``import <name>`` run and fail with ``error``, as a package failing in its own code does."""

    def __init__(self, name: str, error: Callable[[], Exception]) -> None:
        self.name = name
        self.error = error

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        return importlib.machinery.ModuleSpec(fullname, self) if fullname == self.name else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        raise self.error()


@pytest.fixture
def no_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither ffplay nor mpv on PATH."""
    monkeypatch.setenv("PATH", str(tmp_path))


@pytest.fixture
def importing(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Callable[[], Exception]], None]:
    """``importing("sounddevice", lambda: OSError(...))``: that import now fails like that."""

    def fail(name: str, error: Callable[[], Exception]) -> None:
        monkeypatch.delitem(sys.modules, name, raising=False)
        monkeypatch.setattr(sys, "meta_path", [_FailingImport(name, error), *sys.meta_path])

    return fail


def _fine(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setitem(sys.modules, name, types.ModuleType(name))


def portaudio_missing() -> OSError:
    return OSError("PortAudio library not found")  # sounddevice's own words


@pytest.mark.usefixtures("no_program")
def test_portaudio_missing_is_named_with_the_command_for_each_system(
    importing: Callable[[str, Callable[[], Exception]], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    importing("sounddevice", portaudio_missing)
    _fine(monkeypatch, "soundfile")

    with pytest.raises(DependencyError) as caught:
        play(b"x", use_ffmpeg=False)

    error = caught.value
    assert error.dependency == "The PortAudio library (used by sounddevice)"
    message = str(error)
    assert (
        "sounddevice is installed but cannot load the PortAudio library (PortAudio library not found)"
        in message
    )
    assert all(f"`{command}`" in message for command in PORTAUDIO_COMMANDS)
    assert all(system in message for system in SYSTEMS)
    assert "fishaudio-ext[playback]" not in message  # installing the extra again would not help
    assert isinstance(error.__cause__, OSError)


@pytest.mark.usefixtures("no_program")
async def test_portaudio_missing_async(
    importing: Callable[[str, Callable[[], Exception]], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    importing("sounddevice", portaudio_missing)
    _fine(monkeypatch, "soundfile")

    async def audio() -> AsyncIterator[bytes]:
        yield b"x"

    with pytest.raises(DependencyError) as caught:
        await play(audio(), use_ffmpeg=False)
    assert "brew install portaudio" in str(caught.value)


@pytest.mark.usefixtures("no_program")
def test_with_no_player_program_either_every_way_out_is_offered(
    importing: Callable[[str, Callable[[], Exception]], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    importing("sounddevice", portaudio_missing)
    _fine(monkeypatch, "soundfile")

    with pytest.raises(DependencyError) as caught:
        play(b"x")

    message = str(caught.value)
    assert (
        "neither ffplay nor mpv is on PATH, and sounddevice is installed but cannot load the PortAudio"
        in message
    )
    for command in ("sudo apt install ffmpeg", "brew install ffmpeg", "winget install Gyan.FFmpeg"):
        assert f"`{command}`" in message
    for command in ("sudo apt install mpv", "brew install mpv", "choco install mpv", *PORTAUDIO_COMMANDS):
        assert f"`{command}`" in message


@pytest.mark.usefixtures("no_program")
def test_libsndfile_missing_is_named(
    importing: Callable[[str, Callable[[], Exception]], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fine(monkeypatch, "sounddevice")
    importing("soundfile", lambda: OSError("sndfile library not found using ctypes.util.find_library"))

    with pytest.raises(DependencyError) as caught:
        play(b"x", use_ffmpeg=False)

    assert caught.value.dependency == "The libsndfile library (used by soundfile)"
    assert "`sudo apt install libsndfile1`" in str(caught.value)
    assert "`brew install libsndfile`" in str(caught.value)


@pytest.mark.usefixtures("no_program")
def test_a_package_that_is_not_installed_asks_for_the_extra(
    importing: Callable[[str, Callable[[], Exception]], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    importing("sounddevice", lambda: ModuleNotFoundError("No module named 'sounddevice'", name="sounddevice"))

    with pytest.raises(DependencyError) as caught:
        play(b"x", use_ffmpeg=False)

    assert caught.value.dependency == "sounddevice"
    assert caught.value.install_hint == "run `pip install 'fishaudio-ext[playback]'`"


@pytest.mark.usefixtures("no_program")
def test_a_broken_install_says_which_import_failed(
    importing: Callable[[str, Callable[[], Exception]], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fine(monkeypatch, "sounddevice")
    importing("soundfile", lambda: ModuleNotFoundError("No module named 'numpy'", name="numpy"))

    with pytest.raises(DependencyError) as caught:
        play(b"x", use_ffmpeg=False)

    message = str(caught.value)
    assert "soundfile is installed but its import failed (No module named 'numpy')" in message
    assert "pip install --force-reinstall 'fishaudio-ext[playback]'" in message


@pytest.mark.usefixtures("no_program")
@pytest.mark.parametrize(
    ("player", "commands"),
    [
        ("ffplay", ("sudo apt install ffmpeg", "sudo dnf install ffmpeg-free", "brew install ffmpeg")),
        ("mpv", ("sudo apt install mpv", "sudo dnf install mpv", "brew install mpv", "choco install mpv")),
    ],
)
def test_a_missing_player_program_gets_the_command_for_each_system(
    player: str, commands: tuple[str, ...]
) -> None:
    with pytest.raises(DependencyError) as caught:
        play(b"x", player=player)

    message = str(caught.value)
    assert caught.value.dependency == player
    assert all(f"`{command}`" in message for command in commands)
    assert all(system in message for system in SYSTEMS)
