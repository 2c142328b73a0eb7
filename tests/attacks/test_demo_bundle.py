"""The demo wallet's bundle: valid online; offline, exactly its did:key credentials are valid and the
rest ``unverified`` with their capture time and "confirm online" (issue 11 acceptance)."""

from __future__ import annotations

import json

import pytest

from tests.attacks.support import World, checks_of
from tests.conftest import FIXED_NOW
from wallet.demo.issuer import LEARNER, build

DID_KEY_TITLES = {"Cloud Fundamentals", "Rust Workshop", "Summer School: Open Data"}
"""OB 3.0 by the demo's did:key issuer (Rust Workshop with a status list signed by that key)."""
HOSTED_TITLES = {"Python Programming Basics", "Data Analysis with pandas"}
"""OB 2.0 hosted: they rest on the issuer's server."""


@pytest.mark.slow
def test_demo_bundle_online_valid_offline_valid_only_for_did_key(world: World) -> None:
    files = world.tmp / "badges"
    files.mkdir()
    issue = build(world.base, files, FIXED_NOW)
    world.issuer.publish(issue.documents)
    home = world.home("learner")
    assert world.cli(home, "identity", "add", LEARNER)[0] == 0
    world.cli(home, "import", *issue.sources, offline=False)
    _code, out, _err = world.cli(home, "list", "--json")
    entries = [json.loads(line) for line in out.splitlines() if line.strip()]
    chosen = {e["id"]: e["title"] for e in entries if e["status"] == "valid"}
    assert set(chosen.values()) == DID_KEY_TITLES | HOSTED_TITLES
    bundle = world.tmp / "demo.zip"
    assert world.cli(home, "export", "bundle", *chosen, "-o", str(bundle))[0] == 0

    code, report = world.verify(bundle, offline=False)
    assert (code, report["status"]) == (0, "valid"), report
    assert {c["mode"] for c in report["credentials"]} == {"online"}

    code, report = world.verify(bundle, offline=True)
    assert (code, report["status"]) == (1, "unverified"), report
    titles = {c["file"]: c["title"] for c in report["credentials"]}
    for credential in report["credentials"]:
        title = titles[credential["file"]]
        evidence_status, message = checks_of(credential)["evidence"]
        assert credential["as_of"] == "2026-11-23T12:00:00Z"
        if title in DID_KEY_TITLES:
            assert (credential["status"], evidence_status) == ("valid", "pass"), credential
        else:
            assert title in HOSTED_TITLES
            assert (credential["status"], evidence_status) == ("unverified", "unknown")
            assert "2026-11-23 12:00 UTC" in message and "confirm online" in message
    code, out, _err = world.cli("employer", "--offline", "verify", str(bundle))
    assert code == 1
    assert out.count("confirm online") == len(HOSTED_TITLES)
