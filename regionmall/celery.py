"""Celery application: used only when BROKER_URL is set (RabbitMQ in production).

Without a broker, tasks run eagerly in-process right after the transaction commits
(see ``regionmall.core.tasks.enqueue``).
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regionmall.settings")

app = Celery("regionmall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
