"""`brochure import`: saved articles from old sites become news posts, with a report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


@pytest.fixture
def imported(project, tmp_path):
    source = tmp_path / "saved"
    shutil.copytree(FIXTURES, source)
    result = project.brochure("import", str(source))
    assert result.returncode == 0, result.stderr
    posts = {p.name: p for p in (project.root / "docs/news").rglob("*.md")}
    return project, source, result.stdout, posts


def post_from(posts: dict, year: str) -> Path:
    [path] = [p for p in posts.values() if p.parent.name == year]
    return path


def test_old_cms_html_page(imported):
    project, _, report, posts = imported
    path = post_from(posts, "2025")
    meta = front_matter(path)
    assert meta["title"] == "我院举办基层治理能力提升专题培训班"
    assert str(meta["date"]) == "2025-03-31 09:51"
    assert meta["source"] == "干部培训中心"
    assert meta["credits"] == {
        "供稿": ["刘洋"],
        "供图": ["王晨阳"],
        "编辑": ["赵敏"],
        "初审": ["宋佳"],
        "复审": ["高志明"],
        "审核发布": ["张文华"],
    }
    text = body(path)
    # Site furniture is gone from the post and listed in the report.
    for furniture in (
        "首页 | 学院概况",
        "分享到",
        "上一篇",
        "下一篇",
        "相关热词",
        "版权所有",
        "联系电话",
        "地址：",
        "字体",
    ):
        assert furniture not in text, furniture
    for kind in ("[页面头部]", "[分享提示]", "[上一篇/下一篇]", "[相关热词]", "[版权声明]", "[联系方式]", "[失效图片]"):
        assert kind in report, kind
    # The local photo is copied beside the post; the broken one is dropped.
    assert "![结业仪式现场](jieye.jpg)" in text and (path.parent / "jieye.jpg").exists()
    assert "missing-photo" not in text
    # Half-width punctuation inside Chinese is repaired; the lost characters are flagged.
    assert "3月28日，为期三天" in text and "结业。来自" in text and "（重点是实务操作）" in text
    assert "实际??，" in text
    line = next(n for n, content in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "??" in content)
    assert f"需要核对：第 {line} 行" in report
    assert meta["draft"] is True  # flagged: an editor decides


def test_traditional_wechat_text_with_inline_pinyin(imported):
    _, _, report, posts = imported
    path = post_from(posts, "2022")
    meta = front_matter(path)
    assert meta["title"] == "海淀區委黨校舉辦青年幹部培訓班"  # 區(qū) repaired
    assert str(meta["date"]) == "2022-01-19 00:00"
    assert meta["source"] == "海淀區委黨校"
    assert meta["credits"]["责编"] == ["王敏"] and meta["credits"]["审编"] == ["李强"]
    text = body(path)
    assert "(qū)" not in text and "(guān)" not in text and "關注" in text
    assert "掃一掃" not in text and "版權所有" not in text
    assert meta["draft"] is True  # 初审、复审 … are missing
    assert "缺少署名：供稿、编辑、初审、复审、审核发布" in report


def test_portal_markdown_with_credits_in_brackets(imported):
    _, _, report, posts = imported
    path = post_from(posts, "2024")
    meta = front_matter(path)
    assert meta["title"] == "社会工作实训项目学员赴社区开展微调研"
    assert str(meta["date"]) == "2024-12-26 00:00"
    assert meta["source"] == "省社会工作协会"
    assert meta["credits"]["供图"] == ["王晨阳", "刘洋"]
    text = body(path)
    assert "转载请注明" not in text and "上一篇" not in text
    assert "\ufffd" in text  # kept for the editor to fix, and reported with its line
    assert "丢失的字符" in report and meta["draft"] is True


def test_imported_posts_pass_the_check(imported):
    project, *_ = imported
    assert project.problems() == []


def test_importing_again_creates_no_duplicate(imported):
    project, source, _, posts = imported
    again = project.brochure("import", str(source), "--convert", "t2s")
    assert again.returncode == 0, again.stderr
    assert "新导入 0 篇" in again.stdout and "跳过 3 篇" in again.stdout
    assert {p.name: p for p in (project.root / "docs/news").rglob("*.md")}.keys() == posts.keys()


def test_converting_traditional_to_simplified(project, tmp_path):
    result = project.brochure("import", str(FIXTURES / "wechat.txt"), "--convert", "t2s")
    assert result.returncode == 0, result.stderr
    [path] = list((project.root / "docs/news").rglob("*.md"))
    meta = front_matter(path)
    assert meta["title"] == "海淀区委党校举办青年干部培训班"
    assert "来自全区各单位" in body(path)
