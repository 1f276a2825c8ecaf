"""`brochure serve` rebuilds the preview when an editor saves a YAML file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import BUILD_DATE_EPOCH, MINI_PROGRAMME


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
