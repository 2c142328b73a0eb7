"""Import numbers (run: ``.venv/bin/python -m tests.bench.bench_import``); prints, asserts nothing.

Measures ``Registry.read_path`` on a folder of 1,000 baked PNGs of ~200 KB each (a real 256x256
RGB image in 8 KB IDAT chunks, like libpng writes, plus one OB 3.0 iTXt chunk with a unique id),
verification aside; then the same badges as one ZIP archive.  Target (issue 3): folder < 10 s.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from importers.registry import default_registry
from wallet.codecs import baking
from wallet.model import Credential

COUNT = 1000
SIDE = 256


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def _image() -> bytes:
    """A ~200 KB PNG: random pixels do not compress, so the file is as big as the image."""
    rows = b"".join(b"\x00" + os.urandom(SIDE * 3) for _ in range(SIDE))
    data = zlib.compress(rows, 1)
    idats = [_chunk(b"IDAT", data[i : i + 8192]) for i in range(0, len(data), 8192)]
    ihdr = _chunk(b"IHDR", struct.pack(">IIBBBBB", SIDE, SIDE, 8, 2, 0, 0, 0))
    return baking.PNG_SIGNATURE + ihdr + b"".join(idats) + _chunk(b"IEND", b"")


def _credential(index: int) -> str:
    return json.dumps(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": f"Badge {index}",
            "issuer": {"id": "did:web:issuer.example", "type": ["Profile"], "name": "Bench U"},
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "id": "did:example:learner",
                "achievement": {
                    "id": f"https://issuer.example/achievements/{index}",
                    "type": ["Achievement"],
                    "name": f"Achievement {index}",
                    "description": "Benchmark achievement.",
                    "criteria": {"narrative": "Do the thing."},
                },
            },
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "proofValue": "z" + "1" * 86,
            },
        }
    )


def main() -> int:
    image = _image()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "badges"
        folder.mkdir()
        total = 0
        for index in range(COUNT):
            baked = baking.bake_png(image, _credential(index), keyword=baking.OB3_KEYWORD)
            (folder / f"badge-{index:04d}.png").write_bytes(baked)
            total += len(baked)
        registry = default_registry()
        start = time.perf_counter()
        batch = registry.read_path(folder)
        elapsed = time.perf_counter() - start
        ok = sum(isinstance(f, Credential) for f in batch.found)
        print(
            f"folder: {COUNT} baked PNGs, {total / COUNT / 1024:.0f} KB each "
            f"({total / 1e6:.0f} MB): read_path {elapsed:.2f} s "
            f"({elapsed / COUNT * 1000:.2f} ms/badge, {total / 1e6 / elapsed:.0f} MB/s); "
            f"{ok} credentials, {len(batch.failures)} failures (target < 10 s)"
        )
        archive = Path(tmp) / "badges.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
            for path in sorted(folder.iterdir()):
                zf.write(path, path.name)
        start = time.perf_counter()
        batch = registry.read_path(archive)
        elapsed = time.perf_counter() - start
        ok = sum(isinstance(f, Credential) for f in batch.found)
        print(
            f"zip:    same {COUNT} badges in one archive ({archive.stat().st_size / 1e6:.0f} MB): "
            f"read_path {elapsed:.2f} s; {ok} credentials, {len(batch.failures)} failures"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
