"""RequestOptions: keyword construction like the official SDK, validation, immutability, safe repr."""

from __future__ import annotations

import attrs
import httpx
import pytest

from fishaudio_ext._request_options import RequestOptions
from fishaudio_ext.exceptions import ValidationError


def test_built_like_the_official_sdk() -> None:
    options = RequestOptions(timeout=30, max_retries=3, additional_headers={"X-Trace": "1"})

    assert options.timeout == 30
    assert options.max_retries == 3
    assert options.additional_headers == {"X-Trace": "1"}
    assert options.additional_query_params is None


def test_defaults_are_all_none() -> None:
    assert RequestOptions() == RequestOptions(
        timeout=None, max_retries=None, additional_headers=None, additional_query_params=None
    )


def test_accepts_an_httpx_timeout_and_query_params() -> None:
    timeout = httpx.Timeout(10.0, connect=2.0, pool=None)

    options = RequestOptions(
        timeout=timeout, max_retries=0, additional_query_params={"a": 1, "b": ["x", "y"]}
    )

    assert options.timeout is timeout
    assert options.max_retries == 0
    assert options.additional_query_params == {"a": 1, "b": ["x", "y"]}


def test_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        RequestOptions(30)  # type: ignore[call-arg]


def test_is_frozen() -> None:
    options = RequestOptions(max_retries=1)

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        options.max_retries = 2  # type: ignore[misc]
    assert attrs.evolve(options, max_retries=2).max_retries == 2


def test_negative_max_retries_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        RequestOptions(max_retries=-1)

    assert caught.value.field == "max_retries"
    assert caught.value.value == -1
    assert str(caught.value) == "max_retries=-1 is out of range: allowed a whole number, 0 or more"


@pytest.mark.parametrize("max_retries", ["3", 1.5, True])
def test_a_max_retries_that_is_not_a_whole_number_is_rejected(max_retries: object) -> None:
    with pytest.raises(ValidationError) as caught:
        RequestOptions(max_retries=max_retries)  # type: ignore[arg-type]
    assert caught.value.field == "max_retries"


@pytest.mark.parametrize("timeout", [0, -1, 0.0, float("nan")])
def test_non_positive_timeout_is_rejected(timeout: float) -> None:
    with pytest.raises(ValidationError) as caught:
        RequestOptions(timeout=timeout)

    assert caught.value.field == "timeout"
    assert str(caught.value).startswith("timeout=")


@pytest.mark.parametrize("phase", ["connect", "read", "write", "pool"])
def test_non_positive_httpx_timeout_phase_is_rejected(phase: str) -> None:
    timeout = httpx.Timeout(10.0, **{phase: 0.0})

    with pytest.raises(ValidationError) as caught:
        RequestOptions(timeout=timeout)

    assert caught.value.field == f"timeout.{phase}"


def test_repr_hides_credentials_in_headers() -> None:
    options = RequestOptions(
        additional_headers={"Authorization": "Bearer sk-secret", "X-Api-Key": "k2", "A": "b"}
    )

    text = repr(options)

    assert "sk-secret" not in text
    assert "k2" not in text
    assert "'A': 'b'" in text
    assert options.additional_headers is not None
    assert options.additional_headers["Authorization"] == "Bearer sk-secret"
