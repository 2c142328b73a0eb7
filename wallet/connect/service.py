"""ConnectService: connections, sync and OpenID4VCI receive, as the shells call them.

Apart from :class:`wallet.service.WalletService` (which it wraps) so the service stays the import /
verify / store core: everything here ends in :meth:`WalletService.import_blobs`, the same pipeline
as files.  The browser opener, the sleeper (Retry-After) and the clock are injected, so tests drive
the browser step with an HTTP client and never sleep.
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from wallet.connect import holder_keys, oauth, oid4vci
from wallet.connect.api import HostApi
from wallet.connect.records import Connection, Connections, check_name, name_for
from wallet.connect.vci_credential import PENDING_KIND, Pending, Received
from wallet.connect.vci_token import TxCodePrompt
from wallet.errors import NetworkError, UsageError, WalletError
from wallet.i18n import _
from wallet.net.fetcher import HttpFetcher
from wallet.service import ImportOutcome, Progress

if TYPE_CHECKING:
    from wallet.connect.protocol import ConnectionsApi, ConnectionsFactory
    from wallet.service import WalletService


@dataclass(frozen=True, slots=True)
class SyncResult:
    connection: str
    outcomes: list[ImportOutcome] = field(default_factory=list)
    pages: int = 0
    total: int | None = None
    error: WalletError | None = None
    """Syncing every connection: one host's failure is reported here, the others still sync."""


MAX_WAIT = 60.0
"""The longest ``plecak receive --resume`` waits for a deferred credential that is not due yet."""

SKEW = timedelta(minutes=10)
"""``since`` asks from this much before the last sync began: the host's clock may differ from
ours, and what comes twice is recognised as a duplicate, never stored twice."""


def _http_fetcher(service: WalletService) -> HttpFetcher:
    fetcher = service.fetcher_factory()
    if not isinstance(fetcher, HttpFetcher):  # pragma: no cover - the factory makes HttpFetchers
        raise TypeError("connections need the HTTP fetcher")
    return fetcher


def _refused(items: builtins.list[tuple[str, str]]) -> builtins.list[ImportOutcome]:
    """Items a host sent that are no credential: reported as failures, never skipped."""
    from wallet.errors import UnsupportedInput
    from wallet.i18n import N_

    return [
        ImportOutcome(
            source=source,
            state="failed",
            error=UnsupportedInput(N_("{source}: {reason}"), source=source, reason=reason, hint=""),
        )
        for source, reason in items
    ]


class ConnectService:
    def __init__(
        self,
        service: WalletService,
        *,
        open_browser: oauth.OpenBrowser = oauth.open_system_browser,
        announce: Callable[[str], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        browser_timeout: float = oauth.BROWSER_TIMEOUT,
    ) -> None:
        self.service = service
        self.open_browser = open_browser
        self.announce = announce
        self.sleep = sleep
        self.browser_timeout = browser_timeout

    @property
    def sign_in(self) -> oauth.SignIn:
        return oauth.SignIn(self.open_browser, self.browser_timeout, self.announce)

    @property
    def connections(self) -> Connections:
        return Connections(self.service.wallet)

    # ------------------------------------------------------------------ connect

    async def connect(self, url: str, name: str | None = None) -> Connection:
        from wallet.connect.discovery import discover

        store = self.connections
        taken = store.names()
        if name is not None:
            name = check_name(name)
            if name in taken:
                raise UsageError(_("A connection named {name} exists already.").format(name=name))
        async with _http_fetcher(self.service) as fetcher:
            api = HostApi(fetcher)
            profile = await discover(api, url.strip())
            with oauth.LoopbackRedirect() as redirect:
                client = await oauth.register(api, profile, redirect.redirect_uri)
                tokens = await oauth.authorize(
                    api,
                    profile,
                    redirect,
                    client,
                    sign_in=self.sign_in,
                    now=self.service.clock(),
                )
            connection = Connection(
                name=name or name_for(profile, taken),
                profile=profile,
                client=client,
                tokens=tokens,
                created=self.service.clock(),
            )
            connection = replace(connection, account=await self._account(api, connection))
        store.save(connection)
        return connection

    async def _account(self, api: HostApi, connection: Connection) -> str:
        """The learner's name at the host (getProfile), when the profile scope was granted."""
        from wallet.connect.api import clean_text

        if len(connection.profile.scopes) < 2:
            return ""
        if connection.profile.scopes[1] not in connection.tokens.scope.split():
            return ""
        try:
            _answer, data = await api.json(
                "GET",
                connection.profile.api_base + "/profile",
                token=connection.tokens.access_token,
                max_bytes=256 * 1024,
            )
        except NetworkError:
            return ""
        if not isinstance(data, dict):
            return ""
        inner = data.get("profile")
        profile: dict[str, Any] = inner if isinstance(inner, dict) else data
        found = profile.get("name") or profile.get("email") or ""
        return clean_text(found, 80) if isinstance(found, str) else ""

    # ------------------------------------------------------------------ list, rename, remove

    def list(self) -> builtins.list[Connection]:
        return self.connections.all()

    def rename(self, old: str, new: str) -> Connection:
        return self.connections.rename(old, new)

    async def remove(self, name: str) -> bool | None:
        """Forget a connection; revoke its tokens at the host first.  Returns True when the host
        confirmed, False when it could not, None when it offers no revocation."""
        store = self.connections
        connection = store.get(name)
        revoked: bool | None = None
        if connection.profile.revocation_url:
            async with _http_fetcher(self.service) as fetcher:
                revoked = await oauth.revoke(
                    HostApi(fetcher),
                    connection.profile.revocation_url,
                    connection.client,
                    connection.tokens,
                )
        store.remove(name)
        return revoked

    # ------------------------------------------------------------------ OpenID4VCI

    async def receive(
        self,
        offer: str,
        *,
        tx_code: TxCodePrompt,
        progress: Progress | None = None,
        on_pending: Callable[[Pending], None] | None = None,
    ) -> builtins.list[ImportOutcome]:
        """Receive what an OpenID4VCI offer holds; verify and store it like an import.  What the
        issuer delivers later is kept sealed (``on_pending`` hears of it) for :meth:`resume`."""
        from wallet.connect.holder_keys import Holder

        holder = Holder(self.service.wallet.signing_key())
        async with _http_fetcher(self.service) as fetcher:
            received = await oid4vci.receive(
                HostApi(fetcher),
                offer,
                holder=holder,
                p256=self._p256_holder,
                tx_code=tx_code,
                sign_in=self.sign_in,
                clock=lambda: self.service.clock().timestamp(),
            )
        return await self._settle(received, [], progress, on_pending)

    def pending(self) -> builtins.list[Pending]:
        """The credentials issuers will deliver later, oldest transaction first."""
        return [
            Pending.from_record(record_id, data)
            for record_id, data in self.service.wallet.records_of(PENDING_KIND)
        ]

    async def resume(
        self,
        *,
        progress: Progress | None = None,
        on_pending: Callable[[Pending], None] | None = None,
    ) -> builtins.list[ImportOutcome]:
        """Ask the issuers for the credentials they deferred; wait (injected sleeper) up to
        :data:`MAX_WAIT` for one that is not due yet, leave later ones pending."""
        from wallet.connect.vci_credential import Received, poll

        waiting = self.pending()
        if not waiting:
            raise UsageError(
                _("No credential is waiting to be received."),
                hint=_("Receive an offer with 'plecak receive OFFER'."),
            )
        received = Received(issuer="")
        errors: builtins.list[ImportOutcome] = []
        async with _http_fetcher(self.service) as fetcher:
            api = HostApi(fetcher)
            for item in waiting:
                wait = item.not_before - self.service.clock().timestamp()
                if wait > MAX_WAIT:
                    received.pending.append(item)
                    continue
                if wait > 0:
                    await self.sleep(wait)
                try:
                    await poll(api, item, self.service.clock().timestamp(), received)
                except WalletError as error:  # kept: the next resume asks again
                    errors.append(ImportOutcome(source=item.source, state="failed", error=error))
        return await self._settle(received, errors, progress, on_pending)

    async def _settle(
        self,
        received: Received,
        errors: builtins.list[ImportOutcome],
        progress: Progress | None,
        on_pending: Callable[[Pending], None] | None,
    ) -> builtins.list[ImportOutcome]:
        """Store what came (one transaction), then keep what waits and forget what is settled."""
        outcomes = await self.service.import_blobs(received.blobs, progress=progress)
        wallet = self.service.wallet
        for item in received.pending:
            wallet.put_record(PENDING_KIND, item.id, item.record())
            if on_pending is not None:
                on_pending(item)
        for record_id in set(received.done) - {item.id for item in received.pending}:
            wallet.delete_record(PENDING_KIND, record_id)
        return outcomes + _refused(received.refused) + errors

    def _p256_holder(self) -> holder_keys.Holder:
        """The wallet's P-256 holder key (made on first use, kept sealed like every record)."""
        import base64

        wallet = self.service.wallet
        record = wallet.get_record("holder-key", "p256")
        if record is None:
            record = {"d": base64.b64encode(holder_keys.new_p256_value()).decode("ascii")}
            wallet.put_record("holder-key", "p256", record)
        return holder_keys.P256Holder(base64.b64decode(record["d"]))

    # ------------------------------------------------------------------ sync

    async def sync(
        self,
        name: str | None = None,
        *,
        full: bool = False,
        progress: Progress | None = None,
    ) -> builtins.list[SyncResult]:
        store = self.connections
        targets = [store.get(name)] if name else store.all()
        if not targets:
            raise UsageError(
                _("There are no connections yet."),
                hint=_("Connect to where you earn badges with 'plecak connect URL'."),
            )
        if name:
            return [await self._sync_one(targets[0], full=full, progress=progress)]
        results: builtins.list[SyncResult] = []
        for connection in targets:
            try:
                results.append(await self._sync_one(connection, full=full, progress=progress))
            except WalletError as error:
                results.append(SyncResult(connection.name, error=error))
        return results

    async def _sync_one(
        self, connection: Connection, *, full: bool, progress: Progress | None
    ) -> SyncResult:
        from wallet.connect.sync import pull

        started = self.service.clock()
        state = {"connection": connection}
        async with _http_fetcher(self.service) as fetcher:
            api = HostApi(fetcher)

            async def renew() -> str:
                current = state["connection"]
                tokens = await oauth.refresh(
                    api, current.profile, current.client, current.tokens, self.service.clock()
                )
                state["connection"] = replace(current, tokens=tokens)
                self.connections.save(state["connection"])
                return tokens.access_token

            async def token() -> str:
                current = state["connection"]
                if current.tokens.expired(self.service.clock()):
                    return await renew()
                return current.tokens.access_token

            def pages(count: int, total: int | None) -> None:
                if progress is not None:
                    progress(0, total or count, _("downloading {count}").format(count=count))

            pulled = await pull(
                api,
                connection.profile.kind,
                connection.profile.api_base,
                token,
                since=None if full or connection.last_sync is None else connection.last_sync - SKEW,
                source=connection.name,
                sleep=self.sleep,
                renew=renew,
                progress=pages,
            )
        outcomes = await self.service.import_blobs(pulled.blobs, progress=progress)
        outcomes += _refused(pulled.refused)
        stored = sum(o.state == "stored" for o in outcomes)
        current = state["connection"]
        self.connections.save(replace(current, last_sync=started, synced=current.synced + stored))
        return SyncResult(connection.name, outcomes, pulled.pages, pulled.total)


def connections_for(service: WalletService) -> ConnectionsFactory:
    """The connections a terminal window over the real wallet ``service`` uses: the host's
    sign-in opens in the system browser, and ``announce`` shows its address too."""

    def make(announce: Callable[[str], None]) -> ConnectionsApi:
        return ConnectService(service, open_browser=oauth.open_system_browser, announce=announce)

    return make
