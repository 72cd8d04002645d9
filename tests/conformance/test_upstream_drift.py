"""Our spec may differ from Fish Audio's published openapi.json only as spec/upstream-deviations.yaml says."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ROOT.parent / "shared" / "upstream" / "openapi.json"
SPEC = ROOT / "spec" / "openapi.yaml"
DEVIATIONS = ROOT / "spec" / "upstream-deviations.yaml"


def _load_module() -> ModuleType:
    if "spec_drift" in sys.modules:
        return sys.modules["spec_drift"]
    spec = importlib.util.spec_from_file_location("spec_drift", ROOT / "scripts" / "spec_drift.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["spec_drift"] = module
    spec.loader.exec_module(module)
    return module


def test_every_difference_from_upstream_is_explained() -> None:
    if not UPSTREAM.is_file():
        pytest.skip(f"Fish Audio's published openapi.json is not available at {UPSTREAM}")
    drift = _load_module()
    diffs = drift.compare(drift.load_document(UPSTREAM), drift.load_document(SPEC))
    reasons, stale = drift.classify(diffs, drift.load_deviations(DEVIATIONS))
    problems = [f"unexplained: {d.key}  ({d.describe()})" for d in diffs if reasons[d.key] is None]
    problems += [f"stale deviation entry: {d.key}" for d in stale]
    assert not problems, (
        "spec/openapi.yaml drifted from the upstream openapi.json; fix the spec or explain each difference "
        "in spec/upstream-deviations.yaml (see scripts/spec-drift):\n" + "\n".join(problems)
    )
