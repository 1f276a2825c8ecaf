"""What makes a name one word in search: each catalogue name as one indexed token.

Pagefind's indexer splits a name its dictionary does not know (刘静怡) into single characters
in running text, and the browser splits the reader's query in its own way, so a name found
1 page in 4. Here every name the catalogue knows (lecturers, sites, organisations, programme
titles, tags) that a page's article text contains is written into that page as one ASCII
token made from the name (`<span hidden>qxmdkwpzabcf</span>`), before Pagefind reads it. The
search page reads the same names and tokens from search/names.json and searches for the token
of a name the reader typed, so a name finds exactly the pages whose text contains it, whatever
either segmenter does.

A token rather than a Pagefind filter: a search by filter alone loads every index chunk
(7 MB at 6,000 pages), a token only the chunk it is in; and Pagefind 1.5.2 writes filter
chunks in a new order on every run, so name filters made an unchanged site republish.

Each page also gets its kind (`kind`: 班次, 新闻, 师资 …) for the search page's buttons. Each kind
has a rank in search/names.json (the entry's own page 1, programmes 2, news 3; other pages, of
no kind, come last), by which the search page lists a name's own page first, then the
programmes that name it, then the news (search.js).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import ahocorasick

from .catalogue import Catalogue
from .store import write_atomic
from .urls import SECTIONS

SEARCH_NAMES = "search/names.json"
# Each entry page's kind, as the search page's buttons say it, and its rank.
KINDS = {"lecturer": ("师资", 1), "site": ("现场教学点", 1), "organisation": ("合作单位", 1), "programme": ("班次", 2)}
NEWS = ("新闻", 3)
_ARTICLE = re.compile(r"(<article\b[^>]*\bdata-pagefind-body\b[^>]*>)(.*?)(</article>)", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_INDEXED = re.compile(rb"<article\b[^>]*\bdata-pagefind-body\b")  # a page Pagefind indexes
# The marks a page already has (a preview page left as it was), and heading permalinks (¶),
# are no text of the page.
_MARK = re.compile(r'<span data-pagefind-filter="[^"]*"></span>|<span class="brochure-names" hidden>[a-z ]*</span>')
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)


def name_token(value: str) -> str:
    """The one word a name is indexed and searched as: "qx" and ten letters from its hash (no
    digits, which a segmenter might split off; no real word in either script)."""
    number = int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big")
    letters = []
    for _ in range(10):
        number, letter = divmod(number, 26)
        letters.append(chr(ord("a") + letter))
    return "qx" + "".join(letters)


def search_names(catalogue: Catalogue, news_dir: str, convert: Callable[[str], str] | None = None) -> bytes:
    """search/names.json: the names as the pages write them, each with its token ({name:
    token}), the other forms a reader may type ({typed: name}), and the page kinds by section.
    On the Traditional copy the names are Traditional, and the Simplified form is understood."""
    names = [entry.name for kind in (catalogue.lecturers, catalogue.sites, catalogue.organisations) for entry in kind]
    names += [p.title for p in catalogue.programmes]
    names += [t for p in catalogue.programmes for t in p.tags] + [t.name for post in catalogue.news for t in post.tags]
    tokens: dict[str, str] = {}
    typed: dict[str, str] = {}
    for name in sorted({n.strip() for n in names if n and n.strip()}):
        value = convert(name) if convert else name
        tokens[value] = name_token(value)
        if name != value:
            typed[name] = value
    typed = {form: value for form, value in typed.items() if form not in tokens}

    def said(kind: tuple[str, int]) -> list:
        return [convert(kind[0]) if convert else kind[0], kind[1]]

    sections = {SECTIONS[k]: said(v) for k, v in KINDS.items()}
    data = {"names": tokens, "typed": typed, "sections": sections, "news": [news_dir, *said(NEWS)]}
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _automaton(names: dict[str, str]) -> ahocorasick.Automaton:
    finder = ahocorasick.Automaton()
    for value in names:
        finder.add_word(value, value)
    finder.make_automaton()
    return finder


def page_kind(url_path: str, table: dict) -> str | None:
    """The kind of a page by its file relative to its copy's root (lecturers/x/index.html)."""
    folders = url_path.split("/")[:-1]
    if len(folders) == 2 and folders[0] in table["sections"]:
        return table["sections"][folders[0]][0]
    news_dir, kind, _ = table["news"]
    if len(folders) == 3 and folders[0] == news_dir and folders[1].isdigit():
        return kind
    return None


def mark_page(page: str, url_path: str, finder: ahocorasick.Automaton, table: dict) -> str:
    """The page with its name tokens and kind inside its indexed article."""
    match = _ARTICLE.search(page)
    if not match:
        return page
    inner = _MARK.sub("", match.group(2))
    text = html.unescape(_TAG.sub("", _PERMALINK.sub("", inner)))
    found = sorted({value for _, value in finder.iter(text)})
    kind = page_kind(url_path, table)
    marks = []
    if found:
        tokens = " ".join(sorted({table["names"][name] for name in found}))
        marks.append(f'<span class="brochure-names" hidden>{tokens}</span>')
    if kind:
        marks.append(f'<span data-pagefind-filter="kind:{html.escape(kind)}"></span>')
    return page[: match.start()] + match.group(1) + "".join(marks) + inner + match.group(3) + page[match.end() :]


def copy_pages(site: Path) -> Iterator[tuple[Path, str]]:
    """The HTML files of one copy of the site, with their paths relative to it: not the search
    bundle's own files (search.BUNDLE), nor the pages of a copy inside it, which has its own
    names and index."""
    others = {p.parent.parent for p in site.glob(f"*/{SEARCH_NAMES}")}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if "pagefind" not in relative.parts and not any(path.is_relative_to(other) for other in others):
            yield path, relative.as_posix()


def indexed_pages(site: Path) -> Iterator[tuple[str, bytes]]:
    """Each page of one copy that Pagefind will index (its article is marked data-pagefind-body),
    as it is now: its path relative to the copy, and its bytes."""
    for path, relative in copy_pages(site):
        data = path.read_bytes()
        if _INDEXED.search(data):
            yield relative, data


def mark_site(site: Path, seen: Callable[[str, bytes], None] | None = None, only: list[Path] | None = None) -> int:
    """Mark every indexed page of one copy of the site, or `only` those of its pages; the number
    of pages marked. With `seen`, each page Pagefind will index is handed to it, as
    indexed_pages gives it, marked, in the same pass, so the index's cache keys cost no second
    reading of the site."""
    names_file = site / SEARCH_NAMES
    table = json.loads(names_file.read_text(encoding="utf-8")) if names_file.is_file() else None
    finder = _automaton(table["names"]) if table else None
    marked = 0
    pages = copy_pages(site) if only is None else ((path, path.relative_to(site).as_posix()) for path in only)
    for path, relative in pages:
        marking = finder is not None and path.name == "index.html"
        if not marking and seen is None:
            continue
        data = path.read_bytes()
        if marking:
            page = data.decode("utf-8")
            new = mark_page(page, relative, finder, table)
            if new != page:
                data = new.encode("utf-8")
                # A new file, not written into the old one: that may be a page of the published
                # site, linked into the one being built (previous.py).
                write_atomic(path, data)
                marked += 1
        if seen is not None and _INDEXED.search(data):
            seen(relative, data)
    return marked
