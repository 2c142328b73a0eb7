"""Shared parsing core of the importers: turn one credential text (JSON or JWS) into model objects.

Why a shared core: a baked PNG, a baked SVG, a pasted string, a file and an HTTP answer all end in
the same few payload kinds; each container importer unwraps its container and hands the text here.
Nothing in this package does I/O or verification.
"""
