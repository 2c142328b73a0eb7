"""A real HTTP server on 127.0.0.1 for network tests (no mocks of the transport).

Routes map a path (``/badge.json``; query string included when given) to ``(status, content_type,
body)``, or to a callable ``(handler) -> (status, headers_dict, body)`` for redirects and oddities.
A callable may return the body as an iterable of byte chunks instead of bytes: it is then sent
with ``Transfer-Encoding: chunked`` and no Content-Length (streamed bodies, stalls mid-body).
Every request is logged in ``.requests`` (method, path, headers) so tests can assert what was (not)
fetched; ``.hits(path)`` counts them.  Handlers run in threads: a callable that must hold its answer
should wait on a ``threading.Event`` (with a timeout), never sleep.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Body = bytes | Iterable[bytes]
Route = (
    tuple[int, str, bytes] | Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], Body]]
)


class LoopbackServer:
    def __init__(
        self, routes: dict[str, Route] | None = None, *, tls: ssl.SSLContext | None = None
    ) -> None:
        """``tls``: a server-side SSL context to serve https (tests of certificate failures)."""
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(("GET", self.path, dict(self.headers.items())))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                body: Body
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                elif callable(route):
                    status, headers, body = route(self)
                else:
                    status, ctype, body = route
                    headers = {"Content-Type": ctype}
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    if isinstance(body, bytes):
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                        return
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for chunk in body:
                        if chunk:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                            self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (size cap, timeout)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._scheme = "https" if tls is not None else "http"
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{self._scheme}://{host!s}:{port}"

    def url(self, path: str, *, host: str | None = None) -> str:
        """The URL of ``path``; ``host`` replaces 127.0.0.1 (``localhost``, a test name)."""
        if host is None:
            return self.base + path
        return f"{self._scheme}://{host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        """How many GETs asked for ``path`` (query string included when given)."""
        with self._lock:
            return sum(1 for _method, seen, _headers in self.requests if seen == path)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
