"""Parcel tracking (物流跟踪): a backend per partner (``none`` by default, ``kuaidi100``), chosen
by ``settings.REGIONMALL_TRACKING``, called through the ``carrier`` circuit breaker and cached.
Pages and the API use :func:`lookup`."""

from regionmall.trade.tracking.service import TrackingView, lookup

__all__ = ["TrackingView", "lookup"]
