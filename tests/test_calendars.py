"""Calendars as calendar apps take them, read by two independent parsers (icalendar, vobject):
a moved session updates its event instead of adding a second one, timed events name their
programme, subscriptions know how often to refresh, and the Traditional copy's calendars are
Traditional."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest
import vobject

from conftest import MINI_PROGRAMME

pytestmark = pytest.mark.site

TWO_SESSIONS = MINI_PROGRAMME.replace(
    """            lecturer: zhang-wenhua
    """,
    """            lecturer: zhang-wenhua
          - time: "14:00-17:00"
            title: 现场教学
            lecturer: li-mingde
    """,
)


def events_by_uid(raw: bytes) -> dict[str, dict]:
    """{UID: {summary, start}} from both parsers, which must agree."""
    one = {
        str(e["UID"]): {"summary": str(e["SUMMARY"]), "start": e.decoded("DTSTART")}
        for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")
    }
    two = {
        e.uid.value: {"summary": e.summary.value, "start": e.dtstart.value}
        for e in vobject.readOne(raw.decode("utf-8")).vevent_list
    }
    assert one.keys() == two.keys()
    for uid in one:
        assert one[uid]["summary"] == two[uid]["summary"], uid
        assert one[uid]["start"] == two[uid]["start"], uid
    return one


def build_calendar(project, tmp_path, text: str, name: str) -> bytes:
    project.programme("2025-test-yanxiuban", text)
    out = tmp_path / name
    result = project.brochure("build", "-d", str(out))
    assert result.returncode == 0, result.stderr
    return (out / "programmes/2025-test-yanxiuban.ics").read_bytes()


def test_moving_a_session_updates_its_event_instead_of_adding_one(project, tmp_path):
    before = events_by_uid(build_calendar(project, tmp_path, TWO_SESSIONS, "before"))
    moved = TWO_SESSIONS.replace("      - date: 2025-06-09\n", "      - date: 2025-06-10\n").replace(
        '"14:00-17:00"', '"15:00-17:30"'
    )
    after = events_by_uid(build_calendar(project, tmp_path, moved, "after"))
    # An app that imports both files keeps one event per UID: as many events as before.
    assert after.keys() == before.keys() and len(after) == 3
    [uid] = [u for u in after if after[u]["summary"].startswith("现场教学")]
    assert before[uid]["start"].day == 9 and after[uid]["start"].day == 10 and after[uid]["start"].hour == 15


def test_timed_events_name_their_programme_and_calendars_say_when_to_refresh(project, tmp_path):
    raw = build_calendar(project, tmp_path, TWO_SESSIONS, "out")
    summaries = [e["summary"] for e in events_by_uid(raw).values()]
    assert "第一课 · 测试研修班" in summaries and "现场教学 · 测试研修班" in summaries
    text = raw.decode("utf-8")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in text and "X-PUBLISHED-TTL:PT12H" in text
    assert re.search(r"^SEQUENCE:\d+\r$", text, re.MULTILINE) and "LAST-MODIFIED:" in text


def test_the_traditional_copys_calendars_are_traditional(demo_site: Path):
    simplified = re.compile("[区级员学习训会议开门办]")  # characters whose Traditional form differs
    for path in sorted((demo_site / "zh-hant/programmes").glob("*.ics")):
        for event in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            for key in ("SUMMARY", "LOCATION", "DESCRIPTION"):
                value = str(event.get(key, ""))
                assert not simplified.search(value), (path.name, key, value)


def test_the_upcoming_calendar_is_offered_as_a_subscription(demo_site: Path):
    for copy in ("", "zh-hant/"):
        page = (demo_site / copy / "programmes/index.html").read_text(encoding="utf-8")
        assert f'href="webcal://peixun.daiyue.edu.cn/{copy}programmes/upcoming.ics"' in page, copy
        assert 'href="upcoming.ics"' in page  # the file itself, for a computer with no calendar app
