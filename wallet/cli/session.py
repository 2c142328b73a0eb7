"""The wallet a command works on: the global options, the service, passphrases, unlocking.

Why apart from the commands: every command that touches the wallet opens it the same way (the
service from the global options, the passphrase from ``PLECAK_PASSPHRASE`` or a prompt, a warning
when the wallet was rolled back), and a new passphrase is chosen the same way by ``init`` and
``passwd``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from wallet.cli.help import option
from wallet.cli.io import err
from wallet.errors import UsageError
from wallet.i18n import N_, _, tr

if TYPE_CHECKING:
    from wallet.service import WalletService


@dataclass
class Settings:
    """Global options, shared by every command through click's context object."""

    home: Path | None
    lang: str | None
    offline: bool
    mirrors: Sequence[str]
    json: bool
    debug: bool
    _service: WalletService | None = field(default=None, repr=False)

    @classmethod
    def from_options(
        cls,
        home: str | None,
        lang: str | None,
        offline: bool,
        mirrors: Sequence[str],
        json_out: bool,
        debug: bool,
    ) -> Settings:
        home_dir = Path(home).expanduser() if home else None
        return cls(home_dir, lang, offline, tuple(mirrors), json_out, debug)

    def service(self) -> WalletService:
        """The one service of this run, made on first use (``--help`` never makes one)."""
        if self._service is None:
            from wallet.factory import make_service

            self._service = make_service(self.home, offline=self.offline, mirrors=self.mirrors)
        return self._service


def settings_of(ctx: click.Context) -> Settings:
    """The global options of the running command."""
    found = ctx.find_object(Settings)
    assert found is not None, "the root group sets the settings before any command runs"
    return found


def wants_json(ctx: click.Context, flag: bool) -> bool:
    """``--json`` after the command, or before it as a global option."""
    return flag or settings_of(ctx).json


def _no_passphrase(env: str) -> UsageError:
    return UsageError(
        _("No passphrase given."),
        hint=_("Set {env} or run the command in a terminal.").format(env=env),
    )


def passphrase(prompt: str, *, env: str = "PLECAK_PASSPHRASE") -> str:
    """The passphrase from ``env``, else asked once on the terminal."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise _no_passphrase(env)
    entered: str = click.prompt(
        prompt, hide_input=True, confirmation_prompt=False, err=True, show_default=False
    )
    if not entered:
        raise UsageError(_("The passphrase cannot be empty."))
    return entered


MIN_PASSPHRASE = 8
"""The same minimum as the create-wallet screen of the TUI."""


def new_passphrase(prompt: str, *, env: str = "PLECAK_PASSPHRASE") -> str:
    """A new passphrase typed twice, with the TUI's strength hint; a weak one must be confirmed.

    Why the loop says why it asks again: click re-prompts an empty answer without a word, and a
    learner who pressed Enter by mistake (or whose paste failed) deserves to know what happened.
    Scripts that set ``env`` get no questions (they chose the passphrase on purpose).
    """
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise _no_passphrase(env)
    while True:
        entered: str = click.prompt(
            prompt, hide_input=True, default="", show_default=False, err=True
        )
        if _acceptable(entered) and _repeated(entered):
            return entered


def _acceptable(entered: str) -> bool:
    """Long enough, and strong enough or confirmed; says why not."""
    from wallet.tui.strength import estimate

    if not entered:
        err(_("The passphrase cannot be empty; type one, or press Ctrl-C to stop."))
        return False
    if len(entered) < MIN_PASSPHRASE:
        err(
            _("Use at least {n} characters; a few unrelated words are easy to remember.").format(
                n=MIN_PASSPHRASE
            )
        )
        return False
    strength = estimate(entered)
    err(_("Strength: {label}.").format(label=tr(strength.label)))
    return strength.score > 1 or click.confirm(
        _("This passphrase is easy to guess. Use it anyway?"), default=False, err=True
    )


def _repeated(entered: str) -> bool:
    again: str = click.prompt(
        _("Repeat the passphrase"), hide_input=True, default="", show_default=False, err=True
    )
    if again != entered:
        err(_("The two passphrases differ. Type it again."))
        return False
    return True


def unlocked(settings: Settings) -> WalletService:
    """The service with the wallet open; checkpointed when the running command ends."""
    service = settings.service()
    if not service.wallet_exists():
        from wallet.errors import WalletNotFound

        raise WalletNotFound(home=str(service.home))
    service.unlock(passphrase(_("Passphrase")))
    click.get_current_context().call_on_close(service.close)
    rolled_back = service.wallet.rolled_back
    if rolled_back is not None:
        from wallet.store.damage import rollback_sentence

        err(_("Warning: {message}").format(message=rollback_sentence(*rolled_back)))
    return service


json_flag = option(
    "--json", "json_out", is_flag=True, help=N_("JSON Lines on stdout, one object per line.")
)
"""``--json`` on a command that prints results (cli.md: after the command, or before it)."""
