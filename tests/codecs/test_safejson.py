"""Capped JSON: hostile documents give clear InputErrors, never Python's own messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.codecs.safejson import depth_exceeds, loads
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


def _depth_by_characters(text: str, limit: int) -> bool:
    """The depth rule written the slow, obvious way (one character at a time): the oracle."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


@given(st.text(alphabet='[]{}"\\a\n,:', max_size=40), st.integers(min_value=0, max_value=4))
def test_the_depth_scan_agrees_with_a_character_by_character_scan(text: str, limit: int) -> None:
    """Strings, escapes (also a trailing backslash) and unterminated strings: same verdict."""
    assert depth_exceeds(text, limit) == _depth_by_characters(text, limit)
