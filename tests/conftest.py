"""Shared fixtures: throwaway projects built from the real config, and the demo site built once."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import threading
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest

from brochure import localnginx
from brochure.problems import ContentError, Problem
from brochure.validate import load_settings, validate

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium as the tests run it: as root it needs --no-sandbox, and without the
# background-networking flags it keeps trying hosts this closed network refuses.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Statuses depend on "today"; tests pin it so they do not change meaning as time passes.
BUILD_DATE_EPOCH = "1795305600"  # 2026-11-22 00:00 UTC, 08:00 in China

MINI_LIBRARIES = {
    "lecturers": """
        - id: zhang-wenhua
          name: 张文华
          title: 教授
        - id: li-mingde
          name: 李明德
        """,
    "sites": """
        - id: menglianggu-memorial
          name: 孟良崮战役纪念馆
          kind: 红色教育基地
        """,
    "organisations": """
        - id: daiyue-spa
          name: 岱岳大学公共管理学院
        """,
}

MINI_PROGRAMME = """
    title: 测试研修班
    type: 研修班
    dates:
      start: 2025-06-09
      end: 2025-06-13
    venue:
      name: 知新楼
    host: daiyue-spa
    audience: 基层干部
    modules:
      - title: 模块一
        sessions:
          - title: 第一课
            lecturers: [zhang-wenhua]
            format: 专题讲座
            hours: 3
    timetable:
      - date: 2025-06-09
        items:
          - time: "08:30-11:30"
            title: 第一课
            lecturer: zhang-wenhua
    """


# A post that passes every check, with the full review chain, about MINI_PROGRAMME.
REVIEWED_POST = """---
title: 测试研修班开班
date: 2025-06-09 10:30
category: 培训动态
programme: 2025-test-yanxiuban
source: 岱岳大学公共管理学院
slug: kaiban
credits:
  供稿: 李晓彤
  编辑: 赵敏
  初审: 宋佳
  复审: 高志明
  审核发布: 张文华
---

6月9日上午，测试研修班开班。
"""


class Project:
    """A copy of the real site configuration with content the test chooses."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def programme(self, slug: str, text: str = MINI_PROGRAMME) -> Path:
        return self.write(f"programmes/{slug}.yml", text)

    def library(self, name: str, text: str) -> Path:
        return self.write(f"programmes/libraries/{name}.yml", text)

    @property
    def settings(self):
        return load_settings(self.root / "mkdocs.yml")

    def problems(self) -> list[Problem]:
        try:
            validate(self.settings)
        except ContentError as err:
            return sorted(err.problems.items)
        return []

    def brochure(self, *args: str) -> subprocess.CompletedProcess:
        return run_brochure(self.root, *args)


def png(width: int, height: int) -> bytes:
    """A real PNG of the given size (red), for photos in tests."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def run_brochure(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "brochure", *args], cwd=cwd, env=env, capture_output=True, text=True)


def copy_site_config(target: Path, with_news: bool = False) -> None:
    """The real mkdocs.yml and docs/; the demo's news only when asked (it names demo programmes)."""
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    news = ROOT / "docs" / "news"
    shutil.copytree(
        ROOT / "docs",
        target / "docs",
        ignore=None if with_news else lambda d, _: ["news"] if Path(d) == news.parent else [],
    )
    shutil.copytree(ROOT / "overrides", target / "overrides", dirs_exist_ok=True)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A small valid project: the real config and docs, a mini library and one programme."""
    copy_site_config(tmp_path)
    # Small projects test one thing each, in one build; the demo site covers the zh-Hant copy.
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("zh_hant: true", "zh_hant: false"), encoding="utf-8")
    p = Project(tmp_path)
    for name, text in MINI_LIBRARIES.items():
        p.library(name, text)
    p.programme("2025-test-yanxiuban")
    return p


@pytest.fixture
def demo_copy(tmp_path: Path) -> Project:
    """A full copy of the demo institution, to break on purpose."""
    copy_site_config(tmp_path, with_news=True)
    shutil.copytree(ROOT / "programmes", tmp_path / "programmes")
    return Project(tmp_path)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (which downloads no browser of its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def copy_checkout(target: Path) -> Path:
    """The project as a fresh clone has it: without the developer's .cache/, site/ or .venv/,
    so that no test reads what an earlier build in the checkout left there."""
    ignored = (".venv", ".git", ".cache", "site", ".site.*", "node_modules", ".*_cache", ".hypothesis")
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*ignored))
    return target


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo institution built once with --strict, as a reader would get it."""
    work = tmp_path_factory.mktemp("demo")
    out = work / "site"
    result = run_brochure(copy_checkout(work / "project"), "build", "--strict", "-d", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


PREFIX = "/peixun/"


def static_server(site: Path):
    """`site` served by Python's quiet file server on a free port: (server, its address).
    For pages read as files are (no nginx rules); shut it down with server.shutdown()."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def free_port() -> int:
    return localnginx.free_port()


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The demo built for http://127.0.0.1:PORT/peixun/ and served by nginx with the deployers' config."""
    assert localnginx.nginx(), "nginx is installed by scripts/setup-env for the tests"
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    base = f"http://127.0.0.1:{port}{PREFIX}"

    project = copy_checkout(work / "project")
    config = project / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    config.write_text(
        "\n".join(f"site_url: {base}" if line.startswith("site_url:") else line for line in lines) + "\n",
        encoding="utf-8",
    )
    site = work / "www"
    result = run_brochure(project, "build", "-d", str(site))
    assert result.returncode == 0, result.stderr

    with localnginx.serving(site, work / "nginx", PREFIX, port) as served_base:
        SERVED_FROM[served_base] = site
        yield served_base


# The folder each nginx of `served` serves, by its address: for what HTTP cannot list.
SERVED_FROM: dict[str, Path] = {}


# Each test says what it needs (pyproject.toml declares them): `pytest -m unit` runs in seconds.
KINDS = ("unit", "site", "browser")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects, so that no unmarked test hides behind it
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    unmarked = [item.nodeid for item in items if not any(item.get_closest_marker(kind) for kind in KINDS)]
    if unmarked:
        raise pytest.UsageError(
            "mark these tests unit, site or browser (pytestmark = pytest.mark.unit at the top of the"
            " module, or a decorator):\n  " + "\n  ".join(unmarked)
        )
