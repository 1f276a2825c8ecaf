"""The catalogue's nouns: programmes and what they are made of, the library entries they
name, and the news posts. model.py builds them from the checked records; templates and the
side files read them.

Entries are shared objects: the lecturer a session names is the lecturer on the lecturers'
page, and it lists (back-links) every programme that names it. So equality is identity
(`eq=False`), and programmes and library entries refer to each other in cycles: never turn
them into dicts with `dataclasses.asdict`.

The fields under each schema Record (schema.py) carry the Record's field names; values kept as
the editor wrote them (a venue, a fee, a contact, the registration) stay plain dicts, typed
here with TypedDict, because the data files print them as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypedDict

# Status codes; their words come from the label tables (报名中、即将开班、进行中、已结束).
OPEN, UPCOMING, RUNNING, ENDED = "open", "upcoming", "running", "ended"
STATUS_ORDER = (OPEN, UPCOMING, RUNNING, ENDED)

# ---------------------------------------------------------------------------------------
# Values as checked (schema.py): dicts with every declared key, None where not written.


class Dates(TypedDict):
    start: dt.date
    end: dt.date | None


class Venue(TypedDict):
    name: str
    city: str | None
    address: str | None


class Fee(TypedDict):
    """Either an amount in yuan per person or a text (免费); the other is None."""

    amount: int | float | None
    text: str | None


class Contact(TypedDict):
    name: str
    role: str | None
    phone: str | None
    email: str | None


class Registration(TypedDict):
    deadline: dt.date | None
    how: str | None
    url: str | None


class Attachment(TypedDict):
    title: str
    file: str  # relative to docs/


class Cover(TypedDict):
    image: str  # relative to docs/
    alt: str


class Photo(TypedDict):
    image: str  # relative to docs/
    caption: str


class TimeRange(TypedDict):
    start: str  # "08:30"
    end: str


# ---------------------------------------------------------------------------------------
# The libraries: entries with a page of their own, and the programmes that name them.


@dataclass(eq=False, slots=True, kw_only=True)
class Lecturer:
    id: str
    name: str
    title: str | None = None
    affiliation: str | None = None
    bio: str | None = None  # Markdown
    photo: str | None = None  # relative to docs/
    fields: list[str] = field(default_factory=list)
    path: str  # the page, under docs/
    programmes: list[Programme] = field(default_factory=list)  # newest first


@dataclass(eq=False, slots=True, kw_only=True)
class Site:
    id: str
    name: str
    kind: str | None = None
    city: str | None = None
    address: str | None = None
    description: str | None = None  # Markdown
    path: str
    programmes: list[Programme] = field(default_factory=list)  # newest first


@dataclass(eq=False, slots=True, kw_only=True)
class Organisation:
    id: str
    name: str
    kind: str | None = None
    url: str | None = None
    path: str
    programmes: list[Programme] = field(default_factory=list)  # newest first


@dataclass(eq=False, slots=True, kw_only=True)
class NamedUnit:
    """A unit a programme writes out by name instead of an organisation id: no page, no id."""

    name: str
    id: None = None
    url: None = None
    path: None = None


Unit = Organisation | NamedUnit


# ---------------------------------------------------------------------------------------
# A programme (班次) and its parts, with the library entries they name.


@dataclass(eq=False, slots=True, kw_only=True)
class Session:
    title: str
    lecturers: list[Lecturer]
    format: str
    hours: int | float | None = None


@dataclass(eq=False, slots=True, kw_only=True)
class Module:
    title: str
    sessions: list[Session]


@dataclass(eq=False, slots=True, kw_only=True)
class SiteVisit:
    site: Site
    date: dt.date | None = None
    theme: str | None = None


@dataclass(eq=False, slots=True, kw_only=True)
class TimetableItem:
    time: TimeRange
    title: str
    place: str | None = None
    lecturer: Lecturer | None = None


@dataclass(eq=False, slots=True, kw_only=True)
class TimetableDay:
    date: dt.date
    items: list[TimetableItem]


@dataclass(eq=False, slots=True, kw_only=True)
class Programme:
    # As the editor wrote them (schema.PROGRAMME), references resolved.
    draft: bool | None = None
    title: str
    type: str
    dates: Dates
    venue: Venue
    host: Unit
    co_organisers: list[Unit] = field(default_factory=list)
    commissioned_by: Unit | None = None
    audience: str
    capacity: int | None = None
    fee: Fee | None = None
    summary: str | None = None  # Markdown
    objectives: list[str] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    site_visits: list[SiteVisit] = field(default_factory=list)
    timetable: list[TimetableDay] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    registration: Registration | None = None
    attachments: list[Attachment] = field(default_factory=list)
    cover: Cover | None = None
    tags: list[str] = field(default_factory=list)
    # Where it comes from and where it goes.
    slug: str
    source: str  # the programme's file, as problems name it
    path: str  # the page, under docs/
    # Derived by the model.
    start: dt.date
    end: dt.date  # the start, for a one-day programme
    status: str  # OPEN, UPCOMING, RUNNING or ENDED on the build date
    lecturers: list[Lecturer] = field(default_factory=list)  # sessions' then timetable's, once each
    news: list[Post] = field(default_factory=list)  # posts about it, newest first

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def has_brochure(self) -> bool:
        """Whether the programme gets a PDF brochure (where PDFs are on). A brochure is for
        joining and attending: it is handed round while places are open and printed for the
        days of the programme. Once a programme has ended its page is the record, and prints
        by itself (print.css); an old brochure would still show its registration and fee. So a
        build typesets only programmes that have not ended: an institution's current few, not
        every programme of past years, each in both copies (typesetting is a cold build's
        slowest step: docs/benchmarks.md)."""
        return self.status != ENDED

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def total_hours(self) -> int | float:
        return sum(s.hours or 0 for m in self.modules for s in m.sessions)


# ---------------------------------------------------------------------------------------
# News (新闻稿).


@dataclass(eq=False, slots=True, kw_only=True)
class Category:
    name: str
    path: str  # its listing, under docs/


@dataclass(eq=False, slots=True, kw_only=True)
class Tag:
    name: str
    path: str  # its listing, under docs/


@dataclass(eq=False, slots=True, kw_only=True)
class Post:
    # As the editor wrote them (schema.POST), references resolved.
    title: str
    date: dt.datetime  # Beijing time
    category: Category
    tags: list[Tag] = field(default_factory=list)
    programme: Programme | None = None
    source: str  # 来源: who supplied it
    slug: str | None = None
    summary: str | None = None
    cover: Cover | None = None
    photos: list[Photo] = field(default_factory=list)  # shown after the body, in order
    draft: bool | None = None
    unverified: list[str] = field(default_factory=list)  # what the importer left for an editor to confirm
    credits: list[tuple[str, list[str]]] = field(default_factory=list)  # (role, names), in the configured order
    # Where it comes from and where it goes.
    path: str  # its file, under docs/, as MkDocs names it
    url: str  # news/2025/06-09-slug/
    file: str  # as problems name it
    # Derived by the model.
    excerpt: str
    reading_minutes: int
    scheduled: bool = False  # dated after the build date: shown in the preview only, until then
    newer: Post | None = None
    older: Post | None = None


# ---------------------------------------------------------------------------------------


@dataclass(eq=False, slots=True, kw_only=True)
class Catalogue:
    build_date: dt.date
    programmes: list[Programme]
    lecturers: list[Lecturer]
    sites: list[Site]
    organisations: list[Organisation]
    news: list[Post] = field(default_factory=list)  # published posts, newest first

    @property
    def current(self) -> list[Programme]:
        """Programmes a reader can still join or follow: open, upcoming or running."""
        return [p for p in self.programmes if p.status != ENDED]
