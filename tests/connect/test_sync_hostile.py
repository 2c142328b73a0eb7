"""Sync against hosts that misbehave: each ends in a clear error and stores nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.conftest import FIXED_NOW
from tests.connect.conftest import Sleeps, run
from wallet.connect import sync as sync_module
from wallet.connect.service import ConnectService
from wallet.demo.host import OB3_BASE, Answer, EarningHost, Request, stock
from wallet.errors import BlockedURL, HostError, NetworkError, ResponseTooLarge

CREDENTIALS = OB3_BASE + "/credentials"


@pytest.fixture
def connected(connect_service: ConnectService, host: EarningHost) -> ConnectService:
    run(connect_service.connect(host.base, "academy"))
    return connect_service


def stored(service: ConnectService) -> int:
    return len(service.service.list())


def page(items: list[str], *, link: str | None = None, total: int | None = None) -> Answer:
    headers = {"Content-Type": "application/json"}
    if link is not None:
        headers["Link"] = f'<{link}>; rel="next"'
    if total is not None:
        headers["X-Total-Count"] = str(total)
    return 200, headers, json.dumps({"compactJwsStrings": items}).encode()


def good_items(host: EarningHost) -> list[str]:
    return [item for _when, item in host.ob3 if isinstance(item, str)]


def hostile(host: EarningHost, handler: Callable[[Request], Answer]) -> None:
    host.overrides[CREDENTIALS] = handler


def test_a_huge_page_is_refused(connected: ConnectService, host: EarningHost) -> None:
    huge = b'{"compactJwsStrings": ["' + b"a" * (9 * 1024 * 1024) + b'"]}'
    hostile(host, lambda r: (200, {"Content-Type": "application/json"}, huge))
    with pytest.raises(ResponseTooLarge):
        run(connected.sync("academy"))
    assert stored(connected) == 0


def test_endless_paging_stops_with_an_error(
    connected: ConnectService, host: EarningHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_module, "MAX_PAGES", 12)
    items = good_items(host)

    def endless(request: Request) -> Answer:
        offset = int(request.query.get("offset", "0"))
        nxt = f"{host.base}{CREDENTIALS}?limit=1&offset={offset + 1}"
        return page([items[offset % len(items)]], link=nxt)

    hostile(host, endless)
    with pytest.raises(HostError, match="more than 12 pages"):
        run(connected.sync("academy"))
    assert stored(connected) == 0


def test_a_page_linking_to_itself_is_a_loop(connected: ConnectService, host: EarningHost) -> None:
    items = good_items(host)
    hostile(host, lambda r: page(items[:1], link=f"{host.base}{CREDENTIALS}?limit=100&offset=0"))
    with pytest.raises(HostError, match="page already read"):
        run(connected.sync("academy"))
    assert stored(connected) == 0


def test_more_items_than_announced_is_refused(connected: ConnectService, host: EarningHost) -> None:
    hostile(host, lambda r: page(good_items(host), total=2))
    with pytest.raises(HostError, match="more credentials than the 2 it announced"):
        run(connected.sync("academy"))
    assert stored(connected) == 0


def test_a_redirect_loop_ends_in_an_error(connected: ConnectService, host: EarningHost) -> None:
    hostile(host, lambda r: (302, {"Location": CREDENTIALS + "?again=1"}, b""))
    with pytest.raises(NetworkError, match="redirects"):
        run(connected.sync("academy"))
    assert stored(connected) == 0


def test_a_redirect_to_another_host_never_carries_the_token(
    connected: ConnectService, host: EarningHost
) -> None:
    hostile(host, lambda r: (302, {"Location": "http://localhost:9/steal"}, b""))
    with pytest.raises(BlockedURL, match="another host"):
        run(connected.sync("academy"))


def test_bad_json_is_a_clear_error_and_nothing_half_stored(
    connected: ConnectService, host: EarningHost
) -> None:
    items = good_items(host)

    def second_page_broken(request: Request) -> Answer:
        if request.query.get("offset", "0") == "0":
            return page(items[:2], link=f"{host.base}{CREDENTIALS}?limit=2&offset=2")
        return 200, {"Content-Type": "application/json"}, b'{"compactJwsStrings": ["x",'

    hostile(host, second_page_broken)
    with pytest.raises(HostError, match="not valid JSON"):
        run(connected.sync("academy"))
    assert stored(connected) == 0
    assert connected.connections.get("academy").last_sync is None


def test_a_next_link_to_another_host_is_refused(
    connected: ConnectService, host: EarningHost
) -> None:
    hostile(host, lambda r: page(good_items(host)[:1], link="http://localhost:9/page2"))
    with pytest.raises(HostError, match="another host"):
        run(connected.sync("academy"))
    assert stored(connected) == 0


def test_retry_after_is_obeyed_then_the_sync_completes(
    connected: ConnectService, host: EarningHost, sleeps: Sleeps
) -> None:
    calls: list[int] = []

    def busy_once(request: Request) -> Answer:
        calls.append(1)
        if len(calls) == 1:
            return 429, {"Retry-After": "7", "Content-Type": "text/plain"}, b"slow down"
        return page(good_items(host))

    hostile(host, busy_once)
    (result,) = run(connected.sync("academy"))
    assert sleeps.waited == [7.0]
    assert [o.state for o in result.outcomes] == ["stored"] * 5


def test_a_long_retry_after_is_reported_not_waited(
    connected: ConnectService, host: EarningHost, sleeps: Sleeps
) -> None:
    hostile(host, lambda r: (503, {"Retry-After": "3600"}, b""))
    with pytest.raises(HostError, match="wait 3600 seconds"):
        run(connected.sync("academy"))
    assert sleeps.waited == []


def test_an_item_that_is_not_a_credential_is_reported_not_skipped(
    connected: ConnectService, host: EarningHost
) -> None:
    body = json.dumps({"compactJwsStrings": [good_items(host)[0], "not a jws"], "credential": [42]})
    hostile(host, lambda r: (200, {"Content-Type": "application/json"}, body.encode()))
    (result,) = run(connected.sync("academy"))
    states = sorted(o.state for o in result.outcomes)
    assert states == ["failed", "failed", "stored"]


def test_an_expired_access_token_is_refreshed(connected: ConnectService, host: EarningHost) -> None:
    before = connected.connections.get("academy").tokens
    host.state.access.clear()  # the host forgot the access token (expired there)
    (result,) = run(connected.sync("academy"))
    assert len(result.outcomes) == 5
    after = connected.connections.get("academy").tokens
    assert after.access_token != before.access_token
    assert after.refresh_token != before.refresh_token  # the host rotates refresh tokens


def test_plain_http_is_refused_except_on_loopback(connect_service: ConnectService) -> None:
    with pytest.raises(BlockedURL, match="https"):
        run(connect_service.connect("http://badges.example.org/"))


def test_sync_since_asks_only_for_what_is_new(connected: ConnectService, host: EarningHost) -> None:
    run(connected.sync("academy"))
    (again,) = run(connected.sync("academy"))
    assert again.outcomes == []
    last = [r for r in host.log if r.path == CREDENTIALS][-1]
    assert last.query["since"] == "2026-11-23T11:50:00Z"  # the last sync, less 10 min of skew
    (full,) = run(connected.sync("academy", full=True))
    assert {o.state for o in full.outcomes} == {"duplicate"}


def test_a_withdrawn_access_says_to_connect_again(
    connected: ConnectService, host: EarningHost
) -> None:
    host.state.access.clear()
    host.state.refresh.clear()  # the learner withdrew the access at the host
    with pytest.raises(HostError, match="no longer accepts this connection"):
        run(connected.sync("academy"))
    assert stored(connected) == 0


def test_one_failing_host_does_not_stop_the_others(
    connected: ConnectService, host: EarningHost
) -> None:
    with EarningHost(clock=host.clock) as other:
        stock(other, FIXED_NOW, ob3=2, badge_connect=0)
        run(connected.connect(other.base, "other"))
        hostile(host, lambda r: (500, {"Content-Type": "text/plain"}, b"down"))
        results = {r.connection: r for r in run(connected.sync())}
    assert results["academy"].error is not None
    assert "HTTP 500" in results["academy"].error.user_message()
    assert [o.state for o in results["other"].outcomes] == ["stored", "stored"]
    with pytest.raises(HostError):  # one connection by name: its error is the command's
        run(connected.sync("academy"))
