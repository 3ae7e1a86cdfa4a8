"""Product pictures for the demo, drawn locally with Pillow: a coloured card with a simple
motif (furniture, tea leaves, fruit) and the product's Chinese name.

The name needs a CJK font. Noto Sans CJK (Debian ``fonts-noto-cjk``) or WenQuanYi are used
when installed; a fresh machine may have none, and then the card carries the motif only —
the demo still works, it is just less pretty.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from functools import cache

from PIL import Image, ImageDraw, ImageFont

SIZE = 480
FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
]
PALETTES = {
    "furniture": [((122, 62, 38), (246, 233, 220)), ((92, 52, 34), (240, 226, 206)),
                  ((140, 84, 50), (250, 238, 224)), ((70, 44, 32), (236, 222, 204))],
    "tea": [((46, 110, 74), (228, 243, 232)), ((74, 124, 60), (236, 244, 224)),
            ((38, 92, 86), (222, 240, 236)), ((120, 70, 40), (246, 234, 222))],
    "fruit": [((112, 46, 110), (243, 228, 242)), ((214, 110, 30), (252, 236, 220)),
              ((190, 60, 70), (250, 228, 230)), ((200, 150, 40), (250, 242, 216))],
}


@cache
def cjk_font_path() -> str | None:
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            return path
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True,  # noqa: S607
                                 text=True, timeout=5, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        for line in sorted(out.splitlines()):
            path = line.split(":", 1)[0].strip()
            if path and os.path.exists(path):
                return path
    return None


@cache
def _font(size: int):
    path = cjk_font_path()
    if path is None:
        return None
    best = None
    for index in range(10):  # a .ttc holds JP/KR/SC/TC faces: prefer Simplified Chinese
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        best = best or font
        if "SC" in " ".join(font.getname()):
            return font
    return best


def _wrap(text: str, per_line: int) -> list[str]:
    return [text[i:i + per_line] for i in range(0, len(text), per_line)][:3]


def _motif(draw: ImageDraw.ImageDraw, kind: str, dark: tuple, variant: int) -> None:
    cx, top = SIZE // 2, 70
    if kind == "furniture":  # a table/chair silhouette from rectangles
        draw.rounded_rectangle((cx - 120, top + 60, cx + 120, top + 84), 8, fill=dark)
        for x in (cx - 105, cx + 85):
            draw.rectangle((x, top + 84, x + 20, top + 190), fill=dark)
        if variant % 2:
            draw.rectangle((cx - 120, top, cx - 100, top + 60), fill=dark)
        draw.rectangle((cx - 80, top + 120, cx + 80, top + 132), fill=dark)
    elif kind == "tea":  # three leaves
        for dx, dy, w in ((-70, 40, 70), (0, 10, 80), (70, 40, 70)):
            draw.ellipse((cx + dx - w // 2, top + dy, cx + dx + w // 2, top + dy + 150),
                         fill=dark)
        draw.line((cx, top + 150, cx, top + 200), fill=dark, width=8)
    else:  # fruit: a bunch of grapes or one round fruit
        if variant % 2:
            for row, count in enumerate((4, 3, 2, 1)):
                for i in range(count):
                    x = cx - (count - 1) * 26 + i * 52
                    y = top + 20 + row * 44
                    draw.ellipse((x - 26, y - 26, x + 26, y + 26), fill=dark)
        else:
            draw.ellipse((cx - 95, top + 20, cx + 95, top + 210), fill=dark)
            draw.ellipse((cx - 10, top, cx + 40, top + 30), fill=(70, 130, 60))


def product_card(name: str, subtitle: str, kind: str, variant: int) -> bytes:
    """A JPEG card (480x480) for a product; deterministic for the same arguments."""
    dark, light = PALETTES.get(kind, PALETTES["furniture"])[variant % 4]
    image = Image.new("RGB", (SIZE, SIZE), light)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((16, 16, SIZE - 16, SIZE - 16), 28, outline=dark, width=6)
    _motif(draw, kind, dark, variant)
    title, small = _font(40), _font(24)
    if title is not None:
        lines = _wrap(name, 9)
        y = 300 if len(lines) < 3 else 286
        for line in lines:
            width = draw.textlength(line, font=title)
            draw.text(((SIZE - width) / 2, y), line, font=title, fill=dark)
            y += 50
        width = draw.textlength(subtitle, font=small)
        draw.text(((SIZE - width) / 2, 30), subtitle, font=small, fill=dark)
    else:
        draw.rectangle((80, 330, SIZE - 80, 350), fill=dark)
        draw.rectangle((120, 370, SIZE - 120, 384), fill=dark)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()
