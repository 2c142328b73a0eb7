"""An attacker with nothing but their own plecak, and an employer checking what they send.

How every attack is built (tests/attacks): the attacker makes documents with their own keys,
imports the credential into their own wallet with ``--mirror`` (the attacker's own pinning, so
their wallet captures exactly the documents they chose) and exports a share bundle with
``plecak export bundle``.  The employer then runs ``plecak verify bundle.zip`` in an empty home,
``--offline`` and online with the issuer's host unreachable (the loopback issuer stopped), and must
never get ``valid``.  The genuine originals are served by a loopback issuer
(:class:`wallet.demo.server.DemoServer`) while it runs, and verified online.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run_cli
from wallet.demo.server import DemoServer

Documents = Mapping[str, tuple[str, bytes]]
"""URL -> (content type, body)."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def as_json(value: Any) -> bytes:
    return json.dumps(value, indent=1).encode("utf-8")


def write_mirror(folder: Path, documents: Documents) -> Path:
    """A cli.md mirror index holding ``documents``; returns the index path."""
    folder.mkdir(parents=True, exist_ok=True)
    index: dict[str, Any] = {}
    for number, (url, (ctype, body)) in enumerate(sorted(documents.items())):
        name = f"doc{number}.bin"
        (folder / name).write_bytes(body)
        index[url] = {"file": name, "status": 200, "content_type": ctype}
    path = folder / "index.json"
    path.write_text(json.dumps(index), encoding="utf-8")
    return path


def manifest_of(bundle: Path) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(bundle.read_bytes())) as archive:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return manifest


@dataclass
class World:
    tmp: Path
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch
    issuer: DemoServer = field(default_factory=DemoServer)
    _homes: set[str] = field(default_factory=set)
    _serving: bool = True

    def __post_init__(self) -> None:
        self.issuer.start()  # answers 404 until documents are published

    @property
    def base(self) -> str:
        """The loopback issuer's address (known before it starts, so documents can name it)."""
        return self.issuer.base

    def cli(self, home: str, *args: str, offline: bool = True) -> tuple[int, str, str]:
        """``plecak --home HOME ARGS``; each home has its own context cache (nothing shared)."""
        self.monkeypatch.setenv("PLECAK_OFFLINE", "1" if offline else "0")
        self.monkeypatch.setenv("PLECAK_CACHE_DIR", str(self.tmp / f"cache-{home}"))
        return run_cli(self.capsys, "--home", str(self.tmp / home), *args)

    def home(self, name: str) -> str:
        if name not in self._homes:
            assert self.cli(name, "init")[0] == 0
            self._homes.add(name)
        return name

    def attacker_bundle(
        self, sources: Sequence[str], documents: Documents, *, home: str = "attacker"
    ) -> Path:
        """Import ``sources`` into the attacker's wallet, which captures ``documents`` (their
        ``--mirror``), and export every credential as a share bundle."""
        where = self.home(home)
        index = write_mirror(self.tmp / f"{home}-mirror", documents)
        for source in sources:
            code, out, err = self.cli(where, "--mirror", str(index), "import", source)
            assert code in (0, 1), out + err
        bundle = self.tmp / f"{home}.zip"
        code, _out, err = self.cli(where, "export", "bundle", "--all", "-o", str(bundle))
        assert code == 0, err
        return bundle

    def verify(
        self, source: Path | str, *, offline: bool, extra: Sequence[str] = ()
    ) -> tuple[int, dict[str, Any]]:
        """The employer: ``plecak [--offline] [EXTRA] verify --json SOURCE`` in an empty home."""
        flags = (["--offline"] if offline else []) + list(extra)
        code, out, err = self.cli(
            "employer", *flags, "verify", "--json", str(source), offline=offline
        )
        lines = [json.loads(line) for line in out.splitlines() if line.strip()]
        assert lines, err
        return code, lines[0]

    def serve(self, documents: Documents) -> None:
        """Start the loopback issuer serving ``documents`` (URLs under :attr:`base`)."""
        paths = {url[len(self.base) :]: doc for url, doc in documents.items()}
        self.issuer.publish(paths)

    def stop(self) -> None:
        """Stop the loopback issuer: its host is now unreachable (connection refused)."""
        if self._serving:
            self._serving = False
            self.issuer.stop()

    def assert_never_valid(self, bundle: Path) -> list[dict[str, Any]]:
        """Offline, and online with the issuer unreachable: exit 1, the bundle and its
        credentials not valid.  Returns the credentials of the offline report."""
        found: list[dict[str, Any]] = []
        for offline in (True, False):
            code, report = self.verify(bundle, offline=offline)
            assert code == 1, report
            assert report["status"] != "valid", report
            assert report["credentials"], report
            assert all(c["status"] != "valid" for c in report["credentials"]), report
            if offline:
                found = report["credentials"]
        return found


def checks_of(credential: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """check id -> (status, message) of one credential of a bundle's JSON report."""
    return {c["id"]: (c["status"], c["message"]) for c in credential["checks"]}


# --------------------------------------------------------------------------- the attacker's tools


def ed25519_key() -> bytes:
    from wallet.codecs import holder

    return holder.generate_private_key()


def public_jwk(private_key: bytes) -> dict[str, str]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = Ed25519PrivateKey.from_private_bytes(private_key).public_key()
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


def sign_jwt(header: dict[str, Any], claims: dict[str, Any], private_key: bytes) -> str:
    """A compact EdDSA JWS over ``claims``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    def part(value: dict[str, Any]) -> str:
        return b64url(json.dumps(value, separators=(",", ":")).encode())

    signing_input = f"{part(header)}.{part(claims)}"
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(signing_input.encode())
    return f"{signing_input}.{b64url(signature)}"


def vc_jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The VC-JWT registered claims that must agree with the credential."""
    from datetime import datetime

    claims = dict(credential)
    issuer = credential["issuer"]
    claims["iss"] = issuer["id"] if isinstance(issuer, dict) else issuer
    claims["jti"] = credential["id"]
    claims["nbf"] = int(datetime.fromisoformat(credential["validFrom"]).timestamp())
    return claims


def sign_jcs_as(
    document: dict[str, Any], private_key: bytes, verification_method: str
) -> dict[str, Any]:
    """An eddsa-jcs-2022 proof by ``private_key`` naming any ``verification_method`` (did:web)."""
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from wallet.codecs import holder

    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2026-10-01T00:00:00Z",
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
        "@context": unsecured["@context"],
    }
    digest = (
        hashlib.sha256(holder.jcs(config)).digest() + hashlib.sha256(holder.jcs(unsecured)).digest()
    )
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(digest)
    proof = {k: v for k, v in config.items() if k != "@context"}
    proof["proofValue"] = "z" + holder.b58encode(signature)
    return {**unsecured, "proof": proof}
