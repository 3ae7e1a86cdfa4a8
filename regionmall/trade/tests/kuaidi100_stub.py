"""A local Kuaidi100 real-time query endpoint (``POST /poll/query.do``) for the tracking
tests: a real HTTP server on 127.0.0.1 speaking Kuaidi100's wire format.

It checks what Kuaidi100 checks — the form's ``customer``, the upper-case MD5 ``sign`` of
``param + key + customer`` over the exact ``param`` text, the company code, the phone digits
for SF/ZTO parcels — and answers with Kuaidi100's JSON: a timeline for the parcels it was
given (:meth:`add`), ``{"result": false, "returnCode": ...}`` for everything else. Knobs for
outages: ``http_status`` (answer that status with an HTML error page), ``return_code`` (a
``returnCode`` error in the body, e.g. ``"502"`` server busy), ``garbage`` (200 with a body
that is not JSON) and ``delay`` (seconds before answering: timeouts). ``requests`` records
every request it received, so tests can count hits.
"""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

COMPANIES = {"shunfeng", "zhongtong", "yuantong", "shentong", "yunda", "jd", "ems",
             "jtexpress"}
PHONE_CHECKED = {"shunfeng", "zhongtong"}


class Kuaidi100Stub:
    def __init__(self, customer: str = "RMSTUB0000000001", key: str = "stub-key-0123456789"
                 ) -> None:
        self.customer = customer
        self.key = key
        self.lock = threading.RLock()
        self._httpd: ThreadingHTTPServer | None = None
        self.reset()

    # --- lifecycle and configuration --------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self.requests: list[dict[str, Any]] = []
            self.parcels: dict[tuple[str, str], dict[str, Any]] = {}
            self.http_status = 200
            self.return_code = ""
            self.garbage = False
            self.delay = 0.0

    def add(self, com: str, num: str, state: str, events: list[tuple[str, str, str]],
            *, phone: str = "") -> None:
        """A parcel Kuaidi100 knows: ``events`` are ``(time, context, area)`` in the order the
        stub should send them; ``phone`` the full number a phone-checked carrier wants."""
        with self.lock:
            self.parcels[(com, num)] = {"state": state, "events": events, "phone": phone}

    @property
    def hits(self) -> int:
        with self.lock:
            return len(self.requests)

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/poll/query.do"

    def options(self, **extra: Any) -> dict[str, Any]:
        """``REGIONMALL_TRACKING`` pointing at this stub."""
        return {"backend": "kuaidi100", "customer": self.customer, "key": self.key,
                "url": self.url, **extra}

    def start(self) -> Kuaidi100Stub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                status, content_type, data = stub.handle(self.path, self.headers, body)
                if stub.delay:
                    threading.Event().wait(stub.delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up
                    pass

            def log_message(self, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    # --- the endpoint -----------------------------------------------------------------------

    @staticmethod
    def _json(payload: dict[str, Any]) -> tuple[int, str, bytes]:
        return 200, "application/json;charset=UTF-8", json.dumps(
            payload, ensure_ascii=False).encode()

    def _refuse(self, code: str, message: str) -> tuple[int, str, bytes]:
        return self._json({"result": False, "returnCode": code, "message": message})

    def handle(self, path: str, headers: Any, body: bytes) -> tuple[int, str, bytes]:
        form = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        with self.lock:
            self.requests.append({"path": path, "content_type": headers.get("content-type", ""),
                                  "form": form})
            http_status, return_code, garbage = self.http_status, self.return_code, self.garbage
        if http_status != 200:
            return http_status, "text/html", b"<html><body>502 Bad Gateway</body></html>"
        if garbage:
            return 200, "text/html", b"<html>maintenance</html>"
        if return_code:
            return self._refuse(return_code, "服务器繁忙" if return_code == "502" else "服务器错误")
        if path.split("?")[0] != "/poll/query.do":
            return 404, "text/plain", b"not found"
        param = form.get("param", "")
        if form.get("customer") != self.customer:
            return self._refuse("601", "POLL:KEY已过期或账号未授权")
        expected = hashlib.md5(f"{param}{self.key}{self.customer}".encode(),
                               usedforsecurity=False).hexdigest().upper()
        if form.get("sign") != expected:
            return self._refuse("503", "验证签名失败")
        try:
            query = json.loads(param)
        except ValueError:
            return self._refuse("400", "提交的数据不完整，或者贵公司没授权")
        com, num = query.get("com", ""), query.get("num", "")
        if com not in COMPANIES or not num:
            return self._refuse("400", "找不到对应公司")
        with self.lock:
            parcel = self.parcels.get((com, num))
        if parcel is None:
            return self._refuse("500", "查询无结果，请隔段时间再查")
        if com in PHONE_CHECKED and parcel["phone"] and str(query.get("phone", "")) not in (
                parcel["phone"], parcel["phone"][-4:]):
            return self._refuse("408", "快递公司参数异常：验证码错误")
        data = [{"time": t, "ftime": t, "context": context, "areaName": area,
                 "status": "在途"} for t, context, area in parcel["events"]]
        return self._json({"message": "ok", "nu": num, "ischeck": "1" if parcel["state"] == "3"
                           else "0", "condition": "F00", "com": com, "status": "200",
                           "state": parcel["state"], "data": data})
