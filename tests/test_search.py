"""Chinese search, as a reader uses it: the header form and the search page in real Chromium,
over the Pagefind index built with the site, in both copies (site/ and site/zh-hant/).

The recall test reads every lecturer's, site's and organisation's name from the catalogue and
checks that the search page returns exactly the pages whose article text holds the name,
computed here from the built HTML, not from a list written by hand."""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pytest
import yaml

from brochure.benchmark import bytes_by_address, search_bytes
from conftest import ROOT, static_server

pytestmark = pytest.mark.browser

RESULT_LINK = ".brochure-search__title"
LIBRARIES = ("lecturers", "sites", "organisations")
OWN_PAGE = ("/lecturers/", "/sites/", "/organisations/")
# Characters that hold a number or a Latin word together: an excerpt may not begin or end
# between two of them.
TIGHT = re.compile(r"[0-9A-Za-z.:：%／/\-–—~～·]")


@pytest.fixture(scope="module")
def site_url(demo_site: Path):
    server, url = static_server(demo_site)
    yield url
    server.shutdown()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def wait_done(page, query: str | None = None) -> None:
    page.wait_for_function(
        """q => { const r = document.getElementById("brochure-search");
                 return r && (r.dataset.state === "done" || r.dataset.state === "error")
                        && (q === null || r.dataset.query === q); }""",
        arg=query,
        timeout=15000,
    )


def shown(page) -> list[str]:
    """Every result, in order, after pressing 显示更多结果 until all are shown."""
    more = page.locator("button.brochure-search__more")
    while more.is_visible():
        count = page.locator(RESULT_LINK).count()
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('.brochure-search__title').length > n", arg=count, timeout=10000
        )
    hrefs = page.locator(RESULT_LINK).evaluate_all("els => els.map(e => e.href)")
    return [unquote(urlparse(href).path) for href in hrefs]


def results(page) -> list[str]:
    wait_done(page)
    return shown(page)


def search(page, site_url: str, query: str, root: str = "") -> list[str]:
    page.goto(f"{site_url}{root}search/?q={quote(query)}")
    return results(page)


def type_query(page, query: str) -> list[str]:
    """A reader types into the page's box and presses Enter: the same path as every search."""
    box = page.locator("input.brochure-search__input")
    box.fill(query)
    box.press("Enter")
    wait_done(page, query)
    return shown(page)


# --- What the built pages say ----------------------------------------------------------


class ArticleText(html.parser.HTMLParser):
    """The text of <article data-pagefind-body>, as Pagefind reads it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            if tag in ("article", "div", "section"):
                self.depth += 1
            if tag in ("script", "style"):
                self.skip += 1
        elif tag == "article" and "data-pagefind-body" in dict(attrs):
            self.depth = 1

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag in ("script", "style"):
            self.skip -= 1
        if tag in ("article", "div", "section"):
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def article_texts(site: Path, root: str) -> dict[str, str]:
    """URL path -> article text, for every indexed page of one copy."""
    base = site / root if root else site
    texts = {}
    for path in base.rglob("index.html"):
        relative = path.relative_to(site).as_posix()
        if not root and relative.startswith("zh-hant/"):
            continue
        parser = ArticleText()
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.parts:
            texts["/" + relative[: -len("index.html")]] = "".join(parser.parts)
    return texts


def catalogue_names(root: str) -> dict[str, str]:
    """Name -> its own page's path, for every lecturer, site and organisation; on the
    Traditional copy converted as the build converts them."""
    convert = (lambda s: s) if not root else traditional()
    names = {}
    for library in LIBRARIES:
        data = yaml.safe_load((ROOT / "programmes" / "libraries" / f"{library}.yml").read_text(encoding="utf-8"))
        for entry in data[library]:
            names[convert(entry["name"])] = f"/{root}{library}/{entry['id']}/"
    return names


def traditional():
    from brochure.validate import load_settings
    from brochure.variant import converter

    settings = load_settings(ROOT / "mkdocs.yml")
    return converter(settings.zh_hant_opencc, settings.zh_hant_keep)


def kind_rank(path: str, root: str) -> int:
    path = "/" + path[len(root) + 1 :] if root else path
    if path.startswith(OWN_PAGE):
        return 1
    if path.startswith("/programmes/"):
        return 2
    if path.startswith("/news/"):
        return 3
    return 4


COPIES = ("", "zh-hant/")


@pytest.fixture(scope="module")
def name_searches(browser, site_url, demo_site) -> dict[str, dict[str, list[str]]]:
    """Every catalogue name typed into each copy's search page: copy -> name -> results."""
    found: dict[str, dict[str, list[str]]] = {}
    for root in COPIES:
        if root and not (demo_site / "zh-hant").exists():
            continue
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(f"{site_url}{root}search/")
        found[root] = {name: type_query(tab, name) for name in catalogue_names(root)}
        tab.close()
    return found


@pytest.mark.parametrize("root", COPIES)
def test_a_name_finds_every_page_that_names_it(name_searches, demo_site, root):
    if root not in name_searches:
        pytest.skip("the demo is built without the Traditional copy")
    texts = article_texts(demo_site, root.rstrip("/"))
    wrong = {}
    for name, found in name_searches[root].items():
        expected = {path for path, text in texts.items() if name in text}
        assert len(found) == len(set(found)), (name, found)  # one result per page
        if set(found) != expected:
            wrong[name] = {"missed": sorted(expected - set(found)), "extra": sorted(set(found) - expected)}
    assert wrong == {}
    assert sum(len(found) for found in name_searches[root].values()) > 2 * len(name_searches[root])


@pytest.mark.parametrize("root", COPIES)
def test_a_name_lists_its_own_page_then_programmes_then_news(name_searches, root):
    if root not in name_searches:
        pytest.skip("the demo is built without the Traditional copy")
    own_pages = catalogue_names(root)
    for name, found in name_searches[root].items():
        assert found and found[0] == own_pages[name], (name, found[:3])
        ranks = [kind_rank(path, root.rstrip("/")) for path in found[1:]]
        assert ranks == sorted(ranks), (name, found)


# --- How results read --------------------------------------------------------------------


def result_cards(page) -> list[dict]:
    return page.locator(".brochure-search__result").evaluate_all(
        """els => els.map(li => ({
            url: li.querySelector(".brochure-search__title").getAttribute("href"),
            title: li.querySelector(".brochure-search__title").textContent,
            excerpt: (li.querySelector(".brochure-search__excerpt") || {}).textContent || "",
            marks: Array.from(li.querySelectorAll("mark")).map(m => m.textContent),
            sections: Array.from(li.querySelectorAll(".brochure-search__sections a"))
                .map(a => ({ title: a.textContent, url: a.getAttribute("href") })),
        }))"""
    )


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_excerpt(excerpt: str, article: str) -> None:
    """The excerpt is a piece of the page's text that starts and ends at a boundary."""
    core = excerpt.removeprefix("…").removesuffix("…")
    assert core and "¶" not in excerpt
    assert not re.match(r"[.:：，、。；）)]", core), excerpt
    flat = squeeze(article.replace("¶", ""))  # heading permalinks are not indexed
    at = flat.find(squeeze(core))
    assert at >= 0, (excerpt, article[:200])
    end = at + len(squeeze(core))
    if at > 0 and TIGHT.match(flat[at]):
        assert not TIGHT.match(flat[at - 1]), f"starts inside {flat[at - 5 : at + 5]!r}: {excerpt}"
    if end < len(flat) and TIGHT.match(flat[end - 1]):
        assert not TIGHT.match(flat[end]), f"ends inside {flat[end - 5 : end + 5]!r}: {excerpt}"


QUERIES = {
    "": ["刘静怡", "郭芸", "杨淑芬", "李明德", "乡村振兴", "现场教学", "社会保险 研修班", "信访社会工作"],
    "zh-hant/": ["劉靜怡", "刘静怡", "鄉村振興", "現場教學", "社會保險"],
}


@pytest.mark.parametrize("root", COPIES)
def test_results_read_well(page, site_url, demo_site, root):
    """No ¶, one result per page, no section repeating its page's title, excerpts cut at
    boundaries, whole names and words marked, never a single character."""
    if root and not (demo_site / "zh-hant").exists():
        pytest.skip("the demo is built without the Traditional copy")
    texts = article_texts(demo_site, root.rstrip("/"))
    page.goto(f"{site_url}{root}search/")
    for query in QUERIES[root]:
        type_query(page, query)
        cards = result_cards(page)
        assert cards, query
        assert "¶" not in page.locator("#brochure-search").inner_text()
        assert len({c["url"] for c in cards}) == len(cards), query
        for card in cards:
            assert card["title"].strip(), card
            assert all(s["title"] != card["title"] and s["url"] != card["url"] for s in card["sections"]), card
            assert all(len(mark) > 1 for mark in card["marks"]), (query, card["marks"])
            if card["excerpt"]:
                check_excerpt(card["excerpt"], texts[unquote(urlparse(card["url"]).path)])
    # A name is marked whole, in the copy's own script.
    type_query(page, QUERIES[root][0])
    marks = {m for card in result_cards(page) for m in card["marks"]}
    assert marks == {QUERIES[root][0]}


def test_traditional_copy_speaks_traditional(page, site_url, demo_site):
    if not (demo_site / "zh-hant").exists():
        pytest.skip("the demo is built without the Traditional copy")
    import opencc

    to_traditional = opencc.OpenCC("s2t").convert
    page.goto(f"{site_url}zh-hant/search/?q={quote('刘静怡')}")
    found = results(page)
    assert found[0] == "/zh-hant/lecturers/liu-jingyi/"
    status = page.locator(".brochure-search__status").inner_text()
    assert status == f"找到 {len(found)} 個與「刘静怡」相關的頁面", status
    kinds = page.locator(".brochure-search__kind").all_inner_texts()
    assert kinds and any("師資" in k for k in kinds) and any("新聞" in k for k in kinds), kinds
    for text in [*kinds, page.locator("input.brochure-search__input").get_attribute("placeholder")]:
        assert to_traditional(text) == text, text
    marks = set(page.locator(".brochure-search__result mark").all_inner_texts())
    assert marks == {"劉靜怡"}  # the Simplified name typed, the Traditional name marked


def test_kind_buttons_narrow_the_results(page, site_url):
    page.goto(f"{site_url}search/?q={quote('李明德')}")
    everything = results(page)
    buttons = page.locator(".brochure-search__kind")
    assert buttons.first.get_attribute("aria-pressed") == "true"
    news = page.locator('.brochure-search__kind[data-kind="新闻"]')
    count = int(news.locator(".brochure-search__kind-count").inner_text())
    news.click()
    page.wait_for_function(
        "() => document.querySelector('.brochure-search__kind[data-kind=\"新闻\"]')"
        ".getAttribute('aria-pressed') === 'true'"
    )
    wait_done(page)
    narrowed = shown(page)
    assert len(narrowed) == count and all(p.startswith("/news/") for p in narrowed)
    assert set(narrowed) < set(everything)


def test_spaces_inside_a_name_are_ignored(page, site_url):
    page.goto(f"{site_url}search/")
    spaced = page.locator("input.brochure-search__input")
    spaced.fill("刘 静 怡")
    spaced.press("Enter")
    wait_done(page, "刘静怡")
    assert shown(page)[0] == "/lecturers/liu-jingyi/"
    assert "q=%E5%88%98%E9%9D%99%E6%80%A1" in page.url  # the tidied words stay in the address


# --- The searches that were there before -------------------------------------------------


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


@pytest.mark.parametrize("word", ["沂蒙", "网格员"])
def test_a_word_the_browser_does_not_know_finds_the_pages_that_hold_it(page, site_url, demo_site, word):
    """Words the catalogue does not hold, which the index keeps whole but the browser's own
    dictionary splits into single characters (沂 蒙): the search joins them back, in
    Pagefind's worker as on the page, so they find the pages that say them (without the join
    in the worker, 沂蒙 found 2 of its 4 pages and 网格员 2 of 6)."""
    expected = {path for path, text in article_texts(demo_site, "").items() if word in text}
    found = set(search(page, site_url, word))
    assert len(expected) > 2 and expected <= found, sorted(expected - found)


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
    phone.wait_for_selector("input.brochure-search__input")
    assert any(path.startswith("/news/") for path in type_query(phone, "现场教学"))
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
    assert search(page, site_url, "鲁ICP备") == []


# --- What a query costs ------------------------------------------------------------------


def test_one_name_query_downloads_little(browser, served, demo_site):
    """Bytes on the wire (nginx with the deployers' config, so compressed as readers get
    them) for one name query on the search page, from an empty cache: the page itself, then
    what the search adds (Pagefind's script, WebAssembly, index, filters, fragments, the
    names). Counted as Playwright reports them for the page and its workers: Pagefind loads
    its index from a worker, which a CDP session on the page does not see (the benchmark
    counted 108 KB that way, without the index). Every part of the index is loaded (search.py)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    name = "刘静怡"
    page.goto(f"{served}search/?q={quote(name)}")
    wait_done(page, name)
    page.wait_for_timeout(500)
    for_search = search_bytes(finished)
    total = sum(bytes_by_address(finished).values())
    searched = sum(for_search.values())
    print(
        f"\none name query ({name}): {total / 1024:.1f} KB for the page and search, "
        f"{searched / 1024:.1f} KB of it for the search ({len(for_search)} files)"
    )
    for url, n in sorted(for_search.items(), key=lambda item: -item[1]):
        print(f"  {n / 1024:7.1f} KB  {url.split('/peixun/', 1)[-1]}")
    context.close()
    parts = json.loads((demo_site / "pagefind/parts.json").read_text(encoding="utf-8"))
    assert len(parts) >= 2  # the demo's index is in parts too: news, programmes, the rest
    loaded: dict[str, list[str]] = {}
    for url in for_search:
        if "/pagefind/" in url:
            rest = url.split("/pagefind/", 1)[1]
            part, file = rest.split("/", 2)[1:] if rest.startswith("parts/") else ("", rest)
            loaded.setdefault(part, []).append(file)
    for part in ["", *parts]:
        assert any(f.startswith("index/") for f in loaded.get(part, [])), (part, loaded)
        assert any(f.endswith(".pf_meta") for f in loaded.get(part, [])), (part, loaded)
    assert any(f.startswith("fragment/") for files in loaded.values() for f in files)
    assert 0 < searched < 500 * 1024
