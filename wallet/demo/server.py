"""The demo issuer's web site: a small threaded HTTP server on 127.0.0.1 with fixed documents.

Why a real server and not an in-memory mirror: the demo should show plecak doing what it does with
a real issuer — fetching hosted assertions, issuer profiles, keys, revocation and status lists over
HTTP through the one Fetcher — so a recheck in the TUI talks to it too.  It listens on the loopback
interface only, on a port the OS picks, and stops with the demo.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Document = tuple[str, bytes]
"""(content type, body)."""


class DemoServer:
    """Serves ``documents`` (path -> (content type, body)); 404 for anything else."""

    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}
        documents = self.documents

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return  # the TUI owns the terminal

            def do_GET(self) -> None:
                found = documents.get(self.path.split("?", 1)[0])
                status, (ctype, body) = (
                    (200, found) if found else (404, ("text/plain", b"not found"))
                )
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="plecak-demo-issuer", daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def publish(self, documents: Mapping[str, Document]) -> None:
        self.documents.update(documents)

    def start(self) -> DemoServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
