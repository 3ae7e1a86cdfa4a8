"""QR codes as inline SVG, drawn locally with ``segno``: no image service and no file, so
they work on an offline deployment (pay codes, group-buy share links, follow-up codes)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, scale: int = 4, title: str = "", border: int = 4,
           dark: str = "#000") -> SafeString:
    """``data`` as an inline ``<svg class="qr-code">`` (error correction M).

    segno writes the markup and escapes ``title`` itself; pass it unescaped."""
    code = segno.make(str(data), error="m", micro=False)
    svg = code.svg_inline(scale=scale, border=border, dark=dark, title=title or None,
                          svgclass="qr-code", lineclass="qr-line")
    return mark_safe(svg)  # noqa: S308 - segno wrote it and escaped the title
