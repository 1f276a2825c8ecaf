"""The browser admin under `brochure serve`: Decap CMS at /admin/, and its local backend.

Decap (vendored from npm through package-lock.json, served from the preview itself, so the
admin fetches nothing from another host) writes through decap-server, which runs beside the
preview on 127.0.0.1 and writes straight into the project folder. The preview then reloads
as for any other save. The configuration comes from the schema (cms.py).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
from pathlib import Path

from .cms import admin_config_yaml
from .config import Settings

log = logging.getLogger("mkdocs.plugins.brochure")

ADMIN = "admin"
# The project's own npm packages, or else those of the checkout this package runs from.
CHECKOUT_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def _page(title: str) -> str:
    return f"""<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>网站后台 - {title}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<script>
// mkdocs serve adds its live-reload script to every page, this one too; reloading after each
// save (every save rebuilds the preview) would throw away what the editor is typing elsewhere.
(function () {{
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {{
    if (String(url).indexOf("/livereload/") === 0) {{
      this.send = function () {{}};
      return;
    }}
    return open.apply(this, arguments);
  }};
}})();
</script>
</head>
<body>
<script src="decap-cms.js"></script>
</body>
</html>
"""


class Admin:
    """decap-server for one preview: started with the server, stopped with it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        modules = next((p for p in (settings.root / "node_modules", CHECKOUT_MODULES) if p.is_dir()), CHECKOUT_MODULES)
        self.dist = modules / "decap-cms/dist"
        self.server_script = modules / "decap-server/dist/index.js"
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
        backend = {"name": "proxy", "proxy_url": f"http://127.0.0.1:{self.port}/api/v1"}
        out: dict[str, str | Path] = {
            f"{ADMIN}/index.html": _page(self.settings.site_name or ""),
            f"{ADMIN}/config.yml": admin_config_yaml(self.settings, backend),
        }
        for path in sorted(self.dist.iterdir()):
            # The bundle and the chunks and WebAssembly it loads beside itself; not the source maps
            # (50 MB), nor the second copy of the bundle under the name cms.js.
            if path.name.endswith(("decap-cms.js", ".wasm")):
                out[f"{ADMIN}/{path.name}"] = path
        return out
