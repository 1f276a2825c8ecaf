"""Chinese search, as a reader uses it: typing into the search box in real Chromium."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import sync_playwright

from conftest import CHROMIUM_FLAGS


@pytest.fixture(scope="module")
def browser_page(demo_site: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(demo_site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        yield page
        browser.close()
    server.shutdown()


def search(page, query: str) -> list[str]:
    """Type a query as a person would (fill() fires no keyup, so Material would not search)."""
    box = page.locator("input.md-search__input")
    box.focus()
    box.fill("")
    page.keyboard.insert_text(query)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_timeout(300)
    links = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")
    return [unquote(urlparse(link).path) for link in links]


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
def test_chinese_words_are_found_mid_sentence(browser_page, query, expected):
    results = search(browser_page, query)
    assert expected in results, results[:10]


def test_a_result_leads_to_a_page_with_the_word(browser_page):
    search(browser_page, "信访社会工作")
    browser_page.locator(".md-search-result__item > a").first.click()
    browser_page.wait_for_load_state()
    assert "信访" in browser_page.locator("article").inner_text()
