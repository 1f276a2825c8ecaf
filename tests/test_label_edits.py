"""The wording on generated pages comes from labels/*.yml; an edit there must show at the next
build in the same process (a `brochure serve` preview), and what the build remembers must be
the new wording, or a later fresh build publishes the old one."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from brochure import render, store
from brochure.generated import generation_key
from brochure.search import INDEXED_BY_CALLER
from brochure.variant import active_variant
from conftest import BUILD_DATE_EPOCH, Project

pytestmark = pytest.mark.site

PAGE = "programmes/2025-test-yanxiuban/index.html"


def test_an_edited_label_shows_at_the_next_build_and_is_what_is_remembered(
    project: Project, tmp_path: Path, monkeypatch
):
    # A copy of the package's data, so the edit is a real edit to a labels file on disk and
    # changes the code digest every cache key includes, as it does in a working copy.
    package = tmp_path / "package"
    shutil.copytree(store.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(store, "PACKAGE", package)
    monkeypatch.setattr(render, "LABELS", package / "labels")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv(INDEXED_BY_CALLER, "1")  # no search index: not what this is about
    config_file = project.root / "mkdocs.yml"
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("pdf: true", "pdf: false"), "utf-8")
    site = project.root / "site"

    # As `mkdocs serve` drives the plugin: one instance, rebuilt after each edit.
    config = load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
        assert "课程设置" in (site / PAGE).read_text(encoding="utf-8")
        labels = package / "labels/zh.yml"
        labels.write_text(labels.read_text(encoding="utf-8").replace("curriculum: 课程设置", "curriculum: 课程安排"))
        build(config)
        assert "课程安排" in (site / PAGE).read_text(encoding="utf-8")
        assert "课程设置" not in (site / PAGE).read_text(encoding="utf-8")
        plugin = config.plugins["brochure"]
    finally:
        config.plugins.on_shutdown()

    # What the generation memo holds, under the key for the labels as they are now.
    with (project.root / ".cache/brochure/generated-default.pickle").open("rb") as f:
        key, generated = pickle.load(f), pickle.load(f)
    assert key == generation_key(plugin.site.settings, active_variant(), has_pdf=False)
    pages = generated.pages
    assert any("课程安排" in markdown for markdown in pages.values())
    assert not any("课程设置" in markdown for markdown in pages.values())

    # And a fresh build (a new plugin, reading what the last one remembered) agrees.
    shutil.rmtree(site)
    fresh = load_config(str(config_file), site_dir=str(site))
    fresh.plugins.on_startup(command="build", dirty=False)
    try:
        build(fresh)
    finally:
        fresh.plugins.on_shutdown()
    assert "课程安排" in (site / PAGE).read_text(encoding="utf-8")
