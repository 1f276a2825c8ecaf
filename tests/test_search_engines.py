"""What search engines read on the built demo: structured data (schema.org JSON-LD) with every
property Google recommends for an event or a news article that the data can fill, in both
copies, and a robots.txt that names both copies' sitemaps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.site


def jsonld(page: Path) -> dict:
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    return json.loads(block)


@pytest.mark.parametrize(("copy", "language"), [("", "zh-CN"), ("zh-hant", "zh-Hant")])
def test_every_programme_is_an_event_with_place_offer_and_performers(demo_site: Path, copy: str, language: str):
    root = demo_site / copy if copy else demo_site
    for source in sorted((ROOT / "programmes").glob("*.yml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        event = jsonld(root / "programmes" / source.stem / "index.html")
        assert event["@type"] == "EducationEvent" and event["inLanguage"] == language
        places = event["location"] if isinstance(event["location"], list) else [event["location"]]
        assert places[0]["address"]["@type"] == "PostalAddress", source.stem
        assert event["performer"] and all(p["@type"] == "Person" and p["url"] for p in event["performer"])
        streamed = "线上直播" in source.read_text(encoding="utf-8")
        mode = "Mixed" if streamed else "Offline"
        assert event["eventAttendanceMode"] == f"https://schema.org/{mode}EventAttendanceMode", source.stem
        assert any(p["@type"] == "VirtualLocation" for p in places) == streamed
        if "fee" in data:
            assert event["offers"]["@type"] == "Offer" and event["offers"]["priceCurrency"] == "CNY"
            if isinstance(data["fee"], int):
                assert event["offers"]["price"] == data["fee"]
            elif "免费" in data["fee"] or "不收" in data["fee"]:
                assert event["offers"]["price"] == 0


def test_a_news_article_tells_a_person_from_a_unit(demo_site: Path):
    for page in sorted(demo_site.glob("news/20*/*/index.html")):
        article = jsonld(page)
        assert article["@type"] == "NewsArticle" and article["inLanguage"] == "zh-CN"
        authors = article["author"] if isinstance(article["author"], list) else [article["author"]]
        for author in authors:
            unit = len(author["name"]) > 4
            assert author["@type"] == ("Organization" if unit else "Person"), author


def test_robots_txt_names_both_copies_sitemaps(demo_site: Path):
    lines = (demo_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    maps = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    assert maps == ["https://peixun.daiyue.edu.cn/sitemap.xml", "https://peixun.daiyue.edu.cn/zh-hant/sitemap.xml"]
    for url in maps:
        assert (demo_site / url.removeprefix("https://peixun.daiyue.edu.cn/")).is_file()
