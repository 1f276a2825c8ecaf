"""The page cache: a page whose inputs have not changed since a previous build is written
from that build's HTML instead of being converted and templated again.

Converting Markdown and rendering Material's template are most of a build's time. When an
editor adds one post, the post, its neighbours, the listings it appears on and its programme
page change; the other thousands of pages come out byte for byte as before. The cache finds
those by a key over everything that goes into a page's HTML:

- the page's final Markdown (after this plugin has filled in post headers, footers and
  blocks, so neighbours and listings change their key when a post is added) and its metadata;
- where the page lives (source path, output path, URL);
- the whole-site inputs: mkdocs.yml and the settings the plugin derived from it, the theme
  overrides, this package's code, the MkDocs and Material versions, and the nav (titles and
  URLs of every entry, which Material prints on every page).

A key alone cannot see two things, so an entry also records them and is used only if they
still hold: every page and file it links to still exists at the same address, and every local
image it shows still has the same size and modification time (its width and height are
written into the HTML). A page that logged a warning is never stored, so `--strict` sees the
warning again. tests/test_pagecache.py checks that a build from the cache is byte for byte a
clean build after the edits editors make.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

# MkDocs' own steps for one page, used to render pages ahead in prerender (mkdocs is pinned
# to 1.6.1, where these private functions are as used here).
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .store import code_digest, file_stamp, write_atomic
from .store import digest as _digest


@dataclass(frozen=True)
class Lookup:
    """What the plugin found for a page when its Markdown was final (on_page_markdown): the
    page's key, how many warnings had been logged by then, and whether the cache has it."""

    key: str | None = None
    warnings: int = 0
    hit: bool = False


def lookup_of(page) -> Lookup:
    """The page's Lookup; a page the cache was not asked about is not from the cache."""
    return getattr(page, "brochure_lookup", Lookup())


def outcome(page, key: str) -> dict | None:
    """What a finished page came out as, all but its HTML: enough to leave the page as it was
    written and still check its links and images (PageCache.still_valid). None for a page that
    logged a warning, which is never kept (PageCache.store)."""
    references = getattr(page, "brochure_references", None)
    if references is None:
        return None
    return {
        "key": key,
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": references[0],
        "images": references[1],
        "lastmod": page.update_date,
    }


def as_written(page, written: dict) -> None:
    """Give a page that is not read again what other pages and the sitemap use of it, from its
    `outcome` when it was written."""
    page.update_date = written["lastmod"]
    page._title_from_render = written["title"]
    page.present_anchor_ids = set(written["anchors"])


CACHED_TEMPLATE = "brochure/cached.html"
# The whole page is already HTML: the template only hands it through.
CACHED_TEMPLATE_SOURCE = "{{ page.content }}"
KEEP_DAYS = 14  # entries unused for this long are removed
SWEPT = ".swept"  # in the cache folder: touched when it was last swept of old entries
LOCAL_REF = re.compile(r'\s(href|src)="([^"#?:]+(?:[?#][^"]*)?)"')


class WarningCounter(logging.Handler):
    """Counts MkDocs' warnings, so a page that caused one is not cached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _tree_bytes(root: Path, pattern: str) -> list[object]:
    if not root.exists():
        return []
    return [
        x for p in sorted(root.rglob(pattern)) if p.is_file() for x in (p.relative_to(root).as_posix(), p.read_bytes())
    ]


# Cache folders this process has already swept of old entries: a `mkdocs serve` session need
# not stat thousands of files again at every rebuild.
_SWEPT: set[Path] = set()


class PageCache:
    def __init__(self, folder: Path, config, variant: str, kept: dict[str, dict] | None = None) -> None:
        self.folder = folder / "pages" / (variant or "default")
        self.folder.mkdir(parents=True, exist_ok=True)
        overrides = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        self.site_key = _digest(
            Path(config.config_file_path).read_bytes(),
            config.site_url,
            config.site_name,
            config.site_description,
            config.copyright,
            json.dumps(config.extra, sort_keys=True, default=str, ensure_ascii=False),
            config.theme["language"],
            config.use_directory_urls,
            version("mkdocs"),
            version("mkdocs-material"),
            *(_tree_bytes(overrides, "*") if overrides else []),
            code_digest(),
        )
        self.nav_key = ""
        self.by_address: dict[str, object] = {}
        self.extra_addresses: set[str] = set()
        self.warnings = WarningCounter()
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.started = time.time()
        self.pages = self.reused = 0  # for the build's log line: pages, and pages from earlier builds
        self.counting = True  # off while prerendering, which looks every page up once more
        self.from_earlier: set[str] = set()
        # Under `mkdocs serve`, the entries the last rebuild used, so that the next one does not
        # read 6,000 entries back from disk (kept in the plugin between rebuilds); else None.
        self.kept = kept
        self.used: dict[str, dict] = {}

    def close(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.kept is not None:
            self.kept.clear()
            self.kept.update(self.used)
        if self.folder in _SWEPT:
            return
        _SWEPT.add(self.folder)
        # Once a day: a stat of every entry is most of a second once builds have left thousands.
        swept = self.folder / SWEPT
        if time.time() - (swept.stat().st_mtime if swept.exists() else 0) < 86400:
            return
        swept.touch()
        cutoff = time.time() - KEEP_DAYS * 86400
        for entry in self.folder.iterdir():
            if entry.stat().st_mtime < cutoff:
                entry.unlink(missing_ok=True)

    def set_nav(self, nav, files, extra: set[str]) -> None:
        """The nav as every page prints it. An entry without a title in mkdocs.yml takes its
        page's first heading, so that page's source goes into the key too."""
        parts: list[object] = []

        def walk(items) -> None:
            for item in items:
                parts.append((type(item).__name__, item.title, getattr(item, "url", "")))
                file = getattr(item, "file", None)
                if file is not None and item.title is None:
                    parts.append(file.content_bytes)
                walk(getattr(item, "children", None) or [])

        walk(nav.items)
        self.nav_key = _digest(*parts)
        self.by_address = {}
        for file in files:
            self.by_address[file.dest_uri] = file
            if file.dest_uri.endswith("index.html"):
                self.by_address[file.dest_uri[: -len("index.html")]] = file
        self.extra_addresses = extra

    def key(self, page, markdown: str, *also: str) -> str:
        """The key of a page's HTML: the site, the nav, the page's Markdown and metadata, and
        `also`, what else its HTML is made from (a post's: the lecturers' names it keeps whole)."""
        meta = json.dumps(page.meta, sort_keys=True, default=str, ensure_ascii=False)
        file = page.file
        return _digest(self.site_key, self.nav_key, file.src_uri, file.dest_uri, file.url, meta, markdown, *also)

    def lookup(self, page, key: str) -> bool:
        """If an entry for this key still holds, make the page come out of it and say so."""
        path = self.folder / f"{key}.json"
        # Prerendering keeps no entry in memory for the final pass, which reads it again: a
        # forked worker's memory is not the parent's, and each entry holds a page's HTML
        # (about 55 KB as a str). Kept, they were 170 MB per process at 6,000 pages.
        if self.counting and self.kept and key in self.kept:
            entry = self.kept[key]  # used by the last rebuild of this preview
            if not self.still_valid(entry):
                self.pages += 1
                return False
            self.from_earlier.add(key)
        else:
            try:
                earlier = path.stat().st_mtime < self.started  # not written by this build's prerender
                entry = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.pages += self.counting
                return False
            if not self.still_valid(entry):
                self.pages += self.counting
                return False
            if self.counting:  # not while prerendering, so the final pass can still tell it is old
                os.utime(path)  # still in use: keep it past KEEP_DAYS
            if earlier:
                self.from_earlier.add(key)
        self.pages += self.counting
        self.reused += self.counting and key in self.from_earlier
        if self.kept is not None and self.counting:
            self.used[key] = entry

        def render(config, files) -> None:
            # Once per build: MkDocs keeps every page to the end, and this closure would keep
            # the page's HTML with it after on_post_page has let the page's text go.
            del page.render
            page.content = entry["html"]
            page.toc = get_toc([])
            page._title_from_render = entry["title"]
            page.present_anchor_ids = set(entry["anchors"])
            page.links_to_anchors = {}

        page.render = render
        page.meta["template"] = CACHED_TEMPLATE
        page.brochure_references = entry["links"], entry["images"]
        return True

    def carry(self, key: str) -> None:
        """A page the preview left as its last rebuild wrote it (preview.py): its entry stays in
        memory for the next rebuild."""
        if self.kept is not None and key in self.kept:
            self.used[key] = self.kept[key]

    def taken(self, page) -> None:
        """The page is the one the published site has (previous.py): nothing to render."""

        def render(config, files) -> None:
            page.content = ""
            page.toc = get_toc([])
            page.links_to_anchors = {}

        page.render = render
        page.meta["template"] = CACHED_TEMPLATE

    def still_valid(self, entry: dict) -> bool:
        if not all(a in self.by_address or a in self.extra_addresses for a in entry["links"]):
            return False
        for address, stamp in entry["images"].items():
            file = self.by_address.get(address)
            if file is None or _stamp(file) != stamp:
                return False
        return True

    def references(self, page, html: str) -> tuple[list[str], dict[str, list[int]]]:
        """The site addresses this page's own HTML links to, and the images it shows."""
        base = page.file.dest_uri.rsplit("/", 1)[0] if "/" in page.file.dest_uri else ""
        links: set[str] = set()
        images: dict[str, list[int]] = {}
        for attr, ref in LOCAL_REF.findall(html):
            path = unquote(urlsplit(ref).path)
            if not path:
                continue
            address = posixpath.normpath(posixpath.join(base, path)).lstrip("/")
            if address == ".":
                address = ""  # the home page
            elif path.endswith("/"):
                address += "/"
            links.add(address)
            file = self.by_address.get(address)
            if attr == "src" and file is not None:
                images[address] = _stamp(file)
        return sorted(links), images

    def store(self, page, key: str, output: str, warnings_before: int, content: str) -> None:
        if self.warnings.count != warnings_before:
            return  # let the next build log it again
        links, images = self.references(page, content)
        page.brochure_references = links, images
        entry = {
            "html": output,
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": links,
            "images": images,
        }
        if self.counting and self.kept is not None:
            self.used[key] = entry
        write_atomic(self.folder / f"{key}.json", json.dumps(entry, ensure_ascii=False).encode("utf-8"))


def _stamp(file) -> list[int]:
    found = file_stamp(file.abs_src_path) if file.abs_src_path is not None else None
    return [len(file.content_bytes), 0] if found is None else list(found)


def every_page(files, config, inclusion) -> list:
    """The pages MkDocs builds, made now where MkDocs would make them only in its page pass
    (those not in the nav)."""
    pages = []
    for file in files.documentation_pages(inclusion=inclusion):
        if file.page is None:
            Page(None, file, config)
        pages.append(file.page)
    return pages


def prerender(cache: PageCache, config, files, nav, workers: int, previous=None) -> None:
    """Render every page now, spread over `workers` processes, into the cache; MkDocs' own
    pass then finds each page there and only writes it out.

    MkDocs renders pages one after another on one core. Converting Markdown and filling in
    the theme's template are most of a build, and pages do not depend on each other there,
    so forked copies of this process (which share the loaded config, files and nav) each take
    every n-th page. Each child also reads the pages the nav takes its titles from, so the nav
    it prints matches the parent's. A child's logging is silenced: a page that warned is not
    cached (see store), so the parent renders it again and reports the warning once. A child
    that fails leaves its pages to the parent, which then renders them itself.

    A page the cache already holds is only looked up here, not built: MkDocs' pass writes it.
    A page the published site already has (`previous`, previous.py) is neither: each child
    names the ones it found, so that MkDocs' pass does not read them again either. (Pages in
    the nav are read again all the same: the parent prints their titles in the nav.)
    """
    pages = every_page(files, config, InclusionLevel.is_included)
    included = {id(page) for page in pages}  # Page compares by value, slowly; identity is enough
    in_nav = [page for page in nav.pages if id(page) in included]
    nav_ids = {id(page) for page in in_nav}
    by_uri = {page.file.dest_uri: page for page in pages}
    env = config.theme.get_env()
    cache.counting = False
    children = []
    for share in range(1, workers):
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # a child: render its share, leave the results in the cache, exit
            status = 1
            try:
                os.close(reading)
                logging.getLogger("mkdocs").setLevel(logging.CRITICAL)
                mine = pages[share::workers]
                _render(mine, in_nav, config, files, nav, env)
                taken = [p.file.dest_uri for p in mine if previous and p.file.dest_uri in previous.taken]
                with os.fdopen(writing, "w", encoding="utf-8") as report:
                    report.write(json.dumps([uri for uri in taken if id(by_uri[uri]) not in nav_ids]))
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        children.append((pid, reading))
    _render(pages[0::workers], in_nav, config, files, nav, env)
    for pid, reading in children:
        with os.fdopen(reading, encoding="utf-8") as report:
            text = report.read()  # before waiting: a long report fills the pipe
        _, status = os.waitpid(pid, 0)
        if previous is not None and status == 0:
            for uri in json.loads(text):
                previous.take_page(by_uri[uri], previous.last_pages[uri])
    cache.counting = True


def _render(share, in_nav, config, files, nav, env) -> None:
    env = config.plugins.on_env(env, config=config, files=files)
    mine = {id(page) for page in share}
    for page in in_nav:
        if id(page) not in mine:
            _populate_page(page, config, files)
    for page in share:
        _populate_page(page, config, files)
    docs = files.documentation_pages()
    for page in share:
        if lookup_of(page).hit:
            page.content = None  # the final pass takes it from the cache again; until then, memory
        else:
            _build_page(page, config, docs, nav, env)
