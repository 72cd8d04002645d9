"""A spec edit alone reaches the extension and the local server: no other file is edited.

A temporary copy of the project's spec gets the minimal edits a maintainer makes when Fish Audio adds
something, is regenerated with ``scripts/generate``, and the regenerated package is used by the
unchanged ``fishaudio_ext`` (in a subprocess, so this process keeps the committed one):

* a new optional TTS field with a range: accepted by ``TTSConfig`` and by every TTS call (sync and async,
  HTTP and WebSocket) and typed for ``mypy --strict``, checked against its bounds before any I/O, sent on
  the wire;
* a new model name without a price: a known value; the local server refuses it with a 400 saying the
  price is missing, rather than billing it as another model;
* a new operation with only its schema: callable as ``client.api.<operationId>`` (sync and async) through
  the one request path, answered by the local server with a spec-conforming body;
* a bound Fish Audio changed: ``scripts/spec-drift`` reports it with both values until the spec follows,
  and the regenerated ``TTSConfig`` then accepts the new range.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / ".venv" / "bin" / "openapi-python-client"
NEW_FIELD = "style_strength"
NEW_MODEL = "s3-mini"

# The maintainer's edits: one property in TTSRequest, one value in the KnownTTSModel enum.
FIELD_ANCHOR = "        features:\n          type: array\n"
FIELD_EDIT = f"""        {NEW_FIELD}:
          type: number
          minimum: 0
          maximum: 2
          description: How strongly the voice's speaking style is applied.
"""
MODEL_ANCHOR = "enum: [s1, s2-pro, s2.1-pro, s2.1-pro-free, speech-1.5, speech-1.6]"
MODEL_EDIT = f"enum: [s1, s2-pro, s2.1-pro, s2.1-pro-free, speech-1.5, speech-1.6, {NEW_MODEL}]"


# A new operation, as a maintainer adds it: the path with its operationId, and the schema of its answer.
NEW_OPERATION = "get_usage"
OPERATION_ANCHOR = "components:\n  securitySchemes:\n"
OPERATION_EDIT = f"""  /v1/usage:
    get:
      operationId: {NEW_OPERATION}
      summary: Characters synthesized this month
      responses:
        "200":
          description: The usage.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/UsageReport"

"""
SCHEMA_ANCHOR = "  schemas:\n"
SCHEMA_EDIT = """    UsageReport:
      type: object
      required: [characters]
      properties:
        characters:
          type: integer
          minimum: 0
"""
# Fish Audio raises the maximum chunk length from 300 to 500; the maintainer's spec follows.
BOUND_ANCHOR = (
    "        chunk_length:\n          type: integer\n          minimum: 100\n          maximum: 300\n"
)
BOUND_EDIT = BOUND_ANCHOR.replace("maximum: 300", "maximum: 500")
DRIFT_LINE = "POST /v1/tts | request | chunk_length.maximum: ours 300, upstream 500"


def edited_spec(text: str) -> str:
    for anchor in (FIELD_ANCHOR, MODEL_ANCHOR, OPERATION_ANCHOR, BOUND_ANCHOR):
        assert text.count(anchor) == 1, anchor
    assert text.count(SCHEMA_ANCHOR) == 1
    text = text.replace(FIELD_ANCHOR, FIELD_EDIT + FIELD_ANCHOR).replace(MODEL_ANCHOR, MODEL_EDIT)
    text = text.replace(OPERATION_ANCHOR, OPERATION_EDIT + OPERATION_ANCHOR)
    text = text.replace(SCHEMA_ANCHOR, SCHEMA_ANCHOR + SCHEMA_EDIT)
    return text.replace(BOUND_ANCHOR, BOUND_EDIT)


def upstream_with_new_bound(document: dict[str, Any]) -> dict[str, Any]:
    """Fish Audio's published document after it raised chunk_length's maximum to 500."""
    for schema in document["components"]["schemas"].values():
        field = schema.get("properties", {}).get("chunk_length")
        if field is not None:
            assert field["maximum"] == 300
            field["maximum"] = 500
    return document


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the generation inputs with the edited spec, regenerated; returns the output directory."""
    if not (GENERATOR.is_file() and GENERATOR.stat().st_mode & 0o111):
        pytest.skip("openapi-python-client is missing: run scripts/bootstrap with Python 3.11+")
    checkout = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT / "scripts", checkout / "scripts")
    shutil.copytree(ROOT / "spec", checkout / "spec", symlinks=True)
    shutil.copy(ROOT / "pyproject.toml", checkout / "pyproject.toml")  # the formatting of client.api
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    spec = checkout / "spec" / "openapi.yaml"
    spec.write_text(edited_spec(spec.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path_factory.mktemp("generated")
    result = subprocess.run(
        [str(checkout / "scripts" / "generate"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"scripts/generate failed:\n{result.stdout}\n{result.stderr}"
    # The unchanged handwritten package, with the client.api files the generation wrote; its local server
    # reads the edited spec (fishaudio_ext/server/openapi.yaml links to spec/openapi.yaml).
    ext = out / "fishaudio_ext"
    written = {path.name: path.read_bytes() for path in ext.glob("*.py")}
    assert sorted(written) == ["_api_namespace.py", "_api_operations.py"]
    shutil.rmtree(ext)
    shutil.copytree(ROOT / "fishaudio_ext", ext, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    for name, content in written.items():
        (ext / name).write_bytes(content)
    (out / "spec").mkdir()
    shutil.copy(spec, out / "spec" / "openapi.yaml")
    return out


def run_python(regenerated: Path, code: str) -> str:
    """Run ``code`` with the regenerated package ahead of the committed one; return its output."""
    path = [str(regenerated), str(ROOT)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    script = textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=regenerated,  # not the checkout: python -c puts the working directory first on sys.path
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_edits_regenerate_only_the_generated_package(regenerated: Path) -> None:
    settings = (regenerated / "fishaudio_api" / "tts_settings.py").read_text(encoding="utf-8")
    assert f"_{NEW_FIELD}: float | Unset" in settings
    facts = (regenerated / "fishaudio_api" / "facts.py").read_text(encoding="utf-8")
    assert f'"{NEW_MODEL}"' in facts
    assert NEW_OPERATION in (regenerated / "fishaudio_ext" / "_api_namespace.py").read_text(encoding="utf-8")


def test_a_new_field_is_accepted_checked_before_io_and_sent_by_every_call(regenerated: Path) -> None:
    output = run_python(
        regenerated,
        f"""
        import asyncio
        import httpx
        import msgpack
        import fishaudio_api
        from fishaudio_ext import AsyncFishAudio, FishAudio, ValidationError
        from fishaudio_ext.types import TTSConfig
        from tests.support.live_server import LiveServer

        assert fishaudio_api.__file__.startswith({str(regenerated)!r}), fishaudio_api.__file__
        bodies = []

        def answer(request):
            bodies.append(msgpack.unpackb(request.content))
            return httpx.Response(200, content=b"audio", headers={{"Content-Type": "audio/mpeg"}})

        assert TTSConfig({NEW_FIELD}=1.5).{NEW_FIELD} == 1.5
        assert TTSConfig().{NEW_FIELD} is None  # no spec default: unset, and not sent
        try:
            TTSConfig({NEW_FIELD}=2.5)
        except ValidationError as error:
            assert str(error) == "{NEW_FIELD}=2.5 is out of range: allowed 0 to 2", error
        else:
            raise AssertionError("out of range accepted")

        transport = httpx.MockTransport(answer)
        with FishAudio(api_key="k", httpx_client=httpx.Client(transport=transport)) as client:
            client.tts.convert(text="a", config=TTSConfig({NEW_FIELD}=0.5))
            client.tts.convert(text="b", {NEW_FIELD}=0.25)
            with client.tts.stream(text="c", {NEW_FIELD}=2) as audio:
                b"".join(audio)
            try:
                client.tts.convert(text="d", {NEW_FIELD}=-1)
            except ValidationError:
                pass
            else:
                raise AssertionError("out of range sent")

        async def main():
            http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
            async with AsyncFishAudio(api_key="k", httpx_client=http) as client:
                await client.tts.convert(text="e", {NEW_FIELD}=1)
                audio = await client.tts.stream(text="f", {NEW_FIELD}=0)
                async for _ in audio:
                    pass

        with FishAudio(api_key="k", httpx_client=httpx.Client(transport=transport)) as client:
            client.tts.convert(text="g")
        assert "{NEW_FIELD}" not in bodies.pop()
        asyncio.run(main())
        assert [(b["text"], b["{NEW_FIELD}"]) for b in bodies] == [
            ("a", 0.5), ("b", 0.25), ("c", 2), ("e", 1), ("f", 0)
        ], bodies

        with LiveServer().running() as server:
            with FishAudio(api_key="k", base_url=server.base_url) as client:
                list(client.tts.stream_websocket(iter(["Hi."]), {NEW_FIELD}=0.75))
            sent_sync = server.received[0]["request"]

            async def live():
                async with AsyncFishAudio(api_key="k", base_url=server.base_url) as client:
                    async for _ in client.tts.stream_websocket(_texts(), {NEW_FIELD}=1.25):
                        pass

            async def _texts():
                yield "Hi."

            asyncio.run(live())
            sent_async = server.received[0]["request"]
        assert (sent_sync["{NEW_FIELD}"], sent_async["{NEW_FIELD}"]) == (0.75, 1.25)
        print("ok")
        """,
    )
    assert output.strip() == "ok"


def test_a_new_field_is_typed_for_mypy(regenerated: Path, tmp_path: Path) -> None:
    sample = tmp_path / "uses_the_new_field.py"
    sample.write_text(
        textwrap.dedent(
            f"""
            from fishaudio_ext import AsyncFishAudio, FishAudio
            from fishaudio_ext.types import TTSConfig


            def sync_calls(client: FishAudio) -> None:
                TTSConfig({NEW_FIELD}=1.0)
                client.tts.convert(text="x", {NEW_FIELD}=1.0)
                client.tts.stream(text="x", {NEW_FIELD}=1)
                client.tts.stream_websocket(iter(["x"]), {NEW_FIELD}=1.0)


            async def async_calls(client: AsyncFishAudio) -> None:
                await client.tts.convert(text="x", {NEW_FIELD}=1.0)
                await client.tts.stream(text="x", {NEW_FIELD}=1.0)


            def wrong_type(client: FishAudio) -> None:
                client.tts.convert(text="x", {NEW_FIELD}="strong")
            """
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "MYPYPATH": str(regenerated)}
    config = tmp_path / "mypy.ini"
    config.write_text(
        "[mypy]\n\n[mypy-msgpack]\n# msgpack ships no type information.\nignore_missing_imports = True\n"
    )
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "mypy"),
            "--strict",
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(sample),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    wrong_line = (
        sample.read_text().splitlines().index(f'    client.tts.convert(text="x", {NEW_FIELD}="strong")')
    )
    # Only the wrong type is an error: every call above it type-checks with the new field.
    assert len(errors) == 1, result.stdout
    assert errors[0].split(":")[1] == str(wrong_line + 1), errors[0]
    assert f'"{NEW_FIELD}"' in errors[0]


def test_a_new_model_is_known_and_the_local_server_refuses_to_bill_it_without_a_price(
    regenerated: Path,
) -> None:
    output = run_python(
        regenerated,
        f"""
        import typing
        from fishaudio_api import facts
        from fishaudio_api.models import KnownTTSModel
        from fishaudio_ext import BadRequestError, FishAudio
        from fishaudio_ext.server import LocalServer

        assert "{NEW_MODEL}" in facts.KNOWN_TTS_MODEL_VALUES
        assert "{NEW_MODEL}" in typing.get_args(KnownTTSModel)
        assert "{NEW_MODEL}" not in facts.TTS_MODEL_USD_PER_MILLION_BYTES

        with LocalServer() as server, FishAudio(api_key=server.api_key, base_url=server.url) as client:
            before = server.credit()
            try:
                client.tts.convert(text="Hello there.", model="{NEW_MODEL}")
            except BadRequestError as error:
                assert "has no price" in str(error), error
            else:
                raise AssertionError("an unpriced model was served")
            assert server.credit() == before
            # A name the spec does not know is served as the API's default model, as the API does.
            client.tts.convert(text="Hello there.", model="not-a-model-yet")
            assert server.credit() < before
        print("ok")
        """,
    )
    assert output.strip() == "ok"


def test_a_new_operation_is_callable_through_client_api_and_answered_by_the_local_server(
    regenerated: Path,
) -> None:
    output = run_python(
        regenerated,
        f"""
        import asyncio
        import fishaudio_ext
        from fishaudio_api.models import UsageReport
        from fishaudio_ext import AsyncFishAudio, AuthenticationError, FishAudio
        from fishaudio_ext.server import LocalServer

        assert fishaudio_ext.__file__.startswith({str(regenerated)!r}), fishaudio_ext.__file__
        with LocalServer() as server:
            with FishAudio(api_key=server.api_key, base_url=server.url) as client:
                usage = client.api.{NEW_OPERATION}()
                assert isinstance(usage, UsageReport) and usage.characters >= 0, usage
                assert client.api.{NEW_OPERATION}.operation.idempotent  # a GET: replay-safe
            with FishAudio(api_key="not-the-key", base_url=server.url, max_retries=0) as client:
                try:
                    client.api.{NEW_OPERATION}()
                except AuthenticationError:
                    pass  # the one request path maps the server's 401
                else:
                    raise AssertionError("a wrong key was accepted")

            async def main():
                async with AsyncFishAudio(api_key=server.api_key, base_url=server.url) as client:
                    return await client.api.{NEW_OPERATION}()

            assert isinstance(asyncio.run(main()), UsageReport)
        print("ok")
        """,
    )
    assert output.strip() == "ok"


def run_drift(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "spec_drift.py"), "--unexplained", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_changed_bound_is_reported_with_both_values_until_the_spec_follows(
    regenerated: Path, tmp_path: Path
) -> None:
    upstream = tmp_path / "openapi.json"
    published = json.loads((ROOT / "spec" / "upstream" / "openapi.json").read_text(encoding="utf-8"))
    upstream.write_text(json.dumps(upstream_with_new_bound(published)), encoding="utf-8")

    before = run_drift(str(upstream))
    assert before.returncode == 1, before.stdout + before.stderr
    assert DRIFT_LINE in before.stdout

    after = run_drift(str(upstream), "--spec", str(regenerated / "spec" / "openapi.yaml"))
    assert "chunk_length.maximum" not in after.stdout, after.stdout
    output = run_python(
        regenerated,
        """
        from fishaudio_ext.types import TTSConfig

        assert TTSConfig(chunk_length=500).chunk_length == 500
        print("ok")
        """,
    )
    assert output.strip() == "ok"
