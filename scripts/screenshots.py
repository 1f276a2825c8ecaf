"""Screenshots of each page type at phone and desktop size, and of a PDF brochure's first page.

Run through `bash scripts/screenshots` (which sets up .venv). The demo is built on the tests'
pinned date (SOURCE_DATE_EPOCH), so the statuses and the 正在报名 list are the same on every
run, served from 127.0.0.1, and photographed in Chromium with Playwright. Each picture is the
page from its top, down to at most two screens, as a 256-colour PNG: text and flat colour lose
nothing to the palette, and each file is a fifth of the size.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
# The tests' "today" (tests/conftest.py BUILD_DATE_EPOCH): 2026-11-22 in China.
BUILD_DATE_EPOCH = "1795305600"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SIZES = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}
# How much of a page each picture holds, in screens: the first screen and what follows it, not
# a programme page's whole 12-day timetable.
SCREENS = 2
# One page of each type. The search page with a lecturer's name in the address, as the
# header's search form leaves it.
PAGES = {
    "home": "",
    "programme-index": "programmes/",
    "programme": "programmes/2025-shebao-jingban-yanxiuban/",
    "lecturer": "lecturers/guo-yun/",
    "site": "sites/menglianggu-memorial/",
    "news-index": "news/",
    "news-post": "news/2025/06-09-shebao-yanxiuban-kaiban/",
    "archive": "news/archive/2025/",
    "search": "search/?q=" + quote("郭芸"),
    "404": "404.html",
}
PDF = "programmes/2027-shequ-zhili-nengli-tisheng-peixunban.pdf"  # the demo's one programme not yet ended


def chromium() -> str:
    """Debian's Chromium, as the tests use it (Playwright downloads no browser of its own)."""
    return shutil.which("chromium") or "/usr/bin/chromium"


def build(target: Path) -> Path:
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "brochure", "build", "-d", str(target)], cwd=ROOT, env=env, check=True)
    return target


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def save_small(png: bytes, path: Path) -> int:
    """The picture as a 256-colour PNG; its size in bytes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    return path.stat().st_size


def photograph(browser, url: str, viewport: dict, path: Path, search: bool) -> int:
    page = browser.new_page(viewport=viewport)
    page.goto(url)
    page.wait_for_load_state("load")
    if search:
        page.wait_for_selector(".brochure-search__result", timeout=15000)
    page.wait_for_timeout(500)  # Material's header tabs fade in
    height = min(page.evaluate("document.documentElement.scrollHeight"), viewport["height"] * SCREENS)
    png = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})
    page.close()
    return save_small(png, path)


def pdf_page(site: Path, path: Path) -> int:
    with tempfile.TemporaryDirectory() as work:
        stem = Path(work) / "page"
        command = ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(site / PDF), str(stem)]
        subprocess.run(command, check=True)
        return save_small(stem.with_suffix(".png").read_bytes(), path)


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a site already built (default: build the demo)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs/editors/screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        site = args.site or build(Path(work) / "site")
        server, base = serve(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
                for kind, address in PAGES.items():
                    for size, viewport in SIZES.items():
                        path = args.out / f"{kind}-{size}.png"
                        n = photograph(browser, base + address, viewport, path, kind == "search")
                        print(f"{shown(path)}  {n // 1024} KB")
                browser.close()
        finally:
            server.shutdown()
        path = args.out / "pdf-page-1.png"
        print(f"{shown(path)}  {pdf_page(site, path) // 1024} KB")


if __name__ == "__main__":
    main()
