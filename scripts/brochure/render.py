"""Render the Catalogue into Markdown pages through the Jinja templates in templates/.

YAML text is data, not markup: every `{{ value }}` a template prints is escaped for
Markdown and HTML unless the template says otherwise (`|markdown` for the few fields that are
Markdown by design, `|attr` inside HTML attributes). So a title with `|`, `*`, `<script>`,
`[x](y)` or `{{ }}` shows literally and cannot break a table or inject HTML.
"""

from __future__ import annotations

import functools
import html
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from .catalogue import STATUS_ORDER, Catalogue, Lecturer, Post, Programme, Unit
from .cjk import WRITTEN_WITHOUT_SPACES
from .config import Settings
from .parallel import fork_map
from .urls import REVIEW_PAGE, SECTIONS

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
    return _escaped(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _escaped(value: str) -> Markup:
    # Cached: the same names, labels and titles are printed on page after page, and escaping
    # was a fifth of generation time at 5,000 pages.
    text = html.escape(value, quote=False)
    text = _MD_ANYWHERE.sub(r"\\\1", text)
    for pattern, replacement in _MD_BLOCK_START:
        text = pattern.sub(replacement, text)
    return Markup(text)


def attr(value: Any) -> Markup:
    """For values inside an HTML attribute: HTML escaping only (Markdown does not run there)."""
    return Markup(html.escape("" if value is None else str(value), quote=True))


# A line break between two Chinese characters is only where the editor's window wrapped; in
# HTML it would show as a space in the middle of a sentence.
_CJK_LINE_BREAK = re.compile(f"(?<=[{WRITTEN_WITHOUT_SPACES}])\n(?=[{WRITTEN_WITHOUT_SPACES}])")


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


def yaml_text(value: Any) -> str:
    """A value as a YAML string that reads back as exactly this text, whatever it holds
    (quotes, backslashes, a line break, `no`, `0531…`): a JSON string is valid YAML."""
    return json.dumps(str(value), ensure_ascii=False)


def yaml_string(value: Any) -> Markup:
    """A value for a generated page's YAML front matter.

    MkDocs' theme templates print `title` and `description` from front matter without
    escaping (into <title>, <meta content="…">), so they are HTML-escaped here.
    """
    return Markup(yaml_text(html.escape(str(value), quote=True)))


def template_environment(**options: Any) -> jinja2.Environment:
    """The one way this package opens templates/: for generated pages (make_environment), new
    and imported posts, and the PDF brochure's HTML. Block tags leave no blank lines behind,
    and a file's last newline stays; `options` may change either."""
    settings = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True, **options}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), **settings)
    env.filters["yaml"] = yaml_text
    return env


def load_labels(language: str) -> dict:
    """The wording for `language`, read afresh: make_environment asks once per build, and an
    edit to labels/ must show at the next rebuild of `mkdocs serve` (what a build remembers
    is keyed on these files as they are on disk, store.code_digest)."""
    with open(LABELS / f"{language}.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


class Dates:
    """Dates written the way the site's language writes them."""

    def __init__(self, labels: dict):
        self.labels = labels

    def _parts(self, d: date, suffix: str = "") -> dict:
        months = self.labels.get("months")
        parts = {"y": d.year, "m": d.month, "d": d.day}
        if isinstance(d, datetime):
            parts.update(H=f"{d.hour:02d}", M=f"{d.minute:02d}")
        if months:
            parts["month"] = months[d.month - 1]
        return {k + suffix: v for k, v in parts.items()}

    def date(self, d: date) -> str:
        return self.labels["date"].format(**self._parts(d))

    def short(self, d: date) -> str:
        return self.labels["date_short"].format(**self._parts(d))

    def datetime(self, d: datetime) -> str:
        return self.labels["datetime"].format(**self._parts(d))

    def month(self, d: date) -> str:
        return self.labels["archive_month"].format(**self._parts(d))

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


def make_environment(settings: Settings, has_pdf: bool = False) -> jinja2.Environment:
    env = template_environment(
        finalize=md_escape,
        undefined=jinja2.StrictUndefined,  # a typo in a template fails loudly, not blank
        # md_escape does the escaping; autoescape stays on only so that macro output and
        # filters returning Markup are not escaped twice.
        autoescape=True,
    )
    labels = load_labels(settings.language)
    dates = Dates(labels)
    # pdf imports this module; the QR code of a programme's printed page is segno's, as in its PDF.
    from .pdf import programme_qr

    env.globals.update(
        L=labels,
        dates=dates,
        status_order=STATUS_ORDER,
        settings=settings,
        has_pdf=has_pdf,
        programme_qr=programme_qr,
    )
    env.filters.update(attr=attr, markdown=markdown_field, url=url_target, yaml=yaml_string, number=number)
    return env


# Where a name is not text a reader sees wrap: code and what is not shown at all.
_NOT_PROSE = ("code", "pre", "script", "style", "textarea")
# Markup and text apart; a tag's name (after an optional "/").
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")


@functools.lru_cache(maxsize=4)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    """One pattern for every name, made once per build and copy (not once per post)."""
    return re.compile("|".join(re.escape(name) for name in names))


def keep_names_whole(html: str, names: tuple[str, ...]) -> str:
    """A post's HTML with each of `names` (the lecturers', longest first) kept on one line
    where the editor's own text has it, as the templates do with theirs (郭芸, never 郭/芸).
    Only text between tags is touched, not attributes, alt text or code; the text is unchanged."""
    if not names:
        return html
    pattern = _names_pattern(names)
    parts = _TAG_OR_TEXT.split(html)
    skipping = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            tag = _TAG_NAME.match(part)
            if tag and tag.group(1).lower() in _NOT_PROSE and not part.endswith("/>"):
                skipping += -1 if part.startswith("</") else 1
        elif part and not skipping:
            parts[i] = pattern.sub(r'<span class="nb">\g<0></span>', part)
    return "".join(parts)


def relative_link(target: str, page: str) -> str:
    """A link from one page's Markdown source to another's, as MkDocs wants it.

    Both are paths under docs/ without "..", so this is posixpath.relpath without its
    getcwd() and abspath() calls, which made it a fifth of generation time.
    """
    to, here = target.split("/"), page.split("/")[:-1]
    common = 0
    while common < min(len(to) - 1, len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:])


class Snippets:
    """The small pieces that page templates share, as `m.link(…)`, `m.status(…)` and so on.

    They were Jinja macros; a macro call costs Jinja a new context each time, and a lecturer
    page lists a hundred programmes, a news list ten summaries. As macros they were about
    half of generation time at 2,000 programmes. Every value is escaped with md_escape, as
    Jinja's `finalize` escapes a template's own `{{ value }}`.
    """

    def __init__(self, env: jinja2.Environment, href):
        self.labels = env.globals["L"]
        self.dates = env.globals["dates"]
        self.href = href
        self.separator = md_escape(self.labels["list_separator"])
        self.preview = env.globals["settings"].preview

    def link(self, e: Any, text: Any = None) -> Markup:
        """A link to an entry with a page (a programme, a library entry, a post, a tag…). A
        lecturer's name is kept on one line (郭芸 never 郭/芸)."""
        link = f"[{md_escape(e.name if text is None else text)}]({self.href(e)})"
        return self.whole(Markup(link)) if isinstance(e, Lecturer) and text is None else Markup(link)

    def whole(self, text: Any) -> Markup:
        """Text kept on one line: a person's name, a credit (编辑：赵敏), a date, a phone number."""
        return Markup(f'<span class="nb">{md_escape(text)}</span>')

    def people(self, lecturers: list) -> Markup:
        return Markup(self.separator.join(self.link(e) for e in lecturers))

    def phone(self, number: Any) -> Markup:
        """A phone number a phone can call: tel: with the digits (and a leading +) only."""
        digits = re.sub(r"[^\d+]", "", str(number))
        return Markup(f'<a class="nb" href="tel:{attr(digits)}">{md_escape(number)}</a>')

    def org(self, o: Unit) -> Markup:
        return self.link(o) if o.path else md_escape(o.name)

    def orgs(self, organisations: list) -> Markup:
        return Markup(self.separator.join(self.org(o) for o in organisations))

    def status(self, p: Programme) -> Markup:
        label = md_escape(self.labels["status"][p.status])
        return Markup(f'<span class="status status-{md_escape(p.status)}">{label}</span>{self.mark(p)}')

    def _unpublished(self, e: Programme | Post) -> str | None:
        """What only the preview (Settings.preview) shows: "draft", "scheduled"; else None."""
        if not self.preview:
            return None
        if e.draft:
            return "draft"
        return "scheduled" if getattr(e, "scheduled", False) else None

    def mark(self, e: Programme | Post) -> Markup:
        """草稿 or 定时发布 beside a draft or a post not yet due, wherever the preview lists it."""
        kind = self._unpublished(e)
        if kind is None:
            return Markup("")
        return Markup(f' <span class="status status-{kind}">{md_escape(self.labels[kind])}</span>')

    def banner(self, e: Programme | Post) -> Markup:
        """The preview's banner at the top of a draft's page, or of a post not yet due, with
        the one link there is to the 待审 page."""
        kind = self._unpublished(e)
        if kind is None:
            return Markup("")
        if kind == "draft":
            text = self.labels["draft_banner"]
        else:
            text = self.labels["scheduled_banner"].format(date=self.dates.datetime(e.date))
        link = f"[{md_escape(self.labels['review_link'])}]({self.href(REVIEW_PAGE)})"
        title = yaml_text(self.labels[kind])  # a quoted admonition title
        return Markup(f"!!! warning preview-banner {title}\n\n    {md_escape(text)} {link}\n\n")

    def when(self, p: Programme) -> Markup:
        """The dates on one line, joined as the labels join them (至 in Chinese: a dash in a CJK
        face reads as the character 一, 15日一26日)."""
        return self.whole(self.dates.range(p.start, p.end))

    def facts(self, p: Programme) -> Markup:
        """When, where and what kind: the line under a programme's title wherever it is listed
        (the programme index's cards, a post's programme card, lists on library pages)."""
        city = p.venue.get("city")
        place = f" · {md_escape(city)}" if city else ""
        return Markup(f"{self.when(p)}{place} · {md_escape(p.type)}")

    def programme_item(self, p: Programme) -> Markup:
        return Markup(f"- {self.link(p, p.title)} {self.status(p)}<br>\n  {self.facts(p)}")

    def programme_list(self, programmes: list) -> Markup:
        if not programmes:
            return Markup(f"{md_escape(self.labels['no_programmes'])}\n")
        return Markup("".join(f"{self.programme_item(p)}\n" for p in programmes))

    def post_summary(self, post: Post) -> Markup:
        return Markup(
            '<article class="post-summary" markdown>\n\n'
            f"## {self.link(post, post.title)}\n\n"
            # `markdown`: the values are escaped for Markdown, which must then read them.
            f'<p class="post-meta" markdown>{md_escape(self.dates.datetime(post.date))}{self.mark(post)}'
            f" · {md_escape(post.source)} · {md_escape(post.category.name)}</p>\n\n"
            f"{md_escape(post.excerpt)}\n\n"
            "</article>"
        )


def render_page(env: jinja2.Environment, template: str, page: str, **context: Any) -> str:
    """Render one page. `href` makes links relative to this page so MkDocs can check them."""

    def href(target: Any) -> Markup:
        path = target if isinstance(target, str) else target.path
        return Markup(relative_link(path, page))

    return env.get_template(template).render(page=page, href=href, m=Snippets(env, href), **context)


# One generated page: (template, path under docs/, context, the posts it shows). Each page
# also shows programmes and library entries; the posts are named so that a post edit
# re-renders only the pages that show that post (see generated.py).
Job = tuple[str, str, dict, tuple]


def site_jobs(env: jinja2.Environment, catalogue: Catalogue, settings: Settings) -> list[Job]:
    """Every generated page, not yet rendered."""
    common = {"catalogue": catalogue}
    jobs: list[Job] = [("programme-index.md.j2", "programmes/index.md", common, ())]
    jobs += [("programme.md.j2", p.path, {"p": p, **common}, tuple(p.news)) for p in catalogue.programmes]
    for kind, entries in (
        ("lecturer", catalogue.lecturers),
        ("site", catalogue.sites),
        ("organisation", catalogue.organisations),
    ):
        jobs.append((f"{kind}-index.md.j2", f"{SECTIONS[kind]}/index.md", {"entries": entries, **common}, ()))
        jobs += [(f"{kind}.md.j2", entry.path, {"e": entry, **common}, ()) for entry in entries]
    jobs += news_pages(env, catalogue, settings)
    jobs.append(("search.md.j2", "search/index.md", {}, ()))
    return jobs


def render_jobs(env: jinja2.Environment, jobs: list[Job], workers: int = 1) -> list[str]:
    return fork_map(lambda job: render_page(env, job[0], job[1], **job[2]), jobs, workers)


def render_site(catalogue: Catalogue, settings: Settings, has_pdf: bool = False, workers: int = 1) -> dict[str, str]:
    """Every generated page, as {path relative to docs/: Markdown}, rendered on `workers` cores."""
    env = make_environment(settings, has_pdf)
    jobs = site_jobs(env, catalogue, settings)
    return {job[1]: markdown for job, markdown in zip(jobs, render_jobs(env, jobs, workers), strict=True)}


def paginate(items: list, per_page: int, first: str) -> list[dict]:
    """Split a list into pages: `first` is page 1 (news/index.md or news/category/x.md), later
    pages go under it (news/page/2.md, news/category/x/page/2.md)."""
    base = first[: -len("/index.md")] if first.endswith("/index.md") else first[: -len(".md")]
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    paths = [first] + [f"{base}/page/{n}.md" for n in range(2, len(chunks) + 1)]
    return [
        {"number": n, "path": path, "items": chunk, "all": paths, "window": page_window(n, len(paths))}
        for n, (path, chunk) in enumerate(zip(paths, chunks, strict=True), 1)
    ]


def page_window(number: int, total: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager links to: the first, the last, and those near this one, with
    None for each gap (…). Listing every page would make a listing's HTML, and the links MkDocs
    checks on it, grow with the number of posts: 300 links a page at 3,000 posts."""
    shown = sorted({1, total, *range(max(1, number - around), min(total, number + around) + 1)})
    window: list[int | None] = []
    for n in shown:
        if window and n - (window[-1] or 0) > 1:
            window.append(None)
        window.append(n)
    return window


def news_pages(env: jinja2.Environment, catalogue: Catalogue, settings: Settings) -> list[Job]:
    """The news index, category and tag pages (paginated), and the archive by year and month."""
    news, news_dir, per_page = catalogue.news, settings.news_dir, settings.news_per_page
    jobs: list[Job] = []
    labels = env.globals["L"]

    def listing(title: str, posts: list, first: str) -> None:
        for pager in paginate(posts, per_page, first):
            context = {"title": title, "pager": pager, "catalogue": catalogue}
            jobs.append(("news-list.md.j2", pager["path"], context, tuple(pager["items"])))

    listing(labels["news"], news, f"{news_dir}/index.md")
    for name, slug in settings.news_categories.items():
        listing(name, [p for p in news if p.category.name == name], f"{news_dir}/category/{slug}.md")
    tags: dict[str, dict] = {}  # each tag's listing: its name, path and posts
    for post in news:
        for tag in post.tags:
            tags.setdefault(tag.path, {"name": tag.name, "path": tag.path, "posts": []})["posts"].append(post)
    for tag in tags.values():
        listing(tag["name"], tag["posts"], tag["path"])
    years = sorted({p.date.year for p in news}, reverse=True)
    for year in years:
        posts = [p for p in news if p.date.year == year]
        jobs.append(
            (
                "news-archive.md.j2",
                f"{news_dir}/archive/{year}.md",
                {"year": year, "posts": posts, "catalogue": catalogue},
                tuple(posts),
            )
        )
    context = {
        "years": [(y, sum(1 for p in news if p.date.year == y)) for y in years],
        "tags": sorted(tags.values(), key=lambda t: (-len(t["posts"]), t["name"])),
        "catalogue": catalogue,
    }
    jobs.append(("news-archive-index.md.j2", f"{news_dir}/archive/index.md", context, tuple(news)))
    return jobs


def render_post_parts(
    env: jinja2.Environment, catalogue: Catalogue, posts: list[Post], workers: int = 1
) -> dict[str, tuple[str, str]]:
    """What goes above and below each post's own Markdown, by the post's path: title, date
    line, credits, programme card, and links to the newer and older posts."""

    def parts(post: Post) -> tuple[str, str]:
        header = render_page(env, "post-header.md.j2", post.path, post=post, catalogue=catalogue)
        footer = render_page(env, "post-footer.md.j2", post.path, post=post, catalogue=catalogue)
        return header, footer

    return {post.path: result for post, result in zip(posts, fork_map(parts, posts, workers), strict=True)}


def render_block(env: jinja2.Environment, catalogue: Catalogue, name: str, page: str) -> str:
    """A block that an editor places in a hand-written page with `<!-- brochure:NAME -->`."""
    return render_page(env, f"block-{name}.md.j2", page, catalogue=catalogue)
