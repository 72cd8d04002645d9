"""The documented examples of the official SDK (its guide and reference), as tests run them.

The Python code blocks of the SDK guide (``seeds/000_*.txt``) and the ``Example:`` blocks of the SDK
reference (``seeds/003_*.txt``) are read at run time from ``../shared``, beside the repository; a test
module that runs them calls :func:`require_seeds` first, so that it is skipped when they are absent.
Their ``fishaudio`` imports are pointed at ``fishaudio_ext``. :func:`http_examples` are the blocks that do
not use ``stream_websocket``; :func:`websocket_examples` those that do. Blocks using ``aiofiles`` are
skipped unless it is installed (it is not a dependency of fishaudio-ext).
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
GUIDE = sorted(SEEDS.glob("000_*.txt"))
REFERENCE = sorted(SEEDS.glob("003_*.txt"))
HAVE_AIOFILES = importlib.util.find_spec("aiofiles") is not None

# The reference's placeholder id stands for one of the reader's own voices; the guide's error-handling
# example keeps its unknown "voice_id", since the point there is the error.
PLACEHOLDER_VOICE_ID = "voice_id_here"
# Files the examples open for reading, as a reader would have them in their working directory.
INPUT_FILE_NAMES = ("voice1.wav", "voice2.wav", "audio.mp3")
# Examples whose point is an API error: the server answers 400 for their placeholder voice id.
EXPECTED_ERRORS = {"Error Handling - sync": 400}


def require_seeds() -> None:
    """Skip the calling test module when the documentation seeds are not beside the repository."""
    if not GUIDE or not REFERENCE:
        pytest.skip(f"the documentation seeds are not in {SEEDS}", allow_module_level=True)


@dataclass(frozen=True)
class Example:
    name: str
    source: str
    """The code, its imports pointed at fishaudio_ext."""

    @property
    def plays(self) -> bool:
        return re.search(r"\bplay\(", self.source) is not None

    @property
    def writes_audio(self) -> bool:
        return re.search(r"\bsave\(|open\([^)]*\"wb\"\)", self.source) is not None


# A fence opens with ```python (and maybe a label such as "Synchronous") and closes at the same indent.
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```python(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)```", re.MULTILINE | re.DOTALL
)
_GUIDE_HEADING = re.compile(
    r"^#{2,4} (?P<heading>.+)$|<Accordion[^>]*\btitle=\"(?P<accordion>[^\"]+)\"", re.MULTILINE
)
_REFERENCE_ANCHOR = re.compile(r'<a id="fishaudio\.[\w.]*?\.(?P<name>\w+\.\w+)"></a>')
_IMPORT = re.compile(r"^(?P<head>[ \t]*(?:from|import)[ \t]+)fishaudio(?=[ \t.])", re.MULTILINE)
# The reference's snippets leave out the imports a reader of the page already has.
_REFERENCE_PRELUDE = "from fishaudio import AsyncFishAudio, FishAudio\n"


def _for_fishaudio_ext(code: str) -> str:
    """Point ``from fishaudio ...`` / ``import fishaudio ...`` lines, and only those, at fishaudio_ext."""
    return _IMPORT.sub(r"\g<head>fishaudio_ext", code)


def _dedent(body: str, indent: str) -> str:
    return "\n".join(line.removeprefix(indent) for line in body.splitlines()) + "\n"


def _flavour(info: str, code: str) -> str:
    label = info.split()[0] if info.split() else ""
    if label in ("Synchronous", "Asynchronous"):
        return "sync" if label == "Synchronous" else "async"
    return "async" if re.search(r"\bawait\b|asyncio\.run", code) else "sync"


def _guide_examples(text: str) -> list[tuple[str, str]]:
    found = []
    for fence in _FENCE.finditer(text):
        heading = list(_GUIDE_HEADING.finditer(text, 0, fence.start()))[-1]
        code = _dedent(fence["body"], fence["indent"])
        title = heading["heading"] or heading["accordion"]
        found.append((f"{title} - {_flavour(fence['info'], code)}", code))
    return found


def _reference_examples(text: str) -> list[tuple[str, str]]:
    found = []
    for fence in _FENCE.finditer(text):
        if not text[: fence.start()].rstrip().endswith("**Example**:"):
            continue
        anchor = list(_REFERENCE_ANCHOR.finditer(text, 0, fence.start()))[-1]
        code = _dedent(fence["body"], fence["indent"])
        code = _REFERENCE_PRELUDE + ("import aiofiles\n" if "aiofiles." in code else "") + code
        found.append((f"reference {anchor['name']} - {_flavour('', code)}", code))
    return found


def http_examples() -> list[Any]:
    """``pytest.param(Example)`` for each block that does not use ``stream_websocket``, named uniquely."""
    if not GUIDE or not REFERENCE:
        return []
    named = _guide_examples(GUIDE[0].read_text()) + _reference_examples(REFERENCE[0].read_text())
    params: list[Any] = []
    seen: dict[str, int] = {}
    for name, code in named:
        if "stream_websocket" in code:
            continue  # the WebSocket examples are run by their own tests
        seen[name] = seen.get(name, 0) + 1
        unique = name if seen[name] == 1 else f"{name} #{seen[name]}"
        marks = []
        if "aiofiles" in code and not HAVE_AIOFILES:
            reason = "uses aiofiles, which is not a dependency of fishaudio-ext and is not installed"
            marks.append(pytest.mark.skip(reason=reason))
        params.append(pytest.param(Example(unique, _for_fishaudio_ext(code)), id=unique, marks=marks))
    return params


# A fenced block, possibly indented (inside <CodeGroup> or a reference's Example section).
_WEBSOCKET_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```python[^\n]*\n(?P<code>.*?)^(?P=indent)```", re.MULTILINE | re.DOTALL
)


def websocket_examples() -> Iterator[Any]:
    """``pytest.param(code)`` for each block that calls ``stream_websocket``."""
    for source in GUIDE + REFERENCE:
        text = source.read_text(encoding="utf-8")
        for number, match in enumerate(_WEBSOCKET_FENCE.finditer(text)):
            code = textwrap.dedent(match["code"])
            if "stream_websocket(" not in code or "def stream_websocket" in code:
                continue  # not an example of it, or a signature
            line = text.count("\n", 0, match.start()) + 1
            marks = []
            if "aiofiles" in code and not HAVE_AIOFILES:
                marks.append(
                    pytest.mark.skip(reason="needs aiofiles, which fishaudio-ext does not depend on")
                )
            if "aiofiles." in code and "import aiofiles" not in code:
                code = "import aiofiles\n" + code  # the reference leaves it out
            code = re.sub(r"\bfishaudio\b", "fishaudio_ext", code)
            yield pytest.param(code, id=f"{source.name[:3]}-line{line}-block{number}", marks=marks)
