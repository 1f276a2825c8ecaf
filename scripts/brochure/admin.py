"""The browser admin under `brochure serve`: Decap CMS at /admin/, and its local backend.

Decap (vendored from npm through package-lock.json, served from the preview itself, so the
admin fetches nothing from another host) writes through decap-server, which runs beside the
preview on 127.0.0.1 and writes straight into the project folder. The preview then reloads
as for any other save. The admin's files and configuration come from cms.py, which also makes
the admin a built site publishes (the `admin` option).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
from pathlib import Path

from .cms import admin_files, decap_dist
from .config import Settings

log = logging.getLogger("mkdocs.plugins.brochure")


class Admin:
    """decap-server for one preview: started with the server, stopped with it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.dist = decap_dist(settings)
        self.server_script = self.dist.parents[1] / "decap-server/dist/index.js"
        self.node = shutil.which("node")
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def available(self) -> bool:
        return bool(self.node) and (self.dist / "decap-cms.js").is_file() and self.server_script.is_file()

    def start(self) -> None:
        if not self.available:
            log.warning("网页后台不可用：需要 Node.js 和 npm 依赖（运行 bash scripts/build 会安装）。预览照常。")
            return
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {
            **os.environ,
            "PORT": str(self.port),
            "BIND_HOST": "127.0.0.1",  # only this machine may write into the project
            "GIT_REPO_DIRECTORY": str(self.settings.root),
            "MODE": "fs",
            "LOG_LEVEL": "warn",
        }
        # The server ends when its stdin does, that is when this process ends, however it ends:
        # `mkdocs serve` stopped by a signal never runs the plugin's on_shutdown.
        keeper = "process.stdin.on('end', () => process.exit(0)); process.stdin.resume(); require(process.argv[1])"
        self.process = subprocess.Popen(
            [str(self.node), "-e", keeper, str(self.server_script)],
            env=env,
            cwd=self.settings.root,
            stdin=subprocess.PIPE,
        )

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def files(self) -> dict[str, str | Path]:
        """{path in the site: text, or the file to copy} for /admin/."""
        if self.process is None:
            return {}
        return admin_files(self.settings, {"name": "proxy", "proxy_url": f"http://127.0.0.1:{self.port}/api/v1"})
