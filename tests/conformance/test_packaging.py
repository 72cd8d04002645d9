"""The built wheel ships both packages, typed, with the spec and the entry points, and works on its own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

USER_CODE = """
from fishaudio_api.models import ModelEntity
from fishaudio_ext import FishAudio
from fishaudio_ext.types import TTSConfig

client = FishAudio(api_key="key")
config = TTSConfig(format="wav", latency="low")
voice: ModelEntity = client.voices.get("802e3bc2b27e49c2995d23ef70e6ac89")
title: str = voice.title
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def unpacked(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_the_wheel_ships_both_typed_packages_and_the_spec(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"fishaudio_ext/py.typed", "fishaudio_api/py.typed"} <= names
    assert "fishaudio_ext/server/openapi.yaml" in names
    assert "fishaudio_api/api/tts/text_to_speech.py" in names
    assert not any(name.startswith(("generated/", "tests/", "spec/")) for name in names)


def test_the_wheel_declares_the_cli_and_the_pytest_plugin(wheel: Path) -> None:
    (entry_points,) = [n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "fishaudio = fishaudio_ext.cli:main" in text
    assert "fishaudio = fishaudio_ext.pytest_plugin" in text


def test_the_spec_in_the_wheel_is_the_spec(wheel: Path) -> None:
    shipped = zipfile.ZipFile(wheel).read("fishaudio_ext/server/openapi.yaml")
    assert shipped == (ROOT / "spec/openapi.yaml").read_bytes()


def test_the_unpacked_wheel_imports_on_its_own(unpacked: Path) -> None:
    check = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(unpacked)!r})
        import fishaudio_api, fishaudio_ext, fishaudio_ext.server
        for module in (fishaudio_api, fishaudio_ext, fishaudio_ext.server):
            assert module.__file__.startswith({str(unpacked)!r}), module.__file__
    """)
    subprocess.run([sys.executable, "-c", check], check=True, cwd=unpacked)


def test_code_using_the_unpacked_wheel_type_checks_strictly(unpacked: Path, tmp_path: Path) -> None:
    user_code = tmp_path / "app.py"
    user_code.write_text(USER_CODE + "wrong: int = voice.title\n")
    # On MYPYPATH the packages are checked as source, not as installed packages (whose own imports mypy
    # does not report), so msgpack's lack of type information must be declared as the project does.
    (tmp_path / "mypy.ini").write_text("[mypy]\n[mypy-msgpack]\nignore_missing_imports = True\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.10",
            str(user_code),
        ],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(unpacked), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    # Exactly the one planted error: the packages' own annotations are seen and are sound.
    assert (
        'Incompatible types in assignment (expression has type "str", variable has type "int")'
        in result.stdout
    )
    assert "Found 1 error in 1 file" in result.stdout, result.stdout
