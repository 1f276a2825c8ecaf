"""`brochure build` with nothing changed does nothing, and anything that could change the site
makes it build again (laststamp.py). An editor who builds twice sees at once that there is
nothing to publish; one who edited anything, or whose site/ was touched, gets a full build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_DATE_EPOCH, MINI_PROGRAMME

pytestmark = pytest.mark.site

SKIPPED = "没有改动"


def files(site: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of the site with its modification time and bytes: a build that rewrote a
    file, even with the same bytes, shows."""
    return {
        p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*") if p.is_file()
    }


def build(project, *extra: str, day: str = BUILD_DATE_EPOCH):
    """`brochure build` as the editor runs it, for the day `day` (SOURCE_DATE_EPOCH)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": day, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "brochure", "build", *extra]
    result = subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def test_a_second_build_with_nothing_changed_writes_nothing(project):
    build(project)
    site = project.root / "site"
    before = files(site)
    again = build(project)
    assert SKIPPED in again.stdout
    assert files(site) == before  # not one file written again


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda p: p.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("基层干部", "处级干部")),
            id="a programme edited",
        ),
        pytest.param(lambda p: p.write("docs/about.md", "# 关于我们\n\n新页面。\n"), id="a page added"),
        pytest.param(
            lambda p: (p.root / "mkdocs.yml").write_text(
                (p.root / "mkdocs.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
            ),
            id="mkdocs.yml saved again",
        ),
        pytest.param(
            lambda p: (p.root / "site" / "index.html").write_text("changed by hand", encoding="utf-8"),
            id="site/ changed by hand",
        ),
        pytest.param(lambda p: (p.root / "site" / "sitemap.xml").unlink(), id="a file deleted from site/"),
    ],
)
def test_anything_that_could_change_the_site_builds_it_again(project, change):
    build(project)
    change(project)
    again = build(project)
    assert SKIPPED not in again.stdout
    assert "网站已生成" in again.stdout
    assert (project.root / "site" / "index.html").read_text(encoding="utf-8") != "changed by hand"
    assert (project.root / "site" / "sitemap.xml").is_file()


def test_another_build_day_or_option_builds_again(project):
    build(project, day="1750000000")  # 2025-06-15
    assert SKIPPED in build(project, day="1750000000").stdout
    # A new day can turn 报名中 into 已结束: the site is built for that day.
    assert SKIPPED not in build(project, day="1750100000").stdout
    assert SKIPPED not in build(project, "--strict", day="1750100000").stdout


def test_a_failed_build_leaves_no_stamp_behind(project):
    build(project)
    good = project.root / "programmes" / "2025-test-yanxiuban.yml"
    text = good.read_text(encoding="utf-8")
    good.write_text(text.replace("end: 2025-06-13", "end: 2025-06-01"), encoding="utf-8")
    assert project.brochure("build").returncode == 1
    good.write_text(text, encoding="utf-8")  # put back as it was: the same bytes as at the first build
    again = build(project)
    assert SKIPPED not in again.stdout  # it was not trusted blindly
    assert SKIPPED in build(project).stdout
