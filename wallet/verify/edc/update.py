"""``plecak trust update``: refresh the trusted-list snapshot online, through the one Fetcher.

Steps: fetch the LOTL from its official address; verify it against the pinned Official Journal
signers (at its issue time); read from its *signed* content where each country publishes its
XML list and which certificates may sign it; fetch and verify each wanted national list; refuse
any list older than the one held; reduce and write the snapshot with its sha256 into the user's
cache folder (:mod:`snapshots`).  Nothing is written unless every list verified.

Which countries: those of the snapshot in use (the shipped one holds ES and SI) plus the ones
asked for, so a refresh never loses a country.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from wallet.i18n import N_, _
from wallet.ports import Fetcher
from wallet.verify.edc import snapshots, trust, trustlist

LOTL_URL = "https://ec.europa.eu/tools/lotl/eu-lotl.xml"
ACCEPT = "application/vnd.etsi.tsl+xml, application/xml;q=0.9, text/xml;q=0.9"


def pinned_signers(pem: bytes | None = None) -> list[bytes]:
    """DER of the LOTL signers: the shipped Official Journal set, or ``pem`` given instead."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    raw = pem if pem is not None else (trust.SNAPSHOT_DIR / "lotl-signers.pem").read_bytes()
    try:
        certs = x509.load_pem_x509_certificates(raw)
    except ValueError as exc:
        raise trust.TrustListError(
            reason=_("the LOTL signer certificates are not PEM certificates"), detail=str(exc)
        ) from exc
    return [c.public_bytes(Encoding.DER) for c in certs]


async def _download(fetcher: Fetcher, url: str) -> bytes:
    response = await fetcher.get(url, accept=ACCEPT, max_bytes=trustlist.MAX_LIST_BYTES)
    if not 200 <= response.status < 300:
        raise trust.TrustListError(
            reason=_("{url} answered with HTTP status {status}").format(
                url=url, status=response.status
            )
        )
    return response.body


@dataclass(frozen=True, slots=True)
class Refreshed:
    snapshot: trust.TrustSnapshot
    written: Path
    previous: trust.TrustSnapshot


async def refresh(
    fetcher: Fetcher,
    *,
    countries: Iterable[str] = (),
    lotl_url: str = LOTL_URL,
    signers: Sequence[bytes] | None = None,
    folder: Path | None = None,
) -> Refreshed:
    """Fetch, verify and store a newer snapshot; raises TrustListError (nothing written)."""
    try:
        return await _refresh(fetcher, countries, lotl_url, signers, folder)
    except trust.TrustListError as exc:
        exc.hint = N_(
            "Nothing was changed: seals are still checked against the snapshot in use "
            "(plecak trust show)."
        )
        raise


async def _refresh(
    fetcher: Fetcher,
    countries: Iterable[str],
    lotl_url: str,
    signers: Sequence[bytes] | None,
    folder: Path | None,
) -> Refreshed:
    held = snapshots.current()
    wanted = {i.country for i in held.lists if i.country != "EU"}
    wanted.update(c.strip().upper() for c in countries if c.strip())
    pinned = list(signers) if signers is not None else pinned_signers()
    lotl = await _download(fetcher, lotl_url)
    signed, _signer = trustlist.verify_list(lotl, pinned)
    published = trustlist.locations(signed)
    missing = sorted(c for c in wanted if c not in published)
    if missing:
        raise trust.TrustListError(
            reason=_("the LOTL points to no list for {countries}").format(
                countries=", ".join(missing)
            )
        )
    national = {c: await _download(fetcher, published[c]) for c in sorted(wanted)}
    source = f"{lotl_url} ({_now(fetcher)})"
    snapshot = trustlist.build_snapshot(lotl, national, pinned, source=source, held=held)
    target = trust.write_pinned(snapshot, folder or snapshots.user_dir())
    return Refreshed(snapshot, target, held)


def _now(fetcher: Fetcher) -> str:
    """When the LOTL was fetched, from the Fetcher's own record (its injected clock)."""
    records = fetcher.records
    moment: datetime | None = records[0].fetched_at if records else None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else "-"
