"""The model: checked records become a Catalogue (catalogue.py) with references resolved.

Ids in a programme (lecturers, sites, organisations) are replaced by the library entries
they name, and each library entry learns which programmes refer to it (back-links), so
templates never look anything up. Status is derived here, from the dates and the build date.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from .catalogue import (
    ENDED,
    OPEN,
    RUNNING,
    UPCOMING,
    Catalogue,
    Category,
    Lecturer,
    Module,
    NamedUnit,
    Organisation,
    Post,
    Programme,
    Session,
    Site,
    SiteVisit,
    Tag,
    TimetableDay,
    TimetableItem,
    Unit,
)
from .config import Settings
from .urls import page_path
from .validate import Content, PostSource

# The status codes are the catalogue's; they are named here too, with the rule that picks one.
__all__ = [
    "ENDED",
    "OPEN",
    "RUNNING",
    "UPCOMING",
    "build_catalogue",
    "build_news",
    "build_programmes",
    "programme_status",
    "term_slug",
]


def programme_status(start: date, end: date, deadline: date | None, today: date) -> str:
    if today > end:
        return ENDED
    if today >= start:
        return RUNNING
    if deadline is not None and today <= deadline:
        return OPEN
    return UPCOMING


def build_catalogue(content: Content, settings: Settings) -> Catalogue:
    catalogue = build_programmes(content, settings.build_date, settings.preview)
    catalogue.news = build_news(content.posts, catalogue, settings)
    return catalogue


def build_programmes(content: Content, today: date, preview: bool = False) -> Catalogue:
    """The programmes and libraries; with `preview`, the drafts that passed their check too."""
    libraries = content.libraries
    lecturers = {e["id"]: Lecturer(**e, path=page_path("lecturer", e["id"])) for e in libraries.get("lecturers", [])}
    sites = {e["id"]: Site(**e, path=page_path("site", e["id"])) for e in libraries.get("sites", [])}
    organisations = {
        e["id"]: Organisation(**e, path=page_path("organisation", e["id"])) for e in libraries.get("organisations", [])
    }

    def org(ref: dict) -> Unit:
        # A unit written out by name has no page of its own.
        return organisations[ref["id"]] if "id" in ref else NamedUnit(name=ref["name"])

    programmes = []
    for source in content.programmes:
        if source.draft and not preview:
            continue  # a draft is never published; the preview shows it, with a banner
        data = source.data
        start = data["dates"]["start"]
        end = data["dates"]["end"] or start
        registration = data["registration"] or {}
        p = Programme(
            **{
                **data,
                "host": org(data["host"]),
                "co_organisers": [org(o) for o in data["co_organisers"]],
                "commissioned_by": org(data["commissioned_by"]) if data["commissioned_by"] else None,
                "modules": [
                    Module(
                        **{
                            **module,
                            "sessions": [
                                Session(**{**s, "lecturers": [lecturers[i] for i in s["lecturers"]]})
                                for s in module["sessions"]
                            ],
                        }
                    )
                    for module in data["modules"]
                ],
                "site_visits": [SiteVisit(**{**v, "site": sites[v["site"]]}) for v in data["site_visits"]],
                "timetable": [
                    TimetableDay(
                        **{
                            **day,
                            "items": [
                                TimetableItem(
                                    **{**item, "lecturer": lecturers[item["lecturer"]] if item["lecturer"] else None}
                                )
                                for item in day["items"]
                            ],
                        }
                    )
                    for day in data["timetable"]
                ],
            },
            slug=source.slug,
            source=source.file,
            path=page_path("programme", source.slug),
            start=start,
            end=end,
            status=programme_status(start, end, registration.get("deadline"), today),
        )
        p.lecturers = _programme_lecturers(p)
        programmes.append(p)

    programmes.sort(key=_programme_order)

    # Back-links: each library entry lists the programmes that refer to it, newest first.
    for p in sorted(programmes, key=lambda p: (p.start, p.slug), reverse=True):
        for lecturer in p.lecturers:
            lecturer.programmes.append(p)
        for site in _unique(v.site for v in p.site_visits):
            site.programmes.append(p)
        units = [p.host, *p.co_organisers, p.commissioned_by]
        for unit in _unique(u for u in units if isinstance(u, Organisation)):
            unit.programmes.append(p)

    return Catalogue(
        build_date=today,
        programmes=programmes,
        lecturers=sorted(lecturers.values(), key=lambda e: e.id),
        sites=sorted(sites.values(), key=lambda e: e.id),
        organisations=sorted(organisations.values(), key=lambda e: e.id),
    )


def _programme_order(p: Programme) -> tuple:
    """Current programmes first, soonest first; then past ones, newest first."""
    if p.status == ENDED:
        return (1, -p.start.toordinal(), p.slug)
    return (0, p.start.toordinal(), p.slug)


def _programme_lecturers(p: Programme) -> list[Lecturer]:
    from_sessions = (lecturer for m in p.modules for s in m.sessions for lecturer in s.lecturers)
    from_timetable = (item.lecturer for day in p.timetable for item in day.items if item.lecturer)
    return _unique([*from_sessions, *from_timetable])


def _unique(entities) -> list:
    seen: set[int] = set()
    result = []
    for e in entities:
        if id(e) not in seen:
            seen.add(id(e))
            result.append(e)
    return result


# ---------------------------------------------------------------------------------------
# News (新闻稿)


def term_slug(term: str) -> str:
    """An ASCII name for a tag's page: the tag itself if it is ASCII, else a short stable hash,
    so that no URL carries percent-encoded Chinese."""
    ascii_form = re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")
    if ascii_form and term.isascii():
        return ascii_form
    return "t" + hashlib.sha1(term.encode("utf-8")).hexdigest()[:8]


def build_news(sources: list[PostSource], catalogue: Catalogue, settings: Settings) -> list[Post]:
    """Published posts, newest first, each knowing its neighbours, its programme and its pages."""
    programmes = {p.slug: p for p in catalogue.programmes}
    news_dir = settings.news_dir
    posts = []
    for source in sources:
        data = source.data
        if data["draft"] and not settings.preview:
            continue  # drafts are never published; the preview shows them, with a banner
        scheduled = not settings.publish_future and data["date"].date() > settings.build_date
        if scheduled and not settings.preview:
            continue  # 先审后发 and embargoes: a future post waits for its date
        category = data["category"]
        posts.append(
            Post(
                **{
                    **data,
                    "programme": programmes.get(data["programme"]) if data["programme"] else None,
                    "category": Category(
                        name=category, path=f"{news_dir}/category/{settings.news_categories[category]}.md"
                    ),
                    "tags": [Tag(name=t, path=f"{news_dir}/tags/{term_slug(t)}.md") for t in data["tags"]],
                    "credits": list((data["credits"] or {}).items()),
                },
                path=source.src_uri,
                url=source.url,
                file=source.file,
                excerpt=data["summary"] or source.excerpt,
                reading_minutes=source.reading_minutes,
                scheduled=scheduled,
            )
        )
    # Same-day posts sort by their time, then by URL, so the order never depends on the disk.
    posts.sort(key=lambda p: (p.date, p.url), reverse=True)
    for i, post in enumerate(posts):
        post.newer = posts[i - 1] if i > 0 else None
        post.older = posts[i + 1] if i + 1 < len(posts) else None
        if post.programme is not None:
            post.programme.news.append(post)
    return posts
