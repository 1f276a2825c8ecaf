"""Taking files over from the published site: `brochure build` writes only what changed.

`brochure build` builds into an empty staging folder and swaps it in (publish.py), so that a
failed build leaves the published site as it was. After a one-post edit, writing 6,000 pages
and copying every photo, theme file and brochure into that folder again was most of the build.
When the published site is still as the last build left it (laststamp.intact), this build
hard-links into the staging folder each file that would come out the same:

- a page whose key (pagecache.py: everything its HTML is made from) is the one the last build
  wrote, and whose links and images still hold. MkDocs neither renders nor writes it, and a
  page decided in a forked worker (pagecache.prerender) is not even read again;
- a photo, theme file or brochure whose source has the size and modification time it had when
  the last build copied it.

A link is the published file itself, so nothing may write into one: MkDocs is told such files
are unmodified (its dirty mode) and writes only the others, into names nothing links, and the
search marking replaces a page instead of writing into it (namefilters.mark_site).

What a build wrote is recorded in the cache under the build's id, and the stamp of the site it
was swapped into names that id (laststamp.remember), so the record of a build that failed
before its swap is never used, and each site folder (site/, or another -d) has its own.
tests/test_pagecache.py builds into the same folder after each kind of edit and compares the
result with a clean build, byte for byte.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from .pagecache import as_written
from .store import link_or_copy, write_atomic

# Set by `brochure build` for the MkDocs it runs: this build's id, and where the published copy
# and the id of the build that made it are, if it can be taken over from.
ENVIRONMENT = "BROCHURE_BUILD"
RECORDS = "outputs"  # in the cache folder: <build>.<copy>.json, what each build wrote


def environment(build: str, previous: Path | None, previous_build: str | None) -> dict[str, str]:
    value = {"id": build, "previous": str(previous or ""), "previous_id": previous_build or ""}
    return {ENVIRONMENT: json.dumps(value)}


# MkDocs logs this at every dirty build; into an empty staging folder it is no news.
DIRTY = "A 'dirty' build is being performed"


def hide_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(DIRTY)


def _never() -> bool:
    return False


def record_path(cache_dir: Path, build: str, variant: str | None) -> Path:
    return cache_dir / RECORDS / f"{build}.{variant or 'default'}.json"


def forget_others(cache_dir: Path, builds: set[str]) -> None:
    """Remove the records of builds no published site came from."""
    folder = cache_dir / RECORDS
    if folder.is_dir():
        for record in folder.iterdir():
            if record.name.split(".", 1)[0] not in builds:
                record.unlink(missing_ok=True)


class PreviousSite:
    """What this build of one copy writes, recorded for the next, and what it takes over from the
    last build's copy at `folder`, which the build `last_build` made."""

    def __init__(self, cache_dir: Path, variant: str | None, build: str, folder: Path | None, last_build: str) -> None:
        self.record = record_path(cache_dir, build, variant)
        self.folder = folder
        last: dict = {}
        if folder is not None and last_build:
            try:
                last = json.loads(record_path(cache_dir, last_build, variant).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.folder = None  # no record of what is there: nothing is taken over
        self.last_pages: dict[str, dict] = last.get("pages", {})
        self.last_files: dict[str, list] = last.get("files", {})
        self.pages: dict[str, dict] = {}  # this build's pages, by output path
        self.files: dict[str, list] = {}  # this build's copied files: [source, size, mtime]
        self.taken: set[str] = set()  # output paths to link from the last build's copy

    @classmethod
    def from_environment(cls, cache_dir: Path, variant: str | None, dirty: bool) -> PreviousSite | None:
        value = os.environ.get(ENVIRONMENT)
        if not value:
            return None  # plain `mkdocs build`, or the preview: no published site to take from
        given = json.loads(value)
        # Only a dirty build leaves alone what it is told is unmodified; any other would write
        # into the links.
        folder = Path(given["previous"]) if given["previous"] and dirty else None
        return cls(cache_dir, variant, given["id"], folder, given["previous_id"])

    def take_files(self, files) -> None:
        """Link each copied file (not a page; not one made in memory) whose source is as when the
        last build copied it, and tell MkDocs it need not copy it."""
        for file in files:
            if file.is_documentation_page() or file.abs_src_path is None or not file.inclusion.is_included():
                continue
            try:
                stat = os.stat(file.abs_src_path)
            except OSError:
                continue  # gone since it was listed: MkDocs' copy reports it
            stamp = [file.abs_src_path, stat.st_size, stat.st_mtime_ns]
            self.files[file.dest_uri] = stamp  # taken before MkDocs copies: a later change shows next time
            same = self.folder is not None and self.last_files.get(file.dest_uri) == stamp
            if same and self._link(file.dest_uri, file.abs_dest_path):
                file.is_modified = _never

    def reusable(self, page, key: str, still_valid) -> dict | None:
        """The last build's record of this page, if it wrote the page with this key and the
        page's links and images (`still_valid`, pagecache.PageCache) still hold."""
        if self.folder is None:
            return None
        last = self.last_pages.get(page.file.dest_uri)
        if last is None or last["key"] != key or not still_valid(last):
            return None
        if not (self.folder / page.file.dest_uri).is_file():
            return None
        return last

    def take_page(self, page, last: dict) -> None:
        """The page as the last build wrote it: MkDocs neither renders nor writes it (dirty mode),
        and it is linked at the end (finish). Its title and anchors are those it had."""
        self.pages[page.file.dest_uri] = last
        self.taken.add(page.file.dest_uri)
        page.file.is_modified = _never
        as_written(page, last)

    def wrote(self, page, written: dict) -> None:
        self.pages[page.file.dest_uri] = written  # pagecache.outcome

    def finish(self, site_dir: Path) -> None:
        """Link the pages taken over, then record this build for the next."""
        made: set[str] = set()
        for dest in sorted(self.taken):
            if not self._link(dest, str(site_dir / dest), made):
                raise OSError(f"发布中的网站在构建期间被改动：{self.folder / dest} 不见了。请重新构建。")
        record = {"pages": self.pages, "files": self.files}
        write_atomic(self.record, json.dumps(record, ensure_ascii=False).encode("utf-8"))

    def _link(self, dest_uri: str, target: str, made: set[str] | None = None) -> bool:
        assert self.folder is not None
        source = self.folder / dest_uri
        folder = os.path.dirname(target)
        if made is None or folder not in made:
            try:
                os.mkdir(folder)  # most pages have a folder of their own, in one that is there
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            if made is not None:
                made.add(folder)
        try:
            link_or_copy(str(source), target)
        except OSError:
            return False  # gone since: MkDocs copies it
        return True
