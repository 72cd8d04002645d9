"""The README against the repository: its Python examples compile and import only what the packages export,
and it names the runtime dependencies and test folders there are (running the examples: tests/e2e)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_the_readme_has_examples() -> None:
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block {i}" for i in range(len(BLOCKS))])
def test_example_compiles_and_its_imports_exist(source: str) -> None:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fishaudio"):
            module = importlib.import_module(node.module)
            for alias in node.names:
                if not hasattr(module, alias.name):  # a submodule, e.g. fishaudio_api.api.voice_design
                    importlib.import_module(f"{node.module}.{alias.name}")


def test_the_runtime_dependencies_listed_are_those_of_the_package() -> None:
    text = README.read_text(encoding="utf-8")
    listed = re.search(r"Runtime dependencies: (.*?)\.\n", text)
    assert listed is not None
    pyproject = (README.parent / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.search(r"^dependencies = \[\n(.*?)^\]", pyproject, re.MULTILINE | re.DOTALL)
    assert declared is not None
    names = set(re.findall(r'^\s*"([\w-]+)', declared[1], re.MULTILINE))
    assert set(listed[1].replace(" ", "").split(",")) == names


def test_every_test_folder_is_described() -> None:
    text = README.read_text(encoding="utf-8")
    described = re.search(r"^Tests: (.*?)(?:\n\n|\Z)", text, re.MULTILINE | re.DOTALL)
    assert described is not None
    folders = {
        path.name
        for path in (README.parent / "tests").iterdir()
        if (path.is_dir() and path.name != "__pycache__")
    }
    assert set(re.findall(r"`tests/(\w+)`", described[1])) == folders
