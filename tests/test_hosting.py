"""The site under a sub-path, served by a real nginx with the deployers' config, crawled link by link."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import PREFIX, ROOT, copy_checkout, free_port, get, run_brochure
from htmlcheck import Page

pytestmark = pytest.mark.site


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


@pytest.mark.parametrize(
    ("path", "content_type", "compressed"),
    [
        ("programmes/2025-shebao-jingban-yanxiuban.ics", "text/calendar", True),  # Safari opens Calendar only for this
        ("sitemap.xml", "text/xml", True),
        ("news/feed.xml", "text/xml", True),
        ("data/programmes.json", "application/json", True),
        ("search/names.json", "application/json", True),
        ("robots.txt", "text/plain", False),  # under 1 KB: not worth compressing
    ],
)
def test_each_file_type_has_its_content_type_and_compression(served, path, content_type, compressed):
    status, headers, _ = get(served + path, {"Accept-Encoding": "gzip"})
    assert status == 200, path
    assert headers.get("Content-Type", "").split(";")[0] == content_type, (path, headers.get("Content-Type"))
    assert (headers.get("Content-Encoding") == "gzip") == compressed, (path, headers)


def test_pagefinds_hashed_chunks_are_cached_and_its_entry_revalidated(served):
    from conftest import SERVED_FROM

    root = SERVED_FROM[served]
    chunks = sorted(root.glob("pagefind/**/*.pf_*"))
    assert chunks
    chunk = chunks[0].relative_to(root).as_posix()
    assert "immutable" in get(served + chunk)[1].get("Cache-Control", ""), chunk
    assert get(served + "pagefind/pagefind-entry.json")[1].get("Cache-Control") == "no-cache"


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


def at_domain_root(block: str) -> str:
    """The config's header's steps for the domain root, done as written: delete the last block
    from its "# Sub-path only" comment to its closing brace, then / for /peixun/."""
    block, deleted = re.subn(r"\n    # Sub-path only.*?\n    \}\n", "\n", block, flags=re.DOTALL)
    assert deleted == 1, "the header names a block the config no longer has"
    return block.replace(PREFIX, "/")


def _serve_at_root(work: Path):
    """The demo built for http://127.0.0.1:PORT/ and served by nginx with the deployers' config
    as its header tells them to change it for the domain root (/ for /peixun/)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
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
    block = at_domain_root((ROOT / "scripts/deploy/nginx-site.conf").read_text(encoding="utf-8"))
    block = block.replace("listen       80;", f"listen       127.0.0.1:{port};")
    block = block.replace("/srv/www/brochure/", f"{site}/")
    user = "user root;" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {work}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        f"{user}\nworker_processes 1;\ndaemon off;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        f"events {{}}\nhttp {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log off;\n{temp}\n{block}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([nginx, "-p", str(work), "-c", str(work / "nginx.conf")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if get(base)[0] == 200:
                return base, process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(process.stderr.read().decode())


@pytest.fixture(scope="module")
def served_at_root(tmp_path_factory):
    base, process = _serve_at_root(tmp_path_factory.mktemp("nginx-root"))
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_at_the_domain_root_the_home_page_is_served_not_redirected(served_at_root):
    """A redirect loop (`location = / { return 301 /; }`) would give every reader an error page
    in place of the site; asked without following redirects, / answers with the page itself."""
    address = urlparse(served_at_root)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200, (response.status, response.getheader("Location"))
        assert "岱岳大学" in Page(response.read().decode("utf-8")).text
    finally:
        connection.close()


# Each copy's 404 page: its language, its title, and the labels of its two ways on.
NOT_FOUND = {
    "": ('lang="zh"', "页面不存在", "返回首页", "站内搜索"),
    "zh-hant/": ('lang="zh-Hant"', "頁面不存在", "返回首頁", "站內搜尋"),
}


@pytest.mark.parametrize("where", ["sub-path", "root"])
@pytest.mark.parametrize("copy", NOT_FOUND)
def test_a_missing_page_gets_its_copys_404_page_with_working_links(where, copy, request):
    base = request.getfixturevalue("served" if where == "sub-path" else "served_at_root")
    copy_root = base + copy
    missing = copy_root + "programmes/no-such-programme/"
    status, _, body = get(missing)
    assert status == 404
    html = body.decode("utf-8")
    language, title, home, search = NOT_FOUND[copy]
    page = Page(html)
    assert language in html and title in page.text and home in page.text and search in page.text
    assert [href for href in page.links + page.resources if href.startswith("//")] == []  # another host
    targets = {urljoin(missing, href).split("#")[0]: href for href in page.links + page.resources}
    assert copy_root in targets and copy_root + "search/" in targets
    feeds = [urljoin(missing, href) for href in re.findall(r'href="([^"]*feed\.xml)"', html)]
    assert feeds == [copy_root + "news/feed.xml"]
    targets.update(dict.fromkeys(feeds, "feed.xml"))
    other = base + ("" if copy else "zh-hant/")
    assert other in targets  # the language switch leads to the other copy's home page
    broken = []
    for target, href in sorted(targets.items()):
        parsed = urlparse(target)
        if parsed.scheme not in ("http", "https") or parsed.netloc != urlparse(base).netloc:
            continue
        assert parsed.path.startswith(urlparse(base).path), href
        assert "//" not in parsed.path, href
        if get(target)[0] != 200:
            broken.append(f"{href} -> {target}")
    assert broken == []
