"""play(): real streaming into a (fake) player process, fallbacks, and every way playback can fail."""

from __future__ import annotations

import asyncio
import io
import socket
import sys
import threading
import types
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from fishaudio_ext import AudioBytes
from fishaudio_ext.exceptions import DependencyError, PlaybackError, ValidationError
from fishaudio_ext.utils import play, stream

FFPLAY_ARGS = ["-autoexit", "-nodisp", "-loglevel", "error", "-i", "-"]
MPV_ARGS = ["--no-cache", "--no-terminal", "--", "fd://0"]

# A stand-in for ffplay/mpv: records its arguments, copies stdin to a file and echoes every piece it
# reads to the test over a socket, so the test knows exactly when audio reached the player.
FAKE_PLAYER = """#!{python}
import os, socket, sys

out_dir, mode = os.environ["FAKE_PLAYER_DIR"], os.environ["FAKE_PLAYER_MODE"]
with open(os.path.join(out_dir, "argv"), "w") as f:
    f.write("\\n".join(sys.argv[1:]))
sock = socket.create_connection(("127.0.0.1", int(os.environ["FAKE_PLAYER_PORT"])))
with open(os.path.join(out_dir, "received"), "wb") as out:
    while chunk := os.read(0, 65536):
        out.write(chunk)
        out.flush()
        sock.sendall(chunk)
        if mode.startswith("exit-early"):
            os.close(0)  # nobody reads the pipe any more: the next write to it fails at once
            break
if mode != "play":
    sys.stderr.write("line one\\nboom: Invalid data found when processing input\\n")
    sys.stderr.flush()
sock.close()
os._exit({{"play": 0, "fail": 1, "exit-early": 3, "exit-early-ok": 0}}[mode])
"""


class FakePlayer:
    """The fake player's side of the test: what it received, and events marking its progress."""

    def __init__(self, directory: Path, server: socket.socket) -> None:
        self.directory = directory
        self.server = server
        self.first_chunk_arrived = threading.Event()
        self.stdin_closed = threading.Event()
        self.echoed = bytearray()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            connection.settimeout(10)
            while data := connection.recv(65536):
                self.echoed += data
                self.first_chunk_arrived.set()
        self.stdin_closed.set()

    def join(self) -> None:
        """Wait until the player has closed its end (call only once it has started)."""
        self._thread.join(10)

    def close(self) -> None:
        # If no player ever connected, connect ourselves so that the watcher's accept() returns.
        socket.create_connection(self.server.getsockname()).close()
        self.join()
        self.server.close()

    @property
    def argv(self) -> list[str]:
        return (self.directory / "argv").read_text().splitlines()

    @property
    def received(self) -> bytes:
        return (self.directory / "received").read_bytes()


@pytest.fixture
def fake_player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlayer]:
    if sys.platform == "win32":
        pytest.skip("the fake players are POSIX scripts")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("ffplay", "mpv"):
        script = bin_dir / name
        script.write_text(FAKE_PLAYER.format(python=sys.executable))
        script.chmod(0o755)
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(10)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_PLAYER_DIR", str(tmp_path))
    monkeypatch.setenv("FAKE_PLAYER_MODE", "play")
    monkeypatch.setenv("FAKE_PLAYER_PORT", str(server.getsockname()[1]))
    player = FakePlayer(tmp_path, server)
    yield player
    player.close()


@pytest.fixture
def no_player(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing can play audio: an empty PATH, and sounddevice/soundfile fail to import."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    monkeypatch.setitem(sys.modules, "soundfile", None)


class FakeSoundDevice:
    """Fake sounddevice and soundfile modules that record what they were asked to play."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.decoded: list[bytes] = []
        self.played: list[tuple[object, int]] = []
        self.waited = 0
        sounddevice = types.ModuleType("sounddevice")
        sounddevice.play = lambda samples, rate: self.played.append((samples, rate))  # type: ignore[attr-defined]
        sounddevice.wait = self._wait  # type: ignore[attr-defined]
        soundfile = types.ModuleType("soundfile")
        soundfile.read = self._read  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "sounddevice", sounddevice)
        monkeypatch.setitem(sys.modules, "soundfile", soundfile)

    def _read(self, file: io.BytesIO) -> tuple[str, int]:
        self.decoded.append(file.read())
        return "samples", 44100

    def _wait(self) -> None:
        self.waited += 1


def test_chunks_reach_the_player_as_they_arrive(fake_player: FakePlayer) -> None:
    def audio() -> Iterator[bytes]:
        yield b"first-"
        assert fake_player.first_chunk_arrived.wait(10), "the first chunk was held back"
        yield b"second-"
        yield b"third"

    assert play(audio()) is None

    fake_player.join()
    assert fake_player.received == b"first-second-third"
    assert fake_player.echoed == b"first-second-third"
    assert fake_player.argv == FFPLAY_ARGS


async def test_async_chunks_reach_the_player_as_they_arrive(fake_player: FakePlayer) -> None:
    async def audio() -> AsyncIterator[bytes]:
        yield b"first-"
        assert await asyncio.to_thread(fake_player.first_chunk_arrived.wait, 10), (
            "the first chunk was held back"
        )
        yield b"second-"
        yield b"third"

    await play(audio())

    fake_player.join()
    assert fake_player.received == b"first-second-third"
    assert fake_player.argv == FFPLAY_ARGS


def test_bytes_are_played(fake_player: FakePlayer) -> None:
    play(b"whole clip")

    assert fake_player.received == b"whole clip"


def test_mpv_can_be_chosen(fake_player: FakePlayer) -> None:
    play([b"a", b"b"], player="mpv")

    assert fake_player.received == b"ab"
    assert fake_player.argv == MPV_ARGS


def test_mpv_is_used_when_ffplay_is_missing(fake_player: FakePlayer) -> None:
    (fake_player.directory / "bin" / "ffplay").unlink()

    play(b"clip")

    assert fake_player.argv == MPV_ARGS


def test_player_given_as_a_path(fake_player: FakePlayer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")

    play(b"clip", player=str(fake_player.directory / "bin" / "ffplay"))

    assert fake_player.received == b"clip"


def test_player_failure_is_reported_with_its_output(
    fake_player: FakePlayer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_PLAYER_MODE", "fail")

    with pytest.raises(PlaybackError) as caught:
        play([b"not", b"audio"])

    assert caught.value.returncode == 1
    assert caught.value.player == "ffplay"
    assert str(caught.value) == (
        "ffplay exited with status 1: line one boom: Invalid data found when processing input"
    )


@pytest.mark.parametrize(("mode", "returncode"), [("exit-early", 3), ("exit-early-ok", 0)])
def test_player_exiting_early_stops_the_feed_without_broken_pipe(
    fake_player: FakePlayer, monkeypatch: pytest.MonkeyPatch, mode: str, returncode: int
) -> None:
    monkeypatch.setenv("FAKE_PLAYER_MODE", mode)
    produced = []

    def audio() -> Iterator[bytes]:
        yield b"first-"
        assert fake_player.stdin_closed.wait(10)
        yield b"second-"  # writing this one hits the closed pipe
        produced.append("third")
        yield b"third"

    with pytest.raises(PlaybackError) as caught:
        play(audio())

    assert caught.value.returncode == returncode
    assert "boom" in caught.value.stderr
    assert produced == []  # play stopped reading the stream as soon as the player was gone
    assert fake_player.received == b"first-"


async def test_async_player_exiting_early_stops_the_feed(
    fake_player: FakePlayer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_PLAYER_MODE", "exit-early")

    async def audio() -> AsyncIterator[bytes]:
        yield b"first-"
        assert await asyncio.to_thread(fake_player.stdin_closed.wait, 10)
        for _ in range(100):  # asyncio may only notice the closed pipe on a later write
            yield b"more-"

    with pytest.raises(PlaybackError) as caught:
        await play(audio())

    assert caught.value.returncode == 3
    assert "boom" in str(caught.value)


def test_failing_stream_stops_the_player_and_propagates(fake_player: FakePlayer) -> None:
    def audio() -> Iterator[bytes]:
        yield b"first-"
        assert fake_player.first_chunk_arrived.wait(10)
        raise ConnectionError("stream broke")

    with pytest.raises(ConnectionError, match="stream broke"):
        play(audio())

    fake_player.join()
    assert fake_player.stdin_closed.is_set()


async def test_failing_async_stream_stops_the_player_and_propagates(fake_player: FakePlayer) -> None:
    async def audio() -> AsyncIterator[bytes]:
        yield b"first-"
        assert await asyncio.to_thread(fake_player.first_chunk_arrived.wait, 10)
        raise ConnectionError("stream broke")

    with pytest.raises(ConnectionError, match="stream broke"):
        await play(audio())

    fake_player.join()
    assert fake_player.stdin_closed.is_set()


@pytest.mark.usefixtures("no_player")
def test_no_player_at_all_says_what_to_install() -> None:
    consumed = []

    def audio() -> Iterator[bytes]:
        consumed.append(True)
        yield b"x"

    with pytest.raises(DependencyError) as caught:
        play(audio())

    message = str(caught.value)
    assert "ffmpeg" in message
    assert "mpv" in message
    assert "pip install 'fishaudio-ext[playback]'" in message
    assert consumed == []  # the stream is left for the caller to use


@pytest.mark.usefixtures("no_player")
async def test_no_player_at_all_async() -> None:
    async def audio() -> AsyncIterator[bytes]:
        yield b"x"

    with pytest.raises(DependencyError):
        await play(audio())


@pytest.mark.usefixtures("no_player")
def test_without_ffmpeg_only_the_python_extra_is_suggested() -> None:
    with pytest.raises(DependencyError) as caught:
        play(b"x", use_ffmpeg=False)

    assert caught.value.install_hint == "run `pip install 'fishaudio-ext[playback]'`"
    assert caught.value.install_command == caught.value.install_hint  # the official SDK's name


@pytest.mark.usefixtures("no_player")
def test_a_named_player_that_is_missing() -> None:
    with pytest.raises(DependencyError) as caught:
        play(b"x", player="mpv")

    assert caught.value.dependency == "mpv"
    assert "install mpv" in str(caught.value)


def test_an_unknown_player_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        play(b"x", player="vlc")

    assert caught.value.field == "player"


@pytest.mark.usefixtures("no_player")
def test_falls_back_to_sounddevice(monkeypatch: pytest.MonkeyPatch) -> None:
    device = FakeSoundDevice(monkeypatch)

    play(iter([b"RIFF", b"data"]))

    assert device.decoded == [b"RIFFdata"]
    assert device.played == [("samples", 44100)]
    assert device.waited == 1


async def test_sounddevice_from_async_code(fake_player: FakePlayer, monkeypatch: pytest.MonkeyPatch) -> None:
    device = FakeSoundDevice(monkeypatch)

    async def audio() -> AsyncIterator[bytes]:
        yield b"RIFF"
        yield b"data"

    await play(audio(), use_ffmpeg=False)  # ffplay is on PATH, but not wanted

    assert device.decoded == [b"RIFFdata"]
    assert device.waited == 1
    assert not fake_player.first_chunk_arrived.is_set()


def fake_ipython(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    shown: list[object] = []
    display = types.ModuleType("IPython.display")
    display.Audio = lambda data, autoplay: ("Audio", data, autoplay)  # type: ignore[attr-defined]
    display.display = shown.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", types.ModuleType("IPython"))
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    return shown


def test_notebook_shows_an_audio_widget(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = fake_ipython(monkeypatch)

    play([b"ab", b"cd"], notebook=True)

    assert shown == [("Audio", b"abcd", True)]


async def test_notebook_from_async_code(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = fake_ipython(monkeypatch)

    async def audio() -> AsyncIterator[bytes]:
        yield b"ab"

    await play(audio(), notebook=True)

    assert shown == [("Audio", b"ab", True)]


def test_notebook_without_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython.display", None)

    with pytest.raises(DependencyError, match="pip install ipython"):
        play(b"x", notebook=True)


def test_str_is_rejected_as_audio() -> None:
    with pytest.raises(TypeError, match="not str"):
        play("hello")  # type: ignore[arg-type]


def test_stream_plays_the_audio_as_it_arrives_and_returns_all_of_it(fake_player: FakePlayer) -> None:
    def audio() -> Iterator[bytes]:
        yield b"first-"
        assert fake_player.first_chunk_arrived.wait(10), "the first chunk was held back"
        yield b"second"

    assert stream(audio()) == b"first-second"
    fake_player.join()
    assert fake_player.received == b"first-second"


def test_stream_of_whole_audio_bytes(fake_player: FakePlayer) -> None:
    assert stream(AudioBytes(b"whole-clip")) == b"whole-clip"
    fake_player.join()
    assert fake_player.received == b"whole-clip"


async def test_stream_refuses_an_async_stream_before_reading_it() -> None:
    async def audio() -> AsyncIterator[bytes]:
        yield b"never read"

    with pytest.raises(TypeError, match="await play"):
        stream(audio())  # type: ignore[arg-type]
