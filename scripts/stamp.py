"""Print what generated/ was generated from: the inputs' sha256 and the tool versions."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [
    "spec/openapi.yaml",
    "spec/asyncapi.yaml",
    "spec/generator.yaml",
    "scripts/generate",
    "scripts/generator_view.py",
    "scripts/response_facts.py",
    "scripts/generate_facts.py",
    "scripts/facts_common.py",
    "scripts/emit_facts.py",
    "scripts/emit_settings.py",
    "scripts/settings_checks.py",
    "scripts/api_namespace.py",
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    templates = sorted((ROOT / "spec/templates").rglob("*.jinja"))
    inputs = INPUTS + [str(t.relative_to(ROOT)) for t in templates]
    stamp = {
        "inputs": {name: sha256(ROOT / name) for name in inputs},
        "tools": {tool: importlib.metadata.version(tool) for tool in ("openapi-python-client", "ruff")},
    }
    print(json.dumps(stamp, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
