"""The same site from every builder: the MkDocs plugin, plain MkDocs on `brochure generate`'s
tree with no plugin of ours, and Zensical (`brochure build --builder zensical`).

The theme's own files differ between MkDocs with Material and Zensical; what a reader comes
for must not: the pages and their addresses, each page's article text, the PDFs, calendars,
feed and data files, search, and links that all lead somewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import copy_checkout, run_brochure, static_server
from htmlcheck import Page, broken_links, local_target

pytestmark = pytest.mark.site

# What each builder's theme brings along, and Zensical's own search index beside Pagefind's.
THEME_FILES = ("assets/javascripts/", "assets/stylesheets/", "pagefind/", "search.json", "sitemap.xml.gz")


class Article(HTMLParser):
    """The text of a page's article (the theme's md-content__inner), which is what the recipe
    made, without the header, nav and footer around it."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hidden = 0
        self.parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag == "article"
            # The search index's name tokens (namefilters.py) are no text a reader sees.
            self.hidden += tag == "span" and "hidden" in dict(attrs)
        elif tag == "article" and "md-content__inner" in (dict(attrs).get("class") or ""):
            self.depth = 1

    def handle_endtag(self, tag):
        if self.hidden and tag == "span":
            self.hidden -= 1
        elif self.depth and tag == "article":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).replace("¶", "").split())


def files(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and not any(part in p.relative_to(site).as_posix() for part in THEME_FILES)
    }


def pages(site: Path) -> dict[str, str]:
    html = [name for name in files(site) if name.endswith(".html")]
    return {name: Article((site / name).read_text(encoding="utf-8")).text for name in html}


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("zensical")
    out = work / "site"
    result = run_brochure(copy_checkout(work / "project"), "build", "--builder", "zensical", "--strict", "-d", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def plain_mkdocs_site(tmp_path_factory) -> Path:
    """`brochure generate`, then MkDocs with no plugin of ours, the Traditional copy second."""
    work = tmp_path_factory.mktemp("plain")
    project = copy_checkout(work / "project")
    result = run_brochure(project, "generate", "-o", str(work / "tree"))
    assert result.returncode == 0, result.stderr
    for config in ("mkdocs.yml", "mkdocs.zh-hant.yml"):
        text = (work / "tree" / config).read_text(encoding="utf-8")
        assert "brochure" not in text.split("plugins:", 1)[1].split("\n", 1)[0]  # plugins: []
        built = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(work / "tree" / config)],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        assert built.returncode == 0, built.stderr
    return work / "tree/site"


@pytest.mark.parametrize("builder", ["zensical_site", "plain_mkdocs_site"])
def test_every_builder_gives_the_same_pages_and_side_files(builder, demo_site, request):
    other = request.getfixturevalue(builder)
    ours, theirs = files(demo_site), files(other)
    assert len(ours) > 250  # both copies: pages, PDFs, calendars, data, feeds
    assert theirs == ours
    side_files = [name for name in ours if name.endswith((".pdf", ".ics", ".json", ".xml")) and "sitemap" not in name]
    assert any(name.endswith(".pdf") for name in side_files) and "zh-hant/news/feed.xml" in side_files
    assert [n for n in side_files if (demo_site / n).read_bytes() != (other / n).read_bytes()] == []


@pytest.mark.parametrize("builder", ["zensical_site", "plain_mkdocs_site"])
def test_every_builder_gives_the_same_article_text(builder, demo_site, request):
    ours, theirs = pages(demo_site), pages(request.getfixturevalue(builder))
    assert ours.keys() == theirs.keys()
    differing = [name for name in sorted(ours) if ours[name] != theirs[name]]
    assert differing == [], (differing[:3], [(ours[n][:300], theirs[n][:300]) for n in differing[:1]])
    post = "news/2025/06-09-shebao-yanxiuban-kaiban/index.html"
    assert (
        "审核发布：张文华" in theirs[post] and "相关培训项目" in theirs[post]
    )  # the post's credits and programme card
    assert "岱岳大学" in theirs["index.html"] and "岱岳大學" in theirs["zh-hant/index.html"]  # each in its script


def test_zensical_gives_the_head_metadata_and_the_language_switch(zensical_site):
    page = (zensical_site / "news/2025/06-09-shebao-yanxiuban-kaiban/index.html").read_text(encoding="utf-8")
    assert '"@type": "NewsArticle"' in page or '"@type":"NewsArticle"' in page
    assert '<meta name="ArticleTitle"' in page and 'hreflang="zh-Hant"' in page
    assert "feed_rss_created.xml" not in page  # Material's rss-plugin links, which led nowhere
    hant = (zensical_site / "zh-hant/index.html").read_text(encoding="utf-8")
    assert 'lang="zh-Hant"' in hant


def test_no_link_on_the_zensical_site_is_broken(zensical_site):
    assert broken_links(zensical_site) == []


@pytest.mark.browser
def test_search_on_the_zensical_site_finds_what_the_mkdocs_site_finds(zensical_site, demo_site, browser):
    from test_search import results

    found = {}
    for name, site in (("mkdocs", demo_site), ("zensical", zensical_site)):
        server, address = static_server(site)
        page = browser.new_page()
        try:
            page.goto(f"{address}search/?q={quote('孟良崮')}")
            found[name] = results(page)
        finally:
            page.close()
            server.shutdown()
    assert "/sites/menglianggu-memorial/" in found["zensical"]
    assert found["zensical"] == found["mkdocs"]


def test_a_post_whose_address_is_not_its_file_name_keeps_its_photo_and_links(project, tmp_path):
    """A post kept in a folder of its own, named in Chinese, with `slug:`, lives at
    news/2025/06-09-kaiban/. In the tree it is written there, so its relative photo and links
    must be made to lead where they led."""
    from conftest import REVIEWED_POST, png

    body = "\n![合影](images/合影.png)\n\n详见[班次](../../../programmes/2025-test-yanxiuban.md)。\n"
    project.write("docs/news/2025/06/开班报道.md", REVIEWED_POST + body)
    project.write("docs/news/2025/06/images/合影.png", png(40, 30))
    built = project.brochure("build", "--strict", "-d", str(tmp_path / "ours"))
    assert built.returncode == 0, built.stderr
    generated = project.brochure("generate", "-o", str(tmp_path / "tree"))
    assert generated.returncode == 0, generated.stderr
    post = tmp_path / "tree/docs/news/2025/06-09-kaiban.md"
    assert "![合影](06/images/合影.png)" in post.read_text(encoding="utf-8")
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "tree/mkdocs.yml")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert plain.returncode == 0, plain.stderr
    for site in (tmp_path / "ours", tmp_path / "tree/site"):
        page_file = site / "news/2025/06-09-kaiban/index.html"
        page = Page(page_file.read_text(encoding="utf-8"))
        targets = [local_target(site, page_file, href) for href in page.links + page.resources]
        assert [t for t in targets if t is not None and not t.exists()] == []
        assert any(t is not None and t.name == "合影.png" for t in targets)
        assert any(href.endswith("programmes/2025-test-yanxiuban/") for href in page.links)
    listing = (tmp_path / "tree/site/news/index.html").read_text(encoding="utf-8")
    assert "2025/06-09-kaiban/" in listing
