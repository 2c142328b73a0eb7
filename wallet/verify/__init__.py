"""The verifier: ordered, named checks over a credential; all I/O through the Fetcher.

Entry point: :func:`wallet.verify.verifier.verify`.
"""
