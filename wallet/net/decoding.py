"""Reading an HTTP body under a size cap that holds *while* decompressing.

Why not httpx's own decoding (``aiter_bytes``): it inflates each received chunk in one call, with
no output limit, and it stacks decoders for ``Content-Encoding: gzip, gzip, ...``.  Each gzip
layer multiplies the ratio by up to ~1000, so a 2 KB answer with two layers inflates to a
gigabyte in memory before any cap can look at it.  plecak asks for ``identity``; a server that
compresses anyway may use ONE layer of gzip or deflate, which is inflated here with an output
limit per step (``max_length``), so memory never exceeds the cap.  Anything else (stacked or
unknown encodings) is refused with a clear error.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

from wallet.errors import NetworkError, ResponseTooLarge
from wallet.i18n import _
from wallet.net.describe import technical

_GZIP = frozenset({"gzip", "x-gzip"})
_DEFLATE = frozenset({"deflate"})


def encodings(header: str | None) -> list[str]:
    """The content codings of a ``Content-Encoding`` header, ``identity`` dropped."""
    found = [part.strip().lower() for part in (header or "").split(",")]
    return [part for part in found if part and part != "identity"]


class _Inflater:
    """One gzip/deflate layer, inflated in bounded steps (raw deflate accepted for ``deflate``)."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._raw_fallback = coding in _DEFLATE
        self._inflate = zlib.decompressobj(
            zlib.MAX_WBITS | 16 if coding in _GZIP else zlib.MAX_WBITS
        )

    def feed(self, data: bytes, room: int) -> list[bytes]:
        """Inflate ``data``; raises ``OverflowError`` once more than ``room`` bytes came out."""
        pieces: list[bytes] = []
        produced = 0
        while data and not self._inflate.eof:
            try:
                piece = self._inflate.decompress(data, room + 1 - produced)
            except zlib.error:
                if not self._raw_fallback:
                    raise
                # "deflate" is raw deflate on some servers (as browsers and httpx accept).
                self._raw_fallback = False
                self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_fallback = False
            produced += len(piece)
            if produced > room:
                raise OverflowError
            pieces.append(piece)
            data = self._inflate.unconsumed_tail
        return pieces


async def read_body(
    chunks: AsyncIterator[bytes], content_encoding: str | None, url: str, cap: int
) -> bytes:
    """The decoded body from the raw ``chunks``; ResponseTooLarge past ``cap`` decoded bytes."""
    codings = encodings(content_encoding)
    if len(codings) > 1 or (codings and codings[0] not in _GZIP | _DEFLATE):
        raise NetworkError(
            url=url,
            reason=_(
                "the server compressed its answer as {encoding}, which plecak does not accept."
            ).format(encoding=", ".join(codings)[:80]),
        )
    inflater = _Inflater(codings[0]) if codings else None
    parts: list[bytes] = []
    total = 0
    async for chunk in chunks:
        try:
            decoded = inflater.feed(chunk, cap - total) if inflater else [chunk]
        except OverflowError:
            raise ResponseTooLarge(
                url=url, limit=cap, detail="inflated body over the cap"
            ) from None
        except zlib.error as exc:
            raise NetworkError(
                url=url,
                reason=_("the server's compressed answer is damaged."),
                detail=technical(exc),
            ) from None
        for piece in decoded:
            total += len(piece)
            if total > cap:
                raise ResponseTooLarge(url=url, limit=cap, detail="streamed body over the cap")
            parts.append(piece)
    return b"".join(parts)
