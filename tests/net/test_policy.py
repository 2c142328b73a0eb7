"""The address and URL policy, judged without any network (pure functions)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wallet.errors import BlockedURL
from wallet.net.policy import (
    LINK_LOCAL,
    LOOPBACK,
    MULTICAST,
    NON_PUBLIC,
    PRIVATE,
    RESERVED,
    UNSPECIFIED,
    AddressPolicy,
    check_literal,
    check_url,
)

DEFAULT = AddressPolicy()


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", LOOPBACK),
        ("127.255.0.9", LOOPBACK),
        ("::1", LOOPBACK),
        ("10.1.2.3", PRIVATE),
        ("172.16.0.1", PRIVATE),
        ("192.168.1.1", PRIVATE),
        ("fc00::1", PRIVATE),
        ("169.254.169.254", LINK_LOCAL),
        ("fe80::1", LINK_LOCAL),
        ("224.0.0.1", MULTICAST),
        ("ff02::1", MULTICAST),
        ("0.0.0.0", UNSPECIFIED),
        ("::", UNSPECIFIED),
        ("240.0.0.1", RESERVED),  # Python counts 240/4 as private too
        ("100.64.0.1", NON_PUBLIC),
        ("::ffff:127.0.0.1", LOOPBACK),
        ("::ffff:10.0.0.1", PRIVATE),
        ("::ffff:169.254.169.254", LINK_LOCAL),
        ("64:ff9b::a00:1", PRIVATE),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::1", LOOPBACK),  # 6to4 of 127.0.0.1
    ],
)
def test_non_public_addresses_are_refused_by_default(address: str, reason: str) -> None:
    problem = DEFAULT.problem(ipaddress.ip_address(address))
    assert problem is not None
    if not address.startswith(("2002:", "64:ff9b", "240.")):
        assert problem == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_pass(address: str) -> None:
    assert DEFAULT.problem(ipaddress.ip_address(address)) is None


def test_allow_loopback_opens_loopback_only() -> None:
    policy = AddressPolicy(allow_loopback=True)
    assert policy.problem(ipaddress.ip_address("127.0.0.1")) is None
    assert policy.problem(ipaddress.ip_address("127.1.2.3")) is None
    assert policy.problem(ipaddress.ip_address("::1")) is None
    assert policy.problem(ipaddress.ip_address("::ffff:127.0.0.1")) == LOOPBACK
    assert policy.problem(ipaddress.ip_address("10.0.0.1")) == PRIVATE
    assert policy.problem(ipaddress.ip_address("169.254.169.254")) == LINK_LOCAL
    assert policy.problem(ipaddress.ip_address("0.0.0.0")) == UNSPECIFIED


def test_allow_private_opens_everything() -> None:
    policy = AddressPolicy(allow_private=True)
    for text in ("10.0.0.1", "169.254.169.254", "::ffff:127.0.0.1", "fe80::1", "127.0.0.1"):
        assert policy.problem(ipaddress.ip_address(text)) is None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/badge.json",
        "data:application/json,{}",
        "javascript:alert(1)",
        "gopher://example.org/",
        "//example.org/no-scheme",
        "example.org/badge.json",
        "http:///no-host",
        "http://example.org:99999/",
    ],
)
def test_check_url_refuses(url: str) -> None:
    with pytest.raises(BlockedURL):
        check_url(url)


def test_credentials_in_url_are_refused_and_not_repeated() -> None:
    with pytest.raises(BlockedURL) as caught:
        check_url("https://alice:s3cret@example.org/badge.json")
    assert "s3cret" not in str(caught.value)
    assert "s3cret" not in caught.value.diagnostics()


def test_literal_addresses_are_refused_before_connecting() -> None:
    with pytest.raises(BlockedURL) as caught:
        check_literal("http://[::ffff:a9fe:a9fe]/latest/meta-data", DEFAULT)
    assert "169.254.169.254" in str(caught.value)
    check_literal("https://example.org/badge.json", DEFAULT)  # names are checked at connect time


def test_refusals_read_in_polish() -> None:
    from wallet import i18n
    from wallet.net.policy import refuse_address

    i18n.set_language("pl")
    error = refuse_address(
        "http://localhost/x", "localhost", ipaddress.ip_address("127.0.0.1"), LOOPBACK
    )
    text = error.user_message()
    assert "localhost wskazuje na 127.0.0.1, czyli adres pętli zwrotnej" in text
    assert "publicznych adresów" in text
    with pytest.raises(BlockedURL) as caught:
        check_url("ftp://example.org/x")
    assert "pobierane są tylko adresy http i https, nie ftp:" in caught.value.user_message()


@given(st.ip_addresses(v=4))
def test_ipv4_mapped_forms_are_judged_like_ipv4(address: ipaddress.IPv4Address) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    assert (DEFAULT.problem(mapped) is None) == (DEFAULT.problem(address) is None)
    if DEFAULT.problem(address) is None:
        assert address.is_global and not address.is_multicast


@given(st.ip_addresses())
def test_only_public_unicast_passes_by_default(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    if DEFAULT.problem(address) is None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # a mapped address is the IPv4 host it maps
        assert address.is_global
        assert not (address.is_loopback or address.is_private or address.is_link_local)
        assert not (address.is_multicast or address.is_unspecified or address.is_reserved)
