"""OB 2.0 images: the badge image (and the assertion's) is fetched or read from its data: URI and
must really be an image (PNG, SVG, or another raster format) — step ``image``."""

from __future__ import annotations

import asyncio
from typing import Any

from wallet.i18n import _
from wallet.model import CheckStatus
from wallet.verify.ob2.graph import (
    IMAGE_ACCEPT,
    MAX_IMAGE_BYTES,
    Node,
    NodeError,
    get,
)
from wallet.verify.ob2.steps import (
    Run,
)
from wallet.verify.ob2.values import (
    data_uri_bytes,
    data_uri_media_type,
    is_data_uri,
    is_url,
)

# --------------------------------------------------------------------------- images


def sniff_image(body: bytes) -> str | None:
    """``png``, ``svg``, ``other`` (JPEG/GIF/WebP) or ``None`` when it is no image."""
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg"))
        and b"<svg" in body[:65536].lower()
    ):
        return "svg"
    if body.startswith((b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    ):
        return "other"
    return None


def _embedded_image(url: str, *, allow_data_uri: bool, what: str) -> tuple[CheckStatus, str, str]:
    """An image carried in a data: URI: allowed only where OB 2.0 allows it, PNG or SVG only."""
    if not allow_data_uri:
        return (
            CheckStatus.FAIL,
            _("{what} may not be a data: URI.").format(what=what),
            "",
        )
    media = data_uri_media_type(url)
    body = data_uri_bytes(url, limit=MAX_IMAGE_BYTES)
    kind = sniff_image(body) if body is not None else None
    if media not in ("image/png", "image/svg+xml") or kind not in ("png", "svg"):
        return (
            CheckStatus.FAIL,
            _("{what} (a data: URI) is not a PNG or SVG image.").format(what=what),
            media,
        )
    return (
        CheckStatus.PASS,
        _("{what} is an embedded {kind} image.").format(what=what, kind=kind.upper()),
        "",
    )


async def _one_image(
    run: Run, ref: Any, *, allow_data_uri: bool, what: str
) -> tuple[CheckStatus, str, str]:
    url = ref.get("id") if isinstance(ref, dict) else ref
    if not isinstance(url, str):
        return CheckStatus.FAIL, _("{what} is not a URL.").format(what=what), ""
    if is_data_uri(url):
        return _embedded_image(url, allow_data_uri=allow_data_uri, what=what)
    if not is_url(url):
        return (
            CheckStatus.FAIL,
            _("{what} {url} is not an http(s) URL.").format(what=what, url=url[:120]),
            "",
        )
    run.urls.add(url)
    try:
        response = await get(run.ctx, url, accept=IMAGE_ACCEPT, max_bytes=MAX_IMAGE_BYTES)
    except NodeError as exc:
        return CheckStatus.UNKNOWN, exc.message, exc.detail
    if 400 <= response.status < 500:
        return (
            CheckStatus.FAIL,
            _("{what} {url} answered HTTP {status}: it is missing.").format(
                what=what, url=url[:120], status=response.status
            ),
            url,
        )
    if not response.ok:
        return (
            CheckStatus.UNKNOWN,
            _("{what} {url} answered HTTP {status}.").format(
                what=what, url=url[:120], status=response.status
            ),
            url,
        )
    kind = sniff_image(response.body)
    if kind is None:
        return (
            CheckStatus.FAIL,
            _("{what} {url} is not an image.").format(what=what, url=url[:120]),
            url,
        )
    if kind == "other":
        return (
            CheckStatus.WARN,
            _("{what} is an image, but not PNG or SVG as Open Badges requires.").format(what=what),
            url,
        )
    return (
        CheckStatus.PASS,
        _("{what} is a reachable {kind} image.").format(what=what, kind=kind.upper()),
        url,
    )


async def image_step(run: Run, badge: Node, assertion: Node | None) -> None:
    """Step ``image``: the badge class image (required) and the assertion image (optional)."""
    jobs = [
        _one_image(run, badge.node.get("image"), allow_data_uri=True, what=_("The badge image"))
    ]
    if assertion is not None and assertion.node.get("image") is not None:
        jobs.append(
            _one_image(
                run,
                assertion.node.get("image"),
                allow_data_uri=False,
                what=_("The assertion image"),
            )
        )
    results = await asyncio.gather(*jobs)
    order = [CheckStatus.FAIL, CheckStatus.UNKNOWN, CheckStatus.WARN, CheckStatus.PASS]
    worst = min(results, key=lambda r: order.index(r[0]))
    message = " ".join(r[1] for r in results)
    run.checks.add("image", worst[0], message, detail=" ".join(r[2] for r in results if r[2]))
