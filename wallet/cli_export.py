"""``plecak export linkedin``: print (and with ``--open`` open) LinkedIn's add-to-profile address.

Kept out of cli.py so the command module stays small; ``webbrowser`` is imported only here.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from wallet.errors import UsageError
from wallet.i18n import _
from wallet.service import WalletService


def linkedin(service: WalletService, chosen: Sequence[str], open_: bool) -> None:
    if len(chosen) != 1:
        raise UsageError(_("LinkedIn takes one credential at a time: give one ID."))
    url = service.export("linkedin", list(chosen)).decode("utf-8").strip()
    click.echo(url)
    if open_:
        import webbrowser

        if not webbrowser.open(url):
            click.echo(_("No browser could be opened; copy the address above."), err=True)
