"""TLS failures read clearly; compressed bodies are capped after decoding (no gzip bombs)."""

from __future__ import annotations

import gzip
import ipaddress
import ssl
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.conftest import FIXED_NOW
from tests.net.conftest import run
from tests.support.server import LoopbackServer
from wallet.errors import BlockedURL, NetworkError, ResponseTooLarge
from wallet.net import HttpFetcher

MakeFetcher = Callable[..., HttpFetcher]


def self_signed_context(tmp_path: Path) -> ssl.SSLContext:
    """A server context with a certificate nobody trusts (for 127.0.0.1)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(FIXED_NOW - timedelta(days=1))
        .not_valid_after(FIXED_NOW + timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path = tmp_path / "cert.pem"
    key_path = tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def test_untrusted_certificate_is_a_readable_tls_error(
    tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    with LoopbackServer(
        {"/b.json": (200, "application/json", b"{}")}, tls=self_signed_context(tmp_path)
    ) as server:
        url = server.url("/b.json")
        assert url.startswith("https://")

        async def go() -> None:
            async with make_fetcher() as fetcher:
                with pytest.raises(NetworkError) as caught:
                    await fetcher.get(url)
                assert not isinstance(caught.value, BlockedURL)
                assert "secure connection (TLS)" in str(caught.value)
                assert fetcher.records == ()

        run(go())
        assert server.requests == []  # nothing was sent over the untrusted connection


def test_gzip_bomb_is_capped_after_decoding(
    loopback: LoopbackServer, make_fetcher: MakeFetcher
) -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)
    assert len(bomb) < 10_000
    loopback.routes["/bomb.json"] = lambda _h: (
        200,
        {"Content-Type": "application/json", "Content-Encoding": "gzip"},
        bomb,
    )
    small = gzip.compress(b'{"ok": true}')
    loopback.routes["/small.json"] = lambda _h: (
        200,
        {"Content-Type": "application/json", "Content-Encoding": "gzip"},
        small,
    )

    async def go() -> None:
        async with make_fetcher(max_bytes=100_000) as fetcher:
            with pytest.raises(ResponseTooLarge):
                await fetcher.get(loopback.url("/bomb.json"))
            ok = await fetcher.get(loopback.url("/small.json"))
            assert ok.body == b'{"ok": true}'  # the record's digest is over the decoded bytes

    run(go())
    assert all(h.get("Accept-Encoding") == "identity" for _m, _p, h in loopback.requests)
