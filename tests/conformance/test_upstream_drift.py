"""Our spec differs from Fish Audio's published documents only as spec/upstream-deviations.yaml explains.

Both sides are in the repository: spec/openapi.yaml + spec/asyncapi.yaml, and the baseline copy of Fish
Audio's openapi.json + asyncapi.yml in spec/upstream/ (replaced by ``scripts/spec-drift --update-baseline``).
"""

from __future__ import annotations

from pathlib import Path

from tests.support.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"


def test_every_difference_from_the_baseline_is_explained_and_every_entry_is_used() -> None:
    drift = load_script("spec_drift")
    lines = drift.compare(
        drift.load_openapi(SPEC / "upstream" / "openapi.json"), drift.load_openapi(SPEC / "openapi.yaml")
    )
    lines += drift.compare_asyncapi(
        drift.load_asyncapi(SPEC / "upstream" / "asyncapi.yml"), drift.load_asyncapi(SPEC / "asyncapi.yaml")
    )
    explained, stale = drift.classify(lines, drift.load_deviations(SPEC / "upstream-deviations.yaml"))
    problems = [
        f"unexplained: {line.describe()}" for line, dev in zip(lines, explained, strict=True) if dev is None
    ]
    problems += [f"stale deviation entry: {dev.label}" for dev in stale]
    assert not problems, (
        "spec/ drifted from Fish Audio's published documents (spec/upstream/); fix the spec or explain each "
        "line in spec/upstream-deviations.yaml (run scripts/spec-drift):\n" + "\n".join(problems)
    )


def test_the_baseline_is_compared_by_default() -> None:
    drift = load_script("spec_drift")
    args = drift._parser().parse_args([])
    assert args.upstream == SPEC / "upstream" / "openapi.json"
    assert args.upstream_asyncapi == SPEC / "upstream" / "asyncapi.yml"
    assert args.upstream.is_file()
    assert args.upstream_asyncapi.is_file()
