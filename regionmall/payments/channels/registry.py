"""Which channels this deployment enables, built from ``settings.REGIONMALL_PAYMENT_CHANNELS``.

    REGIONMALL_PAYMENT_CHANNELS = {
        "sandbox": {},
        "wechat": {"class": "regionmall.payments.channels.wechat.WechatPayAdapter",
                   "sp_mchid": "...", "sp_appid": "...", "private_key_path": "...", ...},
    }

Each entry's ``class`` (default: the built-in for that code, see ``BUILTIN``) is called with
the entry's other keys as keyword arguments. Adapters are built once per process and cached;
tests that change the setting call :func:`reset`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from regionmall.core import circuit
from regionmall.core.errors import NotFound, ServiceUnavailable

from .base import ChannelAdapter, ChannelUnavailable

# Calls that go out to the channel: guarded by the channel's circuit breaker.
OUTBOUND = frozenset({
    "create_payment", "query_payment", "close_payment", "refund", "query_refund",
    "request_split", "query_split", "return_split", "sub_merchant_info",
})


class Guarded:
    """An adapter seen through its circuit breaker (``core.circuit``, name ``channel:<code>``).

    After repeated :class:`ChannelUnavailable` errors the breaker opens and outbound calls
    fail at once with ``ChannelUnavailable`` (code ``circuit_open``) instead of each waiting
    for the channel's timeout. Notifications (``parse_notification``, ``ack``) are inbound
    and never blocked. Every other attribute is the adapter's own.
    """

    def __init__(self, adapter: ChannelAdapter) -> None:
        self.adapter = adapter

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.adapter, name)
        if name not in OUTBOUND:
            return value

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return circuit.call(f"channel:{self.adapter.code}", (ChannelUnavailable,),
                                    value, *args, **kwargs)
            except ServiceUnavailable as exc:
                raise ChannelUnavailable(exc.message, code="circuit_open") from exc
        return guarded

BUILTIN = {
    "sandbox": "regionmall.payments.channels.sandbox.SandboxAdapter",
    "wechat": "regionmall.payments.channels.wechat.WechatPayAdapter",
    "alipay": "regionmall.payments.channels.alipay.AlipayAdapter",
    "unionpay": "regionmall.payments.channels.signed.SignedCallbackAdapter",
    "citizen_card": "regionmall.payments.channels.signed.SignedCallbackAdapter",
    "transfer": "regionmall.payments.channels.transfer.TransferAdapter",
}


def configured() -> dict[str, dict[str, Any]]:
    return dict(getattr(settings, "REGIONMALL_PAYMENT_CHANNELS", {}) or {})


@cache
def _build(code: str) -> ChannelAdapter:
    options = dict(configured()[code])
    path = options.pop("class", None) or BUILTIN[code]
    return Guarded(import_string(path)(code=code, **options))  # type: ignore[return-value]


def enabled_codes() -> list[str]:
    return list(configured())


def get(code: str) -> ChannelAdapter:
    if code not in configured():
        raise NotFound(_("This payment method is not available."), code="channel_unknown")
    return _build(code)


def enabled() -> list[ChannelAdapter]:
    return [get(code) for code in enabled_codes()]


def reset() -> None:
    """Forget built adapters and their breakers (after a settings change in tests)."""
    _build.cache_clear()
    for code in BUILTIN:
        circuit.reset(f"channel:{code}")
