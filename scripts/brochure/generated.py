"""What the plugin generates from the content, remembered between builds.

Rendering every generated page, each post's header and footer, and the calendar and data files
takes seconds at thousands of pages, and an edit to one post changes few of them. Each is kept
with a digest of what it was made from, and the next build makes again only those whose
digest changed:

- everything depends on the settings (which hold the build date and the site's name and
  address), whether PDFs are made, the script (简/繁), and this package's code, templates and
  labels: when any of these changes, nothing is reused (`generation_key`);
- every page depends on the programmes and the libraries, taken together (`Inputs.programmes`);
- a page also depends on the posts it shows (render.site_jobs names them): a programme page on
  its related news, a listing on the posts on it, a post's header and footer on the post and
  its neighbours. A post's body reaches them only through its excerpt and reading time, which
  the check works out (validate.PostSource), so a sentence added to a post changes no digest;
- the data files depend on all of the content (Content.digest).

The last result is kept in memory, for the next rebuild of `mkdocs serve`, and in the cache
folder, for the next build. tests/test_pagecache.py checks that builds that take pages from here
equal clean builds after each kind of edit.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass, field, fields
from pathlib import Path

from .catalogue import Post
from .store import code_digest, pickled_by_value, save
from .store import digest as _digest
from .validate import Content

log = logging.getLogger("mkdocs.plugins.brochure")


def _fingerprint(value: object) -> bytes:
    return hashlib.blake2b(pickled_by_value(value), digest_size=16).digest()


class Inputs:
    """Digests of what generated pages are made from."""

    def __init__(self, content: Content) -> None:
        self.programmes = _fingerprint((content.programmes, content.libraries, content.library_lines))
        self._posts: dict[int, bytes] = {}

    def post(self, post: Post | None) -> bytes:
        """A post's own fields; its programme and neighbours by address (they have their own)."""
        if post is None:
            return b""
        found = self._posts.get(id(post))
        if found is None:
            links = ("programme", "newer", "older")
            own = {f.name: getattr(post, f.name) for f in fields(post) if f.name not in links}
            own["links"] = [getattr(getattr(post, k), "path", None) for k in links]
            found = self._posts[id(post)] = _fingerprint(own)
        return found

    def page(self, template: str, path: str, context: dict, shows: tuple) -> str:
        pager = context.get("pager")
        layout = (pager["number"], pager["all"]) if pager else ()
        return _digest(self.programmes, template, path, layout, *(self.post(p) for p in shows))

    def post_parts(self, post: Post) -> str:
        programme = self.programmes if post.programme else b""
        return _digest(programme, self.post(post), self.post(post.newer), self.post(post.older))


@dataclass
class Generated:
    pages: dict[str, str]  # generated Markdown by path under docs/, in the build's script
    post_parts: dict[str, tuple[str, str]]  # each post's header and footer, by path
    calendars: dict[str, bytes]  # by output path
    data: dict[str, bytes]  # data files by output path (PDFs are kept by pdf.py)
    # What each was made from, for the next build to compare with.
    content: str = ""
    programmes: bytes = b""
    page_inputs: dict[str, str] = field(default_factory=dict)
    part_inputs: dict[str, str] = field(default_factory=dict)


def generation_key(settings, variant: str | None, has_pdf: bool) -> str:
    """`settings` as the copy sees them (recipe.copy_settings): they hold its address and name."""
    return _digest(repr(settings), variant, has_pdf, code_digest())


class GenerationMemo:
    """The last Generated for one script variant, with its generation_key."""

    def __init__(self, folder: Path, variant: str) -> None:
        self.path = folder / f"generated-{variant or 'default'}.pickle"
        self.key = ""
        self.generated: Generated | None = None

    def get(self, key: str) -> Generated | None:
        if self.key != key:  # not the one in memory: perhaps the last build's, on disk
            try:
                with self.path.open("rb") as f:
                    if pickle.load(f) != key:
                        return None
                    self.generated = pickle.load(f)
                    self.key = key
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
                return None
        return self.generated

    def put(self, key: str, generated: Generated) -> None:
        self.key, self.generated = key, generated
        try:
            save(self.path, key, generated)
        except (OSError, pickle.PicklingError) as err:
            log.warning(f"生成结果未能写入缓存（{err}），下次构建会重新生成。")
