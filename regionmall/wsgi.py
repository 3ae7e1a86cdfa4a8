"""WSGI entry point: Django is served as WSGI (granian), measured ~5x faster than ASGI here."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regionmall.settings")
application = get_wsgi_application()
