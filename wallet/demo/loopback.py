"""The demo host's HTTP plumbing: requests as plain values, and a threaded server on 127.0.0.1.

Kept apart from the host's protocols (``wallet.demo.host``, ``wallet.demo.oauth_server``) so each of
those reads as what a host must answer, not how bytes move.  The server listens on the loopback
interface only, on a port the OS picks.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 1024 * 1024
"""Request bodies are read up to this many bytes (the demo never needs more)."""


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


Answer = tuple[int, dict[str, str], bytes]
"""(status, headers, body)."""
Override = Callable[[Request], Answer]


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def ok(value: Any, headers: dict[str, str] | None = None) -> Answer:
    return 200, {"Content-Type": "application/json", **(headers or {})}, json_bytes(value)


def error(status: int, code: str) -> Answer:
    return status, {"Content-Type": "application/json"}, json_bytes({"error": code})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, serve: Callable[[Request], Answer]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.serve = serve


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return  # the TUI owns the terminal

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, MAX_BODY)) if length else b""
        parts = urlsplit(self.path)
        request = Request(
            method,
            parts.path,
            {k: v[0] for k, v in parse_qs(parts.query).items()},
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        status, headers, payload = self.server.serve(request)
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


class LoopbackServer:
    """Answers GET and POST on 127.0.0.1 with ``serve(request)``, in a daemon thread."""

    def __init__(self, serve: Callable[[Request], Answer], name: str) -> None:
        self._httpd = _Server(serve)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=name,
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
