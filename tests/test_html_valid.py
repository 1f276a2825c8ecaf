"""The Nu HTML Checker (vnu-jar from npm, run with Debian's Java) on the built demo: one page of
each kind in both copies, and both 404 pages. What Material's own templates write is listed
below, each message by its text and the markup it is about, so anything else fails, ours
first of all."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.site

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"

# One page of every kind the demo has.
PAGES = [
    "index.html",
    "programmes/index.html",
    "programmes/2025-shebao-jingban-yanxiuban/index.html",
    "lecturers/index.html",
    "lecturers/zhang-wenhua/index.html",
    "sites/index.html",
    "sites/dianliu-street/index.html",
    "organisations/index.html",
    "organisations/daiyue-spa/index.html",
    "news/index.html",
    "news/2025/06-09-shebao-yanxiuban-kaiban/index.html",
    "news/category/notices/index.html",
    "news/archive/index.html",
    "news/archive/2025/index.html",
    "search/index.html",
    "editors/index.html",
    "editors/reference/index.html",
    "benchmarks/index.html",
    "404.html",
]

# Material 9.7.6's own markup, by message and by the markup it names (the extract): its drawer
# and search toggles are checkboxes with autocomplete="off" (for Firefox, which otherwise keeps
# them checked on reload), and the table of contents' title is a label for a toggle that
# pages without one lack. Re-check when upgrading Material; nothing of ours may be added here.
MATERIAL = [
    (
        "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”,"
        " “email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”,"
        " or “week”.",
        re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)"'),
    ),
    (
        "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
        re.compile(r'<label class="md-nav__title" for="__toc">'),
    ),
]


def vnu(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    assert java and VNU.is_file(), "Java and vnu-jar are installed by scripts/setup-env for the tests"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", *map(str, files)], capture_output=True, text=True
    )
    return json.loads(result.stderr)["messages"]


def is_materials(message: dict) -> bool:
    return any(message["message"] == text and markup.search(message.get("extract", "")) for text, markup in MATERIAL)


def report(messages: list[dict]) -> list[str]:
    return [
        f"{m['url'].split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['type']} {m['message']} | {m.get('extract', '')}"
        for m in messages
    ]


def test_no_error_or_warning_from_our_markup_in_either_copy(demo_site: Path):
    files = [demo_site / copy / page for copy in ("", "zh-hant") for page in PAGES]
    assert all(f.is_file() for f in files), [str(f) for f in files if not f.is_file()]
    messages = vnu(files)
    ours = [m for m in messages if m["type"] == "error" or m.get("subType") == "warning"]
    ours = [m for m in ours if not (m["type"] == "error" and is_materials(m))]
    assert report(ours) == []
    # The list above still names what Material writes (else it is out of date and hides nothing).
    assert all(any(is_materials(m) and m["message"] == text for m in messages) for text, _ in MATERIAL)


def test_a_nav_section_has_no_empty_tabindex(project, tmp_path):
    """Material writes tabindex="" on a nav section's label under navigation.tabs; the
    override (overrides/partials/nav-item.html) leaves the attribute out."""
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    flat = "  - 师资: lecturers/index.md\n  - 现场教学点: sites/index.md\n"
    assert flat in text
    config.write_text(
        text.replace(flat, "  - 师资与教学点:\n      - 师资: lecturers/index.md\n      - 现场教学点: sites/index.md\n"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = project.brochure("build", "-d", str(out))
    assert result.returncode == 0, result.stderr
    page = out / "sites/index.html"  # in the section, which is then active
    html = page.read_text(encoding="utf-8")
    assert 'class="md-nav__link" for="__nav_' in html  # the section's label is there
    assert 'tabindex=""' not in html
    assert report([m for m in vnu([page]) if m["type"] == "error" and not is_materials(m)]) == []
