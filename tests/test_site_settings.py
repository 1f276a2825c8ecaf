"""mkdocs.yml's site-wide settings an editor may get wrong: reported like content problems,
with the line, before anything is built."""

from __future__ import annotations

import pytest

from brochure.problems import ContentError
from brochure.validate import load_settings
from conftest import Project, png, static_server


def set_language(project: Project, value: str) -> int:
    """Write theme.language; return its line in mkdocs.yml."""
    config = project.root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("language:"))
    lines[number] = f"  language: {value}"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


def refused_by_check_and_build(project: Project) -> list[str]:
    """What `brochure check` and `brochure build` print for a mistake: each exits 1, with no traceback."""
    outputs = []
    for command in ("check", "build"):
        result = project.brochure(command)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "Traceback" not in output
        outputs.append(output)
    return outputs


@pytest.mark.site
@pytest.mark.parametrize(("value", "meant"), [("cn", "zh"), ("zh-CN", "zh"), ("zh-TW", "zh-Hant"), ("EN", "en")])
def test_an_unknown_site_language_is_one_located_problem(project: Project, value: str, meant: str):
    line = set_language(project, value)
    project.write("site/index.html", "<p>上一次发布的网站</p>")
    for output in refused_by_check_and_build(project):
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


# ---- The institution's identity (issue 20): emblem, short name, colour, banner. ----


def edit_config(project: Project, old: str, new: str) -> int:
    """Replace one line's text in mkdocs.yml; return that line's number."""
    config = project.root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if old in line)
    lines[number] = lines[number].replace(old, new)
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


def settings_problems(project: Project) -> list:
    try:
        load_settings(project.root / "mkdocs.yml")
    except ContentError as err:
        return sorted(err.problems.items)
    return []


@pytest.mark.unit
def test_the_demo_identity_settings_pass(project: Project):
    assert settings_problems(project) == []


@pytest.mark.unit
@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ("logo: assets/images/emblem.svg", "logo: assets/images/emblm.svg", "theme.logo", "找不到文件"),
        ("favicon: assets/images/emblem.svg", "favicon: images/emblem.svg", "theme.favicon", "找不到文件"),
        ("logo: assets/images/emblem.svg", "logo: https://cdn.example.com/logo.png", "theme.logo", "其他网站"),
        ("logo: assets/images/emblem.svg", "logo: assets/stylesheets/brochure.css", "theme.logo", "文件类型"),
        ("banner: assets/images/banner.svg", "banner: assets/images/banner.jpg", "extra.site.banner", "找不到文件"),
        ('colour: "#b3261e"', 'colour: "#e57373"', "extra.site.colour", "2.99:1"),
        ('colour: "#b3261e"', "colour: #b3261e", "extra.site.colour", "引号"),
        ('colour: "#b3261e"', "colour: 红色", "extra.site.colour", "颜色格式不对"),
        ("short_name: 岱岳干部培训中心", "short_nme: 岱岳干部培训中心", "extra.site.short_nme", "short_name"),
    ],
    ids=["logo", "favicon", "foreign-logo", "not-an-image", "banner", "light-colour", "unquoted", "named", "typo"],
)
def test_a_wrong_identity_setting_is_one_located_problem(project: Project, old, new, field, says):
    line = edit_config(project, old, new)
    (problem,) = settings_problems(project)
    assert (problem.file, problem.line, problem.path) == ("mkdocs.yml", line, field), problem
    assert says in problem.message + problem.hint, problem


@pytest.mark.unit
def test_a_share_image_too_small_for_a_share_card_is_one_located_problem(project: Project):
    project.write("docs/assets/images/share.png", png(120, 80))
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(config, 1) if "share_image:" in text)
    (problem,) = settings_problems(project)
    assert (problem.file, problem.line, problem.path) == ("mkdocs.yml", line, "extra.site.share_image"), problem
    assert "120×80" in problem.message and "200×200" in problem.hint, problem


@pytest.mark.site
def test_a_missing_emblem_stops_check_and_build_in_chinese(project: Project):
    line = edit_config(project, "logo: assets/images/emblem.svg", "logo: assets/images/xiaohui.png")
    project.write("site/index.html", "<p>上一次发布的网站</p>")
    for output in refused_by_check_and_build(project):
        assert f"mkdocs.yml:{line}: [theme.logo] 找不到文件 assets/images/xiaohui.png" in output, output
        assert "docs/assets/images/" in output and "共发现 1 个问题" in output
    assert (project.root / "site/index.html").read_text(encoding="utf-8") == "<p>上一次发布的网站</p>"


@pytest.mark.browser
def test_another_institution_s_colour_and_name_show_with_enough_contrast(project: Project, browser, tmp_path):
    """An institution in blue, with its own short name: the header, tabs and headings take the
    colour, axe finds no contrast problem at either size, and the phone shows the short name."""
    from test_phone import AXE, DESKTOP, PHONE, rgb

    edit_config(project, 'colour: "#b3261e"', 'colour: "#1f4e8c"')
    edit_config(project, "short_name: 岱岳干部培训中心", "short_name: 示范学院培训部")
    result = project.brochure("build", "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = static_server(tmp_path / "site")
    try:
        seen = {}
        for viewport in (PHONE, DESKTOP):
            page = browser.new_page(viewport=viewport)
            page.goto(url + "programmes/2025-test-yanxiuban/")
            page.wait_for_timeout(400)
            page.add_script_tag(path=str(AXE))
            contrast = page.evaluate(
                "axe.run(document, {runOnly: ['color-contrast', 'link-in-text-block']}).then(r => r.violations.length)"
            )
            seen[viewport["width"]] = page.evaluate(
                """() => [getComputedStyle(document.querySelector('.md-header')).backgroundColor,
                          getComputedStyle(document.querySelector('article h1')).color,
                          [...document.querySelectorAll('.brochure-name > *')].filter(e => e.getClientRects().length)
                            .map(e => e.textContent.trim())]"""
            ) + [contrast]
            page.close()
    finally:
        server.shutdown()
    for width, (header, title, _name, contrast) in seen.items():
        assert rgb(header) == (31, 78, 140), (width, header)
        r, g, b = rgb(title)
        assert b > r and max(r, g, b) < 160, (width, title)  # the blue, darkened
        assert contrast == 0, width
    assert seen[390][2] == ["示范学院培训部"] and seen[1366][2] == ["岱岳大学公共管理学院 干部教育培训中心"]
