"""Where uploaded import files live: private storage, never reachable through MEDIA_URL.

A merchant's price list is business data, so it goes where licence scans go:
``STORAGES["private"]`` when the deployment defines one, else a folder beside ``MEDIA_ROOT``
(``PRIVATE_MEDIA_ROOT`` overrides it). Same rule as the merchants centre's scans; kept here
because catalog may not import that centre's storage module.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property


class PrivateImportStorage(FileSystemStorage):
    """A folder outside ``MEDIA_ROOT`` without a URL of its own."""

    @cached_property
    def base_location(self) -> str:
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        return str(configured or Path(settings.MEDIA_ROOT).parent / "private")

    def _clear_cached_properties(self, setting, **kwargs) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting in {"PRIVATE_MEDIA_ROOT", "MEDIA_ROOT"}:
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("private files have no public URL")


_fallback = PrivateImportStorage()


def private_storage() -> Storage:
    if "private" in settings.STORAGES:
        return storages["private"]
    return _fallback
