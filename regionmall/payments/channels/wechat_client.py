"""WeChat Pay API v3 transport for :mod:`.wechat`: signing, verification, keys.

Built on ``wechatpayv3``'s ``Core`` so that the library does the cryptography the channel
defines (``WECHATPAY2-SHA256-RSA2048`` request signatures, response and callback signature
checks, AEAD_AES_256_GCM decryption, JSAPI ``paySign``, OAEP encryption of names). What this
module adds, and why:

- **``api_base``.** ``Core`` hard-codes the production gateway and, in certificate mode,
  downloads certificates from it inside its constructor. :class:`WechatClient` points
  ``_gate_way`` at the configured base before anything goes out and never calls the network
  while being built (adapters are built lazily inside request handlers).
- **Platform keys we were given stay pinned.** ``Core._update_certificates`` clears its list
  first and keeps it empty when the download fails; here configured keys survive, downloads
  are rate limited (a forged notification with a random serial must not make us hammer the
  channel), and a downloaded certificate is only trusted when it decrypts with the APIv3 key,
  its serial matches, it is in its validity window, and the download's own answer verifies.
- **Header normalisation.** Callers hand us lower-case keys (the gateway), Django ``META``
  names or ``requests``' headers; the library looks them up under fixed spellings.
- **Every answer verified, refusals included.** ``Core.request`` checks only 2xx answers and
  signals failure with a bare ``Exception``; :meth:`WechatClient.call` sends the request
  itself (signed by the library's ``build_authorization``), runs every signed answer through
  the library's verification, so a "not found" we act on is known to come from WeChat Pay,
  and turns failures into :class:`ChannelUnavailable` (cannot reach, 5xx, rate limited) or
  :class:`ChannelError`.

TLS verification is ``requests``' default and is never switched off; :func:`check_api_base`
refuses a plain-HTTP base anywhere but the loopback interface (the tests' stub server).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from wechatpayv3 import __version__ as WECHATPAYV3_VERSION
from wechatpayv3.core import Core
from wechatpayv3.utils import aes_decrypt, build_authorization, load_certificate, rsa_verify

from .base import ChannelError, ChannelUnavailable

logger = logging.getLogger(__name__)

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
# A certificate download happens at most this often, however many unknown serials arrive.
CERT_REFRESH_SECONDS = 60.0
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
USER_AGENT = f"RegionMall wechatpayv3/{WECHATPAYV3_VERSION}"


# --- configuration helpers ------------------------------------------------------------------


def read_pem(value: str, *, what: str) -> str:
    """A PEM given inline (starts with ``-----BEGIN``) or as a path to a file holding it."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.startswith("-----BEGIN"):
        text = value
    else:
        path = Path(value).expanduser()
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ImproperlyConfigured(f"WeChat Pay {what}: cannot read {path}: {exc}") from exc
    return text.replace("\r\n", "\n").strip() + "\n"


def private_key_pem(pem: str) -> str:
    """The merchant's RSA private key as unencrypted PKCS#8 PEM, the one spelling the library
    accepts (WeChat issues ``apiclient_key.pem`` as PKCS#8; PKCS#1 files work too)."""
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"WeChat Pay private key is not a PEM RSA key: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ImproperlyConfigured("WeChat Pay private key must be an RSA key.")
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def public_key_pem(pem: str) -> str:
    """The platform public key (微信支付公钥) as SubjectPublicKeyInfo PEM."""
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"WeChat Pay platform public key is not PEM: {exc}") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise ImproperlyConfigured("WeChat Pay platform public key must be an RSA key.")
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_certificates(pem: str) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle (one file may hold the old and the new one)."""
    if not pem:
        return []
    try:
        return x509.load_pem_x509_certificates(pem.encode("ascii"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"WeChat Pay platform certificate is not PEM: {exc}") from exc


def serial_hex(cert: x509.Certificate) -> str:
    """A certificate's serial the way WeChat Pay writes it (upper-case hex)."""
    return f"{cert.serial_number:X}"


def valid_now(cert: x509.Certificate, now: datetime | None = None) -> bool:
    now = now or datetime.now(UTC)
    return cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


def check_api_base(api_base: str) -> str:
    """HTTPS, or plain HTTP on the loopback interface only (the tests' stub server)."""
    parts = urlsplit(api_base)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return api_base.rstrip("/")
    raise ImproperlyConfigured(f"WeChat Pay api_base must be an https:// URL, not {api_base!r}.")


# --- signature headers ----------------------------------------------------------------------


class SignedHeaders(NamedTuple):
    """The four ``Wechatpay-*`` headers (and the algorithm) of a response or notification."""

    timestamp: str
    nonce: str
    signature: str
    serial: str
    signature_type: str

    @property
    def complete(self) -> bool:
        return bool(self.timestamp and self.nonce and self.signature and self.serial)

    def for_library(self) -> dict[str, str]:
        """The spelling ``Core._verify_signature`` looks up. A missing algorithm header is
        the only algorithm v3 has; any other value is refused by the library."""
        return {
            "Wechatpay-Timestamp": self.timestamp,
            "Wechatpay-Nonce": self.nonce,
            "Wechatpay-Signature": self.signature,
            "Wechatpay-Serial": self.serial,
            "Wechatpay-Signature-Type": self.signature_type or SIGNATURE_TYPE,
        }


def signed_headers(headers: Mapping[str, str]) -> SignedHeaders:
    """Read the ``Wechatpay-*`` headers whatever their case, or Django ``META`` names."""
    lowered = {str(k).lower().replace("_", "-"): str(v).strip() for k, v in headers.items()}

    def get(name: str) -> str:
        return lowered.get(f"wechatpay-{name}") or lowered.get(f"http-wechatpay-{name}") or ""

    return SignedHeaders(get("timestamp"), get("nonce"), get("signature"), get("serial"),
                         get("signature-type"))


# --- the client -----------------------------------------------------------------------------


class WechatClient(Core):
    """``wechatpayv3.core.Core`` aimed at ``api_base`` with the platform keys we configure.

    ``public_key``/``public_key_id``: WeChat Pay's platform public key (微信支付公钥, the
    current scheme). ``certificates``: platform certificates (平台证书, the older scheme).
    ``fetch_certificates``: download ``/v3/certificates`` when an unknown serial shows up.
    """

    def __init__(self, *, api_base: str, mchid: str, cert_serial_no: str, private_key: str,
                 apiv3_key: str, timeout: float, public_key: str = "", public_key_id: str = "",
                 certificates: Iterable[x509.Certificate] = (),
                 fetch_certificates: bool = False) -> None:
        self._api_base = check_api_base(api_base)
        self._pinned = list(certificates)
        self._fetch = fetch_certificates
        self._fetch_lock = threading.Lock()
        self._fetched_at = float("-inf")
        super().__init__(mchid=mchid, cert_serial_no=cert_serial_no, private_key=private_key,
                         apiv3_key=apiv3_key, timeout=timeout,
                         public_key=public_key or None, public_key_id=public_key_id or None)
        self._gate_way = self._api_base

    # Core.__init__ calls this in certificate mode; the library would download at once.
    def _init_certificates(self) -> None:
        self._gate_way = self._api_base
        self._certificates = list(self._pinned)

    def _update_certificates(self) -> None:
        """Called by the library for an unknown serial: download (at most once a minute),
        keeping the configured certificates whatever happens."""
        if not self._fetch:
            return
        with self._fetch_lock:
            now = time.monotonic()
            if now - self._fetched_at < CERT_REFRESH_SECONDS:
                return
            self._fetched_at = now
            try:
                fetched = self._download_certificates()
            except requests.RequestException as exc:
                logger.warning("wechat: platform certificate download failed: %s", exc)
                return
            pinned = {c.serial_number for c in self._pinned}
            self._certificates = self._pinned + [c for c in fetched
                                                 if c.serial_number not in pinned]

    def _download_certificates(self) -> list[x509.Certificate]:
        path = "/v3/certificates"
        authorization = build_authorization(path, "GET", self._mchid, self._cert_serial_no,
                                            self._private_key)
        response = requests.get(self._gate_way + path, timeout=self._timeout, headers={
            "Accept": "application/json", "Authorization": authorization})
        if response.status_code != 200:
            logger.warning("wechat: /v3/certificates answered %s", response.status_code)
            return []
        try:
            items = response.json().get("data") or []
        except ValueError:
            return []
        certs: list[x509.Certificate] = []
        for item in items:
            cert = self._decrypt_certificate(item)
            if cert is not None:
                certs.append(cert)
        # The answer must itself be signed by a certificate we now hold (WeChat's own advice
        # for the bootstrap download); the APIv3 key already proved where the certs came from.
        head = signed_headers(response.headers)
        signer = next((c for c in [*self._pinned, *certs]
                       if head.serial and serial_hex(c) == head.serial.upper()), None)
        if signer is None or not rsa_verify(head.timestamp, head.nonce, response.text,
                                            head.signature, signer.public_key()):
            logger.warning("wechat: /v3/certificates answer did not verify; ignored")
            return []
        return certs

    def _decrypt_certificate(self, item: Mapping[str, Any]) -> x509.Certificate | None:
        enc = item.get("encrypt_certificate") or {}
        if enc.get("algorithm") != "AEAD_AES_256_GCM" or not enc.get("ciphertext"):
            return None
        try:
            pem = aes_decrypt(nonce=str(enc.get("nonce", "")), ciphertext=enc["ciphertext"],
                              associated_data=str(enc.get("associated_data") or ""),
                              apiv3_key=self._apiv3_key)
        except (ValueError, TypeError):
            pem = None
        cert = load_certificate(pem) if pem else None
        if cert is None or serial_hex(cert) != str(item.get("serial_no", "")).upper():
            return None
        return cert if valid_now(cert) else None

    def knows_serial(self, serial: str) -> bool:
        """Whether ``serial`` names a platform key we trust right now."""
        if self._public_key_id and serial == self._public_key_id:
            return True
        try:
            number = int(serial, 16)
        except ValueError:
            return False
        return any(c.serial_number == number and valid_now(c) for c in self._certificates)

    def _verify_signature(self, headers: Mapping[str, str], body: str) -> bool:  # type: ignore[override]
        """The library's check, after normalising headers and making sure the serial names a
        key we trust (downloading certificates once if that is allowed)."""
        head = signed_headers(headers)
        if not head.complete or head.signature_type not in ("", SIGNATURE_TYPE):
            return False
        if not self.knows_serial(head.serial):
            self._update_certificates()
            if not self.knows_serial(head.serial):
                return False
        try:
            return bool(super()._verify_signature(head.for_library(), body))
        except (ValueError, TypeError):
            return False

    def verify(self, headers: Mapping[str, str], body: str) -> bool:
        """Public name for the signature check over ``timestamp\\nnonce\\nbody\\n``."""
        return self._verify_signature(headers, body)

    def decrypt_resource(self, resource: Mapping[str, Any]) -> str | None:
        """AEAD_AES_256_GCM plaintext of a notification's ``resource``, None if it fails."""
        if resource.get("algorithm") != "AEAD_AES_256_GCM":
            return None
        try:
            return aes_decrypt(nonce=str(resource.get("nonce") or ""),
                               ciphertext=str(resource.get("ciphertext") or ""),
                               associated_data=str(resource.get("associated_data") or ""),
                               apiv3_key=self._apiv3_key)
        except (ValueError, TypeError):
            return None

    def encrypt_field(self, text: str) -> str:
        """OAEP-encrypt a sensitive field (a receiver's name) for the platform key."""
        try:
            return self.encrypt(text)
        except requests.RequestException as exc:
            raise ChannelUnavailable(_("WeChat Pay could not be reached. Please try again "
                                       "later.")) from exc
        except Exception as exc:  # no platform certificate to encrypt with
            raise ChannelError(_("WeChat Pay's platform key is not available.")) from exc

    def _last_certificate(self) -> x509.Certificate:
        """The certificate to encrypt for: the one valid longest (the library's version reads
        deprecated naive datetimes)."""
        if not self._certificates:
            self._update_certificates()
        if not self._certificates:
            raise ChannelError(_("WeChat Pay's platform key is not available."))
        return max(self._certificates, key=lambda c: c.not_valid_after_utc)

    def call(self, method: str, path: str, data: dict[str, Any] | None = None, *,
             cipher_data: bool = False) -> dict[str, Any]:
        """Send one signed request; return the verified JSON answer (``{}`` for 204).

        Every answer that carries a signature is verified - refusals too, so that a "not
        found" we act on (:attr:`ChannelError.verified`) really came from WeChat Pay; a 2xx
        answer without a valid signature is never used. Raises :class:`ChannelUnavailable`
        when the channel cannot be reached or answers 5xx/429, :class:`ChannelError` (with
        ``channel_code``, ``http_status`` and ``verified``) otherwise.
        """
        body = json.dumps(data, ensure_ascii=False) if data is not None else ""
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT,
                   "Authorization": build_authorization(path, method, self._mchid,
                                                        self._cert_serial_no, self._private_key,
                                                        data=body or None)}
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        if self._public_key_id or cipher_data:
            headers["Wechatpay-Serial"] = self._public_key_id or serial_hex(
                self._last_certificate())
        try:
            response = requests.request(method, self._gate_way + path, headers=headers,
                                        data=body.encode("utf-8") if body else None,
                                        timeout=self._timeout)
        except requests.RequestException as exc:
            logger.warning("wechat: %s %s unreachable: %s", method, path, exc)
            raise ChannelUnavailable(_("WeChat Pay could not be reached. Please try again "
                                       "later.")) from exc
        status, text = response.status_code, response.content.decode("utf-8", "replace")
        signed = signed_headers(response.headers).complete
        verified = signed and self._verify_signature(response.headers, text)
        if (200 <= status < 300 or signed) and not verified and status < 500:
            logger.warning("wechat: %s %s answer (%s) did not verify", method, path, status)
            raise ChannelError(_("WeChat Pay's answer could not be verified."),
                               code="channel_unverified")
        try:
            answer = json.loads(text) if text.strip() else {}
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            if 200 <= status < 300:
                raise ChannelError(_("WeChat Pay answered something we cannot read."))
            answer = {}
        if 200 <= status < 300:
            return answer
        code, message = str(answer.get("code", status)), str(answer.get("message", ""))
        logger.info("wechat: %s %s refused: %s %s %s", method, path, status, code, message)
        error_class = ChannelUnavailable if status >= 500 or status == 429 else ChannelError
        error = error_class(_("WeChat Pay refused the request (%(code)s): %(message)s")
                            % {"code": code, "message": message})
        error.channel_code = code  # type: ignore[attr-defined]
        error.http_status = status  # type: ignore[attr-defined]
        error.verified = verified  # type: ignore[attr-defined]
        raise error
