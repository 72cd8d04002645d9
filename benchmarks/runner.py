"""Run every measure, print the table and write the JSON: the code behind ``scripts/bench``.

Each measure module has ``run(plan) -> Measure``. Inside a measure the contenders run interleaved: every
repetition visits all of them, in an order rotated from one repetition to the next, so that warm-up, CPU
frequency and background noise spread evenly. Figures are medians, with the spread as p10-p90 (min-max
when there are fewer than 10 samples).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

Better = Literal["lower", "higher"]

OURS = "fishaudio-ext"
RAW_HTTPX = "raw httpx"
OFFICIAL = "official SDK"
BARE_WS = "bare websockets"


@attrs.frozen
class Plan:
    """How big each measure is: ``quick`` shrinks everything to a smoke run of a few seconds."""

    quick: bool

    def pick(self, quick: int, full: int) -> int:
        return quick if self.quick else full


@attrs.define
class Series:
    """The samples of one contender in one measure."""

    values: list[float] = attrs.field(factory=list)
    errors: int = 0
    skipped: str | None = None  # why this contender cannot do the measure
    note: str | None = None

    def summary(self) -> dict[str, Any]:
        if self.skipped is not None or not self.values:
            return {"skipped": self.skipped or "no samples", "errors": self.errors}
        low, high = spread(self.values)
        result = {
            "median": statistics.median(self.values),
            "low": low,
            "high": high,
            "spread": "p10-p90" if len(self.values) >= 10 else "min-max",
            "n": len(self.values),
            "errors": self.errors,
        }
        if self.note:
            result["note"] = self.note
        return result

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values and self.skipped is None else None


@attrs.define
class Check:
    """One target: ``subject``'s median against ``reference``'s (a ratio) or against a fixed limit."""

    label: str
    subject: str
    limit: float
    reference: str | None = None  # None: compare the subject's median itself with ``limit``
    at_most: bool = True
    value: float | None = None
    met: bool | None = None


@attrs.define
class Measure:
    """The result of one measure: its contenders' samples, the targets, and notes on how it was done."""

    key: str
    title: str
    unit: str
    better: Better
    series: dict[str, Series]
    checks: list[Check] = attrs.field(factory=list)
    notes: list[str] = attrs.field(factory=list)
    details: dict[str, Any] = attrs.field(factory=dict)
    seconds: float = 0.0

    def evaluate(self) -> None:
        for check in self.checks:
            subject = self.series.get(check.subject)
            value = subject.median if subject is not None else None
            if check.reference is not None and value is not None:
                reference = self.series.get(check.reference)
                base = reference.median if reference is not None else None
                value = value / base if base else None
            if subject is not None and subject.errors:
                check.value, check.met = value, False
                continue
            check.value = value
            check.met = (
                None if value is None else (value <= check.limit if check.at_most else value >= check.limit)
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "unit": self.unit,
            "better": self.better,
            "contenders": {name: series.summary() for name, series in self.series.items()},
            "targets": [attrs.asdict(check) for check in self.checks],
            "met": None if not self.checks else all(check.met for check in self.checks),
            "notes": self.notes,
            "details": self.details,
            "seconds": round(self.seconds, 2),
        }


def spread(values: Sequence[float]) -> tuple[float, float]:
    """p10 and p90 (nearest rank), or min and max for fewer than 10 values."""
    ordered = sorted(values)
    if len(ordered) < 10:
        return ordered[0], ordered[-1]
    last = len(ordered) - 1
    return ordered[round(0.1 * last)], ordered[round(0.9 * last)]


def rotations(names: Sequence[str], repetitions: int) -> Iterator[tuple[int, str]]:
    """(repetition, name) pairs: every name once per repetition, the order rotated each time."""
    for rep in range(repetitions):
        shift = rep % len(names)
        for name in [*names[shift:], *names[:shift]]:
            yield rep, name


# --- reporting -------------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _cell(series: Series | None) -> str:
    if series is None:
        return "-"
    if series.skipped is not None:
        return "n/a"
    if not series.values:
        return "-"
    low, high = spread(series.values)
    errors = f" ({series.errors} err)" if series.errors else ""
    return f"{_fmt(statistics.median(series.values))} [{_fmt(low)}-{_fmt(high)}]{errors}"


def _check_text(check: Check) -> str:
    sign = "<=" if check.at_most else ">="
    if check.reference is None:
        target = f"{check.label} {sign} {_fmt(check.limit)}"
        value = _fmt(check.value)
    else:
        target = f"{check.label} {sign} {check.limit:g}x"
        value = "-" if check.value is None else f"{check.value:.3f}x"
    verdict = {True: "MET", False: "MISSED", None: "n/a"}[check.met]
    return f"{target}: {value} {verdict}"


def render(measures: Sequence[Measure]) -> str:
    """The per-measure blocks (every contender) and the summary table."""
    lines: list[str] = []
    for measure in measures:
        lines.append(
            f"== {measure.title} ({measure.unit}, {measure.better} is better; {measure.seconds:.1f} s)"
        )
        width = max(len(name) for name in measure.series)
        for name, series in measure.series.items():
            if series.skipped is not None:
                lines.append(f"   {name:<{width}}  n/a: {series.skipped}")
                continue
            note = f"  ({series.note})" if series.note else ""
            lines.append(f"   {name:<{width}}  {_cell(series)}  n={len(series.values)}{note}")
        for check in measure.checks:
            lines.append(f"   target {_check_text(check)}")
        lines.extend(f"   note: {note}" for note in measure.notes)
        lines.append("")
    header = ("measure", OURS, "baseline", OFFICIAL, "targets")
    rows = [header]
    for measure in measures:
        baseline = next((measure.series[n] for n in (RAW_HTTPX, BARE_WS) if n in measure.series), None)
        baseline = measure.series.get(measure.details.get("baseline", ""), baseline)
        rows.append(
            (
                f"{measure.key} ({measure.unit})",
                _cell(measure.series.get(OURS)),
                _cell(baseline),
                _cell(measure.series.get(OFFICIAL)),
                "; ".join(_check_text(check) for check in measure.checks),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines.append("Summary: median [p10-p90, or min-max under 10 samples]")
    for index, row in enumerate(rows):
        lines.append(
            " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + " | " + row[-1]
        )
        if index == 0:
            lines.append("-+-".join("-" * width for width in widths) + "-+-" + "-" * 20)
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for package in (
        "httpx",
        "httpcore",
        "websockets",
        "fish-audio-sdk",
        "aiohttp",
        "httpx-aiohttp",
        "uvicorn",
    ):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
    }


# --- running ---------------------------------------------------------------------------------------------


def _measures() -> dict[str, Callable[[Plan], list[Measure]]]:
    import importlib

    names = (
        "ttfb",
        "stream_memory",
        "convert_latency",
        "async_throughput",
        "websocket_overhead",
        "import_cost",
        "local_server",
        "long_text",
        "live_sessions",
    )
    return {name: importlib.import_module(f"benchmarks.{name}").run for name in names}


def main(argv: Sequence[str] | None = None) -> int:
    measures = _measures()
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Benchmark fishaudio-ext against raw httpx, a bare websockets client and the official"
        " SDK. Targets are reported; a full run exits 3 when one is missed, a --quick run never does.",
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run of a few seconds")
    parser.add_argument(
        "--json", default="bench-results.json", help="where to write the results (default: %(default)s)"
    )
    parser.add_argument(
        "--only", action="append", choices=sorted(measures), help="run only this measure (repeatable)"
    )
    args = parser.parse_args(argv)
    plan = Plan(quick=args.quick)
    started = time.perf_counter()
    results: list[Measure] = []
    failures: dict[str, str] = {}
    for key, run in measures.items():
        if args.only and key not in args.only:
            continue
        print(f"==> {key}", file=sys.stderr, flush=True)
        began = time.perf_counter()
        try:
            produced = run(plan)
        except Exception:
            failures[key] = traceback.format_exc()
            print(failures[key], file=sys.stderr)
            continue
        for measure in produced:
            measure.seconds = (time.perf_counter() - began) / len(produced)
            measure.evaluate()
            results.append(measure)
    print(render(results))
    info = machine()
    command = shlex.join(["scripts/bench", *(sys.argv[1:] if argv is None else argv)])
    print(
        f"\nmachine: {info['nproc']} CPUs, {info['cpu']}, Python {info['python']}; command: {command}; "
        f"{time.perf_counter() - started:.0f} s"
    )
    document = {
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "quick": plan.quick,
        "machine": info,
        "seconds": round(time.perf_counter() - started, 1),
        "measures": {measure.key: measure.to_json() for measure in results},
        "failures": failures,
    }
    Path(args.json).write_text(json.dumps(document, indent=2) + "\n")
    print(f"results written to {args.json}")
    if failures:
        print(f"measures that failed to run: {', '.join(failures)}", file=sys.stderr)
        return 1
    missed = [measure.key for measure in results if any(check.met is False for check in measure.checks)]
    if missed and not plan.quick:
        # A quick run's sizes are too small to judge by: there the targets are only reported.
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr)
        return 3
    return 0
