"""What ``play()`` says when it cannot play: which piece is missing, and how to get it on each system.

A Python package (sounddevice, soundfile) comes with ``pip``; the programs (ffplay, mpv) and the C
libraries the packages load (PortAudio, libsndfile) come from the system's package manager, which
``pip install 'fishaudio-ext[playback]'`` cannot do.
"""

from __future__ import annotations

from typing import Final

import attrs

PLAYBACK_EXTRA: Final = "run `pip install 'fishaudio-ext[playback]'`"

# The command for each system, in the order shown. On Windows the wheels of sounddevice and soundfile
# include their C library, so reinstalling the wheel is what brings it back.
_SYSTEM_PACKAGES: Final = {
    "ffmpeg": {
        "Debian/Ubuntu": "sudo apt install ffmpeg",
        "Fedora": "sudo dnf install ffmpeg-free",
        "macOS": "brew install ffmpeg",
        "Windows": "winget install Gyan.FFmpeg",
    },
    "mpv": {
        "Debian/Ubuntu": "sudo apt install mpv",
        "Fedora": "sudo dnf install mpv",
        "macOS": "brew install mpv",
        "Windows": "choco install mpv",
    },
    "portaudio": {
        "Debian/Ubuntu": "sudo apt install libportaudio2",
        "Fedora": "sudo dnf install portaudio",
        "macOS": "brew install portaudio",
        "Windows": "pip install --force-reinstall sounddevice",
    },
    "libsndfile": {
        "Debian/Ubuntu": "sudo apt install libsndfile1",
        "Fedora": "sudo dnf install libsndfile",
        "macOS": "brew install libsndfile",
        "Windows": "pip install --force-reinstall soundfile",
    },
}
# What sounddevice and soundfile raise (OSError) when their C library cannot be loaded.
_LIBRARIES: Final = {"sounddevice": ("PortAudio", "portaudio"), "soundfile": ("libsndfile", "libsndfile")}


def system_install(package: str) -> str:
    """How to install ``package`` on each system, e.g. "Debian/Ubuntu: `sudo apt install mpv`; ..."."""
    return "; ".join(f"{system}: `{command}`" for system, command in _SYSTEM_PACKAGES[package].items())


def player_program_hint(name: str) -> str:
    """How to get the player program ``name`` ("ffplay" or "mpv")."""
    if name == "ffplay":
        return f"install FFmpeg, which provides ffplay ({system_install('ffmpeg')})"
    return f"install mpv ({system_install('mpv')})"


@attrs.frozen
class Missing:
    """What keeps sounddevice playback from working, and how to fix it."""

    dependency: str
    """What is missing, e.g. "The PortAudio library (used by sounddevice)"."""
    reason: str
    """Why playback through sounddevice fails, e.g. "sounddevice is not installed"."""
    fix: str
    """What to do, e.g. "run `pip install 'fishaudio-ext[playback]'`"."""
    hint: str
    """The install hint when sounddevice was the only way asked for: the fix, with the reason if needed."""


def diagnose_import(module: str, error: ImportError | OSError) -> Missing:
    """Explain why importing ``module`` (sounddevice or soundfile) failed with ``error``."""
    if isinstance(error, OSError):
        library, package = _LIBRARIES[module]
        return _explained(
            f"The {library} library (used by {module})",
            f"{module} is installed but cannot load the {library} library ({error})",
            f"install {library} ({system_install(package)})",
        )
    if error.name == module:
        return Missing(module, f"{module} is not installed", PLAYBACK_EXTRA, PLAYBACK_EXTRA)
    # Installed, yet its own import failed: a dependency of it is missing or broken.
    return _explained(
        module,
        f"{module} is installed but its import failed ({error})",
        "run `pip install --force-reinstall 'fishaudio-ext[playback]'`",
    )


def _explained(dependency: str, reason: str, fix: str) -> Missing:
    return Missing(dependency, reason, fix, f"{reason}; {fix}")


def no_player_hint(missing: Missing) -> str:
    """The hint when neither ffplay nor mpv is on PATH and sounddevice cannot play either."""
    return (
        f"neither ffplay nor mpv is on PATH, and {missing.reason}. Either {player_program_hint('ffplay')},"
        f" or {player_program_hint('mpv')}, or {missing.fix}"
    )
