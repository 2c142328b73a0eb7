"""Pulling credentials from where learners earn them (the hosts a wallet connects to).

* :mod:`wallet.connect.api` - JSON requests to a host through the one Fetcher (HTTPS rule, caps);
* :mod:`wallet.connect.discovery` - what a host speaks: the Open Badges 3.0 service description or
  the Badge Connect (OB 2.1) manifest;
* :mod:`wallet.connect.oauth` - dynamic client registration (RFC 7591), authorization code with
  PKCE through the system browser and a loopback redirect (RFC 8252), refresh, revocation;
* :mod:`wallet.connect.records` - connections kept sealed in the wallet (tokens and secrets too);
* :mod:`wallet.connect.sync` - paging through a host's credentials (Link, X-Total-Count, since,
  Retry-After) with caps against hostile hosts;
* :mod:`wallet.connect.oid4vci` - OpenID for Verifiable Credential Issuance 1.0, as the holder:
  the flow; its parts :mod:`~wallet.connect.vci_offer` (offers and grants),
  :mod:`~wallet.connect.vci_token` (the authorization server, pre-authorized and authorization code
  grants), :mod:`~wallet.connect.vci_credential` (credential requests, deferred issuance, key
  binding), :mod:`~wallet.connect.holder_keys` (proof JWTs) and :mod:`~wallet.connect.qr` (offers
  as QR-code images);
* :mod:`wallet.connect.service` - what the shells call; :mod:`wallet.connect.cli` - the commands.

What a host can do to the wallet: deliver credentials, which then go through the same
import -> verify -> store pipeline as files.  Nothing a host sends changes a setting, and a host's
answer is never trusted as a verification result.
"""
