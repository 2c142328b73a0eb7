"""Every user-facing string is translatable and translated into Polish; catalogues are compiled."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from wallet import i18n

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("wallet", "importers", "exporters")
PO_FILES = sorted(i18n.LOCALE_DIR.glob("pl/LC_MESSAGES/*.po"))


def _messages_in_code() -> dict[str, str]:
    """msgid -> first place it is used, for every literal passed to _(), N_() or ngettext()."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                if node.func.id not in ("_", "N_", "ngettext"):
                    continue
                literals = node.args[:2] if node.func.id == "ngettext" else node.args[:1]
                for arg in literals:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
                        f"{where}: {node.func.id}() needs a string literal, not an expression"
                    )
                    found.setdefault(arg.value, where)
    return found


def _polish_catalogue() -> dict[str, object]:
    entries: dict[str, object] = {}
    for po in PO_FILES:
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if message.id:
                keys = [message.id] if isinstance(message.id, str) else list(message.id)
                for key in keys:  # a plural entry answers for its singular and plural msgid
                    entries[key] = message.string
    return entries


@pytest.mark.slow
def test_every_message_in_the_code_has_a_polish_translation() -> None:
    catalogue = _polish_catalogue()
    missing = [
        f"{where}: {msgid!r}"
        for msgid, where in sorted(_messages_in_code().items(), key=lambda kv: kv[1])
        if not catalogue.get(msgid)
        or (isinstance(catalogue[msgid], tuple) and not all(catalogue[msgid]))  # type: ignore[arg-type]
    ]
    assert not missing, "untranslated messages:\n" + "\n".join(missing)


def _expected_from_po(po: Path) -> tuple[dict[object, str], str]:
    """What gettext must find in the compiled ``.mo``: messages keyed as GNUTranslations keys them.

    Untranslated and fuzzy entries are left out (the compiler skips them); an empty plural form
    falls back to the English singular/plural, as gettext would.
    """
    with po.open("rb") as fh:
        catalog = read_po(fh)
    expected: dict[object, str] = {}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        prefix = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, str):
            assert isinstance(message.string, str)
            expected[prefix + message.id] = message.string
            continue
        for index, text in enumerate(message.string):
            expected[(prefix + message.id[0], index)] = text or message.id[min(index, 1)]
    return expected, catalog.plural_forms


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.name)
def test_committed_mo_matches_its_po(po: Path) -> None:
    """Compared by meaning (messages and plural rule), not bytes: the compiler's version is free."""
    mo = po.with_suffix(".mo")
    stale = f"{mo.name} stale: run python -m wallet.i18n.compile"
    assert mo.exists(), f"{mo.name} missing: run python -m wallet.i18n.compile"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    expected, plural_forms = _expected_from_po(po)
    found = {key: text for key, text in compiled._catalog.items() if key != ""}  # type: ignore[attr-defined]
    assert found == expected, stale
    nplurals = int(re.search(r"nplurals\s*=\s*(\d+)", plural_forms).group(1))  # type: ignore[union-attr]
    rule = gettext.c2py(re.search(r"plural\s*=\s*([^;]+)", plural_forms).group(1))  # type: ignore[union-attr]
    plural = compiled.plural  # type: ignore[attr-defined]  # set by GNUTranslations, not in typeshed
    assert all(plural(n) == rule(n) < nplurals for n in range(1000)), stale


def test_the_catalogue_comparison_can_fail(tmp_path: Path) -> None:
    """A .mo that lost a message or carries another plural rule is caught."""
    from babel.messages.mofile import write_mo

    po = PO_FILES[0]
    with po.open("rb") as fh:
        catalog = read_po(fh)
    victim = next(m for m in catalog if m.id and m.string and not m.fuzzy)
    catalog.delete(victim.id, victim.context)
    with (tmp_path / po.with_suffix(".mo").name).open("wb") as fh:
        write_mo(fh, catalog)
    stale_po = tmp_path / po.name
    stale_po.write_bytes(po.read_bytes())
    with pytest.raises(AssertionError, match="stale"):
        test_committed_mo_matches_its_po(stale_po)


def test_polish_is_used_when_asked() -> None:
    try:
        assert i18n.set_language("pl") == "pl"
        assert i18n._("valid") == "ważny"
        assert i18n.set_language("en") == "en"
        assert i18n._("valid") == "valid"
    finally:
        i18n.set_language("en")


def test_language_detection_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLECAK_LANG", "pl")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert i18n.detect_language() == "pl"
    assert i18n.detect_language("en") == "en"
    monkeypatch.delenv("PLECAK_LANG")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    assert i18n.detect_language() == "pl"
    monkeypatch.setenv("LANG", "C")
    assert i18n.detect_language() == "en"


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "1 ważny"), (2, "2 ważne"), (5, "5 ważnych"), (22, "22 ważne"), (25, "25 ważnych")],
)
def test_polish_plural_forms_agree_with_the_count(n: int, expected: str) -> None:
    from wallet.model import Status
    from wallet.tui.view import counted_status

    i18n.set_language("pl")
    try:
        assert counted_status(Status.VALID, n) == expected
        assert (
            i18n.ngettext("Wrote {file} ({count} credential).", "x", n).format(file="f", count=n)
            == {1: "Zapisano f (1 poświadczenie).", 2: "Zapisano f (2 poświadczenia).",
                5: "Zapisano f (5 poświadczeń).", 22: "Zapisano f (22 poświadczenia).",
                25: "Zapisano f (25 poświadczeń)."}[n]
        )  # fmt: skip
    finally:
        i18n.set_language("en")


def test_credit_units_are_words_of_the_interface_language() -> None:
    from wallet.codecs.words import credit_text

    i18n.set_language("pl")
    try:
        assert credit_text(5, "credits") == "5 punktów"
        assert credit_text(3, "credits") == "3 punkty"
        assert credit_text(1, "hours") == "1 godzina"
        assert credit_text(5, "ECTS") == "5 ECTS"
    finally:
        i18n.set_language("en")
    assert credit_text(1, "credits") == "1 credit"


SAME_IN_POLISH = frozenset(
    {"Format", "Status", "status", "Element", "ECTS", "JSON", "URL", "PDF", "demo", "plecak"}
    | {"Comprehensive", "Learner", "Record"}  # a standard's name
)
"""Words a Polish msgstr may keep from its English msgid (names, and words Polish shares)."""


def test_no_english_left_untranslated_in_the_polish_catalogue() -> None:
    import re

    left = []
    for po in PO_FILES:
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = (
                [message.string] if isinstance(message.string, str) else list(message.string or ())
            )
            for msgid, msgstr in zip(ids, strings, strict=False):
                words = re.findall(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", "", msgid))
                if msgstr == msgid and set(words) - SAME_IN_POLISH:
                    left.append(f"{po.name}: {msgid!r}")
    assert not left, "English left in the Polish catalogue:\n" + "\n".join(left)


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_every_error_reads_as_sentences_message_then_hint(lang: str) -> None:
    from wallet import errors

    def every(cls: type[errors.WalletError]) -> list[type[errors.WalletError]]:
        return [cls] + [c for sub in cls.__subclasses__() for c in every(sub)]

    i18n.set_language(lang)
    try:
        for cls in every(errors.WalletError):
            error = cls(hint="Try again", source="x.json", reason="bad JSON", url="u", status=404)
            text = error.user_message()
            assert " ." not in text and ".." not in text, (cls, text)
            head = text[: -len(" Try again.")]
            assert text.endswith(" Try again.") and head[-1] in ".!?…:", (cls.__name__, text)
    finally:
        i18n.set_language("en")
