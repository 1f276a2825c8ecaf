"""News posts: front matter checks, review policy, URLs, pages, feed, photos and cross-links."""

from __future__ import annotations

import html
import re

import feedparser
import pytest

from brochure.render import paginate
from brochure.validate import reading_minutes
from conftest import MINI_LIBRARIES, png
from htmlcheck import Page, read

POST = """
    ---
    title: 测试研修班开班
    date: 2025-06-09 10:30
    category: 培训动态
    tags: [开班仪式]
    programme: 2025-test-yanxiuban
    source: 岱岳大学公共管理学院
    slug: kaiban
    credits:
      供稿: 李晓彤
      供图: [王晨阳, 刘洋]
      编辑: 赵敏
      初审: 宋佳
      复审: 高志明
      审核发布: 张文华
    ---

    6月9日上午，测试研修班开班。

    <!-- more -->

    正文第二段。
    """
FILE = "docs/news/2025/06-09-kaiban.md"


def post(project, text: str = POST, where: str = FILE):
    return project.write(where, text)


def edit(old: str, new: str) -> str:
    assert old in POST, old
    return POST.replace(old, new, 1)


def line_in(text: str, needle: str) -> int:
    import textwrap

    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def build(project, tmp_path):
    out = tmp_path / "out"
    result = project.brochure("build", "--strict", "-d", str(out))
    assert result.returncode == 0, result.stderr
    return out


# --- front matter, case by case -------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("old", "new", "field", "message", "hint"),
    [
        ("    title: 测试研修班开班\n", "", "title", "缺少必填字段", ""),
        ("title:", "titel:", "titel", "未知字段", "title"),
        ("date: 2025-06-09 10:30", "date: 2025-06-31 10:30", "date", "日期时间不存在", ""),
        ("date: 2025-06-09 10:30", "date: 六月九日", "date", "日期时间格式不对", "2025-06-09 10:30"),
        ("category: 培训动态", "category: 培训动太", "category", "不在可选范围内", "培训动态"),
        (
            "programme: 2025-test-yanxiuban",
            "programme: 2025-test-yanxiuba",
            "programme",
            "未知的班次编号",
            "2025-test-yanxiuban",
        ),
        ("  供稿: 李晓彤", "  供搞: 李晓彤", "credits.供搞", "未知的署名角色", "供稿"),
        ("slug: kaiban", "slug: 开班", "slug", "不合规则", ""),
        ("tags: [开班仪式]", "tags: 开班仪式", "tags", "应为列表", ""),
        ("slug: kaiban", "slug: kaiban\n    draft: 是", "draft", "true 或 false", ""),
        ("    source: 岱岳大学公共管理学院\n", "", "source", "缺少必填字段", ""),
    ],
)
def test_front_matter_problems_name_file_line_and_field(project, old, new, field, message, hint):
    text = edit(old, new)
    post(project, text)
    problems = project.problems()
    # A misspelt key is also a missing one: both are reported, each at its own field.
    [p] = [p for p in problems if p.path == field]
    assert len(problems) == (2 if field == "titel" else 1), problems
    assert p.file == FILE
    assert message in p.message
    assert hint in p.hint
    if new and field != "source":
        assert p.line == line_in(text, new.split("\n")[-1].strip())


@pytest.mark.unit
def test_post_without_front_matter(project):
    post(project, "# 只有正文\n")
    [p] = project.problems()
    assert (p.file, p.line) == (FILE, 1)
    assert "缺少文件头" in p.message


@pytest.mark.unit
def test_broken_front_matter_yaml_gives_the_file_line(project):
    text = edit("source: 岱岳大学公共管理学院", 'source: "岱岳大学')
    post(project, text)
    [p] = project.problems()
    assert "YAML 语法错误" in p.message
    assert p.line >= line_in(text, 'source: "岱岳大学')


@pytest.mark.unit
def test_missing_photo_names_post_line_and_path(project):
    text = edit("正文第二段。", "正文第二段。\n\n    ![合影](heying.jpg)")
    post(project, text)
    [p] = project.problems()
    assert (p.file, p.line) == (FILE, line_in(text, "heying.jpg"))
    assert "heying.jpg" in p.message


@pytest.mark.unit
def test_photo_path_may_not_leave_docs(project):
    post(project, edit("正文第二段。", "正文第二段。\n\n    ![x](../../../../etc/passwd)"))
    [p] = project.problems()
    assert "docs/ 之外" in p.message


@pytest.mark.unit
def test_two_posts_with_the_same_url(project):
    post(project)
    post(project, POST, "docs/news/2025/another-name.md")
    [p] = project.problems()
    assert "重复" in p.message


# --- review policy and publication ----------------------------------------------------


@pytest.mark.site
def test_review_policy_fails_the_build_and_names_missing_roles(project, tmp_path):
    text = edit("      初审: 宋佳\n", "").replace("      复审: 高志明\n", "")
    post(project, text)
    result = project.brochure("build", "-d", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{FILE}:" in result.stderr and "缺少：初审、复审" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.site
def test_a_draft_needs_no_review_and_is_never_published(project, tmp_path):
    text = edit("      初审: 宋佳\n", "").replace("slug: kaiban", "slug: kaiban\n    draft: true")
    post(project, text)
    out = build(project, tmp_path)
    assert not (out / "news/2025/06-09-kaiban").exists()
    assert "测试研修班开班" not in read(out, "news/").text
    assert "测试研修班开班" not in (out / "news/feed.xml").read_text(encoding="utf-8")
    assert "测试研修班开班" not in read(out, "programmes/2025-test-yanxiuban/").text


@pytest.mark.site
def test_future_post_waits_for_its_date(project, tmp_path):
    # The tests build on 2026-11-22 (SOURCE_DATE_EPOCH).
    post(project, edit("date: 2025-06-09 10:30", "date: 2026-11-23 09:00"), "docs/news/2026/11-23-kaiban.md")
    out = build(project, tmp_path)
    assert not (out / "news/2026/11-23-kaiban").exists()

    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("publish_future: false", "publish_future: true"), encoding="utf-8"
    )
    out = build(project, tmp_path / "again")
    assert (out / "news/2026/11-23-kaiban/index.html").exists()


# --- URLs -----------------------------------------------------------------------------


@pytest.mark.site
def test_url_is_date_plus_slug_and_survives_a_title_change(project, tmp_path):
    post(project)
    first = build(project, tmp_path / "a")
    assert (first / "news/2025/06-09-kaiban/index.html").exists()
    post(project, edit("title: 测试研修班开班", "title: 改了标题"))
    second = build(project, tmp_path / "b")
    assert "改了标题" in read(second, "news/2025/06-09-kaiban/").text


@pytest.mark.site
def test_chinese_file_name_without_slug_gets_a_stable_ascii_url(project, tmp_path):
    post(project, edit("    slug: kaiban\n", ""), "docs/news/2025/开班仪式.md")
    out = build(project, tmp_path)
    [page] = list((out / "news/2025").iterdir())
    assert re.fullmatch(r"06-09-p[0-9a-f]{6}", page.name)
    again = build(project, tmp_path / "again")
    assert (again / "news/2025" / page.name).exists()
    for html_file in out.rglob("*.html"):
        page = Page(html_file.read_text(encoding="utf-8"))
        assert not [h for h in page.links if "%E" in h.upper()]  # no percent-encoded Chinese in links


# --- pages ----------------------------------------------------------------------------


def many_posts(project):
    """Five posts over two years and two categories, with a page size of two."""
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("news_per_page: 10", "news_per_page: 2"), encoding="utf-8"
    )
    specs = [
        ("2024-12-30 09:00", "培训动态", "a", "旧年新闻"),
        ("2025-06-09 09:00", "培训动态", "b", "六月九日上午"),
        ("2025-06-09 15:00", "通知公告", "c", "六月九日下午"),
        ("2025-06-10 09:00", "通知公告", "d", "六月十日"),
        ("2025-07-01 09:00", "培训动态", "e", "七月一日"),
    ]
    for when, category, slug, title in specs:
        text = (
            edit("date: 2025-06-09 10:30", f"date: {when}")
            .replace("category: 培训动态", f"category: {category}")
            .replace("slug: kaiban", f"slug: {slug}")
            .replace("title: 测试研修班开班", f"title: {title}")
        )
        post(project, text, f"docs/news/{when[:4]}/{when[5:10]}-{slug}.md")
    return [s[3] for s in sorted(specs, reverse=True)]


def titles_on(out, url):
    page = read(out, url)
    return [h for h in page.headings if h in {"旧年新闻", "六月九日上午", "六月九日下午", "六月十日", "七月一日"}]


@pytest.mark.site
def test_index_is_paginated_newest_first(project, tmp_path):
    order = many_posts(project)
    out = build(project, tmp_path)
    assert titles_on(out, "news/") == order[:2]
    assert titles_on(out, "news/page/2/") == order[2:4]  # same-day posts ordered by time
    assert titles_on(out, "news/page/3/") == order[4:]
    assert "../2/" in read(out, "news/page/3/").links


@pytest.mark.unit
def test_a_pager_links_to_nearby_pages_not_to_every_page():
    """At 3,000 posts the news index has 300 pages; a pager listing them all would make each
    listing page grow with the archive (and MkDocs check 300 links on each)."""
    pages = paginate(list(range(1000)), 10, "news/index.md")
    assert len(pages) == 100
    assert pages[49]["window"] == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert pages[0]["window"] == [1, 2, 3, None, 100]
    assert max(len(page["window"]) for page in pages) == 9
    assert pages[99]["all"][99] == "news/page/100.md"


@pytest.mark.site
def test_category_tag_and_archive_pages(project, tmp_path):
    many_posts(project)
    out = build(project, tmp_path)
    assert titles_on(out, "news/category/notices/") == ["六月十日", "六月九日下午"]
    assert titles_on(out, "news/category/training/") == ["七月一日", "六月九日上午"]
    assert titles_on(out, "news/category/training/page/2/") == ["旧年新闻"]
    tag_pages = list((out / "news/tags").iterdir())
    assert len(tag_pages) == 1 and tag_pages[0].name.isascii()
    archive_2025 = read(out, "news/archive/2025/")
    assert "6月" in archive_2025.headings and "7月" in archive_2025.headings
    assert "旧年新闻" not in archive_2025.text
    assert "旧年新闻" in read(out, "news/archive/2024/").text


@pytest.mark.site
def test_post_page_and_programme_link_each_other(project, tmp_path):
    post(project)
    out = build(project, tmp_path)
    page = read(out, "news/2025/06-09-kaiban/")
    assert "../../../programmes/2025-test-yanxiuban/" in page.links
    text = page.text
    assert "发布时间：2025年6月9日 10:30" in text and "来源：岱岳大学公共管理学院" in text
    # The credits as read: names sit in no-break spans, between which Page.text adds spaces.
    line = re.search(r'<p class="post-credits">(.*?)</p>', (out / "news/2025/06-09-kaiban/index.html").read_text())
    credits = " ".join(html.unescape(re.sub(r"<[^>]+>", "", line.group(1))).split())
    assert "供稿：李晓彤" in credits and "供图：王晨阳、刘洋" in credits and "审核发布：张文华" in credits
    assert text.index("正文第二段") < text.index("供稿：李晓彤")  # the credits close the post
    programme = read(out, "programmes/2025-test-yanxiuban/")
    assert "相关报道" in programme.headings
    assert "../../news/2025/06-09-kaiban/" in programme.links


@pytest.mark.site
def test_previous_and_next_posts(project, tmp_path):
    many_posts(project)
    out = build(project, tmp_path)
    middle = read(out, "news/2025/06-09-c/")  # between 06-10 d (newer) and 06-09 b (older)
    assert "上一篇： 六月十日" in middle.text and "下一篇： 六月九日上午" in middle.text


@pytest.mark.site
def test_home_page_shows_latest_posts(project, tmp_path):
    order = many_posts(project)
    out = build(project, tmp_path)
    home = read(out, "")
    # 通知公告 comes first on the home page, with the notices alone; 最新动态 then lists every post.
    before, latest = home.text.split("更多通知公告", 1)
    notices = before.rsplit("通知公告", 1)[1]
    assert [t for t in ("六月十日", "六月九日下午") if t in notices] == ["六月十日", "六月九日下午"]
    assert notices.index("六月十日") < notices.index("六月九日下午")
    assert not any(t in notices for t in ("七月一日", "六月九日上午", "旧年新闻"))
    positions = [latest.index(title) for title in order]
    assert positions == sorted(positions)


@pytest.mark.site
def test_feed_parses_in_order_with_timezone(project, tmp_path):
    order = many_posts(project)
    out = build(project, tmp_path)
    feed = feedparser.parse((out / "news/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == order
    first = feed.entries[0]
    assert first.link == "https://peixun.daiyue.edu.cn/news/2025/07-01-e/"
    assert tuple(first.published_parsed[:5]) == (2025, 7, 1, 1, 0)  # 09:00 in Beijing is 01:00 UTC
    assert first.published.endswith("+0800")
    # What the W3C Feed Validator also asks of RSS 2.0: the feed names its own address (atom:link
    # rel=self), each guid is the post's permanent address, and the channel has a language.
    selves = [link.href for link in feed.feed.links if link.rel == "self"]
    assert selves == ["https://peixun.daiyue.edu.cn/news/feed.xml"]
    assert all(e.id == e.link for e in feed.entries)
    assert feed.feed.language == "zh-CN"


@pytest.mark.site
def test_photos_get_size_lazy_loading_and_caption(project, tmp_path):
    project.write("docs/news/2025/heying.png", png(30, 20))
    post(project, edit("正文第二段。", '正文第二段。\n\n    ![学员合影](heying.png "开班后全体学员合影")'))
    out = build(project, tmp_path)
    html = (out / "news/2025/06-09-kaiban/index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="post-figure">(<img[^>]*>)<figcaption>([^<]*)</figcaption></figure>', html)
    assert figure, html
    img, caption = figure.groups()
    assert caption == "开班后全体学员合影"
    assert 'width="30"' in img and 'height="20"' in img and 'loading="lazy"' in img
    assert (out / "news/2025/heying.png").exists()
    assert 'src="../heying.png"' in img  # news/2025/06-09-kaiban/ -> news/2025/heying.png


@pytest.mark.site
def test_photo_series_follows_the_body_in_order_with_captions(project, tmp_path):
    project.write("docs/news/2025/fenzu.png", png(40, 30))
    project.write("docs/news/2025/huibao.png", png(30, 40))
    photos = (
        "photos:\n"
        "      - image: fenzu.png\n        caption: 学员分组讨论\n"
        "      - image: huibao.png\n        caption: 各组代表汇报交流成果\n"
        "    credits:"
    )
    post(project, edit("credits:", photos))
    out = build(project, tmp_path)
    html = (out / "news/2025/06-09-kaiban/index.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="post-figure">(<img[^>]*>)<figcaption>([^<]*)</figcaption></figure>', html)
    assert [caption for _, caption in figures] == ["学员分组讨论", "各组代表汇报交流成果"]
    assert 'src="../fenzu.png"' in figures[0][0] and 'width="40"' in figures[0][0]
    assert html.index("正文第二段") < html.index("学员分组讨论") < html.index("post-credits")
    assert (out / "news/2025/fenzu.png").exists() and (out / "news/2025/huibao.png").exists()


@pytest.mark.unit
def test_missing_photo_in_the_series_names_the_field(project):
    text = edit("credits:", "photos:\n      - image: zuotan.jpg\n        caption: 座谈\n    credits:")
    post(project, text)
    [p] = project.problems()
    assert (p.file, p.line) == (FILE, line_in(text, "zuotan.jpg"))
    assert p.path.startswith("photos") and p.path.endswith("image"), p.path
    assert "zuotan.jpg" in p.message


@pytest.mark.unit
def test_reading_time_counts_chinese_characters():
    assert reading_minutes("字" * 900) == 3
    assert reading_minutes("字" * 100) == 1
    assert reading_minutes("word " * 400) == 2


# --- scaffolding ------------------------------------------------------------------------


@pytest.mark.site
def test_new_post_is_a_complete_draft_and_never_overwrites(project):
    result = project.brochure("new", "post", "新的新闻", "--slug", "xin", "--programme", "2025-test-yanxiuban")
    assert result.returncode == 0, result.stderr
    path = project.root / result.stdout.strip()
    assert path.name.endswith("-xin.md") and path.parent.parent.name == "news"
    text = path.read_text(encoding="utf-8")
    for field in ("title:", "date: 2", "category:", "programme: 2025-test-yanxiuban", "draft: true", "审核发布:"):
        assert field in text
    assert project.problems() == []  # a fresh draft passes the check
    again = project.brochure("new", "post", "另一篇", "--slug", "xin")
    assert again.returncode == 1 and "未覆盖" in again.stderr
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.site
def test_new_programme_passes_the_check_once_its_library_ids_exist(project):
    result = project.brochure("new", "programme", "2027-new-ban")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "programmes/2027-new-ban.yml"
    from brochure.validate import validate

    # A new programme is a draft: its problems are listed apart and block nothing. The example
    # names library ids this small project does not have; nothing else is wrong.
    assert project.problems() == []
    content = validate(project.settings)
    assert [p.slug for p in content.programmes] == ["2025-test-yanxiuban"]
    problems = content.draft_problems
    assert problems and all("未知的" in p.message for p in problems)
    assert all(p.file == "programmes/2027-new-ban.yml" for p in problems)
    assert project.brochure("new", "programme", "2027-new-ban").returncode == 1


@pytest.mark.site
def test_markup_in_a_post_title_is_shown_literally(project, tmp_path):
    post(project, edit("title: 测试研修班开班", 'title: "<script>alert(1)</script> *开班* | A"'))
    out = build(project, tmp_path)
    html = (out / "news/2025/06-09-kaiban/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    page = read(out, "news/2025/06-09-kaiban/")
    assert "<script>alert(1)</script> *开班* | A" in page.headings
    assert "<script>alert(1)</script>" in read(out, "news/").text  # listed literally too


@pytest.mark.unit
def test_remembered_checks_still_see_what_other_files_change(project):
    """A rebuild takes the files it checked before from a memo (validate_once); a file that did
    not change must still be reported when something it refers to did."""
    from brochure.problems import ContentError
    from brochure.validate import validate, validate_once

    text = edit("正文第二段。", "正文第二段。\n\n    ![合影](heying.png)")
    post(project, text)
    photo = project.write("docs/news/2025/heying.png", png(4, 3))
    settings = project.settings
    assert validate_once(settings, workers=2) == validate(settings)
    # One post edited: the rest comes from the memo, and the result is a check from scratch.
    post(project, edit("正文第二段。", "正文第二段。补记一句。"))
    assert validate_once(settings) == validate(settings)
    post(project, text)
    validate_once(settings)

    def problems() -> list[str]:
        try:
            validate_once(settings)
        except ContentError as err:
            return [f"{p.file}: {p.message}" for p in err.problems.items]
        return []

    photo.unlink()  # the post did not change, its photo is gone
    assert [p for p in problems() if p.startswith(FILE) and "heying.png" in p]
    project.write("docs/news/2025/heying.png", png(4, 3))
    assert problems() == []
    # The lecturer the (unchanged) programme names leaves the library.
    project.library("lecturers", MINI_LIBRARIES["lecturers"].replace("zhang-wenhua", "zhang-wenhua-2"))
    assert [p for p in problems() if p.startswith("programmes/2025-test-yanxiuban.yml") and "zhang-wenhua" in p]


@pytest.mark.site
def test_feed_carries_each_posts_whole_text_with_absolute_addresses(project, tmp_path):
    """Feed readers show content:encoded in place of the page: the whole post, its photo and
    links by their full address (a reader has no page to resolve `heying.png` against)."""
    project.write("docs/news/2025/heying.png", png(30, 20))
    post(
        project,
        edit(
            "正文第二段。", "正文第二段，见[培训项目](../../programmes/index.md)。\n\n    ![全体学员合影](heying.png)"
        ),
    )
    out = build(project, tmp_path)
    feed = feedparser.parse((out / "news/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.subtitle == "岱岳大学公共管理学院干部教育培训中心的培训项目、师资与现场教学点"  # site_description
    [entry] = feed.entries
    content = entry.content[0]
    assert content.type == "text/html"
    body = Page(content.value)
    assert "6月9日上午，测试研修班开班。" in body.text and "正文第二段" in body.text
    assert body.resources == ["https://peixun.daiyue.edu.cn/news/2025/heying.png"]
    assert body.links == ["https://peixun.daiyue.edu.cn/programmes/"]
    assert (out / "news/2025/heying.png").is_file()
    # Autodiscovery as feed readers and browser extensions look for it.
    page = (out / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<link rel="alternate" type="application/rss\+xml" [^>]*href="([^"]*)"', page)
    assert found == ["news/feed.xml"]
