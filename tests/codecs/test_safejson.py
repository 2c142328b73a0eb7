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


@pytest.mark.parametrize(
    "text",
    [
        b'{"id": "urn:a", "id": "urn:b"}',
        b'{"credentialSubject": {"id": "did:example:a", "name": "A", "id": "did:example:b"}}',
        b'[{"proof": 1}, {"x": {"y": [{"k": 1, "k": 1}]}}]',
    ],
)
def test_duplicate_member_names_are_refused_as_ambiguous(text: bytes) -> None:
    with pytest.raises(MalformedInput) as caught:
        loads(text, source="dup.json")
    assert "appears twice" in caught.value.user_message()
    assert "ambiguous" in caught.value.user_message()


def test_the_same_name_in_different_objects_is_fine() -> None:
    assert loads(b'[{"id": 1}, {"id": 2}, {"a": {"id": 3}, "id": 4}]') == [
        {"id": 1},
        {"id": 2},
        {"a": {"id": 3}, "id": 4},
    ]
