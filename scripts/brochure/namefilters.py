"""What makes a name one word in search: the catalogue's names as Pagefind filters.

Pagefind's indexer splits a name its dictionary does not know (刘静怡) into single characters
in running text, and the browser splits the reader's query in its own way, so a name found
1 page in 4. Here every name the catalogue knows (lecturers, sites, organisations, programme
titles, tags) that a page's article text contains becomes a filter value on that page
(`<span data-pagefind-filter="name:刘静怡">`), before Pagefind reads it. The search page reads
the same names from search/names.json and turns a name the reader typed into that filter, so
a name finds exactly the pages whose text contains it, whatever either segmenter does.

Each page also gets its kind (`kind`: 班次, 新闻, 师资 …) for the search page's buttons, and a
rank (`rank`: the entry's own page 1, programmes 2, news 3, other pages 4), so that a name's
own page comes first, then the programmes that name it, then the news.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import ahocorasick

from .catalogue import Catalogue
from .urls import SECTIONS

SEARCH_NAMES = "search/names.json"
# Each entry page's kind, as the search page's buttons say it, and its rank.
KINDS = {"lecturer": ("师资", 1), "site": ("现场教学点", 1), "organisation": ("合作单位", 1), "programme": ("班次", 2)}
NEWS = ("新闻", 3)
OTHER_RANK = 4
_ARTICLE = re.compile(r"(<article\b[^>]*\bdata-pagefind-body\b[^>]*>)(.*?)(</article>)", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# The marks a page already has (a preview page left as it was), and heading permalinks (¶),
# are no text of the page.
_MARK = re.compile(r'<span data-pagefind-(?:filter|sort)="[^"]*"></span>')
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)


def search_names(catalogue: Catalogue, news_dir: str, convert: Callable[[str], str] | None = None) -> bytes:
    """search/names.json: the names ({typed form: filter value}) and the page kinds by section.
    On the Traditional copy the values are Traditional, and the Simplified form is understood."""
    names = [entry.name for kind in (catalogue.lecturers, catalogue.sites, catalogue.organisations) for entry in kind]
    names += [p.title for p in catalogue.programmes]
    names += [t for p in catalogue.programmes for t in p.tags] + [t.name for post in catalogue.news for t in post.tags]
    table: dict[str, str] = {}
    for name in sorted({n.strip() for n in names if n and n.strip()}):
        value = convert(name) if convert else name
        table[value] = value
        table.setdefault(name, value)

    def said(kind: tuple[str, int]) -> list:
        return [convert(kind[0]) if convert else kind[0], kind[1]]

    sections = {SECTIONS[k]: said(v) for k, v in KINDS.items()}
    data = {"names": table, "sections": sections, "news": [news_dir, *said(NEWS)]}
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _automaton(names: dict[str, str]) -> ahocorasick.Automaton:
    finder = ahocorasick.Automaton()
    for value in set(names.values()):
        finder.add_word(value, value)
    finder.make_automaton()
    return finder


def page_kind(url_path: str, table: dict) -> tuple[str | None, int]:
    """(kind, rank) of a page by its file relative to its copy's root (lecturers/x/index.html)."""
    folders = url_path.split("/")[:-1]
    if len(folders) == 2 and folders[0] in table["sections"]:
        kind, rank = table["sections"][folders[0]]
        return kind, rank
    news_dir, kind, rank = table["news"]
    if len(folders) == 3 and folders[0] == news_dir and folders[1].isdigit():
        return kind, rank
    return None, OTHER_RANK


def mark_page(page: str, url_path: str, finder: ahocorasick.Automaton, table: dict) -> str:
    """The page with its name filters, kind and rank inside its indexed article."""
    match = _ARTICLE.search(page)
    if not match:
        return page
    inner = _MARK.sub("", match.group(2))
    text = html.unescape(_TAG.sub("", _PERMALINK.sub("", inner)))
    found = sorted({value for _, value in finder.iter(text)})
    kind, rank = page_kind(url_path, table)
    marks = [f'<span data-pagefind-filter="name:{html.escape(name)}"></span>' for name in found]
    if kind:
        marks.append(f'<span data-pagefind-filter="kind:{html.escape(kind)}"></span>')
    marks.append(f'<span data-pagefind-sort="rank:{rank}"></span>')
    return page[: match.start()] + match.group(1) + "".join(marks) + inner + match.group(3) + page[match.end() :]


def mark_site(site: Path) -> int:
    """Mark every indexed page of one copy of the site (not the copies inside it, which have
    their own names); the number of pages marked."""
    names_file = site / SEARCH_NAMES
    if not names_file.is_file():
        return 0
    table = json.loads(names_file.read_text(encoding="utf-8"))
    finder = _automaton(table["names"])
    others = {p.parent.parent for p in site.glob(f"*/{SEARCH_NAMES}")}
    marked = 0
    for path in sorted(site.rglob("index.html")):
        if any(path.is_relative_to(other) for other in others):
            continue
        page = path.read_text(encoding="utf-8")
        url_path = path.relative_to(site).as_posix()
        new = mark_page(page, url_path, finder, table)
        if new != page:
            path.write_text(new, encoding="utf-8")
            marked += 1
    return marked
