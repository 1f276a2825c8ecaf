"""The site under a sub-path, served by a real nginx with the deployers' config, crawled link by link."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import ROOT
from htmlcheck import Page

PREFIX = "/peixun/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is installed by scripts/setup-env for the tests"
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    base = f"http://127.0.0.1:{port}{PREFIX}"

    project = work / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "site", ".git", ".cache", ".site.*"))
    config = project / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    config.write_text(
        "\n".join(f"site_url: {base}" if line.startswith("site_url:") else line for line in lines) + "\n",
        encoding="utf-8",
    )
    from conftest import run_brochure

    site = work / "www"
    result = run_brochure(project, "build", "-d", str(site))
    assert result.returncode == 0, result.stderr

    server_block = (ROOT / "scripts/deploy/nginx-site.conf").read_text(encoding="utf-8")
    server_block = server_block.replace("listen       80;", f"listen       127.0.0.1:{port};")
    server_block = server_block.replace("/srv/www/peixun/", f"{site}/")
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    types {{ text/calendar ics; }}
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    {server_block}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen([nginx, "-p", str(work), "-c", str(work / "nginx.conf")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if get(base)[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError(process.stderr.read().decode())
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_every_link_works_and_none_escapes_the_sub_path(served):
    base = served
    origin = urlparse(base)
    seen, queue, broken, escaping = {base}, [base], [], []
    while queue:
        url = queue.pop()
        status, headers, body = get(url)
        if status != 200:
            broken.append(f"{url} -> {status}")
            continue
        if "text/html" not in headers.get("Content-Type", ""):
            continue
        page = Page(body.decode("utf-8"))
        for href in page.links + page.resources:
            target = urljoin(url, href).split("#")[0]
            parsed = urlparse(target)
            if parsed.scheme not in ("http", "https") or parsed.netloc != origin.netloc:
                continue  # mailto: and other sites (the ICP record site) are not ours to crawl
            if not parsed.path.startswith(PREFIX):
                escaping.append(f"{url}: {href}")
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert broken == []
    assert escaping == []
    assert len(seen) > 100  # the crawl reached the whole site, not one page


def test_missing_page_gets_the_404_page(served):
    status, _, body = get(served + "programmes/no-such-programme/")
    assert status == 404
    text = body.decode("utf-8")
    assert "404" in text
    for href in Page(text).resources:
        assert urljoin(served + "programmes/no-such-programme/", href).startswith(served) or href.startswith("data:")


def test_assets_are_compressed_and_cached(served):
    status, headers, body = get(served, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    html = gzip.decompress(body).decode("utf-8")
    css = next(h for h in Page(html).resources if "main." in h and h.endswith(".css"))
    status, headers, _ = get(urljoin(served, css), {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers.get("Cache-Control", "")
    assert get(served)[1].get("Cache-Control") == "no-cache"
