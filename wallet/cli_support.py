"""The plumbing of the ``plecak`` command line: settings, output streams, passphrases, progress,
atomic writes, the language of click's own texts.

Why apart from cli.py: cli.py lists the commands of cli.md; everything here is shared by them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wallet.errors import (
    EXIT_NOT_VALID,
    EXIT_OK,
    EXIT_USAGE,
    ExportError,
    UnreadableInput,
    UsageError,
)
from wallet.i18n import N_, _, tr

if TYPE_CHECKING:
    from wallet.service import ImportOutcome, WalletService


class Settings:
    """Global options, shared by every command through click's context object."""

    def __init__(
        self,
        home: str | None,
        lang: str | None,
        offline: bool,
        mirrors: Sequence[str],
        json_out: bool,
        debug: bool,
    ) -> None:
        self.home = Path(home).expanduser() if home else None
        self.lang = lang
        self.offline = offline
        self.mirrors = tuple(mirrors)
        self.json = json_out
        self.debug = debug
        self._service: WalletService | None = None

    def service(self) -> WalletService:
        if self._service is None:
            from wallet.factory import make_service

            self._service = make_service(self.home, offline=self.offline, mirrors=self.mirrors)
        return self._service


def _echo(text: str) -> None:
    click.echo(text)


def _err(text: str) -> None:
    click.echo(text, err=True)


def _json_line(obj: Any) -> None:
    from wallet.output import dumps

    click.echo(dumps(obj))


def _run(coro: Any) -> Any:
    import asyncio

    return asyncio.run(coro)


def _passphrase(prompt: str, *, confirm: bool = False, env: str = "PLECAK_PASSPHRASE") -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageError(
            _("No passphrase given."),
            hint=_("Set {env} or run the command in a terminal.").format(env=env),
        )
    entered: str = click.prompt(
        prompt, hide_input=True, confirmation_prompt=confirm, err=True, show_default=False
    )
    if not entered:
        raise UsageError(_("The passphrase cannot be empty."))
    return entered


MIN_PASSPHRASE = 8
"""The same minimum as the create-wallet screen of the TUI."""


def _new_passphrase(prompt: str, *, env: str = "PLECAK_PASSPHRASE") -> str:
    """A new passphrase typed twice, with the TUI's strength hint; a weak one must be confirmed.

    Why the loop says why it asks again: click re-prompts an empty answer without a word, and a
    learner who pressed Enter by mistake (or whose paste failed) deserves to know what happened.
    Scripts that set ``env`` get no questions (they chose the passphrase on purpose).
    """
    from wallet.tui.strength import estimate

    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageError(
            _("No passphrase given."),
            hint=_("Set {env} or run the command in a terminal.").format(env=env),
        )
    while True:
        entered: str = click.prompt(
            prompt, hide_input=True, default="", show_default=False, err=True
        )
        if not entered:
            _err(_("The passphrase cannot be empty; type one, or press Ctrl-C to stop."))
            continue
        if len(entered) < MIN_PASSPHRASE:
            _err(
                _(
                    "Use at least {n} characters; a few unrelated words are easy to remember."
                ).format(n=MIN_PASSPHRASE)
            )
            continue
        strength = estimate(entered)
        _err(_("Strength: {label}.").format(label=tr(strength.label)))
        if strength.score <= 1 and not click.confirm(
            _("This passphrase is easy to guess. Use it anyway?"), default=False, err=True
        ):
            continue
        again: str = click.prompt(
            _("Repeat the passphrase"), hide_input=True, default="", show_default=False, err=True
        )
        if again != entered:
            _err(_("The two passphrases differ. Type it again."))
            continue
        return entered


def _unlocked(settings: Settings) -> WalletService:
    service = settings.service()
    if not service.wallet_exists():
        from wallet.errors import WalletNotFound

        raise WalletNotFound(home=str(service.home))
    service.unlock(_passphrase(_("Passphrase")))
    click.get_current_context().call_on_close(service.close)  # checkpointed when the command ends
    rolled_back = service.wallet.rolled_back
    if rolled_back is not None:
        from wallet.store.damage import rollback_sentence

        _err(_("Warning: {message}").format(message=rollback_sentence(*rolled_back)))
    return service


class _Progress:
    """A progress bar on stderr when it is a terminal and there are many items."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled or total < 5:
            return
        width = 30
        filled = int(width * done / max(total, 1))
        bar = "█" * filled + "·" * (width - filled)
        sys.stderr.write(f"\r{bar} {done}/{total} ")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def _print_outcomes(outcomes: Sequence[ImportOutcome], as_json: bool, **extra: Any) -> None:
    """One line per item (JSON Lines with ``--json``), as ``plecak import`` prints them."""
    from wallet import output

    for outcome in outcomes:
        if as_json:
            if outcome.error is not None:
                line = output.error_json(outcome.source, outcome.error, state=outcome.state)
            elif outcome.report is not None:
                line = output.report_json(
                    outcome.source,
                    outcome.credential,
                    outcome.report,
                    id=outcome.id,
                    state=outcome.state,
                )
            else:
                line = {"source": outcome.source, "state": outcome.state, "id": outcome.id}
            _json_line({**line, **extra})
        elif outcome.state == "failed" and outcome.error is not None:
            _err(f"✗ {outcome.source}: {outcome.error.user_message()}")
        elif outcome.state == "skipped":
            _err(_("· {source}: skipped, not a credential.").format(source=outcome.source))
        elif outcome.state == "duplicate":
            _echo(
                _("= {source}: already in the wallet as {id}").format(
                    source=outcome.source, id=outcome.id or "—"
                )
            )
        elif outcome.entry is not None:
            _echo(
                _("+ {id} {status}  {title}").format(
                    id=outcome.id,
                    status=output.status_word(outcome.entry.status),
                    title=outcome.entry.title or outcome.source,
                )
            )


def _import_exit(outcomes: Sequence[ImportOutcome]) -> int:
    code = EXIT_OK
    for outcome in outcomes:
        if outcome.state == "failed":
            error = outcome.error
            code = max(code, EXIT_USAGE if isinstance(error, UnreadableInput) else EXIT_NOT_VALID)
    return code


def _atomic_write(path: Path, data: bytes) -> None:
    import tempfile

    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".plecak-", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from None
        raise


def _cannot_write(path: Path, exc: OSError) -> ExportError:
    """A missing folder, no permission, a full disk: said plainly, never a traceback."""
    return ExportError(
        reason=_("cannot write {file} ({error}).").format(
            file=path, error=exc.strerror or type(exc).__name__
        ),
        hint=N_("Check that the folder exists and that you may write to it."),
        detail=repr(exc),
    )


def _prescan_lang(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _wants_debug(argv: Sequence[str]) -> bool:
    return "--debug" in argv or os.environ.get("PLECAK_DEBUG") == "1"


def _translate_click() -> None:
    """click marks its own texts ("Usage:", "Options", errors) with the stdlib's global gettext;
    route exactly those functions through plecak's catalogue so help and usage errors are Polish
    too (the msgids are in click.po)."""
    import gettext

    from wallet import i18n

    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = i18n.tr  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]
