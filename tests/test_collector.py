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
from conftest import BUILD_DATE_EPOCH


class Cycle:
    """Garbage only the cycle collector frees: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def garbage() -> weakref.ref:
    return weakref.ref(Cycle())


@pytest.fixture(autouse=True)
def collector_back_on():
    yield
    gc.enable()


def test_a_preview_rebuilds_garbage_is_freed_once_the_preview_has_reloaded(monkeypatch):
    monkeypatch.setattr(collector, "AFTER_RELOAD", 0.05)
    builds = collector.BuildCollector()
    builds.pause()
    left = garbage()
    builds.resume(later=True)
    deadline = time.monotonic() + 10
    while left() is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left() is None
    assert gc.isenabled()


def test_saving_again_before_the_collection_frees_the_garbage_at_the_next_rebuild(monkeypatch):
    monkeypatch.setattr(collector, "AFTER_RELOAD", 600)
    builds = collector.BuildCollector()
    for _ in range(3):  # an autosave: each rebuild starts right after the last one ends
        builds.pause()
        left = garbage()
        builds.resume(later=True)
        assert left() is not None
        builds.pause()
        assert left() is None
        builds.resume()


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
        finally:
            config.plugins.on_shutdown()
        assert gc.isenabled()
