"""Where the command line writes: results on stdout, messages on stderr, files atomically.

Why one module: cli.md promises that stdout carries only results (JSON Lines with ``--json``) and
that messages go to stderr; every command writes through these few functions, so that promise is
kept in one place.
"""

from __future__ import annotations

from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from wallet.errors import ExportError
from wallet.i18n import N_, _

if TYPE_CHECKING:
    from wallet.model import Json

T = TypeVar("T")


def echo(text: str) -> None:
    """A result for people, on stdout."""
    click.echo(text)


def err(text: str) -> None:
    """A message, on stderr."""
    click.echo(text, err=True)


def json_line(obj: Json) -> None:
    """One JSON Lines record on stdout."""
    from wallet.codecs.report_json import dumps

    click.echo(dumps(obj))


def run(coro: Coroutine[object, object, T]) -> T:
    """Run one service coroutine to its end (each command is one event loop)."""
    import asyncio

    return asyncio.run(coro)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; a failure is an ExportError, said plainly."""
    from wallet.files import write_atomic

    path = path.expanduser()
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def _cannot_write(path: Path, exc: OSError) -> ExportError:
    """A missing folder, no permission, a full disk: said plainly, never a traceback."""
    return ExportError(
        reason=_("cannot write {file} ({error}).").format(
            file=path, error=exc.strerror or type(exc).__name__
        ),
        hint=N_("Check that the folder exists and that you may write to it."),
        detail=repr(exc),
    )
