"""More of OpenID4VCI on the loopback demo issuer, for tests: the authorization code flow, SD-JWT
VCs (``dc+sd-jwt``, issued by the SD-JWT reference implementation) and deferred issuance.

Wraps :class:`wallet.demo.vci.DemoVci` on an :class:`EarningHost` (its routes are replaced by
wrappers that add to them), as a real authorization server and issuer would behave: the
authorization endpoint checks the client, the loopback redirect URI, the S256 challenge and the
``issuer_state`` and answers a 302 to the redirect with ``code`` and ``state``; codes are single
use and bound to redirect URI and PKCE verifier."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from jwcrypto.jwk import JWK

from wallet.demo.host import Answer, EarningHost, Request
from wallet.demo.vci import CONFIG, DemoVci, _Offer

SDJWT_CONFIG = "OpenBadgeCredential_sdjwt"


def _json(status: int, value: Any) -> Answer:
    return status, {"Content-Type": "application/json"}, json.dumps(value).encode()


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(slots=True)
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    offer: _Offer


@dataclass(slots=True)
class MoreVci:
    vci: DemoVci
    states: dict[str, _Offer] = field(default_factory=dict)
    """issuer_state -> what the sign-in gives."""
    codes: dict[str, _Code] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    defer: bool = False
    """Answer credential requests with a transaction to resume later."""
    ready: bool = False
    """Whether deferred credentials are ready."""
    transactions: dict[str, tuple[str, list[dict[str, Any]]]] = field(default_factory=dict)
    """transaction_id -> (access token, the credentials)."""
    interval: int = 5
    """The ``interval`` of the transactions (seconds to wait before asking again)."""
    bind_to_other_key: bool = False
    answer_iss: str | None = None
    """An ``iss`` the authorization answer carries (RFC 9207)."""
    issuer_key: JWK = field(default_factory=lambda: JWK.generate(kty="EC", crv="P-256"))

    @property
    def host(self) -> EarningHost:
        return self.vci.host

    def offer(self, names: list[str], *, config: str = CONFIG, grants: bool = True) -> str:
        """An authorization code offer (with issuer_state), or one without grants."""
        state = secrets.token_urlsafe(12)
        self.states[state] = _Offer(list(names), None, config)
        offer: dict[str, Any] = {
            "credential_issuer": self.host.base,
            "credential_configuration_ids": [config],
        }
        if grants:
            offer["grants"] = {"authorization_code": {"issuer_state": state}}
        text = json.dumps(offer, separators=(",", ":"))
        return "openid-credential-offer://?credential_offer=" + quote(text, safe="")

    # ------------------------------------------------------------------ metadata

    def metadata(self, request: Request) -> Answer:
        data = json.loads(self.vci.metadata(request)[2])
        data["deferred_credential_endpoint"] = self.host.base + "/oid4vci/deferred"
        data["credential_configurations_supported"][SDJWT_CONFIG] = {
            "format": "dc+sd-jwt",
            "vct": "https://purl.imsglobal.org/spec/ob/v3p0/OpenBadgeCredential",
            "scope": "openbadge_sdjwt",
            "cryptographic_binding_methods_supported": ["jwk"],
            "credential_signing_alg_values_supported": ["ES256"],
            "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256"]}},
        }
        return _json(200, data)

    def server_metadata(self, request: Request) -> Answer:
        data = json.loads(self.vci.server_metadata(request)[2])
        data["authorization_endpoint"] = self.host.base + "/oid4vci/authorize"
        data["grant_types_supported"].append("authorization_code")
        data["code_challenge_methods_supported"] = ["S256"]
        return _json(200, data)

    # ------------------------------------------------------------------ authorization code

    def authorize(self, request: Request) -> Answer:
        query = request.query
        self.authorize_requests.append(dict(query))
        redirect = query.get("redirect_uri", "")
        parts = urlsplit(redirect)
        if (
            query.get("response_type") != "code"
            or query.get("client_id") != "plecak"
            or parts.scheme != "http"
            or parts.hostname != "127.0.0.1"
            or query.get("code_challenge_method") != "S256"
            or not query.get("code_challenge")
        ):
            return _json(400, {"error": "invalid_request"})
        details = json.loads(query.get("authorization_details", "[]"))
        wanted = [d.get("credential_configuration_id") for d in details]
        state = query.get("issuer_state")
        offer = self.states.pop(state, None) if state else _Offer(["Walk-in Badge"], None, "")
        if offer is None or (offer.config and wanted != [offer.config]):
            return _json(400, {"error": "invalid_request"})
        offer = _Offer(offer.names, None, wanted[0])
        code = secrets.token_urlsafe(16)
        self.codes[code] = _Code(query["client_id"], redirect, query["code_challenge"], offer)
        answer = {"code": code, "state": query.get("state", "")}
        if self.answer_iss is not None:
            answer["iss"] = self.answer_iss
        location = redirect + "?" + urlencode(answer)
        return 302, {"Location": location}, b""

    def token(self, request: Request) -> Answer:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("grant_type") != "authorization_code":
            return self.vci.token(request)
        grant = self.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if (
            grant is None
            or grant.redirect_uri != form.get("redirect_uri")
            or grant.client_id != form.get("client_id")
            or grant.challenge != challenge.rstrip(b"=").decode()
        ):
            return _json(400, {"error": "invalid_grant"})
        access = secrets.token_urlsafe(24)
        self.vci.tokens[access] = grant.offer
        return _json(200, {"access_token": access, "token_type": "Bearer", "expires_in": 300})

    # ------------------------------------------------------------------ credentials

    def credential(self, request: Request) -> Answer:
        token = request.headers.get("authorization", "")[7:]
        granted = self.vci.tokens.get(token)
        if granted is not None and granted.config == SDJWT_CONFIG:
            answer = self._sd_jwt(request, granted)
        else:
            answer = self.vci.credential(request)
        if not self.defer or answer[0] != 200:
            return answer
        transaction = secrets.token_urlsafe(12)
        self.transactions[transaction] = (token, json.loads(answer[2])["credentials"])
        return _json(202, {"transaction_id": transaction, "interval": self.interval})

    def _sd_jwt(self, request: Request, granted: _Offer) -> Answer:
        from tests.verify_sdjwt.issuing import claims, issue

        (proof,) = json.loads(request.body)["proofs"]["jwt"]
        did = self.vci._check_proof(proof)
        if did is None or did == "nonce" or not did.startswith("did:jwk:"):
            return _json(400, {"error": "invalid_proof"})
        self.vci.tokens.pop(request.headers["authorization"][7:])
        holder = JWK(**json.loads(_b64(did[len("did:jwk:") :])))
        if self.bind_to_other_key:
            holder = JWK.generate(kty="EC", crv="P-256")
        public = self.issuer_key.export_public(as_dict=True)
        issuer_did = (
            "did:jwk:"
            + base64.urlsafe_b64encode(
                json.dumps({k: public[k] for k in ("crv", "kty", "x", "y")}).encode()
            )
            .rstrip(b"=")
            .decode()
        )
        key = JWK(**self.issuer_key.export_private(as_dict=True), kid=issuer_did + "#0")
        credentials = []
        for _name in granted.names:
            token = issue(key, claims(iss=issuer_did), holder=holder)
            credentials.append({"credential": token})
            self.vci.issued.append(token)
        return _json(200, {"credentials": credentials})

    def deferred(self, request: Request) -> Answer:
        token = request.headers.get("authorization", "")[7:]
        transaction = json.loads(request.body).get("transaction_id", "")
        found = self.transactions.get(transaction)
        if found is None or found[0] != token:
            return _json(400, {"error": "invalid_transaction_id"})
        if not self.ready:
            return _json(202, {"transaction_id": transaction, "interval": self.interval})
        del self.transactions[transaction]
        return _json(200, {"credentials": found[1]})


def add_more(vci: DemoVci) -> MoreVci:
    more = MoreVci(vci)
    routes = vci.host.routes
    routes[("GET", "/.well-known/openid-credential-issuer")] = more.metadata
    routes[("GET", "/.well-known/oauth-authorization-server")] = more.server_metadata
    routes[("GET", "/oid4vci/authorize")] = more.authorize
    routes[("POST", "/oid4vci/token")] = more.token
    routes[("POST", "/oid4vci/credential")] = more.credential
    routes[("POST", "/oid4vci/deferred")] = more.deferred
    return more
