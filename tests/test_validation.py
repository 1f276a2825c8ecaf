"""Every mistake an editor can make is reported with its file, line and field, all at once."""

from __future__ import annotations

import pytest

from conftest import MINI_PROGRAMME

FILE = "programmes/2025-test-yanxiuban.yml"


def only(problems, file=FILE):
    assert len(problems) == 1, "\n".join(map(str, problems))
    assert problems[0].file == file
    return problems[0]


def line_of(text: str, needle: str) -> int:
    """The 1-based line of `needle` in the (dedented) file text, to compare with reports."""
    import textwrap

    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def edit(old: str, new: str) -> str:
    assert old in MINI_PROGRAMME
    return MINI_PROGRAMME.replace(old, new, 1)


@pytest.mark.unit
def test_valid_project_has_no_problems(project):
    assert project.problems() == []


@pytest.mark.unit
def test_unknown_key_suggests_the_right_one(project):
    text = edit("    audience: 基层干部", "    audience: 基层干部\n    capacty: 80")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert p.line == line_of(text, "capacty")
    assert p.path == "capacty"
    assert "未知字段" in p.message
    assert "capacity" in p.hint


@pytest.mark.unit
def test_wrong_type(project):
    text = edit("    audience: 基层干部", "    audience: 基层干部\n    capacity: 八十人")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert (p.line, p.path) == (line_of(text, "capacity"), "capacity")
    assert "应为整数" in p.message


@pytest.mark.unit
def test_wrong_type_list_expected(project):
    text = edit("lecturers: [zhang-wenhua]", "lecturers: zhang-wenhua")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert (p.line, p.path) == (line_of(text, "lecturers:"), "modules[0].sessions[0].lecturers")
    assert "应为列表" in p.message


@pytest.mark.unit
def test_missing_required_field(project):
    text = edit("    audience: 基层干部\n", "")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert p.path == "audience"
    assert "缺少必填字段" in p.message
    assert p.line == 1  # the top of the file: the field is nowhere


@pytest.mark.unit
def test_missing_required_nested_field_points_at_its_parent(project):
    text = edit("          - title: 第一课\n            lecturers", "          - lecturers")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert p.path == "modules[0].sessions[0].title"
    assert p.line == line_of(text, "- lecturers")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("2025-13-01", "日期不存在"),
        ("2025-02-30", "日期不存在"),
        ("2025/06/09", "日期格式不对"),
        ("六月九日", "日期格式不对"),
    ],
)
def test_malformed_dates(project, bad, message):
    text = edit("start: 2025-06-09", f"start: {bad}")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert (p.line, p.path) == (line_of(text, "start:"), "dates.start")
    assert message in p.message


@pytest.mark.unit
def test_end_before_start(project):
    text = edit("end: 2025-06-13", "end: 2025-06-01")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert (p.line, p.path) == (line_of(text, "end:"), "dates.end")
    assert "早于开始日期" in p.message


@pytest.mark.unit
def test_timetable_date_outside_programme(project):
    text = edit("      - date: 2025-06-09", "      - date: 2025-06-20")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert (p.line, p.path) == (line_of(text, "date: 2025-06-20"), "timetable[0].date")
    assert "不在班次日期" in p.message


@pytest.mark.unit
def test_unknown_lecturer_suggests_the_right_id(project):
    text = edit("lecturers: [zhang-wenhua]", "lecturers: [zhang-wenhau]")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert (p.line, p.path) == (line_of(text, "zhang-wenhau"), "modules[0].sessions[0].lecturers[0]")
    assert "未知的讲师编号" in p.message
    assert "zhang-wenhua" in p.hint


@pytest.mark.unit
def test_unknown_site_and_organisation(project):
    text = edit("    host: daiyue-spa", "    host: daiyue-sap\n    site_visits:\n      - site: menglianggu")
    project.programme("2025-test-yanxiuban", text)
    problems = project.problems()
    assert [(p.path, p.line) for p in problems] == [
        ("host", line_of(text, "host:")),
        ("site_visits[0].site", line_of(text, "- site:")),
    ]
    assert "daiyue-spa" in problems[0].hint
    assert "menglianggu-memorial" in problems[1].hint


@pytest.mark.unit
def test_unit_written_out_in_chinese_is_free_text(project):
    project.programme("2025-test-yanxiuban", edit("host: daiyue-spa", "host: 某市委组织部"))
    assert project.problems() == []


@pytest.mark.unit
def test_bad_time_range(project):
    text = edit('"08:30-11:30"', '"11:30-08:30"')
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert p.path == "timetable[0].items[0].time"
    assert "不晚于开始时间" in p.message


@pytest.mark.unit
def test_unconfigured_programme_type(project):
    text = edit("type: 研修班", "type: 研修斑")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert (p.line, p.path) == (line_of(text, "type:"), "type")
    assert "研修班" in p.hint


@pytest.mark.unit
def test_duplicate_slug_across_folders(project):
    project.write("programmes/2024/2025-test-yanxiuban.yml", MINI_PROGRAMME)
    p = only(project.problems(), file="programmes/2025-test-yanxiuban.yml")
    assert "重复" in p.message
    assert "programmes/2024/2025-test-yanxiuban.yml" in p.message


@pytest.mark.unit
def test_duplicate_library_id(project):
    text = """
        - id: zhang-wenhua
          name: 张文华
        - id: zhang-wenhua
          name: 张文化
        """
    project.library("lecturers", text)
    p = only(project.problems(), file="programmes/libraries/lecturers.yml")
    assert (p.line, p.path) == (3, "[1].id")
    assert "重复" in p.message and "第 1 行" in p.message


@pytest.mark.unit
def test_duplicate_key_is_not_silently_overwritten(project):
    text = edit("    audience: 基层干部", "    audience: 基层干部\n    audience: 处级干部")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert (p.line, p.path) == (line_of(text, "处级干部"), "audience")
    assert "重复出现" in p.message


@pytest.mark.unit
def test_yaml_syntax_error_gives_its_line(project):
    text = edit("    venue:\n      name: 知新楼", '    venue:\n      name: "知新楼\n    host2: x')
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert "YAML 语法错误" in p.message
    assert p.line >= line_of(text, '"知新楼')
    assert "引号" in p.hint


@pytest.mark.unit
def test_tab_indentation(project):
    text = edit("      name: 知新楼", "\tname: 知新楼")
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert p.line == line_of(text, "\tname")
    assert "制表符" in p.message


@pytest.mark.unit
def test_bad_file_name(project):
    project.programme("2025 社保班")
    p = only(project.problems(), file="programmes/2025 社保班.yml")
    assert "不能用作网址" in p.message


@pytest.mark.unit
def test_empty_file(project):
    project.write("programmes/2025-empty.yml", "")
    p = only(project.problems(), file="programmes/2025-empty.yml")
    assert "空" in p.message


@pytest.mark.unit
def test_not_utf8(project):
    project.write("programmes/2025-gbk.yml", "title: 测试\n".encode("gbk"))
    p = only(project.problems(), file="programmes/2025-gbk.yml")
    assert "UTF-8" in p.message


@pytest.mark.unit
def test_byte_order_mark_is_accepted(project):
    project.write("programmes/2025-bom.yml", "\ufeff" + MINI_PROGRAMME.replace("\n    ", "\n").lstrip())
    assert project.problems() == []


@pytest.mark.unit
def test_attachment_outside_docs_is_refused(project):
    text = edit(
        "    audience: 基层干部",
        "    audience: 基层干部\n    attachments:\n      - title: 通知\n        file: ../../etc/passwd",
    )
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert p.path == "attachments[0].file"
    assert "docs/ 之外" in p.message


@pytest.mark.unit
def test_missing_attachment(project):
    text = edit(
        "    audience: 基层干部",
        "    audience: 基层干部\n    attachments:\n      - title: 通知\n        file: files/notice.pdf",
    )
    project.programme("2025-test-yanxiuban", text)
    p = only(project.problems())
    assert (p.path, p.line) == ("attachments[0].file", line_of(text, "notice.pdf"))
    assert "找不到文件" in p.message


@pytest.mark.site
def test_broken_demo_reports_every_problem_at_once(demo_copy):
    """`check` on a broken copy of the demo lists all the problems in one run."""
    shebao = demo_copy.root / "programmes/2025-shebao-jingban-yanxiuban.yml"
    text = shebao.read_text(encoding="utf-8")
    text = text.replace("type: 研修班", "tpye: 研修班").replace("end: 2025-06-13", "end: 2025-06-03")
    text = text.replace("[zhang-wenhua]", "[zhang-wenhau]", 1)
    shebao.write_text(text, encoding="utf-8")
    broken = demo_copy.root / "programmes/2025-xinfang-shegong-shixun.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8")

    result = demo_copy.brochure("check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    report = result.stderr
    assert "2025-shebao-jingban-yanxiuban.yml" in report and "2025-xinfang-shegong-shixun.yml" in report
    for expected in ("未知字段 “tpye”", "缺少必填字段 “type”", "早于开始日期", "zhang-wenhau", "YAML 语法错误"):
        assert expected in report, report
    assert "共发现 5 个问题" in report
