"""Lighthouse on every page type of the served demo: accessibility, best practices and SEO at 100,
on Lighthouse's phone settings and on its desktop preset (the desktop header's tabs once failed
colour contrast, which the phone run cannot see), and on the 404 page and the Traditional copy.

Performance is left to a benchmark: its score moves with the machine's load (FIELD-NOTES saw
89-100 on one page), so a timed assertion here would only be noise. The one exception is the
search page, whose results arrive after the page: its layout shift and largest paint are
checked as a median of three runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import CHROMIUM_FLAGS, PREFIX, ROOT, get

pytestmark = pytest.mark.browser

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGE_TYPES = (
    "home",
    "programme index",
    "programme",
    "lecturer",
    "site",
    "news index",
    "news post",
    "archive",
    "404",
    "search",
    "zh-hant home",
    "zh-hant programme",
)
# Lighthouse's phone emulation (a mid-range phone on a slow network), and its desktop preset.
FORM_FACTORS = {"mobile": ["--form-factor=mobile"], "desktop": ["--preset=desktop"]}


def page_of_type(served: str, kind: str) -> str:
    """The first page of each type in whatever site is built (the demo, or an institution's
    own), found from the site's data files, so deployers can run this on their content."""

    def data(name: str) -> list:
        status, _, body = get(served + f"data/{name}.json")
        assert status == 200, name
        return json.loads(body)[name]

    if kind == "home":
        return ""
    if kind == "404":
        # The page nginx serves for a missing address, at its own address: under a missing one
        # Lighthouse's SEO audit fails the 404 status itself, which is the point of the page.
        return "404.html"
    if kind == "search":
        # With a lecturer's name, as the header's search box leaves the address: the results are
        # part of what is audited (their contrast, their links' names).
        return "search/?q=" + quote(data("lecturers")[0]["name"])
    if kind.startswith("zh-hant "):
        return "zh-hant/" + page_of_type(served, kind.removeprefix("zh-hant "))
    if kind == "programme index":
        return "programmes/"
    if kind == "news index":
        return "news/"
    if kind in ("programme", "lecturer", "site"):
        entries = data({"programme": "programmes", "lecturer": "lecturers", "site": "sites"}[kind])
        return entries[0]["url"].split(PREFIX, 1)[1]
    news = data("news")
    if kind == "news post":
        return news[-1]["url"].split(PREFIX, 1)[1]
    return f"news/archive/{news[-1]['date'][:4]}/"


FLAGS = " ".join(["--headless=new", *CHROMIUM_FLAGS])


def audit(url: str, out: Path, form_factor: str = "mobile") -> dict:
    assert LIGHTHOUSE.exists(), "Lighthouse is installed by scripts/setup-env (npm ci) for the tests"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--chrome-flags={FLAGS}",
            *FORM_FACTORS[form_factor],
            "--output=json",
            f"--output-path={out}",
        ],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        check=True,
        capture_output=True,
        timeout=180,
    )
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("form_factor", FORM_FACTORS)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_type_scores_100(served, kind, form_factor, tmp_path):
    report = audit(served + page_of_type(served, kind), tmp_path / "report.json", form_factor)
    scores = {
        name: category["score"]
        for name, category in report["categories"].items()
        if name in ("accessibility", "best-practices", "seo")
    }
    failing = [
        f"{audit_id}: {result['title']}"
        for audit_id, result in report["audits"].items()
        if result.get("scoreDisplayMode") == "binary" and result.get("score") == 0
    ]
    assert scores == {"accessibility": 1, "best-practices": 1, "seo": 1}, failing
    requested = [item["url"] for item in report["audits"]["network-requests"]["details"]["items"]]
    origin = served.split("/peixun/")[0]
    foreign = [url for url in requested if url.startswith(("http:", "https:")) and not url.startswith(origin)]
    assert foreign == []  # data: URIs are inline; nothing is fetched from another host


def test_search_page_with_a_query_keeps_still(served, tmp_path):
    """The search page with a name in the address (as the header form leaves it): the results
    may not push anything on the page (CLS 0, median of 3 runs). Its largest paint is printed,
    not asserted: a timing is a benchmark's to judge (the target is 2.5 s on Lighthouse's mobile
    settings; measured 2.2 s here, median of 3 at a load of 1.5, see docs/benchmarks.md)."""
    status, _, body = get(served + "data/lecturers.json")
    assert status == 200
    name = json.loads(body)["lecturers"][0]["name"]
    url = served + "search/?q=" + quote(name)
    runs = []
    for i in range(3):
        audits = audit(url, tmp_path / f"search-{i}.json")["audits"]
        runs.append(
            (audits["largest-contentful-paint"]["numericValue"], audits["cumulative-layout-shift"]["numericValue"])
        )
    lcp = statistics.median(run[0] for run in runs)
    cls = statistics.median(run[1] for run in runs)
    print(f"\nsearch page, q={name}: LCP {[round(r[0]) for r in runs]} ms, CLS {[round(r[1], 3) for r in runs]}")
    assert cls == 0, runs
    assert lcp > 0  # measured at all (the figure is printed above)
