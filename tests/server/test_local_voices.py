"""The voice models on the local server: list, get, create, update, delete."""

from __future__ import annotations

import httpx
import msgpack
import pytest
from local_wire import ADRIAN, KEY

from fishaudio_ext import (
    AsyncFishAudio,
    BadRequestError,
    FishAudio,
    NotFoundError,
    PermissionDeniedError,
)
from fishaudio_ext.server import LocalServer, assert_conforms

LIBRARY = {
    "bf322df2096a46f18c579d0baa36f41d": "Adrian",
    "933563129e564b19a115bedd57b7406a": "Sarah",
    "802e3bc2b27e49c2995d23ef70e6ac89": "Energetic Male",
    "8ef4a238714b45718ce04243307c57a7": "E-girl",
    "b347db033a6549378b48d00acb0d06cd": "Selene",
    "536d3a5e000945adb7038665781a4aca": "Ethan",
    "ca3007f96ae7499ab87d27ea3599956a": "Morgan",
}


@pytest.fixture
def sample(http: httpx.Client) -> bytes:
    """Speech to clone: audio this server made, so its transcript is known."""
    return http.post(
        "/v1/tts", json={"text": "This is my voice, recorded for cloning.", "format": "wav"}
    ).content


def test_library_voices_are_seeded(client: FishAudio) -> None:
    page = client.voices.list(page_size=100)
    assert {voice.id: voice.title for voice in page.items} == LIBRARY
    assert page.total == 7


def test_seed_example_filters_find_male_english_voices(client: FishAudio) -> None:
    voices = client.voices.list(language="en", tags="male")
    assert {voice.title for voice in voices.items} == {"Adrian", "Energetic Male", "Ethan"}
    both = client.voices.list(tags=["male", "english"])  # every tag must match
    assert {voice.title for voice in both.items} == {"Adrian", "Energetic Male", "Ethan"}
    audio = client.tts.convert(text="Generated with discovered voice", reference_id=voices.items[0].id)
    assert audio


def test_list_sorting_and_pagination(client: FishAudio) -> None:
    by_tasks = client.voices.list(sort_by="task_count", page_size=100).items
    counts = [voice.task_count for voice in by_tasks]
    assert counts == sorted(counts, reverse=True)
    newest = client.voices.list(sort_by="created_at", page_size=100).items
    assert [v.created_at for v in newest] == sorted((v.created_at for v in newest), reverse=True)
    first, second = client.voices.list(page_size=4), client.voices.list(page_size=4, page_number=2)
    assert (len(first.items), len(second.items)) == (4, 3)
    assert (first.has_more, second.has_more) == (True, False)
    assert {v.id for v in first.items}.isdisjoint({v.id for v in second.items})


def test_title_and_author_filters(client: FishAudio) -> None:
    assert {v.title for v in client.voices.list(title="ENE").items} == {"Selene", "Energetic Male"}
    author = client.voices.get(ADRIAN).author.id
    assert client.voices.list(author_id=author).total == 7
    assert client.voices.list(author_id="nobody").total == 0


def test_get_and_unknown_voice(client: FishAudio, http: httpx.Client) -> None:
    voice = client.voices.get(ADRIAN)
    assert (voice.title, voice.state, voice.visibility) == ("Adrian", "trained", "public")
    with pytest.raises(NotFoundError):
        client.voices.get("0" * 32)
    with pytest.raises(NotFoundError):
        client.voices.update("0" * 32, title="Nobody")
    response = http.get(f"/model/{'0' * 32}")
    assert response.status_code == 404
    assert response.json()["message"] == "Model not found"
    assert_conforms("GET", f"/model/{'0' * 32}", response)
    deleted = http.delete(f"/model/{'0' * 32}")
    assert deleted.status_code == 404
    assert_conforms("DELETE", f"/model/{'0' * 32}", deleted)


def test_create_clone_use_update_and_delete(client: FishAudio, sample: bytes) -> None:
    voice = client.voices.create(
        title="My Voice",
        voices=[sample, sample],
        description="Custom voice clone",
        tags=["custom", "english"],
    )
    assert (voice.state, voice.train_mode, voice.visibility) == ("trained", "fast", "private")
    assert voice.languages == ["en"]
    assert isinstance(voice.samples, list)
    assert [s.text for s in voice.samples] == ["This is my voice, recorded for cloning."] * 2

    assert client.tts.convert(text="Speaking as my clone.", reference_id=voice.id)
    assert client.voices.get(voice.id).task_count == 1
    assert [v.id for v in client.voices.list(self_only=True).items] == [voice.id]

    client.voices.update(voice.id, title="Updated Title", visibility="public", tags=["renamed"])
    updated = client.voices.get(voice.id)
    assert (updated.title, updated.visibility, updated.tags) == ("Updated Title", "public", ["renamed"])
    client.voices.update(voice.id, cover_image=b"\x89PNG cover")
    assert client.voices.get(voice.id).cover_image == f"coverimage/{voice.id}"

    client.voices.delete(voice.id)
    with pytest.raises(NotFoundError):
        client.voices.get(voice.id)


async def test_async_voice_lifecycle(async_client: AsyncFishAudio, sample: bytes) -> None:
    voice = await async_client.voices.create(title="Async voice", voices=[sample], texts=["My own words."])
    assert isinstance(voice.samples, list)
    assert voice.samples[0].text == "My own words."
    assert (await async_client.voices.list(self_only=True)).total == 1
    await async_client.voices.update(voice.id, description="described")
    assert (await async_client.voices.get(voice.id)).description == "described"
    await async_client.voices.delete(voice.id)
    assert (await async_client.voices.list(self_only=True)).total == 0


def test_raw_multipart_create_as_the_official_sdk_sends_it(http: httpx.Client, sample: bytes) -> None:
    data = {
        "title": "T",
        "description": "d",
        "visibility": "public",
        "type": "tts",
        "train_mode": "fast",
        "texts": ["one", "two"],
        "tags": ["a", "b"],
        "enhance_audio_quality": "true",
    }
    files = [
        ("voices", ("upload", sample)),
        ("voices", ("upload", sample)),
        ("cover_image", ("upload", b"png")),
    ]
    response = http.post("/model", data=data, files=files)
    assert response.status_code == 201
    body = response.json()
    assert (body["tags"], [s["text"] for s in body["samples"]]) == (["a", "b"], ["one", "two"])
    assert body["cover_image"] == f"coverimage/{body['_id']}"
    assert_conforms("POST", "/model", response)


def test_msgpack_create_and_single_file_part(http: httpx.Client, sample: bytes) -> None:
    body = {
        "type": "tts",
        "title": "Packed",
        "train_mode": "fast",
        "voices": [sample],
        "visibility": "unlist",
    }
    packed = http.post(
        "/model",
        content=msgpack.packb(body, use_bin_type=True),
        headers={"Content-Type": "application/msgpack"},
    )
    assert packed.status_code == 201
    single = http.post(
        "/model",
        data={"type": "tts", "title": "One", "train_mode": "fast", "visibility": "private"},
        files={"voices": ("upload", sample)},  # one part where the schema has an array
    )
    assert single.status_code == 201
    assert_conforms("POST", "/model", packed)
    assert_conforms("POST", "/model", single)


def test_create_checks_the_request(http: httpx.Client, client: FishAudio, sample: bytes) -> None:
    no_files = http.post("/model", json={"type": "tts", "title": "No audio", "train_mode": "fast"})
    assert no_files.status_code == 422
    assert no_files.json()[0]["loc"] == ["body", "voices"]
    with pytest.raises(BadRequestError, match="could not be decoded as audio"):
        client.voices.create(title="Noise", voices=[b"RIFF-not-really"])
    with pytest.raises(BadRequestError, match="cover image"):
        client.voices.create(title="Public", voices=[sample], visibility="public")
    assert_conforms("POST", "/model", no_files)


def test_update_accepts_every_documented_content_type(
    http: httpx.Client, client: FishAudio, sample: bytes
) -> None:
    voice = client.voices.create(title="Original", voices=[sample])
    path = f"/model/{voice.id}"
    responses = [
        http.patch(path, data={"title": "Form", "tags": ["x", "y"]}),
        http.patch(path, json={"description": "JSON"}),
        http.patch(path, files={"cover_image": ("upload", b"png")}, data={"visibility": "unlist"}),
        http.patch(
            path,
            content=msgpack.packb({"title": "Packed"}, use_bin_type=True),
            headers={"Content-Type": "application/msgpack"},
        ),
    ]
    for response in responses:
        assert response.status_code == 200
        assert response.content == b""
        assert_conforms("PATCH", path, response)
    final = client.voices.get(voice.id)
    assert (final.title, final.description, final.visibility, final.tags) == (
        "Packed",
        "JSON",
        "unlist",
        ["x", "y"],
    )
    deleted = http.delete(path)
    assert (deleted.status_code, deleted.content) == (200, b"")
    assert_conforms("DELETE", path, deleted)
    assert http.get(path).status_code == 404


def test_voices_of_others(server: LocalServer, client: FishAudio, sample: bytes) -> None:
    with pytest.raises(PermissionDeniedError):
        client.voices.delete(ADRIAN)  # a library voice
    other_key = server.add_api_key("someone-else")
    with FishAudio(base_url=server.url, api_key=other_key, max_retries=0) as other:
        private = other.voices.create(title="Theirs", voices=[sample])
        assert other.voices.list(self_only=True).total == 1
    assert client.voices.list(self_only=True).total == 0
    with pytest.raises(PermissionDeniedError):
        client.voices.get(private.id)
    with pytest.raises(BadRequestError, match="Reference not found"):
        client.tts.convert(text="Borrowed?", reference_id=private.id)
    assert other_key != KEY
