"""``fishaudio voices``: list (filters, every page, a table or JSON), get, create, update, delete, design."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_run import FISHAUDIO, Run, audio, environment, failed, ok

from fishaudio_ext import FishAudio
from fishaudio_ext.exceptions import NotFoundError
from fishaudio_ext.server import LocalServer


@pytest.fixture
def sample(tmp_path: Path, fish_audio_client: FishAudio) -> Path:
    path = tmp_path / "me.wav"
    path.write_bytes(bytes(fish_audio_client.tts.convert(text="A sample of my own voice.", format="wav")))
    return path


def test_list_reads_every_page_into_a_table_or_json(
    fishaudio: Run, fish_audio_client: FishAudio, sample: Path
) -> None:
    for number in range(100):  # with the library's voices, more than the largest page (100)
        fish_audio_client.voices.create(title=f"Voice {number}", voices=[sample.read_bytes()])
    library = list(fish_audio_client.voices.list_all())
    assert len(library) == fish_audio_client.voices.list().total > 100

    table = ok(fishaudio("voices", "list")).splitlines()
    as_json = json.loads(ok(fishaudio("voices", "list", "--json")))

    assert table[0].split() == ["ID", "TITLE", "LANGUAGES", "VISIBILITY", "AUTHOR"]
    assert [line.split()[0] for line in table[1:]] == [voice.id for voice in library]
    assert [voice["_id"] for voice in as_json] == [voice.id for voice in library]


def test_list_filters_as_voices_list_does(fishaudio: Run, fish_audio_client: FishAudio, sample: Path) -> None:
    ok(fishaudio("voices", "create", "--title", "Mine", "--sample", str(sample)))
    expected = {
        ("--mine",): fish_audio_client.voices.list_all(self_only=True),
        ("--tag", "male", "--language", "en"): fish_audio_client.voices.list_all(
            tags=["male"], language="en"
        ),
        ("--title", "Sarah", "--sort", "created_at"): fish_audio_client.voices.list_all(
            title="Sarah", sort_by="created_at"
        ),
    }
    for args, voices in expected.items():
        ids = [voice["_id"] for voice in json.loads(ok(fishaudio("voices", "list", "--json", *args)))]
        assert ids == [voice.id for voice in voices], args
        assert ids, args
    author = fish_audio_client.voices.list_all(self_only=True).__next__().author.id
    mine = json.loads(ok(fishaudio("voices", "list", "--json", "--author", author)))
    assert [voice["title"] for voice in mine] == ["Mine"]


def test_create_get_update_delete(fishaudio: Run, fish_audio_client: FishAudio, sample: Path) -> None:
    created = json.loads(
        ok(
            fishaudio(
                "voices", "create", "--title", "Me", "--sample", str(sample), "--sample", str(sample),
                "--text", "A sample of my own voice.", "--text", "A sample of my own voice.",
                "--description", "Mine, twice", "--tag", "test", "--json",
            )
        )
    )  # fmt: skip
    voice_id = created["_id"]
    voice = fish_audio_client.voices.get(voice_id)
    assert (voice.title, voice.description, voice.tags, voice.visibility) == (
        "Me",
        "Mine, twice",
        ["test"],
        "private",
    )
    assert len(voice.samples) == 2

    shown = ok(fishaudio("voices", "get", voice_id))
    assert {"id": voice_id, "title": "Me", "description": "Mine, twice"}.items() <= dict(
        line.split(None, 1) for line in shown.splitlines()[1:] if len(line.split(None, 1)) == 2
    ).items()
    assert json.loads(ok(fishaudio("voices", "get", voice_id, "--json")))["title"] == "Me"

    ok(
        fishaudio(
            "voices",
            "update",
            voice_id,
            "--title",
            "Me again",
            "--visibility",
            "unlist",
            "--tag",
            "a",
            "--tag",
            "b",
        )
    )
    voice = fish_audio_client.voices.get(voice_id)
    assert (voice.title, voice.visibility, voice.tags, voice.description) == (
        "Me again",
        "unlist",
        ["a", "b"],
        "Mine, twice",
    )
    assert "nothing to change" in failed(fishaudio("voices", "update", voice_id), 2)

    ok(fishaudio("voices", "delete", voice_id, "--yes"))
    with pytest.raises(NotFoundError):
        fish_audio_client.voices.get(voice_id)
    gone = failed(fishaudio("voices", "get", voice_id), 1)
    assert gone.startswith("fishaudio voices get: NotFoundError: HTTP 404")
    assert gone.endswith("— check the id (`fishaudio voices list --mine` lists your voices)")


def test_create_prints_the_new_voice_s_id(fishaudio: Run, fish_audio_client: FishAudio, sample: Path) -> None:
    voice_id, title = ok(fishaudio("voices", "create", "--title", "Quick", "--sample", str(sample))).split()
    assert fish_audio_client.voices.get(voice_id).title == title == "Quick"


def test_delete_asks_first(fishaudio: Run, fish_audio_client: FishAudio, sample: Path) -> None:
    voice = fish_audio_client.voices.create(title="Keep me", voices=[sample.read_bytes()])
    declined = fishaudio("voices", "delete", voice.id, input=b"n\n")
    assert declined.returncode == 1
    assert declined.stderr.decode() == f"Delete voice {voice.id} (Keep me)? [y/N] Not deleted.\n"
    assert fish_audio_client.voices.get(voice.id).title == "Keep me"
    no_answer = fishaudio("voices", "delete", voice.id)  # stdin at its end: no
    assert no_answer.returncode == 1
    fish_audio_client.voices.get(voice.id)

    accepted = fishaudio("voices", "delete", voice.id, input=b"y\n")
    assert accepted.returncode == 0
    assert accepted.stderr.decode() == f"Delete voice {voice.id} (Keep me)? [y/N] "
    with pytest.raises(NotFoundError):
        fish_audio_client.voices.get(voice.id)


def test_design_writes_the_candidates(fishaudio: Run, tmp_path: Path) -> None:
    args = ("voices", "design", "A warm, low narrator", "-n", "3", "-o", "designs", "--seed", "7")
    table = ok(
        fishaudio(*args, "--reference-text", "Hello there, I read stories.", "--language", "en")
    ).splitlines()
    listed = json.loads(ok(fishaudio(*args, "-o", "again", "--json", "--speed", "1.2")))

    files = sorted((tmp_path / "designs").iterdir())
    assert [path.name for path in files] == ["candidate-1.wav", "candidate-2.wav", "candidate-3.wav"]
    assert [line.split()[0] for line in table[1:]] == [f"designs/{path.name}" for path in files]
    assert all(line.endswith("Hello there, I read stories.") for line in table[1:])
    for path in files:
        assert audio(path.read_bytes()).format == "wav"
    assert [Path(item["file"]).name for item in listed] == [path.name for path in files]
    assert all(
        audio(Path(item["file"]).read_bytes()).duration == pytest.approx(item["duration_ms"] / 1000, abs=0.05)
        for item in listed
    )
    assert "ValidationError" in failed(fishaudio("voices", "design", "x", "-n", "9", "-o", "none"), 2)
    assert not (tmp_path / "none").exists()


def test_delete_with_stdin_closed_asks_for_yes(
    fish_audio_server: LocalServer, fish_audio_client: FishAudio, sample: Path, tmp_path: Path
) -> None:
    voice = fish_audio_client.voices.create(title="Keep me", voices=[sample.read_bytes()])
    env = {**environment(fish_audio_server), "F": str(FISHAUDIO)}
    script = f'"$F" voices delete {voice.id} <&-'
    closed = subprocess.run(["sh", "-c", script], capture_output=True, env=env, cwd=tmp_path, timeout=60)
    assert failed(closed, 2) == (
        "fishaudio voices delete: error: stdin is closed, so there is no one to ask:"
        " give --yes to delete without asking"
    )
    assert fish_audio_client.voices.get(voice.id).title == "Keep me"


def test_design_into_a_file_is_refused_before_the_request(fishaudio: Run, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("not a directory")
    for output in ("taken", "taken/designs"):
        # -v would log the request on stderr: the one line is the error alone.
        assert failed(fishaudio("-v", "voices", "design", "A warm narrator", "-o", output), 1) == (
            f"fishaudio voices design: NotADirectoryError: -o {output}: Not a directory: taken"
        )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken"]
