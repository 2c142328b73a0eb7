"""The one error tree of plecak.

Every failure a user can cause is a :class:`WalletError`.  Each carries a user-facing message
(an English msgid, translated when shown, formatted with its parameters), an optional hint that says
what to do, a technical ``detail`` for ``--debug`` and logs, and the exit code of cli.md.  The shells
catch ``WalletError`` once; anything else escaping is a bug.

::

    WalletError                         exit 2 unless stated
    ├── UsageError                      bad arguments, unknown ids
    ├── InputError                      a source we cannot take in (importers raise these)
    │   ├── UnreadableInput             missing file, permission, I/O
    │   ├── UnsupportedInput            not a badge / unknown format (unbaked image, random bytes)
    │   ├── MalformedInput              looks like a badge but is broken (bad JSON, bad JWS, bad CRC)
    │   └── UnsafeInput                 over a cap or hostile (bombs, traversal, entities, alg none)
    ├── NetworkError                    the Fetcher could not get a document
    │   ├── BlockedURL                  scheme or address refused by policy
    │   ├── OfflineMiss                 offline and not in cache/mirror
    │   ├── HTTPStatusError             a 4xx/5xx answer (status kept)
    │   ├── ResponseTooLarge            over the size cap
    │   └── HostError                   a connected host (OAuth, Badge Connect, OB 3.0 API,
    │                                   OpenID4VCI) answered something unusable
    ├── StoreError                      the encrypted wallet
    │   ├── WalletNotFound              no wallet at --home
    │   ├── WalletExists                init over an existing wallet
    │   ├── WrongPassphrase
    │   ├── WalletInUse                 another process holds the write lock
    │   ├── WalletDamaged               header/db unreadable, unknown version
    │   └── RecordTampered              one record failed authentication (exit 1 from the CLI)
    ├── VerificationError               a verifier step could not run (turned into a check, never raised to users)
    └── ExportError                     an export could not be written
        └── BundleError                 a share bundle is unsafe or inconsistent
"""

from __future__ import annotations

from typing import Any, ClassVar

from wallet.i18n import N_, tr

EXIT_OK = 0
EXIT_NOT_VALID = 1
EXIT_USAGE = 2


def sentences(*parts: str) -> str:
    """Join a message and its hint as sentences: each ends in punctuation, one space between.

    Why: messages are written as clauses ("… is damaged: invalid JSON") and hints as sentences;
    glued together without a full stop they read as one garbled sentence.
    """
    out = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        out.append(part if part[-1] in ".!?…:" else part + ".")
    return " ".join(out)


STDIN = "-"
"""The source name of standard input (``plecak import -``), as the command line spells it."""


def source_name(source: str) -> str:
    """A source as people read it: a path or URL as given, standard input in words, not "-"."""
    return tr(N_("standard input")) if source == STDIN else source


class WalletError(Exception):
    """Root of every error a user can cause.  ``message`` is an English msgid with ``{}`` fields."""

    default_message: ClassVar[str] = N_("Something went wrong.")
    default_hint: ClassVar[str] = ""
    code: ClassVar[str] = "error"
    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(
        self,
        message: str | None = None,
        *,
        hint: str | None = None,
        detail: str = "",
        **params: Any,
    ) -> None:
        self.message = message or self.default_message
        self.hint = self.default_hint if hint is None else hint
        self.detail = detail
        self.params = params
        super().__init__(self.render_english())

    def _format(self, text: str) -> str:
        params = dict(self.params)
        if params.get("source") == STDIN:
            params["source"] = source_name(STDIN)
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text

    def user_message(self) -> str:
        """The message in the current interface language, with the hint when there is one."""
        return sentences(self._format(tr(self.message)), self._format(tr(self.hint)))

    def render_english(self) -> str:
        return sentences(self._format(self.message), self._format(self.hint))

    def diagnostics(self) -> str:
        """Everything known, for --debug: message, hint and technical detail."""
        parts = [self.user_message()]
        if self.detail:
            parts.append(f"detail: {self.detail}")
        return "\n".join(parts)

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.user_message()}


class UsageError(WalletError):
    code = "usage"
    default_message = N_("The command was not used correctly.")


class InputError(WalletError):
    code = "input"
    default_message = N_("This input cannot be imported.")


class UnreadableInput(InputError):
    code = "unreadable"
    default_message = N_("Cannot read {source}.")
    default_hint = N_("Check that the path exists and that you may read it.")


class UnsupportedInput(InputError):
    code = "not-a-badge"
    default_message = N_("No badge or credential was found in {source}.")
    default_hint = N_(
        "plecak reads baked PNG/SVG images, JSON, JWS/JWT, folders, ZIP archives and URLs."
    )


class MalformedInput(InputError):
    code = "malformed"
    default_message = N_("{source} looks like a credential but is damaged: {reason}")


class UnsafeInput(InputError):
    code = "unsafe"
    default_message = N_("{source} was refused for safety: {reason}")
    default_hint = N_("If you trust this file, ask the issuer for a clean copy.")


class NetworkError(WalletError):
    code = "network"
    default_message = N_("Could not fetch {url}: {reason}")
    default_hint = N_("Check the address and your connection, or use --offline with a mirror.")


class BlockedURL(NetworkError):
    code = "blocked-url"
    default_message = N_("Refused to fetch {url}: {reason}")
    default_hint = ""


class OfflineMiss(NetworkError):
    code = "offline"
    default_message = N_("{url} is not available offline.")
    default_hint = N_("Connect to the network, or provide a mirror with --mirror.")


class HTTPStatusError(NetworkError):
    code = "http-status"
    default_message = N_("{url} answered HTTP {status}.")
    default_hint = ""

    @property
    def status(self) -> int:
        return int(self.params.get("status", 0))


class ResponseTooLarge(NetworkError):
    code = "too-large"
    default_message = N_("{url} sent more than {limit} bytes.")
    default_hint = ""


class HostError(NetworkError):
    """A host the learner connected to broke its protocol: bad JSON, endless paging, a refusal.

    ``url`` is the host's address, ``reason`` says what it did; nothing it sent is trusted as
    text beyond a short, cleaned error code."""

    code = "host"
    default_message = N_("{url}: {reason}")
    default_hint = ""


class StoreError(WalletError):
    code = "store"
    default_message = N_("The wallet could not be used.")


class WalletNotFound(StoreError):
    code = "no-wallet"
    default_message = N_("There is no wallet in {home}.")
    default_hint = N_("Create one with 'plecak init' or choose another with --home.")


class WalletExists(StoreError):
    code = "wallet-exists"
    default_message = N_("A wallet already exists in {home}.")
    default_hint = N_("Use it, or choose another folder with --home.")


class WrongPassphrase(StoreError):
    code = "wrong-passphrase"
    default_message = N_("Wrong passphrase: the wallet stays locked.")
    default_hint = N_("Try again; check the keyboard layout and Caps Lock.")


class WalletInUse(StoreError):
    code = "in-use"
    default_message = N_("The wallet is in use by another plecak process.")
    default_hint = N_("Close the other plecak window or command and try again.")


class WalletDamaged(StoreError):
    code = "damaged"
    default_message = N_("The wallet in {home} is damaged or of an unknown format: {reason}")
    default_hint = N_("Restore it from a backup with 'plecak restore FILE'.")


class RecordTampered(StoreError):
    code = "tampered"
    exit_code = EXIT_NOT_VALID
    default_message = N_("Record {record} of the wallet failed its integrity check.")
    default_hint = N_("It was changed on disk; restore it from a backup.")


class VerificationError(WalletError):
    code = "verification"
    default_message = N_("A verification step could not run: {reason}")


class ExportError(WalletError):
    code = "export"
    default_message = N_("Could not export: {reason}")


class BundleError(ExportError):
    code = "bundle"
    default_message = N_("The bundle {source} cannot be checked: {reason}")
