"""The news feed (RSS 2.0): latest posts with Chinese titles, dates in +0800 and absolute links."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from urllib.parse import quote

from .catalogue import Post
from .config import Settings

FEED_ITEMS = 20
ATOM = "http://www.w3.org/2005/Atom"


def absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + quote(path)


def rss_feed(news: list[Post], site_name: str, site_url: str, settings: Settings) -> bytes:
    ET.register_namespace("atom", ATOM)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = site_name
    ET.SubElement(channel, "link").text = absolute(site_url, settings.news_dir + "/")
    ET.SubElement(channel, "description").text = site_name
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
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"
