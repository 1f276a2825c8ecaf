"""The search index: Pagefind over the finished pages, in site/pagefind/.

Pagefind reads the HTML (only the <article data-pagefind-body> of each page, see
overrides/main.html), segments Chinese with its extended build, and writes the index in
chunks, so a reader downloads only the parts a query needs rather than one file holding every
page (Material's lunr index is 7 MB gzipped at 2,000 pages).

The index is made in parts (split_into_parts): Pagefind holds about 220 KB per page while it
indexes, 1.6 GB at 5,400 pages, and has no incremental mode. Each part is indexed by its own
Pagefind run, one after another, so the build's memory is that of the largest part; and a part
whose pages are byte for byte those of the last run gets that run's index again, so an edited
post re-indexes only its own year. The first part's bundle is site/pagefind/ itself, the others
are in site/pagefind/parts/, listed in parts.json; the search page merges them
(Pagefind's mergeIndex, search.js).

A build waits for the index. A preview rebuild under `mkdocs serve` does not: the reloaded
pages keep the previous index, and the new one replaces it when it is ready, so an editor sees
an edit at once and finds it in search a little later.

`brochure build` runs Pagefind itself, once MkDocs has exited (it sets INDEXED_BY_CALLER for
the build), so that a MkDocs process still alive beside it does not hold its 600 MB or so
meanwhile. Plain `mkdocs build` indexes in the plugin.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError

from .namefilters import SEARCH_NAMES, copy_pages, indexed_pages, mark_site
from .store import link_or_copy, write_atomic

BUNDLE = "pagefind"
INDEXED_BY_CALLER = "BROCHURE_INDEXED_BY_CALLER"
PARTS = "parts"  # site/pagefind/parts/<part>/: the bundles merged into the first
PARTS_LIST = "parts.json"
DIGESTS = "digests.json"  # in the cache: each page's digest as last marked (_marked_pages)
MAIN = "main"  # the first part: the pages of no year (home, lecturers, sites, undated programmes)
# Pagefind holds 220-350 KB a page while it indexes (news to programmes), so a part of 2,000
# pages keeps it under 700 MB. Parts are not smaller because each has its own entry file,
# metadata and filter chunk, and a query takes one index chunk from each: at the benchmark's
# default size one name query downloads 235 KB from one index, 255 KB from 4 parts and about
# 20 KB more from 5 (docs/benchmarks.md).
PART_PAGES = 2000
_YEAR = re.compile(r"(\d{4})(?:\D|$)")  # news/2024/…, programmes/2025-shebao-…/
_SLUG = re.compile(r"[a-z0-9_-]+")


def _command(site: Path, output: Path) -> list[str]:
    # The heading permalinks' ¶ is no word of the page: it showed in every result.
    exclude = ["--exclude-selectors", ".headerlink"]
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output), *exclude, "--silent"]


def split_into_parts(pages: list[str], limit: int = PART_PAGES) -> dict[str, list[str]]:
    """The index's parts by name, each with its pages (paths relative to the copy), the
    first part first.

    A page in a dated folder (news/2024/…, programmes/2025-…/) goes by its year: a folder's
    years, oldest first, fill parts of up to `limit` pages, so that a new post changes only the
    newest part and an edited one only its own. All other pages make the first part. A part of
    more than `limit` pages (one busy year, or many undated programmes) is dealt into a power of
    two of buckets by a hash of each page's path, so a page keeps its bucket as others come and
    go."""
    undated: list[str] = []
    dated: dict[str, dict[int, list[str]]] = {}
    for page in sorted(pages):
        folders = page.split("/")
        year = _YEAR.match(folders[1]) if len(folders) > 2 else None
        if year:
            dated.setdefault(folders[0], {}).setdefault(int(year.group(1)), []).append(page)
        else:
            undated.append(page)
    parts = {MAIN: undated} if undated else {}
    for folder, years in sorted(dated.items()):
        # Part names go into addresses: a folder not named in plain ASCII goes by a hash.
        label = folder if _SLUG.fullmatch(folder) else "s" + hashlib.blake2b(folder.encode(), digest_size=4).hexdigest()
        run: list[str] = []
        first = last = 0
        for year in sorted(years):
            if run and len(run) + len(years[year]) > limit:
                parts[_span(label, first, last)] = run
                run = []
            if not run:
                first = year
            run += years[year]
            last = year
        parts[_span(label, first, last)] = run
    split: dict[str, list[str]] = {}
    for name, members in parts.items():
        if len(members) <= limit:
            split[name] = members
            continue
        count = 2 ** math.ceil(math.log2(len(members) / limit))
        buckets: list[list[str]] = [[] for _ in range(count)]
        for page in members:
            buckets[int.from_bytes(hashlib.blake2b(page.encode(), digest_size=4).digest(), "big") % count].append(page)
        split.update((f"{name}-{i}", bucket) for i, bucket in enumerate(buckets) if bucket)
    return split


def _span(label: str, first: int, last: int) -> str:
    return f"{label}-{first}" if first == last else f"{label}-{first}-{last}"


def _run_pagefind(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise PluginError("搜索索引（Pagefind）生成失败：\n" + (result.stderr or result.stdout).strip())


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _marked_pages(site: Path, cache: Path | None = None, previous: Path | None = None) -> dict[str, str]:
    """Marks the pages (namefilters.py); each page Pagefind will index, with a digest of it as
    marked.

    A page linked from the published copy `previous` (previous.py) was marked when that copy
    was built. If the names are the ones it was marked with, it is neither marked nor read
    again, and its digest is the one recorded then in `cache`, under the file's inode, size and
    modification time."""
    known = _read_json(cache / DIGESTS, {}) if cache is not None else {}
    same_names = previous is not None and _read_bytes(site / SEARCH_NAMES) == _read_bytes(previous / SEARCH_NAMES)
    pages: dict[str, str] = {}
    stamps: dict[str, list] = {}
    todo = []
    for path, relative in copy_pages(site):
        if same_names:
            stat = path.stat()
            was = known.get(relative)
            if was is not None and was[:3] == [stat.st_ino, stat.st_size, stat.st_mtime_ns]:
                pages[relative], stamps[relative] = was[3], was
                continue
        todo.append(path)

    def seen(relative: str, data: bytes) -> None:
        stat = (site / relative).stat()  # as marked
        pages[relative] = _digest(data)
        stamps[relative] = [stat.st_ino, stat.st_size, stat.st_mtime_ns, pages[relative]]

    mark_site(site, seen, todo)
    if cache is not None:
        write_atomic(cache / DIGESTS, json.dumps(stamps).encode("utf-8"))
    return pages


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def _write_index(
    site: Path,
    pages: dict[str, str],
    bundle: Path,
    cache: Path | None,
    run: Callable[[list[str]], None] = _run_pagefind,
) -> tuple[int, int]:
    """The index of `pages` (from _marked_pages) into `bundle`, part by part; with `cache`, a part
    whose pages are exactly those of the last run gets that run's index again instead of a new
    one: Pagefind 1.5.2 writes its filter chunks in a new order on every run, so an unchanged
    part would otherwise publish changed files (and it saves the indexing time). How many
    parts were reused and how many indexed."""
    parts = split_into_parts(list(pages))
    how = " ".join(_command(Path("S"), Path("O"))) + " " + importlib.metadata.version("pagefind")
    reused = 0
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    # The first part first: its bundle is the folder the other parts go in.
    for number, (name, members) in enumerate(parts.items()):
        target = bundle / PARTS / name if number else bundle
        digest = hashlib.blake2b(f"{how}\0{name}".encode(), digest_size=16)
        for page in members:
            digest.update(f"\0{page}\0{pages[page]}".encode())
        kept = cache / name if cache is not None else None
        if kept is not None and (kept / "pages").is_file() and (kept / "pages").read_text() == digest.hexdigest():
            _link_tree(kept / BUNDLE, target)
            reused += 1
            continue
        # Pagefind reads a folder: one of links to this part's pages, beside the site or in the
        # cache (the same disk, so the links cost no copying), and gone afterwards.
        with tempfile.TemporaryDirectory(prefix=".search-part-", dir=cache or site.parent) as tree:
            for page in members:
                (Path(tree) / page).parent.mkdir(parents=True, exist_ok=True)
                link_or_copy(str(site / page), str(Path(tree) / page))
            run(_command(Path(tree), target))
        if kept is not None:
            (kept / "pages").unlink(missing_ok=True)  # the record goes last, so a half copy is never used
            kept.mkdir(parents=True, exist_ok=True)
            _link_tree(target, kept / BUNDLE)  # the first part's, before the others go into it
            (kept / "pages").write_text(digest.hexdigest())
    if parts:
        (bundle / PARTS_LIST).write_text(json.dumps(list(parts)[1:]) + "\n", encoding="utf-8")
    if cache is not None and cache.is_dir():
        for old in cache.iterdir():  # parts no longer made, and the single index of earlier versions
            if old.name not in parts and old.name != DIGESTS and not old.name.startswith(".search-part-"):
                shutil.rmtree(old) if old.is_dir() else old.unlink()
    return reused, len(parts) - reused


def index_site(site: Path, cache: Path | None = None, previous: Path | None = None) -> tuple[int, int]:
    """Index one copy of the site into its pagefind/ folder, with the cache as _write_index
    says, taking over the marking of pages linked from `previous` (_marked_pages); how many
    parts were reused and how many indexed."""
    if (site / BUNDLE).exists():
        # Something the site was built with (docs/pagefind) is where the index goes.
        raise PluginError(
            f"搜索索引（Pagefind）生成失败：网站里已经有 {BUNDLE}（多半是 docs/{BUNDLE}），"
            "那是搜索索引的位置。请把它改名或删去，再构建。"
        )
    return _write_index(site, _marked_pages(site, cache, previous), site / BUNDLE, cache)


def _link_tree(source: Path, target: Path) -> None:
    # Hard links: the preview's copy of a bundle of thousands of files costs no copying.
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=link_or_copy)


class PreviewIndex:
    """The search index of a `mkdocs serve` preview, built beside the server.

    The last finished bundle is kept in the cache folder (`ready`). Each rebuild links it into
    the new site at once, then indexes the new pages in the background, part by part, the
    parts it has indexed before taken from its own cache (`parts`); when that finishes, and no
    newer rebuild has started meanwhile, its bundle becomes `ready` and replaces the one in the
    site.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ready = folder / "ready"
        self.parts = folder / "parts"
        self.lock = threading.Lock()
        self.generation = 0
        self.process: subprocess.Popen | None = None
        self.names = b""  # the names the pages in the site were last marked with

    def stop(self) -> None:
        """A rebuild is starting (or the server stopping): an index of the old pages is moot."""
        with self.lock:
            self.generation += 1
            if self.process is not None and self.process.poll() is None:
                self.process.kill()

    def update(self, site: Path, written: list[str] | None = None) -> None:
        """After a rebuild; `written`: the pages it wrote (preview.py), where it left the others
        as they were, and so as they were marked; None: every page is new."""
        with self.lock:
            generation = self.generation
            if self.ready.exists():
                _link_tree(self.ready, site / BUNDLE)
            for old in self.folder.glob("next-*"):  # superseded generations' bundles
                shutil.rmtree(old, ignore_errors=True)
        # Before the server shows the pages, which carry the marks. The pages left as they were
        # keep theirs, unless the names have changed.
        names_file = site / SEARCH_NAMES
        names = names_file.read_bytes() if names_file.is_file() else b""
        if written is None or names != self.names:
            mark_site(site)
        else:
            mark_site(site, only=[Path(page) for page in written if page.endswith(".html")])
        self.names = names
        threading.Thread(target=self._index, args=(site, generation), daemon=True).start()

    def _index(self, site: Path, generation: int) -> None:
        # The pages are read again here, off the reload's path; a rebuild that rewrites them
        # meanwhile has stopped this generation first (stop), and this thread gives up at once:
        # reading and hashing thousands of pages would hold up that rebuild (the interpreter's lock).
        pages: dict[str, str] = {}
        try:
            for path, data in indexed_pages(site):
                if generation != self.generation:
                    return
                pages[path] = _digest(data)
        except OSError:
            return

        def run(command: list[str]) -> None:
            with self.lock:
                if generation != self.generation:
                    raise _Superseded
                self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                process = self.process
            if process.wait() != 0:
                raise _Superseded  # killed for a newer rebuild, or failed: the site keeps the previous index

        bundle = self.folder / f"next-{generation}"  # each generation its own: a superseded one may still be writing
        try:
            _write_index(site, pages, bundle, self.parts, run)
        except (_Superseded, OSError):
            return  # OSError: a newer rebuild replaced the pages being linked
        with self.lock:
            if generation != self.generation:
                return
            shutil.rmtree(self.ready, ignore_errors=True)
            bundle.rename(self.ready)
            _link_tree(self.ready, site / BUNDLE)


class _Superseded(Exception):
    pass
