"""Links (symlinks) in docs/: MkDocs follows every one of them when it copies docs/ into the
site, so a link to /etc/passwd publishes the build machine's password file, and a link to a
folder above itself is copied 40 levels deep until the build dies with a traceback. The check
refuses such links, each as one located problem, before MkDocs walks docs/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from brochure.problems import ContentError
from brochure.validate import validate_once
from conftest import BUILD_DATE_EPOCH, Project

HINT = "请把文件本身复制到 docs/ 里，而不是放快捷方式/链接"


@pytest.fixture
def small(project: Project) -> Project:
    """The small project without PDFs (they are not what these tests are about), with an
    earlier site/ that a failed build must leave as it was."""
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("pdf: true", "pdf: false"), encoding="utf-8")
    project.write("site/index.html", "<p>上一次发布的网站</p>")
    return project


def assert_refused(project: Project, command: str, link: str) -> str:
    result = project.brochure(command)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert f"{link}:" in output  # the link, as the editor sees it: relative to the project
    assert "共发现 1 个问题" in output, output
    if command == "build":
        assert (project.root / "site/index.html").read_text(encoding="utf-8") == "<p>上一次发布的网站</p>"
        assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == []
    return output


@pytest.mark.site
def test_a_link_to_a_file_outside_the_project_is_refused_and_never_published(small: Project):
    os.symlink("/etc/passwd", small.root / "docs/assets/passwd.txt")
    for command in ("check", "build"):
        output = assert_refused(small, command, "docs/assets/passwd.txt")
        assert HINT in output
    assert not [p for p in (small.root / "site").rglob("*") if "passwd" in p.name]


@pytest.mark.site
def test_a_link_to_a_folder_outside_docs_is_refused(small: Project):
    # The project's own content and whatever else sits beside docs/ (.git, .env) is not for the site.
    os.symlink("../../programmes", small.root / "docs/assets/programmes")
    assert_refused(small, "check", "docs/assets/programmes")


@pytest.mark.site
def test_a_link_to_a_folder_above_itself_is_refused_without_hanging(small: Project):
    os.symlink("..", small.root / "docs/assets/loop")
    for command in ("check", "build"):
        output = assert_refused(small, command, "docs/assets/loop")
        assert "循环" in output


@pytest.mark.site
def test_two_links_that_lead_into_each_other_are_one_problem(small: Project):
    (small.root / "docs/a").mkdir()
    (small.root / "docs/b").mkdir()
    os.symlink("../b", small.root / "docs/a/to-b")
    os.symlink("../a", small.root / "docs/b/to-a")
    output = assert_refused(small, "check", "docs/b/to-a")
    assert "循环" in output


@pytest.mark.site
def test_a_link_to_itself_and_a_link_to_nothing_are_refused(small: Project):
    os.symlink("self.png", small.root / "docs/assets/self.png")
    assert_refused(small, "build", "docs/assets/self.png")
    (small.root / "docs/assets/self.png").unlink()
    os.symlink("missing.png", small.root / "docs/assets/missing-photo.png")
    output = assert_refused(small, "build", "docs/assets/missing-photo.png")
    assert "不存在" in output


@pytest.mark.site
def test_mkdocs_itself_stops_before_it_walks_docs(small: Project):
    """`mkdocs build` without brochure's own pre-check: the plugin's check runs before MkDocs
    collects docs/, so MkDocs never follows the loop."""
    os.symlink("..", small.root / "docs/assets/loop")
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(small.root / "out")],
        cwd=small.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "docs/assets/loop" in result.stderr
    assert not (small.root / "out/assets/loop").exists()


@pytest.mark.unit
def test_a_link_added_after_a_remembered_check_is_still_refused(small: Project):
    """validate_once remembers a passed check by the files under docs/; a link to a folder
    is not a file, and must still change what it is keyed on."""
    settings = small.settings
    validate_once(settings)
    os.symlink("..", small.root / "docs/assets/loop")
    with pytest.raises(ContentError) as err:
        validate_once(settings)
    assert [p.file for p in err.value.problems.items] == ["docs/assets/loop"]


@pytest.mark.site
def test_links_that_stay_inside_docs_are_published(small: Project):
    os.symlink("../index.md", small.root / "docs/assets/home-copy.md")
    os.symlink("stylesheets", small.root / "docs/assets/styles")
    result = small.brochure("build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = small.root / "site"
    assert (site / "assets/styles/brochure.css").read_bytes() == (
        small.root / "docs/assets/stylesheets/brochure.css"
    ).read_bytes()
    assert (site / "assets/home-copy/index.html").is_file()


@pytest.mark.site
def test_the_check_does_not_follow_links_it_refuses(small: Project, tmp_path: Path):
    """A link out to a huge or endless tree is reported without reading what is behind it."""
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    (outside / "deep").mkdir(parents=True)
    os.symlink(outside, outside / "deep" / "again")
    os.symlink(outside, small.root / "docs/assets/outside")
    assert_refused(small, "check", "docs/assets/outside")
