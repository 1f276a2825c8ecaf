"""The MkDocs plugin: validate the YAML, then hand the generated pages to MkDocs in memory.

Pages are added with `File.generated`, so nothing is written into docs/. That keeps
`mkdocs serve` out of rebuild loops (mkdocs#2284) and keeps the source tree clean.
"""

from __future__ import annotations

import html
import logging
import os
import re
import threading
from dataclasses import replace
from pathlib import Path

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .collector import BuildCollector
from .datafiles import data_files
from .feed import rss_feed
from .generated import Generated, GenerationMemo, Inputs, generation_key
from .ical import programme_calendar, upcoming_calendar
from .images import improve_images
from .model import SECTIONS, Catalogue, build_catalogue
from .pagecache import CACHED_TEMPLATE, CACHED_TEMPLATE_SOURCE, PageCache, prerender
from .pagemeta import post_meta, programme_meta
from .pdf import brochure_html, brochure_pdfs, engine_problem
from .preview import PreviewFolder
from .problems import ContentError, report_drafts
from .render import LABELS, TEMPLATES, make_environment, render_block, render_jobs, render_post_parts, site_jobs
from .sanitise import clean_html, site_host
from .schema import PLUGIN_OPTIONS
from .search import INDEXED_BY_CALLER, PreviewIndex, index_site
from .validate import load_settings, validate_once
from .variant import UNCONVERTED_SECTIONS, ZH_HANT, active_variant, convert_values, converter

log = logging.getLogger("mkdocs.plugins.brochure")

# An editor puts <!-- brochure:current-programmes --> in a hand-written page (the home page).
BLOCK_MARKER = re.compile(r"<!--\s*brochure:([a-z-]+)\s*-->")


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

    def on_startup(self, command, dirty):
        # Defining this makes `mkdocs serve` keep one instance across rebuilds.
        self.serving = command == "serve"
        # `brochure serve` asks for --dirty: the preview folder is then updated in place.
        self.preview_folder = PreviewFolder() if self.serving and dirty else None
        self.kept_pages: dict[str, dict] = {}  # page cache entries between rebuilds (pagecache.py)
        self.collector = BuildCollector()

    def on_shutdown(self):
        self.collector.close()
        if self.preview_index is not None:
            self.preview_index.stop()

    def on_config(self, config):
        try:
            self.settings = load_settings(Path(config.config_file_path))
        except ContentError as err:
            raise PluginError("配置检查未通过：\n" + str(err)) from None
        self.convert = None
        settings = self.settings
        if settings.zh_hant:
            # The language switch on every page: the same page in the other script.
            hant = settings.zh_hant_path + "/"
            in_variant = active_variant() == ZH_HANT
            root = (config.site_url or "").rstrip("/") + "/" if config.site_url else ""
            config.extra["alternate"] = [
                {"name": "简体中文", "lang": "zh", "link": "../" * hant.count("/") if in_variant else "", "root": root},
                {
                    "name": "繁體中文",
                    "lang": "zh-Hant",
                    "link": "" if in_variant else hant,
                    "root": root + hant if root else "",
                },
            ]
        if active_variant() == ZH_HANT:
            self.convert = converter(settings.zh_hant_opencc)
            self.settings = replace(settings, language=ZH_HANT)
            config.theme["language"] = ZH_HANT
            if config.site_url:
                config.site_url = config.site_url.rstrip("/") + f"/{settings.zh_hant_path}/"
            config.site_name = self.convert(config.site_name)
            config.site_description = self.convert(config.site_description or "")
            config.copyright = self.convert(config.copyright or "")
            config.extra["site"] = convert_values(config.extra.get("site") or {}, self.convert)
        self.catalogue: Catalogue | None = None
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
        self.collector.pause()  # until generation is done, or a preview rebuild's end (collector.py)
        # Runs before MkDocs cleans site/, so invalid content leaves the old site as it was.
        try:
            content = validate_once(self.settings, self.workers)
        except ContentError as err:
            raise PluginError("内容检查未通过：\n" + str(err)) from None
        self.content = content
        if content.draft_problems and not self.convert and not os.environ.get(INDEXED_BY_CALLER):
            # Shown as a warning, so `mkdocs build --strict` stops on it; `brochure build` has
            # already shown them (and applied its own --strict) before MkDocs started.
            log.warning(report_drafts(content.draft_problems))
        self.catalogue = build_catalogue(content, self.settings)
        self.posts = {post["path"]: post for post in self.catalogue.news}
        self.programmes = {p["path"]: p for p in self.catalogue.programmes}
        self.listings: set[str] = set()
        self.cache = (
            None
            if os.environ.get("BROCHURE_NO_PAGE_CACHE")
            else PageCache(self.settings.cache_dir, config, active_variant(), self.kept_pages if self.serving else None)
        )

    def on_files(self, files: Files, config) -> Files:
        assert self.catalogue is not None
        self._place_posts(files, config)
        has_pdf = self._pdf_available()
        # One template environment for the build: generated pages, post headers, blocks.
        self.env = make_environment(self.settings, has_pdf)
        generated = self._generate(config, has_pdf)
        if not self._preview_rebuild:
            self.collector.resume()  # the page pass and PDFs leave cyclic garbage (collector.py)
        pages = generated.pages
        self.post_parts = generated.post_parts
        clashes = [path for path in pages if files.get_file_from_path(path) is not None]
        if clashes:
            raise PluginError(
                "以下页面由程序自动生成，但 docs/ 里已有同名文件，请删除或改名：\n"
                + "\n".join(f"  docs/{path}" for path in clashes)
            )
        sections = {f"{section}/index.md" for section in (*SECTIONS.values(), self.settings.news_dir)}
        catalogue = self.catalogue
        entries = (catalogue.programmes, catalogue.lecturers, catalogue.sites, catalogue.organisations)
        details = {entry["path"] for kind in entries for entry in kind}
        self.details = details
        # Index, category, tag and archive pages repeat the titles and summaries of the pages
        # they list; in search results they would crowd out the pages themselves.
        self.listings = {path for path in pages if path not in details}
        for path, markdown in pages.items():
            # Detail pages are reached from index pages, never listed in the nav: a nav entry per
            # page makes Material's build time grow with the square of the page count.
            inclusion = InclusionLevel.UNDEFINED if path in sections else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, path, content=markdown, inclusion=inclusion))
        outputs = {**generated.calendars, **generated.data}
        if has_pdf:
            outputs.update(self._brochures(pages, config))
        for path, content in outputs.items():
            files.append(File.generated(config, path, content=content))
        if self.preview_folder:
            self.preview_folder.begin(files)
        return files

    def _generate(self, config, has_pdf: bool) -> Generated:
        """The generated pages, post headers and footers, calendars and data files. Those whose
        inputs are as in the last build are taken from it (see generated.py)."""
        catalogue, settings, content = self.catalogue, self.settings, self.content
        key = generation_key(settings, config, active_variant(), has_pdf)
        earlier = self.memo.get(key)
        if earlier is not None and earlier.content == content.digest:
            log.info("内容未变（或只改了稿件正文）：生成的页面、日历和数据文件沿用上次的结果。")
            return earlier
        inputs = Inputs(content)
        jobs = site_jobs(self.env, catalogue, settings)
        page_inputs = {job[1]: inputs.page(*job) for job in jobs}
        part_inputs = {post["path"]: inputs.post_parts(post) for post in catalogue.news}
        if earlier is None:
            earlier = Generated({}, {}, {}, {})
        todo = [job for job in jobs if earlier.page_inputs.get(job[1]) != page_inputs[job[1]]]
        fresh = dict(zip((job[1] for job in todo), render_jobs(self.env, todo, self.workers), strict=True))
        if self.convert:
            fresh = {path: self.convert(markdown) for path, markdown in fresh.items()}
        posts = [post for post in catalogue.news if earlier.part_inputs.get(post["path"]) != part_inputs[post["path"]]]
        fresh_parts = render_post_parts(self.env, catalogue, posts, self.workers)
        log.info(f"生成页面：{len(todo)} 页重新生成，{len(jobs) - len(todo)} 页沿用上次的结果。")
        site_url = config.site_url or ""
        calendars = earlier.calendars
        if earlier.programmes != inputs.programmes:
            calendars = {
                f"programmes/{p['slug']}.ics": programme_calendar(p, site_url, catalogue.build_date)
                for p in catalogue.programmes
            }
            calendars["programmes/upcoming.ics"] = upcoming_calendar(
                catalogue.programmes, config.site_name, site_url, catalogue.build_date
            )
        # One set of data files, in the language the content is kept in.
        data = {} if self.convert else data_files(catalogue, site_url, has_pdf)
        generated = Generated(
            pages={path: fresh[path] if path in fresh else earlier.pages[path] for path in page_inputs},
            post_parts={path: fresh_parts.get(path) or earlier.post_parts[path] for path in part_inputs},
            calendars=calendars,
            data=data,
            content=content.digest,
            programmes=inputs.programmes,
            page_inputs=page_inputs,
            part_inputs=part_inputs,
        )
        self.memo.put(key, generated)
        return generated

    def _brochures(self, pages: dict[str, str], config) -> dict[str, bytes]:
        """Each programme's PDF brochure, typeset on every core (pdf.py keeps finished ones)."""
        site_url = config.site_url or ""
        htmls = {}
        for p in self.catalogue.programmes:
            url = site_url.rstrip("/") + f"/programmes/{p['slug']}/"
            html = brochure_html(pages[p["path"]], p["title"], config.site_name, url, site_url)
            htmls[f"programmes/{p['slug']}.pdf"] = html
        pdfs = brochure_pdfs(list(htmls.values()), self.settings.cache_dir / "pdf", self.workers)
        return dict(zip(htmls, pdfs, strict=True))

    def _pdf_available(self) -> bool:
        if not self.settings.pdf:
            return False
        problem = engine_problem()
        if problem is None:
            return True
        if self.settings.pdf_when_unavailable == "skip":
            log.warning(problem + " 按配置（pdf_when_unavailable: skip）本次不生成 PDF 简章。")
            return False
        raise PluginError(problem + "\n如需暂时不生成 PDF，可在 mkdocs.yml 里设置 pdf_when_unavailable: skip。")

    def _place_posts(self, files: Files, config) -> None:
        """Publish each post at its date-and-slug URL; drop drafts and posts not yet due."""
        prefix = self.settings.news_dir + "/"
        for file in list(files):
            if not (file.src_uri.startswith(prefix) and file.is_documentation_page()):
                continue
            post = self.posts.get(file.src_uri)
            if post is None:
                files.remove(file)  # a draft, or dated after the build date
                continue
            dest = post["url"] + "index.html"
            if file.dest_uri != dest:
                file.dest_uri = dest
                file.url = post["url"] if config.use_directory_urls else dest
                file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, dest))
            file.inclusion = InclusionLevel.NOT_IN_NAV

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        assert self.catalogue is not None
        page_path = page.file.src_uri
        page.meta["brochure"] = self._page_meta(page_path, page, config)
        if self.convert:
            page.meta["brochure"] = convert_values(page.meta["brochure"], self.convert)
        if page_path in self.listings or BLOCK_MARKER.search(markdown):
            page.meta["search"] = {"exclude": True}
        post = self.posts.get(page_path)
        if post is not None:
            # MkDocs' templates print these into <title> and <meta> unescaped; a post's title is
            # text, so "<" in it must show as "<", not open a tag.
            page.meta["title"] = html.escape(post["title"])
            page.meta["description"] = html.escape(post["excerpt"])
            header, footer = self.post_parts[page_path]
            markdown = f"{header}\n{markdown.strip()}\n\n{footer}"
        if "brochure:" not in markdown:
            return self._converted(markdown, page)

        def block(match: re.Match) -> str:
            name = match.group(1)
            if not (TEMPLATES / f"block-{name}.md.j2").exists():
                known = "、".join(p.name[6:-6] for p in sorted(TEMPLATES.glob("block-*.md.j2")))
                raise PluginError(f"docs/{page_path}: 未知的区块 “{name}”。可用：{known}。")
            return render_block(self.env, self.catalogue, name, page_path)

        markdown = BLOCK_MARKER.sub(block, markdown)
        return self._converted(markdown, page)

    def _converted(self, markdown: str, page) -> str:
        if self.convert and not page.file.src_uri.startswith(UNCONVERTED_SECTIONS):
            if page.meta.get("title"):
                page.meta["title"] = self.convert(page.meta["title"])
            markdown = self.convert(markdown)
        cached = False
        if self.cache:
            # The Markdown is final here; if the page's HTML from an earlier build still
            # holds for it, MkDocs writes that instead of rendering (see pagecache.py).
            key = self.cache.key(page, markdown)
            cached = self.cache.lookup(page, key)
            page.brochure_cache = (key, self.cache.warnings.count, cached)
        if not cached:
            self.collector.converting()
        return markdown

    def on_nav(self, nav, config, files):
        if self.convert:
            for item in _walk(nav.items):
                if item.title:
                    item.title = self.convert(item.title)
        if self.cache:
            # Written after the pages, in on_post_build, but links to it are as good as any.
            self.cache.set_nav(nav, files, extra={f"{self.settings.news_dir}/feed.xml"})
            if self.workers > 1:
                prerender(self.cache, config, files, nav, self.workers)
        return nav

    def on_env(self, env, config, files):
        if self.cache:
            env.loader = jinja2.ChoiceLoader([env.loader, jinja2.DictLoader({CACHED_TEMPLATE: CACHED_TEMPLATE_SOURCE})])
        return env

    def _page_meta(self, page_path: str, page, config) -> dict:
        """Metadata for the head of this page (see pagemeta.py and overrides/main.html)."""
        labels = self.env.globals["L"]
        site_url = config.site_url or ""
        if page_path in self.programmes:
            return programme_meta(self.programmes[page_path], site_url, labels["programmes"])
        if page_path in self.posts:
            return post_meta(self.posts[page_path], site_url, config.site_name, labels["news"])
        section = page_path.split("/", 1)[0]
        columns = {
            "programmes": labels["programmes"],
            "lecturers": labels["lecturers"],
            "sites": labels["sites"],
            "organisations": labels["organisations"],
            self.settings.news_dir: labels["news"],
        }
        return {"column": columns.get(section, ""), "type": "website"}

    def on_page_content(self, html: str, page, config, files) -> str:
        if getattr(page, "brochure_cache", (None, 0, False))[2]:
            return html  # the finished page, from the cache
        if page.file.src_uri in self.posts or page.file.src_uri in self.details:
            # Editors' Markdown (a post's body; a summary, bio or description) lets raw HTML
            # through. `check` reports it; this makes sure none of it is published regardless.
            html = clean_html(html, site_host(config.site_url))
        # Photos get their size (no layout jump), lazy loading, and in posts a caption.
        return improve_images(html, page, files, captions=page.file.src_uri in self.posts)

    def on_post_page(self, output: str, page, config) -> str:
        key, warnings_before, cached = getattr(page, "brochure_cache", (None, 0, True))
        if self.cache and not cached:
            self.cache.store(page, key, output, warnings_before, page.content)
        if self.preview_folder:
            return self.preview_folder.page(page, key, cached, output)
        return output

    @property
    def _preview_rebuild(self) -> bool:
        # A rebuild under serve, whose pages mostly come from the entries the last one kept.
        return self.serving and bool(self.kept_pages)

    def on_build_error(self, error):
        self.collector.resume(later=self.serving)
        if self.preview_folder:
            self.preview_folder.failed()

    def on_post_build(self, config) -> None:
        assert self.catalogue is not None
        if self.cache:
            self.cache.close()
            cache = self.cache
            log.info(f"页面缓存：{cache.reused} 页沿用上次的结果，{cache.pages - cache.reused} 页重新生成。")
        if self.preview_folder:
            self.preview_folder.finish()
        if self.serving:
            if self.preview_index is None:
                self.preview_index = PreviewIndex(self.settings.cache_dir / "preview-search")
            self.preview_index.update(Path(config.site_dir))  # in the background, see search.py
        elif not os.environ.get(INDEXED_BY_CALLER):
            index_site(Path(config.site_dir))
        self.collector.resume(later=self.serving)
        if not config.site_url:
            log.warning("未设置 site_url，无法生成新闻订阅（RSS 需要完整网址）。")
            return
        feed = rss_feed(self.catalogue.news, config.site_name, config.site_url, self.settings)
        if self.convert:
            feed = self.convert(feed.decode("utf-8")).encode("utf-8")
        target = Path(config.site_dir) / self.settings.news_dir / "feed.xml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(feed)

    def on_serve(self, server, config, builder):
        # Editors change YAML, labels and templates as often as Markdown; reload on all of them.
        for path in (self.settings.content_dir, TEMPLATES, LABELS):
            if path.exists():
                server.watch(str(path))
        return server


def _walk(items):
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])
