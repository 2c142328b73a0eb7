"""The learner's own wallet: ``recheck --offline`` stays "valid as of T" from the documents this
wallet captured itself; a bundle's evidence, imported elsewhere, is never used as such."""

from __future__ import annotations

import json
from typing import Any

from tests.attacks.support import World
from tests.conftest import FIXED_NOW
from wallet.demo.issuer import LEARNER, build

HOSTED = "Python Programming Basics"


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_recheck_offline_is_valid_as_of_the_capture_from_the_wallets_own_evidence(
    world: World,
) -> None:
    files = world.tmp / "badges"
    files.mkdir()
    issue = build(world.base, files, FIXED_NOW)
    world.issuer.publish(issue.documents)
    home = world.home("learner")
    world.cli(home, "identity", "add", LEARNER)
    world.cli(home, "import", issue.sources[0], offline=False)  # a hosted OB 2.0 badge
    world.stop()  # the issuer is gone: only this wallet's own evidence is left

    code, out, _err = world.cli(home, "--offline", "recheck", "--json")
    (line,) = _lines(out)
    assert (code, line["status"], line["as_of"]) == (0, "valid", "2026-11-23T12:00:00Z"), line
    origins = {p["origin"] for p in line["provenance"]}
    assert "captured" in origins and "carried" not in origins, line["provenance"]
    code, out, _err = world.cli(home, "--offline", "recheck")
    assert code == 0 and "as of 2026-11-23" in out, out

    # The same badge arriving in someone else's wallet inside a bundle: its evidence is carried
    # and never captured there, so offline nothing makes it valid.
    bundle = world.tmp / "share.zip"
    assert world.cli(home, "export", "bundle", "--all", "-o", str(bundle))[0] == 0
    other = world.home("employer-wallet")
    _code, out, _err = world.cli(other, "--offline", "import", "--json", str(bundle))
    assert [item["status"] for item in _lines(out)] == ["unverified"], out
    code, out, _err = world.cli(other, "--offline", "recheck", "--json")
    assert code == 1 and {line["status"] for line in _lines(out)} == {"unverified"}, out
