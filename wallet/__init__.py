"""plecak: a learner-side Open Badges wallet for the terminal.

The package is the headless core (model, verifier, store, service) and its two thin shells
(``wallet.cli`` and ``wallet.tui``).  Importing ``wallet`` must stay cheap: ``plecak --help`` relies
on it, so nothing heavy (Textual, httpx, pyld) is imported here.
"""

__version__ = "0.1.0"
