"""Standard primitives, the header, wrong passphrases and damaged wallets (store.md §2, §3)."""

from __future__ import annotations

import base64
import json
import sqlite3
import time
import unicodedata
from pathlib import Path
from typing import TypedDict, cast

import pytest

from tests.store import factory
from tests.store.conftest import PASS
from wallet.errors import UsageError, WalletDamaged, WalletExists, WalletNotFound, WrongPassphrase
from wallet.store import HAS_ARGON2, PROFILE_ENV, Wallet, vault


class StoredHeader(TypedDict):
    """The wallet header as ``vault.seal_header`` writes it."""

    plecak: str
    format: int
    kdf: dict[str, object]
    key: dict[str, str]


def _header(home: Path) -> StoredHeader:
    with sqlite3.connect(home / "wallet.db") as conn:
        row = conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()
    return cast(StoredHeader, json.loads(row[0]))


def _set_header(home: Path, header: object) -> None:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    conn = sqlite3.connect(home / "wallet.db")
    with conn:
        conn.execute("UPDATE meta SET value=? WHERE key='header'", (raw,))
    conn.close()


@pytest.mark.slow
def test_the_real_profile_is_memory_hard_and_takes_about_half_a_second(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PROFILE_ENV)
    started = time.perf_counter()
    wallet = Wallet.create(home, PASS)
    created_in = time.perf_counter() - started
    params = wallet.kdf_params()
    wallet.close()
    if HAS_ARGON2:
        assert (params.alg, params.iterations, params.memory_kib, params.lanes) == (
            "argon2id",
            3,
            256 * 1024,
            4,
        )
    else:  # pragma: no cover - older cryptography
        assert (params.alg, params.log_n, params.r) == ("scrypt", 17, 8)
    assert len(params.salt) == 16
    # Not a benchmark: a loose band that catches a profile made cheap (or absurd) by mistake.
    assert 0.05 < created_in < 30


def test_wrong_passphrase_costs_exactly_one_kdf_run(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Wallet.create(home, PASS).close()
    runs: list[str] = []
    real = vault.derive_kek

    def counting(passphrase: str, params: vault.KdfParams) -> bytes:
        runs.append(passphrase)
        return real(passphrase, params)

    monkeypatch.setattr(vault, "derive_kek", counting)
    with pytest.raises(WrongPassphrase):
        Wallet.open(home, "wrong")
    assert runs == ["wrong"]


def test_test_profile_is_selected_by_environment_and_by_argument(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Wallet.create(home, PASS) as wallet:
        assert wallet.kdf_params().iterations in (0, 1)
    monkeypatch.delenv(PROFILE_ENV)
    assert vault.resolve_profile("default") == "default"
    assert vault.resolve_profile("test") == "test"
    with pytest.raises(UsageError, match="profile"):
        vault.resolve_profile("fast")


def test_header_holds_kdf_salt_and_a_wrapped_key_only(wallet: Wallet, home: Path) -> None:
    header = _header(home)
    assert header["plecak"] == "wallet"
    assert header["format"] == vault.FORMAT_VERSION
    assert set(header["kdf"]) >= {"alg", "salt"}
    assert header["key"]["alg"] == "aes-256-gcm"
    data_key = wallet._cipher.data_key
    stored = (home / "wallet.db").read_bytes() + (home / "wallet.db-wal").read_bytes()
    assert base64.b64encode(data_key).decode() not in json.dumps(header)
    assert data_key not in stored


def test_wrong_passphrase_is_refused_clearly_and_leaves_nothing_open(
    wallet: Wallet, home: Path
) -> None:
    wallet.close()
    with pytest.raises(WrongPassphrase) as caught:
        Wallet.open(home, PASS + "!")
    assert caught.value.exit_code == 2
    assert "Wrong passphrase" in caught.value.user_message()
    # nothing is left holding the wallet: a restore (exclusive lock) is possible at once
    with Wallet.open(home, PASS) as again:
        again.backup(home.parent / "b.plecak")
    Wallet.restore(home, home.parent / "b.plecak", PASS, lock_timeout=0.1)


def test_passphrase_is_unicode_normalised(home: Path) -> None:
    composed = unicodedata.normalize("NFC", "zażółć gęślą jaźń")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    Wallet.create(home, composed).close()
    Wallet.open(home, decomposed).close()


def test_empty_passphrase_is_refused(home: Path) -> None:
    with pytest.raises(UsageError, match="empty"):
        Wallet.create(home, "")
    assert not Wallet.exists(home)


def test_create_twice_and_open_nothing(home: Path, wallet: Wallet) -> None:
    with pytest.raises(WalletExists):
        Wallet.create(home, PASS)
    with pytest.raises(WalletNotFound):
        Wallet.open(home.parent / "elsewhere", PASS)
    assert sorted(p.name for p in home.iterdir()) == [
        "wallet.db",
        "wallet.db-shm",
        "wallet.db-wal",
        "wallet.lock",
    ]
    assert home.stat().st_mode & 0o077 == 0
    assert (home / "wallet.db").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "damage",
    [
        "not json",
        {"plecak": "wallet", "format": 99},
        {
            "plecak": "wallet",
            "format": 1,
            "kdf": {"alg": "md5", "salt": "AAAAAAAAAAAAAAAAAAAAAA=="},
        },
        # a hostile header must not make us allocate a terabyte
        {
            "kdf": {
                "alg": "argon2id",
                "salt": "AAAAAAAAAAAAAAAAAAAAAA==",
                "iterations": 1,
                "memory_kib": 2**40,
                "lanes": 1,
            }
        },
        {"key": {"alg": "aes-256-gcm", "nonce": "AAAA", "wrapped": "AAAA"}},
    ],
    ids=["not-json", "unknown-format", "unknown-kdf", "huge-memory", "short-key"],
)
def test_damaged_header_is_wallet_damaged(wallet: Wallet, home: Path, damage: object) -> None:
    wallet.close()
    if isinstance(damage, dict) and "plecak" not in damage:
        damage = {**_header(home), **damage}
    _set_header(home, damage.encode() if isinstance(damage, str) else damage)
    with pytest.raises(WalletDamaged):
        Wallet.open(home, PASS)


def test_a_file_that_is_not_a_wallet_is_damaged(home: Path) -> None:
    home.mkdir()
    (home / "wallet.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(WalletDamaged):
        Wallet.open(home, PASS)
    (home / "wallet.db").unlink()
    sqlite3.connect(home / "wallet.db").execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(WalletDamaged, match="not a plecak wallet"):
        Wallet.open(home, PASS)


def test_every_record_has_a_fresh_nonce_and_no_plain_columns(wallet: Wallet) -> None:
    for n in range(5):
        wallet.add_credential(factory.credential(n), factory.report(n))
    wallet.add_identity("me@example.org", "email")
    conn = wallet._conn
    nonces = [
        r[0] for r in conn.execute("SELECT nonce FROM records UNION ALL SELECT nonce FROM entries")
    ]
    assert len(nonces) == 5 * 3 + 1
    assert len(set(nonces)) == len(nonces)
    assert all(len(n) == 12 for n in nonces)
    columns = {
        table: [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert columns["records"] == ["kind", "id", "owner", "nonce", "ciphertext"]
    assert columns["entries"] == ["id", "nonce", "ciphertext"]
    assert columns["lookup"] == ["namespace", "digest", "id"]


def test_cipher_binds_kind_id_and_owner() -> None:
    cipher = vault.RecordCipher(b"k" * 32)
    nonce, sealed = cipher.seal("credential", "aaaaaaaa", None, b"secret")
    assert cipher.open("credential", "aaaaaaaa", None, nonce, sealed) == b"secret"
    for kind, rid, owner in [
        ("entry", "aaaaaaaa", None),
        ("credential", "bbbbbbbb", None),
        ("credential", "aaaaaaaa", "bbbbbbbb"),
    ]:
        with pytest.raises(vault.Tampered):
            cipher.open(kind, rid, owner, nonce, sealed)
    with pytest.raises(vault.Tampered):
        vault.RecordCipher(b"x" * 32).open("credential", "aaaaaaaa", None, nonce, sealed)
    assert cipher.lookup("identity", "a") != cipher.lookup("evidence", "a")
    assert cipher.lookup("identity", "a") != vault.RecordCipher(b"x" * 32).lookup("identity", "a")
