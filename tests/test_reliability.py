"""Output that is atomic and reproducible."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brochure.model import build_catalogue
from brochure.pdf import brochure_html, brochure_pdf, brochure_pdfs
from brochure.render import render_site
from brochure.validate import validate
from conftest import BUILD_DATE_EPOCH, MINI_PROGRAMME

pytestmark = pytest.mark.site  # builds, and PDFs typeset by WeasyPrint


# Pagefind 1.5.2 writes its filter index (the name and kind filters, namefilters.py) in a new
# order on every run: two runs over one unchanged site give different filter chunks, and so a
# different meta file and entry file, which name them by hash. Those are counted, not hashed;
# every page, fragment and word chunk is still compared byte for byte.
# Each part of the index (search.py) is such a bundle.
_UNORDERED = re.compile(
    r"(^|/)pagefind/(parts/[^/]+/)?(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)$"
)


def tree_digest(root: Path) -> dict[str, str]:
    digest: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        name = p.relative_to(root).as_posix()
        if _UNORDERED.search(name):
            kind = _UNORDERED.sub(
                lambda m: m.group(1) + "pagefind/" + (m.group(2) or "") + m.group(3).split("/")[0].split(".")[0], name
            )
            digest[kind] = str(int(digest.get(kind, "0")) + 1)
        else:
            digest[name] = hashlib.sha256(p.read_bytes()).hexdigest()
    return digest


def test_two_builds_of_the_same_input_are_byte_identical(demo_site: Path, demo_copy):
    """Everything: pages, sitemap, search index, feeds, calendars, JSON and PDFs (each build in
    its own copy of the project, with its own caches; neither reads the checkout's .cache/)."""
    out = demo_copy.root / "again"
    result = demo_copy.brochure("build", "-d", str(out))
    assert result.returncode == 0, result.stderr
    first, second = tree_digest(demo_site), tree_digest(out)
    assert first.keys() == second.keys()
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []
    assert "sitemap.xml.gz" in first and first["pagefind/pagefind-entry"] == "1"  # the index, counted


def test_a_build_killed_midway_leaves_the_previous_site(demo_copy):
    project = demo_copy
    assert project.brochure("build").returncode == 0
    site = project.root / "site"
    before = tree_digest(site)
    staging = project.root / ".site.building"
    # An edit, so that the next build has work to do (with nothing changed it does none).
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")

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


def demo_brochures(project) -> list[str]:
    """The demo programmes' brochures as the PDF engine receives them."""
    settings = project.settings
    catalogue = build_catalogue(validate(settings), settings)
    pages = render_site(catalogue, settings, has_pdf=True)
    site = "https://example.org/peixun/"
    return [brochure_html(pages[p.path], p.title, "岱岳大学", site, site) for p in catalogue.programmes]


def test_pdfs_are_the_same_bytes_with_one_worker_or_several_cold_or_warm(demo_copy, tmp_path):
    htmls = demo_brochures(demo_copy)
    assert len(htmls) >= 6  # enough for three workers to share (parallel.fork_map)

    def typeset(pages: list[str], cache: Path, workers: int) -> list[bytes]:
        return [pdf.read_bytes() for pdf in brochure_pdfs(pages, cache, workers)]

    one = typeset(htmls, tmp_path / "one", workers=1)
    several = typeset(htmls, tmp_path / "several", workers=3)
    backwards = typeset(htmls[::-1], tmp_path / "backwards", workers=2)[::-1]
    warm = typeset(htmls, tmp_path / "one", workers=3)
    warm_again = typeset(htmls, tmp_path / "several", workers=1)
    assert several == one
    assert backwards == one  # made in another order, by other workers
    assert warm == one and warm_again == one
    assert len(set(one)) == len(htmls) and all(pdf.startswith(b"%PDF-") for pdf in one)


CHEERFUL = brochure_html("# 开班通知 ☺\n\n报名截止：2025年6月1日。", "开班通知", "岱岳大学", "", "")


def test_a_pdf_cached_before_libharfbuzz_subset_was_installed_is_made_again(tmp_path, monkeypatch):
    """What a fresh clone did: `scripts/build` made the PDFs before `scripts/test` installed
    Chromium, which pulls in libharfbuzz-subset0; WeasyPrint subsets fonts with fontTools
    without it and with HarfBuzz with it, and the bytes differ."""
    import weasyprint.pdf.fonts

    harfbuzz_subset = weasyprint.pdf.fonts.harfbuzz_subset
    assert harfbuzz_subset is not None, "libharfbuzz-subset0 comes with Chromium (scripts/setup-env)"
    cache = tmp_path / "cache"
    with monkeypatch.context() as before:
        before.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
        made_without = brochure_pdf(CHEERFUL, cache)
    made_with = brochure_pdf(CHEERFUL, cache)
    assert made_with == brochure_pdf(CHEERFUL, tmp_path / "cold")
    assert made_with != made_without


def test_a_pdf_cached_before_a_font_was_installed_is_made_again(tmp_path, monkeypatch):
    """☺ is not in Noto Sans CJK: once a font that has it is installed, the PDF shows it."""
    fonts, more_fonts = tmp_path / "fonts", tmp_path / "more-fonts"  # the second not there yet
    fonts.mkdir()

    def font_file(query: str) -> Path:
        found = subprocess.run(["fc-match", "-f", "%{file}", query], capture_output=True, text=True).stdout
        return Path(found)

    cjk, smiley = font_file("Noto Sans CJK SC"), font_file(":charset=263a")  # from the system's fonts
    (fonts / "cjk.ttc").symlink_to(cjk)
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{fonts}</dir><dir>{more_fonts}</dir>"
        f"<cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    cache = tmp_path / "cache"
    before = brochure_pdf(CHEERFUL, cache)
    more_fonts.mkdir()  # a font package installs its own folder
    (more_fonts / "smiley.ttf").symlink_to(smiley)
    after = brochure_pdf(CHEERFUL, cache)
    assert after == brochure_pdf(CHEERFUL, tmp_path / "cold")
    assert after != before


# Runs `brochure build` and dies, as a kill would, at the first moment site/ has no site in it:
# after every rename and removal the build makes, site/index.html is looked for.
WORST_MOMENT = """
import os, shutil, sys
from pathlib import Path
import brochure.publish
from brochure.cli import main

site = Path("site").resolve()
if sys.argv[1] == "without-exchange":  # as on macOS, or a file system without renameat2
    brochure.publish._exchange = lambda a, b: False

def watched(func):
    def step(*args, **kwargs):
        result = func(*args, **kwargs)
        if not (site / "index.html").is_file():
            os._exit(137)
        return result
    return step

Path.rename, os.rename, os.replace = watched(Path.rename), watched(os.rename), watched(os.replace)
shutil.rmtree = watched(shutil.rmtree)
sys.exit(main(["build"]))
"""


def build_dying_at_the_worst_moment(project, how: str) -> int:
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-c", WORST_MOMENT, how]
    return subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True).returncode


def test_site_holds_the_old_or_the_new_site_at_every_moment_of_the_swap(project):
    assert project.brochure("build").returncode == 0
    project.write("programmes/2025-second.yml", MINI_PROGRAMME.replace("测试研修班", "第二期"))
    assert build_dying_at_the_worst_moment(project, "with-exchange") == 0  # it never had to die
    assert (project.root / "site/programmes/2025-second/index.html").is_file()
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == []


def test_a_swap_killed_halfway_without_renameat2_is_undone_by_the_next_build(project):
    assert project.brochure("build").returncode == 0
    before = tree_digest(project.root / "site")
    project.write("programmes/2025-second.yml", MINI_PROGRAMME.replace("测试研修班", "第二期"))
    assert build_dying_at_the_worst_moment(project, "without-exchange") == 137  # between its two renames
    project.write("programmes/2025-second.yml", MINI_PROGRAMME.replace("end: 2025-06-13", "end: 2025-06-01"))
    failed = project.brochure("build")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert tree_digest(project.root / "site") == before  # the old site is back, as it was
    project.programme("2025-second", MINI_PROGRAMME.replace("测试研修班", "第二期"))
    assert project.brochure("build").returncode == 0
    assert (project.root / "site/programmes/2025-second/index.html").is_file()
    assert not (project.root / ".site.old").exists()
