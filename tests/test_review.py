"""What awaits review (review.py): drafts, the review roles they lack, and posts not yet due;
shown by `check`'s summary and by the preview's 待审 page, and never by a build."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from brochure.review import POST, PROGRAMME, awaiting_review, summary
from brochure.validate import validate
from conftest import BUILD_DATE_EPOCH, MINI_PROGRAMME, REVIEWED_POST, free_port

# A draft waiting for 初审 and 复审 (the demo's required roles are 供稿、编辑、初审、复审、审核发布).
DRAFT_POST = (
    REVIEWED_POST.replace("slug: kaiban", "slug: caogao\ndraft: true")
    .replace("title: 测试研修班开班", "title: 待审的开班稿")
    .replace("  初审: 宋佳\n  复审: 高志明\n", "")
)
DRAFT_FILE = "docs/news/2025/06-09-caogao.md"
# Reviewed and ready, but dated after any build date.
FUTURE_POST = REVIEWED_POST.replace("date: 2025-06-09 10:30", "date: 2099-12-01 09:00").replace(
    "title: 测试研修班开班", "title: 定时发布的招生通知"
)
FUTURE_FILE = "docs/news/2099/12-01-kaiban.md"


def draft_programme(text: str = MINI_PROGRAMME) -> str:
    return "draft: true\n" + textwrap.dedent(text).lstrip("\n")


def draft_project(project):
    project.write(DRAFT_FILE, DRAFT_POST)
    project.write(FUTURE_FILE, FUTURE_POST)
    # A draft that fails its check: an unknown lecturer, and no slug clash with anything.
    broken = DRAFT_POST.replace("slug: caogao", "slug: weitongguo").replace("category: 培训动态", "category: 不存在")
    project.write("docs/news/2025/06-11-weitongguo.md", broken.replace("待审的开班稿", "没通过检查的稿"))
    project.programme("2026-draft-ban", draft_programme(MINI_PROGRAMME.replace("测试研修班", "草稿研修班")))
    return project


@pytest.mark.unit
def test_review_lists_drafts_their_missing_roles_and_future_posts(project):
    settings = draft_project(project).settings
    awaiting = awaiting_review(validate(settings), settings)
    by_file = {d.file: d for d in awaiting.drafts}
    assert set(by_file) == {DRAFT_FILE, "docs/news/2025/06-11-weitongguo.md", "programmes/2026-draft-ban.yml"}

    draft = by_file[DRAFT_FILE]
    assert (draft.kind, draft.title, draft.url, draft.problems) == (POST, "待审的开班稿", "news/2025/06-09-caogao/", 0)
    assert draft.missing == ("初审", "复审")  # in the configured order

    failed = by_file["docs/news/2025/06-11-weitongguo.md"]
    assert failed.title == "没通过检查的稿" and failed.url is None and failed.problems == 1
    assert failed.missing == ("初审", "复审")  # read from what the file says, though it failed

    programme = by_file["programmes/2026-draft-ban.yml"]
    assert (programme.kind, programme.title, programme.url) == (PROGRAMME, "草稿研修班", "programmes/2026-draft-ban/")
    assert programme.missing == () and programme.problems == 0

    [future] = awaiting.future
    assert (future.title, future.file, future.url) == ("定时发布的招生通知", FUTURE_FILE, "news/2099/12-01-kaiban/")
    assert summary(awaiting) == "草稿：2 篇新闻稿、1 个班次；待审：2 篇草稿缺少审核署名，1 篇稿件定于以后发布"


@pytest.mark.unit
def test_nothing_awaits_review_in_reviewed_published_content(project):
    project.write("docs/news/2025/06-09-kaiban.md", REVIEWED_POST)
    settings = project.settings
    awaiting = awaiting_review(validate(settings), settings)
    assert not awaiting and summary(awaiting) == ""


@pytest.mark.unit
def test_a_draft_programme_is_carried_flagged_and_a_broken_one_is_not(project):
    project.programme("2026-draft-ban", draft_programme())
    project.programme("2026-broken-ban", draft_programme(MINI_PROGRAMME.replace("zhang-wenhua", "nobody")))
    content = validate(project.settings)
    assert {(p.slug, p.draft) for p in content.programmes} == {("2025-test-yanxiuban", False), ("2026-draft-ban", True)}
    [failed] = content.failed_drafts
    assert (failed.kind, failed.file, failed.problems) == (PROGRAMME, "programmes/2026-broken-ban.yml", 2)


@pytest.mark.unit
def test_with_publish_future_a_future_post_awaits_nothing(project):
    project.write(FUTURE_FILE, FUTURE_POST)
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("publish_future: false", "publish_future: true"), encoding="utf-8"
    )
    settings = project.settings
    assert awaiting_review(validate(settings), settings).future == ()


@pytest.mark.site
def test_check_counts_posts_drafts_and_what_awaits_review(project):
    draft_project(project)
    project.write("docs/news/2025/06-09-kaiban.md", REVIEWED_POST)
    result = project.brochure("check")
    assert result.returncode == 0, result.stderr
    assert "检查通过：1 个班次，2 位讲师，1 个现场教学点，1 个单位，2 篇新闻稿。" in result.stdout
    assert "草稿：2 篇新闻稿、1 个班次；待审：2 篇草稿缺少审核署名，1 篇稿件定于以后发布。" in result.stdout
    assert "/review/" in result.stdout


@pytest.mark.site
def test_the_preview_shows_drafts_and_what_awaits_review_and_a_build_shows_neither(project, tmp_path):
    from test_reliability import tree_digest
    from test_serve import Preview, fetch

    draft_project(project)
    port = free_port()
    preview = Preview(project.root, ["brochure", "serve"], port, tmp_path / "preview")
    base = f"http://127.0.0.1:{port}/"
    try:
        preview.wait_for_build(1)
        post = fetch(base + "news/2025/06-09-caogao/") or ""
        assert "待审的开班稿" in post and "这是草稿（draft: true），只在本地预览里显示，不会发布。" in post
        assert 'class="admonition warning preview-banner"' in post
        assert 'href="../../../review/"' in post  # the banner leads the reviewer to the 待审 page
        programme = fetch(base + "programmes/2026-draft-ban/") or ""
        assert "草稿研修班" in programme and "这是草稿" in programme
        future = fetch(base + "news/2099/12-01-kaiban/") or ""
        assert "这篇稿件定于 2099年12月1日 09:00 发布" in future
        listing = fetch(base + "news/") or ""
        assert "待审的开班稿" in listing and ">草稿<" in listing

        review = fetch(base + "review/") or ""
        assert "待审的开班稿" in review and DRAFT_FILE in review and 'href="../news/2025/06-09-caogao/"' in review
        assert "缺少署名：初审、复审" in review
        assert "没通过检查的稿" in review and "未通过检查（1 个问题）" in review
        assert "草稿研修班" in review and 'href="../programmes/2026-draft-ban/"' in review
        assert "定时发布的招生通知" in review and FUTURE_FILE in review
        # A draft that fails its check is not built, and holds nothing back.
        assert fetch(base + "news/2025/06-11-weitongguo/") is None
        assert "测试研修班" in (fetch(base + "programmes/2025-test-yanxiuban/") or "")
    finally:
        preview.stop()

    out = tmp_path / "site"
    result = project.brochure("build", "-d", str(out))
    assert result.returncode == 0, result.stderr
    for page in ("review", "news/2025/06-09-caogao", "news/2099/12-01-kaiban", "programmes/2026-draft-ban"):
        assert not (out / page).exists(), page
    for html in out.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "preview-banner" not in text and "待审的开班稿" not in text, html
        assert not re.search(r'href="(\.\./)*review/"', text), html  # nothing leads to a 待审 page
    # Plain `mkdocs build` (no --dirty, not serving) publishes none of it either.
    plain = tmp_path / "plain"
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(plain)]
    assert subprocess.run(command, cwd=project.root, env=env).returncode == 0
    assert (plain / "programmes/2025-test-yanxiuban/index.html").exists()
    for page in ("review", "news/2025/06-09-caogao", "news/2099/12-01-kaiban", "programmes/2026-draft-ban"):
        assert not (plain / page).exists(), page
    # What the preview left in the caches (its checks, pages, generated Markdown) changes nothing.
    shutil.rmtree(project.root / ".cache")
    clean = tmp_path / "clean"
    assert project.brochure("build", "-d", str(clean)).returncode == 0
    assert tree_digest(out) == tree_digest(clean)
