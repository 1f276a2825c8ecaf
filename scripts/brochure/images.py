"""Photos on built pages: their pixel size, lazy loading, and captions in news posts.

Width and height let the browser reserve the space before the photo arrives, so the text
does not jump on a slow phone connection. The sizes are read from the files' headers; no
imaging library is needed for JPEG, PNG, GIF and WebP.
"""

from __future__ import annotations

import html
import re
import struct
from urllib.parse import unquote, urljoin, urlparse

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
_ALONE_IN_PARAGRAPH = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>", re.IGNORECASE)


def image_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) from the first bytes of an image file, or None if unknown."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return struct.unpack("<HH", head[6:10])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        chunk = head[12:16]
        if chunk == b"VP8 " and len(head) >= 30:
            w, h = struct.unpack("<HH", head[26:30])
            return w & 0x3FFF, h & 0x3FFF
        if chunk == b"VP8L" and len(head) >= 25:
            bits = int.from_bytes(head[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8X" and len(head) >= 30:
            return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    if head[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(head):
            if head[i] != 0xFF:
                i += 1
                continue
            marker = head[i + 1]
            # SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", head[i + 5 : i + 9])
                return w, h
            i += 2 + struct.unpack(">H", head[i + 2 : i + 4])[0]
    return None


def _read_head(path: str | None, limit: int = 256 * 1024) -> bytes:
    if not path:
        return b""
    try:
        with open(path, "rb") as f:
            return f.read(limit)
    except OSError:
        return b""


def improve_images(page_html: str, page, files, captions: bool) -> str:
    def local_file(src: str):
        parsed = urlparse(src)
        if parsed.scheme or parsed.netloc:
            return None
        target = unquote(urlparse(urljoin("/" + page.file.url, parsed.path)).path).lstrip("/")
        return files.get_file_from_path(target)

    def enrich(match: re.Match) -> str:
        tag = match.group(0)
        attrs = dict(_ATTR.findall(tag))
        extra = []
        if "loading" not in attrs:
            extra.append('loading="lazy"')
        if "decoding" not in attrs:
            extra.append('decoding="async"')
        if "width" not in attrs and "height" not in attrs:
            file = local_file(html.unescape(attrs.get("src", "")))
            size = image_size(_read_head(file.abs_src_path)) if file is not None else None
            if size:
                extra.append(f'width="{size[0]}" height="{size[1]}"')
        if not extra:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return tag[:end].rstrip() + " " + " ".join(extra) + (" />" if end == -2 else ">")

    page_html = _IMG.sub(enrich, page_html)
    if captions:

        def figure(match: re.Match) -> str:
            img = match.group(1)
            attrs = dict(_ATTR.findall(img))
            caption = attrs.get("title") or attrs.get("alt")
            if not caption:
                return match.group(0)
            return f'<figure class="post-figure">{img}<figcaption>{caption}</figcaption></figure>'

        page_html = _ALONE_IN_PARAGRAPH.sub(figure, page_html)
    return page_html
