"""`brochure publish`: only changed files move, and a failed build publishes nothing."""

from __future__ import annotations

import pytest

from conftest import MINI_PROGRAMME

pytestmark = pytest.mark.site


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_publish_copies_only_what_changed(project, tmp_path):
    target = tmp_path / "www"
    first = project.brochure("publish", str(target))
    assert first.returncode == 0, first.stderr
    assert tree(target) == tree(project.root / "site")

    again = project.brochure("publish", str(target))
    assert "更新 0 个文件，删除 0 个文件" in again.stdout

    project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("audience: 基层干部", "audience: 处级干部"))
    project.write("programmes/2025-second.yml", MINI_PROGRAMME.replace("测试研修班", "第二期"))
    third = project.brochure("publish", str(target))
    assert third.returncode == 0, third.stderr
    assert tree(target) == tree(project.root / "site")
    changed = int(third.stdout.split("更新 ")[1].split(" 个文件")[0])
    assert 0 < changed < len(tree(target)) / 2  # a small edit moves a small part of the site


def test_failed_build_publishes_nothing(project, tmp_path):
    target = tmp_path / "www"
    assert project.brochure("publish", str(target)).returncode == 0
    before = tree(target)
    project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("end: 2025-06-13", "end: 2025-06-01"))
    result = project.brochure("publish", str(target))
    assert result.returncode == 1
    assert "没有发布任何文件" in result.stderr and "Traceback" not in result.stderr
    assert tree(target) == before


def test_removed_pages_are_removed_from_the_target(project, tmp_path):
    target = tmp_path / "www"
    project.write("programmes/2025-second.yml", MINI_PROGRAMME.replace("测试研修班", "第二期"))
    assert project.brochure("publish", str(target)).returncode == 0
    assert (target / "programmes/2025-second/index.html").exists()
    (project.root / "programmes/2025-second.yml").unlink()
    assert project.brochure("publish", str(target)).returncode == 0
    assert not (target / "programmes/2025-second").exists()


def test_dry_run_lists_what_would_change_and_publishes_nothing(project, tmp_path):
    target = tmp_path / "www"
    project.write("programmes/2025-second.yml", MINI_PROGRAMME.replace("测试研修班", "第二期"))
    assert project.brochure("publish", str(target)).returncode == 0
    before = tree(target)
    (project.root / "programmes/2025-second.yml").unlink()
    project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("audience: 基层干部", "audience: 处级干部"))

    result = project.brochure("publish", "--dry-run", str(target))
    assert result.returncode == 0, result.stderr
    assert tree(target) == before
    lines = result.stdout.splitlines()
    assert "已发布" not in result.stdout and any("没有发布任何文件" in line for line in lines)
    assert "  将更新 programmes/2025-test-yanxiuban/index.html" in lines
    assert "  将删除 programmes/2025-second/index.html" in lines
    assert "  将删除 programmes/2025-second.ics" in lines  # its calendar (ended: it has no PDF)
    assert "  将更新 programmes/2025-second/index.html" not in lines
