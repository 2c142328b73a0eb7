"""``plecak``, the command line (cli.md): :func:`main` is the entry point; the commands are in the
modules of this package, assembled in :mod:`wallet.cli.app`."""

from wallet.cli.app import main

__all__ = ["main"]
