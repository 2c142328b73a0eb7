"""The built-in demo issuer: fresh keys, and badges in the shapes learners really receive.

Everything is generated at start-up with keys made for this run (nothing secret is shipped):

* Open Badges 2.0 *hosted* assertions (issuer profile, badge classes, assertions as JSON over HTTP),
  one of them inside a baked PNG that points at its URL;
* Open Badges 2.0 *signed* assertions (RS256 JWS; the issuer's profile names its public key and a
  RevocationList): one revoked, one expired (baked into an SVG);
* Open Badges 3.0 VC-JWT credentials signed by a did:key (EdDSA), one without status, one active
  and one suspended on a BitstringStatusList, and one baked into a PNG;
* an Open Badges 3.0 Data Integrity credential (eddsa-jcs-2022), the proof plecak's own exporters use.

The JSON-LD contexts the checks need ship inside the package (:mod:`wallet.pinned`), so the demo
shows the true statuses with no network and no ``PLECAK_CONTEXTS``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wallet.codecs import baking, holder
from wallet.codecs.dates import format_date
from wallet.demo.images import badge_png, badge_svg

OB2 = "https://w3id.org/openbadges/v2"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
LEARNER = "learner@example.org"
ISSUER_NAME = "Plecak Demo Academy"
ISSUER_EMAIL = "badges@demo-academy.example"
SALT = "demo-salt"
STATUS_BITS = 131072  # the minimum BitstringStatusList length (16 KB)
JSON = "application/json"
JSONLD = "application/ld+json"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True, slots=True)
class DemoIssue:
    """What the demo publishes and what the learner imports."""

    documents: dict[str, tuple[str, bytes]]
    """Served paths -> (content type, body)."""
    sources: list[str]
    """URLs and file paths to import, in order."""
    tags: dict[str, list[str]]
    """The learner's own tags (collections) for some sources, to show the sidebar at work."""


class DemoIssuer:
    """Keys and documents of one demo run, served under ``base`` (http://127.0.0.1:PORT)."""

    def __init__(self, base: str, now: datetime) -> None:
        self.base = base
        self.now = now
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ed_private = holder.generate_private_key()
        self.did = holder.did_key_from_private(self.ed_private)
        self.documents: dict[str, tuple[str, bytes]] = {}

    def url(self, path: str) -> str:
        return self.base + path

    def publish(self, path: str, value: Any, ctype: str = JSONLD) -> str:
        body = value if isinstance(value, bytes) else _json(value)
        self.documents[path] = (ctype, body)
        return self.url(path)

    # ------------------------------------------------------------------ Open Badges 2.0

    def _recipient(self) -> dict[str, Any]:
        digest = hashlib.sha256((LEARNER + SALT).encode()).hexdigest()
        return {"type": "email", "hashed": True, "salt": SALT, "identity": "sha256$" + digest}

    def ob2_issuer(self, revoked: list[str]) -> None:
        public_pem = (
            self.rsa.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )
        self.publish(
            "/issuer.json",
            {
                "@context": OB2,
                "type": "Issuer",
                "id": self.url("/issuer.json"),
                "name": ISSUER_NAME,
                "url": self.base,
                "email": ISSUER_EMAIL,
                "description": "A built-in issuer of sample badges; it lives only while the demo runs.",
                "publicKey": self.url("/key.json"),
                "revocationList": self.url("/revocations.json"),
            },
        )
        self.publish(
            "/key.json",
            {
                "@context": OB2,
                "type": "CryptographicKey",
                "id": self.url("/key.json"),
                "owner": self.url("/issuer.json"),
                "publicKeyPem": public_pem,
            },
        )
        self.publish(
            "/revocations.json",
            {
                "@context": OB2,
                "type": "RevocationList",
                "id": self.url("/revocations.json"),
                "issuer": self.url("/issuer.json"),
                "revokedAssertions": [
                    {"id": assertion, "revocationReason": "Awarded by mistake to the wrong cohort."}
                    for assertion in revoked
                ],
            },
        )

    def ob2_badge_class(
        self, slug: str, name: str, description: str, tags: list[str]
    ) -> dict[str, Any]:
        """The BadgeClass, published at its URL and returned for embedding in assertions.

        Embedded (as OB 2.0 allows, with its id) so that the wallet can show the title and issuer
        before anything is fetched; the verifier still fetches the hosted copies.
        """
        png = badge_png(slug)
        self.publish(f"/images/{slug}.png", png, "image/png")
        badge_class = {
            "@context": OB2,
            "type": "BadgeClass",
            "id": self.url(f"/badges/{slug}.json"),
            "name": name,
            "description": description,
            "image": self.url(f"/images/{slug}.png"),
            "criteria": {
                "narrative": "Complete every exercise of the course and pass the final review."
            },
            "issuer": self.url("/issuer.json"),
            "tags": tags,
            "alignment": [
                {
                    "targetName": "Collaborate in teams and networks",
                    "targetUrl": "http://data.europa.eu/esco/skill/e3d8a3f5",
                    "targetFramework": "ESCO",
                }
            ],
        }
        self.publish(f"/badges/{slug}.json", badge_class)
        embedded = dict(badge_class)
        embedded["issuer"] = {
            "id": self.url("/issuer.json"),
            "type": "Issuer",
            "name": ISSUER_NAME,
            "url": self.base,
            "email": ISSUER_EMAIL,
        }
        return embedded

    def ob2_assertion(
        self,
        slug: str,
        badge: dict[str, Any],
        *,
        signed: bool,
        issued: datetime,
        expires: datetime | None = None,
    ) -> dict[str, Any]:
        assertion_id = (
            self.url(f"/assertions/{slug}.json") if not signed else f"urn:uuid:demo-{slug}"
        )
        assertion: dict[str, Any] = {
            "@context": OB2,
            "type": "Assertion",
            "id": assertion_id,
            "recipient": self._recipient(),
            "badge": badge,
            "issuedOn": format_date(issued),
            "verification": (
                {"type": "SignedBadge", "creator": self.url("/key.json")}
                if signed
                else {"type": "HostedBadge"}
            ),
            "evidence": [
                {
                    "id": f"https://portfolio.example/learner/{slug}",
                    "narrative": "The learner's project, reviewed by two tutors.",
                }
            ],
        }
        if expires is not None:
            assertion["expires"] = format_date(expires)
        return assertion

    def jws_rs256(self, payload: dict[str, Any]) -> str:
        header = b64url(json.dumps({"alg": "RS256"}).encode())
        body = b64url(json.dumps(payload).encode())
        signing_input = f"{header}.{body}".encode("ascii")
        signature = self.rsa.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return f"{header}.{body}.{b64url(signature)}"

    # ------------------------------------------------------------------ Open Badges 3.0

    def status_list(self, path: str, purpose: str, set_bits: list[int]) -> str:
        bits = bytearray(STATUS_BITS // 8)
        for index in set_bits:
            bits[index // 8] |= 0x80 >> (index % 8)
        encoded = "u" + b64url(gzip.compress(bytes(bits), mtime=0))
        url = self.url(path)
        document = {
            "@context": [VC2],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": self.did,
            "validFrom": format_date(self.now - timedelta(days=30)),
            "credentialSubject": {
                "id": url + "#list",
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": encoded,
            },
        }
        signed = holder.sign_jcs(document, self.ed_private, created=self.now - timedelta(days=1))
        return self.publish(path, signed)

    def ob3_achievement(
        self, slug: str, name: str, *, credits: float | None, level: str | None
    ) -> dict[str, Any]:
        achievement: dict[str, Any] = {
            "id": self.url(f"/achievements/{slug}"),
            "type": ["Achievement"],
            "name": name,
            "description": f"{name}: a sample micro-credential from the plecak demo issuer.",
            "achievementType": "Course",
            "criteria": {"narrative": "Attend the workshop and pass the practical assessment."},
            "image": {"id": self.url(f"/images/{slug}.png"), "type": "Image"},
            "inLanguage": "en",
        }
        if credits is not None:
            achievement["creditsAvailable"] = credits
        if level is not None:
            achievement["alignment"] = [
                {
                    "type": ["Alignment"],
                    "targetName": f"EQF level {level}",
                    "targetUrl": f"http://data.europa.eu/snb/eqf/{level}",
                    "targetFramework": "EQF",
                    "targetCode": level,
                }
            ]
        return achievement

    def ob3_credential(
        self,
        slug: str,
        name: str,
        *,
        issued: datetime,
        status: tuple[str, str, int] | None = None,
        credits: float | None = None,
        level: str | None = None,
    ) -> dict[str, Any]:
        achievement = self.ob3_achievement(slug, name, credits=credits, level=level)
        self.publish(f"/images/{slug}.png", badge_png(slug), "image/png")
        credential: dict[str, Any] = {
            "@context": [VC2, OB3],
            "id": f"urn:uuid:demo-{slug}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": name,
            "issuer": {
                "id": self.did,
                "type": ["Profile"],
                "name": "Plecak Demo Micro-credentials",
                "url": self.base,
            },
            "validFrom": format_date(issued),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityHash": LEARNER,
                        "identityType": "emailAddress",
                        "hashed": False,
                    }
                ],
                "achievement": achievement,
            },
        }
        if status is not None:
            purpose, list_url, index = status
            credential["credentialStatus"] = {
                "id": f"{list_url}#{index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(index),
                "statusListCredential": list_url,
            }
        return credential

    def vc_jwt(self, credential: dict[str, Any]) -> str:
        header = {"alg": "EdDSA", "typ": "JWT", "kid": holder.verification_method(self.did)}
        claims = dict(credential)
        claims["iss"] = self.did
        claims["jti"] = credential["id"]
        claims["nbf"] = int(datetime.fromisoformat(credential["validFrom"]).timestamp())
        signing_input = f"{b64url(_json_compact(header))}.{b64url(_json_compact(claims))}"
        key = Ed25519PrivateKey.from_private_bytes(self.ed_private)
        signature = key.sign(signing_input.encode("ascii"))
        return f"{signing_input}.{b64url(signature)}"


def _json_compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


OB2_BADGES = (
    ("python", "Python Programming Basics", "Writes and tests small Python programs.", ["it", "python"]),
    ("data", "Data Analysis with pandas", "Cleans, explores and charts tabular data.", ["python", "data"]),
    ("leadership", "Team Leadership", "Leads a small team through a project.", ["soft-skills"]),
    ("first-aid", "First Aid Certificate", "Gives basic first aid.", ["health"]),
)  # fmt: skip


def _ob2_sources(issuer: DemoIssuer, folder: Path, now: datetime) -> list[str]:
    """OB 2.0: two hosted (one by URL, one baked into a PNG), two signed (revoked, expired)."""
    days = timedelta(days=1)
    sources: list[str] = []
    classes = {spec[0]: issuer.ob2_badge_class(*spec) for spec in OB2_BADGES}

    # OB 2.0 hosted: one by URL, one baked into a PNG pointing at its URL.
    python = classes["python"]
    hosted = issuer.ob2_assertion("python-ala", python, signed=False, issued=now - 200 * days)
    sources.append(issuer.publish("/assertions/python-ala.json", hosted))
    data = classes["data"]
    hosted_data = issuer.ob2_assertion("data-ala", data, signed=False, issued=now - 120 * days)
    data_url = issuer.publish("/assertions/data-ala.json", hosted_data)
    baked = folder / "data-analysis.png"
    baked.write_bytes(baking.bake_png(badge_png("data"), data_url))
    sources.append(str(baked))

    # OB 2.0 signed: one revoked (a .jws file), one expired (baked into an SVG).
    leader = classes["leadership"]
    revoked = issuer.ob2_assertion("leadership-ala", leader, signed=True, issued=now - 300 * days)
    (folder / "team-leadership.jws").write_text(issuer.jws_rs256(revoked), encoding="ascii")
    sources.append(str(folder / "team-leadership.jws"))
    aid = classes["first-aid"]
    expired = issuer.ob2_assertion(
        "first-aid-ala", aid, signed=True, issued=now - 800 * days, expires=now - 70 * days
    )
    svg = baking.bake_svg(badge_svg("First Aid"), verify=issuer.jws_rs256(expired))
    (folder / "first-aid.svg").write_bytes(svg)
    sources.append(str(folder / "first-aid.svg"))
    issuer.ob2_issuer(revoked=[revoked["id"]])
    return sources


def _ob3_sources(issuer: DemoIssuer, folder: Path, now: datetime) -> list[str]:
    """OB 3.0: VC-JWTs by a did:key (no status, revocable, suspended) and one Data Integrity."""
    days = timedelta(days=1)
    sources: list[str] = []
    # OB 3.0 VC-JWT by a did:key: no status, active status, suspended (a status list each purpose).
    revocations = issuer.status_list("/status/revocation", "revocation", [])
    suspensions = issuer.status_list("/status/suspension", "suspension", [7])
    cloud = issuer.ob3_credential(
        "cloud", "Cloud Fundamentals", issued=now - 60 * days, credits=2, level="4"
    )
    (folder / "cloud-fundamentals.jwt").write_text(issuer.vc_jwt(cloud), encoding="ascii")
    sources.append(str(folder / "cloud-fundamentals.jwt"))
    rust = issuer.ob3_credential(
        "rust", "Rust Workshop", issued=now - 30 * days, status=("revocation", revocations, 3)
    )
    (folder / "rust-workshop.jwt").write_text(issuer.vc_jwt(rust), encoding="ascii")
    sources.append(str(folder / "rust-workshop.jwt"))
    volunteer = issuer.ob3_credential(
        "volunteer",
        "Community Volunteer",
        issued=now - 90 * days,
        status=("suspension", suspensions, 7),
    )
    baked_jwt = baking.bake_png(
        badge_png("volunteer"), issuer.vc_jwt(volunteer), keyword="openbadgecredential"
    )
    (folder / "community-volunteer.png").write_bytes(baked_jwt)
    sources.append(str(folder / "community-volunteer.png"))

    # OB 3.0 Data Integrity (eddsa-jcs-2022): what plecak's exporters sign with.
    summer = issuer.ob3_credential(
        "summer", "Summer School: Open Data", issued=now - 10 * days, credits=5, level="6"
    )
    signed = holder.sign_jcs(summer, issuer.ed_private, created=now - 10 * days)
    (folder / "summer-school.json").write_bytes(_json(signed))
    sources.append(str(folder / "summer-school.json"))
    return sources


def build(base: str, folder: Path, now: datetime) -> DemoIssue:
    """Create every demo document (served) and file (in ``folder``); return what to import."""
    issuer = DemoIssuer(base, now)
    sources = _ob2_sources(issuer, folder, now) + _ob3_sources(issuer, folder, now)
    tags = {
        sources[0]: ["cv", "programming"],
        sources[1]: ["cv", "programming"],
        sources[4]: ["cv"],
        sources[7]: ["cv", "erasmus"],
    }
    return DemoIssue(documents=issuer.documents, sources=sources, tags=tags)
