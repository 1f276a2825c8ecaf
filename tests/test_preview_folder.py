"""Which pages a preview rebuild does not read again (preview.PreviewFolder.leave_unchanged).

A page left unread keeps the HTML of the last rebuild, so leaving one whose inputs changed would
show the editor a stale page; tests/test_serve.py compares a preview after a run of edits with a
clean one. Here each reason to read a page again is taken on its own."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from brochure.preview import PreviewFolder

pytestmark = pytest.mark.unit

INPUTS = ("site", "nav", "content", "settings")


class Inclusion:
    def __init__(self, in_nav: bool) -> None:
        self.in_nav = in_nav

    def is_in_nav(self) -> bool:
        return self.in_nav


def page(folder, name: str, in_nav: bool = False):
    dest = folder / name / "index.html"
    file = SimpleNamespace(src_uri=f"{name}.md", abs_dest_path=str(dest), inclusion=Inclusion(in_nav))
    return SimpleNamespace(
        file=file, update_date="", _title_from_render=None, present_anchor_ids=None, brochure_references=None
    )


def written(preview: PreviewFolder, pages, sources: dict[str, object]) -> None:
    """One rebuild that reads and writes every page, as MkDocs does with the plugin's hooks."""
    preview.begin([])
    preview.leave_unchanged(pages, INPUTS, lambda file: sources[file.src_uri], lambda entry: True, lambda key: None)
    for one in pages:
        one._title_from_render, one.update_date, one.brochure_references = "标题", "2025-06-09", ([], {})
        preview.page(one, f"key-{sources[one.file.src_uri]}", False, "<html></html>")
        dest = Path(one.file.abs_dest_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text("<html></html>", encoding="utf-8")
    preview.finish()


def left(preview: PreviewFolder, pages, sources, inputs=INPUTS, still_valid=lambda entry: True) -> set[str]:
    preview.begin([])
    preview.leave_unchanged(pages, inputs, lambda file: sources[file.src_uri], still_valid, lambda key: None)
    return {one.file.src_uri for one in pages if hasattr(one.file, "is_modified") and not one.file.is_modified()}


def fresh(folder, names, in_nav=()):
    return [page(folder, name, name in in_nav) for name in names]


def test_only_pages_whose_own_source_changed_are_read_again(tmp_path):
    preview = PreviewFolder()
    sources = {"a.md": "甲", "b.md": "乙", "nav.md": "导航"}
    written(preview, fresh(tmp_path, ["a", "b", "nav"], in_nav={"nav"}), sources)
    pages = fresh(tmp_path, ["a", "b", "nav"], in_nav={"nav"})
    assert left(preview, pages, {**sources, "b.md": "乙改"}) == {"a.md"}  # the nav's titles: always read
    left_page = pages[0]
    assert (left_page._title_from_render, left_page.update_date) == ("标题", "2025-06-09")


def test_any_site_wide_change_reads_every_page_again(tmp_path):
    preview = PreviewFolder()
    sources = {"a.md": "甲", "b.md": "乙"}
    written(preview, fresh(tmp_path, ["a", "b"]), sources)
    assert left(preview, fresh(tmp_path, ["a", "b"]), sources, inputs=("site", "nav", "content 2", "settings")) == set()


def test_a_page_whose_links_no_longer_hold_or_whose_file_is_gone_is_read_again(tmp_path):
    preview = PreviewFolder()
    sources = {"a.md": "甲", "b.md": "乙"}
    written(preview, fresh(tmp_path, ["a", "b"]), sources)
    (tmp_path / "b" / "index.html").unlink()
    assert left(preview, fresh(tmp_path, ["a", "b"]), sources, still_valid=lambda entry: False) == set()
    preview = PreviewFolder()
    written(preview, fresh(tmp_path, ["a", "b"]), sources)
    (tmp_path / "b" / "index.html").unlink()
    assert left(preview, fresh(tmp_path, ["a", "b"]), sources) == {"a.md"}


def test_after_a_failed_rebuild_every_page_is_read_again(tmp_path):
    preview = PreviewFolder()
    sources = {"a.md": "甲"}
    written(preview, fresh(tmp_path, ["a"]), sources)
    preview.failed()
    assert left(preview, fresh(tmp_path, ["a"]), sources) == set()
