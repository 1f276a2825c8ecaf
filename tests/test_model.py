"""Status and ordering are derived from dates and the build date, never typed by an editor."""

from __future__ import annotations

from datetime import date

import pytest

from brochure.config import resolve_build_date
from brochure.model import ENDED, OPEN, RUNNING, UPCOMING, build_programmes, programme_status
from brochure.validate import validate

pytestmark = pytest.mark.unit

START, END, DEADLINE = date(2027, 3, 22), date(2027, 3, 26), date(2027, 2, 26)


@pytest.mark.parametrize(
    ("today", "deadline", "status"),
    [
        (date(2027, 1, 1), DEADLINE, OPEN),
        (DEADLINE, DEADLINE, OPEN),  # the deadline day itself still takes applications
        (date(2027, 2, 27), DEADLINE, UPCOMING),
        (date(2027, 1, 1), None, UPCOMING),
        (START, DEADLINE, RUNNING),
        (END, DEADLINE, RUNNING),
        (date(2027, 3, 27), DEADLINE, ENDED),
    ],
)
def test_programme_status(today, deadline, status):
    assert programme_status(START, END, deadline, today) == status


def test_build_date_from_config_then_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")
    assert resolve_build_date(None) == date(2026, 11, 22)
    assert resolve_build_date("2025-01-02") == date(2025, 1, 2)


def test_one_day_programme_ends_on_its_start(project):
    text = (project.root / "programmes/2025-test-yanxiuban.yml").read_text(encoding="utf-8")
    project.programme("2025-test-yanxiuban", text.replace("  end: 2025-06-13\n", ""))
    catalogue = build_programmes(validate(project.settings), date(2025, 6, 9))
    p = catalogue.programmes[0]
    assert (p.end, p.days, p.status) == (date(2025, 6, 9), 1, RUNNING)


def test_back_links_are_newest_first_and_unique(project):
    text = (project.root / "programmes/2025-test-yanxiuban.yml").read_text(encoding="utf-8")
    project.programme("2023-older", text.replace("2025-06", "2023-06"))
    project.programme("2024-middle", text.replace("2025-06", "2024-06"))
    catalogue = build_programmes(validate(project.settings), date(2026, 1, 1))
    zhang = next(e for e in catalogue.lecturers if e.id == "zhang-wenhua")
    # zhang teaches a session and a timetable item in each programme: listed once each.
    assert [p.slug for p in zhang.programmes] == ["2025-test-yanxiuban", "2024-middle", "2023-older"]
    li = next(e for e in catalogue.lecturers if e.id == "li-mingde")
    assert li.programmes == []
