"""The catalogue's nouns (catalogue.py) keep up with the schema, and the demo's catalogue reads
as a reader would expect: back-links, a post's programme, shared entries."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import is_typeddict

import pytest

from brochure import catalogue as nouns
from brochure.model import build_catalogue
from brochure.schema import (
    CONTACT,
    LECTURER,
    MODULE,
    ORGANISATION,
    POST,
    PROGRAMME,
    SESSION,
    SITE,
    SITE_VISIT,
    TIMETABLE_DAY,
    TIMETABLE_ITEM,
    ListOf,
    Record,
)
from brochure.validate import load_settings, validate

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent


def _inner(record: Record, name: str) -> Record:
    kind = record.fields[name].kind
    return kind.item if isinstance(kind, ListOf) else kind


# Each schema Record and the noun that holds what it checked.
NOUNS = [
    (PROGRAMME, nouns.Programme),
    (SESSION, nouns.Session),
    (MODULE, nouns.Module),
    (SITE_VISIT, nouns.SiteVisit),
    (TIMETABLE_ITEM, nouns.TimetableItem),
    (TIMETABLE_DAY, nouns.TimetableDay),
    (CONTACT, nouns.Contact),
    (LECTURER, nouns.Lecturer),
    (SITE, nouns.Site),
    (ORGANISATION, nouns.Organisation),
    (POST, nouns.Post),
    (_inner(PROGRAMME, "dates"), nouns.Dates),
    (_inner(PROGRAMME, "venue"), nouns.Venue),
    (_inner(PROGRAMME, "registration"), nouns.Registration),
    (_inner(PROGRAMME, "attachments"), nouns.Attachment),
    (_inner(PROGRAMME, "cover"), nouns.Cover),
    (_inner(POST, "cover"), nouns.Cover),
]


@pytest.mark.parametrize(("record", "noun"), NOUNS, ids=[noun.__name__ for _, noun in NOUNS])
def test_every_schema_field_has_its_place_in_the_catalogue(record, noun):
    declared = set(record.fields)
    if is_typeddict(noun):
        # A value kept as checked is a dict with exactly the Record's keys.
        assert set(noun.__annotations__) == declared, (noun.__name__, declared ^ set(noun.__annotations__))
    else:
        held = {f.name for f in dataclasses.fields(noun)}
        assert declared <= held, f"{noun.__name__} lacks {sorted(declared - held)}: add them to catalogue.py"


def test_entries_are_shared_objects_compared_by_identity():
    for noun in (nouns.Programme, nouns.Lecturer, nouns.Site, nouns.Organisation, nouns.Post):
        assert noun.__eq__ is object.__eq__, noun.__name__
        assert "__slots__" in vars(noun), noun.__name__


@pytest.fixture(scope="module")
def demo():
    settings = load_settings(ROOT / "mkdocs.yml")
    return build_catalogue(validate(settings), settings)


def _names(p: nouns.Programme, lecturer: nouns.Lecturer) -> bool:
    in_sessions = any(lecturer in s.lecturers for m in p.modules for s in m.sessions)
    return in_sessions or any(item.lecturer is lecturer for day in p.timetable for item in day.items)


def test_a_lecturer_lists_the_programmes_that_name_them(demo):
    zhang = next(e for e in demo.lecturers if e.id == "zhang-wenhua")
    assert zhang.name == "张文华" and zhang.path == "lecturers/zhang-wenhua.md"
    naming = [p for p in demo.programmes if _names(p, zhang)]
    assert naming and sorted(zhang.programmes, key=lambda p: p.slug) == sorted(naming, key=lambda p: p.slug)
    assert [p.start for p in zhang.programmes] == sorted((p.start for p in naming), reverse=True)  # newest first
    # The lecturer a session names is the lecturer of the library, not a copy.
    session = next(s for p in naming for m in p.modules for s in m.sessions if zhang in s.lecturers)
    assert any(lecturer is zhang for lecturer in session.lecturers)


def test_a_post_knows_its_programme_and_its_neighbours(demo):
    post = next(n for n in demo.news if n.url == "news/2025/06-09-shebao-yanxiuban-kaiban/")
    assert isinstance(post.programme, nouns.Programme)
    assert post.programme.slug == "2025-shebao-jingban-yanxiuban"
    assert any(n is post for n in post.programme.news)
    assert post.category.path.startswith("news/category/") and post.tags
    assert post.newer.older is post and post.older.newer is post
    assert demo.news[0].newer is None and demo.news[-1].older is None


def test_organisations_list_the_programmes_they_host_or_join(demo):
    spa = next(o for o in demo.organisations if o.id == "daiyue-spa")
    for p in spa.programmes:
        assert spa in [p.host, *p.co_organisers, p.commissioned_by]
    hosted = [p for p in demo.programmes if p.host is spa]
    assert hosted and all(any(q is p for q in spa.programmes) for p in hosted)


def test_the_catalogue_pickles_with_its_shared_entries(demo):
    copy = pickle.loads(pickle.dumps(demo, pickle.HIGHEST_PROTOCOL))
    assert [p.slug for p in copy.programmes] == [p.slug for p in demo.programmes]
    lecturers = {id(e) for e in copy.lecturers}
    taught = [s_l for p in copy.programmes for m in p.modules for s in m.sessions for s_l in s.lecturers]
    assert taught and all(id(e) in lecturers for e in taught)
    assert all(any(n is post for n in post.programme.news) for post in copy.news if post.programme)
