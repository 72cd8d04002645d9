"""``scripts/bench --quick`` runs every measure end to end and writes them all to the JSON."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MEASURES = {
    "ttfb_sync_local",
    "ttfb_async_local",
    "ttfb_sync_stub",
    "ttfb_async_stub",
    "stream_memory",
    "convert_sync_local",
    "convert_async_local",
    "convert_sync_stub",
    "convert_async_stub",
    "throughput_stub",
    "throughput_local",
    "websocket_async",
    "websocket_sync",
    "import_time",
    "import_rss",
    "server_ttfb",
    "server_total",
    "server_throughput",
    "server_encoding",
    "server_asr_wer",
    "server_rss",
    "long_text",
    "live_session_ttfa",
    "live_cancel",
}
# The local server's own measures: each row is one engine/format/size, not a client contender.
SERVER = {key for key in MEASURES if key.startswith("server_")}
# The targets of the brief, each judged on one measure.
JUDGED = {
    "ttfb_sync_local",
    "ttfb_async_local",
    "stream_memory",
    "convert_sync_local",
    "convert_async_local",
    "throughput_stub",
    "websocket_async",
    "websocket_sync",
    "import_time",
    "import_rss",
    "server_ttfb",
    "server_encoding",
    "server_rss",
    "long_text",
    "live_session_ttfa",
}


def test_quick_bench_writes_every_measure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    # From another directory: the script finds its checkout, and the JSON goes where it is told.
    run = subprocess.run(
        [str(ROOT / "scripts" / "bench"), "--quick", "--json", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Summary" in run.stdout

    results = json.loads(out.read_text())
    assert results["quick"] is True
    assert results["failures"] == {}
    assert results["machine"]["nproc"] >= 1
    assert set(results["measures"]) == MEASURES
    for key, measure in results["measures"].items():
        rows = measure["contenders"].values() if key in SERVER else [measure["contenders"]["fishaudio-ext"]]
        for row in rows:
            assert row["errors"] == 0, key
            assert row["median"] >= 0 if key == "server_asr_wer" else row["median"] > 0, key
        targets = measure["targets"]
        if key in JUDGED:
            assert targets, key
            assert all(target["value"] is not None for target in targets), key
        else:
            assert targets == [], key
