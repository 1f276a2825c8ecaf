"""Editors' HTML, cleaned with an allow-list by nh3 (the binding of the Rust sanitiser ammonia).

Markdown lets raw HTML through, and editors paste from WeChat and Word into post bodies and
the Markdown fields (a programme's summary and how to apply, a lecturer's bio, a site's
description). So `<img onerror>`, `<script>`, `[报名](javascript:…)` and a video player's
`<iframe>` (a request to a foreign host on every visit) would reach readers. An allow-list
keeps what a news post needs and drops everything else, whatever new trick it is.

`check` tells the editor what would be dropped, with file and line (`unsafe_markdown`); the
build cleans the finished HTML of every page that holds editors' Markdown (`clean_html`), so
nothing unsafe is published even if a check were bypassed.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3

# The Markdown extensions of mkdocs.yml that change which HTML a text becomes.
MARKDOWN_EXTENSIONS = ["tables", "attr_list", "md_in_html", "def_list", "admonition"]

# nh3's own safe tags (text formatting, headings, lists, tables, figure and figcaption,
# images, links, details) and the table footer it leaves out; and the shapes of an inline SVG
# drawing (no scripts, links or styles), for the printed page's QR code (pdf.programme_qr).
TAGS = nh3.ALLOWED_TAGS | {"tfoot", "svg", "path", "title"}
# Every tag may carry id (headings' anchors), class (admonitions, buttons, the theme's own
# styles), title and language; Markdown tables align their cells with an inline style.
ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "download"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "th": nh3.ALLOWED_ATTRIBUTES["th"] | {"style"},
    "td": nh3.ALLOWED_ATTRIBUTES["td"] | {"style"},
    # What the search leaves out: the printed page's QR code (its <title> is the page's address).
    "div": {"data-pagefind-ignore"},
    "svg": {"viewBox"},
    "path": {"d", "fill", "stroke"},
}
STYLE_PROPERTIES = {"text-align"}
URL_SCHEMES = {"http", "https", "mailto", "tel", "webcal"}  # webcal: a calendar to subscribe to

# Markdown that cannot become anything the allow-list drops: raw HTML needs "<", a link or
# image "](" or "]:", an attribute list "{". Text without them skips the Markdown conversion.
_MAY_HOLD_HTML = re.compile(r"[<{]|\]\(|\]:")


def _own_image(site_host: str):
    """An image must come from the site itself: a photo on another host is a request to it
    on every visit, and it may vanish or change. Relative addresses are the site's own."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            parts = urlsplit(value.strip())
            if parts.scheme or parts.netloc:
                own = parts.scheme in ("http", "https") and site_host and parts.hostname == site_host
                return value if own else None
        return value

    return keep


@functools.lru_cache(maxsize=8)
def _cleaner(site_host: str) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        attribute_filter=_own_image(site_host),
        link_rel=None,  # links keep the rel the editor gave, or none; no target= is allowed anyway
        strip_comments=True,
    )


def site_host(site_url: str | None) -> str:
    return urlsplit(site_url or "").hostname or ""


def clean_html(html: str, host: str = "") -> str:
    """The HTML with every tag, attribute and address outside the allow-list removed.
    Text is kept: a removed <font> or <iframe> leaves what was written inside it."""
    return _cleaner(host).clean(html)


class _Inventory(HTMLParser):
    """The tags and attributes in a piece of HTML, counted, to compare before and after."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.attributes: Counter = Counter()
        self.addresses: Counter = Counter()
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[tag, name] += 1
            if name in ("href", "src"):
                self.addresses[tag, name, value or ""] += 1


def removed(html: str, host: str = "") -> list[tuple[str, str]]:
    """What clean_html would take out of this HTML, as (what to look for in the source, what
    to tell the editor). Found by comparing the tags and attributes before and after, so it
    always agrees with what nh3 does."""
    before, after = _Inventory(html), _Inventory(clean_html(html, host))
    # One entry per occurrence, so that each can be given its own line in the source.
    found = [(rf"<\s*{re.escape(tag)}\b", f"<{tag}> 标签") for tag in (before.tags - after.tags).elements()]
    gone_addresses = before.addresses - after.addresses
    for tag, name, value in gone_addresses.elements():
        if tag in TAGS:  # a removed tag's attributes go with it and are not named again
            what = "图片地址" if tag == "img" else "链接地址"
            found.append((re.escape(value) if value else rf"\b{name}\b", f"{what} “{value}”"))
    for (tag, name), count in (before.attributes - after.attributes).items():
        addresses = sum(n for (t, a, _), n in gone_addresses.items() if (t, a) == (tag, name))
        if tag in TAGS:
            found += [(rf"\b{re.escape(name)}\s*=", f"<{tag}> 的 {name} 属性")] * (count - addresses)
    return found


@functools.lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)


def unsafe_markdown(text: str, host: str = "") -> list[tuple[int, list[str]]]:
    """What the build would remove from this Markdown, by line (0 is the text's first line):
    [(line, [what, …]), …]. Empty for text the allow-list keeps whole."""
    if not _MAY_HOLD_HTML.search(text):
        return []
    md = _markdown()
    try:
        html = md.reset().convert(text)
    except RecursionError:
        # Hundreds of nested <div markdown> (a paste gone wrong): MkDocs would die on it with a
        # traceback, so check must stop it here, as one problem.
        return [(0, ["嵌套几百层、无法读完的 HTML"])]
    lines: dict[int, list[str]] = {}
    start: dict[str, int] = {}  # where to look for the next of the same kind, so repeats get their own lines
    for needle, what in removed(html, host):
        match = re.compile(needle, re.IGNORECASE).search(text, start.get(needle, 0))
        if match:
            start[needle] = match.end()
        line = text.count("\n", 0, match.start()) if match else 0
        lines.setdefault(line, []).append(what)
    return sorted(lines.items())


HINT = (
    "请删去这些内容：网站只保留文字格式、表格、本站的图片和 http、https、mailto、tel 链接。"
    "视频请写成链接而不是嵌入播放器；图片请放在稿件旁边并写相对路径。"
    "从微信、Word 复制时可先粘贴为纯文本，再用 Markdown 加粗、列表、表格。"
)


def describe(removals: list[str]) -> str:
    return "含有网站不允许的 HTML：" + "、".join(dict.fromkeys(removals)) + "。"
