"""Data files for other systems (a WeChat mini-program, a portal): programmes, lecturers,
sites and news as JSON.

The format is versioned (`schema_version`); README.md documents it. Order is deterministic:
programmes and news by date then slug, library entries by id, so two builds of the same
content give byte-identical files.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from .catalogue import Catalogue, Lecturer, Programme, Site, Unit
from .feed import absolute
from .urls import page_url, programme_file

SCHEMA_VERSION = 1


def _org(o: Unit | None) -> dict | None:
    if o is None:
        return None
    return {"id": o.id, "name": o.name}


def programme_record(p: Programme, site_url: str, has_pdf: bool) -> dict:
    slug = p.slug
    return {
        "slug": slug,
        "title": p.title,
        "type": p.type,
        "status": p.status,
        "start": p.start,
        "end": p.end,
        "venue": p.venue,
        "host": _org(p.host),
        "co_organisers": [_org(o) for o in p.co_organisers],
        "commissioned_by": _org(p.commissioned_by),
        "audience": p.audience,
        "capacity": p.capacity,
        "fee": p.fee,
        "summary": p.summary,
        "objectives": p.objectives,
        "modules": [
            {
                "title": m.title,
                "sessions": [
                    {
                        "title": s.title,
                        "lecturers": [lecturer.id for lecturer in s.lecturers],
                        "format": s.format,
                        "hours": s.hours,
                    }
                    for s in m.sessions
                ],
            }
            for m in p.modules
        ],
        "site_visits": [{"site": v.site.id, "date": v.date, "theme": v.theme} for v in p.site_visits],
        "timetable": [
            {
                "date": day.date,
                "items": [
                    {
                        "start": item.time["start"],
                        "end": item.time["end"],
                        "title": item.title,
                        "place": item.place,
                        "lecturer": item.lecturer.id if item.lecturer else None,
                    }
                    for item in day.items
                ],
            }
            for day in p.timetable
        ],
        "contacts": p.contacts,
        "registration": p.registration,
        "tags": p.tags,
        "news": [absolute(site_url, post.url) for post in p.news],
        "url": absolute(site_url, page_url("programme", slug)),
        "calendar": absolute(site_url, programme_file(slug, "ics")),
        "pdf": absolute(site_url, programme_file(slug, "pdf")) if has_pdf and p.has_brochure else None,
    }


def _entry(e: Lecturer | Site, site_url: str, section: str, fields: tuple[str, ...]) -> dict:
    record = {"id": e.id, **{f: getattr(e, f) for f in fields}}
    record["programmes"] = sorted(p.slug for p in e.programmes)
    record["url"] = absolute(site_url, f"{section}/{e.id}/")
    return record


def _json(kind: str, items: list, build_date: date) -> bytes:
    """One record per line: still readable in a diff, and written by json's C encoder, which
    `indent` switches off (indenting made these files a tenth of a rebuild at 2,000 programmes)."""
    head = json.dumps({"schema_version": SCHEMA_VERSION, "build_date": build_date.isoformat()})
    records = ",\n".join(json.dumps(item, ensure_ascii=False, default=_default) for item in items)
    return f'{head[:-1]}, "{kind}": [\n{records}\n]}}\n'.encode()


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def data_files(catalogue: Catalogue, site_url: str, has_pdf: bool) -> dict[str, bytes]:
    """{path in the site: JSON bytes}."""
    programmes = sorted(catalogue.programmes, key=lambda p: (p.start, p.slug))
    news = sorted(catalogue.news, key=lambda n: (n.date, n.url))
    return {
        "data/programmes.json": _json(
            "programmes", [programme_record(p, site_url, has_pdf) for p in programmes], catalogue.build_date
        ),
        "data/lecturers.json": _json(
            "lecturers",
            [
                _entry(e, site_url, "lecturers", ("name", "title", "affiliation", "bio", "fields"))
                for e in catalogue.lecturers
            ],
            catalogue.build_date,
        ),
        "data/sites.json": _json(
            "sites",
            [_entry(e, site_url, "sites", ("name", "kind", "city", "address", "description")) for e in catalogue.sites],
            catalogue.build_date,
        ),
        "data/news.json": _json(
            "news",
            [
                {
                    "url": absolute(site_url, n.url),
                    "title": n.title,
                    "date": n.date,
                    "category": n.category.name,
                    "tags": [t.name for t in n.tags],
                    "programme": n.programme.slug if n.programme else None,
                    "source": n.source,
                    "summary": n.excerpt,
                    "credits": dict(n.credits),
                }
                for n in news
            ],
            catalogue.build_date,
        ),
    }
