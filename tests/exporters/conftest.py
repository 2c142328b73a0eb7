from __future__ import annotations

from pathlib import Path

import pytest

from tests.exporters.support import Portfolio, build_portfolio


@pytest.fixture(scope="session")
def portfolio(
    tmp_path_factory: pytest.TempPathFactory, conformance_dir: Path, contexts_dir: Path
) -> Portfolio:
    return build_portfolio(tmp_path_factory.mktemp("portfolio"), conformance_dir, contexts_dir)
