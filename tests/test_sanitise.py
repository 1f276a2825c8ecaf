"""Editors' HTML: unsafe parts are reported by `check` and never published; text shows as typed.

Raw HTML pasted into a post body or a Markdown field (summary, how to apply, bio,
description) is cleaned with an allow-list; a post's plain-text summary goes into the feed
as text; credits and sources show exactly the characters the editor typed.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import markdown
import pytest
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

import brochure.sanitise
from brochure.catalogue import Category, Post
from brochure.feed import rss_feed
from brochure.model import build_catalogue
from brochure.render import Snippets, make_environment, render_page
from brochure.sanitise import clean_html, removed, unsafe_markdown
from brochure.search import INDEXED_BY_CALLER
from brochure.validate import load_settings, validate
from conftest import BUILD_DATE_EPOCH, MINI_PROGRAMME
from htmlcheck import Page, read

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = load_settings(ROOT / "mkdocs.yml")
EXTENSIONS = [
    e if isinstance(e, str) else next(iter(e))
    for e in yaml.safe_load(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0].split("markdown_extensions:")[1]
    )
]

# What editors paste, and what each would do on a reader's screen.
IMG_ONERROR = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
JS_LINK = "[报名](javascript:alert(3))"
YOUKU = '<iframe src="https://player.youku.com/embed/XNDkwNjQ" width="510" height="498"></iframe>'
# Characters md_escape guards with a backslash; a reader must see none of the backslashes.
MARKDOWN_CHARS = "{{7*7}} a_b [x] #1 | ! `c`"


def html_of(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def visible(fragment: str) -> str:
    return Page(fragment).text


# --- what the allow-list keeps and drops ----------------------------------------------


RICH_POST = """\
## 开班仪式

6月9日上午，**研修班**在知新楼开班，*学员* 60 人。咨询：[邮件](mailto:peixun@daiyue.edu.cn)、
[电话](tel:0531-88361234)、[学院网站](https://www.daiyue.edu.cn/a?b=1&c=2)、[课程表](../kecheng/)。

| 时间 | 内容 |
|:--|--:|
| 上午 | 开班式 |

<figure>
<img src="kaiban-1.jpg" alt="开班仪式现场">
<figcaption>开班仪式现场</figcaption>
</figure>

<table><tr><td>从 Word <b>粘贴</b>的表格</td><td><sup>1</sup></td></tr></table>

![学员合影](heying.jpg "全体学员合影")

> 引用一段讲话。

1. 第一条
2. 第二条
"""


@pytest.mark.unit
def test_what_a_news_post_needs_is_kept_whole():
    page = html_of(RICH_POST)
    assert unsafe_markdown(RICH_POST) == []
    assert removed(page) == []
    cleaned = clean_html(page)
    assert visible(cleaned) == visible(page)
    for kept in (
        'href="mailto:peixun@daiyue.edu.cn"',
        'href="tel:0531-88361234"',
        'href="https://www.daiyue.edu.cn/a?b=1&amp;c=2"',
        'href="../kecheng/"',
        '<img src="kaiban-1.jpg" alt="开班仪式现场">',
        "<figcaption>开班仪式现场</figcaption>",
        '<th style="text-align:left">时间</th>',
        "<b>粘贴</b>",
        "<blockquote>",
        "<ol>",
    ):
        assert kept in cleaned, kept


@pytest.mark.unit
@pytest.mark.parametrize(
    ("pasted", "reported", "gone"),
    [
        (f"正文{IMG_ONERROR}第二句", "<img> 的 onerror 属性", "onerror"),
        (SCRIPT, "<script> 标签", "alert(2)"),
        (f"请{JS_LINK}。", "链接地址 “javascript:alert(3)”", "javascript:"),
        (YOUKU, "<iframe> 标签", "youku"),
        ("![照片](https://mmbiz.qpic.cn/a.jpg)", "图片地址 “https://mmbiz.qpic.cn/a.jpg”", "qpic"),
        ('<span style="font-family:宋体">文字</span><o:p></o:p>', "<span> 的 style 属性", "宋体"),
        ('段落\n{: onmouseover="alert(4)" }', "<p> 的 onmouseover 属性", "alert(4)"),
    ],
)
def test_unsafe_html_is_named_and_removed(pasted, reported, gone):
    found = unsafe_markdown(pasted, "peixun.daiyue.edu.cn")
    assert any(reported in what for _, what in found), found
    cleaned = clean_html(html_of(pasted), "peixun.daiyue.edu.cn")
    assert gone not in cleaned


@pytest.mark.unit
def test_images_from_the_site_itself_are_kept():
    own = "![合影](https://peixun.daiyue.edu.cn/news/heying.jpg)\n\n![合影](/news/heying.jpg)"
    assert unsafe_markdown(own, "peixun.daiyue.edu.cn") == []
    assert clean_html(html_of(own), "peixun.daiyue.edu.cn").count("heying.jpg") == 2


@pytest.mark.unit
def test_each_unsafe_part_gets_its_own_line():
    text = f"第一段。\n\n{SCRIPT}\n\n第三段{IMG_ONERROR}，再{JS_LINK}。"
    assert unsafe_markdown(text) == [
        (2, ["<script> 标签"]),
        (4, ["链接地址 “javascript:alert(3)”", "<img> 的 onerror 属性"]),
    ]


@pytest.mark.unit
def test_the_demo_pages_lose_nothing_to_the_cleaner():
    """The templates' own HTML (buttons, cards, status labels, credits, permalinks) is all
    allowed, so cleaning a whole page removes only what an editor pasted."""
    content = validate(SETTINGS)
    catalogue = build_catalogue(content, SETTINGS)
    env = make_environment(SETTINGS, has_pdf=True)
    extensions = [*(e for e in EXTENSIONS if e != "toc"), "toc"]
    md = markdown.Markdown(extensions=extensions, extension_configs={"toc": {"permalink": True}})
    pages = [("programme.md.j2", p.path, {"p": p}) for p in catalogue.programmes]
    pages += [("lecturer.md.j2", e.path, {"e": e}) for e in catalogue.lecturers]
    pages += [("site.md.j2", e.path, {"e": e}) for e in catalogue.sites]
    pages += [("organisation.md.j2", e.path, {"e": e}) for e in catalogue.organisations]
    pages += [
        (t, post.path, {"post": post}) for post in catalogue.news for t in ("post-header.md.j2", "post-footer.md.j2")
    ]
    for template, path, context in pages:
        page = render_page(env, template, path, catalogue=catalogue, **context)
        page = page.split("\n---\n", 1)[-1]
        assert removed(md.reset().convert(page), "peixun.daiyue.edu.cn") == [], path
    for post in catalogue.news:
        body = (SETTINGS.docs_dir / post.path).read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert removed(md.reset().convert(body), "peixun.daiyue.edu.cn") == [], post.path


# --- check: file, line and field --------------------------------------------------------


POST = f"""
    ---
    title: 测试研修班开班
    date: 2025-06-09 10:30
    category: 培训动态
    source: 岱岳大学公共管理学院
    slug: kaiban
    summary: "摘要里写 {IMG_ONERROR} 也只是文字"
    credits:
      供稿: "{MARKDOWN_CHARS}"
      编辑: 赵敏
      初审: 宋佳
      复审: 高志明
      审核发布: 张文华
    ---

    6月9日上午，测试研修班开班。

    <p>从微信粘贴：{IMG_ONERROR}</p>

    {SCRIPT}

    正文第二段，{JS_LINK}。

    {YOUKU}
    """


def unsafe_project(project) -> None:
    text = MINI_PROGRAMME.replace(
        "audience: 基层干部", f"audience: 基层干部\n    summary: |\n      简介第一行\n      {IMG_ONERROR}"
    )
    text = text.rstrip() + f"\n    registration:\n      how: '{JS_LINK}'\n"
    project.programme("2025-test-yanxiuban", text)
    project.library(
        "lecturers",
        f"""
        - id: zhang-wenhua
          name: 张文华
          bio: "{SCRIPT}"
        - id: li-mingde
          name: 李明德
        """,
    )
    project.library(
        "sites",
        f"""
        - id: menglianggu-memorial
          name: 孟良崮战役纪念馆
          kind: 红色教育基地
          description: '{YOUKU}'
        """,
    )
    project.write("docs/news/2025/06-09-kaiban.md", POST)


@pytest.mark.unit
def test_check_names_file_line_and_field_of_each_unsafe_part(project):
    unsafe_project(project)
    found = {(p.file, p.line, p.path): p for p in project.problems()}
    post = "docs/news/2025/06-09-kaiban.md"
    expected = {
        ("programmes/2025-test-yanxiuban.yml", 10, "summary"): "<img> 的 onerror 属性",
        ("programmes/2025-test-yanxiuban.yml", 27, "registration.how"): "javascript:alert(3)",
        ("programmes/libraries/lecturers.yml", 3, "[0].bio"): "<script> 标签",
        ("programmes/libraries/sites.yml", 4, "[0].description"): "<iframe> 标签",
        (post, 18, "正文"): "<img> 的 onerror 属性",
        (post, 20, "正文"): "<script> 标签",
        (post, 22, "正文"): "javascript:alert(3)",
        (post, 24, "正文"): "<iframe> 标签",
    }
    for where, what in expected.items():
        assert where in found, (where, sorted(found))
        assert what in found[where].message and found[where].hint, found[where]
    assert "（这段文字的第 2 行）" in found["programmes/2025-test-yanxiuban.yml", 10, "summary"].message
    # The plain-text summary is text, not HTML: nothing to report there.
    assert not any(p.path == "summary" and p.file == post for p in found.values())


# --- the feed, credits and sources ------------------------------------------------------


def a_post(**changes) -> Post:
    # A demo post's file: the feed carries the body of the file it names (content:encoded).
    post = {
        "path": "news/2025/06-09-shebao-yanxiuban-kaiban.md",
        "url": "news/2025/06-09-shebao-yanxiuban-kaiban/",
        "file": "docs/news/2025/06-09-shebao-yanxiuban-kaiban.md",
        "title": "测试研修班开班",
        "date": datetime(2025, 6, 9, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        "category": Category(name="培训动态", path="news/category/training.md"),
        "source": MARKDOWN_CHARS,
        "excerpt": f"摘要 {IMG_ONERROR} & <b>粗</b>",
        "credits": [("供稿", [MARKDOWN_CHARS, "李晓彤"]), ("编辑", ["赵*敏*"])],
        "reading_minutes": 1,
    }
    return Post(**{**post, **changes})


@pytest.mark.unit
def test_a_feed_reader_shows_the_summary_as_typed():
    feed = feedparser.parse(rss_feed([a_post()], "培训中心", "https://peixun.daiyue.edu.cn/", SETTINGS))
    assert not feed.bozo, feed.bozo_exception
    summary = feed.entries[0].summary
    assert "<img" not in summary and "<b>" not in summary  # no element reaches the reader
    assert visible(summary) == f"摘要 {IMG_ONERROR} & <b>粗</b>"  # what the reader sees


@pytest.mark.unit
def test_credits_and_sources_show_without_backslashes():
    env = make_environment(SETTINGS)
    post = a_post()
    footer = html_of(render_page(env, "post-footer.md.j2", post.path, post=post, catalogue=None))
    # As read: the text nodes side by side (names sit in spans that keep them on one line, and
    # Page.text would put a space between spans); the ideographic space between credits stays.
    read = " ".join(html.unescape(re.sub(r"<[^>]+>", "", footer)).split())
    assert f"供稿：{MARKDOWN_CHARS}、李晓彤 编辑：赵*敏*" in read
    header = html_of(render_page(env, "post-header.md.j2", post.path, post=post, catalogue=None))
    assert f"来源：{MARKDOWN_CHARS}" in visible(header)
    listing = html_of(str(Snippets(env, lambda target: "x/").post_summary(post)))
    assert f" · {MARKDOWN_CHARS} · 培训动态" in visible(listing)
    for fragment in (footer, header, listing):
        assert "\\" not in visible(fragment)
        assert "<em>" not in fragment and "<code>" not in fragment  # and nothing became markup


# --- one build, with the check bypassed -------------------------------------------------


@pytest.mark.site
def test_a_built_site_holds_none_of_it_even_unchecked(project, tmp_path, monkeypatch):
    unsafe_project(project)
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("pdf: true", "pdf: false"), encoding="utf-8")
    monkeypatch.setattr(brochure.sanitise, "unsafe_markdown", lambda text, host="": [])  # check bypassed
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    monkeypatch.setenv(INDEXED_BY_CALLER, "1")  # no search index: not what this test is about
    monkeypatch.setenv("BROCHURE_NO_PAGE_CACHE", "1")
    monkeypatch.chdir(project.root)
    out = tmp_path / "out"
    mkdocs_config = load_config(str(config), site_dir=str(out))
    mkdocs_config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(mkdocs_config)

    pages = {
        "programmes/2025-test-yanxiuban/": "简介第一行",
        "lecturers/zhang-wenhua/": "张文华",
        "sites/menglianggu-memorial/": "孟良崮战役纪念馆",
        "news/2025/06-09-kaiban/": "正文第二段",
    }
    for url, text in pages.items():
        page = read(out, url)
        # As a browser would take the page: no handler, no inline script, no javascript:
        # link, no player from another host. (Escaped text in <meta> is only text.)
        assert not any(name.startswith("on") for _, attrs in page.elements for name in attrs), url
        assert "<script>alert(2)" not in (out / url / "index.html").read_text(encoding="utf-8"), url
        assert not any(link.startswith("javascript:") for link in page.links), url
        assert not any(tag == "iframe" for tag, _ in page.elements), url
        assert not any("youku" in r for r in page.resources), url
        assert text in page.text, url
    post = read(out, "news/2025/06-09-kaiban/")
    assert "来源：岱岳大学公共管理学院" in post.text and f"供稿：{MARKDOWN_CHARS}" in post.text
    listing = read(out, "news/")
    assert f"摘要里写 {IMG_ONERROR} 也只是文字" in listing.text
    feed = feedparser.parse((out / "news/feed.xml").read_bytes())
    assert html.unescape(feed.entries[0].summary) == f"摘要里写 {IMG_ONERROR} 也只是文字"


@pytest.mark.unit
def test_the_pdf_brochure_holds_none_of_it_either():
    # The PDF is typeset from the page's Markdown by its own converter: WeasyPrint would fetch
    # another host's image and keep a javascript: link.
    from brochure.pdf import brochure_html

    markdown = '# 班次\n\n简介 <img src="https://evil.example/x.png" onerror="alert(1)"> [报名](javascript:alert(1))\n'
    html = brochure_html(markdown, "班次", "岱岳", "https://peixun.daiyue.edu.cn/p/", "https://peixun.daiyue.edu.cn/")
    assert "evil.example" not in html and "javascript:" not in html and "onerror" not in html
    assert "简介" in html and "报名" in html
