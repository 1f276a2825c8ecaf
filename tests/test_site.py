"""The demo institution, built with --strict, as a reader finds it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from htmlcheck import Page, broken_links, read

pytestmark = pytest.mark.site

PROGRAMME_FILES = sorted(p for p in (ROOT / "programmes").rglob("*.yml") if "libraries" not in p.parts)


def library(name: str) -> list[dict]:
    from brochure.schema import library_list

    data = yaml.safe_load((ROOT / f"programmes/libraries/{name}.yml").read_text(encoding="utf-8"))
    return library_list(name, data)[0]  # the list, at the top or under `lecturers:`


def test_every_programme_and_library_entry_has_a_page(demo_site: Path):
    for f in PROGRAMME_FILES:
        title = yaml.safe_load(f.read_text(encoding="utf-8"))["title"]
        assert title in read(demo_site, f"programmes/{f.stem}/").text
    for section, name in (("lecturers", "lecturers"), ("sites", "sites"), ("organisations", "organisations")):
        for entry in library(name):
            assert entry["name"] in read(demo_site, f"{section}/{entry['id']}/").text


def test_no_broken_internal_links(demo_site: Path):
    assert broken_links(demo_site) == []


def test_pages_request_nothing_from_other_hosts(demo_site: Path):
    foreign = []
    for html_file in demo_site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        for url in Page(text).resources:
            if re.match(r"^(https?:)?//", url):
                foreign.append(f"{html_file.relative_to(demo_site)}: {url}")
    assert foreign == []


def test_programme_page_links_lecturers_and_sites_and_they_link_back(demo_site: Path):
    page = read(demo_site, "programmes/2025-shebao-jingban-yanxiuban/")
    assert "../../lecturers/zhang-wenhua/" in page.links
    assert "../../sites/jinan-campaign-memorial/" in page.links
    assert "../../organisations/sd-hrss/" in page.links
    for back in ("lecturers/zhang-wenhua/", "sites/jinan-campaign-memorial/", "organisations/sd-hrss/"):
        assert "../../programmes/2025-shebao-jingban-yanxiuban/" in read(demo_site, back).links, back


def test_library_pages_list_programmes_newest_first(demo_site: Path):
    links = read(demo_site, "lecturers/zhang-wenhua/").links
    years = [int(m.group(1)) for h in links if (m := re.match(r"\.\./\.\./programmes/(\d{4})-", h))]
    assert len(years) >= 2
    assert years == sorted(years, reverse=True)


def test_key_facts_and_timetable_on_programme_page(demo_site: Path):
    text = read(demo_site, "programmes/2025-shebao-jingban-yanxiuban/").text
    for expected in (
        "基本信息",
        "2025年6月9日至13日",
        "主办单位",
        "培训对象",
        "80 人",
        "课程设置",
        "日程安排",
        "6月11日 星期三",
        "已结束",
    ):
        assert expected in text, expected


def test_empty_sections_are_left_out(demo_site: Path):
    one_day = yaml.safe_load((ROOT / "programmes/2024-renshe-yijianshi-zhuanti-peixun.yml").read_text(encoding="utf-8"))
    assert not one_day.get("site_visits") and not one_day.get("registration")
    page = read(demo_site, "programmes/2024-renshe-yijianshi-zhuanti-peixun/")
    assert "基本信息" in page.headings and "日程安排" in page.headings
    assert "现场教学" not in page.headings
    assert "报名方式" in page.headings  # it has contacts, so this section stays
    assert "报名截止" not in page.text


def test_upcoming_programme_is_open_and_listed_first(demo_site: Path):
    index = read(demo_site, "programmes/")
    cards = [a for tag, a in index.elements if tag == "div" and "programme-card" in a.get("class", "")]
    assert len(cards) == len(PROGRAMME_FILES)
    assert cards[0]["data-status"] == "open"
    assert [c["data-status"] for c in cards[1:]] == ["ended"] * (len(cards) - 1)
    past_years = [int(c["data-year"]) for c in cards[1:]]
    assert past_years == sorted(past_years, reverse=True)
    assert {"type", "year", "status"} <= {a.get("name") for tag, a in index.elements if tag == "select"}


def test_home_page_shows_current_programmes(demo_site: Path):
    home = read(demo_site, "")
    assert "programmes/2027-shequ-zhili-nengli-tisheng-peixunban/" in home.links
    assert "2026-xiangcun-zhenxing-peixunban" not in " ".join(home.links)  # ended: not on the home page


def test_generated_pages_stay_out_of_the_nav(demo_site: Path):
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary') :]
    nav = nav[: nav.index("</nav>")]
    assert "2025-shebao-jingban-yanxiuban" not in nav
    assert "zhang-wenhua" not in nav


def test_cover_image_and_attachment_are_published_and_linked(project, tmp_path):
    from conftest import MINI_PROGRAMME

    project.write("docs/attachments/2025-notice.pdf", b"%PDF-1.4\n%%EOF\n")
    project.write("docs/images/2025-cover.png", b"\x89PNG\r\n\x1a\n")
    extra = (
        "    cover:\n      image: images/2025-cover.png\n      alt: 学员在知新楼前合影\n"
        "    attachments:\n      - title: 开班通知\n        file: attachments/2025-notice.pdf\n"
        "    tags: [社会保险]\n"
    )
    project.programme(
        "2025-test-yanxiuban", MINI_PROGRAMME.replace("    audience: 基层干部\n", "    audience: 基层干部\n" + extra)
    )
    out = tmp_path / "out"
    result = project.brochure("build", "--strict", "-d", str(out))
    assert result.returncode == 0, result.stderr
    page = read(out, "programmes/2025-test-yanxiuban/")
    images = [a for tag, a in page.elements if tag == "img"]
    assert any(a.get("alt") == "学员在知新楼前合影" and a["src"] == "../../images/2025-cover.png" for a in images)
    assert "../../attachments/2025-notice.pdf" in page.links
    assert "开班通知" in page.text and "社会保险" in page.text
    assert (out / "attachments/2025-notice.pdf").exists() and (out / "images/2025-cover.png").exists()


def test_demo_news_reports_on_every_completed_programme(demo_site: Path):
    posts = sorted((ROOT / "docs/news").rglob("*.md"))
    assert len(posts) >= 8
    for f in PROGRAMME_FILES:
        page = read(demo_site, f"programmes/{f.stem}/")
        if "已结束" in page.text.split("基本信息")[0]:
            assert "相关报道" in page.headings, f.stem
    feed = (demo_site / "news/feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == len(posts)


def json_ld(page: Path) -> list[dict]:
    import json
    import re

    html = page.read_text(encoding="utf-8")
    return [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def meta_names(page: Path) -> dict[str, str]:
    from htmlcheck import Page

    elements = Page(page.read_text(encoding="utf-8")).elements
    return {a.get("name") or a.get("property"): a.get("content") for tag, a in elements if tag == "meta"}


def test_programme_page_has_education_event_json_ld(demo_site: Path):
    [event] = json_ld(demo_site / "programmes/2025-shebao-jingban-yanxiuban/index.html")
    assert event["@type"] == "EducationEvent"
    assert (event["startDate"], event["endDate"]) == ("2025-06-09", "2025-06-13")
    assert event["location"]["name"] == "岱岳大学知新楼"
    assert event["organizer"]["name"] == "岱岳大学公共管理学院"
    assert event["url"] == "https://peixun.daiyue.edu.cn/programmes/2025-shebao-jingban-yanxiuban/"


def test_news_post_has_news_article_json_ld_and_public_sector_metadata(demo_site: Path):
    page = demo_site / "news/2025/06-09-shebao-yanxiuban-kaiban/index.html"
    [article] = json_ld(page)
    assert article["@type"] == "NewsArticle"
    assert article["datePublished"].endswith("+08:00")
    meta = meta_names(page)
    assert meta["SiteName"] == "岱岳大学公共管理学院 干部教育培训中心"
    assert meta["SiteDomain"] == "peixun.daiyue.edu.cn"
    assert meta["ColumnName"] == "新闻动态"
    assert meta["ArticleTitle"] == article["headline"]
    assert meta["PubDate"] == "2025-06-09 18:00"
    assert meta["ContentSource"] == "岱岳大学公共管理学院干部教育培训中心"
    assert meta["og:url"] == "https://peixun.daiyue.edu.cn/news/2025/06-09-shebao-yanxiuban-kaiban/"
    assert "SiteIDCode" not in meta  # left out when not configured


def test_footer_carries_the_record_numbers(demo_site: Path):
    from htmlcheck import read

    home = read(demo_site, "")
    assert "https://beian.miit.gov.cn/" in home.links
    assert any(
        link.startswith("https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=37010002000000")
        for link in home.links
    )
    assert "主办单位：岱岳大学公共管理学院" in home.text and "鲁ICP备00000000号-1" in home.text


def test_traditional_copy_with_a_language_switch_on_every_page(demo_site: Path):
    from htmlcheck import read

    hant = read(demo_site, "zh-hant/programmes/2025-shebao-jingban-yanxiuban/")
    assert "2025年全省社會保險經辦機構負責人能力提升研修班" in hant.headings
    assert "基本資訊" in hant.headings  # generated labels from the zh-Hant table
    assert "培訓目標" in hant.headings and "日程安排" in hant.headings
    assert "../../../programmes/2025-shebao-jingban-yanxiuban/" in hant.links  # back to Simplified
    simplified = read(demo_site, "programmes/2025-shebao-jingban-yanxiuban/")
    assert "../../zh-hant/programmes/2025-shebao-jingban-yanxiuban/" in simplified.links
    html = (demo_site / "zh-hant/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant"' in html
    # Every page of the Simplified site has its Traditional twin.
    pages = {p.relative_to(demo_site) for p in demo_site.rglob("index.html") if "zh-hant" not in p.parts}
    missing = [p for p in pages if not (demo_site / "zh-hant" / p).exists()]
    assert missing == []
