"""mkdocs.yml's site-wide settings an editor may get wrong: reported like content problems,
with the line, before anything is built."""

from __future__ import annotations

import pytest

from conftest import Project


def set_language(project: Project, value: str) -> int:
    """Write theme.language; return its line in mkdocs.yml."""
    config = project.root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("language:"))
    lines[number] = f"  language: {value}"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


@pytest.mark.site
@pytest.mark.parametrize(("value", "meant"), [("cn", "zh"), ("zh-CN", "zh"), ("zh-TW", "zh-Hant"), ("EN", "en")])
def test_an_unknown_site_language_is_one_located_problem(project: Project, value: str, meant: str):
    line = set_language(project, value)
    project.write("site/index.html", "<p>上一次发布的网站</p>")
    for command in ("check", "build"):
        result = project.brochure(command)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "Traceback" not in output
        assert f"mkdocs.yml:{line}: [theme.language]" in output, output
        assert "共发现 1 个问题" in output
        assert all(f"{name}（" in output for name in ("zh", "zh-Hant", "en")), output
        assert f"是否想写 “{meant}”" in output
    assert (project.root / "site/index.html").read_text(encoding="utf-8") == "<p>上一次发布的网站</p>"


@pytest.mark.unit
def test_the_accepted_site_languages_pass(project: Project):
    for value in ("zh", "zh-Hant", "en"):
        set_language(project, value)
        assert project.settings.language == value
