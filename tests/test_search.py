"""Chinese search, as a reader uses it: the header form and the search page in real Chromium,
over the Pagefind index built with the site."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest

pytestmark = pytest.mark.browser

RESULT_LINK = ".pagefind-ui__result-link"


@pytest.fixture(scope="module")
def site_url(demo_site: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(demo_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def results(page) -> list[str]:
    """Every result page, in order, after pressing 加载更多 until all are shown."""
    page.wait_for_selector(RESULT_LINK, timeout=15000)
    more = page.locator("button.pagefind-ui__button")
    while more.count() and more.is_visible():
        more.click()
        page.wait_for_timeout(200)
    page.wait_for_timeout(300)
    links = page.locator(RESULT_LINK)  # sub-results (headings within a page) repeat its path
    paths = [unquote(urlparse(link).path) for link in links.evaluate_all("els => els.map(e => e.href)")]
    return list(dict.fromkeys(paths))


def search(page, site_url: str, query: str, root: str = "") -> list[str]:
    page.goto(f"{site_url}{root}search/?q={quote(query)}")
    return results(page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("研修班", "/programmes/2025-shebao-jingban-yanxiuban/"),  # a word in the middle of titles
        ("社会保险", "/programmes/2025-shebao-jingban-yanxiuban/"),
        ("现场教学", "/news/2025/06-11-shebao-yanxiuban-xianchang-jiaoxue/"),
        ("张文华", "/lecturers/zhang-wenhua/"),
        ("孟良崮", "/sites/menglianggu-memorial/"),
    ],
)
def test_chinese_words_are_found_mid_sentence(page, site_url, query, expected):
    found = search(page, site_url, query)
    assert expected in found, found[:10]


def test_the_header_form_leads_to_results(page, site_url):
    """A reader types into the box in the header of any page and presses Enter."""
    page.goto(site_url + "programmes/")
    box = page.locator("input.brochure-search-form__input")
    box.fill("孟良崮")
    box.press("Enter")
    assert "/sites/menglianggu-memorial/" in results(page)
    assert "q=" in page.url  # the search can be shared or reloaded


def test_on_a_phone_the_search_icon_opens_the_search_page(browser, site_url):
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(site_url + "news/")
    assert not phone.locator("input.brochure-search-form__input").is_visible()
    phone.locator("a.brochure-search-icon").click()
    phone.wait_for_selector(".pagefind-ui__search-input")
    phone.locator(".pagefind-ui__search-input").fill("现场教学")
    assert any(path.startswith("/news/") for path in results(phone))
    phone.close()


def test_a_result_leads_to_a_page_with_the_word(page, site_url):
    search(page, site_url, "信访社会工作")
    page.locator(RESULT_LINK).first.click()
    page.wait_for_load_state()
    assert "信访" in page.locator("article").inner_text()


def test_traditional_copy_searches_its_own_pages(page, site_url, demo_site):
    if not (demo_site / "zh-hant").exists():
        pytest.skip("the demo is built without the Traditional copy")
    found = search(page, site_url, "社會保險", root="zh-hant/")
    assert "/zh-hant/programmes/2025-shebao-jingban-yanxiuban/" in found
    assert all(path.startswith("/zh-hant/") for path in found)


def test_listings_and_page_furniture_are_not_results(page, site_url):
    """Index, tag and archive pages would crowd out the pages they list; the footer's filing
    number, on every page, must not make every page a hit."""
    found = search(page, site_url, "研修班")
    assert not [path for path in found if "/tags/" in path or "/archive/" in path or path.endswith("/news/")]
    page.goto(f"{site_url}search/?q={quote('鲁ICP备')}")
    page.wait_for_selector(".pagefind-ui__message", timeout=15000)
    page.wait_for_timeout(500)
    assert page.locator(RESULT_LINK).count() == 0


def test_one_query_downloads_little(page, site_url):
    """Pagefind loads the chunks a query needs, not the whole index."""
    sizes: list[int] = []
    page.on("response", lambda r: sizes.append(len(r.body())) if "/pagefind/" in r.url else None)
    search(page, site_url, "研修班")
    assert 0 < sum(sizes) < 500 * 1024
