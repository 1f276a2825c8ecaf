"""What the page cache keeps in memory while a build runs.

MkDocs keeps every Page to the end of the build, so anything a Page still refers to once it is
written stays in memory with the 6,000 others. At the benchmark's default size, the HTML of
the pages a build took from the cache stayed alive that way, and a forked prerender worker kept
the HTML of every page it rendered for a final pass that runs in its parent and cannot see it:
together they pushed `brochure build` past 1 GB (docs/benchmarks.md, the peak-memory row)."""

from __future__ import annotations

import gc
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from brochure.pagecache import PageCache

pytestmark = pytest.mark.unit

HTML = "<html><body>" + "开班仪式在党校礼堂举行。" * 200 + "</body></html>"


class Theme(dict):
    """MkDocs' theme: its options by key, and no overrides folder."""

    custom_dir = None


def config(root: Path):
    (root / "mkdocs.yml").write_text("site_name: 测试\n", encoding="utf-8")
    return SimpleNamespace(
        config_file_path=str(root / "mkdocs.yml"),
        theme=Theme(language="zh"),
        site_url="https://example.org/",
        site_name="测试",
        site_description="",
        copyright="",
        extra={},
        use_directory_urls=True,
    )


def cache(root: Path) -> PageCache:
    return PageCache(root / ".cache", config(root), "")


def page(name: str = "news"):
    file = SimpleNamespace(src_uri=f"{name}.md", dest_uri=f"{name}/index.html", url=f"{name}/", abs_src_path=None)
    return SimpleNamespace(file=file, meta={}, content=None, _title_from_render="标题", present_anchor_ids=set())


def reachable(start) -> list:
    """Every object `start` refers to, directly or not, short of modules, classes and a
    function's module globals, which lead to everything."""
    seen, todo, found = set(), [start], []
    while todo:
        one = todo.pop()
        if id(one) in seen or isinstance(one, (type, ModuleType)) or (isinstance(one, dict) and "__builtins__" in one):
            continue
        seen.add(id(one))
        found.append(one)
        todo += gc.get_referents(one)
    return found


def stored(pages: PageCache, one, key: str) -> None:
    one.brochure_references = None
    pages.store(one, key, HTML, pages.warnings.count, HTML)


def test_a_page_from_the_cache_lets_its_html_go_once_written(tmp_path):
    first = cache(tmp_path)
    stored(first, page(), "k1")
    first.close()

    later = cache(tmp_path)  # the next build
    one = page()
    assert later.lookup(one, "k1")
    one.render(None, None)  # MkDocs' page pass
    assert one.content == HTML
    one.content = None  # plugin.on_post_page, once the page is written
    assert not any(isinstance(x, str) and x == HTML for x in reachable(one)), "the page still holds its HTML"
    later.close()


def test_prerendering_keeps_no_html_for_the_final_pass(tmp_path):
    pages = cache(tmp_path)
    pages.counting = False  # prerendering (pagecache.prerender), perhaps in a forked worker
    stored(pages, page(), "k1")
    assert not any(isinstance(x, str) and x == HTML for x in reachable(pages)), "the cache still holds the HTML"
    assert (pages.folder / "k1.json").exists(), "the final pass reads it from disk"
    pages.counting = True  # the final pass, in the parent, whose memory is not the worker's
    one = page()
    assert pages.lookup(one, "k1")
    one.render(None, None)
    assert one.content == HTML
    pages.close()
