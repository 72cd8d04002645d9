"""Emit the spec's wire facts and the TTS request settings into the generated package.

Writes, next to what openapi-python-client generated:

* ``facts.py``: every value the extension and the local server need to know about the wire: the known
  values of each enum, the bounds of every request field and query parameter, the audio formats (media
  types, sample rates), the TTS models (price, multi-speaker, deprecated and their fallback), the Opus
  kbps mapping, the ASR limits, the prices and the concurrency limit.
* ``tts_settings.py``: ``TTSConfig``, ``Prosody`` and ``ReferenceAudio``, generated from ``TTSRequest``
  and the schemas it refers to; ``TTSOverrides``, the settings a call may pass directly; ``tts_request``,
  which turns a config and a text into the generated ``TTSRequest`` holding only what the user set.
* ``settings_checks.py``: a copy of ``scripts/settings_checks.py``, the checks those classes use.

Usage: generate_facts.py SPEC PACKAGE_DIR   (reads the AsyncAPI document next to SPEC too)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

# The steps' modules live next to this script.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from emit_facts import facts_module
from emit_settings import settings_module
from facts_common import Spec, generated_models

HERE = Path(__file__).resolve().parent


def format_python(paths: list[Path]) -> None:
    """Format as the generator's post-hooks format the rest of the package."""
    files = [str(path) for path in paths]
    isolated = ["--isolated", "--no-cache", "--quiet"]
    subprocess.run(
        ["ruff", "check", *files, "--fix-only", *isolated, "--select", "I,F401", "--exit-zero"], check=True
    )
    subprocess.run(["ruff", "format", *files, *isolated, "--line-length", "110"], check=True)


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit(__doc__)
    spec_path = Path(argv[1])
    spec = Spec(yaml.safe_load(spec_path.read_text(encoding="utf-8")))
    asyncapi = yaml.safe_load((spec_path.parent / "asyncapi.yaml").read_text(encoding="utf-8"))
    package = Path(argv[2])
    models = generated_models(package)
    shutil.copyfile(HERE / "settings_checks.py", package / "settings_checks.py")
    (package / "facts.py").write_text(facts_module(spec, models, asyncapi), encoding="utf-8")
    (package / "tts_settings.py").write_text(settings_module(spec, models), encoding="utf-8")
    format_python([package / "facts.py", package / "tts_settings.py", package / "settings_checks.py"])


if __name__ == "__main__":
    main(sys.argv)
