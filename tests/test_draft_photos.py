"""A draft's photos are not published: MkDocs copies every file under docs/ into the site, so
the photos only unpublished posts use (drafts, and posts dated after the build date) are left
out of the built site and of the docs tree, and come back when the post is published. The
preview (`brochure serve`) keeps them, so a draft is previewed with its photos."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_serve import Preview, fetch

from brochure.recipe import build_site
from conftest import BUILD_DATE_EPOCH, REVIEWED_POST, free_port, get, png

pytestmark = pytest.mark.site

NEWS = "docs/news/2025"
# The draft's own photos, one of each kind: in the body, the cover, the photo series.
DRAFT_ONLY = ("zhengwen.png", "fengmian.png", "zutu.png")
SHARED = "heying.png"  # in the draft and in a published post


def draft_post(draft: bool = True) -> str:
    text = REVIEWED_POST.replace("slug: kaiban", "slug: jieye").replace("2025-06-09 10:30", "2025-06-12 16:00")
    return (
        text.replace(
            "credits:",
            "cover:\n  image: fengmian.png\n  alt: 结业仪式\n"
            "photos:\n  - image: zutu.png\n    caption: 分组讨论\n  - image: ./heying.png\n    caption: 合影\n"
            f"draft: {'true' if draft else 'false'}\ncredits:",
        )
        + "\n![结业](zhengwen.png)\n"
    )


def write_posts(project) -> None:
    for name in (*DRAFT_ONLY, SHARED, "own.png", "weiyong.png", "weilai.png", "cuowu.png"):
        project.write(f"{NEWS}/{name}", png(8, 6))
    # Published, sharing one photo with the draft (written as the draft does not: no "./").
    project.write(f"{NEWS}/06-09-kaiban.md", REVIEWED_POST + '\n![合影](heying.png)\n\n<img src="own.png">\n')
    project.write(f"{NEWS}/06-12-jieye.md", draft_post())
    # Dated after the build date (2026-11-22, conftest.BUILD_DATE_EPOCH): not yet published.
    future = REVIEWED_POST.replace("date: 2025-06-09 10:30", "date: 2027-01-05 09:00").replace("kaiban", "weilai")
    project.write(f"{NEWS}/01-05-weilai.md", future + "\n![以后](weilai.png)\n")
    # A draft that fails its check (an unknown category): not built at all, its photo neither.
    broken = REVIEWED_POST.replace("培训动态", "没有这个栏目").replace("kaiban", "cuowu")
    project.write(f"{NEWS}/06-20-cuowu.md", broken.replace("credits:", "draft: true\ncredits:") + "\n![x](cuowu.png)\n")
    # weiyong.png: in the news folder, named by no post. It stays, as any file in docs/ does.


def build(project, out):
    result = project.brochure("build", "-d", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_photos_only_unpublished_posts_use_are_left_out_of_the_site(project, tmp_path):
    write_posts(project)
    out = build(project, tmp_path / "site")
    news = out / "news/2025"
    assert (out / "news/2025/06-09-kaiban/index.html").exists()
    assert not (out / "news/2025/06-12-jieye/index.html").exists()
    for name in (*DRAFT_ONLY, "weilai.png", "cuowu.png"):
        assert not (news / name).exists(), f"{name} is used only by an unpublished post, yet published"
    for name in (SHARED, "own.png", "weiyong.png"):
        assert (news / name).exists(), f"{name} should be published"
    html = (out / "news/2025/06-09-kaiban/index.html").read_text(encoding="utf-8")
    assert 'src="../heying.png"' in html and 'width="8"' in html  # the shared photo, with its size


def test_a_draft_published_brings_its_photos_back_on_the_next_build(project, tmp_path):
    write_posts(project)
    news = build(project, tmp_path / "site") / "news/2025"
    assert not any((news / name).exists() for name in DRAFT_ONLY)
    project.write(f"{NEWS}/06-12-jieye.md", draft_post(draft=False))
    news = build(project, tmp_path / "site") / "news/2025"  # with the caches of the first build
    for name in DRAFT_ONLY:
        assert (news / name).exists(), f"{name}: its post is published now"
    html = (news / "06-12-jieye/index.html").read_text(encoding="utf-8")
    assert 'src="../zhengwen.png"' in html and 'width="8"' in html
    # And back to a draft: gone again.
    project.write(f"{NEWS}/06-12-jieye.md", draft_post())
    news = build(project, tmp_path / "site") / "news/2025"
    assert not any((news / name).exists() for name in DRAFT_ONLY)
    assert (news / SHARED).exists()


def test_the_docs_tree_leaves_them_out_too(project, tmp_path):
    write_posts(project)
    out = tmp_path / "tree"
    result = project.brochure("generate", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    news = out / "docs/news/2025"
    for name in (*DRAFT_ONLY, "weilai.png", "cuowu.png"):
        assert not (news / name).exists(), name
    for name in (SHARED, "own.png", "weiyong.png"):
        assert (news / name).exists(), name


def test_zensical_build_leaves_them_out(project, tmp_path):
    write_posts(project)
    out = tmp_path / "site"
    result = project.brochure("build", "--builder", "zensical", "-d", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not any((out / "news/2025" / name).exists() for name in DRAFT_ONLY)
    assert (out / "news/2025" / SHARED).exists()


def test_the_recipe_withholds_nothing_in_the_preview(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    write_posts(project)
    settings = project.settings
    settings = replace(settings, options={**settings.options, "pdf": False})
    withheld = {f"news/2025/{name}" for name in (*DRAFT_ONLY, "weilai.png", "cuowu.png")}
    assert build_site(settings, typeset=False).withheld == withheld
    assert build_site(replace(settings, preview=True), typeset=False).withheld == set()


def test_the_preview_shows_a_draft_with_its_photos(project, tmp_path):
    write_posts(project)
    port = free_port()
    preview = Preview(project.root, ["brochure", "serve"], port, tmp_path / "preview")
    try:
        preview.wait_for_build(1)
        base = f"http://127.0.0.1:{port}/news/2025/"
        page = fetch(base + "06-12-jieye/")
        assert page and "zhengwen.png" in page, "the draft is not in the preview"
        for name in (*DRAFT_ONLY, SHARED, "weilai.png"):
            assert get(base + name)[0] == 200, f"{name} is missing from the preview"
    finally:
        preview.stop()
