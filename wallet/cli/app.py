"""``plecak``: the scriptable face of the wallet (cli.md is the contract).

``main(argv) -> int`` sets the interface language from argv, lets click parse, and catches
WalletError once, turning it into a clear message on stderr and the exit code of cli.md.

The commands live at module level in the modules named for what they work on (portfolio,
checking, export, store), listed once in :data:`COMMANDS` and imported when used; their help is declared as msgids
and translated when shown (:mod:`wallet.cli.help`).  Heavy modules (Textual, httpx, pyld, the
verifier) are imported inside the commands that need them, so ``plecak --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from wallet.cli.argv import command_name, hoist_globals, prescan_lang, wants_debug
from wallet.cli.help import Group, Option, localise, option, root_epilog
from wallet.cli.io import err
from wallet.cli.session import Settings, json_flag, settings_of, wants_json
from wallet.errors import EXIT_OK, EXIT_USAGE, WalletError
from wallet.i18n import N_, _, set_language

COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("wallet.cli.portfolio", "init"),
    "import": ("wallet.cli.portfolio", "import_"),
    "list": ("wallet.cli.portfolio", "list_"),
    "show": ("wallet.cli.portfolio", "show"),
    "recheck": ("wallet.cli.checking", "recheck"),
    "verify": ("wallet.cli.checking", "verify"),
    "tag": ("wallet.cli.portfolio", "tag"),
    "untag": ("wallet.cli.portfolio", "untag"),
    "remove": ("wallet.cli.portfolio", "remove"),
    "identity": ("wallet.cli.portfolio", "identity"),
    "passwd": ("wallet.cli.portfolio", "passwd"),
    "backup": ("wallet.cli.store", "backup"),
    "restore": ("wallet.cli.store", "restore"),
    "doctor": ("wallet.cli.store", "doctor"),
    "export": ("wallet.cli.export", "export"),
    "review": ("wallet.cli.checking", "review"),
}
"""Every command of cli.md besides ``demo`` and the connection commands: (module, attribute) of
its declaration, imported when the command is run or listed (help lists them sorted)."""

CONNECTION_COMMANDS = ("connect", "sync", "connection", "disconnect", "receive", "trust")
"""The commands :func:`_register_connections` declares (wallet.connect owns most of them)."""


class _RootGroup(Group):
    """The root group, whose commands are imported when one is asked for.

    Why: each command module pulls in what its commands use (the store, the exporters' names, the
    connection client); ``plecak verify`` should pay for ``verify`` only (issue 17's start-up
    budget), while help and completion still see every command.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS, *CONNECTION_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            if cmd_name in COMMANDS:
                module, attribute = COMMANDS[cmd_name]
                self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
            elif cmd_name in CONNECTION_COMMANDS:
                _register_connections()
        return self.commands.get(cmd_name)


@click.group(
    cls=_RootGroup,
    invoke_without_command=True,
    help=N_("plecak: your Open Badges wallet. Without a command, opens the wallet's window."),
    epilog=root_epilog,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@option("--home", envvar="PLECAK_HOME", metavar="DIR", help=N_("Wallet folder."))
@option(
    "--lang", envvar="PLECAK_LANG", type=click.Choice(["pl", "en"]), help=N_("Interface language.")
)
@option(
    "--offline",
    is_flag=True,
    envvar="PLECAK_OFFLINE",
    help=N_("Never use the network; only cached documents and mirrors."),
)
@option(
    "--mirror",
    "mirrors",
    multiple=True,
    metavar="PATH",
    help=N_("An offline mirror index (JSON); repeatable."),
)
@option("--json", "json_out", is_flag=True, help=N_("JSON Lines output."))
@option("--debug", is_flag=True, help=N_("Show technical detail with errors."))
@click.version_option(
    package_name="plecak",
    prog_name="plecak",
    cls=Option,
    help=N_("Show the version and exit."),
)
@click.pass_context
def cli(
    ctx: click.Context,
    home: str | None,
    lang: str | None,
    offline: bool,
    mirrors: tuple[str, ...],
    json_out: bool,
    debug: bool,
) -> None:
    ctx.obj = Settings.from_options(home, lang, offline, mirrors, json_out, debug)
    if ctx.invoked_subcommand is None:
        from wallet.tui.app import run_tui

        ctx.exit(run_tui(ctx.obj.service()))


@cli.command(help=N_("Open a throwaway wallet filled with sample badges."))
@option("--no-tui", is_flag=True, help=N_("Print the list and exit."))
@click.pass_context
def demo(ctx: click.Context, no_tui: bool) -> None:
    from wallet.demo import run_demo

    settings = settings_of(ctx)
    ctx.exit(run_demo(no_tui=no_tui, lang=settings.lang, json_out=settings.json))


def _register_connections() -> None:
    """The connection commands (wallet.connect owns them) and ``trust``, declared in this run's
    language."""
    from wallet.cli.trust import register as register_trust
    from wallet.connect.cli import add_commands

    add_commands(cli, json_flag, wants_json)
    register_trust(cli, json_flag, wants_json)
    localise(cli)


def main(argv: Sequence[str] | None = None) -> int:
    """Run plecak; returns the exit code of cli.md.  Never lets a traceback reach the user."""
    args = list(sys.argv[1:] if argv is None else argv)
    set_language(prescan_lang(args))
    _translate_click()
    for name in CONNECTION_COMMANDS:  # declared again, in this run's language, when used
        cli.commands.pop(name, None)
    args = _with_globals_first(args)
    try:
        result = cli.main(args=args, prog_name="plecak", standalone_mode=False)
    except WalletError as exc:
        err(_("Error: {message}").format(message=exc.user_message()))
        if wants_debug(args) and exc.detail:
            err(exc.detail)
        return exc.exit_code
    except click.exceptions.Abort:
        err(_("Aborted."))
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except KeyboardInterrupt:
        err(_("Interrupted."))
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    return int(result) if isinstance(result, int) else EXIT_OK


def _with_globals_first(args: list[str]) -> list[str]:
    """Accept the global options after the command too (``plecak recheck --offline``)."""
    name = command_name(args)
    command = cli.get_command(click.Context(cli), name) if name else None
    own = {opt for param in command.params for opt in param.opts} if command else set()
    return hoist_globals(args, own)


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


__all__ = ["COMMANDS", "cli", "main"]
