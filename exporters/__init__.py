"""Exporters: one module per format. Never re-sign or re-serialise a signed payload."""
