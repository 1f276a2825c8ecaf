"""YAML text is data, not markup: a title full of syntax shows literally on the built page."""

from __future__ import annotations

import re

import pytest

from conftest import MINI_PROGRAMME
from htmlcheck import read

pytestmark = pytest.mark.site

NASTY = "A|B *强调* <script>alert(1)</script> [x](http://evil.example) {{ config }} {: onclick=x } # _u_ `c`"


def test_markup_in_yaml_text_renders_literally(project, tmp_path):
    quoted = NASTY.replace('"', '\\"')
    text = MINI_PROGRAMME.replace("title: 测试研修班", f'title: "{quoted}"')
    text = text.replace("- title: 第一课", f'- title: "- {quoted}"')  # the session
    text = text.replace("            title: 第一课", f'            title: "1. {quoted}"')  # the timetable item
    text = text.replace("audience: 基层干部", f'audience: "{quoted}"\n    objectives: ["{quoted}"]')
    project.programme("2025-test-yanxiuban", text)
    out = tmp_path / "out"
    result = project.brochure("build", "--strict", "-d", str(out))
    assert result.returncode == 0, result.stderr

    page = read(out, "programmes/2025-test-yanxiuban/")
    # Shown literally: the reader sees every character the editor typed.
    assert page.text.count(NASTY) >= 4, page.text
    assert "- " + NASTY in page.text and "1. " + NASTY in page.text
    # Nothing injected: no script, no link to the fake target, no onclick attribute anywhere.
    html = (out / "programmes/2025-test-yanxiuban/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html  # not in <title> and <meta> either
    assert not any(tag == "script" and not a.get("src") and "alert" in str(a) for tag, a in page.elements)
    assert "http://evil.example" not in page.links
    assert not any("onclick" in attrs for _, attrs in page.elements)
    content = html.split('<article class="md-content__inner')[1].split("</article>")[0]
    for tag in ("<em>", "<strong>", "<code>", "<script"):
        assert tag not in content, tag
    # The session table still has its four columns in every row: `|` did not split a cell.
    # (A module's heading row is one header cell across the table; its sessions' rows hold cells.)
    body = re.split(r"<tbody[^>]*>", html, maxsplit=1)[1].split("</tbody>")[0]
    rows = [row for row in re.findall(r"<tr[\s>].*?</tr>", body, re.DOTALL) if "<td" in row]
    assert rows and all(len(re.findall(r"<td[\s>]", row)) == 4 for row in rows), rows
