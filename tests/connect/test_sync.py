"""Sync of well-behaved hosts: both shapes of OB 3.0 items, small pages, Badge Connect objects."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import FIXED_NOW
from tests.connect.conftest import run
from wallet.codecs import holder
from wallet.connect import sync as sync_module
from wallet.connect.service import ConnectService
from wallet.demo.host import OB3_BASE, EarningHost
from wallet.demo.issuer import DemoIssuer


def test_jws_strings_and_json_credentials_both_sync_over_small_pages(
    connect_service: ConnectService, host: EarningHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    issuer = DemoIssuer(host.base, FIXED_NOW)
    document = issuer.ob3_credential("ldp", "Data Integrity Badge", issued=FIXED_NOW - timedelta(1))
    host.ob3.append(
        (
            FIXED_NOW - timedelta(hours=1),
            holder.sign_jcs(document, issuer.ed_private, created=FIXED_NOW),
        )
    )
    run(connect_service.connect(host.base, "academy"))
    original = sync_module.first_page
    monkeypatch.setattr(
        sync_module, "first_page", lambda kind, base, since, limit: original(kind, base, since, 2)
    )
    (result,) = run(connect_service.sync("academy"))
    assert result.pages == 3 and result.total == 6
    assert sorted(o.report.status.value for o in result.outcomes if o.report) == ["valid"] * 6
    formats = {o.credential.format.value for o in result.outcomes if o.credential}
    assert formats == {"ob3-vc-jwt", "ob3-data-integrity"}
    offsets = [r.query["offset"] for r in host.log if r.path == OB3_BASE + "/credentials"]
    assert offsets == ["0", "2", "4"]  # followed the Link header's next pages
