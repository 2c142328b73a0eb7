"""``plecak doctor``: the wallet's own health check, read-only, and the salvage of intact records.

Why a command of its own: ``list`` and the TUI check the catalogue and the index on every opening
(cheap), but only the doctor opens every record of every kind, which takes a while on a big wallet.
Exit 0 when everything is intact, 1 when anything is damaged (or rolled back).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wallet.cli.io import echo, err, json_line
from wallet.cli.session import passphrase
from wallet.errors import EXIT_NOT_VALID, EXIT_OK
from wallet.i18n import _, ngettext

if TYPE_CHECKING:
    from wallet.service import WalletService


def run_doctor(
    service: WalletService, salvage: Path | None, *, accept_rollback: bool, json_out: bool
) -> int:
    wallet = service.wallet
    if accept_rollback and wallet.rolled_back is not None:
        wallet.accept_rollback()
        err(_("This copy of the wallet is now taken as the newest one."))
    report = wallet.scan()
    if json_out:
        json_line({"ok": report.ok, "counter": report.counter, **report.to_json()})
    if report.ok:
        err(_("The wallet is intact: every record opened and the list of records agrees."))
    else:
        for sentence in report.sentences():
            echo(sentence) if not json_out else err(sentence)
    if salvage is not None:
        from wallet.store.salvage import salvage as copy_intact

        result = copy_intact(wallet, salvage, passphrase(_("Passphrase")))
        err(
            ngettext(
                "Copied {count} credential ({records} records) into the new wallet in {home}.",
                "Copied {count} credentials ({records} records) into the new wallet in {home}.",
                result.credentials,
            ).format(count=result.credentials, records=result.records, home=salvage)
        )
        for finding in result.lost:
            err(_("Lost: {message}").format(message=finding.sentence()))
        for cid in result.rebuilt:
            err(_("Kept {id}, but its tags and the date it was added are lost.").format(id=cid))
        if json_out:
            json_line(
                {
                    "salvaged": {
                        "home": str(salvage),
                        "credentials": result.credentials,
                        "records": result.records,
                        "lost": [f.to_json() for f in result.lost],
                        "rebuilt": result.rebuilt,
                    }
                }
            )
    return EXIT_OK if report.ok else EXIT_NOT_VALID
