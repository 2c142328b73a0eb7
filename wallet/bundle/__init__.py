"""The pages of a share bundle that both sides draw: the holder's exporter and the employer's
verifier.

Why a package of its own: ``summary.html`` is re-rendered by ``plecak verify`` from what it has
just verified and compared byte for byte with the one in the bundle, so the exporter and the
verifier must share one deterministic renderer; ``wallet.verify`` may not import ``exporters``.
Pure: model, errors, i18n and codecs only; no I/O.
"""
