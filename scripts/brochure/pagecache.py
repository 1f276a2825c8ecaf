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

import hashlib
import json
import logging
import os
import posixpath
import re
import time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.structure.toc import get_toc

CACHED_TEMPLATE = "brochure/cached.html"
# The whole page is already HTML: the template only hands it through.
CACHED_TEMPLATE_SOURCE = "{{ page.content }}"
KEEP_DAYS = 14  # entries unused for this long are removed
LOCAL_REF = re.compile(r'\s(href|src)="([^"#?:]+(?:[?#][^"]*)?)"')
PACKAGE = Path(__file__).parent


class WarningCounter(logging.Handler):
    """Counts MkDocs' warnings, so a page that caused one is not cached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _tree_bytes(root: Path, pattern: str) -> list[object]:
    if not root.exists():
        return []
    return [
        x for p in sorted(root.rglob(pattern)) if p.is_file() for x in (p.relative_to(root).as_posix(), p.read_bytes())
    ]


class PageCache:
    def __init__(self, folder: Path, config, variant: str) -> None:
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
            *_tree_bytes(PACKAGE, "*.py"),
            *_tree_bytes(PACKAGE / "labels", "*.yml"),
        )
        self.nav_key = ""
        self.addresses: set[str] = set()
        self.by_address: dict[str, object] = {}
        self.warnings = WarningCounter()
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.hits = self.misses = 0

    def close(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
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
        self.addresses = set(self.by_address) | extra

    def key(self, page, markdown: str) -> str:
        meta = json.dumps(page.meta, sort_keys=True, default=str, ensure_ascii=False)
        file = page.file
        return _digest(self.site_key, self.nav_key, file.src_uri, file.dest_uri, file.url, meta, markdown)

    def lookup(self, page, key: str) -> bool:
        """If an entry for this key still holds, make the page come out of it and say so."""
        path = self.folder / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return False
        if not self._still_valid(entry):
            self.misses += 1
            return False
        os.utime(path)  # still in use: keep it past KEEP_DAYS
        self.hits += 1

        def render(config, files) -> None:
            page.content = entry["html"]
            page.toc = get_toc([])
            page._title_from_render = entry["title"]
            page.present_anchor_ids = set(entry["anchors"])
            page.links_to_anchors = {}

        page.render = render
        page.meta["template"] = CACHED_TEMPLATE
        return True

    def _still_valid(self, entry: dict) -> bool:
        if not all(address in self.addresses for address in entry["links"]):
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
        entry = {
            "html": output,
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": links,
            "images": images,
        }
        target = self.folder / f"{key}.json"
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)


def _stamp(file) -> list[int]:
    if file.abs_src_path is None or not os.path.exists(file.abs_src_path):
        return [len(file.content_bytes), 0]
    stat = os.stat(file.abs_src_path)
    return [stat.st_size, stat.st_mtime_ns]
