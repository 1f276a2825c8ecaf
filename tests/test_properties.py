"""Property tests: whatever text an editor types into a text field shows literally.

Markdown and HTML metacharacters, Jinja delimiters, right-to-left and zero-width characters
and very long strings go into every plain-text field of a programme and its libraries. The
page is rendered by our templates and converted by Python-Markdown with the site's own
extensions; the HTML must show each string as typed, with no injected element or attribute
and no table row that lost or gained a cell.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from brochure.loader import Document
from brochure.model import build_programmes
from brochure.problems import Problems
from brochure.render import make_environment, render_page
from brochure.schema import LECTURER, ORGANISATION, PROGRAMME, Context
from brochure.validate import Content, ProgrammeSource, load_settings
from conftest import MINI_PROGRAMME
from htmlcheck import Page

pytestmark = pytest.mark.site  # not a build, but hundreds of pages rendered through the site's Markdown: slow

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = [
    e if isinstance(e, str) else next(iter(e))
    for e in yaml.safe_load(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0].split("markdown_extensions:")[1]
    )
]

# Characters that mean something to Markdown, HTML, Jinja or the bidi algorithm, plus
# ordinary Chinese, so that generated strings look like hostile editor input.
SYNTAX = list("\\`*_{}[]()#+-.!|<>&\"'=~^:;/%@$") + [
    "{{",
    "}}",
    "{%",
    "%}",
    "<script>",
    "-->",
    "<!--",
    "\u202e",
    "\u200b",
    "\u200f",
    "\ufeff",
    "\t",
    "\n",
    "  ",
    "1. ",
    "- ",
    "> ",
    "[x](y)",
    "![i](j)",
    "研修班",
    "é",
]
printable = st.characters(blacklist_categories=("Cs", "Cc"))
texts = (
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(printable, min_size=1, max_size=3)), min_size=1, max_size=40)
    .map("".join)
    .filter(lambda s: bool(s.split()))
)
long_texts = st.lists(st.sampled_from(SYNTAX), min_size=200, max_size=1500).map("".join)

FIELDS = ("title", "audience", "venue", "session", "item", "place", "objective", "lecturer", "tag")


def visible(text: str) -> str:
    """What a reader sees: Text fields collapse runs of whitespace into one space."""
    return " ".join(text.split())


SETTINGS = load_settings(ROOT / "mkdocs.yml")
BASE = yaml.safe_load("\n".join(line[4:] for line in MINI_PROGRAMME.splitlines()))


def check(kind, data):
    """The schema stage alone, in memory: the values are normalised as a real build would."""
    problems = Problems()
    ids = {"lecturers": {"zhang-wenhua"}, "sites": set(), "organisations": {"daiyue-spa"}}
    result = kind.check(data, (), Context(Document("x.yml", data), problems, SETTINGS, ids))
    assert not problems, problems.report()
    return result


def render_with(values: dict[str, str]) -> str:
    programme = json.loads(json.dumps(BASE, default=str))  # a deep copy, dates as text
    q = values
    programme.update(title=q["title"], audience=q["audience"], venue={"name": q["venue"]})
    programme["modules"][0]["sessions"][0]["title"] = q["session"]
    programme["timetable"][0]["items"][0].update(title=q["item"], place=q["place"])
    programme["objectives"] = [q["objective"]]
    programme["tags"] = [q["tag"]]
    lecturer = check(LECTURER, {"id": "zhang-wenhua", "name": q["lecturer"]})
    organisation = check(ORGANISATION, {"id": "daiyue-spa", "name": "岱岳大学公共管理学院"})
    content = Content(
        programmes=[ProgrammeSource("2025-test-yanxiuban", "x.yml", check(PROGRAMME, programme))],
        libraries={"lecturers": [lecturer], "sites": [], "organisations": [organisation]},
    )
    catalogue = build_programmes(content, date(2026, 11, 22))
    env = make_environment(SETTINGS)
    env.globals["has_pdf"] = True
    p = catalogue.programmes[0]
    page = render_page(env, "programme.md.j2", p.path, p=p, catalogue=catalogue)
    body = page.split("\n---\n", 1)[1]
    return markdown.markdown(body, extensions=EXTENSIONS)


@settings(max_examples=200, deadline=None)
@given(values=st.fixed_dictionaries({name: texts for name in FIELDS}))
def test_any_text_shows_literally_and_injects_nothing(values):
    html = render_with(values)
    page = Page(html)
    shown = " ".join(page.text.split())
    for name, value in values.items():
        assert visible(value) in shown, (name, value)
    assert_no_injection(page, html)


@settings(max_examples=30, deadline=None)
@given(value=long_texts)
def test_very_long_text_stays_in_its_cell(value):
    values = dict.fromkeys(FIELDS, "普通文字")
    values["session"] = "课" + value  # a value that starts with syntax is also covered above
    html = render_with(values)
    page = Page(html)
    assert visible(values["session"]) in " ".join(page.text.split())
    assert_no_injection(page, html)


ALLOWED = {
    "h1",
    "h2",
    "h3",
    "p",
    "div",
    "span",
    "a",
    "br",
    "dl",
    "dt",
    "dd",
    "ul",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "colgroup",  # the curriculum's and the timetable's column widths: no content
    "col",
    "strong",
}
# The printed page's QR code (segno's SVG, the page's address as its <title>): the template's
# own, once per page, and nothing an editor's text can add to.
QR_CODE = {"svg", "path", "title"}
QR_ATTRIBUTES = {"viewBox", "viewbox", "d", "fill", "stroke", "data-pagefind-ignore"}


def assert_no_injection(page: Page, html: str) -> None:
    tags = {tag for tag, _ in page.elements}
    assert tags <= ALLOWED | QR_CODE, tags - ALLOWED
    assert html.count("<svg") <= 1 and html.count("<title>") == html.count("<svg"), html
    for tag, attrs in page.elements:
        for attr in attrs:
            assert not attr.lower().startswith("on"), (tag, attrs)
            allowed = {"href", "class", "id", "title", "download", "data-type", "data-year", "data-status"}
            assert attr in allowed | {"scope", "colspan"} | QR_ATTRIBUTES, (
                tag,
                attrs,
            )
        if tag == "a":
            href = attrs.get("href", "")
            assert href.startswith(("../", "#", "mailto:", "tel:", "https://")) or href.endswith((".ics", ".pdf")), href
    for table in html.split("<table>")[1:]:
        table = table.split("</table>")[0]
        header_cells = len(re.findall(r"<th[\s>]", table.split("</thead>")[0]))
        for row in table.split("<tbody>")[1].split("</tr>")[:-1]:
            assert len(re.findall(r"<td[\s>]", row)) == header_cells, row
