"""The pre-commit hook checks whatever `brochure check` reads, news posts and their photos too."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.unit


def hook(hook_id: str) -> dict:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == hook_id)


def runs_for(hook_id: str, path: str) -> bool:
    """As pre-commit decides: `files` and `exclude` are Python regexes searched in the path."""
    found = hook(hook_id)
    exclude = found.get("exclude")
    return bool(re.search(found.get("files", ""), path)) and not (exclude and re.search(exclude, path))


def test_content_check_runs_for_news_posts_and_their_photos():
    news = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs/news").rglob("*") if p.is_file())
    assert any(path.endswith(".md") for path in news)
    assert [path for path in news if not runs_for("brochure-check", path)] == []
    # brochure import puts a post's photos beside it; posts may also show shared images
    for path in ("docs/news/2027/03-01-new-post.md", "docs/news/2027/p1.jpg", "docs/assets/images/hall.png"):
        assert runs_for("brochure-check", path), path


def test_content_check_runs_for_programmes_libraries_and_settings():
    for path in ("programmes/2025-shebao.yml", "programmes/libraries/lecturers.yml", "mkdocs.yml"):
        assert runs_for("brochure-check", path), path
    assert hook("brochure-check")["entry"] == ".venv/bin/brochure check"
