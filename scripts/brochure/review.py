"""What awaits review (待审), worked out once: for `check`'s summary and the preview's 待审 page.

- every draft (draft: true), post or programme: where its file is, the address of its page in
  the preview, or, when its check failed, how many problems it has (then it is not built);
- for each draft post, the review roles it still lacks: the institution's `required_roles`
  that its `credits` do not name yet (schema._review_policy asks for them once it is not a
  draft; programmes carry no credits);
- the posts dated after the build date, which a build does not publish yet (`publish_future`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .config import Settings
from .urls import REVIEW_PAGE, page_path, page_url
from .validate import Content

PROGRAMME, POST = "programme", "post"
__all__ = ["REVIEW_PAGE", "Awaiting", "Draft", "Scheduled", "awaiting_review", "missing_roles", "summary"]


@dataclass(frozen=True)
class Draft:
    kind: str  # PROGRAMME or POST
    title: str
    file: str  # as problems name it
    path: str | None  # its page (or post file) under docs/, shown in the preview; None if it failed
    url: str | None  # that page's address, relative to the site's root
    problems: int  # 0 when it passed its check
    missing: tuple[str, ...]  # review roles not yet named (posts only)


@dataclass(frozen=True)
class Scheduled:
    """A post that is ready but dated after the build date: published on its date."""

    title: str
    file: str
    path: str  # under docs/
    url: str
    date: datetime


@dataclass(frozen=True)
class Awaiting:
    drafts: tuple[Draft, ...]
    future: tuple[Scheduled, ...]

    @property
    def draft_posts(self) -> int:
        return sum(d.kind == POST for d in self.drafts)

    @property
    def draft_programmes(self) -> int:
        return sum(d.kind == PROGRAMME for d in self.drafts)

    @property
    def unreviewed(self) -> tuple[Draft, ...]:
        """The drafts that still lack a review role."""
        return tuple(d for d in self.drafts if d.missing)

    def __bool__(self) -> bool:
        return bool(self.drafts or self.future)


def missing_roles(settings: Settings, roles) -> tuple[str, ...]:
    """The required review roles not among `roles` (none when review is not required)."""
    if not settings.require_review:
        return ()
    return tuple(role for role in settings.required_roles if role not in roles)


def awaiting_review(content: Content, settings: Settings) -> Awaiting:
    """Drafts, in file order, and future posts, soonest first, from the checked content."""
    drafts = [
        Draft(PROGRAMME, p.data["title"], p.file, page_path("programme", p.slug), page_url("programme", p.slug), 0, ())
        for p in content.programmes
        if p.draft
    ]
    future = []
    for post in content.posts:
        data = post.data
        if data["draft"]:
            missing = missing_roles(settings, data["credits"] or {})
            drafts.append(Draft(POST, data["title"], post.file, post.src_uri, post.url, 0, missing))
        elif not settings.publish_future and data["date"].date() > settings.build_date:
            future.append(Scheduled(data["title"], post.file, post.src_uri, post.url, data["date"]))
    for failed in content.failed_drafts:
        missing = missing_roles(settings, failed.roles) if failed.kind == POST else ()
        drafts.append(Draft(failed.kind, failed.title, failed.file, None, None, failed.problems, missing))
    drafts.sort(key=lambda d: (d.kind != POST, d.file))
    future.sort(key=lambda s: (s.date, s.file))
    return Awaiting(tuple(drafts), tuple(future))


def summary(awaiting: Awaiting) -> str:
    """`check`'s words for it, after the counts: "草稿 2 篇稿件、1 个班次；待审 …"."""
    parts = []
    if awaiting.drafts:
        kinds = [f"{awaiting.draft_posts} 篇新闻稿"] if awaiting.draft_posts else []
        kinds += [f"{awaiting.draft_programmes} 个班次"] if awaiting.draft_programmes else []
        parts.append("草稿：" + "、".join(kinds))
    waiting = [f"{len(awaiting.unreviewed)} 篇草稿缺少审核署名"] if awaiting.unreviewed else []
    if awaiting.future:
        waiting.append(f"{len(awaiting.future)} 篇稿件定于以后发布")
    if waiting:
        parts.append("待审：" + "，".join(waiting))
    return "；".join(parts)
