"""The European Digital Credential seal: JAdES over the EDC, trusted through the EU trusted lists.

Modules, each small and named for what it holds:

- ``jades``      the JWS JSON serialisation of ETSI TS 119 182-1 (b64:false, x5c, x5t#S256, sigT,
                 crit, etsiU), the signature checked with the algorithm pinned to the key type
- ``tst``        RFC 3161 time-stamp tokens (sigTst, arcTst): imprint, CMS signature, TSA chain
- ``trustlist``  ETSI TS 119 612 lists (LOTL and national TLs) parsed on hardened lxml, their
                 XML signatures checked with signxml against pinned signers
- ``trust``      the reduced, dated trusted-list snapshot the verifier consults (service history)
- ``path``       X.509 path validation at the time of signing (pyhanko-certvalidator), revocation
                 from the values the seal carries, never fetched unless allowed
- ``seal``       the numbered steps that make one report out of all of the above

Everything heavy (cryptography, asn1crypto, certvalidator, lxml, signxml) is imported lazily by
the dispatcher, so ``plecak --help`` never loads it.
"""
