"""Open Badges 3.0 / CLR 2.0 verification (W3C Verifiable Credentials): :mod:`.verifier` runs the
steps, :mod:`.checks` holds the credential-level checks, :mod:`.schema` the JSON Schema check.
Kept empty so that importing one helper does not pull the whole verifier."""
