"""WSGI entry point: Django is served as WSGI (granian), measured ~5x faster than ASGI here."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regionmall.settings")
application = get_wsgi_application()

# Periodic jobs in the embedded default: served processes only (this module is not imported
# by tests or management commands); does nothing when BROKER_URL is set (Celery beat).
from regionmall.core import scheduler  # noqa: E402

scheduler.start()
