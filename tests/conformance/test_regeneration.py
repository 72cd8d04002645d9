"""generated/ is exactly what scripts/generate makes from the current spec: no drift, no hand edits."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
GENERATOR = ROOT / ".venv" / "bin" / "openapi-python-client"
STAMP = GENERATED / "stamp.json"
# Build and tool caches are not part of the output.
IGNORED_PARTS = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"}
REGENERATE = "run scripts/generate and commit generated/"
# client.api is generated into fishaudio_ext/; with an output directory, into OUTPUT/fishaudio_ext/.
API_DIR = "fishaudio_ext/"
API_FILES = ("_api_operations.py", "_api_namespace.py")


def output_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not IGNORED_PARTS & set(path.relative_to(root).parts) and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run of scripts/generate into a temporary directory, shared by this module's tests."""
    if not (GENERATOR.is_file() and GENERATOR.stat().st_mode & 0o111):
        pytest.skip(
            f"{GENERATOR.relative_to(ROOT)} is missing: openapi-python-client 0.29.1 needs Python >= 3.11 "
            "(run scripts/bootstrap with Python 3.11+)"
        )
    out = tmp_path_factory.mktemp("regenerated")
    result = subprocess.run(
        [str(ROOT / "scripts" / "generate"), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"scripts/generate failed:\n{result.stdout}\n{result.stderr}"
    return out


def test_regeneration_reproduces_generated_byte_for_byte(regenerated: Path) -> None:
    committed = output_files(GENERATED)
    fresh = {name: data for name, data in output_files(regenerated).items() if not name.startswith(API_DIR)}
    assert "fishaudio_api/__init__.py" in fresh, sorted(fresh)
    assert "stamp.json" in fresh, sorted(fresh)
    missing = sorted(fresh.keys() - committed.keys())
    extra = sorted(committed.keys() - fresh.keys())
    differing = sorted(name for name in committed.keys() & fresh.keys() if committed[name] != fresh[name])
    problems = [f"differs: {name}" for name in differing]
    problems += [f"missing from generated/: {name}" for name in missing]
    problems += [f"not produced by the generator: {name}" for name in extra]
    assert not problems, (
        f"generated/ is not what scripts/generate produces ({REGENERATE}; never edit generated/ by hand):\n"
        + "\n".join(problems)
    )


def test_regeneration_reproduces_client_api_byte_for_byte(regenerated: Path) -> None:
    for name in API_FILES:
        committed = (ROOT / API_DIR / name).read_bytes()
        fresh = (regenerated / API_DIR / name).read_bytes()
        assert committed == fresh, (
            f"fishaudio_ext/{name} is not what scripts/generate produces ({REGENERATE})"
        )


def test_stamp_input_hashes_match_the_current_files() -> None:
    stamp = json.loads(STAMP.read_text(encoding="utf-8"))
    templates = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "spec" / "templates").rglob("*.jinja"))
    expected_inputs = set(load_script("stamp").INPUTS) | set(templates)
    assert {"spec/openapi.yaml", "spec/generator.yaml"} <= expected_inputs
    recorded: dict[str, str] = stamp["inputs"]
    problems = [f"not recorded: {name}" for name in sorted(expected_inputs - recorded.keys())]
    problems += [
        f"recorded but no longer an input: {name}" for name in sorted(recorded.keys() - expected_inputs)
    ]
    for name in sorted(expected_inputs & recorded.keys()):
        path = ROOT / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != recorded[name]:
            problems.append(f"changed since the last generation: {name}")
    assert not problems, f"generated/stamp.json is stale ({REGENERATE}):\n" + "\n".join(problems)


def test_stamp_records_the_pinned_tools() -> None:
    stamp: dict[str, Any] = json.loads(STAMP.read_text(encoding="utf-8"))
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for tool in ("openapi-python-client", "ruff"):
        pins = re.findall(rf'"{re.escape(tool)}==([^";]+)', pyproject)
        assert pins, f"{tool} is not pinned with == in pyproject.toml"
        assert stamp["tools"][tool] == pins[0], (
            f"generated/ was made with {tool} {stamp['tools'][tool]}, pyproject pins {pins[0]} ({REGENERATE})"
        )


@pytest.mark.skipif(sys.version_info < (3, 11), reason="the generated package needs Python >= 3.11")
def test_generated_package_is_the_one_imported() -> None:
    import fishaudio_api

    assert Path(fishaudio_api.__file__).resolve().parent == GENERATED / "fishaudio_api"
