"""``import fishaudio_ext`` against ``import fishaudio`` (the official SDK): time and resident memory.

Every sample is a fresh interpreter (``python -c``, run from a temporary directory) that reads its RSS,
imports the package timing it with ``perf_counter``, and reads its RSS again; the contenders alternate
sample by sample. ``import httpx``, which both packages pay, is shown for reference.

The development environment has ``click`` and ``rich`` (openapi-python-client needs them), and
``import httpx`` then also imports its command-line interface through them, some 50 ms that a user's
environment (``pip install fishaudio-ext``) does not have. The targets are judged as a user installs the
package: the child processes refuse ``click``, ``rich`` and ``pygments``, exactly as if they were absent
(httpx falls back silently). The rows "as installed here" keep them, for reference.

A ``python -X importtime`` run per package lists the heaviest imports (cumulative) in the JSON.

Target: fishaudio-ext at most 0.7x the official SDK, for time and for memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from .runner import OFFICIAL, OURS, Check, Measure, Plan, Series, rotations

MODULES = {OURS: "fishaudio_ext", OFFICIAL: "fishaudio", "httpx (both import it)": "httpx"}
ABSENT = ("click", "rich", "pygments")

_CHILD = """
import sys, time
def rss():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) * 1024
absent = {absent!r}
if absent:
    class Absent:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name.split('.')[0] in absent:
                raise ModuleNotFoundError(f'No module named {{name!r}}', name=name)
    sys.meta_path.insert(0, Absent)
before = rss()
started = time.perf_counter()
import {module}
elapsed = time.perf_counter() - started
print(elapsed, rss() - before)
"""


def _sample(module: str, absent: tuple[str, ...], cwd: str) -> tuple[float, float]:
    code = _CHILD.format(module=module, absent=absent)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=True, env=_env()
    )
    seconds, rss = result.stdout.split()
    return float(seconds) * 1e3, int(rss) / (1024 * 1024)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the installed packages only, as a user has them
    return env


def _importtime(module: str, cwd: str, absent: tuple[str, ...]) -> list[tuple[str, float]]:
    """The heaviest imports (cumulative ms) of ``import module``."""
    code = _CHILD.format(module=module, absent=absent)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, cwd=cwd, env=_env()
    )
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        try:
            rows.append((name.strip(), int(cumulative) / 1e3))
        except ValueError:
            continue
    rows.sort(key=lambda row: row[1], reverse=True)
    return rows[:25]


def run(plan: Plan) -> list[Measure]:
    samples = plan.pick(1, 15)
    variants = {"user": ABSENT, "installed": ()}
    times = {(variant, name): Series() for variant in variants for name in MODULES}
    memory = {(variant, name): Series() for variant in variants for name in MODULES}
    with tempfile.TemporaryDirectory(prefix="fishaudio-bench-") as cwd:
        for name in MODULES if not plan.quick else ():  # warm the file system cache
            _sample(MODULES[name], (), cwd)
        pairs = [f"{variant}|{name}" for variant in variants for name in MODULES]
        for _, pair in rotations(pairs, samples):
            variant, name = pair.split("|")
            try:
                elapsed, rss = _sample(MODULES[name], variants[variant], cwd)
            except (subprocess.CalledProcessError, ValueError):
                times[variant, name].errors += 1
                memory[variant, name].errors += 1
                continue
            times[variant, name].values.append(elapsed)
            memory[variant, name].values.append(rss)
        heaviest = {name: _importtime(MODULES[name], cwd, ABSENT) for name in (OURS, OFFICIAL)}

    def series_of(table: dict[tuple[str, str], Series]) -> dict[str, Series]:
        result = {name: table["user", name] for name in MODULES}
        for name in MODULES:
            result[f"{name}, as installed here"] = table["installed", name]
        return result

    note = (
        f"judged without {', '.join(ABSENT)} (httpx's optional CLI), as after pip install; "
        "a fresh interpreter per sample"
    )
    return [
        Measure(
            "import_time",
            "import time in a fresh interpreter",
            "ms",
            "lower",
            series_of(times),
            checks=[Check("fishaudio-ext / official SDK", OURS, 0.7, reference=OFFICIAL)],
            notes=[note],
            details={
                "baseline": "httpx (both import it)",
                "heaviest_imports_ms": json.loads(json.dumps(heaviest)),
            },
        ),
        Measure(
            "import_rss",
            "resident memory added by the import",
            "MiB",
            "lower",
            series_of(memory),
            checks=[Check("fishaudio-ext / official SDK", OURS, 0.7, reference=OFFICIAL)],
            notes=[note],
            details={"baseline": "httpx (both import it)"},
        ),
    ]
