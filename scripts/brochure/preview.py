"""The preview folder of `brochure serve`, updated in place instead of written anew.

On every rebuild, plain `mkdocs serve` empties its folder and writes every page, photo and
theme file again: at 6,000 pages most of a rebuild, on a disk where creating a file costs a
fraction of a millisecond. `brochure serve` runs `mkdocs serve --dirty`, which keeps the folder
and copies only files whose source is newer. MkDocs' dirty mode would also skip pages whose
own source is unchanged, leaving stale neighbour links and listings, so this plugin makes it
build every page, and decides itself what to write:

- a page is written unless the page cache gave it the same HTML that this preview last wrote
  to the same place;
- any other file (photos, theme files, calendars, data files) is copied unless its source, or
  its content, is the same as when this preview last wrote it;
- a file written by an earlier rebuild that this one no longer makes (a deleted post, a
  renamed photo) is removed.

A page is not even read again when nothing it is made from can have changed since the last
rebuild wrote it (`leave_unchanged`): the site-wide inputs of its page cache key (mkdocs.yml,
the overrides, this package, the nav), the checked content and the settings are all as they
were, its own source is too (a file's size and time; a generated page's Markdown), and its
links and images still hold. That is every page but the edited one when an editor changes the
text of a post; any change to the content, and every page is read again as before.

After a failed rebuild nothing is assumed: the next one writes everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading

from .pagecache import as_written, outcome

# MkDocs logs this for every page this module leaves as it is; the build is complete, so it is
# no news to an editor (nor is its warning at every dirty build: plugin.on_startup hides it).
_SKIPPED = "Generated empty output."


def _always() -> bool:
    return True


def _never() -> bool:
    return False


class PreviewFolder:
    def __init__(self) -> None:
        self.written: dict[str, object] = {}  # output path: what this preview last wrote there
        self.now: dict[str, object] = {}  # the same for the rebuild under way
        self.left: set[str] = set()  # pages left as they were in this rebuild, by source path
        self.pages: list[str] | None = None  # pages written by this rebuild; None: every page
        # What each page was made from and how it came out, as the last rebuild wrote it, and the
        # site-wide inputs of that rebuild (leave_unchanged).
        self.record: dict[str, dict] = {}
        self.inputs: object = None
        self.unread = 0  # pages this rebuild did not read again
        logging.getLogger("mkdocs.commands.build").addFilter(self._quiet)

    def _quiet(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.endswith(_SKIPPED):  # "Page skipped: 'news/x.md'. Generated empty output."
            parts = message.split("'")
            return len(parts) < 3 or parts[1] not in self.left
        return True

    def begin(self, files) -> None:
        """Before MkDocs writes anything: every page is built; other files are written only if new."""
        self.now, self.left = {}, set()
        self.pages = [] if self.written else None  # after a failed rebuild, or the first, all are new
        for file in files:
            if file.is_documentation_page():
                file.is_modified = _always
                continue
            if file.generated_by is not None or file.abs_src_path is None:
                stamp: object = hashlib.blake2b(file.content_bytes, digest_size=16).digest()
            else:
                stat = os.stat(file.abs_src_path)
                stamp = (file.abs_src_path, stat.st_size, stat.st_mtime_ns)
            dest = file.abs_dest_path
            self.now[dest] = stamp
            same = self.written.get(dest) == stamp and os.path.exists(dest)
            file.is_modified = _never if same else _always

    def leave_unchanged(self, pages, inputs: object, source, still_valid, carry) -> None:
        """Tell MkDocs not to read again, nor build, each page (not in the nav, whose titles the
        other pages print) whose own source, as `source` gives it, and the site-wide `inputs` are
        those of the page the last rebuild wrote, and whose links and images `still_valid`.
        `carry` keeps its page cache entry for the next rebuild."""
        last, self.record = self.record, {}
        same_inputs, self.inputs, self.unread = inputs == self.inputs, inputs, 0
        for page in pages:
            dest = page.file.abs_dest_path
            page.brochure_source = source(page.file)  # before the page is read: a later change shows next time
            was = last.get(dest)
            if not same_inputs or was is None or page.file.inclusion.is_in_nav():
                continue
            if page.brochure_source is None or was["source"] != page.brochure_source:
                continue
            if self.written.get(dest) != was["key"]:
                continue
            if not still_valid(was) or not os.path.exists(dest):
                continue
            page.file.is_modified = _never
            as_written(page, was)
            self.now[dest] = was["key"]
            self.record[dest] = was
            carry(was["key"])
            self.unread += 1

    def page(self, page, key: str | None, from_cache: bool, output: str) -> str:
        """What MkDocs should write for this page: "" (nothing) if the same HTML is there already."""
        dest = page.file.abs_dest_path
        self.now[dest] = key
        written = outcome(page, key) if key is not None and hasattr(page, "brochure_source") else None
        if written is not None:
            self.record[dest] = {**written, "source": page.brochure_source}
        if key is not None and from_cache and self.written.get(dest) == key and os.path.exists(dest):
            self.left.add(page.file.src_uri)
            return ""
        if self.pages is not None:
            self.pages.append(dest)
        return output

    def finish(self) -> None:
        """After a complete rebuild: remove what it no longer makes."""
        for dest in self.written.keys() - self.now.keys():
            with contextlib.suppress(OSError):  # already gone
                os.remove(dest)
        self.written = self.now

    def failed(self) -> None:
        self.written, self.record = {}, {}


class WatchHold:
    """Holds MkDocs' file watcher while a rebuild runs.

    MkDocs 1.6 watches by polling: every 0.5 s a thread walks docs/, programmes/ and the other
    watched folders, and at 6,000 pages that thread was a third of the samples of a preview
    rebuild (py-spy), competing with the rebuild for the interpreter. A poll compares the
    folders with the previous poll's picture of them, so a file saved during a rebuild is still
    seen at the first poll after it, and starts the next rebuild as before.
    """

    def __init__(self) -> None:
        self.building = threading.Event()

    def hold(self, observer) -> None:
        """Make the watcher's threads wait out each rebuild (`building`)."""
        for emitter in observer.emitters:
            poll = emitter.queue_events

            def queue_events(timeout, poll=poll, emitter=emitter) -> None:
                while self.building.is_set() and not emitter.stopped_event.wait(0.1):
                    pass
                poll(timeout)

            emitter.queue_events = queue_events
