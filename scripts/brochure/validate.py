"""Validation: find every YAML file, check it against the schema, and gather all problems.

Nothing is rendered or written until this passes, so a mistake never reaches the site.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cjk import READ_ONE_BY_ONE
from .config import Settings, language_problem, settings_from_options
from .docstree import check_docs_tree
from .loader import Document, MarkdownFile, load_markdown, load_yaml
from .parallel import fork_map
from .problems import ContentError, Problem, Problems
from .schema import (
    INVALID,
    LIBRARIES,
    PLUGIN_OPTIONS,
    POST,
    SLUG_RE,
    UNREADABLE,
    Context,
    check_library,
    check_programme,
    draft_ids,
    library_list,
    resolve_doc_file,
    slug_form,
)
from .store import code_digest, file_stamp, load, pickled_by_value, save
from .urls import page_path

# Page names the generator itself uses inside programmes/; a programme cannot take them.
RESERVED_SLUGS = {"index", "libraries"}


@dataclass
class ProgrammeSource:
    slug: str
    file: str
    data: dict
    # draft: true, and it passed its check: built only in the preview (Settings.preview).
    draft: bool = False


@dataclass(frozen=True)
class FailedDraft:
    """A draft (draft: true) whose check found problems: not built, not even in the preview.
    Its problems are among Content.draft_problems; the 待审 page names it (review.py)."""

    kind: str  # "programme" or "post"
    file: str
    title: str  # as written, if it could be read; else ""
    problems: int
    roles: tuple[str, ...] = ()  # a post's credit roles with a name written in
    files: tuple[str, ...] = ()  # a post's photos that were found (post_photos)


@dataclass
class PostSource:
    """A news post (新闻稿): its checked front matter and where it will be published."""

    src_uri: str  # relative to docs/, as MkDocs names the file
    file: str
    data: dict
    url: str  # news/2025/06-09-slug/: the date plus an ASCII slug, never the title
    # What listings and the post header need from the body, worked out while the file is
    # checked (on every core, and remembered with the check), not at every build.
    excerpt: str
    reading_minutes: int
    # Its photos (body images, cover, photo series), as paths under docs/ (post_photos).
    photos: tuple[str, ...] = ()


@dataclass
class Content:
    """Everything that passed validation, still as plain checked records."""

    programmes: list[ProgrammeSource] = field(default_factory=list)
    libraries: dict[str, list[dict]] = field(default_factory=dict)
    posts: list[PostSource] = field(default_factory=list)
    # Where each library entry's id stands, for problems found after the schema check.
    library_lines: dict[str, dict[str, int]] = field(default_factory=dict)
    # Problems in drafts (draft: true): reported, never blocking what is ready to publish.
    draft_problems: list = field(default_factory=list)
    # The drafts those problems are in (the programmes and posts above are the ones that passed).
    failed_drafts: list[FailedDraft] = field(default_factory=list)
    # A digest of all of the above, set by validate_once: equal digests mean equal content, so
    # what is generated from it can be remembered under it (see generated.py).
    digest: str = field(default="", compare=False)

    def unpublished_photos(self, published: set[str]) -> set[str]:
        """The files under docs/ (as MkDocs names them) that only posts not in `published`
        (by src_uri) show: drafts, posts not yet due, drafts that failed their check. MkDocs
        would copy them into the site with the rest of docs/, and a draft's photos would be
        out before the draft. A file that a published post, programme or library entry also
        uses stays; so does one no post names."""
        hidden = {f for post in self.posts if post.src_uri not in published for f in post.photos}
        hidden.update(f for draft in self.failed_drafts for f in draft.files)
        if not hidden:
            return hidden
        hidden.difference_update(f for post in self.posts if post.src_uri in published for f in post.photos)
        # A programme's cover or a lecturer's photo is a path under docs/ among its values.
        records = [p.data for p in self.programmes if not p.draft] + list(self.libraries.values())
        return hidden.difference(_strings(records))


def _strings(value):
    """Every text among the values of a checked record, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def load_settings(config_file: Path) -> Settings:
    """Read mkdocs.yml without importing MkDocs (so `check` stays fast), and check the
    `brochure` block; a mistake there is reported like any content problem."""
    problems = Problems()
    root = config_file.parent.resolve()
    display = config_file.name
    doc = load_yaml(config_file, display, problems)
    if doc is None:
        raise ContentError(problems)
    config = doc.data if isinstance(doc.data, dict) else {}
    options = PLUGIN_OPTIONS.defaults()
    # The options are checked before there are settings; no option's check reads them.
    placeholder = settings_from_options(root, options, "docs", "zh")
    for i, plugin in enumerate(config.get("plugins") or []):
        if isinstance(plugin, dict) and "brochure" in plugin:
            checked = PLUGIN_OPTIONS.check(
                plugin["brochure"], ("plugins", i, "brochure"), Context(doc, problems, placeholder)
            )
            if checked is not INVALID:
                options = checked
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    language = theme.get("language") or "zh"
    wrong_language = language_problem(language)
    if wrong_language:
        problems.add(display, doc.line(("theme", "language")), "theme.language", *wrong_language)
    if problems:
        raise ContentError(problems)
    settings = settings_from_options(
        root,
        options,
        str(config.get("docs_dir") or "docs"),
        language,
        str(config.get("site_url") or ""),
        str(config.get("site_name") or ""),
    )
    # Checked above with the `brochure` block (schema._site_identity): the logo is a file under
    # docs_dir, and extra.site a mapping.
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    site = extra.get("site") if isinstance(extra.get("site"), dict) else {}
    logo = theme.get("logo")
    return replace(
        settings,
        host_unit=str(site.get("host_unit") or ""),
        emblem=settings.docs_dir / logo if isinstance(logo, str) and logo.strip() else None,
    )


def programme_files(settings: Settings) -> list[Path]:
    root = settings.content_dir
    if not root.is_dir():
        return []
    files = [p for pattern in ("*.yml", "*.yaml") for p in root.rglob(pattern)]
    return sorted(p for p in files if settings.libraries_dir not in p.parents)


def library_file(settings: Settings, name: str) -> Path:
    for suffix in (".yml", ".yaml"):
        candidate = settings.libraries_dir / f"{name}{suffix}"
        if candidate.exists():
            return candidate
    return settings.libraries_dir / f"{name}.yml"


def _inside(path: Path, root: Path, problems: Problems, display: str) -> bool:
    """A symlink must not lead outside the project: its target would be published."""
    if not path.resolve().is_relative_to(root.resolve()):
        problems.add(display, 0, "", "这是一个指向项目之外的链接文件。", "请把文件本身复制进来，而不是链接。")
        return False
    return True


def validate_once(settings: Settings, workers: int = 1) -> Content:
    """validate(), remembered in the cache folder until any file it reads changes.

    `brochure build` checks the content itself, so that problems are reported plainly before
    MkDocs starts, and the plugin then checks it again in MkDocs' process (and once more for
    the Traditional copy). At 5,000 pages a check takes seconds; the later ones read the first
    one's result instead. The key covers every file under the content folder and docs/ (size
    and modification time: an attachment deleted or a post edited changes it) and the settings,
    which include the build date.
    """
    settings = replace(settings, preview=False)  # the check is the same for the preview
    h = hashlib.sha256(f"{code_digest()}\0{settings!r}".encode())
    for root in (settings.content_dir, settings.docs_dir):
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            # Links to folders, and links that lead nowhere, count too: adding one must bring
            # the check back (docstree.py refuses links out of docs/ and loops).
            for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    try:
                        stat = os.lstat(path)
                    except OSError:
                        continue
                h.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    key = h.hexdigest()
    # One file per language: the Traditional copy's check must not evict the Simplified one's.
    remembered = settings.cache_dir / f"content-{settings.language}.pickle"
    try:
        with remembered.open("rb") as f:
            if pickle.load(f) == key:
                digest, data = pickle.load(f), pickle.load(f)
                content = pickle.loads(data)
                content.digest = digest
                return content
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass  # no usable earlier result
    # Something changed, usually one file: the files that did not change are not read again.
    memo = Memo(load(settings.cache_dir / f"files-{settings.language}.pickle") or {})
    content = validate(settings, workers, memo)  # raises with every problem; nothing is remembered then
    save(settings.cache_dir / f"files-{settings.language}.pickle", memo.now)
    data = pickled_by_value(content)
    content.digest = hashlib.sha256(data).hexdigest()
    save(remembered, key, content.digest, data)
    return content


@dataclass
class Memo:
    """Files checked by an earlier validate() without a problem, by (context, path, size,
    modification time): `earlier` is read, `now` collects what this run would remember."""

    earlier: dict
    now: dict = field(default_factory=dict)


def _checked(check, items: list, context, paths: list[Path], memo: Memo | None, workers: int) -> list:
    """[check(item) for item in items] as (result, Problems), on `workers` cores, taking from
    `memo` the results of files that have not changed since they were checked in the same
    context (`context()`: the settings and everything else the check looks up; only worked
    out when there is a memo)."""
    if memo is None:
        return fork_map(check, items, workers)
    stamp = hashlib.sha256(f"{code_digest()}\0{context()!r}".encode()).hexdigest()
    keys = []
    for path in paths:
        found = file_stamp(path)
        keys.append(None if found is None else (stamp, str(path), *found))
    todo = [i for i, key in enumerate(keys) if key not in memo.earlier]
    fresh = dict(zip(todo, fork_map(lambda i: check(items[i]), todo, workers), strict=True))
    results = []
    for i, key in enumerate(keys):
        if i in fresh:
            result, found = fresh[i]
            if key is not None and not found and not found.notices:
                memo.now[key] = result
        else:
            result, found = memo.earlier[key], Problems()
            memo.now[key] = result
        results.append((result, found))
    return results


def validate(settings: Settings, workers: int = 1, memo: Memo | None = None) -> Content:
    """Check all content; raise ContentError listing every problem at once.

    Files are read and checked on `workers` cores (see parallel.fork_map); what depends on more
    than one file (ids, slugs, URLs) is checked here, in file order, so the result and the
    problems are the same however many workers there are.
    """
    settings = replace(settings, preview=False)  # the check is the same for the preview
    problems = Problems()
    content = Content()
    library_ids: dict[str, set[str]] = {}

    for name in LIBRARIES:
        path = library_file(settings, name)
        display = settings.display(path)
        content.libraries[name] = []
        if not path.exists():
            continue  # an institution may start without, say, a sites library
        if not _inside(path, settings.root, problems, display):
            library_ids.setdefault(UNREADABLE, set()).add(name)
            continue
        doc = load_yaml(path, display, problems)
        if doc is None:
            # Every reference into it would be "unknown" too: one real cause, buried under
            # hundreds of messages that follow from it. It is reported; they are held back.
            library_ids.setdefault(UNREADABLE, set()).add(name)
            continue
        entries = check_library(name, doc, Context(doc, problems, settings))
        data, at = library_list(name, doc.data)
        if not isinstance(data, list):
            library_ids.setdefault(UNREADABLE, set()).add(name)  # not a list of entries at all
        content.libraries[name] = entries
        raw = {i: e for i, e in enumerate(data) if isinstance(e, dict)} if isinstance(data, list) else {}
        content.library_lines[name] = {str(e.get("id")): doc.line((*at, i, "id")) for i, e in raw.items()}
        # An entry with a mistake elsewhere (a bad URL) still exists: references to its id are
        # fine, so one mistake is reported once and not again at every programme that uses it.
        library_ids[name] = {e["id"] for e in entries} | {e["id"] for e in raw.values() if isinstance(e.get("id"), str)}
        # An id written against the rules (qin_yufang) is reported at the library, with the
        # form it should take; references already written in that form are not reported again.
        library_ids[name] |= {slug_form(i) for i in library_ids[name] if not SLUG_RE.match(i)}

    seen: dict[str, str] = {}
    candidates: list[tuple[Path, str, str]] = []
    for path in programme_files(settings):
        display = settings.display(path)
        if not _inside(path, settings.root, problems, display):
            continue
        slug = path.stem
        if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
            problems.add(
                display,
                0,
                "",
                f"文件名 “{path.name}” 不能用作网址。",
                "文件名只用小写英文字母、数字和连字符，例如 2025-shebao-yanxiuban.yml，且不能叫 index。",
            )
            continue
        if slug in seen:
            problems.add(
                display,
                0,
                "",
                f"班次网址 “{slug}” 与 {seen[slug]} 重复。",
                "两个文件不能同名（即使在不同文件夹里），请改其中一个的文件名。",
            )
            continue
        seen[slug] = display
        candidates.append((path, display, slug))

    def check_file(candidate: tuple[Path, str, str]) -> tuple[dict | None, Problems]:
        path, display, _ = candidate
        found = Problems()
        doc = load_yaml(path, display, found)
        return (None if doc is None else check_programme(doc, Context(doc, found, settings, library_ids))), found

    checked = _checked(
        check_file,
        candidates,
        lambda: (settings, sorted((k, sorted(v)) for k, v in library_ids.items())),
        [c[0] for c in candidates],
        memo,
        workers,
    )
    drafts: set[str] = set()
    for (path, display, slug), (record, found) in zip(candidates, checked, strict=True):
        content.draft_problems += found.notices
        marked = record is not None and record["draft"]
        raw = load_yaml(path, display, Problems()) if found and not marked else None
        if marked or _marked_draft(raw):
            # A draft is not published, so its problems must not hold back what is ready. One
            # that passed is carried, flagged, for the preview.
            drafts.add(slug)
            content.draft_problems += found.items
            if found or record is None:
                title = record["title"] if record is not None else _written_title(raw)
                content.failed_drafts.append(FailedDraft("programme", display, title, len(found)))
            else:
                content.programmes.append(ProgrammeSource(slug, display, record, draft=True))
            continue
        problems.items += found.items
        if record is not None:
            content.programmes.append(ProgrammeSource(slug, display, record))

    _hand_written_clashes(settings, content, problems)
    library_ids["programmes"] = set(seen) - drafts
    library_ids[draft_ids("programmes")] = drafts

    def check_news_file(path: Path) -> tuple[PostSource | None, Problems]:
        found = Problems()
        return check_post(path, settings, found, library_ids), found

    def post_context() -> tuple:
        # A post's check also looks at the photos beside it.
        stats = ((str(p), p.stat()) for p in settings.docs_dir.rglob("*") if p.suffix != ".md" and p.is_file())
        files = sorted((path, stat.st_size, stat.st_mtime_ns) for path, stat in stats)
        return settings, sorted((k, sorted(v)) for k, v in library_ids.items()), files

    posts = news_files(settings)
    checked_posts = _checked(check_news_file, posts, post_context, posts, memo, workers)
    ready: list[tuple[Path, PostSource]] = []
    for path, (post, found) in zip(posts, checked_posts, strict=True):
        content.draft_problems += found.notices
        source = load_markdown(path, settings.display(path), Problems()) if found else None
        front = source.front if source else None
        if found and _marked_draft(front):
            content.draft_problems += found.items
            credits = front.data.get("credits")
            roles = tuple(str(r) for r, names in credits.items() if names) if isinstance(credits, dict) else ()
            content.failed_drafts.append(
                FailedDraft(
                    "post",
                    settings.display(path),
                    _written_title(front),
                    len(found),
                    roles,
                    post_photos(source, path, settings),
                )
            )
            continue
        problems.items += found.items
        if post is not None:
            ready.append((path, post))
    # Published posts take their addresses first: a draft never takes one from a post that is
    # out, and a clash with a draft is the draft's problem.
    urls: dict[str, str] = {}
    for path, post in sorted(ready, key=lambda item: bool(item[1].data["draft"])):
        if post.url in urls:
            front = _front_matter(path, settings)
            (content.draft_problems if post.data["draft"] else problems.items).append(
                Problem(
                    post.file,
                    front.line(("slug",)) if front else 0,
                    "slug",
                    f"网址 {post.url} 与 {urls[post.url]} 重复。",
                    "同一天的两篇稿件请用不同的 slug。",
                )
            )
            if post.data["draft"]:
                roles = tuple(post.data["credits"] or {})
                content.failed_drafts.append(FailedDraft("post", post.file, post.data["title"], 1, roles, post.photos))
            continue
        urls[post.url] = post.file
    content.posts = [post for _, post in ready if urls.get(post.url) == post.file]

    # Links in docs/ that MkDocs must not follow (out of docs/, round a loop). Looked for last,
    # and only when all else passed: a link that a programme or post refers to is reported
    # there already, with its line and field, and one mistake gets one message.
    if not problems:
        check_docs_tree(settings, problems)
    if problems:
        raise ContentError(problems)
    return content


def _marked_draft(doc: Document | None) -> bool:
    """Whether a file that did not pass its check says `draft: true` (yes, on) at its top."""
    return doc is not None and isinstance(doc.data, dict) and doc.data.get("draft") is True


def _written_title(doc: Document | None) -> str:
    """The title a file that did not pass its check gives, if it gives one as text."""
    title = doc.data.get("title") if doc is not None and isinstance(doc.data, dict) else None
    return " ".join(title.split()) if isinstance(title, str) else ""


def _front_matter(path: Path, settings: Settings) -> Document | None:
    source = load_markdown(path, settings.display(path), Problems())
    return source.front if source else None


def _hand_written_clashes(settings: Settings, content: Content, problems: Problems) -> None:
    """A generated page must not silently replace (or be replaced by) a page an editor wrote.
    A draft's clash is the draft's problem: it is then not built, not even in the preview."""
    for p in [p for p in content.programmes if p.draft]:
        page = page_path("programme", p.slug)[: -len(".md")]
        for candidate in (f"{page}.md", f"{page}/index.md"):
            if (settings.docs_dir / candidate).exists():
                content.draft_problems.append(
                    Problem(
                        p.file,
                        1,
                        "",
                        f"自动生成的页面 {candidate} 与手写的 docs/{candidate} 重名。",
                        "请删除或改名手写页面，或者改这个班次的文件名（编号）。",
                    )
                )
                content.programmes.remove(p)
                content.failed_drafts.append(FailedDraft("programme", p.file, p.data["title"], 1))
                break
    published = [p for p in content.programmes if not p.draft]
    generated = [(page_path("programme", p.slug)[: -len(".md")], p.file, 1, "") for p in published]
    for name, entries in content.libraries.items():
        file = settings.display(library_file(settings, name))
        lines = content.library_lines.get(name, {})
        generated += [(f"{name}/{e['id']}", file, lines.get(e["id"], 0), e["id"]) for e in entries]
    for page, file, line, entry_id in generated:
        for candidate in (f"{page}.md", f"{page}/index.md"):
            if (settings.docs_dir / candidate).exists():
                problems.add(
                    file,
                    line,
                    f"id = {entry_id}" if entry_id else "",
                    f"自动生成的页面 {candidate} 与手写的 docs/{candidate} 重名。",
                    "请删除或改名手写页面，或者改这个班次的文件名（编号）。",
                )


def news_files(settings: Settings) -> list[Path]:
    root = settings.docs_dir / settings.news_dir
    return sorted(root.rglob("*.md")) if root.is_dir() else []


# Images in a post body: Markdown ![alt](path "title") and HTML <img src="path">.
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)", re.IGNORECASE)


def check_post(path: Path, settings: Settings, problems: Problems, library_ids: dict) -> PostSource | None:
    display = settings.display(path)
    if not _inside(path, settings.root, problems, display):
        return None
    source = load_markdown(path, display, problems)
    if source is None:
        return None
    ctx = Context(source.front, problems, settings, library_ids, folder=path.parent)
    if not isinstance(source.front.data, dict):
        ctx.problem((), "文件头是空的或不是 “键: 值” 的形式。", "可用 brochure new post 生成带全部字段的模板。")
        return None
    record = POST.check(source.front.data, (), ctx)
    _check_body_images(source, path, settings, problems, display)
    # HTML pasted into the body that the build's allow-list would drop (sanitise.py).
    from .sanitise import HINT, describe, site_host, unsafe_markdown

    for line, removals in unsafe_markdown(source.body, site_host(settings.site_url)):
        problems.add(display, source.body_line + line, "正文", describe(removals), HINT)
    if record is INVALID:
        return None
    src_uri = path.relative_to(settings.docs_dir).as_posix()
    url = post_url(settings, src_uri, record)
    body = plain_excerpt(source.body), reading_minutes(source.body)
    return PostSource(src_uri, display, record, url, *body, post_photos(source, path, settings))


def _body_images(source: MarkdownFile, path: Path, settings: Settings):
    """(line, the file under docs/ or what is wrong with the path) for each local image in
    the body."""
    for number, line in enumerate(source.body.splitlines(), source.body_line):
        for match in [*_MARKDOWN_IMAGE.finditer(line), *_HTML_IMAGE.finditer(line)]:
            target = match.group(1)
            if re.match(r"^([a-z]+:|//|#)", target, re.IGNORECASE):
                continue  # an address on the web is the editor's choice (and #4's concern)
            yield number, resolve_doc_file(target.split("#")[0].split("?")[0], settings.docs_dir, path.parent)


def _check_body_images(source: MarkdownFile, path: Path, settings: Settings, problems: Problems, display: str) -> None:
    for number, found in _body_images(source, path, settings):
        if isinstance(found, str):
            problems.add(
                display, number, "正文图片", found, "照片请放在稿件旁边，并写相对稿件的路径，如 kaiban-1.jpg。"
            )


def post_photos(source: MarkdownFile, path: Path, settings: Settings) -> tuple[str, ...]:
    """The files under docs/ a post shows: its body images, its cover and its photo series,
    those that are there (a missing one is the check's to report). Read from the front matter
    as written, so that a draft that failed its check has them too."""
    front = source.front.data if isinstance(source.front.data, dict) else {}
    cover, series = front.get("cover"), front.get("photos")
    images = [cover.get("image")] if isinstance(cover, dict) else []
    images += [p.get("image") for p in series if isinstance(p, dict)] if isinstance(series, list) else []
    found = [resolve_doc_file(i, settings.docs_dir, path.parent) for i in images if isinstance(i, str) and i.strip()]
    found += [f for _, f in _body_images(source, path, settings)]
    return tuple(dict.fromkeys(f.as_posix() for f in found if not isinstance(f, str)))


# A post's text.
# Characters a reader reads one by one (Han, kana, Hangul, CJK punctuation). The rest counts by words.
_CJK = re.compile(f"[{READ_ONE_BY_ONE}]")
_WORD = re.compile(r"[A-Za-z0-9]+")
CJK_CHARS_PER_MINUTE = 400  # a common figure for reading Chinese text on screen
WORDS_PER_MINUTE = 200
MORE = "<!-- more -->"


def reading_minutes(markdown: str) -> int:
    """Reading time that is right for Chinese: characters are counted, not space-separated words."""
    text = re.sub(r"<[^>]+>|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)", " ", markdown)
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(_CJK.sub(" ", text)))
    return max(1, math.ceil(cjk / CJK_CHARS_PER_MINUTE + words / WORDS_PER_MINUTE))


def plain_excerpt(markdown: str) -> str:
    """The text before <!-- more --> (else the first paragraph), without Markdown syntax."""
    head = markdown.split(MORE, 1)[0] if MORE in markdown else markdown.strip().split("\n\n", 1)[0]
    head = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", head)  # images
    head = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", head)  # links keep their text
    head = re.sub(r"<[^>]+>", "", head)
    head = re.sub(r"(?m)^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", head)
    head = re.sub(r"[*_`]", "", head)
    return " ".join(head.split())


def post_url(settings: Settings, src_uri: str, record: dict) -> str:
    """news/<year>/<mm-dd>-<slug>/. The slug comes from `slug:`, else from an ASCII file name,
    else from a short hash of the file's path, so a title change never moves a post."""
    when = record["date"]
    stem = Path(src_uri).stem
    stem = re.sub(r"^(\d{4}-)?\d{2}-\d{2}-", "", stem)  # the date is added anyway
    slug = record.get("slug") or (stem if SLUG_RE.match(stem) else "")
    if not slug:
        slug = "p" + hashlib.sha1(src_uri.encode("utf-8")).hexdigest()[:6]
    return f"{settings.news_dir}/{when:%Y}/{when:%m-%d}-{slug}/"
