"""Calendar files (iCalendar, RFC 5545): one per programme, and a feed of upcoming ones.

The programme itself is an all-day event whose end date is exclusive (a class from 10 to 14
March ends on DTEND 20250315). Timetable items are timed events in Asia/Shanghai, with the
VTIMEZONE that RFC 5545 requires for a TZID. Lines end in CRLF and fold at 75 octets.

Calendar apps (Outlook, Apple Calendar, 钉钉) match an event by its UID: a session's UID is
made from what stays when it is moved (its title and lecturer, and which of the programme's
sessions with both it is), never from its date or time, so a moved session updates its event
instead of leaving the old one beside a new one. SEQUENCE and LAST-MODIFIED come from the build
date, which only grows, so a rebuilt calendar reads as the newer version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlparse

from .catalogue import ENDED, Programme
from .urls import page_url

PRODID = "-//brochure//Programme calendar//ZH"
# How often a subscribed calendar is fetched again (RFC 7986, and Outlook's older property).
REFRESH = "PT12H"
_EPOCH = date(2020, 1, 1)
TZID = "Asia/Shanghai"
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newline are escaped."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line  # most lines; a character-by-character walk over every line was slow
    pieces, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        pieces.append(data[start:end])
        start, limit = end, 74  # continuation lines start with one space
    pieces.append(data[start:])
    return "\r\n ".join(piece.decode("utf-8") for piece in pieces)


def _calendar(name: str, events: list[list[str]], timed: bool) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    if timed:
        lines += VTIMEZONE
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def _host(site_url: str) -> str:
    return urlparse(site_url).hostname or "brochure.invalid"


def _stamp(build_date: date) -> str:
    # The build date, not the clock, so that two builds of the same content are identical.
    return f"{build_date:%Y%m%d}T000000Z"


def _version(stamp: str, build_date: date) -> list[str]:
    return [f"SEQUENCE:{(build_date - _EPOCH).days}", f"LAST-MODIFIED:{stamp}"]


def _same(text: str) -> str:
    return text


def _where(p: Programme) -> str:
    venue = p.venue
    return "，".join(part for part in (venue["name"], venue.get("address")) if part)


def programme_event(p: Programme, url: str, host: str, build_date: date, say: Callable[[str], str]) -> list[str]:
    stamp = _stamp(build_date)
    return [
        "BEGIN:VEVENT",
        f"UID:{p.slug}@{host}",
        f"DTSTAMP:{stamp}",
        *_version(stamp, build_date),
        f"DTSTART;VALUE=DATE:{p.start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{p.end + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(say(p.title))}",
        f"LOCATION:{escape(say(_where(p)))}",
        f"DESCRIPTION:{escape(say(p.type + ' · ' + p.audience))}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def session_events(p: Programme, url: str, host: str, build_date: date, say: Callable[[str], str]) -> list[list[str]]:
    events = []
    stamp = _stamp(build_date)
    seen: dict[str, int] = {}  # the same session twice (two 分组研讨 with one lecturer): 1, 2 …
    for day in p.timetable:
        for item in day.items:
            start, end = item.time["start"].replace(":", ""), item.time["end"].replace(":", "")
            lecturer = item.lecturer.name if item.lecturer else ""
            what = hashlib.blake2b(f"{item.title}|{item.lecturer.id if item.lecturer else ''}".encode(), digest_size=5)
            seen[what.hexdigest()] = n = seen.get(what.hexdigest(), 0) + 1
            event = [
                "BEGIN:VEVENT",
                f"UID:{p.slug}-{what.hexdigest()}-{n}@{host}",
                f"DTSTAMP:{stamp}",
                *_version(stamp, build_date),
                f"DTSTART;TZID={TZID}:{day.date:%Y%m%d}T{start}00",
                f"DTEND;TZID={TZID}:{day.date:%Y%m%d}T{end}00",
                # A day view shows the title alone: it says which programme the hour belongs to.
                f"SUMMARY:{escape(say(item.title + ' · ' + p.title))}",
            ]
            if item.place:
                event.append(f"LOCATION:{escape(say(item.place))}")
            if lecturer:
                event.append(f"DESCRIPTION:{escape(say(lecturer))}")
            event += [f"URL:{url}", "END:VEVENT"]
            events.append(event)
    return events


def programme_calendar(
    p: Programme, site_url: str, build_date: date, convert: Callable[[str], str] | None = None
) -> bytes:
    """`convert` makes the Traditional copy's calendar (its text values, before escaping)."""
    say = convert or _same
    url = site_url.rstrip("/") + "/" + page_url("programme", p.slug)
    host = _host(site_url)
    events = [programme_event(p, url, host, build_date, say), *session_events(p, url, host, build_date, say)]
    return _calendar(say(p.title), events, timed=len(events) > 1)


def upcoming_calendar(
    programmes: list[Programme], name: str, site_url: str, build_date: date, convert: Callable[[str], str] | None = None
) -> bytes:
    """Every programme that has not ended: a feed calendar apps can subscribe to."""
    say = convert or _same
    host = _host(site_url)
    events = [
        programme_event(p, site_url.rstrip("/") + "/" + page_url("programme", p.slug), host, build_date, say)
        for p in programmes
        if p.status != ENDED
    ]
    return _calendar(say(name), events, timed=False)
