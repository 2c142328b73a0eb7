"""Test helpers shared by the suites (a loopback HTTP server, mirrors, fixed clocks)."""
