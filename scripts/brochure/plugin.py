"""The MkDocs plugin: validate the YAML, then hand the generated pages to MkDocs in memory.

Pages are added with `File.generated`, so nothing is written into docs/. That keeps
`mkdocs serve` out of rebuild loops (mkdocs#2284) and keeps the source tree clean.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .admin import Admin
from .collector import BuildCollector
from .generated import GenerationMemo
from .images import improve_images
from .pagecache import (
    CACHED_TEMPLATE,
    CACHED_TEMPLATE_SOURCE,
    Lookup,
    PageCache,
    every_page,
    lookup_of,
    outcome,
    prerender,
)
from .preview import PreviewFolder, WatchHold
from .previous import PreviousSite, hide_dirty_warning
from .problems import ContentError, problems_page, report_drafts
from .recipe import Site, SiteError, apply_changes, build_site, config_changes
from .render import LABELS, TEMPLATES, keep_names_whole
from .sanitise import clean_html, site_host
from .schema import PLUGIN_OPTIONS
from .search import INDEXED_BY_CALLER, PreviewIndex, index_site
from .validate import load_settings, validate_once
from .variant import active_variant

log = logging.getLogger("mkdocs.plugins.brochure")

# MkDocs only learns the option names; validate.load_settings checks the values and reports
# mistakes with mkdocs.yml's line numbers, like any content problem.
BrochureConfig = type(
    "BrochureConfig", (base.Config,), {name: c.Optional(c.Type(object)) for name in PLUGIN_OPTIONS.fields}
)


class BrochurePlugin(BasePlugin[BrochureConfig]):
    workers = 1
    serving = False
    preview_index: PreviewIndex | None = None
    memo: GenerationMemo | None = None
    preview_folder: PreviewFolder | None = None
    admin: Admin | None = None  # the browser admin, under serve (admin.py)
    previous: PreviousSite | None = None  # what `brochure build` takes over from the published site

    def on_startup(self, command, dirty):
        # Defining this makes `mkdocs serve` keep one instance across rebuilds.
        self.serving = command == "serve"
        self.dirty = dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(hide_dirty_warning)
        # `brochure serve` asks for --dirty: the preview folder is then updated in place.
        self.preview_folder = PreviewFolder() if self.serving and dirty else None
        self.kept_pages: dict[str, dict] = {}  # page cache entries between rebuilds (pagecache.py)
        self.collector = BuildCollector()
        self.watch = WatchHold()  # serve's file watcher waits while a rebuild runs

    def on_shutdown(self):
        if self.admin is not None:
            self.admin.stop()
        self.collector.close()
        if self.preview_index is not None:
            self.preview_index.stop()

    def on_config(self, config):
        try:
            self.settings = load_settings(Path(config.config_file_path))
        except ContentError as err:
            raise PluginError("配置检查未通过：\n" + str(err)) from None
        if self.serving:
            # The preview shows drafts and posts not yet due, with banners, and the 待审 page.
            self.settings = replace(self.settings, preview=True)
        apply_changes(config, config_changes(self.settings, active_variant(), config))
        if self.serving and self.admin is None and not active_variant():
            self.admin = Admin(self.settings)  # started once, before the first build
            self.admin.start()
        self.site: Site | None = None
        memo = GenerationMemo(self.settings.cache_dir, active_variant())
        if self.memo is None or self.memo.path != memo.path:
            self.memo = memo  # else keep the one holding the last result in memory (serve)
        return config

    def on_pre_build(self, config):
        # Checking and rendering fork a process per extra core (parallel.py), which is safe
        # only while this process has one thread: `mkdocs build`, and the first build of
        # `mkdocs serve`. Its rebuilds run beside the web server's threads, on one core.
        self.workers = (os.cpu_count() or 1) if threading.active_count() == 1 else 1
        if self.preview_index is not None:
            self.preview_index.stop()
        self.watch.building.set()
        self.collector.pause()  # until generation is done, or a preview rebuild's end (collector.py)
        # Runs before MkDocs cleans site/, so invalid content leaves the old site as it was.
        self.problems: ContentError | None = None
        try:
            self.content = validate_once(self.settings, self.workers)
        except ContentError as err:
            if not self.serving:
                raise PluginError("内容检查未通过：\n" + str(err)) from None
            # Under serve the problems become the preview (on_post_build). Raising would leave
            # every page in the browser waiting for a build that never comes (MkDocs' livereload).
            log.error("内容检查未通过：\n" + str(err))
            self.problems = err
            self.cache = None
            return
        content = self.content
        if content.draft_problems and not active_variant() and not os.environ.get(INDEXED_BY_CALLER):
            # Shown as a warning, so `mkdocs build --strict` stops on it; `brochure build` has
            # already shown them (and applied its own --strict) before MkDocs started.
            log.warning(report_drafts(content.draft_problems))
        self.cache = (
            None
            if os.environ.get("BROCHURE_NO_PAGE_CACHE")
            else PageCache(self.settings.cache_dir, config, active_variant(), self.kept_pages if self.serving else None)
        )
        # `brochure build` records what it writes; with --dirty, into its empty staging folder
        # (cli.py), pages and files as the published site has them are linked from it (previous.py).
        self.previous = None
        if self.cache and not self.serving:
            self.previous = PreviousSite.from_environment(self.settings.cache_dir, active_variant(), self.dirty)

    def on_files(self, files: Files, config) -> Files:
        if self.admin is not None:
            # Also while the content has problems: the editor may mend them in the admin.
            for path, source in self.admin.files().items():
                if isinstance(source, Path):
                    files.append(File.generated(config, path, abs_src_path=str(source)))
                else:
                    files.append(File.generated(config, path, content=source))
        if self.problems:
            for file in [f for f in files if f.is_documentation_page()]:
                files.remove(file)  # nothing is built from content that did not pass
            if self.preview_folder:
                self.preview_folder.begin(files)
            return files
        try:
            self.site = site = build_site(self.settings, active_variant(), self.workers, self.memo, self.content)
        except SiteError as err:
            raise PluginError(str(err)) from None
        self._place_posts(files, config)
        for path in site.withheld:
            file = files.get_file_from_path(path)
            if file is not None:
                files.remove(file)  # a photo only drafts (or posts not yet due) show
        if not self._preview_rebuild:
            self.collector.resume()  # the page pass and PDFs leave cyclic garbage (collector.py)
        clashes = [path for path in site.pages if files.get_file_from_path(path) is not None]
        if clashes:
            raise PluginError(
                "以下页面由程序自动生成，但 docs/ 里已有同名文件，请删除或改名：\n"
                + "\n".join(f"  docs/{path}" for path in clashes)
            )
        for path, markdown in site.pages.items():
            # Detail pages are reached from index pages, never listed in the nav: a nav entry per
            # page makes Material's build time grow with the square of the page count.
            inclusion = InclusionLevel.UNDEFINED if path in site.sections else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=markdown, inclusion=inclusion))
        for path, content in site.files.items():
            if isinstance(content, Path):  # a brochure, copied from where pdf.py keeps it
                files.append(File.generated(config, path, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, path, content=content))
        if self.preview_folder:
            self.preview_folder.begin(files)
        return files

    def _place_posts(self, files: Files, config) -> None:
        """Publish each post at its date-and-slug URL; drop drafts and posts not yet due."""
        prefix = self.settings.news_dir + "/"
        for file in list(files):
            if not (file.src_uri.startswith(prefix) and file.is_documentation_page()):
                continue
            post = self.site.posts.get(file.src_uri)
            if post is None:
                files.remove(file)  # a draft, or dated after the build date
                continue
            dest = post.url + "index.html"
            if file.dest_uri != dest:
                file.dest_uri = dest
                file.url = post.url if config.use_directory_urls else dest
                file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, dest))
            file.inclusion = InclusionLevel.NOT_IN_NAV

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        assert self.site is not None
        try:
            markdown, meta = self.site.finish(page.file.src_uri, markdown, page.meta)
        except SiteError as err:
            raise PluginError(str(err)) from None
        page.meta.update(meta)
        # The sitemap's <lastmod>: the day the content says the page last changed, in Beijing
        # time (recipe.Site.page_meta), not MkDocs' build day in UTC; none where nothing says.
        page.update_date = meta["brochure"].get("lastmod", "")
        cached = False
        if self.cache:
            # The Markdown is final here; if the page's HTML from an earlier build still
            # holds for it, MkDocs writes that instead of rendering (see pagecache.py).
            names = self.site.lecturer_names if page.file.src_uri in self.site.posts else ()
            key = self.cache.key(page, markdown, "\0".join(names))  # one part: hundreds of names
            last = self.previous.reusable(page, key, self.cache.still_valid) if self.previous else None
            if last is not None:
                self.previous.take_page(page, last)
                self.cache.taken(page)
                cached = True
            else:
                cached = self.cache.lookup(page, key)
            page.brochure_lookup = Lookup(key, self.cache.warnings.count, cached)
        if not cached:
            self.collector.converting()
        return markdown

    def on_nav(self, nav, config, files):
        if self.problems:
            return nav
        if self.site.convert:
            for item in _walk(nav.items):
                if item.title:
                    item.title = self.site.convert(item.title)
        if self.previous is not None:
            # Here, once: the files' inclusion is final, and prerender's forks have not begun.
            self.previous.take_files(files)
        if self.cache:
            # Written after the pages, in on_post_build, but links to it are as good as any.
            self.cache.set_nav(nav, files, extra={f"{self.settings.news_dir}/feed.xml"})
            if self.workers > 1:
                prerender(self.cache, config, files, nav, self.workers, self.previous)
            if self.preview_folder:
                pages = every_page(files, config, InclusionLevel.is_in_serve)
                inputs = (self.cache.site_key, self.cache.nav_key, self.content.digest, repr(self.site.settings))
                cache = self.cache
                self.preview_folder.leave_unchanged(pages, inputs, self._source, cache.still_valid, cache.carry)
        return nav

    def _source(self, file) -> object:
        """What a page is made from, besides what the whole site is: a generated page's Markdown,
        or the size and time of an editor's file."""
        generated = self.site.pages.get(file.src_uri)
        if generated is not None:
            return generated
        try:
            stat = os.stat(file.abs_src_path)
        except OSError:
            return None  # gone since it was listed: read again, and MkDocs reports it
        return file.abs_src_path, stat.st_size, stat.st_mtime_ns

    def on_env(self, env, config, files):
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        if pages and not any(page.update_date for page in pages):
            # MkDocs dates the sitemap's .gz by the latest page date, and needs one.
            pages[0].update_date = self.settings.build_date.isoformat()
        if self.cache:
            env.loader = jinja2.ChoiceLoader([env.loader, jinja2.DictLoader({CACHED_TEMPLATE: CACHED_TEMPLATE_SOURCE})])
        # Material's templates compiled once, not in every build and forked worker that renders
        # a page (about half a second each); Jinja checks each against its template's source.
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(self._folder("templates")))
        return env

    def _folder(self, name: str) -> Path:
        folder = self.settings.cache_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def on_page_content(self, html: str, page, config, files) -> str:
        if lookup_of(page).hit:
            return html  # the finished page, from the cache
        if page.file.src_uri in self.site.posts or page.file.src_uri in self.site.details:
            # Editors' Markdown (a post's body; a summary, bio or description) lets raw HTML
            # through. `check` reports it; this makes sure none of it is published regardless.
            html = clean_html(html, site_host(config.site_url))
        if page.file.src_uri in self.site.posts:
            html = keep_names_whole(html, self.site.lecturer_names)
        # Photos get their size (no layout jump), lazy loading, and in posts a caption.
        return improve_images(html, page, files, captions=page.file.src_uri in self.site.posts)

    def on_post_page(self, output: str, page, config) -> str:
        found = lookup_of(page)
        if self.cache and not found.hit:
            self.cache.store(page, found.key, output, found.warnings, page.content)
        written = outcome(page, found.key) if self.previous is not None else None
        if written is not None and found.warnings == self.cache.warnings.count:
            self.previous.wrote(page, written)
        # MkDocs keeps every page to the end of the build; its text is no longer needed. At
        # 6,000 pages the texts held about 100 MB at the build's peak (docs/benchmarks.md).
        page.content = page.markdown = None
        if self.preview_folder:
            return self.preview_folder.page(page, found.key, found.hit, output)
        return output

    @property
    def _preview_rebuild(self) -> bool:
        # A rebuild under serve, whose pages mostly come from the entries the last one kept.
        return self.serving and bool(self.kept_pages)

    def on_build_error(self, error):
        self.watch.building.clear()
        self.collector.resume(later=self.serving)
        if self.preview_folder:
            self.preview_folder.failed()

    def on_post_build(self, config) -> None:
        self.watch.building.clear()  # first: the problems page below returns early
        if self.cache:
            self.cache.close()
            cache = self.cache
            # Pages taken over from the published site, or left unread in the preview folder.
            taken = len(self.previous.taken) if self.previous else 0
            taken += self.preview_folder.unread if self.preview_folder else 0
            reused, pages = cache.reused + taken, cache.pages + taken
            log.info(f"页面缓存：{reused} 页沿用上次的结果，{pages - reused} 页重新生成。")
        if self.previous is not None and not self.problems:
            try:
                self.previous.finish(Path(config.site_dir))
            except OSError as err:
                raise PluginError(str(err)) from None
        if self.preview_folder:
            self.preview_folder.finish()
        if self.problems:
            self._show_problems(Path(config.site_dir), config.site_name)
            return
        if self.serving:
            if self.preview_index is None:
                self.preview_index = PreviewIndex(self.settings.cache_dir / "preview-search")
            written = self.preview_folder.pages if self.preview_folder else None
            self.preview_index.update(Path(config.site_dir), written)  # in the background, see search.py
        elif not os.environ.get(INDEXED_BY_CALLER):
            index_site(Path(config.site_dir))
        self.collector.resume(later=self.serving)

    def _show_problems(self, site_dir: Path, title: str) -> None:
        """Every address of the preview shows the problems, the home page and any other (404);
        the page reloads itself when the next build is done, as MkDocs' own pages do."""
        assert self.problems is not None
        # MkDocs' livereload answers /livereload/E/… once a build that started after E is
        # shown; E here is on its clock (time.monotonic, in ms), taken after this build began.
        epoch = round(time.monotonic() * 1000)
        script = (
            "<script>(function poll(){var r=new XMLHttpRequest();r.onloadend=function(){"
            f"if(parseFloat(this.responseText)>{epoch}){{location.reload()}}"
            "else{setTimeout(poll,this.status===200?0:3000)}};"
            f'r.open("GET","/livereload/{epoch}/"+Date.now());r.send()}})()</script>'
        )
        page = problems_page(self.problems.problems, [], title, script)
        for name in ("index.html", "404.html"):
            (site_dir / name).write_text(page, encoding="utf-8")
        self.collector.resume(later=True)

    def on_serve(self, server, config, builder):
        if self.admin is not None and self.admin.process is not None:
            host, port = config.dev_addr.host, config.dev_addr.port
            log.info(f"网页后台：http://{host}:{port}/admin/（写入本项目文件夹）")
        # Editors change YAML, labels and templates as often as Markdown; reload on all of them.
        for path in (self.settings.content_dir, TEMPLATES, LABELS):
            if path.exists():
                server.watch(str(path))
        self.watch.hold(server.observer)
        return server


def _walk(items):
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])
