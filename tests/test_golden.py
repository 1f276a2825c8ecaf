"""A committed copy of what `brochure generate` makes of the demo, compared in seconds.

A change to a template, the model, the recipe or the demo's content shows up here as a
readable diff of Markdown, calendars, data files, the feed and the generated mkdocs.yml, for a
reviewer to read before it reaches a built site. Left out: the PDFs, and the files the tree
only copies from the project (docs/ assets and images, overrides/). To accept a change on
purpose:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

(the build date is conftest.BUILD_DATE_EPOCH, which fixes the status badges' "today").
"""

from __future__ import annotations

import difflib
import os
import shutil

import pytest

from brochure.cli import main
from conftest import BUILD_DATE_EPOCH, ROOT

pytestmark = pytest.mark.unit

GOLDEN = ROOT / "tests/golden/generate"
TEXT = {".md", ".yml", ".ics", ".json", ".xml"}


def tree(root) -> dict[str, str]:
    """The files of a generated tree that the recipe made, by path."""
    made = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        in_docs = name.split("docs/", 1)[1] if "docs/" in name else None
        copied = in_docs is not None and not name.endswith(".md") and (ROOT / "docs" / in_docs).is_file()
        if path.is_file() and path.suffix in TEXT and not copied and not name.startswith("overrides/"):
            made[name] = path.read_text(encoding="utf-8")
    return made


def test_generate_gives_the_committed_copy(tmp_path, monkeypatch):
    # In this process, as the command runs it (a second process costs a second's imports).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    config = str(ROOT / "mkdocs.yml")
    assert main(["-f", config, "generate", "--no-pdf-files", "-o", str(tmp_path / "out")]) == 0
    made = tree(tmp_path / "out")
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in made.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    golden = tree(GOLDEN)
    assert len(made) > 150  # both copies' pages, calendars and data, not an empty folder
    assert sorted(made) == sorted(golden), "pages added or gone: see this module's docstring to update"
    changed = [name for name in sorted(made) if made[name] != golden[name]]
    diff = "".join(
        "".join(difflib.unified_diff(golden[n].splitlines(True), made[n].splitlines(True), n, n)) for n in changed[:3]
    )
    assert not changed, f"{len(changed)} pages differ from tests/golden/generate:\n{diff}"
