"""What search engines read on the built demo: structured data (schema.org JSON-LD) with every
property Google recommends for an event or a news article that the data can fill, in both
copies; hreflang pairs that name each other; sitemaps dated by the content; a robots.txt that
names both copies' sitemaps; and, in Chromium, that no page fetches a sitemap for its language
switch."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

SITE = "https://peixun.daiyue.edu.cn/"
HANT = SITE + "zh-hant/"

pytestmark = pytest.mark.site


def jsonld(page: Path) -> dict:
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    return json.loads(block)


@pytest.mark.parametrize(("copy", "language"), [("", "zh-CN"), ("zh-hant", "zh-Hant")])
def test_every_programme_is_an_event_with_place_offer_and_performers(demo_site: Path, copy: str, language: str):
    root = demo_site / copy if copy else demo_site
    for source in sorted((ROOT / "programmes").glob("*.yml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        event = jsonld(root / "programmes" / source.stem / "index.html")
        assert event["@type"] == "EducationEvent" and event["inLanguage"] == language
        places = event["location"] if isinstance(event["location"], list) else [event["location"]]
        assert places[0]["address"]["@type"] == "PostalAddress", source.stem
        assert event["performer"] and all(p["@type"] == "Person" and p["url"] for p in event["performer"])
        streamed = "线上直播" in source.read_text(encoding="utf-8")
        mode = "Mixed" if streamed else "Offline"
        assert event["eventAttendanceMode"] == f"https://schema.org/{mode}EventAttendanceMode", source.stem
        assert any(p["@type"] == "VirtualLocation" for p in places) == streamed
        if "fee" in data:
            assert event["offers"]["@type"] == "Offer" and event["offers"]["priceCurrency"] == "CNY"
            if isinstance(data["fee"], int):
                assert event["offers"]["price"] == data["fee"]
            elif "免费" in data["fee"] or "不收" in data["fee"]:
                assert event["offers"]["price"] == 0


def test_a_news_article_tells_a_person_from_a_unit(demo_site: Path):
    for page in sorted(demo_site.glob("news/20*/*/index.html")):
        article = jsonld(page)
        assert article["@type"] == "NewsArticle" and article["inLanguage"] == "zh-CN"
        authors = article["author"] if isinstance(article["author"], list) else [article["author"]]
        for author in authors:
            unit = len(author["name"]) > 4
            assert author["@type"] == ("Organization" if unit else "Person"), author


def test_robots_txt_names_both_copies_sitemaps(demo_site: Path):
    lines = (demo_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    maps = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    assert maps == ["https://peixun.daiyue.edu.cn/sitemap.xml", "https://peixun.daiyue.edu.cn/zh-hant/sitemap.xml"]
    for url in maps:
        assert (demo_site / url.removeprefix("https://peixun.daiyue.edu.cn/")).is_file()


class Head(HTMLParser):
    """The <link> and <meta> elements of a page, as a crawler reads them from the HTML sent."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[dict] = []
        self.meta: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "link":
            self.links.append(dict(attrs))
        elif tag == "meta":
            self.meta.append(dict(attrs))

    def alternates(self) -> dict[str, str]:
        found = [(a["hreflang"], a["href"]) for a in self.links if a.get("rel") == "alternate" and "hreflang" in a]
        assert len(found) == len(dict(found)), found  # one address per language
        return dict(found)

    def property(self, name: str) -> list[str]:
        return [m["content"] for m in self.meta if m.get("property") == name]


def pages_of(site: Path) -> dict[str, Path]:
    """Every page of both copies by its full address (the 404 pages have none)."""
    return {
        SITE + page.relative_to(site).parent.as_posix().removeprefix(".") + ("/" if page.parent != site else ""): page
        for page in sorted(site.rglob("index.html"))
        if not page.relative_to(site).as_posix().startswith(("assets/", "pagefind/"))
    }


def test_hreflang_pairs_name_each_other_on_every_page_of_both_copies(demo_site: Path):
    pages = pages_of(demo_site)
    heads = {url: Head(page.read_text(encoding="utf-8")) for url, page in pages.items()}
    assert len(heads) > 200 and SITE in heads and HANT in heads
    paired = 0
    for url, head in heads.items():
        alternates = head.alternates()
        canonical = [a["href"] for a in head.links if a.get("rel") == "canonical"]
        if url.startswith(HANT + "editors/"):
            # Kept in Simplified in the Traditional copy: a copy of the Simplified page, no
            # zh-Hant version of it, and so no hreflang at all.
            assert alternates == {} and canonical == [SITE + url.removeprefix(HANT)], url
            continue
        assert canonical == [url]
        assert all(href.startswith("https://") for href in alternates.values()), url
        assert alternates.get("x-default") == alternates["zh-Hans"], url
        own = "zh-Hant" if url.startswith(HANT) else "zh-Hans"
        assert alternates[own] == url, url  # the page names itself
        for language, href in alternates.items():
            assert href in heads, f"{url}: {language} {href} is no page"
            if language != "x-default":
                assert heads[href].alternates().get(own) == url, f"{href} does not name {url} back"
        if "zh-Hant" in alternates:
            paired += 1
        else:
            assert url.startswith(SITE + "editors/"), f"{url} has no zh-Hant counterpart"
    assert paired > 200


def test_og_locale_is_each_copys_and_the_other_copys_the_alternate(demo_site: Path):
    for page, locale, alternate in [
        (demo_site / "index.html", "zh_CN", "zh_TW"),
        (demo_site / "zh-hant/index.html", "zh_TW", "zh_CN"),
        (demo_site / "zh-hant/programmes/index.html", "zh_TW", "zh_CN"),
    ]:
        head = Head(page.read_text(encoding="utf-8"))
        assert head.property("og:locale") == [locale] and head.property("og:locale:alternate") == [alternate]
    # The editors' guide stays Simplified in the Traditional copy.
    head = Head((demo_site / "zh-hant/editors/index.html").read_text(encoding="utf-8"))
    assert head.property("og:locale") == ["zh_CN"] and head.property("og:locale:alternate") == []


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def lastmods(sitemap: Path) -> dict[str, str | None]:
    root = ET.parse(sitemap).getroot()
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")}


@pytest.mark.parametrize("copy", ["", "zh-hant/"])
def test_sitemap_dates_come_from_the_content_not_the_build_day(demo_site: Path, copy: str):
    dates = lastmods(demo_site / copy / "sitemap.xml")
    assert len(dates) > 100
    build_date = date(2026, 11, 22)  # conftest's SOURCE_DATE_EPOCH, in Beijing time
    for url, day in dates.items():
        assert day is None or date.fromisoformat(day) <= build_date, (url, day)
    # A post: its own date, in Beijing time (its address holds the date it was written with).
    posts = {url: m for url in dates if (m := re.search(r"/news/(\d{4})/(\d\d)-(\d\d)-[^/]+/$", url))}
    assert len(posts) >= 5
    for url, m in posts.items():
        assert dates[url] == "-".join(m.groups()), url
    # A programme that ended: the day after its last day (its status changed then), or a later
    # post about it.
    data = yaml.safe_load((ROOT / "programmes/2025-shebao-jingban-yanxiuban.yml").read_text(encoding="utf-8"))
    day = dates[f"{SITE}{copy}programmes/2025-shebao-jingban-yanxiuban/"]
    assert day is not None and date.fromisoformat(day) > data["dates"]["end"]
    # The editors' guide has no date in the content: no date rather than the build day.
    assert dates[f"{SITE}{copy}editors/"] is None
    assert sum(1 for day in dates.values() if day == build_date.isoformat()) < len(dates) / 4


@pytest.mark.browser
def test_no_page_fetches_a_sitemap_and_the_switch_leads_to_the_same_page(browser, served):
    """Material's bundle fetched both copies' sitemap.xml on every page load (about 28% of a
    page's transfer) to find where its language switch leads; the switch now links to the
    counterpart page itself."""
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    start = served + "programmes/2025-shebao-jingban-yanxiuban/"
    page.goto(start, wait_until="networkidle")
    assert page.evaluate("document.documentElement.classList.contains('js')")  # Material's bundle ran
    # The links are back as sent, for whatever reads the page after it loaded.
    assert page.evaluate("document.querySelectorAll('link[rel=alternate][hreflang]').length") == 3
    assert page.evaluate("document.querySelectorAll('link[rel=alternate][type=\"application/rss+xml\"]').length") == 1
    page.hover(".md-header__option .md-select")
    page.click('.md-select__link[hreflang="zh-Hant"]')
    page.wait_for_load_state("networkidle")
    assert page.url == served + "zh-hant/programmes/2025-shebao-jingban-yanxiuban/"
    page.hover(".md-header__option .md-select")
    page.click('.md-select__link[hreflang="zh-Hans"]')
    page.wait_for_load_state("networkidle")
    assert page.url == start
    assert [url for url in requested if "sitemap" in url] == []
    assert len(requested) > 5  # the pages and their assets were seen loading
    page.close()


@pytest.mark.parametrize("copy", ["", "zh-hant/"])
def test_every_page_has_a_share_image_that_is_served(demo_site: Path, copy: str):
    """WeChat and other share cards take og:image: a page's own photo where it has one, else
    the site's extra.site.share_image, by its full address, pointing at a file the site has."""
    site = "https://peixun.daiyue.edu.cn/"
    pages = sorted((demo_site / copy).glob("**/index.html")) if copy else sorted(demo_site.glob("**/index.html"))
    pages = [p for p in pages if copy or "zh-hant" not in p.relative_to(demo_site).parts]
    assert len(pages) > 50
    images = {}
    for page in pages:
        (image,) = Head(page.read_text(encoding="utf-8")).property("og:image") or [None]
        assert image and image.startswith(site), page
        assert (demo_site / image.removeprefix(site)).is_file(), (page, image)
        images[image] = images.get(image, 0) + 1
    # One file for both copies: the Traditional copy's pages share the Simplified one's image.
    assert images.get(f"{site}assets/images/share.png", 0) > len(pages) / 2, images
