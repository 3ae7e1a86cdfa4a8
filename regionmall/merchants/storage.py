"""Where qualification scans live, and what may be uploaded.

Licences and ID scans are personal data: they must never be reachable through
``MEDIA_URL`` (which ``DEBUG`` serves to anyone). They go to a private storage that only the
permission-checked view reads: ``STORAGES["private"]`` when the deployment defines one (an
S3 bucket without public access, say), else a folder beside ``MEDIA_ROOT``
(``PRIVATE_MEDIA_ROOT`` overrides it).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# Extension -> (content type, magic prefix). The extension alone proves nothing, so the
# first bytes must match as well.
ALLOWED_TYPES: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder outside ``MEDIA_ROOT``; it has no URL of its own."""

    @cached_property
    def base_location(self) -> str:
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        return str(configured or Path(settings.MEDIA_ROOT).parent / "private")

    def _clear_cached_properties(self, setting, **kwargs) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("private files have no public URL; use the permission-checked view")


_fallback = PrivateFileSystemStorage()


def private_storage() -> Storage:
    if "private" in settings.STORAGES:
        return storages["private"]
    return _fallback


def qualification_upload_to(instance, filename: str) -> str:
    """A random name: the original may hold personal data and must not be guessable."""
    ext = os.path.splitext(filename)[1].lower().lstrip(".")
    return f"merchants/qualifications/{uuid.uuid4().hex}.{ext}"


def check_upload(upload) -> tuple[str, str]:
    """Return (extension, content type) or raise ValueError with a localised message."""
    ext = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if ext not in ALLOWED_TYPES:
        raise ValueError(_("Upload a PDF, JPG or PNG file."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValueError(_("The file is larger than 5 MB."))
    if upload.size == 0:
        raise ValueError(_("The file is empty."))
    content_type, magic = ALLOWED_TYPES[ext]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValueError(_("The file's content is not a PDF, JPG or PNG file."))
    return ext, content_type


def file_response(field_file, content_type: str, download_name: str):
    """Stream a private file inline; the caller has already checked who is asking."""
    from django.http import FileResponse

    response = FileResponse(
        field_file.open("rb"), content_type=content_type, filename=download_name,
        as_attachment=False,
    )
    # Never cached by shared proxies; a scan must not outlive the permission check.
    response["Cache-Control"] = "private, no-store"
    return response
