"""The recipe in this process: one copy of the demo site as any builder gets it (recipe.py),
and the tree's relinking of a post that moves (tree.py)."""

from __future__ import annotations

import pytest

from brochure.recipe import build_site, config_changes
from brochure.tree import relink, split_front_matter
from brochure.validate import load_settings
from brochure.variant import ZH_HANT
from conftest import BUILD_DATE_EPOCH, ROOT

pytestmark = pytest.mark.unit

PROGRAMME = "programmes/2025-xinfang-shegong-shixun.md"
POST = "news/2025/06-09-shebao-yanxiuban-kaiban.md"


@pytest.fixture(scope="module")
def settings():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
        yield load_settings(ROOT / "mkdocs.yml")


@pytest.fixture(scope="module")
def hant(settings):
    return build_site(settings, ZH_HANT, typeset=False)


def test_the_traditional_copy_converts_a_generated_page_once(hant):
    # s2twp is not idempotent: a second pass turned 危機干預 into 危機幹預 and 程序 into 程式.
    meta, body = split_front_matter(hant.pages[PROGRAMME])
    markdown, _ = hant.finish(PROGRAMME, body, meta)
    assert "危機干預" in markdown and "幹預" not in markdown


def test_a_post_gets_its_header_footer_and_escaped_title(settings):
    site = build_site(settings, typeset=False)
    text = (settings.docs_dir / POST).read_text(encoding="utf-8")
    meta, body = split_front_matter(text)
    markdown, meta = site.finish(POST, body, {**meta, "title": "a <b> & c"})
    assert markdown.startswith("# ") and "审核发布：张文华" in markdown and "相关培训项目" in markdown
    assert meta["title"] == site.posts[POST].title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert meta["brochure"]["type"] == "article"
    assert f"{settings.news_dir}/feed.xml" in site.files and "programmes/upcoming.ics" in site.files


def test_the_traditional_copy_changes_the_address_name_and_language(settings):
    config = {"site_url": "https://example.org/peixun", "site_name": "岱岳大学", "extra": {"site": {"address": "济南"}}}
    changes = config_changes(settings, ZH_HANT, config)
    assert changes["site_url"] == "https://example.org/peixun/zh-hant/"
    assert changes["site_name"] == "岱岳大學" and changes["extra.site"] == {"address": "濟南"}
    assert changes["theme.language"] == ZH_HANT
    assert [a["link"] for a in changes["extra.alternate"]] == ["../", ""]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("![合影](images/a.jpg)", "![合影](06/images/a.jpg)"),  # beside the post, which moved up
        ("[班次](../../../programmes/x.md#kecheng)", "[班次](../../programmes/x.md#kecheng)"),
        ('<img src="images/a%20b.jpg">', '<img src="06/images/a%20b.jpg">'),
        ("[站外](https://example.org/a.md) [本页](#top) [邮件](mailto:a@b.cn)", None),  # left alone
        ("[旧稿](old.md)", "[旧稿](06-01-old.md)"),  # a link to another post that moved
        ("[x]: images/a.jpg", "[x]: 06/images/a.jpg"),  # a reference definition
    ],
)
def test_relink_keeps_links_leading_where_they_led(markdown, expected):
    moved = {"news/2025/06/开班.md": "news/2025/06-09-kaiban.md", "news/2025/06/old.md": "news/2025/06-01-old.md"}
    result = relink(markdown, "news/2025/06/开班.md", "news/2025/06-09-kaiban.md", moved)
    assert result == (markdown if expected is None else expected)
