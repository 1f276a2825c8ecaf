"""The Traditional copy (繁体版) keeps a mainland institution's own words: characters are
converted, Taiwan phrases are not put in (社区 stays 社區, not 社群), and the institution's
proper nouns listed in `zh_hant_keep` stay as written. Its footer, like every copy's, takes
its words from labels/, and each copy has its own 404 page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brochure.schema import PLUGIN_OPTIONS
from brochure.variant import converter
from conftest import Project
from htmlcheck import Page

OPTIONS = PLUGIN_OPTIONS.fields
DEFAULT = OPTIONS["zh_hant_opencc"].default

# Mainland words that s2twp turns into Taiwan ones, and what they must become instead.
MAINLAND = {"社区": "社區", "项目": "項目", "查看": "查看", "窗口": "窗口", "信息": "信息", "联系电话": "聯繫電話"}
# (labels/zh-Hant.yml is written by hand, and says 基本資訊: only what OpenCC writes is checked.)
TAIWAN = ("社群", "專案", "檢視", "視窗", "軟體", "聯絡電話")


@pytest.mark.unit
@pytest.mark.parametrize(("simplified", "traditional"), MAINLAND.items())
def test_the_default_scheme_converts_characters_not_phrases(simplified, traditional):
    assert converter(DEFAULT)(f"岱岳大学{simplified}") == f"岱嶽大學{traditional}"


@pytest.mark.unit
def test_the_default_gives_the_standard_glyphs():
    # OpenCC's own standard (s2t) writes 爲, 羣衆 and 審覈, which readers take for old prints.
    assert converter(DEFAULT)("因为群众审核发布") == "因為群眾審核發佈"


@pytest.mark.unit
def test_words_to_keep_stay_as_written_and_the_rest_is_converted():
    convert = converter(DEFAULT, ("岱岳", "泰山区"))
    assert convert("岱岳大学泰山区社区") == "岱岳大學泰山区社區"
    # Link targets, tags and code are kept as before, and a kept word inside them is no matter.
    assert convert("[岱岳学院](岱岳/学院.md) `岱岳学` <a title='学'>岱岳学</a>") == (
        "[岱岳學院](岱岳/学院.md) `岱岳学` <a title='学'>岱岳學</a>"
    )


@pytest.mark.unit
def test_the_longer_word_to_keep_wins():
    assert converter(DEFAULT, ("岱岳", "岱岳广场"))("岱岳广场和岱岳") == "岱岳广场和岱岳"


@pytest.mark.unit
def test_the_keep_list_is_an_option(project: Project):
    assert OPTIONS["zh_hant_keep"].default == ()
    assert project.settings.zh_hant_keep == ("岱岳",)  # the demo's
    config = project.root / "mkdocs.yml"
    lines = [line for line in config.read_text(encoding="utf-8").splitlines() if "zh_hant_keep:" not in line]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert project.settings.zh_hant_keep == ()
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      zh_hant: false", "      zh_hant: false\n      zh_hant_keep: [岱岳, 泰山区]"))
    assert project.settings.zh_hant_keep == ("岱岳", "泰山区")
    config.write_text(text.replace("      zh_hant: false", "      zh_hant: false\n      zh_hant_keep: 岱岳"))
    assert any("zh_hant_keep" in str(p) for p in _config_problems(project))


def _config_problems(project: Project) -> list:
    from brochure.problems import ContentError

    try:
        _ = project.settings
    except ContentError as err:
        return list(err.problems.items)
    return []


def _text(path: Path) -> str:
    return Page(path.read_text(encoding="utf-8")).text


def _pages(site: Path, hant: bool):
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("zh-hant/") == hant and "/editors/" not in f"/{relative}":
            yield path


@pytest.mark.site
def test_the_traditional_demo_has_no_taiwan_phrases(demo_site: Path):
    simplified = "".join(_text(p) for p in _pages(demo_site, False))
    traditional = "".join(_text(p) for p in _pages(demo_site, True))
    assert simplified.count("社区") > 50
    found = {word: traditional.count(word) for word in TAIWAN if traditional.count(word) > simplified.count(word)}
    assert found == {}
    assert traditional.count("社區") >= simplified.count("社区")


@pytest.mark.site
def test_the_demo_keeps_its_own_name(demo_site: Path):
    home = _text(demo_site / "zh-hant/index.html")
    assert "岱岳大學" in home and "岱嶽" not in home


# The footer: the labels for the site's language.
FOOTER = {
    "zh": ("主办单位", "地址", "联系电话", "电子邮箱"),
    "zh-Hant": ("主辦單位", "地址", "聯繫電話", "電子郵箱"),
    "en": ("Host", "Address", "Telephone", "Email"),
}


def _footer(html: str) -> str:
    found = re.search(r'<div class="md-copyright site-footer">(.*?)</div>\s*</div>', html, re.DOTALL)
    assert found, "no footer"
    return Page(found.group(1)).text


@pytest.mark.site
def test_an_english_site_has_an_english_footer(project: Project, tmp_path: Path):
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  language: zh ", "  language: en "))
    out = tmp_path / "out"
    result = project.brochure("build", "-d", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    footer = _footer((out / "index.html").read_text(encoding="utf-8"))
    for label in FOOTER["en"]:
        assert label in footer
    for label in (*FOOTER["zh"], "：", "　"):
        assert label not in footer, footer


@pytest.mark.site
@pytest.mark.parametrize(("copy", "language"), [("", "zh"), ("zh-hant/", "zh-Hant")])
def test_each_copy_has_the_footer_in_its_script(demo_site: Path, copy: str, language: str):
    footer = _footer((demo_site / copy / "index.html").read_text(encoding="utf-8"))
    for label in FOOTER[language]:
        assert label in footer, footer


# The 404 page, in each copy.
NOT_FOUND = {"": ("zh", "页面不存在", "返回首页"), "zh-hant/": ("zh-Hant", "頁面不存在", "返回首頁")}


@pytest.mark.site
@pytest.mark.parametrize("copy", NOT_FOUND)
def test_each_copy_has_its_own_404_page(demo_site: Path, copy: str):
    language, title, home = NOT_FOUND[copy]
    html = (demo_site / copy / "404.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in html
    assert title in Page(html).text and home in Page(html).text
    assert "Not found" not in html
    # The demo's site_url is the domain root: links are absolute paths from it, never `//host`.
    links = Page(html).links
    assert f"/{copy}" in links and f"/{copy}search/" in links
    assert not [href for href in links + Page(html).resources if href.startswith("//") or "//" in href.split("://")[-1]]
    assert f'href="/{copy}news/feed.xml"' in html
