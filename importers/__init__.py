"""Importers: one module per source; each turns raw input into model objects. Parse only."""
