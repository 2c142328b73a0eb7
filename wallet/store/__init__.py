"""The encrypted portfolio store (store.md): the only code that sees plaintext at rest.

``Wallet`` is the whole API (``wallet``, built on ``audit``: listing and damage, ``history``:
reports and evidence, ``learner``: identities, key, shares); ``vault`` holds the cryptography,
``db`` the SQLite side, ``backup`` the backup/restore files.  Only ``wallet.model``,
``wallet.errors`` and ``wallet.i18n`` are used.

Set ``PLECAK_KDF_PROFILE=test`` for test suites and the demo: wallets are then created with a cheap
key derivation (no protection against guessing; never for real wallets).
"""

from wallet.store.audit import EntryList
from wallet.store.vault import HAS_ARGON2, PROFILE_ENV, KdfParams
from wallet.store.wallet import Wallet

__all__ = ["HAS_ARGON2", "PROFILE_ENV", "EntryList", "KdfParams", "Wallet"]
