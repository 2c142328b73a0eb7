from __future__ import annotations

from pathlib import Path

import pytest

from tests.exporters.support import Portfolio, build_portfolio


@pytest.fixture(scope="session")
def portfolio(
    tmp_path_factory: pytest.TempPathFactory, conformance_dir: Path, contexts_dir: Path
) -> Portfolio:
    return build_portfolio(tmp_path_factory.mktemp("portfolio"), conformance_dir, contexts_dir)


@pytest.fixture(scope="session")
def own_portfolio(portfolio: Portfolio, contexts_dir: Path) -> Portfolio:
    """The portfolio plus ``mine``: a did:key credential issued to the bundle's own holder (the
    corpus credentials are issued to did:example:…, so a bundle cannot present them validly)."""
    from tests.exporters.support import add_own_credential

    own = Portfolio(dict(portfolio.credentials), dict(portfolio.reports), dict(portfolio.evidence))
    add_own_credential(own, "mine", contexts_dir)
    return own
