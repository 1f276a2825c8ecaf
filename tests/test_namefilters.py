"""Names as one word in search: every catalogue name a page's text holds is that name's token
on that page (namefilters.py), in both copies, computed here from the built HTML itself."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from brochure.namefilters import SEARCH_NAMES, mark_page, name_token

pytestmark = pytest.mark.site

ARTICLE = re.compile(r"<article\b[^>]*data-pagefind-body[^>]*>(.*?)</article>", re.DOTALL)
MARKS = r'<span data-pagefind-[^>]*></span>|<span class="brochure-names" hidden>[^<]*</span>'


def tokens_on(page: str) -> set[str]:
    found = re.search(r'<span class="brochure-names" hidden>([^<]*)</span>', page)
    return set(found.group(1).split()) if found else set()


def article_text(page: str) -> str | None:
    """What a reader reads in the indexed article: no tags, no ¶ permalinks, no marks."""
    match = ARTICLE.search(page)
    if not match:
        return None
    inner = re.sub(r'<a class="headerlink"[^>]*>.*?</a>|' + MARKS, "", match.group(1))
    return html.unescape(re.sub(r"<[^>]+>", "", inner))


def copy_pages(root: Path) -> dict[str, str]:
    inner = {p.parent.parent for p in root.glob("*/search/names.json")}
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in root.rglob("index.html")
        if not any(p.is_relative_to(other) for other in inner)
    }


@pytest.mark.parametrize("copy", ["", "zh-hant"])
def test_every_page_naming_an_entry_carries_its_name_and_no_other_does(demo_site: Path, copy: str):
    root = demo_site / copy if copy else demo_site
    table = json.loads((root / "search/names.json").read_text(encoding="utf-8"))
    names = set(table["names"])
    assert len(set(table["names"].values())) == len(names)  # one token per name, none shared
    pages = copy_pages(root)
    indexed = {url: (article_text(page), page) for url, page in pages.items() if article_text(page) is not None}
    assert len(indexed) > 50
    checked = 0
    for name in names:
        holding = {url for url, (text, _) in indexed.items() if name in text}
        marked = {url for url, (_, page) in indexed.items() if table["names"][name] in tokens_on(page)}
        assert marked == holding, name
        checked += bool(holding)
    assert checked > 30  # the names are really on pages


def test_an_entrys_own_page_ranks_first_then_programmes_then_news(demo_site: Path):
    pages = copy_pages(demo_site)
    table = json.loads((demo_site / SEARCH_NAMES).read_text(encoding="utf-8"))
    ranks = {kind: rank for kind, rank in [*table["sections"].values(), table["news"][1:]]}

    def rank(url: str) -> int:
        return ranks[re.search(r'data-pagefind-filter="kind:([^"]+)"', pages[url]).group(1)]

    lecturer = next(u for u in pages if u.startswith("lecturers/") and u.count("/") == 2)
    programme = next(u for u in pages if u.startswith("programmes/") and u.count("/") == 2)
    post = next(u for u in pages if re.match(r"news/\d{4}/[^/]+/index.html$", u))
    assert (rank(lecturer), rank(programme), rank(post)) == (1, 2, 3)
    assert 'data-pagefind-filter="kind:师资"' in pages[lecturer]
    assert 'data-pagefind-filter="kind:新闻"' in pages[post]
    assert 'data-pagefind-filter="kind:師資"' in (demo_site / "zh-hant" / lecturer).read_text(encoding="utf-8")


@pytest.mark.unit
def test_marking_twice_changes_nothing_and_keeps_the_permalinks():
    import ahocorasick

    finder = ahocorasick.Automaton()
    finder.add_word("刘静怡", "刘静怡")
    finder.make_automaton()
    table = {
        "sections": {"lecturers": ["师资", 1]},
        "news": ["news", "新闻", 3],
        "names": {"刘静怡": name_token("刘静怡")},
    }
    page = (
        '<article class="md-typeset" data-pagefind-body><h2 id="a">授课<a class="headerlink" href="#a">¶</a></h2>'
        "<p>刘静怡教授</p></article>"
    )
    once = mark_page(page, "lecturers/liu/index.html", finder, table)
    assert mark_page(once, "lecturers/liu/index.html", finder, table) == once
    assert 'class="headerlink"' in once and tokens_on(once) == {name_token("刘静怡")}
