"""The site as a folder that any MkDocs-compatible builder builds with no plugin of ours.

`brochure generate -o DIR` writes what the recipe makes (recipe.py) as plain files:

    DIR/mkdocs.yml           the project's, without the brochure plugin, for DIR/docs
    DIR/docs/                every page's final Markdown (its front matter holds the metadata
                             the theme prints), the docs' own images and assets, the PDFs,
                             calendars, news feed and data files
    DIR/overrides/           the theme overrides
    DIR/mkdocs.zh-hant.yml   the Traditional copy, from DIR/zh-hant/docs into DIR/site/zh-hant
    DIR/zh-hant/docs/

`mkdocs build -f DIR/mkdocs.yml`, then `-f DIR/mkdocs.zh-hant.yml` (in that order: the first
empties DIR/site), or `zensical build` with the same files, give the whole site but its
search, which Pagefind makes from the built site (search.py). `brochure build --builder
zensical` does all of that.

A post whose address is not where its file lies (a `slug:`, a Chinese file name) is written
at its address, and the relative links in it and to it are made to point the same way.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import yaml

from .config import Settings
from .generated import GenerationMemo
from .recipe import Site, apply_changes, build_site, config_changes
from .store import write_atomic as _write
from .validate import Content
from .variant import ZH_HANT

# How MkDocs (mkdocs.utils.meta.get_data) and Zensical find a page's front matter.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
# Files MkDocs and Zensical leave out of a docs folder by default.
_HIDDEN = re.compile(r"(^|/)\.")


class _Tagged:
    """A YAML value with a tag the safe loader does not know (`!ENV`, `!!python/name:`), kept
    so that mkdocs.yml is written out as it was written."""

    def __init__(self, tag: str, node: yaml.Node) -> None:
        self.tag, self.node = tag, node


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(yaml.SafeDumper):
    pass


def _keep_tag(loader, suffix, node):
    return _Tagged(node.tag, node)


_ConfigLoader.add_multi_constructor("!", _keep_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)
_ConfigDumper.add_representer(_Tagged, lambda dumper, value: value.node)


def split_front_matter(text: str) -> tuple[dict, str]:
    """(metadata, Markdown) as MkDocs reads a page."""
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            data = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            return {}, text
        if isinstance(data, dict):
            return data, text[match.end() :].lstrip("\n")
    return {}, text


def page_file(meta: dict, markdown: str) -> str:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1 << 16)
    return f"---\n{front}---\n\n{markdown}"


# Link targets in Markdown: inline links and images, reference definitions, and src/href in
# HTML. Code is rare in posts and its links are left as they are only if they lead nowhere.
_TARGETS = re.compile(
    r"(?P<lead>\]\(\s*<?)(?P<t>[^)\s>]+)|(?P<def>^[ ]{0,3}\[[^\]]+\]:[ \t]*<?)(?P<d>\S+?)(?=>?(?:\s|$))"
    r"|(?P<attr>\b(?:src|href)=[\"'])(?P<a>[^\"']+)",
    re.MULTILINE,
)
# An address with a scheme (https:, mailto:), an anchor, a query or an absolute path.
_NOT_RELATIVE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|[/#?]")
_PATH_AND_REST = re.compile(r"([^#?]*)(.*)", re.DOTALL)


def relink(markdown: str, old: str, new: str, moved: dict[str, str]) -> str:
    """The page at `old` (a path under docs/), written at `new`: its relative links changed
    to lead where they led, and those to a moved page to its new place."""
    here = posixpath.dirname(new) or "."

    def target(link: str) -> str:
        if _NOT_RELATIVE.match(link):
            return link
        path, rest = _PATH_AND_REST.match(link).groups()
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(old), unquote(path)))
        if resolved.startswith("../"):
            return link  # outside docs/: the builder reports it, as it would have
        if resolved in moved:
            return posixpath.relpath(moved[resolved], here) + rest
        if new == old:
            return link
        return posixpath.relpath(posixpath.normpath(posixpath.join(posixpath.dirname(old), path)), here) + rest

    def sub(match: re.Match) -> str:
        for lead, group in (("lead", "t"), ("def", "d"), ("attr", "a")):
            if match.group(group) is not None:
                return match.group(lead) + target(match.group(group))
        return match.group(0)

    return _TARGETS.sub(sub, markdown)


# What the recipe gives a post's page for the theme (recipe.Site.finish).
_THEME_KEYS = ("title", "description", "brochure", "search")


def _published_path(site: Site, src: str, directory_urls: bool) -> str:
    post = site.posts.get(src)
    if post is None:
        return src
    return post.url[:-1] + ".md" if directory_urls else post.url + "index.md"


def write_copy(site: Site, docs: Path, config: dict) -> None:
    """One copy of the site as a docs folder."""
    settings = site.settings
    directory_urls = config.get("use_directory_urls", True) is not False
    pages: dict[str, tuple[dict, str]] = {}  # by source path: (front matter, Markdown body)
    assets: list[str] = []
    for root, dirs, names in os.walk(settings.docs_dir):
        dirs.sort()
        for name in sorted(names):
            src = Path(root, name).relative_to(settings.docs_dir).as_posix()
            if _HIDDEN.search(src):
                continue
            if not src.endswith(".md"):
                if src not in site.withheld:  # a photo only drafts (or posts not yet due) show
                    assets.append(src)
            elif src in site.posts or not src.startswith(settings.news_dir + "/"):
                # Drafts and posts dated after the build date are left out.
                text = (settings.docs_dir / src).read_text(encoding="utf-8-sig")
                pages[src] = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    for src, markdown in site.pages.items():
        pages[src] = split_front_matter(markdown)
    moved = {src: _published_path(site, src, directory_urls) for src in site.posts}
    moved = {src: to for src, to in moved.items() if to != src}
    for src, (meta, body) in pages.items():
        markdown, meta = site.finish(src, body, meta)
        if src in site.posts:
            # A post's own fields are in its header and footer now; left in the front matter,
            # Zensical's theme would print its tags a second time.
            meta = {key: meta[key] for key in _THEME_KEYS if key in meta}
        to = moved.get(src, src)
        if moved:
            markdown = relink(markdown, src, to, moved)
        _write(docs / to, page_file(meta, markdown).encode("utf-8"))
    for src in assets:
        (docs / src).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(settings.docs_dir / src, docs / src)
    for path, content in site.files.items():
        _write(docs / path, content.read_bytes() if isinstance(content, Path) else content)


def config_for(site: Site, config: dict, custom_dir: str | None) -> dict:
    """The project's mkdocs.yml for this copy: no brochure plugin, the overrides beside it,
    and the copy's own address, name and language."""
    config = {**config}
    plugins = config.get("plugins") or []
    # Empty, not absent: MkDocs would add its own search plugin.
    config["plugins"] = [p for p in plugins if p != "brochure" and not (isinstance(p, dict) and "brochure" in p)]
    config["theme"] = {**(config.get("theme") or {})}
    if custom_dir:
        config["theme"]["custom_dir"] = custom_dir
    config["extra"] = {**(config.get("extra") or {})}
    apply_changes(config, config_changes(site.settings, ZH_HANT if site.convert else None, config))
    if site.convert and config.get("nav"):
        config["nav"] = _converted_nav(config["nav"], site.convert)
    return config


def _converted_nav(items, convert):
    if isinstance(items, list):
        return [_converted_nav(item, convert) for item in items]
    if isinstance(items, dict):
        return {convert(str(title)): _converted_nav(value, convert) for title, value in items.items()}
    return items


_HEADER = b"# Written by `brochure generate` from the project's mkdocs.yml: edit that one, not this.\n"


def _str(dumper, value: str):
    # not_in_nav and other multi-line values stay readable blocks, as they were written.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_ConfigDumper.add_representer(str, _str)


def _dump(config: dict) -> bytes:
    return yaml.dump(config, Dumper=_ConfigDumper, allow_unicode=True, sort_keys=False, width=1 << 16).encode("utf-8")


def write_tree(
    settings: Settings, out: Path, workers: int = 1, content: Content | None = None, typeset: bool = True
) -> dict[str, Path]:
    """Every copy of the site under `out`, each with its own configuration file there.
    Returns the configuration files by the copy's path in the site ("" for the Simplified
    copy, first: building it empties out/site, where the others then go)."""
    with open(settings.root / "mkdocs.yml", encoding="utf-8-sig") as f:
        config = yaml.load(f, Loader=_ConfigLoader) or {}
    out = out.resolve()
    # Zensical wants the site inside the folder its configuration file is in, so every copy's
    # configuration sits in `out` itself.
    copies = {"": (None, "docs", "mkdocs.yml", "site")}
    if settings.zh_hant:
        hant = settings.zh_hant_path
        copies[hant] = (ZH_HANT, f"{hant}/docs", f"mkdocs.{hant}.yml", f"site/{hant}")
    for _, docs, _, _ in copies.values():
        shutil.rmtree(out / docs, ignore_errors=True)
    custom_dir = (config.get("theme") or {}).get("custom_dir")
    if custom_dir:
        shutil.rmtree(out / "overrides", ignore_errors=True)
        shutil.copytree(settings.root / custom_dir, out / "overrides")
    configs = {}
    for path, (variant, docs, name, site_dir) in copies.items():
        site = build_site(settings, variant, workers, GenerationMemo(settings.cache_dir, variant), content, typeset)
        write_copy(site, out / docs, config)
        copy_config = config_for(site, config, "overrides" if custom_dir else None)
        copy_config.update(docs_dir=docs, site_dir=site_dir)
        _write(out / name, _HEADER + _dump(copy_config))
        configs[path] = out / name
    return configs
