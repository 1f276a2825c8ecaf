"""The news feed (RSS 2.0): latest posts with Chinese titles, dates in +0800 and absolute links,
each with its whole text (content:encoded) for readers that show the post in place."""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from urllib.parse import quote, urljoin, urlsplit

import markdown
import yaml

from .catalogue import Post
from .config import Settings
from .sanitise import clean_html, site_host

FEED_ITEMS = 20
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
# The Markdown extensions mkdocs.yml gives posts, less toc (its anchors mean nothing in a reader).
POST_EXTENSIONS = ["tables", "attr_list", "md_in_html", "def_list", "admonition"]
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_ADDRESS = re.compile(r'\b(src|href)="([^"]*)"')


def absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + quote(path)


def site_config(settings: Settings) -> dict:
    """mkdocs.yml as read, for the site-wide values the settings do not hold (site_description,
    extra.site), read as tree.py reads the file; Python tags (!!python/name for Material's
    emoji options) are left unread."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        with open(settings.root / "mkdocs.yml", encoding="utf-8-sig") as f:
            config = yaml.load(f, Loader=Loader) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}


def site_description(settings: Settings) -> str:
    return str(site_config(settings).get("site_description") or "")


def post_html(post: Post, site_url: str, settings: Settings) -> str:
    """The post's body and photo series as HTML for a feed reader: through the same allow-list
    as the page (sanitise.py), every address made absolute (a reader has no page to resolve
    `photo.jpg` against)."""
    text = (settings.docs_dir / post.path).read_text(encoding="utf-8-sig")
    match = _FRONT_MATTER.match(text)
    body = text[match.end() :] if match else text
    parts = [markdown.markdown(body, extensions=POST_EXTENSIONS)]
    for photo in post.photos:
        src = posixpath.relpath(photo["image"], posixpath.dirname(post.path))
        caption = html.escape(photo["caption"])
        parts.append(
            f'<figure><img src="{html.escape(src)}" alt="{caption}"><figcaption>{caption}</figcaption></figure>'
        )
    cleaned = clean_html("\n".join(parts), site_host(site_url))
    # Relative addresses are the source file's, as the editor wrote them: under docs/, which
    # the site mirrors; a link to another page's .md goes to that page.
    base = absolute(site_url, posixpath.dirname(post.path) + "/")

    def absolute_address(match: re.Match) -> str:
        value = html.unescape(match.group(2))
        if urlsplit(value).scheme or value.startswith(("#", "//")):
            return match.group(0)
        path, _, fragment = value.partition("#")
        if path.endswith(".md"):
            path = path[:-3] + "/" if not path.endswith("index.md") else path[:-8]
        target = urljoin(base, path) + ("#" + fragment if fragment else "")
        return f'{match.group(1)}="{html.escape(target)}"'

    return _ADDRESS.sub(absolute_address, cleaned)


def rss_feed(news: list[Post], site_name: str, site_url: str, settings: Settings, description: str = "") -> bytes:
    ET.register_namespace("atom", ATOM)
    ET.register_namespace("content", CONTENT)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = site_name
    ET.SubElement(channel, "link").text = absolute(site_url, settings.news_dir + "/")
    # What the site is about (site_description), not its name a second time.
    ET.SubElement(channel, "description").text = description or site_description(settings) or site_name
    ET.SubElement(channel, "language").text = {"zh": "zh-CN", "zh-Hant": "zh-TW"}.get(settings.language, "en")
    # The newest post's date, not the clock: two builds of the same content give the same feed.
    if news:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(news[0].date)
    ET.SubElement(
        channel,
        f"{{{ATOM}}}link",
        {"href": absolute(site_url, settings.news_dir + "/feed.xml"), "rel": "self", "type": "application/rss+xml"},
    )
    for post in news[:FEED_ITEMS]:
        item = ET.SubElement(channel, "item")
        link = absolute(site_url, post.url)
        ET.SubElement(item, "title").text = post.title
        ET.SubElement(item, "link").text = link
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = link
        ET.SubElement(item, "pubDate").text = format_datetime(post.date)
        ET.SubElement(item, "category").text = post.category.name
        # RSS readers take <description> as HTML, and the summary is plain text: escaped, a
        # "<img onerror>" in it shows as typed instead of running in the reader.
        ET.SubElement(item, "description").text = html.escape(post.excerpt)
        ET.SubElement(item, f"{{{CONTENT}}}encoded").text = post_html(post, site_url, settings)
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"
