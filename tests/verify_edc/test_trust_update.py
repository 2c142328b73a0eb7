"""``plecak trust update|show`` against a real HTTP server on 127.0.0.1 serving the synthetic
world's LOTL and PL list (signed by our own keys; ``--signers`` names the world's LOTL signer).

The package's snapshot is hidden (``trust.SNAPSHOT_FILE`` points to nowhere) so these lists are
the first the wallet holds; the user's copy goes to the test's own ``PLECAK_CACHE_DIR``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from importers.registry import default_registry
from tests.support.cli import run_cli
from tests.support.server import LoopbackServer
from tests.verify_edc import trusted_lists as tl
from tests.verify_edc import world as w
from wallet.model import Credential, Status, VerificationReport
from wallet.net.fake import FakeFetcher
from wallet.verify.context import VerifyContext
from wallet.verify.edc import snapshots, trust
from wallet.verify.verifier import verify

XML = "application/xml"
LATER = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LoopbackServer]:
    monkeypatch.setattr(trust, "SNAPSHOT_FILE", tmp_path / "no-shipped-snapshot.json")
    monkeypatch.setenv("PLECAK_ALLOW_LOOPBACK", "1")
    monkeypatch.delenv("PLECAK_OFFLINE", raising=False)
    monkeypatch.delenv("PLECAK_MIRROR", raising=False)
    monkeypatch.setenv("PLECAK_HOME", str(tmp_path / "home"))
    with LoopbackServer() as running:
        yield running


def _serve(server: LoopbackServer, world: w.World, *, sequence: int = 12, **lotl: object) -> None:
    lotl_xml = tl.lotl(
        world.lotl_signer,
        {"PL": world.tl_signer},
        base=server.url("/"),
        **lotl,  # type: ignore[arg-type]
    )
    pl_xml = tl.national_list("PL", world.tl_signer, world.services, sequence=sequence)
    server.routes["/eu-lotl.xml"] = (200, XML, lotl_xml)
    server.routes["/PL.xml"] = (200, XML, pl_xml)


def _update(
    capsys: pytest.CaptureFixture[str],
    server: LoopbackServer,
    world: w.World,
    tmp_path: Path,
    *extra: str,
) -> tuple[int, str, str]:
    signers = tmp_path / "lotl-signers.pem"
    signers.write_bytes(world.lotl_signer.cert.public_bytes(Encoding.PEM))
    return run_cli(
        capsys,
        "trust",
        "update",
        "--lotl-url",
        server.url("/eu-lotl.xml"),
        "--signers",
        str(signers),
        *extra,
    )


def _verify_in_wallet(sealed: dict[str, object], tmp_path: Path) -> VerificationReport:
    """Verified as any EDC is: no snapshot handed in, so the verifier picks the current one."""
    path = tmp_path / "sealed.jades.json"
    path.write_text(json.dumps(sealed), encoding="utf-8")
    (credential,) = [
        c for c in default_registry().read_path(path).found if isinstance(c, Credential)
    ]
    ctx = VerifyContext(fetcher=FakeFetcher(), clock=lambda: w.NOW, offline=True)
    return asyncio.run(verify(credential, ctx))


def test_update_fetches_verifies_and_keeps_the_lists_for_the_verifier(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, world: w.World, tmp_path: Path
) -> None:
    sealed = w.seal_edc(
        world.seal_cert(),
        sig_tst=(world.tsa, w.SIGNED_AT),
        crls=[w.crl(world.ca, [], datetime(2026, 3, 2, tzinfo=UTC))],
    )
    before = _verify_in_wallet(sealed, tmp_path)
    assert before.status is Status.UNVERIFIED  # no lists held yet
    _serve(server, world)
    code, out, err = _update(capsys, server, world, tmp_path, "--country", "pl")
    assert code == 0, err
    assert "Verified and kept the trusted lists of 2026-02-01T00:00:00Z (before: -)." in err
    assert "PL #12, issued 2026-02-01T00:00:00Z" in out
    assert server.hits("/eu-lotl.xml") == 1 and server.hits("/PL.xml") == 1
    stored = snapshots.user_dir() / "trusted-lists.json"
    assert stored.is_file() and str(stored).startswith(str(tmp_path)), out
    assert snapshots.current_and_origin()[1] == "user"
    after = _verify_in_wallet(sealed, tmp_path)
    assert after.status is Status.VALID
    code, out, _err = run_cli(capsys, "trust", "show", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["origin"] == "user" and shown["as_of"] == "2026-02-01T00:00:00Z"
    assert [(i["country"], i["sequence"]) for i in shown["lists"]] == [("EU", 300), ("PL", 12)]
    assert shown["by_type"] == {"ca_qc": 1, "ca_pkc": 0, "tsa_qtst": 1, "tsa": 0}


def test_a_list_older_than_the_one_held_is_refused_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, world: w.World, tmp_path: Path
) -> None:
    _serve(server, world, sequence=12)
    assert _update(capsys, server, world, tmp_path, "--country", "PL")[0] == 0
    stored = (snapshots.user_dir() / "trusted-lists.json").read_bytes()
    _serve(server, world, sequence=11)
    code, _out, err = _update(capsys, server, world, tmp_path)  # PL kept: it is held now
    assert code != 0
    assert "the list of PL is older than the one held" in err
    assert "Nothing was changed" in err
    assert (snapshots.user_dir() / "trusted-lists.json").read_bytes() == stored


def test_an_older_lotl_is_refused(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, world: w.World, tmp_path: Path
) -> None:
    _serve(server, world, issued=LATER, sequence=12)
    assert _update(capsys, server, world, tmp_path, "--country", "PL")[0] == 0
    _serve(server, world, sequence=13)  # a newer PL list, but under a LOTL of February
    code, _out, err = _update(capsys, server, world, tmp_path)
    assert code != 0 and "the list of EU is older than the one held" in err


def test_a_lotl_signed_by_an_unpinned_key_is_refused(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, world: w.World, tmp_path: Path
) -> None:
    _serve(server, world)
    code, _out, err = run_cli(
        capsys, "trust", "update", "--lotl-url", server.url("/eu-lotl.xml"), "--country", "PL"
    )  # the pinned Official Journal signers, not the world's
    assert code != 0
    assert "its signature does not verify against the pinned signers" in err
    assert not (snapshots.user_dir() / "trusted-lists.json").exists()
    assert server.hits("/PL.xml") == 0


def test_a_country_the_lotl_does_not_point_to_is_named(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, world: w.World, tmp_path: Path
) -> None:
    _serve(server, world)
    code, _out, err = _update(capsys, server, world, tmp_path, "--country", "XX")
    assert code != 0 and "the LOTL points to no list for XX" in err


def test_a_national_list_that_is_not_there_is_said(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, world: w.World, tmp_path: Path
) -> None:
    _serve(server, world)
    del server.routes["/PL.xml"]
    code, _out, err = _update(capsys, server, world, tmp_path, "--country", "PL")
    assert code != 0 and "answered with HTTP status 404" in err


def test_offline_update_says_what_to_do(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, world: w.World, tmp_path: Path
) -> None:
    code, _out, err = run_cli(capsys, "--offline", "trust", "update")
    assert code == 2
    assert "is not available offline" in err and server.hits("/eu-lotl.xml") == 0


def test_show_names_the_shipped_snapshot(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLECAK_LANG", "pl")
    code, out, _err = run_cli(capsys, "trust", "show")
    assert code == 0
    assert "Migawka list zaufanych UE z dnia 2026-08-03T13:16:38Z (dołączona do plecaka)." in out
    assert "SI nr 86, wydana 2026-07-07T10:21:12Z" in out


def test_a_damaged_user_snapshot_is_named_and_the_shipped_one_used(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = snapshots.user_dir()
    folder.mkdir(parents=True)
    (folder / trust.FILE_NAME).write_text('{"format": 1, "lists": [], "services": []}')
    (folder / trust.DIGEST_NAME).write_text("0" * 64 + "  trusted-lists.json\n")
    assert snapshots.current_and_origin()[1] == "shipped"
    code, out, err = run_cli(capsys, "trust", "show")
    assert code == 0
    assert "is damaged and not used" in err and "the snapshot file does not match its sha256" in err
    assert "(shipped with plecak)" in out


def test_a_user_snapshot_without_its_digest_is_passed_over() -> None:
    folder = snapshots.user_dir()
    folder.mkdir(parents=True)
    (folder / trust.FILE_NAME).write_text("not json")
    assert snapshots.current_and_origin()[1] == "shipped"
