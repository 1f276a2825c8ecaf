"""Python's cycle collector, paused while a build makes its long-lived data.

Checking and generating make millions of objects that live until the build ends: the
content, the catalogue, the generated pages, the page cache's entries. Every full collection
walks all of them, and finds almost nothing to free. Measured at the benchmark's default size
(docs/benchmarks.md), collections took about 20% of checking and generating, and about 30% of
a preview rebuild under `brochure serve`.

Cyclic garbage does come from MkDocs' page pass: each page's conversion leaves reference
cycles behind (its `Markdown` instance among them). A clean `mkdocs build` of 6,277 pages with
the collector paused throughout peaked at 955 MB instead of 596 MB, about 57 KB a page, to save
the 4 s of its 67 s that collections took. So
a build resumes the collector before the page pass. A preview rebuild mostly takes its pages
from the entries the last one kept (pagecache.py) and converts only those an edit changed, so
it stays paused to the end, and the collection runs once the browser has reloaded (or, if the
editor saves again sooner, when the next rebuild starts). A rebuild that converts many pages
after all (mkdocs.yml, a template or the nav changed) resumes the collector once it has
converted PAUSED_CONVERSIONS of them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Seconds from a preview rebuild's last step (on_post_build) to its collection: MkDocs tells
# the browser to reload once the build returns, and the reloaded page should not wait for it.
AFTER_RELOAD = 2.0
# Page conversions a preview rebuild makes with the collector paused: at about 57 KB of
# garbage each, some 60 MB. A new post, which shifts every listing page, converts about 450.
PAUSED_CONVERSIONS = 1000


@contextmanager
def paused() -> Iterator[None]:
    """For work that only checks and generates: `brochure check` and `generate`, and the
    check `brochure build` and `serve` run before MkDocs starts."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class BuildCollector:
    """The collector across one process's builds: paused by `pause`, back by `resume`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.building = False
        self.timer: threading.Timer | None = None
        self.conversions = 0

    def pause(self) -> None:
        with self.lock:
            self.building = True
            self.conversions = 0
            pending, self.timer = self.timer, None
        if pending is not None:
            # Saved again before the last build's collection ran: run it now, so that
            # back-to-back rebuilds (an editor's autosave) cannot pile up their garbage.
            pending.cancel()
            gc.collect()
        gc.disable()

    def resume(self, later: bool = False) -> None:
        """Automatic collections resume now, or (`later`) one collection runs once the preview
        has reloaded, and automatic ones after it."""
        with self.lock:
            self.building = False
            if not later:
                gc.enable()
            elif self.timer is None:
                self.timer = threading.Timer(AFTER_RELOAD, self._collect)
                self.timer.daemon = True
                self.timer.start()

    def converting(self) -> None:
        """MkDocs is about to convert a page, which leaves cyclic garbage."""
        if self.building:
            self.conversions += 1
            if self.conversions >= PAUSED_CONVERSIONS:
                self.resume()

    def close(self) -> None:
        """The server is stopping: no collection pending, automatic ones back on."""
        with self.lock:
            pending, self.timer = self.timer, None
            self.building = False
        if pending is not None:
            pending.cancel()
        gc.enable()

    def _collect(self) -> None:
        with self.lock:
            if self.timer is None:
                return  # a build has started and taken over this collection
            self.timer = None
        gc.collect()
        with self.lock:
            if not self.building:
                gc.enable()
