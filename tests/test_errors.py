"""The error tree: every error has a message, a code and an exit code of cli.md, in both languages."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from wallet import errors, i18n
from wallet.errors import WalletError

ALL = [
    cls
    for _name, cls in inspect.getmembers(errors, inspect.isclass)
    if issubclass(cls, WalletError)
]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_error_renders_in_both_languages(cls: type[WalletError]) -> None:
    params: dict[str, Any] = {
        "source": "badge.png",
        "reason": "x",
        "url": "https://e.org",
        "status": 410,
        "limit": 10,
        "home": "/h",
        "record": "abc",
    }
    error = cls(**params)
    assert error.exit_code in (1, 2)
    assert error.code
    english = error.user_message()
    assert english and "{" not in english
    try:
        i18n.set_language("pl")
        polish = error.user_message()
    finally:
        i18n.set_language("en")
    assert polish and "{" not in polish
    assert error.to_json() == {"code": error.code, "message": english}


def test_detail_is_kept_apart_from_the_message() -> None:
    error = errors.MalformedInput(source="b.json", reason="bad", detail="Traceback-ish detail")
    assert "Traceback" not in error.user_message()
    assert "Traceback-ish detail" in error.diagnostics()


def test_tampered_record_is_exit_1_others_exit_2() -> None:
    assert errors.RecordTampered(record="x").exit_code == 1
    assert errors.WrongPassphrase().exit_code == 2


def test_standard_input_is_named_in_words_not_dash() -> None:
    error = errors.UnsupportedInput(source=errors.STDIN)
    assert error.user_message().startswith("No badge or credential was found in standard input.")
    assert "in -" not in error.to_json()["message"]
    try:
        i18n.set_language("pl")
        polish = error.user_message()
        assert polish.startswith(
            "Nie znaleziono odznaki ani poświadczenia (źródło: standardowe wejście)."
        )
        assert errors.source_name("-") == "standardowe wejście"
    finally:
        i18n.set_language("en")
    assert errors.source_name("badge.png") == "badge.png"
