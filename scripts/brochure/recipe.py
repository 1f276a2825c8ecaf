"""The recipe: the whole site from the content, for whichever builder turns Markdown into HTML.

It reads top to bottom as a build does: check the content, model it, render the pages, then
make the side files. What it returns, a `Site`, holds everything after the Markdown that used
to live in the MkDocs plugin's hooks:

- every generated page's final Markdown, and for the editors' own pages (posts, the home page)
  the function that finishes them: a post's header and footer, the home page's blocks, the
  Traditional Chinese conversion, and each page's metadata for the theme (overrides/main.html);
- every side file: PDF brochures, calendars, the news feed and the data files;
- the changes the copy makes to the builder's configuration (the zh-Hant copy's address, name
  and language; the language switch).

Two adapters hand a Site to a builder: plugin.py gives it to MkDocs in memory, and tree.py
writes it out as a docs folder with its own mkdocs.yml, which plain MkDocs or Zensical build
with no plugin of ours (`brochure generate`, `brochure build --builder zensical`).

Rendering remembers its results between builds in a store (generated.GenerationMemo), the one
place the speed machinery meets the recipe.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from .catalogue import Catalogue, Post, Programme
from .cms import published_admin
from .config import Settings
from .datafiles import data_files
from .feed import rss_feed, site_config
from .generated import Generated, GenerationMemo, Inputs, generation_key
from .ical import programme_calendar, upcoming_calendar
from .model import build_catalogue
from .namefilters import SEARCH_NAMES, search_names
from .pagemeta import (
    home_meta,
    lecturer_meta,
    og_locale,
    page_changes,
    place_meta,
    post_meta,
    programme_meta,
    share_image,
)
from .pdf import brochure_html, brochure_pdfs, engine_problem
from .render import (
    TEMPLATES,
    load_labels,
    make_environment,
    render_block,
    render_jobs,
    render_page,
    render_post_parts,
    site_jobs,
)
from .review import awaiting_review
from .urls import REVIEW_PAGE, SECTIONS, page_url, programme_file
from .validate import Content, validate_once
from .variant import UNCONVERTED_SECTIONS, ZH_HANT, convert_values, converter

log = logging.getLogger("mkdocs.plugins.brochure")

# An editor puts <!-- brochure:current-programmes --> in a hand-written page (the home page).
BLOCK_MARKER = re.compile(r"<!--\s*brochure:([a-z-]+)\s*-->")


class SiteError(Exception):
    """A problem that stops the build and is not in one content file (no PDF engine, an
    unknown block); the message is for the editor, in Chinese."""


def site_address(site_url: str) -> str:
    """site_url as builders hold it: with its trailing slash (MkDocs adds one), or empty."""
    return site_url.rstrip("/") + "/" if site_url else ""


def copy_settings(settings: Settings, variant: str | None) -> Settings:
    """The settings as one copy of the site sees them: the Traditional copy has its own
    language, address and (converted) name."""
    if variant != ZH_HANT:
        return replace(settings, site_url=site_address(settings.site_url))
    convert = converter(settings.zh_hant_opencc, settings.zh_hant_keep)
    site_url = site_address(settings.site_url)
    return replace(
        settings,
        language=ZH_HANT,
        site_url=f"{site_url.rstrip('/')}/{settings.zh_hant_path}/" if site_url else "",
        site_name=convert(settings.site_name),
        host_unit=convert(settings.host_unit),
    )


# The labels/ keys the theme's templates print.
THEME_LABELS = ("footer_", "not_found_")


def config_changes(settings: Settings, variant: str | None, config) -> dict[str, Any]:
    """What this copy changes in the builder's configuration, as {"key" or "key.subkey": value}
    over mkdocs.yml's keys as `config` holds them: the language switch on every page and, in
    the Traditional copy, its language, address, name, description and footer details; and in
    every copy the labels the theme prints (the footer's, the 404 page's)."""
    changes: dict[str, Any] = {}
    in_variant = variant == ZH_HANT
    # The theme's own templates (overrides/: the footer, the 404 page) have no `L`; they read
    # their labels, in this copy's language, from config.extra.labels.
    labels = load_labels(ZH_HANT if in_variant else settings.language)
    changes["extra.labels"] = {key: text for key, text in labels.items() if key.startswith(THEME_LABELS)}
    if settings.zh_hant:
        # The language switch on every page: the same page in the other script.
        hant = settings.zh_hant_path + "/"
        root = site_address(str(config.get("site_url") or ""))
        changes["extra.alternate"] = [
            {
                "name": "简体中文",
                "lang": "zh-Hans",
                "locale": "zh_CN",
                "link": "../" * hant.count("/") if in_variant else "",
                "root": root,
            },
            {
                "name": "繁體中文",
                "lang": "zh-Hant",
                "locale": og_locale(settings.zh_hant_opencc),
                "link": "" if in_variant else hant,
                "root": root + hant if root else "",
            },
        ]
    # The feed's address for its autodiscovery link, wherever news_dir puts it; and the
    # site's share image for pages without a cover photo (pagemeta.share_image).
    changes["extra.feed"] = f"{settings.news_dir}/feed.xml"
    theme = config.get("theme") or {}
    image = share_image(
        config,
        [settings.docs_dir, settings.root / str(theme.get("custom_dir") or "overrides")],
        site_address(str(config.get("site_url") or "")),
    )
    if image:
        changes["extra.share_image"] = image
    if in_variant:
        convert = converter(settings.zh_hant_opencc, settings.zh_hant_keep)
        changes["theme.language"] = ZH_HANT
        if config.get("site_url"):
            changes["site_url"] = site_address(str(config["site_url"])) + f"{settings.zh_hant_path}/"
        changes["site_name"] = convert(str(config.get("site_name") or ""))
        changes["site_description"] = convert(str(config.get("site_description") or ""))
        changes["copyright"] = convert(str(config.get("copyright") or ""))
        changes["extra.site"] = convert_values((config.get("extra") or {}).get("site") or {}, convert)
        changes.update(_permalink_title(config, convert))
    return changes


def _permalink_title(config, convert) -> dict[str, Any]:
    """The heading anchors' tooltip (toc's permalink_title) in the copy's script, whether
    `config` is MkDocs' (extension names, their options in mdx_configs) or mkdocs.yml as read."""
    mdx = config.get("mdx_configs")
    if mdx is not None:
        toc = mdx.get("toc") or {}
        title = toc.get("permalink_title")
        return {"mdx_configs.toc": {**toc, "permalink_title": convert(str(title))}} if title else {}
    extensions, changed = [], False
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict) and isinstance(item.get("toc"), dict) and item["toc"].get("permalink_title"):
            item = {**item, "toc": {**item["toc"], "permalink_title": convert(str(item["toc"]["permalink_title"]))}}
            changed = True
        extensions.append(item)
    return {"markdown_extensions": extensions} if changed else {}


def apply_changes(config, changes: dict[str, Any]) -> None:
    """config_changes applied to a configuration held as nested mappings."""
    for name, value in changes.items():
        *outer, key = name.split(".")
        target = config
        for part in outer:
            target = target.setdefault(part, {})
        target[key] = value


def pdf_available(settings: Settings) -> bool:
    if not settings.pdf:
        return False
    problem = engine_problem()
    if problem is None:
        return True
    if settings.pdf_when_unavailable == "skip":
        log.warning(problem + " 按配置（pdf_when_unavailable: skip）本次不生成 PDF 简章。")
        return False
    raise SiteError(problem + "\n如需暂时不生成 PDF，可在 mkdocs.yml 里设置 pdf_when_unavailable: skip。")


@dataclass
class Site:
    """One copy of the site (Simplified, or the Traditional copy), ready for a builder."""

    settings: Settings  # as this copy sees them (copy_settings)
    content: Content
    catalogue: Catalogue
    env: jinja2.Environment  # the one template environment of the build
    generated: Generated  # the generated pages, post headers and footers, calendars, data
    files: dict[str, bytes | Path]  # side files by output path; a PDF as its file in the cache
    convert: Any = None  # OpenCC, in the Traditional copy
    posts: dict[str, Post] = field(default_factory=dict)  # published posts by source path
    programmes: dict[str, Programme] = field(default_factory=dict)  # by page path
    details: set[str] = field(default_factory=set)  # programme and library entry pages
    listings: set[str] = field(default_factory=set)  # generated pages that only list others
    # Files under docs/ that only unpublished posts show (a draft's photos): the builders leave
    # them out. Empty in the preview, which shows the drafts (Content.unpublished_photos).
    withheld: set[str] = field(default_factory=set)

    @property
    def pages(self) -> dict[str, str]:
        """Each generated page's final Markdown, by path under docs/."""
        return self.generated.pages

    @cached_property
    def lecturer_names(self) -> tuple[str, ...]:
        """The lecturers' names as this copy writes them, longest first (欧阳明 before 欧阳):
        kept on one line where a post's own text names them (render.keep_names_whole)."""
        names = {self.convert(e.name) if self.convert else e.name for e in self.catalogue.lecturers}
        return tuple(sorted(names, key=lambda name: (-len(name), name)))

    @property
    def sections(self) -> set[str]:
        """The sections' index pages: the generated pages the nav names."""
        return {f"{section}/index.md" for section in (*SECTIONS.values(), self.settings.news_dir)}

    def finish(self, path: str, markdown: str, meta: dict) -> tuple[str, dict]:
        """A page's final Markdown and metadata, from what is in its file (or, for a generated
        page, what the recipe rendered) and its front matter."""
        meta = {**meta, "brochure": self.page_meta(path)}
        if self.convert:
            meta["brochure"] = convert_values(meta["brochure"], self.convert)
        if path in self.listings or BLOCK_MARKER.search(markdown):
            # Index, category, tag and archive pages, and the home page's blocks, repeat the
            # titles and summaries of the pages they list; in search results they would
            # crowd out the pages themselves.
            meta["search"] = {"exclude": True}
        post = self.posts.get(path)
        if post is not None:
            # Themes print these into <title> and <meta> unescaped; a post's title is text,
            # so "<" in it must show as "<", not open a tag.
            meta["title"] = html.escape(post.title)
            meta["description"] = html.escape(post.excerpt)
            header, footer = self.generated.post_parts[path]
            markdown = f"{header}\n{markdown.strip()}\n\n{footer}"
        if "brochure:" in markdown:
            markdown = BLOCK_MARKER.sub(lambda match: self._block(match.group(1), path), markdown)
        # Generated pages were converted when rendered (and remembered so); the editors' own
        # pages are converted here.
        if self.convert and path not in self.generated.pages and not path.startswith(UNCONVERTED_SECTIONS):
            if meta.get("title"):
                meta["title"] = self.convert(meta["title"])
            markdown = self.convert(markdown)
        return markdown, meta

    def _block(self, name: str, path: str) -> str:
        if not (TEMPLATES / f"block-{name}.md.j2").exists():
            known = "、".join(p.name[6:-6] for p in sorted(TEMPLATES.glob("block-*.md.j2")))
            raise SiteError(f"docs/{path}: 未知的区块 “{name}”。可用：{known}。")
        return render_block(self.env, self.catalogue, name, path)

    def page_meta(self, path: str) -> dict:
        """Metadata for the head of this page (see pagemeta.py and overrides/main.html), with
        the day it last changed for the sitemap (`lastmod`) and whether the other copy holds
        it in the other script (`unconverted`: the editors' guide stays Simplified there)."""
        meta = self._page_meta(path)
        lastmod = self.lastmods.get(path)
        if lastmod:
            meta["lastmod"] = lastmod.isoformat()
        if self.settings.zh_hant and path.startswith(UNCONVERTED_SECTIONS):
            meta["unconverted"] = True
        return meta

    @cached_property
    def people(self) -> dict:
        return {entry.path: entry for entry in self.catalogue.lecturers}

    @cached_property
    def places(self) -> dict:
        return {entry.path: entry for entry in self.catalogue.sites}

    @cached_property
    def share_image(self) -> str | None:
        config = site_config(self.settings)
        theme = config.get("theme") or {}
        folders = [self.settings.docs_dir, self.settings.root / str(theme.get("custom_dir") or "overrides")]
        return share_image(config, folders, self.settings.site_url)

    @cached_property
    def lastmods(self) -> dict:
        return page_changes(self.catalogue, self.settings.news_dir, self.settings.build_date)

    def _page_meta(self, path: str) -> dict:
        labels = self.env.globals["L"]
        site_url, programmes = self.settings.site_url, self.programmes
        language = "zh-Hant" if self.convert else {"zh": "zh-CN"}.get(self.settings.language, self.settings.language)
        if path in programmes:
            return programme_meta(programmes[path], site_url, labels["programmes"], language)
        if path in self.posts:
            return post_meta(self.posts[path], site_url, self.settings.site_name, labels["news"], language)
        if path == "index.md":
            return home_meta(self.settings, language, self.share_image)
        if path in self.people:
            return lecturer_meta(self.people[path], site_url, labels["lecturers"])
        if path in self.places:
            return place_meta(self.places[path], site_url, labels["sites"])
        section = path.split("/", 1)[0]
        columns = {
            "programmes": labels["programmes"],
            "lecturers": labels["lecturers"],
            "sites": labels["sites"],
            "organisations": labels["organisations"],
            self.settings.news_dir: labels["news"],
        }
        return {"column": columns.get(section, ""), "type": "website"}


def robots_txt(settings: Settings) -> bytes:
    """Every crawler welcome, and told where each copy's sitemap is: the Traditional copy's was
    referenced nowhere. (At a sub-path the host's own robots.txt is what crawlers read; this one
    is there to be merged into it.)"""
    root = settings.site_url.rstrip("/")
    maps = [f"{root}/sitemap.xml"] + ([f"{root}/{settings.zh_hant_path}/sitemap.xml"] if settings.zh_hant else [])
    return ("User-agent: *\nAllow: /\n\n" + "".join(f"Sitemap: {url}\n" for url in maps)).encode("utf-8")


def build_site(
    settings: Settings,
    variant: str | None = None,
    workers: int = 1,
    store: GenerationMemo | None = None,
    content: Content | None = None,
    typeset: bool = True,
) -> Site:
    """Check, model, render and make the side files of one copy of the site.

    `store` remembers what was rendered, for the next build to reuse (generated.py); `content`
    is the checked content when the caller has already checked it. With `typeset` false the
    PDF brochures are linked from the pages but not made (for reading the output as text).
    """
    if content is None:
        content = validate_once(settings, workers)
    copy = copy_settings(settings, variant)
    catalogue = build_catalogue(content, copy)
    has_pdf = pdf_available(copy)
    env = make_environment(copy, has_pdf)
    convert = converter(settings.zh_hant_opencc, settings.zh_hant_keep) if variant == ZH_HANT else None
    generated = _render(env, catalogue, content, copy, variant, has_pdf, workers, store, convert)
    if copy.preview:
        # The 待审 page, the preview's alone: one page, made afresh at every build, beside (not
        # into) what the store remembers.
        review = render_page(env, "review.md.j2", REVIEW_PAGE, awaiting=awaiting_review(content, copy))
        generated = replace(generated, pages={**generated.pages, REVIEW_PAGE: convert(review) if convert else review})
    site = Site(copy, content, catalogue, env, generated, {}, convert)
    site.posts = {post.path: post for post in catalogue.news}
    site.programmes = {p.path: p for p in catalogue.programmes}
    entries = (catalogue.programmes, catalogue.lecturers, catalogue.sites, catalogue.organisations)
    site.details = {entry.path for kind in entries for entry in kind}
    site.listings = {path for path in generated.pages if path not in site.details}
    if not copy.preview:
        site.withheld = content.unpublished_photos(set(site.posts))
    site.files = {**generated.calendars, **generated.data}
    if has_pdf and typeset:
        site.files.update(_brochures(site, workers))
    if settings.admin and variant is None and not copy.preview:
        # Under serve the admin writes into the project instead, through decap-server (admin.py).
        admin = published_admin(settings)
        if admin is None:
            raise SiteError(
                "mkdocs.yml 设置了 admin（网页后台），但缺少 Decap CMS 的 npm 依赖。"
                "\n请在项目文件夹运行 bash scripts/setup-env（需要 Node.js 和 npm），或删去 admin 设置。"
            )
        site.files.update(admin)
    site.files[SEARCH_NAMES] = search_names(catalogue, copy.news_dir, convert)
    if variant is None and copy.site_url:
        site.files["robots.txt"] = robots_txt(settings)
    if copy.site_url:
        feed = rss_feed(catalogue.news, copy.site_name, copy.site_url, copy)
        if convert:
            feed = convert(feed.decode("utf-8")).encode("utf-8")
        site.files[f"{copy.news_dir}/feed.xml"] = feed
    else:
        log.warning("未设置 site_url，无法生成新闻订阅（RSS 需要完整网址）。")
    return site


def _render(env, catalogue, content, settings, variant, has_pdf, workers, store, convert) -> Generated:
    """The generated pages, post headers and footers, calendars and data files. Those whose
    inputs are as in the last build are taken from it (see generated.py)."""
    key = generation_key(settings, variant, has_pdf)
    earlier = store.get(key) if store else None
    if earlier is not None and earlier.content == content.digest:
        log.info("内容未变（或只改了稿件正文）：生成的页面、日历和数据文件沿用上次的结果。")
        return earlier
    inputs = Inputs(content)
    jobs = site_jobs(env, catalogue, settings)
    page_inputs = {job[1]: inputs.page(*job) for job in jobs}
    part_inputs = {post.path: inputs.post_parts(post) for post in catalogue.news}
    if earlier is None:
        earlier = Generated({}, {}, {}, {})
    todo = [job for job in jobs if earlier.page_inputs.get(job[1]) != page_inputs[job[1]]]
    fresh = dict(zip((job[1] for job in todo), render_jobs(env, todo, workers), strict=True))
    if convert:
        fresh = {path: convert(markdown) for path, markdown in fresh.items()}
    posts = [post for post in catalogue.news if earlier.part_inputs.get(post.path) != part_inputs[post.path]]
    fresh_parts = render_post_parts(env, catalogue, posts, workers)
    log.info(f"生成页面：{len(todo)} 页重新生成，{len(jobs) - len(todo)} 页沿用上次的结果。")
    site_url = settings.site_url
    calendars = earlier.calendars
    if earlier.programmes != inputs.programmes:
        calendars = {
            programme_file(p.slug, "ics"): programme_calendar(p, site_url, catalogue.build_date, convert)
            for p in catalogue.programmes
        }
        calendars["programmes/upcoming.ics"] = upcoming_calendar(
            catalogue.programmes, settings.site_name, site_url, catalogue.build_date, convert
        )
    # One set of data files, in the language the content is kept in.
    data = {} if convert else data_files(catalogue, site_url, has_pdf)
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
    if store:
        store.put(key, generated)
    return generated


def _brochures(site: Site, workers: int) -> dict[str, Path]:
    """The PDF brochure of each programme that has one (Programme.has_brochure), typeset on
    every core. pdf.py keeps finished ones by content; the site copies them from there rather
    than holding their bytes (some 300 KB each, with the fonts)."""
    settings = site.settings
    htmls = {}
    for p in site.catalogue.programmes:
        if not p.has_brochure:
            continue
        url = settings.site_url.rstrip("/") + "/" + page_url("programme", p.slug)
        markdown = site.pages[p.path]
        htmls[programme_file(p.slug, "pdf")] = brochure_html(
            markdown,
            p.title,
            settings.site_name,
            url,
            settings.site_url,
            host_unit=settings.host_unit,
            emblem=settings.emblem,
            language=settings.language,
        )
    pdfs = brochure_pdfs(list(htmls.values()), settings.cache_dir / "pdf", workers)
    return dict(zip(htmls, pdfs, strict=True))
