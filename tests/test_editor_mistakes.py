"""What an editor types is kept as typed, and the mistakes a Chinese input method makes get a
hint that names them (issue 15).

Each test here failed before its fix: a value YAML 1.1 silently turned into another value, a
Windows-saved post refused, a draft that blocked the whole site, a hint about the wrong thing.
"""

from __future__ import annotations

import pytest

from brochure.validate import validate
from conftest import MINI_PROGRAMME, REVIEWED_POST

FILE = "programmes/2025-test-yanxiuban.yml"
POST_FILE = "docs/news/2025/06-09-kaiban.md"

POST = REVIEWED_POST


def edit(old: str, new: str, text: str = MINI_PROGRAMME) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def one(problems):
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def line_of(text: str, needle: str) -> int:
    import textwrap

    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# --- YAML 1.1 must not change what was typed ---------------------------------------------


@pytest.mark.unit
def test_a_phone_number_with_a_leading_zero_is_kept_as_typed(project):
    # YAML 1.1 reads 053166661234 as octal: the site showed 王老师 5802517148.
    text = edit(
        "    audience: 基层干部\n",
        "    audience: 基层干部\n    contacts:\n      - name: 王老师\n        phone: 053166661234\n",
    )
    project.programme("2025-test-yanxiuban", text)
    [programme] = validate(project.settings).programmes
    assert programme.data["contacts"][0]["phone"] == "053166661234"


@pytest.mark.unit
@pytest.mark.parametrize("typed", ["no", "yes", "off", "1:30", "1.10", "0x1F", "1_000", "null2"])
def test_a_text_field_keeps_the_characters_typed(project, typed):
    text = edit("    venue:\n      name: 知新楼", f"    venue:\n      name: {typed}")
    project.programme("2025-test-yanxiuban", text)
    [programme] = validate(project.settings).programmes
    assert programme.data["venue"]["name"] == typed


@pytest.mark.unit
def test_credit_names_keep_the_characters_typed(project):
    project.write(POST_FILE, POST.replace("编辑: 赵敏", "编辑: [No, 007]"))
    [post] = validate(project.settings).posts
    assert post.data["credits"]["编辑"] == ["No", "007"]


@pytest.mark.unit
@pytest.mark.parametrize("typed", ["0x50", "0o120", "1_000", "80.0", "1:20"])
def test_a_number_field_takes_only_plain_decimals(project, typed):
    text = edit("    audience: 基层干部\n", f"    audience: 基层干部\n    capacity: {typed}\n")
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert (p.file, p.path, p.line) == (FILE, "capacity", line_of(text, "capacity"))
    assert "应为整数" in p.message and typed in p.message


@pytest.mark.unit
def test_a_number_with_a_leading_zero_is_read_as_decimal(project):
    text = edit("    audience: 基层干部\n", "    audience: 基层干部\n    capacity: 0120\n")
    project.programme("2025-test-yanxiuban", text)
    [programme] = validate(project.settings).programmes
    assert programme.data["capacity"] == 120  # YAML 1.1 alone would say octal 80


@pytest.mark.unit
@pytest.mark.parametrize("typed", ["yes", "Yes", "on", "true"])
def test_draft_yes_is_a_draft(project, typed):
    project.write(POST_FILE, POST.replace("slug: kaiban", f"slug: kaiban\ndraft: {typed}"))
    [post] = validate(project.settings).posts
    assert post.data["draft"] is True


# --- Files as Windows saves them, and files no brochure looks like ------------------------


@pytest.mark.unit
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["crlf", "bom+crlf"])
def test_a_post_saved_by_notepad_is_checked_like_any_other(project, bom):
    # Notepad saves CRLF (and often a BOM): the post was refused as 缺少文件头（front matter）.
    project.write(POST_FILE, bom + POST.replace("\n", "\r\n").encode("utf-8"))
    [post] = validate(project.settings).posts
    assert post.data["title"] == "测试研修班开班"
    assert post.excerpt == "6月9日上午，测试研修班开班。"


@pytest.mark.unit
def test_a_crlf_post_reports_the_right_line(project):
    project.write(POST_FILE, POST.replace("category: 培训动态", "category: 培训动太").replace("\n", "\r\n").encode())
    p = one(project.problems())
    assert (p.file, p.line, p.path) == (POST_FILE, 4, "category")


@pytest.mark.site
def test_a_crlf_post_builds(project):
    project.write(POST_FILE, b"\xef\xbb\xbf" + POST.replace("\n", "\r\n").encode("utf-8"))
    result = project.brochure("build")
    assert result.returncode == 0, result.stderr
    page = (project.root / "site/news/2025/06-09-kaiban/index.html").read_text(encoding="utf-8")
    assert "测试研修班开班" in page and "6月9日上午" in page


@pytest.mark.unit
@pytest.mark.parametrize(
    "nested",
    ["[" * 10_000 + "]" * 10_000, "\n" + "".join("    " + "  " * (i + 1) + "-\n" for i in range(500))],
    ids=["flow", "block"],
)
def test_deep_nesting_is_a_located_problem_not_a_traceback(project, nested):
    text = edit("    audience: 基层干部\n", f"    audience: 基层干部\n    tags: {nested}\n")
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert p.file == FILE and "嵌套" in p.message
    assert p.line >= line_of(text, "tags")


@pytest.mark.unit
def test_overlapping_timetable_items_are_reported(project):
    text = edit(
        '          - time: "08:30-11:30"\n            title: 第一课\n',
        '          - time: "09:00-12:00"\n            title: 第一课\n'
        '          - time: "10:00-11:00"\n            title: 分组讨论\n'
        '          - time: "14:00-15:00"\n            title: 第二课\n',
    )
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert (p.path, p.line) == ("timetable[0].items[1].time", line_of(text, '"10:00-11:00"'))
    assert "重叠" in p.message and "09:00-12:00" in p.message


# --- A draft's problems never block what is ready ------------------------------------------


@pytest.mark.site
def test_a_drafts_problems_are_shown_but_do_not_block_the_site(project):
    draft = POST.replace("slug: kaiban", "slug: kaiban\ndraft: true") + "\n![合影](heying.jpg)\n"
    project.write("docs/news/2025/06-10-draft.md", draft.replace("slug: kaiban", "slug: draft"))
    project.write(POST_FILE, POST)
    check = project.brochure("check")
    assert check.returncode == 0, check.stderr
    assert "草稿" in check.stderr and "docs/news/2025/06-10-draft.md:" in check.stderr and "heying.jpg" in check.stderr
    build = project.brochure("build")
    assert build.returncode == 0, build.stderr
    assert "heying.jpg" in build.stderr and "Traceback" not in build.stderr
    assert (project.root / "site/news/2025/06-09-kaiban/index.html").exists()
    assert not list((project.root / "site/news/2025").glob("06-10-*"))  # the draft is not published
    strict = project.brochure("build", "--strict")
    assert strict.returncode == 1 and "--strict" in strict.stderr and "Traceback" not in strict.stderr


@pytest.mark.site
def test_a_draft_programme_is_not_published_and_its_problems_do_not_block(project):
    project.programme(
        "2026-draft-peixunban",
        edit("    title: 测试研修班", "    draft: true\n    title: 草稿班") + "    capacity: 很多\n",
    )
    project.write(POST_FILE, POST)
    check = project.brochure("check")
    assert check.returncode == 0, check.stderr
    assert "programmes/2026-draft-peixunban.yml:" in check.stderr and "capacity" in check.stderr
    assert "1 个班次" in check.stdout
    build = project.brochure("build")
    assert build.returncode == 0, build.stderr
    assert not (project.root / "site/programmes/2026-draft-peixunban").exists()
    assert "草稿班" not in (project.root / "site/programmes/index.html").read_text(encoding="utf-8")


@pytest.mark.unit
def test_a_post_about_a_programme_taken_back_to_draft_is_published_without_the_link(project):
    # Taking a programme back to draft blocked every post that linked to it.
    project.programme("2025-test-yanxiuban", edit("    title: 测试研修班", "    draft: true\n    title: 测试研修班"))
    project.write(POST_FILE, POST)
    content = validate(project.settings)
    [post] = content.posts
    assert post.data["programme"] is None
    [p] = content.draft_problems
    assert (p.file, p.path, p.line) == (POST_FILE, "programme", 5) and "草稿" in p.message
    # Nor lost to the remembered check (validate_once), after an edit elsewhere.
    from brochure.validate import validate_once

    validate_once(project.settings)
    project.write(LECTURERS, (project.root / LECTURERS).read_text(encoding="utf-8") + "# 注释\n")
    assert validate_once(project.settings).draft_problems == content.draft_problems


@pytest.mark.unit
def test_a_draft_never_takes_the_address_of_a_published_post(project):
    project.write(POST_FILE, POST)
    project.write("docs/news/2025/06-09-a-copy.md", POST.replace("slug: kaiban", "slug: kaiban\ndraft: true"))
    content = validate(project.settings)
    assert [p.file for p in content.posts] == [POST_FILE]
    [p] = content.draft_problems
    assert (p.file, p.path, p.line) == ("docs/news/2025/06-09-a-copy.md", "slug", 7) and "重复" in p.message


@pytest.mark.site
def test_a_new_programme_is_a_draft_until_the_editor_says_otherwise(project):
    result = project.brochure("new", "programme", "2027-new-peixunban")
    assert result.returncode == 0, result.stderr
    text = (project.root / "programmes/2027-new-peixunban.yml").read_text(encoding="utf-8")
    assert "draft: true" in text and "2025年全省社会保险经办机构负责人能力提升研修班" not in text
    settings = project.settings
    assert [p.slug for p in validate(settings).programmes] == ["2025-test-yanxiuban"]


# --- Hints for what a Chinese input method types -------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("typed", "message", "hint"),
    [
        ("capacity：80", "中文冒号", "capacity: "),
        ("capacity:80", "缺少空格", "capacity: "),
        ("　capacity: 80", "全角空格", "半角空格"),
        ("  　name: 王老师", "全角空格", "半角空格"),
    ],
    ids=["full-width colon", "no space after the colon", "full-width space indent", "nested full-width indent"],
)
def test_an_input_method_slip_is_named_on_its_own_line(project, typed, message, hint):
    text = edit("    audience: 基层干部\n", f"    audience: 基层干部\n    {typed}\n")
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert (p.file, p.line) == (FILE, line_of(text, typed.strip("　")))
    assert message in p.message and hint in p.hint
    assert "缺少冒号" not in p.message


@pytest.mark.unit
def test_a_full_width_space_inside_a_block_of_text_is_text(project):
    # Chinese paragraphs start with two full-width spaces; inside `summary: |` that is content.
    text = edit("    audience: 基层干部\n", "    audience: 基层干部\n    summary: |\n      　　本班次聚焦基层治理。\n")
    project.programme("2025-test-yanxiuban", text)
    [programme] = validate(project.settings).programmes
    assert programme.data["summary"] == "　　本班次聚焦基层治理。"


@pytest.mark.unit
def test_curly_quotes_get_a_hint_about_curly_quotes(project):
    text = edit('"08:30-11:30"', "“14:00-17:00”")
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert p.path == "timetable[0].items[0].time"
    assert "中文引号" in p.hint and "加引号" not in p.hint


@pytest.mark.unit
def test_curly_quotes_around_a_value_with_a_colon_get_the_same_hint(project):
    text = edit("    title: 测试研修班", "    title: “研修班: 2025”")
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert p.line == line_of(text, "title:")
    assert "中文引号" in p.hint


@pytest.mark.unit
@pytest.mark.parametrize("typed", ["renshu", "人数", "jihua_renshu"])
def test_a_field_written_as_its_chinese_label_is_named(project, typed):
    # `renshu: 50` got a list of 20 English field names.
    text = edit("    audience: 基层干部\n", f"    audience: 基层干部\n    {typed}: 50\n")
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert (p.path, p.line) == (typed, line_of(text, typed))
    assert "capacity" in p.hint and "计划人数" in p.hint and "可用字段" not in p.hint


# --- One cause, one message ------------------------------------------------------------------

LECTURERS = "programmes/libraries/lecturers.yml"


@pytest.mark.unit
def test_a_library_saved_as_gbk_is_the_one_message(project):
    # Before: its one real cause was buried under an unknown-id message at every reference.
    library = "- id: zhang-wenhua\n  name: 张文华\n  title: 教授\n- id: li-mingde\n  name: 李明德\n"
    project.write(LECTURERS, library.encode("gbk"))
    for n in range(3):
        project.programme(f"2025-test-{n}", MINI_PROGRAMME)
    p = one(project.problems())
    assert (p.file, p.line) == (LECTURERS, 2)
    assert "UTF-8" in p.message and "GBK" in p.message


@pytest.mark.unit
def test_an_id_against_the_rules_is_reported_once_at_the_library(project):
    project.write(LECTURERS, "- id: zhang_wenhua\n  name: 张文华\n- id: li-mingde\n  name: 李明德\n")
    p = one(project.problems())  # the programme's reference to zhang-wenhua is not reported as well
    assert (p.file, p.line, p.path) == (LECTURERS, 1, "[0].id")
    assert "改成 zhang-wenhua" in p.hint


@pytest.mark.unit
def test_the_guides_example_lecturer_can_be_added_to_the_demo_library(demo_copy):
    # The guide's example used wang-zhiyuan, an id the demo library already has: an editor who
    # followed it to the letter got a duplicate-id error.
    import re

    guide = (demo_copy.root / "docs/editors/index.md").read_text(encoding="utf-8")
    example = re.search(r"第 3 步在师资库末尾添加一位讲师的写法如下.*?```yaml\n(.*?)```", guide, re.DOTALL).group(1)
    library = demo_copy.root / LECTURERS
    library.write_text(library.read_text(encoding="utf-8") + example, encoding="utf-8")
    assert demo_copy.problems() == []


@pytest.mark.unit
@pytest.mark.parametrize(
    ("old", "new", "field", "hint"),
    [
        ("      name: 知新楼", "      name：知新楼", "venue", "中文冒号"),
        ("      name: 知新楼", "      name:　知新楼", "venue", "全角空格"),
        ('"08:30-11:30"', '"08：30-11：30"', "timetable[0].items[0].time", "全角字符 “：”"),
        ("    audience: 基层干部", "    audience: 基层干部\n    capacity: ８０", "capacity", "全角字符 “８”"),
        ("    audience: 基层干部", "    audience　: 基层干部", "audience　", "全角空格"),
    ],
    ids=["nested full-width colon", "full-width space after the colon", "time", "digits", "space after a key"],
)
def test_full_width_forms_in_a_value_are_named(project, old, new, field, hint):
    text = edit(old, new)
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())  # a required field written with a full-width space is not "missing" too
    assert p.path == field and hint in p.hint + p.message


@pytest.mark.unit
@pytest.mark.parametrize("character", ["\x00", "\x03", "\x1b"])
def test_an_invisible_control_character_is_found_on_its_line(project, character):
    text = edit("知新楼", f"知新{character}楼")
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert p.line == line_of(text, "知新") and "控制字符" in p.message


@pytest.mark.unit
def test_a_library_that_is_not_a_list_is_the_one_message(project):
    project.write(LECTURERS, "id: zhang-wenhua\nname: 张文华\n")
    p = one(project.problems())
    assert p.file == LECTURERS and "应为列表" in p.message


@pytest.mark.unit
def test_html_nested_hundreds_deep_is_one_problem_not_a_traceback(project):
    body = '<div markdown="1">\n\n' * 330 + "x" + "</div>\n\n" * 330
    project.write(POST_FILE, POST + body)
    p = one(project.problems())
    assert p.file == POST_FILE and "HTML" in p.message


@pytest.mark.unit
def test_a_slip_inside_a_block_of_text_is_not_blamed_for_an_error_elsewhere(project):
    # A paragraph opening with full-width spaces (or "Email:x" in a summary) is the editor's
    # text; an indentation error further down must be reported where it is.
    text = edit(
        "    audience: 基层干部\n",
        "    audience: 基层干部\n    summary: |\n      　　为推动工作。\n      Email:peixun@daiyue.edu.cn\n",
    )
    text = edit("            format: 专题讲座", "             format: 专题讲座", text)
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert p.line >= line_of(text, "lecturers: [zhang-wenhua]")
    assert "全角" not in p.message and "Email" not in p.message


@pytest.mark.unit
@pytest.mark.parametrize(
    ("field", "typed", "expected"),
    [("hours", "010", 10), ("hours", "1.50", 1.5), ("fee", "0700", {"amount": 700, "text": None})],
)
def test_numbers_are_read_in_decimal_as_typed(project, field, typed, expected):
    text = (
        edit("hours: 3", f"hours: {typed}")
        if field == "hours"
        else edit("    audience: 基层干部\n", f"    audience: 基层干部\n    fee: {typed}\n")
    )
    project.programme("2025-test-yanxiuban", text)
    [programme] = validate(project.settings).programmes
    value = programme.data["modules"][0]["sessions"][0]["hours"] if field == "hours" else programme.data["fee"]
    assert value == expected


@pytest.mark.unit
def test_plain_text_keeps_a_full_width_space(project):
    text = edit("    title: 测试研修班", "    title: 练在模拟室　学在接访一线")
    project.programme("2025-test-yanxiuban", text)
    [programme] = validate(project.settings).programmes
    assert programme.data["title"] == "练在模拟室　学在接访一线"


@pytest.mark.unit
def test_a_field_name_yes_is_named_as_typed(project):
    text = edit("    audience: 基层干部\n", "    audience: 基层干部\n    yes: 1\n")
    project.programme("2025-test-yanxiuban", text)
    p = one(project.problems())
    assert p.path == "yes" and "“yes”" in p.message


@pytest.mark.site
def test_a_drafts_problem_does_not_stop_publishing(project, tmp_path):
    # publish builds strictly (a broken link stops it), which also made a draft's problem stop it.
    project.write(POST_FILE, POST)
    draft = POST.replace("slug: kaiban", "slug: draft\ndraft: true") + "\n![合影](heying.jpg)\n"
    project.write("docs/news/2025/06-10-draft.md", draft)
    target = tmp_path / "www"
    result = project.brochure("publish", str(target))
    assert result.returncode == 0, result.stderr
    assert "heying.jpg" in result.stderr and "--strict" not in result.stderr
    assert (target / "news/2025/06-09-kaiban/index.html").exists()


@pytest.mark.unit
def test_a_front_matter_that_never_ends_says_so(project):
    project.write(POST_FILE, POST.replace("---\n\n6月", "\n6月"))
    p = one(project.problems())
    assert p.file == POST_FILE and "没有结束" in p.message


@pytest.mark.unit
def test_a_credit_role_with_a_full_width_colon_is_named_on_its_line(project):
    project.write(POST_FILE, POST.replace("  编辑: 赵敏", "  编辑：赵敏"))
    p = one(project.problems())
    assert (p.file, p.line) == (POST_FILE, 10) and "“编辑”" in p.message and "中文冒号" in p.message


@pytest.mark.unit
def test_an_id_in_chinese_gets_its_pinyin_as_the_hint(project):
    project.write(POST_FILE, POST.replace("slug: kaiban", "slug: 开班"))
    p = one(project.problems())
    assert p.path == "slug" and "kai-ban" in p.hint


@pytest.mark.unit
def test_a_binary_file_saved_as_yaml_is_named_as_such(project):
    from conftest import png

    project.write(FILE, png(2, 2))
    p = one(project.problems())
    assert (p.file, p.line) == (FILE, 1) and "不是文本文件" in p.message
