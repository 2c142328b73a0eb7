"""Verifying a share bundle (and a CV PDF that carries one): :mod:`.verifier` runs the checks,
:mod:`.report` holds their result for the shells.  Unlike the rest of :mod:`wallet.bundle` (pages
shared with the exporter) this sub-package uses :mod:`wallet.verify`; exporters never import it."""
