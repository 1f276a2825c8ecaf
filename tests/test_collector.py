"""The cycle collector, paused during builds (collector.py): garbage must still be freed, or a
preview left running all day grows until the machine runs out of memory."""

from __future__ import annotations

import gc
import time
import weakref

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from brochure import collector
from conftest import BUILD_DATE_EPOCH, MINI_PROGRAMME


class Cycle:
    """Garbage only the cycle collector frees: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def garbage() -> weakref.ref:
    return weakref.ref(Cycle())


def eventually(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


@pytest.fixture
def builds():
    builds = collector.BuildCollector()
    yield builds
    builds.close()  # no collection left pending for later tests


@pytest.fixture(autouse=True)
def collector_back_on():
    yield
    gc.enable()


@pytest.mark.unit
def test_a_preview_rebuilds_garbage_is_freed_once_the_preview_has_reloaded(builds, monkeypatch):
    monkeypatch.setattr(collector, "AFTER_RELOAD", 0.05)
    builds.pause()
    left = garbage()
    builds.resume(later=True)
    assert eventually(lambda: left() is None and gc.isenabled())


@pytest.mark.unit
def test_saving_again_before_the_collection_frees_the_garbage_at_the_next_rebuild(builds, monkeypatch):
    monkeypatch.setattr(collector, "AFTER_RELOAD", 600)
    for _ in range(3):  # an autosave: each rebuild starts right after the last one ends
        builds.pause()
        left = garbage()
        builds.resume(later=True)
        assert left() is not None
        builds.pause()
        assert left() is None
        builds.resume()


@pytest.mark.unit
def test_a_rebuild_that_converts_many_pages_collects_as_it_goes(builds, monkeypatch):
    # A changed mkdocs.yml or template: every page is converted again, each leaving garbage.
    monkeypatch.setattr(collector, "PAUSED_CONVERSIONS", 50)
    builds.pause()
    for _ in range(49):
        builds.converting()
    assert not gc.isenabled()
    builds.converting()
    assert gc.isenabled()


@pytest.mark.site
def test_a_build_and_a_failed_build_leave_the_collector_running(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    for broken in (False, True):
        if broken:
            project.programme("2025-test-yanxiuban", "title: [未闭合\n")
        config = load_config(str(project.root / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        except Exception:  # noqa: BLE001 - the broken content's error is another test's business
            assert broken
        else:
            assert not broken
        assert gc.isenabled()  # before on_shutdown, which turns it on too
        config.plugins.on_shutdown()


@pytest.mark.site
def test_a_preview_rebuild_collects_after_the_reload(project, monkeypatch):
    """Through the plugin, as `mkdocs serve` drives it: one instance, several builds."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE_EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(collector, "AFTER_RELOAD", 5)
    config = load_config(str(project.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)  # the first build: its page pass runs with the collector on
        assert eventually(gc.isenabled)
        build(config)  # nothing changed: every page comes from the kept entries
        assert not gc.isenabled()  # paused to the end; the reload must not wait for it
        assert eventually(gc.isenabled)  # and then collected
        monkeypatch.setattr(collector, "PAUSED_CONVERSIONS", 1)
        project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("title: ", "title: 改题：", 1))
        build(config)  # pages converted again: past the limit, collections resumed at once
        assert gc.isenabled()
    finally:
        config.plugins.on_shutdown()
