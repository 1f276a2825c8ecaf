"""Reading built pages the way a browser would: links, resources, visible text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []  # <a href>
        self.resources: list[str] = []  # what the browser fetches by itself
        self.elements: list[tuple[str, dict]] = []
        self.text_parts: list[str] = []
        self.headings: list[str] = []  # text of h1-h3, without the permalink sign
        self._skip = 0
        self._heading: list[str] | None = None
        self._in_headerlink = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source", "video", "audio") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") in ("stylesheet", "preload", "icon", "manifest"):
            self.resources.append(attrs["href"])
        if tag in ("script", "style"):
            self._skip += 1
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        if tag == "a" and "headerlink" in (attrs.get("class") or ""):
            self._in_headerlink = True

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        if tag == "a":
            self._in_headerlink = False

    def handle_data(self, data):
        if not self._skip and not self._in_headerlink:
            self.text_parts.append(data)
            if self._heading is not None:
                self._heading.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def read(site: Path, url_path: str) -> Page:
    path = site / url_path.strip("/")
    if path.is_dir() or not path.suffix:
        path = path / "index.html"
    return Page(path.read_text(encoding="utf-8"))


def local_target(site: Path, page_file: Path, href: str) -> Path | None:
    """The file an internal link leads to, or None for external and in-page links."""
    parsed = urlparse(href)
    if parsed.scheme or parsed.netloc or href.startswith(("#", "mailto:", "tel:")):
        return None
    page_url = "/" + page_file.relative_to(site).as_posix()
    target = unquote(urlparse(urljoin(page_url, parsed.path)).path)
    path = site / target.lstrip("/")
    if target.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def broken_links(site: Path) -> list[str]:
    """Every link and resource on every built page that leads to no file in the site."""
    broken = []
    for html_file in site.rglob("*.html"):
        page = Page(html_file.read_text(encoding="utf-8"))
        for href in page.links + page.resources:
            target = local_target(site, html_file, href)
            if target is not None and not target.exists():
                broken.append(f"{html_file.relative_to(site)} -> {href}")
    return broken
