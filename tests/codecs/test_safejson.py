"""Capped JSON: hostile documents give clear InputErrors, never Python's own messages."""

from __future__ import annotations

import pytest

from wallet.codecs.safejson import loads
from wallet.errors import MalformedInput, UnsafeInput


def test_json_nested_100000_deep_is_refused_before_parsing() -> None:
    with pytest.raises(UnsafeInput, match="nested deeper"):
        loads(b"[" * 100_000 + b"]" * 100_000)


def test_json_number_with_100000_digits_says_so_plainly() -> None:
    with pytest.raises(UnsafeInput) as info:
        loads(b'{"n": ' + b"9" * 100_000 + b"}")
    assert "4300 digits" in info.value.user_message()
    assert "set_int_max_str_digits" not in info.value.user_message()


def test_json_over_the_size_cap_is_refused() -> None:
    with pytest.raises(UnsafeInput, match="limit"):
        loads(b" " * 20, max_bytes=10)


def test_nan_and_infinity_are_not_json() -> None:
    with pytest.raises(MalformedInput):
        loads(b'{"a": NaN}')


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    assert loads(b'{"a": "' + b"[" * 1000 + b'"}') == {"a": "[" * 1000}
