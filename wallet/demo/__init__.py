"""``plecak demo``: a throwaway wallet filled from a built-in issuer on 127.0.0.1, then the TUI.

Why a demo that goes through every real layer: it is the quickest honest answer to "what does this
do?" — the badges are fetched over real HTTP, parsed by the importers, verified (keys, revocation
lists, status lists), stored encrypted, and shown by the same app a learner uses.  Nothing outside
a temporary folder is touched: the wallet, the badge files and every fetched document live there,
and the folder is deleted at exit.  The wallet uses the cheap KDF profile (``PLECAK_KDF_PROFILE``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wallet.i18n import _, set_language

if TYPE_CHECKING:  # the demo imports its layers lazily: `plecak --help` stays fast
    from wallet.demo.host import EarningHost
    from wallet.demo.issuer import DemoIssue
    from wallet.service import WalletService
    from wallet.tui.runner import ServiceRunner

PASSPHRASE = "demo"


def _print_list(entries: list[Any], json_out: bool) -> None:
    from wallet.tui.view import fmt_date, status_text

    for entry in entries:
        if json_out:
            print(
                json.dumps(
                    {
                        "id": entry.id,
                        "status": entry.status.value,
                        "format": entry.format.value,
                        "title": entry.title,
                        "issuer": {"id": entry.issuer_id, "name": entry.issuer_name},
                        "issued": entry.issued.isoformat() if entry.issued else None,
                        "tags": list(entry.tags),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            print(
                f"{entry.id}  {status_text(entry.status):<18} {entry.title or '':<32} "
                f"{entry.issuer_name or '':<32} {fmt_date(entry.issued)}"
            )


def _in_process_browser(url: str) -> bool:
    """Follows the demo platform's sign-in (it approves at once) to the wallet's loopback
    redirect, as a browser would: ``--no-tui`` runs unattended, so no window is opened."""
    import httpx

    with httpx.Client(follow_redirects=True, trust_env=False, timeout=10) as client:
        client.get(url)
    return True


def _platform(
    service: WalletService, runner: ServiceRunner, no_tui: bool
) -> tuple[EarningHost, dict[str, str]]:
    """The demo *earning platform* on 127.0.0.1: an OB 3.0 API / Badge Connect host and an
    OpenID4VCI issuer.  Without the TUI the demo connects, syncs and receives by itself; with it,
    the Connections screen (n) comes with the platform's address and an offer filled in."""
    from wallet.connect.service import ConnectService
    from wallet.demo.host import EarningHost, stock
    from wallet.demo.vci import add_issuer

    now = datetime.now(UTC)
    host = EarningHost(name=_("Plecak Demo Learning Platform")).start()
    stock(host, now, ob3=3, badge_connect=0)
    vci = add_issuer(host, now)
    offer = vci.offer([_("Demo: received over OpenID4VCI")])
    if not no_tui:
        return host, {"url": host.base, "offer": offer}
    connect = ConnectService(service, open_browser=_in_process_browser)
    runner.call_blocking(connect.connect, host.base, "demo-platform")
    runner.call_blocking(connect.sync, "demo-platform")
    runner.call_blocking(connect.receive, offer, tx_code=lambda spec: "")
    return host, {}


def _fill(
    service: WalletService, runner: ServiceRunner, issue: DemoIssue, cleanup: contextlib.ExitStack
) -> None:
    """Create and unlock the throwaway wallet (locked again at clean-up), then import and tag the
    demo badges; a badge that fails to import is reported, never skipped silently."""
    from wallet.demo.issuer import LEARNER
    from wallet.errors import WalletError

    runner.call_blocking(service.create, PASSPHRASE)

    def lock() -> None:
        with contextlib.suppress(WalletError):
            runner.call_blocking(service.lock)

    cleanup.callback(lock)
    if not runner.call_blocking(lambda: service.unlocked):
        runner.call_blocking(service.unlock, PASSPHRASE)
    runner.call_blocking(service.add_identity, LEARNER)
    outcomes = runner.call_blocking(service.import_sources, issue.sources)
    for outcome in outcomes:
        if outcome.id is not None and outcome.source in issue.tags:
            runner.call_blocking(service.tag, outcome.id, issue.tags[outcome.source])
        if outcome.error is not None:
            print(
                _("demo: {source}: {message}").format(
                    source=Path(outcome.source).name, message=outcome.error.user_message()
                ),
                file=sys.stderr,
            )


def _throwaway_folder(cleanup: contextlib.ExitStack) -> Path:
    """The temporary folder everything of the demo is written to, removed at clean-up."""
    folder = Path(tempfile.mkdtemp(prefix="plecak-demo-"))
    cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
    os.environ["PLECAK_CACHE_DIR"] = str(folder / "cache")  # nothing outside the temp folder
    os.environ["PLECAK_STATE_DIR"] = str(folder / "state")  # not even the rollback marker
    print(
        _("plecak demo: a throwaway wallet in {folder}; it is removed when the demo ends.").format(
            folder=folder
        ),
        file=sys.stderr,
        flush=True,
    )
    return folder


def run_demo(no_tui: bool = False, lang: str | None = None, json_out: bool = False) -> int:
    """Fill a temporary wallet from the demo issuer; open the TUI (or print the list).

    The temporary folder is removed however the demo ends: ``q``, an error, SIGINT, SIGTERM or
    SIGHUP (:mod:`wallet.demo.signals`); every clean-up step runs even when one before it fails.
    """
    set_language(lang)
    os.environ["PLECAK_KDF_PROFILE"] = "test"  # this process only: a throwaway wallet
    from wallet.demo.signals import stopped_by_signals

    app: Any = None
    with contextlib.ExitStack() as cleanup, stopped_by_signals(lambda: app):
        folder = _throwaway_folder(cleanup)
        from wallet.demo.issuer import build
        from wallet.demo.server import DemoServer
        from wallet.errors import WalletError
        from wallet.factory import make_service
        from wallet.tui.runner import ServiceRunner

        server = DemoServer()
        cleanup.callback(server.stop)
        host: EarningHost | None = None

        def stop_host() -> None:
            if host is not None:
                host.stop()

        cleanup.callback(stop_host)
        runner = ServiceRunner()
        cleanup.callback(runner.close)
        try:
            files = folder / "badges"
            files.mkdir()
            issue = build(server.base, files, datetime.now(UTC))
            server.publish(issue.documents)
            server.start()
            service = make_service(folder / "wallet", allow_loopback=True)
            _fill(service, runner, issue, cleanup)
            host, suggestions = _platform(service, runner, no_tui)
            if no_tui:
                _print_list(runner.call_blocking(service.list), json_out)
                return 0
            from wallet.connect.service import connections_for
            from wallet.tui.app import make_app

            app = make_app(
                service,
                connections=connections_for(service),
                runner=runner,
                start_dir=files,
                unlock_hint=_("This is the demo wallet: its passphrase is “demo”."),
                title=_("plecak demo"),
            )
            app.connect_suggestions = suggestions
            return int(app.run() or 0)
        except WalletError as error:
            print(error.user_message(), file=sys.stderr)
            return error.exit_code
    return 0  # not reached: the block returns or raises
