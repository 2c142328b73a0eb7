"""A real HTTP server on 127.0.0.1 for network tests (no mocks of the transport).

Routes map a path (``/badge.json``; query string included when given) to ``(status, content_type,
body)``, or to a callable ``(handler) -> (status, headers_dict, body)`` for redirects and oddities.
Every request is logged in ``.requests`` so tests can assert what was (not) fetched.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = (
    tuple[int, str, bytes] | Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]
)


class LoopbackServer:
    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                server.requests.append(("GET", self.path, dict(self.headers.items())))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                elif callable(route):
                    status, headers, body = route(self)
                else:
                    status, ctype, body = route
                    headers = {"Content-Type": ctype}
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
