"""What argv says before click parses it: the language, ``--debug``, and global options accepted
after the command too (``plecak recheck --offline``).

Why argv is rewritten instead of repeating every global option on every command: click binds an
option to the group or command it is declared on, and cli.md names ``--offline``, ``--home``,
``--lang``, ``--mirror`` and ``--debug`` as global options.  People type them where they think of
them, usually after the command (cli.md already allows that for ``--json``).  Moving them in front
of the command before click parses keeps one declaration per option and one meaning per name.

A command that declares an option of the same name keeps it (its own meaning wins), and nothing
after ``--`` is touched, so a file literally named ``--offline`` can still be given.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence

FLAGS = ("--offline", "--debug")
"""Global options that take no value."""
VALUED = ("--home", "--lang", "--mirror")
"""Global options that take one value."""


def _command_index(args: Sequence[str]) -> int | None:
    """Where the command name stands: the first word that is neither an option nor its value."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            return None
        if arg in VALUED:
            index += 2
            continue
        if arg.startswith("-"):
            index += 1
            continue
        return index
    return None


def hoist_globals(args: Sequence[str], own: Collection[str] = ()) -> list[str]:
    """``args`` with the global options found after the command moved in front of it.

    ``own`` names the options the chosen command declares itself; those stay where they are.
    A valued option with its value missing is left in place for click to report.
    """
    start = _command_index(args)
    if start is None:
        return list(args)
    head, moved, rest = list(args[:start]), [], []
    tail = list(args[start:])
    index = 0
    while index < len(tail):
        arg = tail[index]
        name = arg.split("=", 1)[0]
        if arg == "--":
            rest.extend(tail[index:])
            break
        if name in own:
            rest.append(arg)
        elif arg in FLAGS:
            moved.append(arg)
        elif arg in VALUED and index + 1 < len(tail):
            moved.extend(tail[index : index + 2])
            index += 2
            continue
        elif name in VALUED and "=" in arg:
            moved.append(arg)
        else:
            rest.append(arg)
        index += 1
    return head + moved + rest


def command_name(args: Sequence[str]) -> str | None:
    """The command ``args`` invoke (the first word that is neither an option nor its value)."""
    start = _command_index(args)
    return None if start is None else args[start]


def prescan_lang(argv: Sequence[str]) -> str | None:
    """``--lang`` as given, read before click parses (help must already be in that language)."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def wants_debug(argv: Sequence[str]) -> bool:
    """``--debug`` anywhere, or ``PLECAK_DEBUG=1``: technical detail with error messages."""
    return "--debug" in argv or os.environ.get("PLECAK_DEBUG") == "1"
