"""RegionMall: one regional e-commerce platform per deployment (区域电商平台)."""

from regionmall.celery import app as celery_app

__all__ = ["celery_app"]
