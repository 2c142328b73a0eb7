"""Small pure codecs shared by importers, exporters and the verifier (no I/O, no project state)."""
