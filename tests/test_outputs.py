"""Brochure outputs: calendar files, the PDF, the data files, and the buttons that lead to them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from conftest import BUILD_DATE_EPOCH, CHROMIUM_FLAGS, MINI_PROGRAMME, ROOT
from htmlcheck import read

SHEBAO = "2025-shebao-jingban-yanxiuban"  # ended on the tests' build date: no brochure
SHEQU = "2027-shequ-zhili-nengli-tisheng-peixunban"  # not begun: the demo's one brochure


@pytest.mark.site
def test_programme_page_has_calendar_and_brochure_buttons(demo_site: Path):
    page = read(demo_site, f"programmes/{SHEQU}/")
    for target in (f"../{SHEQU}.ics", f"../{SHEQU}.pdf"):
        assert target in page.links
        assert (demo_site / "programmes" / target[3:]).stat().st_size > 500
    assert "加入日历" in page.text and "下载简章（PDF）" in page.text
    # An ended programme keeps its calendar and its page, which prints, but has no brochure
    # and no button to one (Programme.has_brochure).
    ended = read(demo_site, f"programmes/{SHEBAO}/")
    assert f"../{SHEBAO}.ics" in ended.links and "加入日历" in ended.text
    assert f"../{SHEBAO}.pdf" not in ended.links and "下载简章" not in ended.text
    assert not (demo_site / f"programmes/{SHEBAO}.pdf").exists()
    assert "upcoming.ics" in read(demo_site, "programmes/").links


@pytest.mark.site
def test_programme_calendar_is_rfc5545(demo_site: Path):
    raw = (demo_site / f"programmes/{SHEBAO}.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    whole = events[0]
    assert whole.decoded("DTSTART") == date(2025, 6, 9)
    assert whole.decoded("DTEND") == date(2025, 6, 14)  # exclusive: the class ends on the 13th
    assert str(whole["SUMMARY"]) == "2025年全省社会保险经办机构负责人能力提升研修班"
    for event in events:
        assert event.get("UID") and event.get("DTSTAMP")
    assert len({str(e["UID"]) for e in events}) == len(events)
    opening = events[1]
    start = opening.decoded("DTSTART")
    assert start.utcoffset() == timedelta(hours=8)
    assert start.astimezone(UTC) == datetime(2025, 6, 9, 0, 30, tzinfo=UTC)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"


@pytest.mark.site
def test_upcoming_feed_lists_only_programmes_not_ended(demo_site: Path):
    calendar = icalendar.Calendar.from_ical((demo_site / "programmes/upcoming.ics").read_bytes())
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert uids == ["2027-shequ-zhili-nengli-tisheng-peixunban@peixun.daiyue.edu.cn"]


@pytest.mark.site
def test_calendar_text_is_escaped(project, tmp_path):
    title = "研修班, 第一期; 路径 C:\\temp"
    project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("title: 测试研修班", f"title: '{title}'"))
    out = tmp_path / "out"
    assert project.brochure("build", "-d", str(out)).returncode == 0
    raw = (out / "programmes/2025-test-yanxiuban.ics").read_text(encoding="utf-8")
    assert "SUMMARY:研修班\\, 第一期\\; 路径 C:\\\\temp" in raw
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == title


@pytest.mark.site
def test_pdf_brochure_has_real_chinese_text(demo_site: Path):
    text = "".join(page.extract_text() for page in PdfReader(demo_site / f"programmes/{SHEQU}.pdf").pages)
    flat = "".join(text.split())
    assert "2027年全省城市社区治理能力提升培训班" in flat
    assert re.search("2027年3月22日(—|至)26日", flat)  # the range as labels/ writes it
    assert "马建军" in flat and "莱芜战役纪念馆" in flat


def build_without_fonts(project, out: Path, mode: str | None) -> subprocess.CompletedProcess:
    """A machine where fontconfig (and so any CJK font) cannot be found."""
    if mode:
        config = project.root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("pdf_when_unavailable: fail", f"pdf_when_unavailable: {mode}"), encoding="utf-8")
    env = {**os.environ, "PATH": "/nonexistent", "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "brochure", "build", "-d", str(out)],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.site
def test_missing_pdf_engine_fails_the_build_clearly(project, tmp_path):
    result = build_without_fonts(project, tmp_path / "out", None)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "中文字体" in result.stderr and "pdf_when_unavailable: skip" in result.stderr


@pytest.mark.site
def test_missing_pdf_engine_can_skip_pdfs_but_never_makes_blank_ones(project, tmp_path):
    out = tmp_path / "out"
    result = build_without_fonts(project, out, "skip")
    assert result.returncode == 0, result.stderr
    assert "不生成 PDF" in result.stderr
    assert not list(out.rglob("*.pdf"))
    page = read(out, "programmes/2025-test-yanxiuban/")
    assert "下载简章（PDF）" not in page.text
    assert "加入日历" in page.text


@pytest.mark.site
def test_data_files_are_versioned_and_complete(demo_site: Path):
    programmes = json.loads((demo_site / "data/programmes.json").read_text(encoding="utf-8"))
    assert programmes["schema_version"] == 1
    slugs = [p["slug"] for p in programmes["programmes"]]
    files = sorted(f.stem for f in (ROOT / "programmes").glob("*.yml"))
    assert sorted(slugs) == files
    starts = [p["start"] for p in programmes["programmes"]]
    assert starts == sorted(starts)
    shebao = next(p for p in programmes["programmes"] if p["slug"] == SHEBAO)
    assert shebao["modules"][0]["sessions"][0]["lecturers"] == ["li-mingde"]
    assert shebao["pdf"] is None  # ended: no brochure (Programme.has_brochure)
    shequ = next(p for p in programmes["programmes"] if p["slug"] == SHEQU)
    assert shequ["pdf"] == f"https://peixun.daiyue.edu.cn/programmes/{SHEQU}.pdf"
    # Absolute, as every URL in the data files (README): another system has no page to resolve
    # a relative one against. Each is a post the site holds.
    site = "https://peixun.daiyue.edu.cn/"
    assert shebao["news"] and all(url.startswith(site + "news/") for url in shebao["news"])
    assert all((demo_site / url.removeprefix(site) / "index.html").is_file() for url in shebao["news"])
    lecturers = json.loads((demo_site / "data/lecturers.json").read_text(encoding="utf-8"))["lecturers"]
    assert [e["id"] for e in lecturers] == sorted(e["id"] for e in lecturers)
    zhang = next(e for e in lecturers if e["id"] == "zhang-wenhua")
    assert SHEBAO in zhang["programmes"]
    sites = json.loads((demo_site / "data/sites.json").read_text(encoding="utf-8"))["sites"]
    assert any(SHEBAO in s["programmes"] for s in sites)
    news = json.loads((demo_site / "data/news.json").read_text(encoding="utf-8"))["news"]
    assert [n["date"] for n in news] == sorted(n["date"] for n in news)
    assert all(n["credits"]["审核发布"] for n in news)


@pytest.mark.site
def test_outputs_are_byte_identical_across_builds(demo_site: Path, tmp_path):
    from conftest import copy_checkout, run_brochure

    again = tmp_path / "again"  # built from a copy: never from the checkout's own .cache/
    assert run_brochure(copy_checkout(tmp_path / "project"), "build", "-d", str(again)).returncode == 0
    for relative in ("data/programmes.json", "data/news.json", f"programmes/{SHEBAO}.ics", "news/feed.xml"):
        assert (demo_site / relative).read_bytes() == (again / relative).read_bytes(), relative


@pytest.mark.browser
def test_programme_page_prints_as_a_brochure_without_site_chrome(demo_site: Path, tmp_path):
    """Print the page in real Chromium, as a reader pressing Ctrl+P would."""
    import shutil

    chromium = shutil.which("chromium")
    assert chromium, "Chromium is installed by scripts/setup-env for the tests"
    pdf = tmp_path / "print.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            (demo_site / f"programmes/{SHEBAO}/index.html").as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = PdfReader(pdf).pages

    def flat(page) -> str:
        # Chromium's PDF maps some Han characters to their Kangxi-radical twins (⼈ for 人)
        # and the em dash to a horizontal bar; NFKC and one replacement undo that.
        return "".join(unicodedata.normalize("NFKC", page.extract_text()).replace("―", "—").split())

    first = flat(pages[0])
    # The letterhead (the site's name; the emblem too when theme.logo is set), then the title:
    # none of the site's chrome (tabs, search, menu) before it.
    letterhead, title = "岱岳大学公共管理学院干部教育培训中心", "2025年全省社会保险经办机构负责人能力提升研修班"
    # (Chromium writes the header's text after the page's, so pypdf reads it last.)
    assert letterhead in first and first.replace(letterhead, "", 1).startswith(title), first[:80]
    assert "基本信息" in first and re.search("2025年6月9日(—|至)13日", first)  # key facts on the first page
    everything = "".join(flat(p) for p in pages)
    assert "跳转至" not in everything and "搜索" not in everything  # no skip link, no search box
    assert "加入日历" not in everything and "标签：" not in everything  # buttons and tags are for the screen
