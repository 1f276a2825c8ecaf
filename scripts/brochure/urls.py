"""The site's one URL scheme: where each kind of page, and a programme's PDF and calendar, live.

Pages are kept as paths under docs/ (x/y.md), which MkDocs and Zensical publish at x/y/. Every
place that links to, lists or describes a page asks here, so the scheme can change in one place.
"""

from __future__ import annotations

# The 待审 page (review.py): made in the preview only, and linked from its banners alone.
REVIEW_PAGE = "review.md"
REVIEW_URL = "review/"

# Each kind of generated page and its section of the site.
SECTIONS = {"programme": "programmes", "lecturer": "lecturers", "site": "sites", "organisation": "organisations"}


def page_path(kind: str, key: str) -> str:
    """The page's path under docs/."""
    return f"{SECTIONS[kind]}/{key}.md"


def page_url(kind: str, key: str) -> str:
    """The page's address, relative to the site's root."""
    return f"{SECTIONS[kind]}/{key}/"


def programme_file(slug: str, suffix: str) -> str:
    """A programme's side file beside its page: "pdf" (the brochure) or "ics" (its calendar)."""
    return f"{SECTIONS['programme']}/{slug}.{suffix}"
