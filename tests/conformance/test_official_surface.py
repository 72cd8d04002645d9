"""Every public name of the official SDK (``fish-audio-sdk`` 1.3.0, import ``fishaudio``) imports from the
same module under ``fishaudio_ext``, with a compatible meaning.

The names are read from the installed official package, not listed here: a module's ``__all__`` where it
has one, else the names it defines itself (and its ``Literal`` aliases). ``fishaudio.resources.realtime``
is left out on purpose: its helpers drive an ``httpx-ws`` session, a transport fishaudio_ext does not use
(the README's migration section says so).
"""

from __future__ import annotations

import importlib
import inspect
import types
from decimal import Decimal
from typing import Literal, TypeVar, get_args, get_origin

import pytest
from fishaudio_api import facts

official = pytest.importorskip("fishaudio", reason="the official SDK (fish-audio-sdk, in the dev extra)")

MODULES = (
    "",
    ".client",
    ".types",
    ".types.shared",
    ".types.tts",
    ".types.voices",
    ".types.account",
    ".types.asr",
    ".exceptions",
    ".utils",
    ".resources",
    ".resources.tts",
    ".resources.voices",
    ".resources.account",
    ".resources.asr",
)


def _is_literal(value: object) -> bool:
    return get_origin(value) is Literal


def public_names(module: types.ModuleType) -> list[str]:
    """The names a user of ``module`` imports: ``__all__``, else what the module itself defines."""
    declared = getattr(module, "__all__", None)
    if declared is not None:
        return sorted(declared)
    names = []
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, (types.ModuleType, TypeVar)):
            continue
        if _is_literal(value) or getattr(value, "__module__", None) == module.__name__:
            names.append(name)
        elif isinstance(value, (set, frozenset, dict, str, int)) and name.isupper():
            names.append(name)  # a constant, such as DEPRECATED_MODELS
    return sorted(names)


OFFICIAL_NAMES = [
    (suffix, name)
    for suffix in MODULES
    for name in public_names(importlib.import_module("fishaudio" + suffix))
]


def _literal_values(alias: object) -> set[object]:
    """The values a ``Literal`` alias (or a union of them) allows."""
    if _is_literal(alias):
        return set(get_args(alias))
    return {value for arg in get_args(alias) for value in _literal_values(arg)}


@pytest.mark.parametrize(
    ("suffix", "name"), OFFICIAL_NAMES, ids=[f"fishaudio{s}.{n}" for s, n in OFFICIAL_NAMES]
)
def test_every_official_name_imports_from_the_same_module(suffix: str, name: str) -> None:
    theirs = getattr(importlib.import_module("fishaudio" + suffix), name)
    module = importlib.import_module("fishaudio_ext" + suffix)
    assert hasattr(module, name), f"fishaudio_ext{suffix} lacks {name}"
    ours = getattr(module, name)
    if _is_literal(theirs):
        # typing.get_args lists the same values, or more (values the API has added since).
        assert _is_literal(ours), f"{name} is {ours!r}, not a Literal"
        assert _literal_values(theirs) <= _literal_values(ours)
    elif inspect.isclass(theirs):
        assert inspect.isclass(ours)
        if issubclass(theirs, BaseException):
            # The official hierarchy holds: what catches a parent there catches the child here.
            for parent in theirs.__mro__[1:]:
                if parent.__module__.startswith("fishaudio.") and hasattr(module, parent.__name__):
                    assert issubclass(ours, getattr(module, parent.__name__)), (name, parent.__name__)
    elif callable(theirs):
        assert callable(ours)
    elif name != "__version__":
        assert ours == theirs


def test_the_walk_finds_the_names_users_rely_on() -> None:
    # A guard on public_names itself: these are what the official suite and the seeds import.
    found = set(OFFICIAL_NAMES)
    for expected in [
        (".types.shared", "Model"),
        (".types.shared", "DEPRECATED_MODELS"),
        (".types", "Credits"),
        (".utils", "stream"),
        (".resources.tts", "TTSClient"),
        ("", "FishAudio"),
    ]:
        assert expected in found


def test_model_lists_the_spec_model_names() -> None:
    from fishaudio_ext.types.shared import DEPRECATED_MODELS, Model

    assert set(get_args(Model)) == set(facts.KNOWN_TTS_MODEL_VALUES)
    assert set(DEPRECATED_MODELS) == set(facts.DEPRECATED_TTS_MODELS)
    assert DEPRECATED_MODELS == official.types.shared.DEPRECATED_MODELS


def test_deprecated_model_warning() -> None:
    from fishaudio_ext.types.shared import warn_if_deprecated_model

    with pytest.warns(DeprecationWarning, match="speech-1.5"):
        warn_if_deprecated_model("speech-1.5")


def test_official_literals_have_the_spec_values() -> None:
    from fishaudio_ext.types import shared

    assert set(get_args(shared.AudioFormat)) == set(facts.AUDIO_FORMAT_VALUES)
    assert set(get_args(shared.Visibility)) == set(facts.VISIBILITY_VALUES)
    assert set(get_args(shared.LatencyMode)) == set(facts.LATENCY_MODE_VALUES)


def test_credit_is_a_decimal() -> None:
    from fishaudio_ext.types import Credits

    credits = Credits.from_dict(
        {
            "_id": "c1",
            "user_id": "u1",
            "credit": "12.3400",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        }
    )
    assert credits.credit == Decimal("12.3400")
    assert isinstance(credits.credit, Decimal)
    assert credits.to_dict()["credit"] == "12.3400"
    assert credits == Credits.from_dict(credits.to_dict())
