"""Local stand-ins for the payment channels: real HTTP servers on 127.0.0.1 speaking each
channel's wire format, with RSA keys generated when a test starts (no key is ever
committed). They verify OUR signatures, keep the channel's state, sign their answers and
build signed notifications, so an adapter is tested against the protocol, not a mock."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def rsa_keypair(bits: int = 2048) -> tuple[str, str]:
    """A fresh RSA key: (private PEM in PKCS#8, public PEM in SubjectPublicKeyInfo)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def bare_base64(pem: str) -> str:
    """The PEM body without its armour: how the Alipay key tool prints keys."""
    return "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))


class StubServer:
    """A threaded HTTP server on a free local port; subclasses implement :meth:`handle`."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.delay = 0.0              # seconds to sleep before answering (timeouts)
        self.requests: list[dict[str, Any]] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def handle(self, verb: str, path: str, headers: Any, body: bytes
               ) -> tuple[int, str, bytes]:
        raise NotImplementedError

    def start(self) -> StubServer:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, verb: str) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                if stub.delay:
                    threading.Event().wait(stub.delay)
                status, content_type, data = stub.handle(verb, self.path, self.headers, body)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def log_message(self, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
