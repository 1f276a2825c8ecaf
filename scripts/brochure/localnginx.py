"""A built site served on this machine by a real nginx with the deployers' configuration
(scripts/deploy/nginx-site.conf), as readers get it: its content types, compression, caching
and 404 pages. The tests and the benchmark's measured search download use it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEPLOY_CONFIG = Path(__file__).resolve().parents[2] / "scripts" / "deploy" / "nginx-site.conf"
DEPLOY_PREFIX = "/peixun/"  # the address path the deployers' config is written for


def nginx() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).exists() else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_block(site: Path, port: int, prefix: str = DEPLOY_PREFIX) -> str:
    """The deployers' server block for `site` on 127.0.0.1:port, under `prefix` ("/" for a
    site at the domain root, changed as the file's header tells deployers to change it)."""
    block = DEPLOY_CONFIG.read_text(encoding="utf-8")
    block = block.replace("listen       80;", f"listen       127.0.0.1:{port};")
    block = block.replace("/srv/www/brochure/", f"{site}/")
    if prefix != DEPLOY_PREFIX:
        # The header's steps for the domain root: the sub-path's redirect block goes first.
        block = re.sub(r"\n    # Sub-path only.*?\n    \}\n", "\n", block, flags=re.DOTALL)
        block = block.replace(DEPLOY_PREFIX, prefix)
    return block


@contextmanager
def serving(site: Path, work: Path, prefix: str = DEPLOY_PREFIX, port: int | None = None) -> Iterator[str]:
    """nginx serving `site` (on `port`, the one its site_url names, or any free one) until the
    block ends; yields the site's address."""
    binary = nginx()
    if binary is None:
        raise RuntimeError("nginx is not installed (scripts/setup-env installs it for the tests)")
    work.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    base = f"http://127.0.0.1:{port}{prefix}"
    user = "user root;" if os.geteuid() == 0 else ""
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"    {kind}_temp_path {work}/{kind};" for kind in kinds)
    (work / "nginx.conf").write_text(
        f"{user}\nworker_processes 1;\ndaemon off;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        f"events {{}}\nhttp {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log off;\n{temp}\n{server_block(site, port, prefix)}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([binary, "-p", str(work), "-c", str(work / "nginx.conf")], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(base, timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    said = (process.stderr.read() if process.stderr else b"").decode()
                    raise RuntimeError(said or "nginx did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
