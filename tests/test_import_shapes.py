"""`brochure import` against articles as editors really save them, checked as the editor who must
publish them would: the right title, date and time, source and credits; none of the old site's
furniture left in the post (and every removed line shown in the report, so one can be put back);
photos beside the post under ASCII names; lost characters kept exactly and reported at the line
of the post file where they stand; and what the importer guessed listed in `unverified`.

The saved articles are in tests/fixtures/import/shapes/, one folder per real-world shape (the Word
file is built here with python-docx). Each test imports one shape into a fresh project.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_DATE_EPOCH, REVIEWED_POST, png

pytestmark = pytest.mark.site  # each test runs the brochure CLI, as an editor would

SHAPES = Path(__file__).parent / "fixtures" / "import" / "shapes"
WECHAT = SHAPES / "wechat" / "青川区首期社会工作督导人才培训班圆满结业.html"
WECHAT_FILES = SHAPES / "wechat" / "青川区首期社会工作督导人才培训班圆满结业_files"
PORTAL = SHAPES / "portal" / "成都多区联动开展社会工作者能力提升培训.html"
PORTAL_FILES = SHAPES / "portal" / "成都多区联动开展社会工作者能力提升培训_files"
TEXT = SHAPES / "text" / "社工机构探索五社联动助力社区治理.md"
TRADITIONAL = SHAPES / "traditional" / "本校舉辦新進教師教學能力提升研習營.txt"
MARKDOWN = SHAPES / "markdown" / "岱岳区举办社会工作督导沙龙.md"
MARKDOWN_IMAGES = SHAPES / "markdown" / "5. 稍后再看" / "图像"
UNDATED = SHAPES / "undated" / "青川区社区书记领航研修班开班.txt"
UNTITLED = SHAPES / "untitled" / "社区社会工作者培训.txt"

FIELDS = {"title", "date", "source", "body"}
# The post schema spells `unverified` entries as editors read them (标题, 日期, 来源, 正文); the
# contract names the same four fields in English. Either spelling means the same field here.
ALIASES = {"标题": "title", "日期": "date", "来源": "source", "正文": "body"}
# ![alt](name): the name may hold balanced parentheses, 640(1).jpeg, or be written <in brackets>.
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))+)>?[^)]*\)")
LINE_NO = re.compile(r"第\s*(\d+)\s*行")


# --- helpers ---------------------------------------------------------------------------------


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def body_lines(path: Path) -> list[str]:
    return [line.strip() for line in body(path).splitlines() if line.strip()]


def squash(text: str) -> str:
    """Text without whitespace: HTML collapses spaces, a report may wrap or indent."""
    return re.sub(r"\s+", "", text)


def news_files(project) -> dict[Path, bytes]:
    news = project.root / "docs" / "news"
    return {p: p.read_bytes() for p in news.rglob("*") if p.is_file()} if news.exists() else {}


# The CLI run on a later day: its clock (datetime.now, wherever the CLI and the importer read
# it) and SOURCE_DATE_EPOCH both nine days on. No libfaketime here, so the clock is moved in
# the CLI's own process; a clock read some other way is simply not moved.
LATER_CLI = """
import datetime as _dt, sys
class Later(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return _dt.datetime.now(tz) + _dt.timedelta(days=9)
import brochure.cli
for name in ("brochure.cli", "brochure.importer"):
    module = sys.modules.get(name)
    if module is not None and getattr(module, "datetime", None) is _dt.datetime:
        module.datetime = Later
sys.exit(brochure.cli.main(sys.argv[1:]))
"""


def run(project, *args: str, later: bool = False) -> subprocess.CompletedProcess:
    epoch = str(int(BUILD_DATE_EPOCH) + 9 * 86400) if later else BUILD_DATE_EPOCH
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    command = ["-c", LATER_CLI] if later else ["-m", "brochure"]
    return subprocess.run([sys.executable, *command, *args], cwd=project.root, env=env, capture_output=True, text=True)


def import_article(project, path: Path, *options: str):
    """Import one saved article (or a folder); the new post, the report, and what was there before."""
    assert path.exists(), f"fixture missing: {path}"
    before = news_files(project)
    result = run(project, "import", str(path), *options)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("导入报告"), result.stdout
    posts = [p for p in news_files(project) if p.suffix == ".md" and p not in before]
    assert len(posts) == 1, (posts, result.stdout)
    return posts[0], result.stdout, before


def date_of(meta: dict) -> str:
    value = meta["date"]
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value)


def assert_dated(meta: dict, day: str) -> None:
    """The source gives a day and no time: the day, with no made-up time (or 00:00)."""
    assert date_of(meta) in (day, f"{day} 00:00"), date_of(meta)


def unverified(meta: dict) -> set[str]:
    """The fields the importer left for the editor to confirm, by their English names."""
    entries = meta.get("unverified") or []  # no line at all: nothing left to confirm
    assert isinstance(entries, list), f"`unverified` is not a list: {meta}"
    names = {ALIASES.get(entry, entry) for entry in entries}
    assert names <= FIELDS, entries
    return names


def schema_name(field: str) -> str:
    """How a hand-written post spells a field in `unverified`, as the project's schema has it."""
    try:
        from brochure.schema import UNVERIFIED
    except ImportError:
        return field
    if field in UNVERIFIED:
        return field
    return next((name for name, english in ALIASES.items() if english == field and name in UNVERIFIED), field)


def assert_a_sound_post(project, post: Path, before: dict[Path, bytes]) -> dict:
    """What holds for every imported post, whatever its shape."""
    meta = front_matter(post)
    # docs/news/YYYY/MM-DD-<slug>.md, from the article's own date: YYYY-MM-DD, and HH:MM when the
    # source gives a time (each test says which).
    when = date_of(meta)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", when), when
    relative = post.relative_to(project.root).as_posix()
    assert re.fullmatch(rf"docs/news/{when[:4]}/{when[5:7]}-{when[8:10]}-[^/]+\.md", relative), (relative, when)
    # `unverified` lists what the importer guessed; a post with any of it waits as a draft.
    if unverified(meta):
        assert meta["draft"] is True, meta
    # The title is a headline: no Markdown, no link, no paragraph, no metadata.
    title = meta["title"]
    assert title and len(title) <= 40, title
    assert not re.search(r"[\[\]#*]|\]\(|https?://", title), title
    assert not re.search(r"\d{1,2}:\d{2}|来源|來源|发布|發布", title), title
    assert_photos(post, before)
    return meta


def assert_photos(post: Path, before: dict[Path, bytes]) -> None:
    """Photos beside the post, under ASCII names, all shown; nothing that was there is changed."""
    from PIL import Image

    folder = post.parent
    shown = IMAGE.findall(body(post))
    for name in shown:
        assert "/" not in name and ":" not in name, f"not a photo beside the post: {name}"
        assert name.isascii(), name
        assert (folder / name).is_file(), f"the post shows {name}, which is not beside it"
        with Image.open(folder / name) as image:
            image.verify()
    new = [p for p in folder.iterdir() if p.is_file() and p.suffix != ".md" and p not in before]
    for path in new:
        assert path.name.isascii(), path.name
    referenced = {name for md in folder.glob("*.md") for name in IMAGE.findall(body(md))}
    assert {p.name for p in new} <= referenced, ({p.name for p in new}, referenced)
    for path, content in before.items():
        assert path.read_bytes() == content, f"{path} was overwritten"


def assert_furniture_gone(post: Path, report: str, lines: list[str], reported: bool = True) -> None:
    """Each line is out of the post; if `reported`, the report shows it whole (to put it back)."""
    text, shown = squash(body(post)), squash(report)
    for line in lines:
        assert squash(line) not in text, f"left in the post: {line}"
        if reported:
            assert squash(line) in shown, f"removed without a word in the report: {line}"


def assert_damage_reported(post: Path, report: str, damage: str) -> None:
    """The damage is in the post exactly, and the report names it with the line of the post
    file where it stands (the line an editor opens)."""
    file_lines = post.read_text(encoding="utf-8").splitlines()
    assert any(damage in line for line in file_lines), f"{damage!r} was changed or dropped"
    for line in report.splitlines():
        if damage not in line:
            continue
        for number in map(int, LINE_NO.findall(line)):
            if 1 <= number <= len(file_lines) and damage in file_lines[number - 1]:
                return
    raise AssertionError(f"the report does not name {damage!r} at its line in {post.name}:\n{report}")


def photo_bytes(post: Path) -> list[bytes]:
    return [(post.parent / name).read_bytes() for name in IMAGE.findall(body(post))]


# --- 1. A Word file ----------------------------------------------------------------------------

SCHEDULE = [
    ("4月14日上午", "开班式；专题讲座：新时代党的创新理论"),
    ("4月14日下午", "现场教学：孟良崮战役纪念馆"),
    ("4月15日全天", "分组研讨、交流发言与结业式"),
]


def word_file(folder: Path, title_as: str) -> tuple[Path, bytes]:
    import docx
    from docx.shared import Cm

    photo = png(40, 30)
    document = docx.Document()
    if title_as == "heading":
        document.add_heading("东岳市委党校举办青年干部理论研修班", level=1)
    else:  # many drafts have no styles: the first line, in bold, is the title
        document.add_paragraph().add_run("东岳市委党校举办青年干部理论研修班").bold = True
    document.add_paragraph("发布时间：2025-04-15 10:30　　来源：东岳市委党校")
    document.add_paragraph(
        "4月14日至15日，东岳市委党校举办青年干部理论研修班，来自市直各部门和各区县的80名青年干部参加。"
    )
    document.add_paragraph("研修班日程如下：")
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "时间", "内容"
    for when, what in SCHEDULE:
        row = table.add_row()
        row.cells[0].text, row.cells[1].text = when, what
    document.add_paragraph().add_run().add_picture(io.BytesIO(photo), width=Cm(8))
    document.add_paragraph("研修班开班式")
    document.add_paragraph("学员们表示，研修班内容紧贴工作实际，既有理论深度，又有现场感受。")
    document.add_paragraph("文/刘洋 图/王晨阳 编辑：赵敏")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "研修班开班报道.docx"
    document.save(path)
    return path, photo


@pytest.mark.parametrize("title_as", ["heading", "bold"])
def test_a_word_file(project, tmp_path, title_as):
    path, photo = word_file(tmp_path / "saved", title_as)
    post, report, before = import_article(project, path)
    meta = assert_a_sound_post(project, post, before)
    assert meta["title"] == "东岳市委党校举办青年干部理论研修班"
    assert date_of(meta) == "2025-04-15 10:30"
    assert meta["source"] == "东岳市委党校"
    assert meta["credits"]["供稿"] == ["刘洋"]
    assert meta["credits"]["供图"] == ["王晨阳"]
    assert meta["credits"]["编辑"] == ["赵敏"]
    assert unverified(meta) == set()
    lines = body_lines(post)
    assert not any(squash(line).lstrip("#") == "东岳市委党校举办青年干部理论研修班" for line in lines)
    assert_furniture_gone(post, report, ["发布时间：2025-04-15 10:30", "文/刘洋 图/王晨阳 编辑：赵敏"], reported=False)
    # The schedule keeps its rows: each time on the same line as what happens then.
    for when, what in SCHEDULE:
        assert any(when in line and what in line for line in lines), (when, what, lines)
    assert "研修班开班式" in lines  # a caption whose photo is there stays
    assert photo_bytes(post) == [photo]


# --- 2. A WeChat article saved as a web page -----------------------------------------------------

WECHAT_FURNITURE = [
    "预览时标签不可点",
    "阅读原文",
    "微信扫一扫",
    "关注该公众号",
    "继续滑动看下一个",
    "轻触阅读原文",
    "向上滑动看下一个",
    "知道了",
    "使用小程序",
    "取消",
    "允许",
    "留言",
    "收藏",
    "在看",
    "轻点两下取消赞",
    "原创",
    "阅读 1268",
    "微信号",
    "qingchuan_sg",
    "功能介绍",
]


def test_a_wechat_article_saved_as_a_web_page(project, tmp_path):
    saved = tmp_path / "saved"
    shutil.copytree(WECHAT.parent, saved)
    assert (saved / WECHAT_FILES.name / "640(1).jpeg").is_file()
    # A photo of another post already has WeChat's usual name: it must stay as it is.
    taken = project.write("docs/news/2024/640.jpeg", png(9, 9))
    post, report, before = import_article(project, saved / WECHAT.name)
    assert taken in before
    meta = assert_a_sound_post(project, post, before)
    assert meta["title"] == "青川区首期社会工作督导人才培训班圆满结业"
    # The time is only in the page's script (var ct, seconds since 1970): 16:20 in Beijing.
    assert date_of(meta) == "2024-06-26 16:20"
    assert meta["source"] == "青川社工"  # the account (#js_name), not 微信公众平台
    assert meta["credits"]["供稿"] == ["李晓彤"]
    assert meta["credits"]["摄影"] == ["王晨阳"]
    assert meta["credits"]["编辑"] == ["赵敏"]
    assert meta["credits"]["审核发布"] == ["高志明"]
    assert unverified(meta) == set()
    text = body(post)
    assert "6月24日至26日" in text and "骨干督导" in text
    assert "开班仪式现场" in text and "学员分组进行情景模拟" in text  # captions of photos that are there
    for word in WECHAT_FURNITURE:
        assert word not in text, word
    assert "青川社工" not in text and "四川" not in text
    # The two photos of the article, from data-src; not the account's avatar nor its QR code.
    assert photo_bytes(post) == [
        (WECHAT_FILES / "640.jpeg").read_bytes(),
        (WECHAT_FILES / "640(1).jpeg").read_bytes(),
    ]
    assert text.index("开班仪式现场") < text.index("培训邀请")  # in the article's order


# --- 3. A portal page with a numbered disclaimer -------------------------------------------------

DISCLAIMER = [
    "免责声明",
    "1、凡本网注明“来源：天府周刊网”的所有作品，版权均属于天府周刊网，未经本网授权不得转载、摘编或利用其它方式使用上述作品。",
    "2、凡本网注明“来源：XXX（非天府周刊网）”的作品，均转载自其它媒体，转载目的在于传递更多信息，并不代表本网赞同其观点和对其真实性负责。",
    "3、如因作品内容、版权和其它问题需要同本网联系的，请在30日内进行。",
    "4、联系方式：天府周刊网 电话：400-028-6688 电子邮件：tfzk@tfzk-news.cn",
]
CONTACTS = ["※ 联系电话：028-86661234", "※ 投稿邮箱：tougao@tfzk-news.cn"]


def test_a_portal_page_with_a_numbered_disclaimer(project, tmp_path):
    saved = tmp_path / "saved"
    shutil.copytree(PORTAL.parent, saved)
    post, report, before = import_article(project, saved / PORTAL.name)
    meta = assert_a_sound_post(project, post, before)
    # Not the channel label (社会工作) nor the site's header line before it.
    assert meta["title"] == "成都多区联动开展社会工作者能力提升培训"
    assert date_of(meta) == "2025-03-31 09:51"
    assert meta["source"] == "四川新闻网"
    assert meta["credits"]["责编"] == ["陈静", "刘畅"]
    assert unverified(meta) == set()
    # The whole disclaimer goes, items 2 and 3 too (they name no disclaimer), and each is reported.
    assert_furniture_gone(post, report, DISCLAIMER + CONTACTS)
    assert_furniture_gone(
        post,
        report,
        ["天府日报社主管 天府周刊杂志社主办", "设为首页", "版权所有", "蜀ICP备"]
        + ["2025-03-31 09:51:12", "来源:四川新闻网"],
        reported=False,
    )
    lines = body_lines(post)
    assert "社会工作" not in lines and not any(line.startswith("（责编") for line in lines)
    text = body(post)
    assert "3月29日至30日" in text and "专业能力。" in text
    assert "培训现场" in lines  # the caption of a photo that is there stays
    assert photo_bytes(post) == [(PORTAL_FILES / "W020250331389465127312.jpg").read_bytes()]  # not the logo


# --- 4. Text with an unlabelled metadata line, END mark, its own URL and orphan captions -----------


def test_a_text_article_with_unlabelled_metadata_and_orphan_captions(project, tmp_path):
    saved = tmp_path / "saved"
    shutil.copytree(TEXT.parent, saved)
    assert (saved / "images" / "fenzu.jpg").is_file() and not (saved / "images" / "jiabin.jpg").exists()
    post, report, before = import_article(project, saved / TEXT.name)
    meta = assert_a_sound_post(project, post, before)
    assert meta["title"] == "社工机构探索“五社联动”助力社区治理"
    assert date_of(meta) == "2024-06-26 16:17"
    assert meta["source"] == "学习时报"
    assert meta["credits"]["供稿"] == ["徐航"]
    assert meta["credits"]["供图"] == ["成都市锦城社工中心"]
    assert meta["credits"]["编辑"] == ["李想"]
    assert meta["credits"]["审编"] == ["王强"]
    # The captions whose photos are gone go with them, and are reported; the END mark and the
    # article's own address are not the article's text.
    url = "https://www.xxsb-news.cn/shzl/2024-06/26/content_20240626_8812.html"
    assert_furniture_gone(post, report, ["主持人主持", "嘉宾致辞", url])
    assert "END" not in body(post)
    assert any("END" in line for line in report.splitlines()), report
    assert_furniture_gone(post, report, ["16:17:52", "成都市锦城社工中心供图", "编辑：李想"], reported=False)
    lines = body_lines(post)
    assert "学员分组讨论" in lines  # its photo is there
    assert photo_bytes(post) == [(TEXT.parent / "images" / "fenzu.jpg").read_bytes()]
    # U+FFFD is a lost character: kept, reported at its line, and the body is unverified.
    assert "孵\ufffd社区社会组织" in body(post)
    assert_damage_reported(post, report, "\ufffd")
    assert "body" in unverified(meta) and meta["draft"] is True


# --- 5. Traditional Chinese with conversion damage, converted with t2s ------------------------------

DAMAGE = ["?容", "???", ",F(xiàn)", "B(yǎng)", "lián)"]


def test_a_traditional_article_with_lost_characters(project, tmp_path):
    saved = tmp_path / "saved"
    shutil.copytree(TRADITIONAL.parent, saved)
    post, report, before = import_article(project, saved / TRADITIONAL.name, "--convert", "t2s")
    meta = assert_a_sound_post(project, post, before)
    assert meta["title"] == "本校举办新进教师教学能力提升研习营"
    assert_dated(meta, "2022-01-19")  # the source gives no time
    assert meta["source"] == "教务处"
    assert meta["credits"]["供稿"] == ["周文"]
    assert meta["credits"]["摄影"] == ["高霄汉"]
    text = body(post)
    assert "来源" not in text and "发布日期" not in text
    # 區(qū): the pinyin after a real character is a widget's, removed and reported as a repair.
    assert "(qū)" not in text and "各校区的" in text
    assert "qū" in report
    # What replaced a lost character is never "repaired": not ? into ？, not , into ，.
    assert "培训?容" in text and "培训？容" not in text
    assert "实,F(xiàn)" in text and "，F" not in text
    for damage in DAMAGE:
        assert_damage_reported(post, report, damage)
    assert "body" in unverified(meta) and meta["draft"] is True


# --- 6. Markdown with a linked headline and URL-encoded image paths --------------------------------


def test_markdown_with_a_linked_headline_and_encoded_image_paths(project, tmp_path):
    saved = tmp_path / "saved"
    shutil.copytree(MARKDOWN.parent, saved)
    assert (saved / "5. 稍后再看" / "图像" / "合影.png").is_file()
    post, report, before = import_article(project, saved / MARKDOWN.name)
    meta = assert_a_sound_post(project, post, before)
    assert meta["title"] == "岱岳区举办社会工作督导沙龙"
    assert date_of(meta) == "2024-11-08 18:30"
    assert meta["source"] == "岱岳社会工作" or "source" in unverified(meta)
    lines = body_lines(post)
    # The repeated headline (## …) does not stay as the first line of the body.
    assert not any(line.lstrip("#").strip() == "岱岳区举办社会工作督导沙龙" for line in lines), lines
    assert "mp.weixin.qq.com" not in body(post)
    assert not any("原创" in line or "*山东*" in line for line in lines), lines
    assert "11月7日下午" in body(post) and "解决的思路" in body(post)
    # Both photos, found through their %20-encoded paths, now under ASCII names.
    assert photo_bytes(post) == [
        (MARKDOWN_IMAGES / "合影.png").read_bytes(),
        (MARKDOWN_IMAGES / "督导交流 现场.png").read_bytes(),
    ]


# --- 7. No date in the header; no headline at all ---------------------------------------------------


def test_an_article_dated_only_in_its_body(project, tmp_path):
    post, report, before = import_article(project, UNDATED)
    meta = assert_a_sound_post(project, post, before)
    assert meta["title"] == "青川区社区书记领航研修班开班"
    assert date_of(meta).startswith("2024-09-10")  # the first full date of the text, not 9月14日
    assert post.parent.name == "2024" and post.name.startswith("09-10-")
    assert unverified(meta) == {"date"}
    assert meta["draft"] is True
    assert meta["source"] == "青川区委社会工作部"
    assert meta["credits"]["供稿"] == ["李晓彤"]
    assert "2024年9月10日，研修班正式开班" in body(post)  # the sentence stays in the article


def test_an_article_without_a_headline_gets_a_proposed_one(project, tmp_path):
    first = UNTITLED.read_text(encoding="utf-8").split("\n\n")[0]
    assert len(first) >= 150
    post, report, before = import_article(project, UNTITLED)
    meta = assert_a_sound_post(project, post, before)
    title = meta["title"]
    assert "社区社会工作者能力提升专题培训班" in title, title  # the event the text names in “…”
    assert not first.startswith(title), title
    assert {"title", "date"} <= unverified(meta)
    assert meta["draft"] is True
    assert date_of(meta).startswith("2025-05-20")
    assert meta["source"] == "青川区民政局"
    assert squash(first) in squash(body(post))  # the first paragraph is the article's, kept whole


# --- Importing again, on another day, from another folder ------------------------------------------


@pytest.mark.parametrize("saved", [WECHAT, TEXT, UNDATED, UNTITLED], ids=["wechat", "text", "undated", "untitled"])
def test_the_same_article_imported_again_another_day_is_skipped(project, tmp_path, saved):
    first = tmp_path / "first"
    shutil.copytree(saved.parent, first)
    post, _, _ = import_article(project, first / saved.name)
    # The editor proofreads the post meanwhile; then the same article comes in again, from
    # another download folder under another name, a week later.
    text = post.read_text(encoding="utf-8")
    title = front_matter(post)["title"]
    post.write_text(text.replace(f"title: {title}", f"title: {title}（修订）", 1), encoding="utf-8")
    after_edit = news_files(project)
    again = tmp_path / "downloads" / "第二次"
    shutil.copytree(saved.parent, again)
    (again / saved.name).rename(again / f"副本-{saved.name}")
    result = run(project, "import", str(again), later=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "跳过" in result.stdout, result.stdout
    now = news_files(project)
    added = sorted(p.relative_to(project.root).as_posix() for p in now.keys() - after_edit.keys())
    assert not added, f"imported a second time: {added}\n{result.stdout}"
    changed = sorted(p.name for p in after_edit if now.get(p) != after_edit[p])
    assert not changed, f"the editor's work was changed: {changed}"


# --- What `brochure check` says about imported posts ----------------------------------------------


def check(project) -> subprocess.CompletedProcess:
    return run(project, "check")


def test_every_freshly_imported_post_passes_check_without_a_problem(project, tmp_path):
    saved = tmp_path / "saved"
    for shape in (WECHAT, PORTAL, TEXT, MARKDOWN, UNDATED, UNTITLED):
        shutil.copytree(shape.parent, saved / shape.parent.name)
    word_file(saved / "word", "heading")
    result = run(project, "import", str(saved))
    assert result.returncode == 0, result.stdout + result.stderr
    traditional = run(project, "import", str(TRADITIONAL), "--convert", "t2s")
    assert traditional.returncode == 0, traditional.stdout + traditional.stderr
    posts = [p for p in news_files(project) if p.suffix == ".md"]
    assert len(posts) == 8, posts
    for post in posts:
        meta = front_matter(post)
        assert meta["draft"] is True or not unverified(meta), (post.name, meta)
    checked = check(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "问题" not in checked.stderr, checked.stderr  # not even a draft's problem


def line_of(path: Path, key: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(key))


def test_publishing_a_post_with_unverified_fields_fails_check(project, tmp_path):
    post, _, _ = import_article(project, UNDATED)
    assert unverified(front_matter(post)) == {"date"}
    # The editor sets draft: false, and neither checks the date nor clears `unverified`.
    text = post.read_text(encoding="utf-8")
    assert "draft: true" in text
    post.write_text(text.replace("draft: true", "draft: false", 1), encoding="utf-8")
    result = check(project)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    relative = post.relative_to(project.root).as_posix()
    assert f"{relative}:{line_of(post, 'unverified:')}" in output, output
    assert "unverified" in output and "提示" in output, output


def reviewed_post(project, **fields: str) -> Path:
    text = REVIEWED_POST
    for key, value in fields.items():
        if re.search(rf"^{key}:", text, re.M):
            text = re.sub(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)
        else:
            text = text.replace("\ncredits:", f"\n{key}: {value}\ncredits:", 1)
    return project.write("docs/news/2025/06-09-kaiban.md", text)


def test_a_reviewed_post_with_nothing_unverified_passes_check(project):
    reviewed_post(project, unverified="[]")
    result = check(project)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "fields, key",
    [
        ({"unverified": f"[{schema_name('title')}]"}, "unverified:"),
        ({"source": "（来源待补）"}, "source:"),
    ],
    ids=["unverified", "placeholder-source"],
)
def test_a_published_post_that_still_needs_checking_fails_check(project, fields, key):
    post = reviewed_post(project, **fields)
    assert front_matter(post).get("draft", False) is False  # published, as the editor meant
    result = check(project)
    assert result.returncode != 0, result.stdout
    output = result.stdout + result.stderr
    assert f"docs/news/2025/06-09-kaiban.md:{line_of(post, key)}" in output, output
    assert "提示" in output, output
