"""The site under a sub-path, served by a real nginx with the deployers' config, crawled link by link."""

from __future__ import annotations

import gzip
from urllib.parse import urljoin, urlparse

import pytest

from conftest import PREFIX, get
from htmlcheck import Page

pytestmark = pytest.mark.site


def test_every_link_works_and_none_escapes_the_sub_path(served):
    base = served
    origin = urlparse(base)
    seen, queue, broken, escaping = {base}, [base], [], []
    while queue:
        url = queue.pop()
        status, headers, body = get(url)
        if status != 200:
            broken.append(f"{url} -> {status}")
            continue
        if "text/html" not in headers.get("Content-Type", ""):
            continue
        page = Page(body.decode("utf-8"))
        for href in page.links + page.resources:
            target = urljoin(url, href).split("#")[0]
            parsed = urlparse(target)
            if parsed.scheme not in ("http", "https") or parsed.netloc != origin.netloc:
                continue  # mailto: and other sites (the ICP record site) are not ours to crawl
            if not parsed.path.startswith(PREFIX):
                escaping.append(f"{url}: {href}")
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert broken == []
    assert escaping == []
    assert len(seen) > 100  # the crawl reached the whole site, not one page


def test_missing_page_gets_the_404_page(served):
    status, _, body = get(served + "programmes/no-such-programme/")
    assert status == 404
    text = body.decode("utf-8")
    assert "404" in text
    for href in Page(text).resources:
        assert urljoin(served + "programmes/no-such-programme/", href).startswith(served) or href.startswith("data:")


def test_assets_are_compressed_and_cached(served):
    status, headers, body = get(served, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    html = gzip.decompress(body).decode("utf-8")
    css = next(h for h in Page(html).resources if "main." in h and h.endswith(".css"))
    status, headers, _ = get(urljoin(served, css), {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers.get("Cache-Control", "")
    assert get(served)[1].get("Cache-Control") == "no-cache"
