"""The search index in parts (search.py): which pages go in which part. Parts exist so that
Pagefind's memory is that of one part and an edit re-indexes one part; the search page merges
them (its results are checked in a browser in test_search.py)."""

from __future__ import annotations

import pytest

from brochure.search import MAIN, split_into_parts

pytestmark = pytest.mark.unit


def posts(year: int, count: int, folder: str = "news") -> list[str]:
    return [f"{folder}/{year}/01-01-n{i:05d}/index.html" for i in range(count)]


def test_every_page_is_in_exactly_one_part():
    pages = ["index.html", "lecturers/liu/index.html", *posts(2024, 700), *posts(2025, 900)]
    pages += [f"programmes/p{i:05d}/index.html" for i in range(3000)]
    parts = split_into_parts(pages, limit=1000)
    placed = [page for members in parts.values() for page in members]
    assert sorted(placed) == sorted(pages)
    assert all(0 < len(members) <= 1000 * 1.2 for members in parts.values()), {n: len(m) for n, m in parts.items()}


def test_years_fill_parts_oldest_first_and_undated_pages_make_the_first_part():
    pages = ["index.html", "lecturers/liu/index.html", "programmes/2025-shebao/index.html"]
    pages += posts(2020, 300) + posts(2021, 300) + posts(2022, 300) + posts(2023, 300)
    parts = split_into_parts(pages, limit=700)
    assert list(parts) == [MAIN, "news-2020-2021", "news-2022-2023", "programmes-2025"]
    assert parts[MAIN] == ["index.html", "lecturers/liu/index.html"]


def test_a_new_post_changes_only_the_newest_part():
    before = posts(2020, 400) + posts(2021, 400) + posts(2022, 50)
    after = [*before, "news/2022/12-31-new/index.html"]
    old, new = split_into_parts(before, limit=500), split_into_parts(after, limit=500)
    assert list(old) == list(new) == ["news-2020", "news-2021-2022"]
    assert [name for name in new if new[name] != old[name]] == ["news-2021-2022"]


def test_a_part_too_big_is_dealt_into_buckets_that_keep_their_pages():
    programmes = [f"programmes/p{i:05d}/index.html" for i in range(2500)]
    before = split_into_parts(programmes, limit=1000)
    assert len(before) == 4 and all(name.startswith(MAIN + "-") for name in before)
    after = split_into_parts([*programmes, "programmes/p99999/index.html"], limit=1000)
    changed = [name for name in after if after[name] != before[name]]
    assert len(changed) == 1 and "programmes/p99999/index.html" in after[changed[0]]


def test_a_folder_not_named_in_ascii_gets_an_address_safe_part_name():
    parts = split_into_parts(["关于我们/2024-年报/index.html", "news/2024/a/index.html"])
    assert all(name.isascii() and "/" not in name for name in parts)
    assert len(parts) == 2
