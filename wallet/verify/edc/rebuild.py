"""Maintainers' tool: rebuild the shipped trusted-list snapshot from signed XML lists.

    python -m wallet.verify.edc.rebuild --lotl eu-lotl.xml --list SI=SI_TL.xml --list ES=TSL.xml \
        [--signers wallet/verify/edc/data/lotl-signers.pem] [--out wallet/verify/edc/data] \
        [--source "where the XML came from"]

Every signature is verified exactly as at run time would (LOTL against the pinned signers, each
national list against the signers the LOTL names, each at its issue time); a list older than the
one in the current snapshot is refused; the JSON and its sha256 are written together, so the
pinned digest and the data cannot drift apart.  Not a user command: users refresh their own copy
online with ``plecak trust update`` (:mod:`wallet.verify.edc.update`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wallet.verify.edc import trust, trustlist


def rebuild(
    lotl: bytes,
    national: dict[str, bytes],
    signers_pem: bytes,
    out: Path,
    *,
    source: str = "",
) -> trust.TrustSnapshot:
    """Verify, reduce and write ``trusted-lists.json`` + ``.sha256`` into ``out``."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    signers = [c.public_bytes(Encoding.DER) for c in x509.load_pem_x509_certificates(signers_pem)]
    target = out / trust.FILE_NAME
    held = trust.load_pinned(target, out / trust.DIGEST_NAME) if target.exists() else None
    snapshot = trustlist.build_snapshot(lotl, national, signers, source=source, held=held)
    trust.write_pinned(snapshot, out)
    return snapshot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wallet.verify.edc.rebuild")
    parser.add_argument("--lotl", type=Path, required=True)
    parser.add_argument("--list", action="append", default=[], metavar="CC=FILE")
    parser.add_argument("--signers", type=Path, default=trust.SNAPSHOT_DIR / "lotl-signers.pem")
    parser.add_argument("--out", type=Path, default=trust.SNAPSHOT_DIR)
    parser.add_argument("--source", default="")
    args = parser.parse_args(argv)
    national = {}
    for item in args.list:
        country, _, path = item.partition("=")
        national[country] = Path(path).read_bytes()
    try:
        snapshot = rebuild(
            args.lotl.read_bytes(),
            national,
            args.signers.read_bytes(),
            args.out,
            source=args.source,
        )
    except trust.TrustListError as exc:
        print(exc.diagnostics(), file=sys.stderr)
        return 1
    for info in snapshot.lists:
        print(f"{info.country} #{info.sequence} issued {info.issued.isoformat()}")
    print(f"{len(snapshot.services)} services")
    return 0


if __name__ == "__main__":
    sys.exit(main())
