"""A build that reuses pages from the page cache is byte for byte the build made without it,
after each kind of edit editors make. If the cache kept a stale page anywhere (a listing
missing the new post, an old lecturer name, an old photo size), the trees would differ."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from test_reliability import tree_digest

from conftest import png

pytestmark = pytest.mark.site

POST = "docs/news/2025/06-09-shebao-yanxiuban-kaiban.md"


def build(project, out: str) -> tuple[Path, int]:
    """Build into out/ and say how many pages came from the cache."""
    result = project.brochure("build", "--strict", "-d", str(project.root / out))
    assert result.returncode == 0, result.stderr
    reused = sum(int(n) for n in re.findall(r"页面缓存：(\d+) 页沿用", result.stderr))
    return project.root / out, reused


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_post(project) -> None:
    text = (project.root / POST).read_text(encoding="utf-8")
    text = text.replace("2025-06-09", "2025-06-10").replace("title: ", "title: 又一篇：", 1)
    text = re.sub(r"(?m)^slug: .*$", "slug: another-report", text)
    project.write("docs/news/2025/06-10-another-report.md", text)


def add_photo(project, width: int) -> None:
    project.write("docs/news/2025/photo.png", png(width, 20))
    edit(project.root / POST, "\n\n", "\n\n![学员合影](photo.png)\n\n")


def add_sentence(project) -> None:
    """The commonest edit: text added to the end of a post's body, after its excerpt."""
    path = project.root / POST
    path.write_text(path.read_text(encoding="utf-8") + "\n\n会后，学员们还参观了校史馆。\n", encoding="utf-8")


EDITS = {
    "a post's title and text": lambda p: edit(p.root / POST, "title: ", "title: 改过的"),
    "a sentence at the end of a post": add_sentence,
    "a new post": add_post,
    "a post withdrawn as a draft": lambda p: edit(p.root / POST, "---\n", "---\ndraft: true\n"),
    "a post deleted": lambda p: (p.root / POST).unlink(),
    "a lecturer renamed in the library": lambda p: edit(
        p.root / "programmes/libraries/lecturers.yml", "name: 张文华", "name: 张文桦"
    ),
    "a programme's dates": lambda p: edit(
        p.root / "programmes/2025-shebao-jingban-yanxiuban.yml", "2025-06-13", "2025-06-14"
    ),
    "a nav title in mkdocs.yml": lambda p: edit(p.root / "mkdocs.yml", "  - 师资: ", "  - 师资库: "),
    "a page the nav takes its title from": lambda p: edit(
        p.root / "docs/editors/index.md", "title: 编辑指南", "title: 编辑手册"
    ),
}


@pytest.fixture
def demo(demo_copy):
    # Without PDFs and the Traditional copy, to keep the many builds here quick; the copy has
    # its own test below.
    edit(demo_copy.root / "mkdocs.yml", "pdf: true", "pdf: false")
    edit(demo_copy.root / "mkdocs.yml", "zh_hant: true", "zh_hant: false")
    return demo_copy


def links_of(site: Path, to: Path) -> Path:
    """`to`: the files of `site` linked, not copied. Whatever a build writes into a file of the
    published site shows in it too."""
    shutil.copytree(site, to, copy_function=os.link)
    return to


@pytest.mark.parametrize("change", EDITS.values(), ids=EDITS.keys())
def test_a_build_from_the_cache_equals_a_clean_build(demo, change):
    """After each edit, two builds: into another folder, from the page cache alone; and into the
    same folder, which also takes files over from the site there (previous.py). Both must be
    the clean build, and the second must leave the files of the site it replaced as they were."""
    before, _ = build(demo, "before")
    published = links_of(before, demo.root / "published")
    as_published = tree_digest(published)
    change(demo)
    cached, _ = build(demo, "cached")
    in_place, _ = build(demo, "before")
    assert tree_digest(published) == as_published
    shutil.rmtree(demo.root / ".cache")
    clean, none = build(demo, "clean")
    assert none == 0
    assert tree_digest(cached) == tree_digest(clean)
    assert tree_digest(in_place) == tree_digest(clean)


def test_a_build_into_the_same_folder_links_what_did_not_change(demo):
    """The commonest edit rewrites the post and the files made in memory; every other page and
    file is the published one, linked."""
    site, _ = build(demo, "site")
    published = links_of(site, demo.root / "published")
    add_sentence(demo)
    result = demo.brochure("build", "--strict", "-d", str(site))
    assert result.returncode == 0, result.stderr

    def same(path: str) -> bool:
        return (site / path).stat().st_ino == (published / path).stat().st_ino

    post = next(site.glob("news/2025/06-09-*/index.html")).relative_to(site).as_posix()
    assert not same(post)
    assert "会后，学员们还参观了校史馆。" in (site / post).read_text(encoding="utf-8")
    pages = [p.relative_to(site).as_posix() for p in site.rglob("index.html") if "pagefind" not in p.parts]
    linked = [page for page in pages if same(page)]
    assert len(linked) > len(pages) * 0.9
    assert same("assets/stylesheets/brochure.css")
    # A build stopped by a mistake leaves the site as it was, so the next one still takes over.
    programme = demo.root / "programmes/2025-shebao-jingban-yanxiuban.yml"
    edit(programme, "2025-06-13", "2025-06-33")
    assert demo.brochure("build", "--strict", "-d", str(site)).returncode != 0
    edit(programme, "2025-06-33", "2025-06-13")
    result = demo.brochure("build", "--strict", "-d", str(site))
    assert result.returncode == 0, result.stderr
    assert len([page for page in pages if same(page)]) > len(pages) * 0.9
    # The published site may be changed by hand (a deployer's fix): then nothing is taken over.
    (site / "lecturers/index.html").write_text("改过", encoding="utf-8")
    add_sentence(demo)
    result = demo.brochure("build", "--strict", "-d", str(site))
    assert result.returncode == 0, result.stderr
    assert not any(same(page) for page in pages)


def test_unchanged_pages_are_reused(demo):
    first, reused_first = build(demo, "one")
    edit(demo.root / POST, "title: ", "title: 改过的")
    _, reused = build(demo, "two")
    pages = len(list(first.rglob("index.html")))
    assert reused_first == 0
    assert reused > pages * 0.8  # most pages do not show this post's title
    # Nor do most generated pages: only those that show the post are rendered again.
    log = demo.brochure("build", "--strict", "-d", str(demo.root / "three")).stderr
    assert "生成的页面、日历和数据文件沿用上次的结果" in log  # nothing changed since "two"
    edit(demo.root / POST, "title: ", "title: 再改的")
    log = demo.brochure("build", "--strict", "-d", str(demo.root / "four")).stderr
    rendered, kept = (int(n) for n in re.search(r"生成页面：(\d+) 页重新生成，(\d+) 页沿用", log).groups())
    assert 0 < rendered < kept


def test_a_sentence_in_a_post_leaves_the_generated_pages_as_they_were(demo):
    """Its excerpt and reading time stay the same, so no generated page can change: they come
    from the last build (generated.py), and the post itself shows the sentence."""
    build(demo, "one")
    add_sentence(demo)
    result = demo.brochure("build", "--strict", "-d", str(demo.root / "two"))
    assert result.returncode == 0, result.stderr
    assert "生成的页面、日历和数据文件沿用上次的结果" in result.stderr
    post = next((demo.root / "two").glob("news/2025/06-09-*/index.html")).read_text(encoding="utf-8")
    assert "会后，学员们还参观了校史馆。" in post
    # Only the search index's part with the post's year is made again (search.py); the
    # equal-to-a-clean-build test above shows that the parts taken over are right.
    assert "搜索索引：2 份沿用上次的结果，1 份重新生成。" in result.stderr


def test_a_photo_replaced_by_one_of_another_size(demo):
    add_photo(demo, 40)
    build(demo, "before")
    demo.write("docs/news/2025/photo.png", png(80, 20))  # same name, new size
    cached, _ = build(demo, "cached")
    html = next(cached.glob("news/2025/06-09-*/index.html")).read_text(encoding="utf-8")
    assert 'width="80"' in html


def test_the_traditional_copy_from_the_cache_equals_a_clean_build(demo_copy):
    edit(demo_copy.root / "mkdocs.yml", "pdf: true", "pdf: false")
    build(demo_copy, "before")
    add_post(demo_copy)
    cached, reused = build(demo_copy, "cached")
    assert reused > 0
    shutil.rmtree(demo_copy.root / ".cache")
    clean, _ = build(demo_copy, "clean")
    assert (clean / "zh-hant" / "index.html").exists()
    assert tree_digest(cached) == tree_digest(clean)


def test_a_photo_deleted_after_a_build_is_still_reported(demo):
    """The content check is remembered between builds too (validate_once); removing a file
    that a post shows must make the next build fail as it would from scratch."""
    add_photo(demo, 40)
    build(demo, "site")
    (demo.root / "docs/news/2025/photo.png").unlink()
    result = demo.brochure("build", "--strict", "-d", str(demo.root / "site"))
    assert result.returncode != 0
    assert "photo.png" in result.stderr and POST in result.stderr
    assert "Traceback" not in result.stderr
