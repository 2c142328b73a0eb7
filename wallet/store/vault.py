"""The cryptography of the wallet: passphrase -> key-encryption key -> data key -> records.

Why this shape (store.md §2):

* A memory-hard KDF (Argon2id; scrypt where the installed ``cryptography`` lacks it) turns the
  passphrase into a *key-encryption key* (KEK).  Its parameters and salt live in the wallet header,
  so a later release can raise them (``passwd`` re-derives with the current profile).
* A random 256-bit *data key* encrypts everything; the header holds it wrapped (AES-256-GCM) under
  the KEK.  Changing the passphrase re-wraps this one key, nothing else (fast and atomic).
* Every record is sealed with AES-256-GCM under the data key, with a fresh random 96-bit nonce and
  associated data naming the format version, the record's kind, id and owner, so that a row copied
  over another (or moved to another credential) fails authentication instead of being believed.
* Lookups that must not decrypt everything (duplicate fingerprints, evidence digests, identities)
  use HMAC-SHA256 under a sub-key derived from the data key with HKDF: equal inputs meet, but the
  file does not say which issuer documents or identities it holds.

Only standard primitives from ``cryptography``; nothing home-made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from wallet.errors import UsageError, WrongPassphrase
from wallet.i18n import N_

try:  # Argon2id arrived in cryptography 44; scrypt is the documented fallback.
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
except ImportError:  # pragma: no cover - depends on the installed cryptography
    Argon2id = None  # type: ignore[misc, assignment]

HAS_ARGON2 = Argon2id is not None

FORMAT_VERSION = 1
"""Version of the encrypted record format; part of every record's associated data."""

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16

# Caps on header values read from disk: a hostile header must not make us allocate 1 TiB.
_MAX_ARGON2_MEMORY_KIB = 4 * 1024 * 1024
_MAX_ITERATIONS = 64
_MAX_LANES = 64
_MAX_SCRYPT_LOG_N = 22

PROFILE_ENV = "PLECAK_KDF_PROFILE"
"""``PLECAK_KDF_PROFILE=test`` selects the cheap KDF for test suites and the demo (never for real
wallets: it offers no protection against guessing)."""


class HeaderError(Exception):
    """The header is unreadable; the caller turns this into ``WalletDamaged`` with its reason."""


@dataclass(frozen=True, slots=True)
class KdfParams:
    """One KDF setting: ``alg`` is ``argon2id`` or ``scrypt``; unused fields stay 0."""

    alg: str
    salt: bytes
    iterations: int = 0
    memory_kib: int = 0
    lanes: int = 0
    log_n: int = 0
    r: int = 0
    p: int = 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"alg": self.alg, "salt": _b64(self.salt)}
        if self.alg == "argon2id":
            data.update(iterations=self.iterations, memory_kib=self.memory_kib, lanes=self.lanes)
        else:
            data.update(log_n=self.log_n, r=self.r, p=self.p)
        return data

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        if not isinstance(data, dict):
            raise HeaderError("kdf parameters are not an object")
        alg = data.get("alg")
        salt = _unb64(data.get("salt"), "kdf salt")
        if len(salt) < 16:
            raise HeaderError("kdf salt too short")
        if alg == "argon2id":
            params = cls(
                alg,
                salt,
                iterations=_int(data, "iterations", 1, _MAX_ITERATIONS),
                memory_kib=_int(data, "memory_kib", 8, _MAX_ARGON2_MEMORY_KIB),
                lanes=_int(data, "lanes", 1, _MAX_LANES),
            )
            if params.memory_kib < 8 * params.lanes:
                raise HeaderError("argon2id memory below 8 KiB per lane")
            return params
        if alg == "scrypt":
            return cls(
                alg,
                salt,
                log_n=_int(data, "log_n", 1, _MAX_SCRYPT_LOG_N),
                r=_int(data, "r", 1, 32),
                p=_int(data, "p", 1, 16),
            )
        raise HeaderError(f"unknown kdf {alg!r}")


# Profiles: "default" costs about 0.5 s on the reference machine (2 cores; measured: Argon2id
# m=256 MiB, t=3, p=4 -> 0.50 s; scrypt N=2^17, r=8 -> ~0.4 s).  "test" is as cheap as the
# primitives allow: for test suites and the demo only.
_PROFILES: dict[str, dict[str, dict[str, int]]] = {
    "default": {
        "argon2id": {"iterations": 3, "memory_kib": 256 * 1024, "lanes": 4},
        "scrypt": {"log_n": 17, "r": 8, "p": 1},
    },
    "test": {
        "argon2id": {"iterations": 1, "memory_kib": 64, "lanes": 1},
        "scrypt": {"log_n": 4, "r": 8, "p": 1},
    },
}


def resolve_profile(kdf: str) -> str:
    """The profile to use: an explicit non-default choice, else ``PLECAK_KDF_PROFILE``, else default."""
    name = kdf if kdf != "default" else os.environ.get(PROFILE_ENV, "") or "default"
    if name not in _PROFILES:
        raise UsageError(
            N_("Unknown key-derivation profile {profile}."),
            hint=N_("Use 'default' (or 'test' for test suites only)."),
            profile=name,
        )
    return name


def new_kdf_params(profile: str = "default") -> KdfParams:
    """Fresh salt and the parameters of ``profile`` for the best KDF available."""
    alg = "argon2id" if HAS_ARGON2 else "scrypt"
    return KdfParams(
        alg, secrets.token_bytes(SALT_BYTES), **_PROFILES[resolve_profile(profile)][alg]
    )


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC-normalised UTF-8: "ł" typed on two systems must give the same key."""
    if not passphrase:
        raise UsageError(N_("The passphrase must not be empty."))
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_kek(passphrase: str, params: KdfParams) -> bytes:
    """Run the KDF once (the slow, deliberate part of unlocking)."""
    secret = normalise_passphrase(passphrase)
    if params.alg == "argon2id":
        if Argon2id is None:
            raise HeaderError("this wallet needs Argon2id: install cryptography >= 44")
        return Argon2id(
            salt=params.salt,
            length=KEY_BYTES,
            iterations=params.iterations,
            lanes=params.lanes,
            memory_cost=params.memory_kib,
        ).derive(secret)
    return Scrypt(
        salt=params.salt, length=KEY_BYTES, n=2**params.log_n, r=params.r, p=params.p
    ).derive(secret)


# --------------------------------------------------------------------------- the header


def _wrap_aad(params: KdfParams) -> bytes:
    """Associated data of the wrapped data key: format version and the exact KDF setting."""
    return b"plecak/data-key/v%d/" % FORMAT_VERSION + canonical_json(params.to_json())


def seal_header(data_key: bytes, passphrase: str, params: KdfParams) -> bytes:
    """The header as stored: KDF parameters, salt and the data key wrapped under the KEK."""
    kek = derive_kek(passphrase, params)
    nonce = secrets.token_bytes(NONCE_BYTES)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, _wrap_aad(params))
    header = {
        "plecak": "wallet",
        "format": FORMAT_VERSION,
        "kdf": params.to_json(),
        "key": {"alg": "aes-256-gcm", "nonce": _b64(nonce), "wrapped": _b64(wrapped)},
    }
    return canonical_json(header)


def parse_header(raw: bytes) -> tuple[KdfParams, bytes, bytes]:
    """Parse and check a stored header: (kdf params, nonce, wrapped key).  Raises HeaderError."""
    try:
        header = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HeaderError(f"header is not JSON: {exc}") from None
    if not isinstance(header, dict) or header.get("plecak") != "wallet":
        raise HeaderError("not a plecak wallet header")
    if header.get("format") != FORMAT_VERSION:
        raise HeaderError(f"unknown header format {header.get('format')!r}")
    params = KdfParams.from_json(header.get("kdf"))
    key = header.get("key")
    if not isinstance(key, dict) or key.get("alg") != "aes-256-gcm":
        raise HeaderError("unknown key wrapping")
    nonce = _unb64(key.get("nonce"), "key nonce")
    wrapped = _unb64(key.get("wrapped"), "wrapped key")
    if len(nonce) != NONCE_BYTES or len(wrapped) != KEY_BYTES + 16:
        raise HeaderError("wrapped key has the wrong size")
    return params, nonce, wrapped


def unwrap_data_key(raw_header: bytes, passphrase: str) -> bytes:
    """One KDF run, one AEAD open: the data key, or WrongPassphrase (HeaderError if unreadable)."""
    params, nonce, wrapped = parse_header(raw_header)
    kek = derive_kek(passphrase, params)
    try:
        return AESGCM(kek).decrypt(nonce, wrapped, _wrap_aad(params))
    except InvalidTag:
        raise WrongPassphrase(detail="the data key did not unwrap (AES-GCM tag mismatch)") from None


def header_kdf(raw_header: bytes) -> KdfParams:
    return parse_header(raw_header)[0]


# --------------------------------------------------------------------------- records


class Tampered(Exception):
    """A record failed authentication; the caller names the record in RecordTampered."""


class RecordCipher:
    """AES-256-GCM over records under the data key, plus keyed lookup digests."""

    __slots__ = ("_aead", "_lookup_key", "data_key")

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError("data key must be 32 bytes")
        self.data_key = data_key
        """Kept for ``passwd`` (re-wrapping) only; it never leaves the process."""
        self._aead = AESGCM(data_key)
        self._lookup_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"plecak/lookup/v1"
        ).derive(data_key)

    @staticmethod
    def aad(kind: str, record_id: str, owner: str | None) -> bytes:
        return f"plecak/v{FORMAT_VERSION}/{kind}/{record_id}/{owner or ''}".encode()

    def seal(
        self, kind: str, record_id: str, owner: str | None, plaintext: bytes
    ) -> tuple[bytes, bytes]:
        """Encrypt one record: (nonce, ciphertext+tag).  The nonce is fresh and random each time."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce, self._aead.encrypt(nonce, plaintext, self.aad(kind, record_id, owner))

    def open(
        self, kind: str, record_id: str, owner: str | None, nonce: bytes, ciphertext: bytes
    ) -> bytes:
        if (
            not isinstance(nonce, bytes)
            or len(nonce) != NONCE_BYTES
            or not isinstance(ciphertext, bytes)
        ):
            raise Tampered(record_id)
        try:
            return self._aead.decrypt(nonce, ciphertext, self.aad(kind, record_id, owner))
        except InvalidTag:
            raise Tampered(record_id) from None

    def lookup(self, namespace: str, value: str) -> str:
        """A keyed digest for finding a record by a sensitive value without storing the value."""
        message = namespace.encode() + b"\x00" + value.encode("utf-8")
        return hmac.new(self._lookup_key, message, hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------- helpers


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any, what: str) -> bytes:
    if not isinstance(value, str):
        raise HeaderError(f"{what} missing")
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise HeaderError(f"{what} is not base64") from None


def _int(data: dict[str, Any], key: str, low: int, high: int) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise HeaderError(f"kdf {key}={value!r} out of range [{low}, {high}]")
    return value
