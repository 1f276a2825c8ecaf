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
a build resumes the collector before the page pass. A preview rebuild converts only the pages
that changed, so it stays paused to the end, and the collection runs once, after the browser
has reloaded (or, if the editor saves again sooner, when the next rebuild starts).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Seconds between a preview rebuild's end and its collection: MkDocs tells the browser to
# reload once the build returns, and the reloaded page should not wait for the collector.
AFTER_RELOAD = 2.0


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

    def pause(self) -> None:
        with self.lock:
            self.building = True
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

    def _collect(self) -> None:
        with self.lock:
            if self.timer is None:
                return  # a build has started and taken over this collection
            self.timer = None
        gc.collect()
        with self.lock:
            if not self.building:
                gc.enable()
