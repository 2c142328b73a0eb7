"""Reusable widgets of the terminal wallet; each talks upward only through its own messages."""
