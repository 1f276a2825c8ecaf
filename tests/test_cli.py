"""The commands as an editor runs them: clear messages, exit codes, and an intact site/."""

from __future__ import annotations

import pytest

from conftest import MINI_PROGRAMME

pytestmark = pytest.mark.site  # each test runs the brochure CLI, as an editor would


def test_check_passes_on_valid_content(project):
    result = project.brochure("check")
    assert result.returncode == 0, result.stderr
    assert "检查通过：1 个班次，2 位讲师" in result.stdout


def test_check_fails_without_traceback(project):
    project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("end: 2025-06-13", "end: 2025-06-01"))
    result = project.brochure("check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "programmes/2025-test-yanxiuban.yml:5: [dates.end]" in result.stderr


def test_failed_build_leaves_the_previous_site_intact(project):
    first = project.brochure("build")
    assert first.returncode == 0, first.stderr
    page = project.root / "site/programmes/2025-test-yanxiuban/index.html"
    before = page.read_bytes()
    snapshot = sorted(p.relative_to(project.root) for p in (project.root / "site").rglob("*"))

    project.programme(
        "2025-test-yanxiuban", MINI_PROGRAMME.replace("title: 测试研修班", "title: 改过的标题\n    tpye: x")
    )
    second = project.brochure("build")
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert "未知字段 “tpye”" in second.stderr
    assert page.read_bytes() == before
    assert sorted(p.relative_to(project.root) for p in (project.root / "site").rglob("*")) == snapshot


def test_a_failed_search_index_leaves_the_previous_site_intact(project):
    # `brochure build` runs Pagefind itself, after MkDocs; a file where its output folder
    # goes (docs/pagefind) makes it fail.
    assert project.brochure("build").returncode == 0
    snapshot = sorted(p.relative_to(project.root) for p in (project.root / "site").rglob("*"))
    project.write("docs/pagefind", "不是文件夹")
    result = project.brochure("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "搜索索引（Pagefind）生成失败" in result.stderr
    assert "原有的 site/ 未被改动" in result.stderr
    assert sorted(p.relative_to(project.root) for p in (project.root / "site").rglob("*")) == snapshot
    assert not (project.root / ".site.building").exists()


def test_plain_mkdocs_build_also_stops_before_touching_site(project):
    """Users who run `mkdocs build` directly get the same protection and message."""
    import os
    import subprocess
    import sys

    site = project.root / "site"
    site.mkdir()
    (site / "keep.html").write_text("previous build", encoding="utf-8")
    project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("host: daiyue-spa", "host: daiyue-sap"))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "未知的单位编号 “daiyue-sap”" in result.stderr
    assert (site / "keep.html").read_text(encoding="utf-8") == "previous build"


def test_generate_writes_plain_markdown_for_another_builder(project, tmp_path):
    out = tmp_path / "md"
    result = project.brochure("generate", "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = (out / "docs/programmes/2025-test-yanxiuban.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: 测试研修班\n")
    assert "[张文华](../lecturers/zhang-wenhua.md)" in page
    for index in ("programmes", "lecturers", "sites", "organisations"):
        assert (out / "docs" / index / "index.md").exists()
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nplugins: []\n" in config and "\ndocs_dir: docs\n" in config


def test_page_in_docs_that_clashes_with_a_generated_one(project):
    project.write("docs/programmes/2025-test-yanxiuban.md", "# 手写页面\n")
    result = project.brochure("build")
    assert result.returncode == 1
    assert "docs/programmes/2025-test-yanxiuban.md" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_config_file_is_a_message(tmp_path):
    from conftest import run_brochure

    result = run_brochure(tmp_path, "check")
    assert result.returncode != 0
    assert "找不到配置文件" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.unit
@pytest.mark.parametrize("doc", ["docs/editors/index.md", "README.md"])
def test_every_command_the_docs_give_is_one_the_cli_takes(doc):
    """An editor copies commands from the guide: each must exist, with the options it shows."""
    import re
    import shlex

    from brochure.cli import parser
    from conftest import ROOT

    text = (ROOT / doc).read_text(encoding="utf-8")
    commands = re.findall(
        r"brochure ((?:new|check|serve|build|schema|publish|import|generate|benchmark)\b[^`\n]*)", text
    )
    assert len(commands) >= 10, commands
    for command in commands:
        command = re.split(r"[（），。；]|  #", command)[0]
        words = shlex.split(re.sub(r"\[([^\]]*)\]", r"\1", command), comments=True)  # [--strict]: optional
        words = [w.replace("N", "1") if w == "N" else w for w in words if w != "…"]
        if len(words) == 1:  # a command named in a sentence: `brochure publish` 只在…
            words.append("--help")
        try:
            parser().parse_args(words)
        except SystemExit as exit:
            if exit.code != 0:  # 0: the --help above
                pytest.fail(f"{doc}: brochure {command}")
