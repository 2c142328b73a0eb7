"""Help that reads as one language, translated when it is shown: texts, metavars, usage words.

Why translated at display time: the commands are declared once, at module level, but the language
(``--lang``/``PLECAK_LANG``/locale) is only known once argv has been looked at, and one process may
run ``main`` in several languages (the tests do).  So help texts are declared as msgids (``N_``)
and the click classes below keep them as msgids, translating each time click reads them.

Why metavars and usage words too: click derives metavars from parameter names and types
(``SOURCES``, ``TEXT``, ``[OPTIONS]``) and cuts command summaries at 45 characters with "…"; none
of that goes through a catalogue.  The same classes translate those words and keep whole summaries.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import cast

import click

from wallet.i18n import N_, _, tr

METAVARS = {
    "TEXT": N_("TEXT"),
    "SOURCES": N_("SOURCES"),
    "SOURCE": N_("SOURCE"),
    "FILES": N_("FILES"),
    "FILE": N_("FILE"),
    "IDS": N_("IDS"),
    "ID": N_("ID"),
    "CREDENTIAL_ID": N_("ID"),
    "TAGS": N_("TAGS"),
    "VALUE": N_("VALUE"),
    "DIR": N_("DIR"),
    "PATH": N_("PATH"),
    "IDENTITY": N_("IDENTITY"),
    "INTEGER": N_("NUMBER"),
}
"""Upper-case words click would show, and their msgids (the shown word is the translation)."""

Text = str | Callable[[], str] | None
"""A help text as declared: a msgid, a function that writes it (epilogs), or nothing."""


class Translated:
    """A text attribute of a click object kept as declared and translated when read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_declared_{name}"

    def __get__(self, obj: object, owner: type | None = None) -> str | None:
        declared: Text = obj.__dict__.get(self.slot) if obj is not None else None
        if callable(declared):
            return declared()
        return tr(declared) if declared else declared

    def __set__(self, obj: object, value: Text) -> None:
        obj.__dict__[self.slot] = value


def _word(raw: str) -> str:
    msgid = METAVARS.get(raw)
    return tr(msgid) if msgid else raw


def localised_metavar(param: click.Parameter, ctx: click.Context) -> str | None:
    """The metavar in the interface language, or None where click's own is right (a choice)."""
    base = param.metavar or param.type.get_metavar(param=param, ctx=ctx)
    if base is None:
        base = (
            (param.name or "").upper()
            if isinstance(param, click.Argument)
            else param.type.name.upper()
        )
    if base.startswith(("[", "{")):
        return None  # a choice list: values, not words
    word = _word(base.rstrip(".").strip("[]"))
    if isinstance(param, click.Argument):
        if not param.required:
            word = f"[{word}]"
        if param.nargs != 1:
            word += "..."
    return word


class StatusChoice(click.Choice[str]):
    """The statuses of cli.md, looked up when first needed (``plecak --help`` never loads the
    model)."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        from wallet.model import Status

        return tuple(s.value for s in Status)

    @choices.setter
    def choices(self, value: tuple[str, ...]) -> None:
        """Declared by click's constructor; the model's statuses are always the choices."""


class Option(click.Option):
    help = Translated()

    def make_metavar(self, ctx: click.Context) -> str:
        return localised_metavar(self, ctx) or super().make_metavar(ctx)


class Argument(click.Argument):
    def make_metavar(self, ctx: click.Context) -> str:
        return localised_metavar(self, ctx) or super().make_metavar(ctx)


class Command(click.Command):
    """A command whose help, epilog and usage words are translated when shown."""

    help = Translated()
    epilog = Translated()

    @property
    def options_metavar(self) -> str:
        return _("[OPTIONS]")

    @options_metavar.setter
    def options_metavar(self, value: str | None) -> None:
        """Declared by click's constructor; the translated word is always shown."""

    def get_short_help_str(self, limit: int = 45) -> str:
        """The whole first paragraph of the help, never cut at ``limit`` with "…"."""
        if not self.short_help and self.help:
            return inspect.cleandoc(self.help.split("\n\n", 1)[0]).strip()
        return super().get_short_help_str(limit)


class Group(Command, click.Group):
    """The same for groups; commands and groups declared on it get these classes too."""

    command_class = Command
    group_class = type

    @property
    def subcommand_metavar(self) -> str:
        return _("COMMAND [ARGS]...")

    @subcommand_metavar.setter
    def subcommand_metavar(self, value: str) -> None:
        """Declared by click's constructor; the translated words are always shown."""


def option(*decls: str, **attrs: object) -> Callable[[click.decorators.FC], click.decorators.FC]:
    """``click.option`` with help translated when shown."""
    return click.option(*decls, cls=Option, **attrs)


def argument(*decls: str, **attrs: object) -> Callable[[click.decorators.FC], click.decorators.FC]:
    """``click.argument`` with metavars translated when shown."""
    return click.argument(*decls, cls=Argument, **attrs)


def command(name: str | None = None, **attrs: object) -> Callable[[Callable[..., object]], Command]:
    """A module-level command (registered on the root group by :mod:`wallet.cli.app`)."""
    return cast(
        Callable[[Callable[..., object]], Command], click.command(name, cls=Command, **attrs)
    )


def localise(group: click.Group) -> None:
    """Translate the metavars of parameters declared with plain click classes (the connection
    commands, registered on every run in the interface language of that run)."""
    ctx = click.Context(group)
    commands = list(group.commands.values())
    while commands:
        current = commands.pop()
        if isinstance(current, click.Group):
            commands.extend(current.commands.values())
        for param in current.params:
            if isinstance(param, Option | Argument):
                continue
            if isinstance(param, click.Option) and (param.is_flag or param.count):
                continue
            metavar = localised_metavar(param, ctx)
            if metavar is not None:
                param.metavar = metavar


def root_epilog() -> str:
    """Examples, the environment variables and global options after the command."""
    return "\n\n".join(
        (
            "\b\n"
            + _("Examples:")
            + "\n  plecak demo\n  plecak init\n  plecak import badge.png folder/ https://uni.example/a/1\n"
            "  plecak list --status valid\n"
            "  plecak export bundle -o for-employer.zip --tag cv\n"
            "  plecak verify for-employer.zip",
            "\b\n"
            + _("Environment:")
            + "\n  PLECAK_HOME        "
            + _("the wallet folder (like --home)")
            + "\n  PLECAK_LANG        "
            + _("pl or en (like --lang)")
            + "\n  PLECAK_OFFLINE=1   "
            + _("never use the network (like --offline)")
            + "\n  PLECAK_MIRROR      "
            + _("mirror indexes, separated by ':' (like --mirror)")
            + "\n  PLECAK_PASSPHRASE  "
            + _("unlock without a prompt (scripts); never echoed")
            + "\n  PLECAK_IDLE_LOCK   "
            + _("seconds before the window locks itself (0: never)"),
            _("Global options may also follow the command: plecak recheck --offline."),
        )
    )


def import_epilog() -> str:
    """The sources and formats ``plecak import`` accepts, where people look first."""
    return (
        "\b\n"
        + _("Accepted sources:")
        + "\n  "
        + _("baked PNG and SVG badges; .json, .jsonld, .jws, .jwt and .txt files;")
        + "\n  "
        + _("folders and ZIP archives (files that are no credential are skipped);")
        + "\n  "
        + _("http(s) addresses of badges or of pages that link one;")
        + "\n  "
        + _("- for standard input (a JWS, JWT or JSON pasted).")
        + "\n\n"
        + _("Formats:")
        + "\n  "
        + _("Open Badges 0.5–2.1 and 3.0, CLR 2.0, Verifiable Presentations, SD-JWT VC,")
        + "\n  "
        + _("European Digital Credentials (ELM v3, JAdES) and legacy Europass XML.")
    )
