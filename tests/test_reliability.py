"""Output that is atomic and reproducible."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import BUILD_DATE_EPOCH


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_two_builds_of_the_same_input_are_byte_identical(demo_site: Path, demo_copy):
    """Everything: pages, sitemap, search index, feeds, calendars, JSON and PDFs (made afresh
    here, without the PDF cache the first build used)."""
    out = demo_copy.root / "again"
    result = demo_copy.brochure("build", "-d", str(out))
    assert result.returncode == 0, result.stderr
    first, second = tree_digest(demo_site), tree_digest(out)
    assert first.keys() == second.keys()
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []
    assert "sitemap.xml.gz" in first and "pagefind/pagefind-entry.json" in first


def test_a_build_killed_midway_leaves_the_previous_site(demo_copy):
    project = demo_copy
    assert project.brochure("build").returncode == 0
    site = project.root / "site"
    before = tree_digest(site)
    staging = project.root / ".site.building"

    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.Popen(
        [sys.executable, "-m", "brochure", "build"],
        cwd=project.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so that the kill reaches MkDocs too, as Ctrl+C would
    )
    deadline = time.monotonic() + 60
    while not any(staging.rglob("*.html")) and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.05)
    assert build.poll() is None, "the build finished before it could be interrupted"
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()

    assert tree_digest(site) == before  # not a byte changed, nothing half-written
    again = project.brochure("build")  # and the next build cleans up and succeeds
    assert again.returncode == 0, again.stderr
    assert not staging.exists()
