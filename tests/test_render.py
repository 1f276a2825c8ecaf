"""Rendering: escaping rules, dates in the site's language, and one label table per language."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml

from brochure.render import LABELS, Dates, load_labels, markdown_field, md_escape


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("*x* _y_", "\\*x\\* \\_y\\_"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("[x](y)", "\\[x\\](y)"),
        ("{: onclick=x }", "\\{: onclick=x \\}"),
        ("- item", "\\- item"),
        ("1. first", "1\\. first"),
        ("26.5", "26.5"),  # a number is not a numbered list
        ("0531-88361234", "0531-88361234"),
    ],
)
def test_md_escape(raw, escaped):
    assert md_escape(raw) == escaped


@pytest.mark.unit
def test_markdown_fields_join_lines_inside_chinese_sentences():
    assert markdown_field("第一行\n第二行\n\n- 列表\n- English\nwords") == "第一行第二行\n\n- 列表\n- English\nwords"


@pytest.mark.unit
def test_every_language_has_every_label():
    keys = {path.stem: set(load_labels(path.stem)) - {"months"} for path in LABELS.glob("*.yml")}
    assert set(keys) == {"zh", "zh-Hant", "en"}
    assert keys["zh"] == keys["zh-Hant"] == keys["en"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("language", "start", "end", "text"),
    [
        ("zh", date(2025, 6, 9), date(2025, 6, 13), "2025年6月9日至13日"),
        ("zh", date(2025, 6, 30), date(2025, 7, 2), "2025年6月30日至7月2日"),
        ("zh", date(2025, 12, 30), date(2026, 1, 2), "2025年12月30日至2026年1月2日"),
        ("zh", date(2025, 6, 9), date(2025, 6, 9), "2025年6月9日"),
        ("en", date(2025, 6, 9), date(2025, 6, 13), "9–13 June 2025"),
    ],
)
def test_date_ranges(language, start, end, text):
    assert Dates(load_labels(language)).range(start, end) == text


@pytest.mark.site
def test_site_language_switches_generated_labels(project, tmp_path):
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: zh ", "language: en "), encoding="utf-8")
    out = tmp_path / "md"
    assert project.brochure("generate", "-o", str(out)).returncode == 0
    page = (out / "docs/programmes/2025-test-yanxiuban.md").read_text(encoding="utf-8")
    assert "## Key facts" in page and "9–13 June 2025" in page
    assert "基本信息" not in page


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "第一行\n第二行",
        '他说"好"',
        "C:\\培训\\资料",
        "no",
        "0531-88361234",
        "行\u2028分隔",
        "  前后空格  ",
        "#不是注释",
    ],
)
def test_a_yaml_string_written_by_a_template_reads_back_as_the_same_text(text):
    """Imported and new posts, and generated pages, write titles and sources into YAML; a line
    break in a pasted title was folded into a space by the importer's own quoting."""
    from brochure.render import template_environment

    written = template_environment().from_string("title: {{ t|yaml }}\n").render(t=text)
    assert yaml.safe_load(written)["title"] == text


@pytest.mark.unit
def test_names_in_a_posts_own_text_are_kept_whole_and_nothing_else_changes():
    """郭芸 in the editor's text stays on one line (郭/芸 on a phone reads as two words); alt
    text, attributes and code are left as written, and the text a reader sees is the same."""
    from brochure.render import keep_names_whole

    html = (
        '<p>欧阳明德与郭芸老师<img alt="郭芸" src="a.png">，见<a href="x" title="郭芸">郭芸</a>。</p>'
        "<pre><code>郭芸</code></pre><p><code>郭芸</code></p>"
    )
    kept = keep_names_whole(html, ("欧阳明德", "郭芸", "欧阳"))
    assert kept == (
        '<p><span class="nb">欧阳明德</span>与<span class="nb">郭芸</span>老师<img alt="郭芸" src="a.png">，'
        '见<a href="x" title="郭芸"><span class="nb">郭芸</span></a>。</p>'
        "<pre><code>郭芸</code></pre><p><code>郭芸</code></p>"
    )
    assert re.sub(r"<[^>]+>", "", kept) == re.sub(r"<[^>]+>", "", html)
    assert keep_names_whole(html, ()) == html
