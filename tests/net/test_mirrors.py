"""Offline mirrors (cli.md index format), the contexts folder, documents, write/load round trip."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_NOW
from tests.net.conftest import run
from tests.support.mirror import mirror_from_serve
from tests.support.server import LoopbackServer
from wallet.errors import (
    BlockedURL,
    ExportError,
    MalformedInput,
    NetworkError,
    OfflineMiss,
    ResponseTooLarge,
    UnreadableInput,
    UnsafeInput,
)
from wallet.model import FetchRecord
from wallet.net import HttpFetcher, content_type_for, load_mirror, write_mirror
from wallet.net.mirror import documents_from_mirror

MakeFetcher = Callable[..., HttpFetcher]


def write_index(folder: Path, index: dict[str, Any], files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    path = folder / "index.json"
    path.write_text(json.dumps(index), encoding="utf-8")
    return path


def test_offline_miss(make_fetcher: MakeFetcher, loopback: LoopbackServer) -> None:
    loopback.routes["/x"] = (200, "text/plain", b"x")

    async def go() -> None:
        async with make_fetcher(offline=True) as fetcher:
            with pytest.raises(OfflineMiss) as caught:
                await fetcher.get(loopback.url("/x"))
            assert "not available offline" in str(caught.value)
            assert fetcher.records == ()

    run(go())
    assert loopback.requests == []


def test_mirror_hits_plain_and_object_entries(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    index = write_index(
        tmp_path / "m",
        {
            "https://issuer.example/badge.json": "docs/badge.json",
            "https://issuer.example/key": {
                "file": "docs/key.txt",
                "status": 200,
                "content_type": "application/jwk+json; charset=utf-8",
            },
            "https://issuer.example/logo.png": {"file": "logo.png"},
            "https://issuer.example/token.jwt": "token.jwt",
        },
        {
            "docs/badge.json": b'{"type": "BadgeClass"}',
            "docs/key.txt": b"{}",
            "logo.png": b"\x89PNG",
            "token.jwt": b"a.b.c",
        },
    )

    async def go() -> None:
        async with make_fetcher(offline=True, mirrors=[index]) as fetcher:
            badge = await fetcher.get("https://issuer.example/badge.json")
            assert badge.body == b'{"type": "BadgeClass"}'
            assert badge.content_type == "application/ld+json"
            assert badge.record.origin == "mirror"
            assert badge.record.fetched_at == FIXED_NOW
            key = await fetcher.get("https://issuer.example/key#key-1")
            assert key.content_type == "application/jwk+json"
            assert key.url == "https://issuer.example/key#key-1"
            assert (
                await fetcher.get("https://issuer.example/logo.png")
            ).content_type == "image/png"
            jwt = await fetcher.get("https://issuer.example/token.jwt")
            assert jwt.content_type == "application/jwt"

    run(go())


def test_status_only_410_entry(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    index = write_index(
        tmp_path / "m",
        {
            "https://issuer.example/revoked.json": {"status": 410},
            "https://issuer.example/missing.png": {"status": 404, "content_type": "text/plain"},
        },
        {},
    )

    async def go() -> None:
        async with make_fetcher(offline=True, mirrors=[index]) as fetcher:
            gone = await fetcher.get("https://issuer.example/revoked.json")
            assert gone.status == 410 and gone.body == b"" and not gone.ok
            missing = await fetcher.get("https://issuer.example/missing.png")
            assert missing.status == 404 and missing.content_type == "text/plain"
            assert [r.status for r in fetcher.records] == [410, 404]
            assert fetcher.records[0].sha256 == hashlib.sha256(b"").hexdigest()

    run(go())


@pytest.mark.parametrize(
    "rel", ["../outside.json", "/etc/passwd", "docs/../../outside.json", "..\\outside.json"]
)
def test_mirror_paths_escaping_the_folder_are_refused(tmp_path: Path, rel: str) -> None:
    (tmp_path / "outside.json").write_text("{}", encoding="utf-8")
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "docs").mkdir()
    index = write_index(folder, {"https://x.example/a": rel}, {})
    with pytest.raises(UnsafeInput) as caught:
        HttpFetcher(mirrors=[index])
    message = caught.value.user_message()
    assert "outside the mirror folder" in message
    assert rel in message and "Move the files next to the index" in message
    assert ".. " not in message and ". Move" in message and message.endswith(".")
    assert "issuer" not in message  # not the generic hint for unsafe files


def test_symlink_out_of_the_mirror_is_refused_when_read(
    tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    (tmp_path / "outside.json").write_text('{"secret": 1}', encoding="utf-8")
    folder = tmp_path / "m"
    folder.mkdir()
    os.symlink(tmp_path, folder / "link")
    index = write_index(folder, {"https://x.example/a": "link/outside.json"}, {})

    async def go() -> None:
        async with make_fetcher(offline=True, mirrors=[index]) as fetcher:
            with pytest.raises(NetworkError) as caught:
                await fetcher.get("https://x.example/a")
            assert "outside the mirror folder" in str(caught.value)
            assert "Move the files next to the index" in caught.value.user_message()
            assert fetcher.records == ()

    run(go())


def test_file_swapped_for_a_symlink_after_loading_is_refused(
    tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    folder = tmp_path / "m"
    index = write_index(folder, {"https://x.example/a": "a.json"}, {"a.json": b"{}"})

    async def go() -> None:
        async with make_fetcher(offline=True, mirrors=[index]) as fetcher:
            (folder / "a.json").unlink()
            os.symlink(tmp_path / "secret.txt", folder / "a.json")
            with pytest.raises(NetworkError) as caught:
                await fetcher.get("https://x.example/a")
            assert "outside the mirror folder" in str(caught.value)

    run(go())


def test_mirror_digest_mismatch_is_refused(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    index = write_index(
        tmp_path / "m",
        {"https://x.example/a": {"file": "a.json", "sha256": hashlib.sha256(b"{}").hexdigest()}},
        {"a.json": b'{"tampered": true}'},
    )

    async def go() -> None:
        async with make_fetcher(offline=True, mirrors=[index]) as fetcher:
            with pytest.raises(NetworkError) as caught:
                await fetcher.get("https://x.example/a")
            assert "digest" in str(caught.value)

    run(go())


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("[1, 2]", MalformedInput),
        ("{not json", MalformedInput),
        ('{"https://x.example/": 5}', MalformedInput),
        ('{"https://x.example/": {}}', MalformedInput),
        ('{"https://x.example/": {"status": "gone"}}', MalformedInput),
        ('{"https://x.example/": {"status": true}}', MalformedInput),
        ('{"https://x.example/": {"status": 410, "sha256": "XYZ"}}', MalformedInput),
        ('{"https://x.example/": {"status": 200, "fetched_at": "yesterday"}}', MalformedInput),
        ('{"https://x.example/": "absent.json"}', UnreadableInput),
    ],
)
def test_bad_indexes_fail_clearly_at_load(
    tmp_path: Path, content: str, error: type[Exception]
) -> None:
    path = tmp_path / "index.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error):
        load_mirror(path)


def test_missing_index_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput):
        HttpFetcher(mirrors=[tmp_path / "nope.json"])


def test_mirror_file_over_the_cap(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    index = write_index(
        tmp_path / "m", {"https://x.example/big": "big.png"}, {"big.png": b"x" * 100}
    )

    async def go() -> None:
        async with make_fetcher(offline=True, mirrors=[index], max_bytes=50) as fetcher:
            with pytest.raises(ResponseTooLarge):
                await fetcher.get("https://x.example/big")
            assert (await fetcher.get("https://x.example/big", max_bytes=100)).record.size == 100

    run(go())


def test_order_documents_then_mirrors_then_contexts_then_network(
    tmp_path: Path, make_fetcher: MakeFetcher, loopback: LoopbackServer, contexts_dir: Path
) -> None:
    loopback.routes["/net"] = (200, "text/plain", b"from network")
    first = write_index(
        tmp_path / "a",
        {"https://x.example/m": "m.txt", "https://x.example/d": "d.txt"},
        {"m.txt": b"first mirror", "d.txt": b"mirror loses to documents"},
    )
    second = write_index(
        tmp_path / "b",
        {"https://x.example/m": "m.txt", "https://x.example/m2": "m.txt"},
        {"m.txt": b"second mirror"},
    )
    context_url = next(iter(load_mirror(contexts_dir / "mirror.json").entries))

    async def go() -> None:
        async with make_fetcher(
            mirrors=[first, second],
            contexts_dir=contexts_dir,
            documents={"https://x.example/d": (200, "text/plain", b"from evidence")},
        ) as fetcher:
            d = await fetcher.get("https://x.example/d")
            assert (d.body, d.record.origin) == (b"from evidence", "evidence")
            assert (await fetcher.get("https://x.example/m")).body == b"first mirror"
            assert (await fetcher.get("https://x.example/m2")).body == b"second mirror"
            ctx = await fetcher.get(context_url)
            assert ctx.record.origin == "contexts" and ctx.content_type == "application/ld+json"
            assert json.loads(ctx.body)["@context"]
            net = await fetcher.get(loopback.url("/net"))
            assert (net.body, net.record.origin) == (b"from network", "network")
            origins = [r.origin for r in fetcher.records]
            assert origins == ["evidence", "mirror", "mirror", "contexts", "network"]

    run(go())


def test_contexts_dir_without_mirror_json(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput) as caught:
        HttpFetcher(contexts_dir=tmp_path)
    assert "mirror.json" in caught.value.user_message()


def test_scheme_policy_applies_before_mirrors(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    index = write_index(tmp_path / "m", {"file:///etc/passwd": "p.txt"}, {"p.txt": b"root"})

    async def go() -> None:
        async with make_fetcher(offline=True, mirrors=[index]) as fetcher:
            with pytest.raises(BlockedURL):
                await fetcher.get("file:///etc/passwd")

    run(go())


def test_content_type_by_extension() -> None:
    expected = {
        "a.json": "application/ld+json",
        "a.JSONLD": "application/ld+json",
        "a.png": "image/png",
        "a.svg": "image/svg+xml",
        "a.jwt": "application/jwt",
        "a.txt": "text/plain",
        "a.html": "text/html",
        "a.bin": "application/octet-stream",
    }
    assert {name: content_type_for(name) for name in expected} == expected


def _captured_mirror(
    tmp_path: Path, make_fetcher: MakeFetcher
) -> tuple[Path, list[FetchRecord], HttpFetcher]:
    """Every document of a mirror fetched, then written out as evidence with write_mirror."""
    source = write_index(
        tmp_path / "src",
        {
            "https://x.example/badge.json": "badge.json",
            "https://x.example/copy.json": "badge.json",
            "https://x.example/logo.png": "logo.png",
            "https://x.example/revoked": {"status": 410},
            "https://x.example/error": {"file": "err.txt", "status": 500},
        },
        {"badge.json": b'{"id": 1}', "logo.png": b"\x89PNG", "err.txt": b"oops"},
    )

    async def capture() -> tuple[list[FetchRecord], HttpFetcher]:
        fetcher = make_fetcher(offline=True, mirrors=[source])
        for url in load_mirror(source).entries:
            await fetcher.get(url)
        await fetcher.aclose()
        return list(fetcher.records), fetcher

    records, fetcher = run(capture())
    return write_mirror(tmp_path / "evidence", records, fetcher.body_of), records, fetcher


def test_write_mirror_round_trip(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    out, records, fetcher = _captured_mirror(tmp_path, make_fetcher)
    index = json.loads(out.read_text(encoding="utf-8"))
    digest = hashlib.sha256(b'{"id": 1}').hexdigest()
    assert index["https://x.example/badge.json"] == {
        "file": f"{digest}.jsonld",
        "status": 200,
        "content_type": "application/ld+json",
        "fetched_at": "2026-11-23T12:00:00Z",
        "sha256": digest,
    }
    assert index["https://x.example/copy.json"]["file"] == f"{digest}.jsonld"
    assert index["https://x.example/revoked"] == {
        "status": 410,
        "content_type": "application/octet-stream",
        "fetched_at": "2026-11-23T12:00:00Z",
    }
    assert index["https://x.example/error"]["status"] == 500
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        [
            "index.json",
            f"{digest}.jsonld",
            hashlib.sha256(b"\x89PNG").hexdigest() + ".png",
            hashlib.sha256(b"oops").hexdigest() + ".txt",
        ]
    )
    # deterministic: writing again gives identical bytes
    first = out.read_bytes()
    assert write_mirror(tmp_path / "evidence", records, fetcher.body_of).read_bytes() == first


def test_a_written_mirror_reads_back_as_captured(tmp_path: Path, make_fetcher: MakeFetcher) -> None:
    """The capture time survives, extra keys are ignored, digests are enforced."""
    out, _records, _fetcher = _captured_mirror(tmp_path, make_fetcher)
    digest = hashlib.sha256(b'{"id": 1}').hexdigest()
    extra = json.loads(out.read_bytes())
    extra["https://x.example/badge.json"]["note"] = "ignored"
    out.write_text(json.dumps(extra), encoding="utf-8")
    loaded = load_mirror(out)
    entry = loaded.entries["https://x.example/badge.json"]
    assert entry.fetched_at == datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert entry.sha256 == digest
    documents = documents_from_mirror(loaded)
    assert documents["https://x.example/revoked"] == (410, "application/octet-stream", b"")

    later = datetime(2030, 1, 1, tzinfo=UTC)

    async def replay() -> None:
        async with make_fetcher(offline=True, mirrors=[out], clock=lambda: later) as again:
            response = await again.get("https://x.example/badge.json")
            assert response.body == b'{"id": 1}'
            assert response.record.fetched_at == FIXED_NOW  # when it was captured, not now
            assert (await again.get("https://x.example/revoked")).status == 410

    run(replay())


def test_write_mirror_refuses_missing_bodies(tmp_path: Path) -> None:
    record = FetchRecord(
        url="https://x.example/a",
        final_url="https://x.example/a",
        status=200,
        content_type="application/json",
        sha256="0" * 64,
        fetched_at=FIXED_NOW,
    )
    with pytest.raises(ExportError):
        write_mirror(tmp_path / "ev", [record], lambda _sha: None)


def test_conformance_case_through_the_helper(
    conformance_dir: Path, tmp_path: Path, make_fetcher: MakeFetcher
) -> None:
    """The shape the verifier tests use: an ob2 case's serve map, offline."""
    cases = json.loads((conformance_dir / "ob2" / "cases.json").read_text(encoding="utf-8"))
    case = next(c for c in cases if c["id"] == "hosted-2.0-revoked-410")
    index = mirror_from_serve(tmp_path, conformance_dir / "ob2", case["serve"], case["serve_meta"])

    async def go() -> None:
        async with make_fetcher(offline=True, mirrors=[index]) as fetcher:
            assertion = await fetcher.get(case["input"])
            assert assertion.status == 410
            context = await fetcher.get("https://w3id.org/openbadges/v2")
            assert context.ok and context.content_type == "application/ld+json"
            image = await fetcher.get("https://example.org/robotics-badge.png")
            assert image.content_type == "image/png" and image.body.startswith(b"\x89PNG")
            with pytest.raises(OfflineMiss):
                await fetcher.get("https://example.org/not-served.json")

    run(go())
