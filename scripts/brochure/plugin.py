"""The MkDocs plugin: validate the YAML, then hand the generated pages to MkDocs in memory.

Pages are added with `File.generated`, so nothing is written into docs/. That keeps
`mkdocs serve` out of rebuild loops (mkdocs#2284) and keeps the source tree clean.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .config import DEFAULT_PROGRAMME_TYPES, DEFAULT_SESSION_FORMATS, settings_from_options
from .model import Catalogue, build_catalogue
from .problems import ContentError
from .render import LABELS, TEMPLATES, render_block, render_site
from .validate import validate

# An editor puts <!-- brochure:current-programmes --> in a hand-written page (the home page).
BLOCK_MARKER = re.compile(r"<!--\s*brochure:([a-z-]+)\s*-->")


def _quiet_jieba() -> None:
    """jieba (Chinese word segmentation for search) logs its dictionary loading at INFO to
    stderr on every build; editors should only see what needs their attention."""
    try:
        import jieba
    except ImportError:  # search still works, but finds fewer Chinese words mid-sentence
        return
    jieba.setLogLevel(logging.WARNING)


class BrochureConfig(base.Config):
    content_dir = c.Type(str, default="programmes")
    build_date = c.Optional(c.Type(str))
    programme_types = c.ListOfItems(c.Type(str), default=list(DEFAULT_PROGRAMME_TYPES))
    session_formats = c.ListOfItems(c.Type(str), default=list(DEFAULT_SESSION_FORMATS))


class BrochurePlugin(BasePlugin[BrochureConfig]):
    def on_config(self, config):
        _quiet_jieba()
        root = Path(config.config_file_path).parent.resolve()
        options = {k: v for k, v in self.config.items() if v is not None}
        self.settings = settings_from_options(root, options, config.docs_dir, config.theme.get("language", "zh"))
        self.catalogue: Catalogue | None = None
        return config

    def on_pre_build(self, config):
        # Runs before MkDocs cleans site/, so invalid content leaves the old site as it was.
        try:
            content = validate(self.settings)
        except ContentError as err:
            raise PluginError("内容检查未通过：\n" + str(err)) from None
        self.catalogue = build_catalogue(content, self.settings.build_date)

    def on_files(self, files: Files, config) -> Files:
        assert self.catalogue is not None
        pages = render_site(self.catalogue, self.settings)
        clashes = [path for path in pages if files.get_file_from_path(path) is not None]
        if clashes:
            raise PluginError(
                "以下页面由班次数据自动生成，但 docs/ 里已有同名文件，请删除或改名：\n"
                + "\n".join(f"  docs/{path}" for path in clashes)
            )
        for path, markdown in pages.items():
            # Detail pages are reached from index pages, never listed in the nav: a nav entry per
            # page makes Material's build time grow with the square of the page count.
            is_index = path.endswith("/index.md")
            inclusion = InclusionLevel.UNDEFINED if is_index else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=markdown, inclusion=inclusion))
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if "brochure:" not in markdown:
            return markdown
        assert self.catalogue is not None
        catalogue, settings, page_path = self.catalogue, self.settings, page.file.src_uri

        def block(match: re.Match) -> str:
            name = match.group(1)
            if not (TEMPLATES / f"block-{name}.md.j2").exists():
                raise PluginError(f"docs/{page_path}: 未知的区块 “{name}”。可用：current-programmes。")
            return render_block(catalogue, settings, name, page_path)

        return BLOCK_MARKER.sub(block, markdown)

    def on_serve(self, server, config, builder):
        # Editors change YAML, labels and templates as often as Markdown; reload on all of them.
        for path in (self.settings.content_dir, TEMPLATES, LABELS):
            if path.exists():
                server.watch(str(path))
        return server
