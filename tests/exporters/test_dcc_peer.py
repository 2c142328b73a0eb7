"""Exported OB 3.0 credentials verify with the DCC peer too, from the bundle's evidence alone.

Optional in CI: skipped with a reason when node or the peer (``../shared/peers/setup.sh``) is
missing.  The peer's offline URL map is built from the bundle's own ``evidence/index.json``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from exporters.bundle import BundleExporter
from exporters.registry import default_exporters
from tests.exporters.support import Portfolio

# slow: the DCC peer verifier in Node
pytestmark = pytest.mark.slow


def _peer(conformance_dir: Path) -> Path | None:
    script = conformance_dir.parent / "peers" / "ob3_peer.mjs"
    home = Path(os.environ.get("PLECAK_PEERS", Path.home() / ".cache" / "plecak-peers"))
    if shutil.which("node") and script.is_file() and (home / "ob3" / "node_modules").is_dir():
        return script
    return None


OB3 = ["ob3di", "ob3status", "ob3jwt", "ob3png", "ob3svg"]


def test_exported_ob3_credentials_verify_with_the_dcc_peer(
    tmp_path: Path, portfolio: Portfolio, conformance_dir: Path
) -> None:
    script = _peer(conformance_dir)
    if script is None:
        pytest.skip("DCC peer not installed (node + ../shared/peers/setup.sh)")
    data = BundleExporter().export(portfolio.request(OB3))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)  # our own freshly made bundle, names checked by the exporter
    index = json.loads((tmp_path / "evidence/index.json").read_text())
    needs = {url: f"evidence/{entry['file']}" for url, entry in index.items() if "file" in entry}
    (tmp_path / "needs.json").write_text(json.dumps(needs))
    rebaked = tmp_path / "credentials" / "rebaked.png"
    image = (conformance_dir / "ob2/images/public_domain_heart.png").read_bytes()
    rebaked.write_bytes(
        default_exporters()["png"].export(portfolio.request(["ob3di"], options={"image": image}))
    )
    files = sorted((tmp_path / "credentials").iterdir())
    assert len(files) == len(OB3) + 1
    for file in files:
        result = subprocess.run(
            ["node", str(script), str(file), "--needs", str(tmp_path / "needs.json")],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        verdict = json.loads(result.stdout.strip().splitlines()[-1])
        assert verdict["verified"] is True, (file.name, verdict.get("errors"))
