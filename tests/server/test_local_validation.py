"""The local server checks every request against the spec: 422 arrays, 401, 400 parse errors and 415."""

from __future__ import annotations

import httpx
import msgpack
import pytest
from local_wire import Recorder

from fishaudio_ext import AuthenticationError, FishAudio, RequestOptions, UnprocessableEntityError
from fishaudio_ext.server import LocalServer, assert_conforms


def test_body_errors_use_the_upstream_array_shape(http: httpx.Client) -> None:
    body = {"prosody": {"speed": 3, "volume": "loud"}, "format": "flac", "chunk_length": 50}
    response = http.post("/v1/tts", json=body)
    assert response.status_code == 422
    assert response.json() == [
        {"loc": ["body", "text"], "type": "missing", "msg": "Field required", "in": "body"},
        {
            "loc": ["body", "chunk_length"],
            "type": "greater_than_equal",
            "msg": "Input should be greater than or equal to 100",
            "in": "body",
            "ctx": {"ge": 100},
        },
        {
            "loc": ["body", "format"],
            "type": "enum",
            "msg": "Input should be 'wav', 'pcm', 'mp3' or 'opus'",
            "in": "body",
            "ctx": {"expected": "'wav', 'pcm', 'mp3' or 'opus'"},
        },
        {
            "loc": ["body", "prosody", "speed"],
            "type": "less_than_equal",
            "msg": "Input should be less than or equal to 2",
            "in": "body",
            "ctx": {"le": 2.0},
        },
        {
            "loc": ["body", "prosody", "volume"],
            "type": "float_type",
            "msg": "Input should be a valid number",
            "in": "body",
        },
    ]
    assert_conforms("POST", "/v1/tts", response)


def test_msgpack_bytes_only_stand_for_binary_fields(http: httpx.Client) -> None:
    body = msgpack.packb({"text": b"bytes where a string belongs"}, use_bin_type=True)
    response = http.post("/v1/tts", content=body, headers={"Content-Type": "application/msgpack"})
    assert response.status_code == 422
    assert response.json()[0]["loc"] == ["body", "text"]
    assert response.json()[0]["type"] == "string_type"


def test_query_and_header_parameters_are_checked(http: httpx.Client) -> None:
    too_small = http.get("/model", params={"page_size": 0})
    too_big = http.get("/model", params={"page_size": 101, "sort_by": "likes"})
    not_a_number = http.get("/model", params={"page_number": "two"})
    bad_trace = http.post("/v1/tts", json={"text": "Hi"}, headers={"traceparent": "not-a-trace"})
    assert [issue["loc"] for issue in too_small.json()] == [["query", "page_size"]]
    assert [issue["loc"] for issue in too_big.json()] == [["query", "page_size"], ["query", "sort_by"]]
    assert not_a_number.json()[0]["type"] == "int_type"
    assert bad_trace.json()[0]["loc"] == ["header", "traceparent"]
    for response in (too_small, too_big, not_a_number):
        assert response.status_code == 422
        assert_conforms("GET", "/model", response)
    assert_conforms("POST", "/v1/tts", bad_trace)


def test_repeated_query_keys_become_arrays(http: httpx.Client) -> None:
    response = http.get("/model", params=[("tag", "male"), ("tag", "calm"), ("language", "en")])
    assert [voice["title"] for voice in response.json()["items"]] == ["Adrian"]


def test_client_surfaces_validation_issues(client: FishAudio, http: httpx.Client) -> None:
    response = http.post("/v1/voice-design", json={"instruction": ""}, headers={"model": "voice-design-1"})
    assert response.json()[0]["type"] == "string_too_short"
    with pytest.raises(UnprocessableEntityError) as raised:
        client.voices.list(request_options=RequestOptions(additional_query_params={"page_size": "many"}))
    assert raised.value.status == 422


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-key", "Basic abc", "Bearer"])
def test_missing_or_wrong_key_is_a_401(
    server: LocalServer, recorder: Recorder, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    with httpx.Client(base_url=server.url, headers=headers) as raw:
        for method, path in [("POST", "/v1/tts"), ("GET", "/model"), ("GET", "/wallet/self/api-credit")]:
            response = raw.request(method, path, json={"text": "Hi"} if method == "POST" else None)
            assert response.status_code == 401
            assert response.json() == {"status": 401, "message": "Invalid API key", "reason": None}
            assert_conforms(method, path, response)


def test_client_raises_authentication_error(server: LocalServer) -> None:
    with (
        FishAudio(base_url=server.url, api_key="wrong", max_retries=0) as client,
        pytest.raises(AuthenticationError),
    ):
        client.voices.list()


def test_unparseable_bodies_are_plain_text_400s(http: httpx.Client, recorder: Recorder) -> None:
    bad_json = http.post("/v1/tts", content=b'{"text": ', headers={"Content-Type": "application/json"})
    bad_msgpack = http.post("/v1/tts", content=b"\xc1\xc1", headers={"Content-Type": "application/msgpack"})
    for response in (bad_json, bad_msgpack):
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text.startswith("Invalid ")


def test_unsupported_content_type_is_a_415(http: httpx.Client, recorder: Recorder) -> None:
    response = http.post(
        "/v1/tts", content=b"text=Hi", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 415
    assert response.json()["status"] == 415
    assert "application/json, application/msgpack" in response.json()["message"]


def test_missing_body_is_a_422(http: httpx.Client) -> None:
    response = http.post("/v1/tts")
    assert response.status_code == 422
    assert response.json() == [{"loc": ["body"], "type": "missing", "msg": "Field required", "in": "body"}]
    assert_conforms("POST", "/v1/tts", response)


def test_unknown_paths_and_methods(http: httpx.Client, recorder: Recorder) -> None:
    unknown = http.get("/v1/nothing")
    assert unknown.json() == {"status": 404, "message": "Not found", "reason": None}
    wrong_method = http.put("/model")
    assert wrong_method.status_code == 405
    for response in (unknown, wrong_method):
        recorder.undocumented(response, "not an operation of the spec")


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/v1/tts", '{"text": "Hi", "prosody": {"speed": NaN}}', ["body", "prosody", "speed"]),
        ("/v1/tts", '{"text": "Hi", "prosody": {"volume": -Infinity}}', ["body", "prosody", "volume"]),
        ("/v1/tts", '{"text": "Hi", "temperature": NaN}', ["body", "temperature"]),
        ("/v1/tts", '{"text": "Hi", "top_p": 1e999}', ["body", "top_p"]),
        ("/v1/tts/stream/with-timestamp", '{"text": "Hi", "temperature": NaN}', ["body", "temperature"]),
        ("/v1/voice-design", '{"instruction": "Calm", "speed": NaN}', ["body", "speed"]),
    ],
)
def test_non_finite_numbers_are_422(http: httpx.Client, path: str, body: str, loc: list[str]) -> None:
    response = http.post(
        path, content=body, headers={"Content-Type": "application/json", "model": "voice-design-1"}
    )
    assert response.status_code == 422
    assert {"loc": loc, "type": "finite_number", "msg": "Input should be a finite number", "in": "body"} in (
        response.json()
    )
    assert_conforms("POST", path, response)


def test_non_finite_msgpack_numbers_are_422(http: httpx.Client) -> None:
    body = msgpack.packb({"text": "Hi", "temperature": float("nan")})
    response = http.post("/v1/tts", content=body, headers={"Content-Type": "application/msgpack"})
    assert response.status_code == 422
    assert response.json()[0]["type"] == "finite_number"


@pytest.mark.parametrize(
    ("method", "path", "body", "loc"),
    [
        ("POST", "/v1/tts", '{"text": "Hi \\ud800 there"}', ["body", "text"]),
        ("POST", "/v1/tts/stream/with-timestamp", '{"text": "\\udfff"}', ["body", "text"]),
        ("POST", "/model", '{"title": "\\ud800", "voices": []}', ["body", "title"]),
        ("POST", "/v1/tts", '{"text": "Hi", "\\ud800": 1}', ["body", "\\ud800"]),
    ],
)
def test_lone_surrogates_are_422(
    http: httpx.Client, recorder: Recorder, method: str, path: str, body: str, loc: list[str]
) -> None:
    response = http.request(method, path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()[0]["loc"] == loc
    assert response.json()[0]["type"] == "string_unicode"


def test_lone_surrogates_in_a_voice_update_are_422(http: httpx.Client, client: FishAudio) -> None:
    voice = client.voices.create(title="Mine", voices=[client.tts.convert(text="A voice.", format="wav")])
    response = http.patch(
        f"/model/{voice.id}", content='{"title": "\\ud800"}', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()[0]["type"] == "string_unicode"
    assert client.voices.get(voice.id).title == "Mine"
