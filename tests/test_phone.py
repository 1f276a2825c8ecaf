"""Every page type read on a phone (390×844) and on a desktop (1366×900), issue 20.

On a phone no page is wider than the screen, no lecturer's name breaks across two lines, and
axe-core finds nothing at either size. The header shows the institution's emblem and its name
whole (the short name on a phone), the home page its banner, and news lists full dates with a
thumbnail only where a post has a cover. Screenshots of each page at both sizes go to
/tmp/shots/ (or $SHOTS) for a person to look at; `bash scripts/screenshots` makes the ones in
the editors' guide.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_checkout, png, run_brochure, static_server

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path(os.environ.get("SHOTS", "/tmp/shots"))
AXE = ROOT / "node_modules/axe-core/axe.min.js"

# One page of every type, and the Traditional copy's home and programme page: those where
# names broke across lines before (郭/芸, 杨/淑芬, 马/建军, the credits' 审/核发布).
PAGES = {
    "home": "",
    "programme": "programmes/2025-xinfang-shegong-shixun/",
    "lecturer": "lecturers/guo-yun/",
    "site": "sites/menglianggu-memorial/",
    "organisation": "organisations/daiyue-spa/",
    "post": "news/2025/11-21-yiqing-fangkong-peixunban-jieye/",
    "news-list": "news/",
    "programme-list": "programmes/",
    "lecturer-list": "lecturers/",
    "archive": "news/archive/2025/",
    "hant-home": "zh-hant/",
    "hant-programme": "zh-hant/programmes/2025-xinfang-shegong-shixun/",
}
# Pages checked for width and by axe, but not for whole names: the search page's excerpts are
# Pagefind's plain text, cut where the index cuts them.
OTHER_PAGES = {
    "not-found": "404.html",
    "hant-not-found": "zh-hant/404.html",
    "search": "search/?q=%E9%83%AD%E8%8A%B8",  # 郭芸
}
EVERY_PAGE = {**PAGES, **OTHER_PAGES}
# The programme with the longest timetable (12 days, once 12 tables).
TIMETABLE = "programmes/2025-shebao-jingban-yanxiuban/"
# A post whose own text (the editor's Markdown, not a template) names a lecturer where the
# line ends. Nothing in the templates or the stylesheet can keep that name whole.
PROSE = "news/2025/09-19-xinfang-shegong-shixun-jineng-yanlian/"


def mkdocs_config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def library_names() -> list[str]:
    """The lecturers' names, and each credit's role with its colon (编辑：, 审核发布：)."""
    data = yaml.safe_load((ROOT / "programmes/libraries/lecturers.yml").read_text(encoding="utf-8"))
    config = mkdocs_config()
    (brochure,) = [p["brochure"] for p in config["plugins"] if isinstance(p, dict) and "brochure" in p]
    return [entry["name"] for entry in data["lecturers"]] + [f"{role}：" for role in brochure["credit_roles"]]


@pytest.fixture(scope="module")
def site_dir(request) -> Path:
    """The demo built for this run; $PHONE_SITE names a site already built, to iterate faster."""
    if os.environ.get("PHONE_SITE"):
        return Path(os.environ["PHONE_SITE"])
    return request.getfixturevalue("demo_site")


@pytest.fixture(scope="module")
def site_url(site_dir: Path):
    server, url = static_server(site_dir)
    yield url
    server.shutdown()


# The demo has no photos; this copy gives two posts a cover, the open programme a cover and one
# lecturer a portrait, so thumbnails and portraits are seen as a reader gets them.
COVERED_POSTS = ("2026/11-16-shequ-zhili-peixunban-zhaosheng-tongzhi.md", "2025/06-09-shebao-yanxiuban-kaiban.md")
COVERED_PROGRAMME = "2027-shequ-zhili-nengli-tisheng-peixunban"
PORTRAIT = "guo-yun"


@pytest.fixture(scope="module")
def pictured_url(tmp_path_factory):
    work = tmp_path_factory.mktemp("pictured")
    project = copy_checkout(work / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("zh_hant: true", "zh_hant: false")
    config.write_text(text.replace("pdf: true ", "pdf: false "), encoding="utf-8")
    for name in COVERED_POSTS:
        post = project / "docs/news" / name
        (post.parent / "cover.png").write_bytes(png(480, 320))
        head, body = post.read_text(encoding="utf-8").split("\ncategory:", 1)
        post.write_text(f"{head}\ncover:\n  image: cover.png\n  alt: 开班仪式现场\ncategory:{body}", encoding="utf-8")
    images = project / "docs/assets/images"
    (images / "test-programme.png").write_bytes(png(640, 360))
    (images / "test-portrait.png").write_bytes(png(300, 400))
    programme = project / "programmes" / f"{COVERED_PROGRAMME}.yml"
    cover = "cover:\n  image: assets/images/test-programme.png\n  alt: 学员在社区服务中心交流\n"
    programme.write_text(programme.read_text(encoding="utf-8").rstrip("\n") + "\n" + cover, encoding="utf-8")
    lecturers = project / "programmes/libraries/lecturers.yml"
    text = lecturers.read_text(encoding="utf-8")
    end = text.index("\n", text.index("name:", text.index(f"- id: {PORTRAIT}\n")))
    photo = "    photo: assets/images/test-portrait.png\n"
    lecturers.write_text(text[: end + 1] + photo + text[end + 1 :], encoding="utf-8")
    result = run_brochure(project, "build", "--strict", "-d", str(work / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = static_server(work / "site")
    yield url
    server.shutdown()


def open_page(browser, url: str, viewport: dict, shot: str):
    page = browser.new_page(viewport=viewport)
    page.goto(url)
    page.wait_for_load_state("load")
    if "/search/?q=" in url:
        page.wait_for_selector(".brochure-search__result")
    page.wait_for_timeout(400)  # Material's header tabs fade in
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    return page


# Every occurrence of each name in the page's visible text, and the line boxes it lies on: a
# name on two lines has rectangles at two heights.
SPLIT_NAMES = """
names => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    const el = node.parentElement;
    if (!el || !el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    for (const name of names) {
      for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
        range.setStart(node, i);
        range.setEnd(node, i + name.length);
        const tops = new Set();
        for (const r of range.getClientRects()) {
          if (r.width > 0 && r.height > 0) tops.add(Math.round(r.top));
        }
        if (tops.size > 1) found.push(name + ' in ' + el.tagName + ': ' + text.trim().slice(0, 40));
      }
    }
  }
  return found;
}
"""


@pytest.mark.parametrize("kind", EVERY_PAGE)
def test_on_a_phone_nothing_is_wider_than_the_screen(browser, site_url, kind):
    page = open_page(browser, site_url + EVERY_PAGE[kind], PHONE, f"{kind}-390")
    width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('article *')]
             .filter(e => e.clientWidth > 1)  // not the visually hidden (a card table's column headings)
             .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
             .map(e => e.tagName + '.' + e.className)"""
    )
    page.close()
    assert width <= inner, f"{kind}: the page is {width} px wide on a {inner} px screen"
    assert not wide, f"{kind}: these scroll sideways: {wide}"


# "post-prose": a post whose editor's own text names lecturers (not a template's link).
NAME_PAGES = [*PAGES, "post-prose"]


@pytest.mark.parametrize("kind", NAME_PAGES)
def test_on_a_phone_no_name_breaks_across_lines(browser, site_url, kind):
    page = open_page(browser, site_url + {**PAGES, "post-prose": PROSE}[kind], PHONE, f"{kind}-390")
    split = page.evaluate(SPLIT_NAMES, library_names())
    page.close()
    assert not split, f"{kind}: {split}"


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
@pytest.mark.parametrize("kind", EVERY_PAGE)
def test_axe_finds_nothing(browser, site_url, kind, viewport):
    page = open_page(browser, site_url + EVERY_PAGE[kind], viewport, f"{kind}-{viewport['width']}")
    violations = axe_violations(page)
    page.close()
    assert not violations, f"{kind} at {viewport['width']} px: " + "\n".join(violations)


def test_the_programme_timetable_is_one_table_on_the_desktop(browser, site_url):
    page = open_page(browser, site_url + TIMETABLE, DESKTOP, "timetable-1366")
    tables = page.evaluate(
        """() => {
          const h = [...document.querySelectorAll('article h2')].find(h => h.textContent.includes('日程'));
          const out = [];
          for (let e = h.nextElementSibling; e && e.tagName !== 'H2'; e = e.nextElementSibling) {
            out.push(...(e.matches('table') ? [e] : e.querySelectorAll('table')));
          }
          return out.map(t => [...t.querySelectorAll('tbody tr:not(.group)')].map(r => r.cells.length));
        }"""
    )
    page.close()
    assert len(tables) == 1, f"the timetable is {len(tables)} tables"
    assert len(set(tables[0])) == 1, "every row has the same columns"


def test_on_a_phone_the_curriculum_shows_every_column(browser, site_url):
    """Format and hours on screen, and the session titles more than a few characters a line."""
    page = open_page(browser, site_url + TIMETABLE, PHONE, "timetable-390")
    off = page.evaluate(
        """() => [...document.querySelectorAll('article *')]
             .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && e.getClientRects().length)
             .map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 20))"""
    )
    page.close()
    assert not off, f"off-screen to the right: {off[:10]}"


def test_phone_numbers_are_tel_links_and_date_ranges_read_as_ranges(browser, site_url):
    """A date range reads 15日至26日: with a dash between two dates, a CJK face draws a stroke
    that reads as the character 一 (15日一26日), wherever the range is printed."""
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + TIMETABLE)
    tel = page.evaluate("[...document.querySelectorAll('article a[href^=\"tel:\"]')].map(a => a.href)")
    dashed, ranges = [], []
    for address in (TIMETABLE, "", "programmes/", PAGES["lecturer"], PAGES["post"], "zh-hant/programmes/"):
        page.goto(site_url + address)
        text = page.evaluate("document.querySelector('article').innerText")
        dashed += [f"{address}: {m}" for m in re.findall(r"\d日\s*[—–―一-]\s*\d+[日月]", text)]
        ranges += re.findall(r"\d+日至\d+[日月]", text)
    page.close()
    assert tel and all(t.startswith("tel:") and " " not in t for t in tel), tel
    assert not dashed, dashed
    assert "9日至13日" in ranges, ranges


def test_body_text_is_justified_and_tables_are_not_smaller(browser, site_url):
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + PAGES["post"])
    align = page.evaluate("getComputedStyle(document.querySelector('article > p:not([class])')).textAlign")
    page.goto(site_url + "editors/")
    sizes = page.evaluate(
        """() => [getComputedStyle(document.querySelector('article > p')).fontSize,
                  ...[...document.querySelectorAll('article td')].map(td => getComputedStyle(td).fontSize)]"""
    )
    page.close()
    assert align == "justify"
    body, *cells = (float(size.rstrip("px")) for size in sizes)
    assert cells and min(cells) >= body, (body, sorted(set(cells)))


# Each news item of a list: its full date, and its images as the reader gets them.
NEWS_ITEMS = r"""
() => [...document.querySelectorAll('.news-rows li, .post-summary')].map(item => {
  const box = item.closest('.news-item') || item;
  const text = (item.querySelector('time, .post-meta') || {}).textContent || '';
  return {
    title: (item.querySelector('a') || {}).textContent,
    date: (text.match(/\d{4}年\d{1,2}月\d{1,2}日/) || [''])[0],
    images: [...box.querySelectorAll('img')].map(img => ({
      loaded: img.complete && img.naturalWidth > 0, src: img.currentSrc, width: img.getBoundingClientRect().width,
      inside: img.getBoundingClientRect().right <= innerWidth,
    })),
  };
})
"""
NEWS_LISTS = ("", "news/", "news/archive/2025/", "news/category/notices/")


# A reader scrolls to each picture: a lazy image below the first screen is fetched only then,
# and how far ahead Chromium fetches depends on its guess of the network's speed (the tests
# once read a thumbnail and a portrait before their fetch had begun). Five seconds each, at most.
SCROLL_TO_IMAGES = r"""
async (selector) => {
  for (const img of document.querySelectorAll(selector)) {
    img.scrollIntoView({block: 'center'});
    if (!img.complete) {
      await Promise.race([new Promise(done => { img.onload = img.onerror = done; }),
                          new Promise(done => setTimeout(done, 5000))]);
    }
  }
  window.scrollTo(0, 0);
}
"""


def news_items(page, url: str) -> list[dict]:
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate(SCROLL_TO_IMAGES, ".news-rows img, .post-summary img")
    return page.evaluate(NEWS_ITEMS)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_news_items_have_full_dates_and_no_empty_picture(browser, site_url, viewport):
    """The demo's posts have no cover: every list shows each post's date with its year, and no
    image, broken or empty, where a post has none."""
    page = browser.new_page(viewport=viewport)
    found = {address: news_items(page, site_url + address) for address in NEWS_LISTS}
    page.close()
    for address, items in found.items():
        assert items, address or "home"
        assert all(item["date"] for item in items), (address, [i for i in items if not i["date"]])
        assert not [i for i in items if i["images"]], address


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_thumbnails_and_portraits_load_where_the_content_has_them(browser, pictured_url, viewport):
    page = browser.new_page(viewport=viewport)
    items = news_items(page, pictured_url) + news_items(page, pictured_url + "news/")
    widths = [page.evaluate("[document.documentElement.scrollWidth, innerWidth]")]
    pictured = [i for i in items if i["images"]]
    # The two covered posts in the news list, and the newer one among the home page's latest news
    # (the home page's 通知公告 is a list of titles only); the others have no image.
    assert len(pictured) == 3, [i["title"] for i in pictured]
    assert len(items) - len(pictured) >= 8, len(items)
    for item in pictured:
        (image,) = item["images"]
        assert image["loaded"] and image["src"].startswith(pictured_url) and image["width"] > 40, item
        assert image["inside"], item
    assert all(item["date"] for item in items)
    shown = {}
    for address, selector in (
        ("", ".enrol-card__cover"),
        ("programmes/", ".programme-card__cover"),
        (f"lecturers/{PORTRAIT}/", ".person__photo"),
        ("lecturers/", ".person-card__photo"),
    ):
        page.goto(pictured_url + address)
        page.wait_for_load_state("load")
        page.evaluate(SCROLL_TO_IMAGES, selector)
        shown[address] = page.evaluate(
            f"[...document.querySelectorAll('{selector}')].map(img => img.complete && img.naturalWidth > 0)"
        )
        widths.append(page.evaluate("[document.documentElement.scrollWidth, innerWidth]"))
    # The lecturers without a photo: their initial, in a circle, never an empty box.
    initials = page.evaluate("[...document.querySelectorAll('.person-card__initial')].map(e => e.textContent.trim())")
    violations = axe_violations(page)
    page.close()
    assert all(v == [True] for v in shown.values()), shown
    assert initials and all(len(i) == 1 for i in initials), initials
    assert all(scroll <= inner for scroll, inner in widths), widths
    assert not violations, violations


def test_permalinks_have_a_chinese_title(browser, site_url):
    page = browser.new_page(viewport=DESKTOP)
    titles = {}
    for kind in ("programme", "hant-programme"):
        page.goto(site_url + PAGES[kind])
        titles[kind] = set(page.evaluate("[...document.querySelectorAll('a.headerlink')].map(a => a.title)"))
    page.close()
    assert titles["programme"] == {"永久链接"}, titles
    # The Traditional copy's words as its OpenCC scheme writes them (s2twp: 永久連結).
    (hant,) = titles["hant-programme"]
    assert hant.startswith("永久") and hant != "永久链接", titles


def test_staff_pages_are_not_in_the_navigation_but_are_served(browser, site_url, site_dir):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url)
    nav = page.evaluate("[...document.querySelectorAll('nav a')].map(a => a.textContent.trim())")
    page.close()
    assert not {"编辑指南", "构建性能"} & set(nav), nav
    assert (site_dir / "editors/index.html").exists()
    assert (site_dir / "benchmarks/index.html").exists()


# The header's emblem and name as a reader sees them: the image loaded, from this site, and the
# name's visible text with its box, which an ellipsis would show as scrollWidth > clientWidth.
HEADER = """
() => {
  const img = document.querySelector('.md-header .md-logo img');
  const box = img.getBoundingClientRect();
  const name = document.querySelector('.md-header__topic .brochure-name');
  const parts = [...name.children].filter(e => e.getClientRects().length);
  return {
    loaded: img.complete && img.naturalWidth > 0, src: img.currentSrc, size: [box.width, box.height],
    inside: box.left >= 0 && box.right <= innerWidth && box.bottom <= 60,
    text: (parts.length ? parts.map(e => e.textContent) : [name.textContent]).map(t => t.trim()),
    scroll: name.scrollWidth, client: name.clientWidth,
  };
}
"""
NARROW = {"width": 360, "height": 780}  # the narrowest phones still common in China


@pytest.mark.parametrize("viewport", [NARROW, PHONE, DESKTOP], ids=["360", "390", "1366"])
@pytest.mark.parametrize("kind", ["home", "programme", "hant-home"])
def test_the_header_shows_the_emblem_and_the_name_whole(browser, site_url, kind, viewport):
    page = open_page(browser, site_url + PAGES[kind], viewport, f"header-{kind}-{viewport['width']}")
    header = page.evaluate(HEADER)
    page.close()
    config = mkdocs_config()
    expected = config["extra"]["site"]["short_name"] if viewport["width"] < 600 else config["site_name"]
    assert header["loaded"] and header["src"].startswith(site_url) and header["inside"], header
    assert min(header["size"]) >= 24, header
    # The Traditional copy: the same name in its script, as long.
    (text,) = header["text"]
    assert text == expected or (kind.startswith("hant") and len(text) == len(expected)), header
    assert header["scroll"] <= header["client"], f"the name is cut: {header}"


def rgb(colour: str) -> tuple[float, ...]:
    """rgb(179, 38, 30) or color(srgb 0.55 0.12 0.09), as 0-255 channels."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    return tuple(n * 255 for n in numbers[:3]) if colour.startswith("color(") else tuple(numbers[:3])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_home_page_has_its_banner_and_bold_dark_headings(browser, site_url, viewport):
    page = open_page(browser, site_url, viewport, f"banner-{viewport['width']}")
    banner = page.evaluate(
        """() => { const img = document.querySelector('.brochure-banner img'); const r = img.getBoundingClientRect();
                   return {loaded: img.complete && img.naturalWidth > 0, src: img.currentSrc, lazy: img.loading,
                           size: [r.width, r.height]}; }"""
    )
    headings = {}
    for kind in ("home", "programme", "post"):
        page.goto(site_url + PAGES[kind])
        style = "getComputedStyle(document.querySelector('article h1'))"
        headings[kind] = page.evaluate(f"[{style}.fontWeight, {style}.color]")
    other = page.evaluate("document.querySelectorAll('.brochure-banner').length")
    page.close()
    assert banner["loaded"] and banner["src"].startswith(site_url) and banner["lazy"] != "lazy", banner
    assert banner["size"][0] == viewport["width"] and 80 <= banner["size"][1] <= 260, banner
    assert other == 0  # the home page's only
    for kind, (weight, colour) in headings.items():
        assert int(weight) >= 700, (kind, weight)
        assert max(rgb(colour)) < 160, f"{kind}: the title is not dark: {colour}"
