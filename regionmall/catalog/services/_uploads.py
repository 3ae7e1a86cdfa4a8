"""What merchants may upload for products: photos (JPG/PNG) and documents (PDF/JPG/PNG).

The extension proves nothing, so images are opened and verified with Pillow and documents
must start with their format's magic bytes. Files get random names: the original name may
carry personal data and must not collide with another shop's file.
"""

from __future__ import annotations

import os
import uuid

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 MP: any real product photo; refuses decompression bombs early
IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}
DOCUMENT_MAGIC = {"pdf": b"%PDF-", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff",
                  "png": b"\x89PNG\r\n\x1a\n"}


def _extension(upload) -> str:
    return os.path.splitext(getattr(upload, "name", "") or "")[1].lower().lstrip(".")


def _check_size(upload) -> None:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValueError(_("The file is larger than 5 MB."))
    if upload.size == 0:
        raise ValueError(_("The file is empty."))


def check_image(upload) -> str:
    """Return the extension of a real JPG/PNG photo, or raise ValueError (localised)."""
    ext = _extension(upload)
    if ext not in IMAGE_FORMATS:
        raise ValueError(_("Upload a JPG or PNG image."))
    _check_size(upload)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValueError(_("The image has too many pixels."))
            fmt = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError(_("The file is not a valid JPG or PNG image.")) from exc
    finally:
        upload.seek(0)
    if fmt != IMAGE_FORMATS[ext]:
        raise ValueError(_("The file is not a valid JPG or PNG image."))
    return ext


def check_document(upload) -> str:
    """Return the extension of a PDF/JPG/PNG document, or raise ValueError (localised)."""
    ext = _extension(upload)
    if ext not in DOCUMENT_MAGIC:
        raise ValueError(_("Upload a PDF, JPG or PNG file."))
    _check_size(upload)
    magic = DOCUMENT_MAGIC[ext]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValueError(_("The file's content is not a PDF, JPG or PNG file."))
    return ext


def random_name(ext: str) -> str:
    return f"{uuid.uuid4().hex}.{'jpg' if ext == 'jpeg' else ext}"
