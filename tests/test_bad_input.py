"""Bad input, case by case, through the command an editor runs (`brochure build`).

Every case must give one clear message naming the file, the line and the field, exit
non-zero, print no traceback, and leave the previously built site exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import MINI_PROGRAMME, REVIEWED_POST, Project, copy_site_config

PROG = "programmes/2025-test-yanxiuban.yml"
LECTURERS = "programmes/libraries/lecturers.yml"
SITES = "programmes/libraries/sites.yml"
ORGS = "programmes/libraries/organisations.yml"
POST_FILE = "docs/news/2025/06-09-kaiban.md"

POST = REVIEWED_POST

LIBRARIES = {
    LECTURERS: "- id: zhang-wenhua\n  name: 张文华\n- id: li-mingde\n  name: 李明德\n",
    SITES: "- id: menglianggu-memorial\n  name: 孟良崮战役纪念馆\n",
    ORGS: "- id: daiyue-spa\n  name: 岱岳大学公共管理学院\n  url: https://spa.daiyue.edu.cn/\n",
}


def programme_text() -> str:
    import textwrap

    return textwrap.dedent(MINI_PROGRAMME).lstrip("\n")


@dataclass
class Case:
    name: str
    file: str  # the file the message must name
    needle: str | int | None  # the line the message must name: its text, its number, or None for "line 1"
    field: str | None  # the field path the message must name (None: the whole file)
    message: str  # part of the message
    change: Callable[[Path], None]

    def __str__(self) -> str:
        return self.name


def edit(relative: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return change


def write(relative: str, content: str | bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return change


def symlink(relative: str, target: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        os.symlink(target, path)

    return change


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        for c in changes:
            c(root)

    return change


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)
)

CASES = [
    # --- programme YAML: syntax
    Case("tab indentation", PROG, "\tname", None, "制表符", edit(PROG, "  name: 知新楼", "\tname: 知新楼")),
    Case("unclosed quote", PROG, 'name: "知新楼', None, "YAML 语法错误", edit(PROG, "name: 知新楼", 'name: "知新楼')),
    Case(
        "duplicate key",
        PROG,
        "audience: 处级",
        "audience",
        "重复出现",
        edit(PROG, "audience: 基层干部", "audience: 基层干部\naudience: 处级干部"),
    ),
    Case(
        "unclosed bracket",
        PROG,
        "lecturers: [zhang",
        None,
        "YAML 语法错误",
        edit(PROG, "lecturers: [zhang-wenhua]", "lecturers: [zhang-wenhua"),
    ),
    Case(
        "colon in a value",
        PROG,
        "title: 测试: 研修班",
        None,
        "YAML 语法错误",
        edit(PROG, "title: 测试研修班", "title: 测试: 研修班"),
    ),
    Case("alias bomb", PROG, None, None, "过多", write(PROG, ALIAS_BOMB)),
    # --- programme YAML: types and keys
    Case(
        "unknown key",
        PROG,
        "capacty",
        "capacty",
        "未知字段",
        edit(PROG, "audience: 基层干部", "audience: 基层干部\ncapacty: 80"),
    ),
    Case(
        "text where a number belongs",
        PROG,
        "capacity",
        "capacity",
        "应为整数",
        edit(PROG, "audience: 基层干部", "audience: 基层干部\ncapacity: 八十"),
    ),
    Case(
        "list where text belongs",
        PROG,
        "title:",
        "title",
        "应为文本",
        edit(PROG, "title: 测试研修班", "title: [测试, 研修班]"),
    ),
    Case(
        "text where a list belongs",
        PROG,
        "objectives",
        "objectives",
        "应为列表",
        edit(PROG, "audience: 基层干部", "audience: 基层干部\nobjectives: 提升能力"),
    ),
    Case(
        # A text field keeps `yes` as typed (test_editor_mistakes.py); a yes/no field needs one.
        "a yes/no field given another word",
        PROG,
        "draft: maybe",
        "draft",
        "应为 true 或 false",
        edit(PROG, "audience: 基层干部", "audience: 基层干部\ndraft: maybe"),
    ),
    Case("missing required field", PROG, None, "audience", "缺少必填字段", edit(PROG, "audience: 基层干部\n", "")),
    Case(
        "unconfigured type", PROG, "type: 研修斑", "type", "不在可选范围内", edit(PROG, "type: 研修班", "type: 研修斑")
    ),
    Case(
        "bad time range",
        PROG,
        '"8:30"',
        "timetable[0].items[0].time",
        "时间段格式不对",
        edit(PROG, '"08:30-11:30"', '"8:30"'),
    ),
    Case("empty file", PROG, None, None, "空", write(PROG, "")),
    Case("not UTF-8", PROG, None, None, "UTF-8", write(PROG, "title: 测试研修班\n".encode("gbk"))),
    Case("very large file", PROG, None, None, "文件过大", write(PROG, "# " + "很" * 1_200_000 + "\n")),
    # --- dates
    Case(
        "malformed date",
        PROG,
        "2025/06/09",
        "dates.start",
        "日期格式不对",
        edit(PROG, "start: 2025-06-09", "start: 2025/06/09"),
    ),
    Case(
        "impossible date",
        PROG,
        "2025-02-30",
        "dates.end",
        "日期不存在",
        edit(PROG, "end: 2025-06-13", "end: 2025-02-30"),
    ),
    Case(
        "month 13",
        PROG,
        "2025-13-01",
        "dates.start",
        "日期不存在",
        edit(PROG, "start: 2025-06-09", "start: 2025-13-01"),
    ),
    Case(
        "end before start",
        PROG,
        "end: 2025-06-01",
        "dates.end",
        "早于开始日期",
        edit(PROG, "end: 2025-06-13", "end: 2025-06-01"),
    ),
    Case(
        "timetable day outside",
        PROG,
        "date: 2025-07-09",
        "timetable[0].date",
        "不在班次日期",
        edit(PROG, "date: 2025-06-09", "date: 2025-07-09"),
    ),
    # --- references and identities
    Case(
        "unknown lecturer",
        PROG,
        "zhang-wenhau",
        "modules[0].sessions[0].lecturers[0]",
        "未知的讲师编号",
        edit(PROG, "[zhang-wenhua]", "[zhang-wenhau]"),
    ),
    Case(
        "unknown site",
        PROG,
        "site: mengliang",
        "site_visits[0].site",
        "未知的现场教学点编号",
        edit(PROG, "audience: 基层干部", "audience: 基层干部\nsite_visits:\n  - site: menglianggu"),
    ),
    Case(
        "unknown organisation",
        PROG,
        "host: daiyue-sap",
        "host",
        "未知的单位编号",
        edit(PROG, "host: daiyue-spa", "host: daiyue-sap"),
    ),
    Case(
        "duplicate slug", PROG, None, None, "重复", write("programmes/2024/2025-test-yanxiuban.yml", programme_text())
    ),
    Case(
        "file name not usable in a URL",
        "programmes/社保班.yml",
        None,
        None,
        "不能用作网址",
        write("programmes/社保班.yml", ""),
    ),
    Case("reserved slug", "programmes/index.yml", None, None, "不能用作网址", write("programmes/index.yml", "")),
    Case(
        "slug collides with a hand-written page",
        PROG,
        None,
        None,
        "重名",
        write("docs/programmes/2025-test-yanxiuban.md", "# 手写\n"),
    ),
    # --- files referred to from YAML
    Case(
        "path traversal",
        PROG,
        "../../etc/passwd",
        "attachments[0].file",
        "docs/ 之外",
        edit(
            PROG, "audience: 基层干部", "audience: 基层干部\nattachments:\n  - title: 通知\n    file: ../../etc/passwd"
        ),
    ),
    Case(
        "missing attachment",
        PROG,
        "notice.pdf",
        "attachments[0].file",
        "找不到文件",
        edit(
            PROG, "audience: 基层干部", "audience: 基层干部\nattachments:\n  - title: 通知\n    file: files/notice.pdf"
        ),
    ),
    Case(
        "symlinked attachment leads out",
        PROG,
        "passwd.pdf",
        "attachments[0].file",
        "docs/ 之外",
        both(
            symlink("docs/files/passwd.pdf", "/etc/passwd"),
            edit(
                PROG,
                "audience: 基层干部",
                "audience: 基层干部\nattachments:\n  - title: 通知\n    file: files/passwd.pdf",
            ),
        ),
    ),
    Case(
        "symlinked programme leads out",
        "programmes/2025-outside.yml",
        None,
        None,
        "项目之外",
        symlink("programmes/2025-outside.yml", "/etc/hostname"),
    ),
    Case(
        "missing cover image",
        PROG,
        "cover.jpg",
        "cover.image",
        "找不到文件",
        edit(PROG, "audience: 基层干部", "audience: 基层干部\ncover:\n  image: images/cover.jpg\n  alt: 合影"),
    ),
    # --- libraries
    Case(
        "duplicate lecturer id",
        LECTURERS,
        3,
        "[1].id",
        "重复",
        edit(LECTURERS, "id: li-mingde", "id: zhang-wenhua"),
    ),
    Case(
        "lecturer without a name",
        LECTURERS,
        "- id: li-mingde",
        "[1].name",
        "缺少必填字段",
        edit(LECTURERS, "  name: 李明德\n", ""),
    ),
    Case(
        "lecturer id with capitals",
        LECTURERS,
        "Li-Mingde",
        "[1].id",
        "不合规则",
        edit(LECTURERS, "id: li-mingde", "id: Li-Mingde"),
    ),
    Case(
        "library is not a list",
        SITES,
        None,
        None,
        "应为列表",
        write(SITES, "menglianggu-memorial:\n  name: 孟良崮战役纪念馆\n"),
    ),
    Case(
        "site with unknown key",
        SITES,
        "adress",
        "[0].adress",
        "未知字段",
        edit(SITES, "  name: 孟良崮战役纪念馆", "  name: 孟良崮战役纪念馆\n  adress: 蒙阴县"),
    ),
    Case(
        "organisation with a bad URL",
        ORGS,
        "url:",
        "[0].url",
        "网址格式不对",
        edit(ORGS, "https://spa.daiyue.edu.cn/", "spa.daiyue.edu.cn"),
    ),
    # --- news front matter and files
    Case("post without front matter", POST_FILE, None, None, "缺少文件头", write(POST_FILE, "# 开班\n\n正文。\n")),
    Case(
        "post front matter YAML error",
        POST_FILE,
        'source: "岱岳',
        None,
        "YAML 语法错误",
        edit(POST_FILE, "source: 岱岳大学公共管理学院", 'source: "岱岳大学'),
    ),
    Case(
        "post impossible date",
        POST_FILE,
        "2025-06-31",
        "date",
        "日期时间不存在",
        edit(POST_FILE, "2025-06-09 10:30", "2025-06-31 10:30"),
    ),
    Case(
        "post unknown category",
        POST_FILE,
        "培训动太",
        "category",
        "不在可选范围内",
        edit(POST_FILE, "category: 培训动态", "category: 培训动太"),
    ),
    Case(
        "post to a programme that does not exist",
        POST_FILE,
        "2025-test-yanxiuba\n",
        "programme",
        "未知的班次编号",
        edit(POST_FILE, "programme: 2025-test-yanxiuban", "programme: 2025-test-yanxiuba"),
    ),
    Case(
        "post without its review chain",
        POST_FILE,
        "credits:",
        "credits",
        "审核信息不全",
        edit(POST_FILE, "  初审: 宋佳\n  复审: 高志明\n", ""),
    ),
    Case(
        "post with an unknown credit role",
        POST_FILE,
        "供搞",
        "credits.供搞",
        "未知的署名角色",
        edit(POST_FILE, "  供稿: 李晓彤", "  供搞: 李晓彤"),
    ),
    Case(
        "post missing image",
        POST_FILE,
        "heying.jpg",
        "正文图片",
        "找不到文件",
        edit(POST_FILE, "测试研修班开班。\n", "测试研修班开班。\n\n![合影](heying.jpg)\n"),
    ),
    Case(
        "post image path traversal",
        POST_FILE,
        "passwd",
        "正文图片",
        "docs/ 之外",
        edit(POST_FILE, "测试研修班开班。\n", "测试研修班开班。\n\n![x](../../../../etc/passwd)\n"),
    ),
    Case(
        "two posts at one URL",
        "docs/news/2025/copy.md",
        "slug: kaiban",
        "slug",
        "重复",
        write("docs/news/2025/copy.md", POST),
    ),
    # --- configuration
    Case(
        "config option of the wrong type",
        "mkdocs.yml",
        "news_per_page",
        "plugins[0].brochure.news_per_page",
        "应为整数",
        edit("mkdocs.yml", "news_per_page: 10", "news_per_page: ten"),
    ),
    Case(
        "config unknown option",
        "mkdocs.yml",
        "pdf_when_missing",
        "plugins[0].brochure.pdf_when_missing",
        "未知字段",
        edit("mkdocs.yml", "pdf_when_unavailable: fail", "pdf_when_missing: fail"),
    ),
    Case(
        "config required role that is no role",
        "mkdocs.yml",
        "required_roles",
        "plugins[0].brochure.required_roles[1]",
        "不在 credit_roles 里",
        edit("mkdocs.yml", "required_roles: [供稿, 编辑,", "required_roles: [供稿, 编缉,"),
    ),
    Case(
        "config YAML error",
        "mkdocs.yml",
        "site_name:",
        None,
        "YAML 语法错误",
        edit("mkdocs.yml", "site_name: 岱岳", "site_name: [岱岳"),
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small project with a programme, libraries and a post, built once."""
    root = tmp_path_factory.mktemp("base")
    copy_site_config(root)
    edit("mkdocs.yml", "zh_hant: true", "zh_hant: false")(root)
    for relative, text in LIBRARIES.items():
        write(relative, text)(root)
    write(PROG, programme_text())(root)
    write(POST_FILE, POST)(root)
    result = Project(root).brochure("build")
    assert result.returncode == 0, result.stderr
    return root


def snapshot(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        digest.update(str(path.relative_to(site)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.unit
def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.site
@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(case: Case, built: Path, tmp_path: Path):
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    before = snapshot(root / "site")
    case.change(root)

    result = Project(root).brochure("build")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    assert "共发现 1 个问题" in result.stderr, result.stderr  # one clear message
    [line] = [text for text in result.stderr.splitlines() if text.startswith(case.file + ":")]
    assert case.message in line, line
    where, _, rest = line.partition(": ")
    number = int(where.rsplit(":", 1)[1]) if where.count(":") else 0
    if case.needle is None:
        assert number in (0, 1), line
    elif isinstance(case.needle, int):
        assert number == case.needle, line
    else:
        text = (root / case.file).read_text(encoding="utf-8", errors="replace")
        expected = next(i for i, content in enumerate(text.splitlines(), 1) if case.needle.strip("\n") in content)
        assert number == expected, line
    if case.field is not None:
        assert f"[{case.field}]" in line, line
    assert snapshot(root / "site") == before  # the previous site is untouched
