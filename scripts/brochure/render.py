"""Render the Catalogue into Markdown pages through the Jinja templates in templates/.

YAML text is data, not markup: every `{{ value }}` a template prints is escaped for
Markdown and HTML unless the template says otherwise (`|markdown` for the few fields that are
Markdown by design, `|attr` inside HTML attributes). So a title with `|`, `*`, `<script>`,
`[x](y)` or `{{ }}` shows literally and cannot break a table or inject HTML.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from .config import Settings
from .model import STATUS_ORDER, Catalogue

TEMPLATES = Path(__file__).parent / "templates"
LABELS = Path(__file__).parent / "labels"

# Characters Python-Markdown (with the tables and attr_list extensions) treats as syntax
# anywhere in a line. `{` and `}` matter because attr_list would turn "{ onclick=… }" into
# an attribute. A backslash makes each one literal.
_MD_ANYWHERE = re.compile(r"([\\`*_{}\[\]#|!])")
# At the start of a value these would open a block: a nested list item or a numbered list.
_MD_BLOCK_START = ((re.compile(r"^(\s*)([-+])"), r"\1\\\2"), (re.compile(r"^(\s*\d+)\.(?=\s|$)"), r"\1\\."))


def md_escape(value: Any) -> Markup:
    """Jinja `finalize`: make every printed value literal text in Markdown and HTML.

    The result is Markup, so Jinja's own HTML autoescape (left on so that macro output
    counts as safe) does not escape it a second time.
    """
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Markup(value)
    text = html.escape(str(value), quote=False)
    text = _MD_ANYWHERE.sub(r"\\\1", text)
    for pattern, replacement in _MD_BLOCK_START:
        text = pattern.sub(replacement, text)
    return Markup(text)


def attr(value: Any) -> Markup:
    """For values inside an HTML attribute: HTML escaping only (Markdown does not run there)."""
    return Markup(html.escape("" if value is None else str(value), quote=True))


# A line break between two Chinese characters is only where the editor's window wrapped; in
# HTML it would show as a space in the middle of a sentence.
_CJK_LINE_BREAK = re.compile(
    r"(?<=[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef])\n(?=[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef])"
)


def markdown_field(value: Any) -> Markup:
    """For fields that are Markdown by design (summary, bio, description, how to apply)."""
    return Markup(_CJK_LINE_BREAK.sub("", "" if value is None else str(value).strip()))


def url_target(value: str) -> Markup:
    """A URL as a Markdown link target: brackets and spaces would end the target early."""
    return Markup(
        str(value).replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    )


def number(value: float) -> str:
    """3.0 -> "3", 1.5 -> "1.5": hours are counted in halves, not in floats."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def yaml_string(value: Any) -> Markup:
    """A value for the page's YAML front matter (JSON strings are valid YAML).

    MkDocs' theme templates print `title` and `description` from front matter without
    escaping (into <title>, <meta content="…">), so they are HTML-escaped here.
    """
    return Markup(json.dumps(html.escape(str(value), quote=True), ensure_ascii=False))


@cache
def load_labels(language: str) -> dict:
    with open(LABELS / f"{language}.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


class Dates:
    """Dates written the way the site's language writes them."""

    def __init__(self, labels: dict):
        self.labels = labels

    def _parts(self, d: date, suffix: str = "") -> dict:
        months = self.labels.get("months")
        parts = {"y": d.year, "m": d.month, "d": d.day}
        if months:
            parts["month"] = months[d.month - 1]
        return {k + suffix: v for k, v in parts.items()}

    def date(self, d: date) -> str:
        return self.labels["date"].format(**self._parts(d))

    def short(self, d: date) -> str:
        return self.labels["date_short"].format(**self._parts(d))

    def weekday(self, d: date) -> str:
        return self.labels["weekdays"][d.weekday()]

    def range(self, start: date, end: date) -> str:
        if start == end:
            return self.date(start)
        parts = {**self._parts(start), **self._parts(end, "2")}
        if start.year != end.year:
            return self.labels["date_range"].format(**parts)
        if start.month != end.month:
            return self.labels["date_range_same_year"].format(**parts)
        return self.labels["date_range_same_month"].format(**parts)


def make_environment(settings: Settings) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        finalize=md_escape,
        undefined=jinja2.StrictUndefined,  # a typo in a template fails loudly, not blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # md_escape does the escaping; autoescape stays on only so that macro output and
        # filters returning Markup are not escaped twice.
        autoescape=True,
    )
    labels = load_labels(settings.language)
    dates = Dates(labels)
    env.globals.update(L=labels, dates=dates, status_order=STATUS_ORDER, settings=settings)
    env.filters.update(attr=attr, markdown=markdown_field, url=url_target, yaml=yaml_string, number=number)
    return env


def relative_link(target: str, page: str) -> str:
    """A link from one page's Markdown source to another's, as MkDocs wants it."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def render_page(env: jinja2.Environment, template: str, page: str, **context: Any) -> str:
    """Render one page. `href` makes links relative to this page so MkDocs can check them."""

    def href(target: dict | str) -> Markup:
        path = target if isinstance(target, str) else target["path"]
        return Markup(relative_link(path, page))

    return env.get_template(template).render(page=page, href=href, **context)


def render_site(catalogue: Catalogue, settings: Settings) -> dict[str, str]:
    """Every generated page, as {path relative to docs/: Markdown}."""
    env = make_environment(settings)
    pages: dict[str, str] = {}
    common = {"catalogue": catalogue}
    pages["programmes/index.md"] = render_page(env, "programme-index.md.j2", "programmes/index.md", **common)
    for p in catalogue.programmes:
        pages[p["path"]] = render_page(env, "programme.md.j2", p["path"], p=p, **common)
    for kind, entries in (
        ("lecturer", catalogue.lecturers),
        ("site", catalogue.sites),
        ("organisation", catalogue.organisations),
    ):
        section = f"{kind}s" if kind != "organisation" else "organisations"
        index = f"{section}/index.md"
        pages[index] = render_page(env, f"{kind}-index.md.j2", index, entries=entries, **common)
        for entry in entries:
            pages[entry["path"]] = render_page(env, f"{kind}.md.j2", entry["path"], e=entry, **common)
    return pages


def render_block(catalogue: Catalogue, settings: Settings, name: str, page: str) -> str:
    """A block that an editor places in a hand-written page with `<!-- brochure:NAME -->`."""
    env = make_environment(settings)
    return render_page(env, f"block-{name}.md.j2", page, catalogue=catalogue)
