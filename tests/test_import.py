"""`brochure import`: saved articles from old sites become news posts, with a report."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.site  # each test runs the brochure CLI, as an editor would

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


@pytest.fixture
def imported(project, tmp_path):
    source = tmp_path / "saved"
    shutil.copytree(FIXTURES, source, ignore=shutil.ignore_patterns("shapes"))  # shapes: test_import_shapes.py
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
    assert str(meta["date"]) == "2022-01-19"  # the source gives no time
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
    assert str(meta["date"]) == "2024-12-26"
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


# --- Nothing already on the site is overwritten by an import (issue 15) ---------------------


def saved_article(folder: Path, title: str, day: str, photo: bytes, name: str = "p1.jpg") -> Path:
    """A saved article with one photo beside it, as an editor's download folder holds them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(photo)
    path = folder / "article.txt"
    text = f"{title}\n\n发布日期：{day}\n来源：培训中心\n\n正文第一段。\n\n![现场]({name})\n"
    path.write_text(text, encoding="utf-8")
    return path


def photo_of(post: Path) -> bytes:
    """The bytes of the photo a reader of the post sees."""
    import re

    [name] = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", body(post))
    return (post.parent / name).read_bytes()


def posts_by_title(project) -> dict[str, Path]:
    return {front_matter(p)["title"]: p for p in (project.root / "docs/news").rglob("*.md")}


def test_two_articles_with_a_photo_of_the_same_name_keep_their_own_photos(project, tmp_path):
    from conftest import png

    saved_article(tmp_path / "saved/a", "甲班开班", "2025-05-01", png(4, 3))
    saved_article(tmp_path / "saved/b", "乙班开班", "2025-06-02", png(5, 3))
    result = project.brochure("import", str(tmp_path / "saved"))
    assert result.returncode == 0, result.stderr
    posts = posts_by_title(project)
    assert photo_of(posts["甲班开班"]) == png(4, 3)
    assert photo_of(posts["乙班开班"]) == png(5, 3)
    assert "p1.jpg → p1-2.jpg" in result.stdout and "没有覆盖" in result.stdout
    assert project.problems() == []


def test_an_imported_photo_never_replaces_a_published_posts_cover(project, tmp_path):
    from conftest import png

    cover = project.write("docs/news/2025/zhizaoye-kaiban-1.jpg", png(8, 6))
    article = saved_article(tmp_path / "saved", "丙班开班", "2025-07-03", png(4, 3), name="zhizaoye-kaiban-1.jpg")
    result = project.brochure("import", str(article))
    assert result.returncode == 0, result.stderr
    assert cover.read_bytes() == png(8, 6)
    post = posts_by_title(project)["丙班开班"]
    assert photo_of(post) == png(4, 3)
    assert "zhizaoye-kaiban-1.jpg → zhizaoye-kaiban-1-2.jpg" in result.stdout


def test_one_article_with_two_photos_of_the_same_name_from_two_folders_shows_both(project, tmp_path):
    from conftest import png

    saved = tmp_path / "saved"
    for folder, photo in (("day1", png(4, 3)), ("day2", png(5, 3))):
        (saved / folder).mkdir(parents=True)
        (saved / folder / "p1.jpg").write_bytes(photo)
    (saved / "article.txt").write_text(
        "庚班开班\n\n发布日期：2025-11-07\n来源：培训中心\n\n![第一天](day1/p1.jpg)\n\n![第二天](day2/p1.jpg)\n",
        encoding="utf-8",
    )
    result = project.brochure("import", str(saved / "article.txt"))
    assert result.returncode == 0, result.stderr
    post = posts_by_title(project)["庚班开班"]
    assert "![第一天](p1.jpg)" in body(post) and "![第二天](p1-2.jpg)" in body(post)
    assert (post.parent / "p1.jpg").read_bytes() == png(4, 3)
    assert (post.parent / "p1-2.jpg").read_bytes() == png(5, 3)


def test_a_photo_already_there_with_the_same_bytes_is_reused_and_said_so(project, tmp_path):
    from conftest import png

    project.write("docs/news/2025/p1.jpg", png(4, 3))
    article = saved_article(tmp_path / "saved", "丁班开班", "2025-08-04", png(4, 3))
    result = project.brochure("import", str(article))
    assert result.returncode == 0, result.stderr
    post = posts_by_title(project)["丁班开班"]
    assert "](p1.jpg)" in body(post) and photo_of(post) == png(4, 3)
    assert sorted(p.name for p in post.parent.glob("*.jpg")) == ["p1.jpg"]
    assert "p1.jpg" in result.stdout and "内容完全相同" in result.stdout


# --- Formats the importer does not read are refused; nothing it writes can block check --------

WORD = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"word/document.xml" + bytes(range(32)) * 4


def nothing_written(project) -> bool:
    news = project.root / "docs/news"
    return not news.exists() or not any(p.is_file() for p in news.rglob("*"))


def test_a_word_file_is_refused_with_a_way_forward_and_nothing_is_written(project, tmp_path):
    word = tmp_path / "开班报道.docx"
    word.write_bytes(WORD)
    result = project.brochure("import", str(word))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "开班报道.docx" in result.stderr and "Word" in result.stderr
    assert "网页" in result.stderr and ".txt" in result.stderr  # how to proceed
    assert nothing_written(project)
    assert project.problems() == []


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200)),
        ("renamed-word.txt", WORD),  # a Word file renamed to .txt is still not text
        ("export.html", bytes(range(256)) * 8),  # not text in any encoding
        ("attachment.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n"),
    ],
)
def test_a_file_that_is_not_a_saved_article_is_refused(project, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = project.brochure("import", str(path))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert name in result.stderr and ".html" in result.stderr  # names the file and what is read
    assert nothing_written(project)


def test_a_folder_holding_a_word_file_imports_nothing_until_it_is_dealt_with(project, tmp_path):
    from conftest import png

    saved_article(tmp_path / "saved/a", "甲班开班", "2025-05-01", png(4, 3))
    (tmp_path / "saved/b").mkdir()
    (tmp_path / "saved/b/结业报道.docx").write_bytes(WORD)
    result = project.brochure("import", str(tmp_path / "saved"))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "结业报道.docx" in result.stderr
    assert nothing_written(project)


def test_control_characters_are_removed_reported_and_the_post_passes_check(project, tmp_path):
    path = tmp_path / "pasted.txt"
    path.write_text(
        "戊班\x03开班\x7f\n\n发布日期：2025-09-05\n来源：培训\x1b中心\n\n"
        "正文\x00第一段\x08。\n\n供稿：李\x01明 编辑：赵\x9f敏\n",
        encoding="utf-8",
    )
    result = project.brochure("import", str(path))
    assert result.returncode == 0, result.stderr
    assert project.problems() == []
    [post] = (project.root / "docs/news").rglob("*.md")
    meta = front_matter(post)
    assert meta["title"] == "戊班开班" and meta["source"] == "培训中心"
    assert meta["credits"]["供稿"] == ["李明"] and meta["credits"]["编辑"] == ["赵敏"]
    assert "正文第一段。" in body(post)
    assert "控制字符" in result.stdout


def test_a_notepad_unicode_text_file_is_read(project, tmp_path):
    """Windows Notepad's "Unicode" is UTF-16 with a byte-order mark: text, not a binary file."""
    path = tmp_path / "notepad.txt"
    path.write_bytes("己班开班\r\n\r\n发布日期：2025-10-06\r\n来源：培训中心\r\n\r\n正文。\r\n".encode("utf-16"))
    result = project.brochure("import", str(path))
    assert result.returncode == 0, result.stderr
    [post] = (project.root / "docs/news").rglob("*.md")
    assert front_matter(post)["title"] == "己班开班"
    assert project.problems() == []


def test_an_image_path_out_of_the_articles_folder_is_never_copied(project, tmp_path):
    # <img src="/etc/passwd"> was copied beside the post and published with the site.
    saved = tmp_path / "saved"
    saved.mkdir()
    (tmp_path / "secret.jpg").write_bytes(b"\xff\xd8\xff" + b"not for the site")
    (saved / "a.html").write_text(
        "<html><body><h1>甲班开班</h1><p>2025-05-01</p><p>正文。</p>"
        '<p><img src="/etc/passwd"></p><p><img src="../secret.jpg"></p></body></html>',
        encoding="utf-8",
    )
    result = project.brochure("import", str(saved / "a.html"))
    assert result.returncode == 0, result.stderr
    news = project.root / "docs/news"
    assert not [p for p in news.rglob("*") if p.name in ("passwd", "secret.jpg")]
    assert "失效图片" in result.stdout or "passwd" in result.stdout


def word_file(path: Path, title: str, day: str, picture: bytes) -> Path:
    """A .docx as Word saves it, with one picture (python-docx)."""
    import io

    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(f"发布时间：{day} 09:00　来源：培训中心")
    document.add_paragraph("正文第一段。")
    document.add_picture(io.BytesIO(picture))
    document.save(path)
    return path


def test_two_word_files_keep_their_own_pictures(project, tmp_path):
    """Every Word file's first picture is word-1.png inside it: beside the posts, each keeps its own."""
    from conftest import png

    saved = tmp_path / "saved"
    saved.mkdir()
    word_file(saved / "甲.docx", "甲班开班", "2025-05-01", png(4, 3))
    word_file(saved / "乙.docx", "乙班开班", "2025-05-02", png(5, 3))
    result = project.brochure("import", str(saved))
    assert result.returncode == 0, result.stderr
    posts = posts_by_title(project)
    assert photo_of(posts["甲班开班"]) == png(4, 3) and photo_of(posts["乙班开班"]) == png(5, 3)
    for post in posts.values():
        [name] = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", body(post))
        assert name.isascii() and name.startswith(front_matter(post)["slug"]), name
    assert project.problems() == []
