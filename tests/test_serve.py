"""`brochure serve` rebuilds the preview when an editor saves a YAML file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from test_pagecache import edit
from test_reliability import tree_digest

from conftest import BUILD_DATE_EPOCH, MINI_PROGRAMME, free_port

pytestmark = pytest.mark.site


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body and text in body:
            return True
        time.sleep(0.3)
    return False


def test_serve_reloads_after_a_yaml_edit(project):
    port = free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "brochure", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/programmes/2025-test-yanxiuban/"
        assert wait_for(url, "测试研修班"), "the preview never came up"
        project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("测试研修班", "改名后的研修班"))
        assert wait_for(url, "改名后的研修班"), "the preview did not pick up the edit"
        # Search in the preview: Pagefind runs beside the server after each rebuild, and the
        # reloaded site keeps the previous index meanwhile.
        entry = f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json"
        assert wait_for(entry, '"languages"'), "the preview has no search index"
        project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("测试研修班", "第三次改名的研修班"))
        assert wait_for(url, "第三次改名的研修班"), "the preview did not pick up the second edit"
        assert fetch(entry) and '"languages"' in fetch(entry), "a rebuild left the preview without its index"
    finally:
        server.terminate()
        server.wait(timeout=20)


class Preview:
    """A preview server with its log read as it comes, so a test knows when a rebuild is done.
    TMPDIR is its own, so its folder (MkDocs makes it with mkdtemp) can be found."""

    def __init__(self, root, command: list[str], port: int, tmp) -> None:
        tmp.mkdir()
        env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
        self.tmp = tmp
        self.builds = 1  # the first, finished when the server says it is serving
        self.serving = False
        self.log: list[str] = []
        self.server = subprocess.Popen(
            [sys.executable, "-m", *command, "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.server.stderr or ():
            self.log.append(line)
            # Not "Documentation built in …": MkDocs drops a log line that repeats an earlier
            # one, and two rebuilds can take the same time.
            if "Reloading browsers" in line:
                self.builds += 1
            if "Serving on" in line:
                self.serving = True  # and watching: an edit before this would go unseen

    def wait_for_build(self, number: int, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while self.builds < number or not self.serving:
            assert time.monotonic() < deadline, "".join(self.log)
            time.sleep(0.1)

    def settle(self, quiet: float = 2.0) -> None:
        """Wait until no rebuild has started for `quiet` seconds (one save can set off two)."""
        lines = -1
        while lines != len(self.log) or "Reloading browsers" not in self.log[-1]:
            lines = len(self.log)
            time.sleep(quiet)

    def folder(self):
        (folder,) = self.tmp.glob("mkdocs_*")
        return folder

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=20)


def test_the_preview_updated_in_place_equals_a_clean_preview(demo_copy, tmp_path):
    """`brochure serve` keeps its folder between rebuilds and writes only what changed
    (preview.py). After a run of edits, the folder must hold exactly what plain `mkdocs serve`,
    which starts from an empty folder, makes of the same content."""
    root = demo_copy.root
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("pdf: true", "pdf: false"), encoding="utf-8")
    news = root / "docs/news/2025"
    port = free_port()
    preview = Preview(root, ["brochure", "serve"], port, tmp_path / "in-place")
    try:
        preview.wait_for_build(1)
        edits = [
            lambda: append(news / "06-09-shebao-yanxiuban-kaiban.md", "\n会后，学员们参观了校史馆。\n"),
            lambda: edit(news / "06-11-shebao-yanxiuban-xianchang-jiaoxue.md", "title: ", "title: 改过的"),
            lambda: (news / "09-26-xinfang-shegong-shixun-jieye.md").unlink(),
            lambda: edit(root / "programmes/libraries/lecturers.yml", "name: 张文华", "name: 张文桦"),
            # The names are as before: only the pages this rebuild wrote are marked for search
            # again (search.PreviewIndex), and this one must get the name's token.
            lambda: append(news / "06-09-shebao-yanxiuban-kaiban.md", "\n张文桦老师作了点评。\n"),
        ]
        for number, change in enumerate(edits, 2):
            change()
            preview.wait_for_build(number)
        preview.settle()
        assert not any("Page skipped" in line or "dirty" in line for line in preview.log), "".join(preview.log)
        in_place = tree_digest(preview.folder())
    finally:
        preview.stop()
    shutil.rmtree(root / ".cache")
    reference = Preview(root, ["mkdocs", "serve"], port, tmp_path / "clean")
    try:
        reference.wait_for_build(1)
        clean = tree_digest(reference.folder())
    finally:
        reference.stop()

    def pages(tree: dict) -> dict:
        # The admin's config names its own decap-server's port, which each preview picks anew.
        made_anew = ("pagefind/", "admin/config.yml")
        return {path: digest for path, digest in tree.items() if not path.startswith(made_anew)}

    assert pages(in_place) == pages(clean)
    assert not any(path.startswith("news/2025/09-26-") for path in in_place)


def append(path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.browser
def test_a_broken_file_shows_its_problems_in_the_browser_until_it_is_fixed(project, browser, tmp_path):
    """Under plain `mkdocs serve` a failed rebuild leaves every page waiting (curl timed out
    after 5 s). The editor must see what is wrong, where, and then the page again, unaided."""
    port = free_port()
    preview = Preview(project.root, ["brochure", "serve"], port, tmp_path / "preview")
    try:
        preview.wait_for_build(1)
        url = f"http://127.0.0.1:{port}/programmes/2025-test-yanxiuban/"
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url)
        assert "测试研修班" in page.inner_text("h1")
        project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("dates:", "datez:"))
        preview.wait_for_build(2)
        # Any address answers at once with the problems: this page, the home page, another.
        for address in (url, f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/news/"):
            started = time.monotonic()
            body = fetch_any(address)
            assert time.monotonic() - started < 5
            assert "内容检查未通过" in body and "programmes/2025-test-yanxiuban.yml:" in body, body
            assert "提示：" in body, "the problem comes without a hint"
        page.wait_for_selector("text=内容检查未通过", timeout=15_000)  # the open page reloaded itself
        project.programme("2025-test-yanxiuban", MINI_PROGRAMME.replace("测试研修班", "修好的研修班"))
        preview.wait_for_build(3)
        page.wait_for_selector("h1:has-text('修好的研修班')", timeout=15_000)
        page.close()
    finally:
        preview.stop()


def fetch_any(url: str) -> str:
    """The body, whatever the status (a problems page is the preview's 404 too)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.read().decode("utf-8")
