"""What the plugin generates from the content, remembered between builds.

Rendering every generated page, each post's header and footer, and the calendar and data files
takes seconds at thousands of pages, and the commonest edit, a sentence in a post, changes none
of it: a post's body reaches them only through its excerpt and reading time, which the check
works out (validate.PostSource). So all of it is a function of

- the checked content (Content.digest),
- the settings, which hold the build date,
- the site's name and address, whether PDFs are made, and the script (简/繁),
- this package's code, templates and labels,

and is kept under a key over those: in memory, for the next rebuild of `mkdocs serve`, and in
the cache folder, for the next build. tests/test_pagecache.py checks that builds that take it
from here equal clean builds.
"""

from __future__ import annotations

import logging
import pickle
from dataclasses import dataclass
from pathlib import Path

from .pagecache import _digest
from .validate import _save, code_digest

log = logging.getLogger("mkdocs.plugins.brochure")


@dataclass
class Generated:
    pages: dict[str, str]  # generated Markdown by path under docs/, in the build's script
    post_parts: dict[str, tuple[str, str]]  # each post's header and footer, by path
    outputs: dict[str, bytes]  # calendars and data files by output path (PDFs are kept by pdf.py)


def generation_key(digest: str, settings, config, variant: str, has_pdf: bool) -> str:
    """ "" when the content has no digest (checked without validate_once): nothing is remembered."""
    if not digest:
        return ""
    return _digest(
        digest,
        repr(settings),
        config.site_url,
        config.site_name,
        variant,
        has_pdf,
        code_digest(),
    )


class GenerationMemo:
    """The last Generated for one script variant, with its key."""

    def __init__(self, folder: Path, variant: str) -> None:
        self.variant = variant
        self.path = folder / f"generated-{variant or 'default'}.pickle"
        self.key = ""
        self.generated: Generated | None = None

    def get(self, key: str) -> Generated | None:
        if not key:
            return None
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
        if not key:
            return
        self.key, self.generated = key, generated
        try:
            _save(self.path, key, generated)
        except (OSError, pickle.PicklingError) as err:
            log.warning(f"生成结果未能写入缓存（{err}），下次构建会重新生成。")
