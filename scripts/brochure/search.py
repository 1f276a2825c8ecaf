"""The search index: Pagefind over the finished pages, in site/pagefind/.

Pagefind reads the HTML (only the <article data-pagefind-body> of each page, see
overrides/main.html), segments Chinese with its extended build, and writes the index in
chunks, so a reader downloads only the parts a query needs rather than one file holding every
page (Material's lunr index is 7 MB gzipped at 2,000 pages).

It has no incremental mode: it reads every page each time, about three seconds per thousand
pages on two cores. A build waits for it. A preview rebuild under `mkdocs serve` does not: the
reloaded pages keep the previous index, and the new one replaces it when it is ready, so an
editor sees an edit at once and finds it in search a little later.

`brochure build` runs Pagefind itself, once MkDocs has exited (it sets INDEXED_BY_CALLER for
the build): Pagefind peaks at about 1.4 GB at 6,000 pages, and a MkDocs process still alive
beside it would hold another 600 MB or so. Plain `mkdocs build` indexes in the plugin.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from mkdocs.exceptions import PluginError

from .namefilters import mark_site

BUNDLE = "pagefind"
INDEXED_BY_CALLER = "BROCHURE_INDEXED_BY_CALLER"


def _command(site: Path, output: Path) -> list[str]:
    # The heading permalinks' ¶ is no word of the page: it showed in every result.
    exclude = ["--exclude-selectors", ".headerlink"]
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output), *exclude, "--silent"]


def _marked_pages_digest(site: Path) -> str:
    """Marks the pages (namefilters.py) and returns a digest of what Pagefind reads (every page
    of this copy, as marked) and of how it is run."""
    digest = hashlib.blake2b(" ".join(_command(Path("S"), Path("O"))).encode(), digest_size=16)
    digest.update(importlib.metadata.version("pagefind").encode())
    mark_site(site, digest)
    return digest.hexdigest()


def index_site(site: Path, cache: Path | None = None) -> None:
    """Index one copy of the site. With `cache`, a copy whose pages are exactly those of the last
    run gets that run's index again instead of a new one: Pagefind 1.5.2 writes its filter
    chunks in a new order on every run, so an unchanged site would otherwise publish changed
    files (and it saves the indexing time)."""
    # Names as tokens, and each page's kind and rank (namefilters.py).
    if cache is None:
        mark_site(site)
        digest = ""
    else:
        digest = _marked_pages_digest(site)
    fresh = not (site / BUNDLE).exists()  # else something is in the index's place: Pagefind says what
    if fresh and cache is not None and (cache / "pages").is_file() and (cache / "pages").read_text() == digest:
        _link_tree(cache / BUNDLE, site / BUNDLE)
        return
    result = subprocess.run(_command(site, site / BUNDLE), capture_output=True, text=True)
    if result.returncode != 0:
        raise PluginError("搜索索引（Pagefind）生成失败：\n" + (result.stderr or result.stdout).strip())
    if cache is not None:
        (cache / "pages").unlink(missing_ok=True)  # the record goes last, so a half copy is never used
        cache.mkdir(parents=True, exist_ok=True)
        _link_tree(site / BUNDLE, cache / BUNDLE)
        (cache / "pages").write_text(digest)


def _link_tree(source: Path, target: Path) -> None:
    # Hard links: the preview's copy of a bundle of thousands of files costs no copying.
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        Path(target).hardlink_to(source)
    except OSError:
        shutil.copy2(source, target)


class PreviewIndex:
    """The search index of a `mkdocs serve` preview, built beside the server.

    The last finished bundle is kept in the cache folder (`ready`). Each rebuild links it into
    the new site at once, then starts Pagefind on the new pages in the background; when that
    finishes, and no newer rebuild has started meanwhile, its bundle becomes `ready` and
    replaces the one in the site.
    """

    def __init__(self, folder: Path) -> None:
        self.ready = folder / "ready"
        self.next = folder / "next"
        self.lock = threading.Lock()
        self.generation = 0
        self.process: subprocess.Popen | None = None

    def stop(self) -> None:
        """A rebuild is starting (or the server stopping): an index of the old pages is moot."""
        with self.lock:
            self.generation += 1
            if self.process is not None and self.process.poll() is None:
                self.process.kill()

    def update(self, site: Path) -> None:
        with self.lock:
            generation = self.generation
            if self.ready.exists():
                _link_tree(self.ready, site / BUNDLE)
            shutil.rmtree(self.next, ignore_errors=True)
            mark_site(site)
            self.process = subprocess.Popen(
                _command(site, self.next), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            process = self.process
        threading.Thread(target=self._finish, args=(process, generation, site), daemon=True).start()

    def _finish(self, process: subprocess.Popen, generation: int, site: Path) -> None:
        status = process.wait()
        with self.lock:
            if status != 0 or generation != self.generation:
                return  # killed for a newer rebuild, or failed: the site keeps the previous index
            shutil.rmtree(self.ready, ignore_errors=True)
            self.next.rename(self.ready)
            _link_tree(self.ready, site / BUNDLE)
