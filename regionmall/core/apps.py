from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared kernel: money, errors, outbox events, tasks, health, logging. No domain logic."""

    name = "regionmall.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from regionmall.core import logging as rm_logging

        rm_logging.configure_structlog()
        # Each app's event consumers live in its consumers.py; load them once at start-up so
        # the relay (web process or Celery worker) knows every consumer.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("consumers")
