"""The official SDK's own integration suite, run against the local server through ``fishaudio_ext``.

``fish-audio-sdk``'s ``tests/integration`` (it ships in the source distribution only, which
``scripts/bootstrap`` downloads into ``.venv/official-sdk``) is unpacked into a temporary directory, its
``fishaudio`` imports renamed to ``fishaudio_ext`` and nothing else changed, and run by pytest in a
subprocess with ``FISH_API_KEY`` and ``FISH_BASE_URL`` aimed at the local server. Every test it collects
must pass, except the ones below that need a real recording; code written against the official SDK and
tested this way can move to ``fishaudio_ext`` by renaming its imports.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from fishaudio_ext.server import LocalServer

VERSION = importlib.metadata.version("fish-audio-sdk")
SDIST = Path(sys.prefix) / "official-sdk" / f"fish_audio_sdk-{VERSION}.tar.gz"
SDIST_SHA256 = {"1.3.0": "148817a42475dda780748ce9c8f8f2722cd7947e7c7bd9b181152ce3b55e734b"}
# They transcribe John F. Kennedy's inaugural address (the suite's samples/jfk.wav) and expect its famous
# words: the local server's recognizer tells speech from noise, it is no transcription service.
NEEDS_A_REAL_RECORDING = (
    "tests/integration/test_asr_integration.py::TestASRFromFileIntegration::test_asr_from_file",
    "tests/integration/test_asr_integration.py::TestAsyncASRFromFileIntegration::test_async_asr_from_file",
)
# Every other test of the suite: 48, and its 4 WebSocket tests of the deprecated models
# speech-1.5 and speech-1.6, which it marks as expected to fail and which pass here.
EXPECTED_PASSES = 52
# pytest's --deselect would also drop the tests whose ids these are a prefix of: deselect exactly these.
DESELECT_PLUGIN = f"""
NEEDS_A_REAL_RECORDING = {NEEDS_A_REAL_RECORDING!r}

def pytest_collection_modifyitems(config, items):
    dropped = [item for item in items if item.nodeid in NEEDS_A_REAL_RECORDING]
    config.hook.pytest_deselected(items=dropped)
    items[:] = [item for item in items if item not in dropped]
"""
IMPORT = re.compile(r"^(\s*(?:from|import)\s+)fishaudio\b", re.MULTILINE)


def unpack_suite(target: Path) -> Path:
    """The sdist's tests and samples under ``target``, the imports renamed; returns the project root."""
    assert SDIST.is_file(), f"{SDIST} is missing: scripts/bootstrap downloads it"
    assert hashlib.sha256(SDIST.read_bytes()).hexdigest() == SDIST_SHA256[VERSION]
    with tarfile.open(SDIST) as archive:
        archive.extractall(target, filter="data")
    root = target / f"fish_audio_sdk-{VERSION}"
    for module in (root / "tests" / "integration").glob("*.py"):
        module.write_text(IMPORT.sub(r"\1fishaudio_ext", module.read_text("utf-8")), "utf-8")
    return root


def outcomes(report: Path) -> dict[str, str]:
    """Each test of a JUnit XML report and how it ended: ``passed``, or its failure's message."""
    ended = {}
    for case in ElementTree.parse(report).iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        problem = next(iter(case), None)
        ended[name] = "passed" if problem is None else f"{problem.tag}: {problem.get('message')}"
    return ended


def test_the_official_integration_suite_passes(fish_audio_server: LocalServer, tmp_path: Path) -> None:
    root = unpack_suite(tmp_path)
    report = tmp_path / "report.xml"
    (tmp_path / "needs_a_real_recording.py").write_text(DESELECT_PLUGIN, "utf-8")
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
        "FISH_API_KEY": fish_audio_server.api_key,
        "FISH_BASE_URL": fish_audio_server.url,
        "PYTHONWARNINGS": "",
    }
    environment.pop("PYTEST_ADDOPTS", None)

    plugins = ["-p", "no:cacheprovider", "-p", "needs_a_real_recording"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/integration", "-q", *plugins, f"--junitxml={report}"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )

    ended = outcomes(report)
    failed = {name: how for name, how in ended.items() if how != "passed"}
    assert failed == {}, run.stdout[-4000:]
    assert len(ended) == EXPECTED_PASSES, run.stdout[-4000:]
    assert run.returncode == 0
    assert "2 deselected" in run.stdout
