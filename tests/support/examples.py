"""Run a documented example as written: a script, or a snippet written for an async context."""

from __future__ import annotations

import ast
import asyncio
import inspect
from typing import Any


def run(code: str, namespace: dict[str, Any] | None = None, filename: str = "<example>") -> dict[str, Any]:
    """Execute ``code`` in ``namespace`` (a fresh ``__main__`` by default) and return the namespace.

    A snippet with a bare ``async with`` or ``await`` runs as the body of a coroutine.
    """
    namespace = {"__name__": "__main__"} if namespace is None else namespace
    compiled = compile(code, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)  # exec() would drop the coroutine of top-level await
    if inspect.iscoroutine(result):
        asyncio.run(result)
    return namespace
