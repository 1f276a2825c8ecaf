"""Import news articles saved from old sites (a CMS page, a WeChat article, a partner portal)
into news posts, keeping what is content and reporting what an editor must look at.

The steps, in order: read (plain text, Markdown or HTML) -> lines of text -> lift the metadata
(title, date, source, author, photographer, the credits chain) -> drop the site's furniture
(copyright, disclaimers, contact lines, 上一篇/下一篇, hot words, share prompts, broken images)
-> repair conversion damage we can (inline pinyin, half-width punctuation) and flag what we
cannot (U+FFFD, runs of ?) -> optionally convert the script with OpenCC -> write the post.

Nothing already in the site is overwritten: a photo whose name is taken gets a new one. Files
it cannot read (Word, PDF, images, anything that is not text) are refused before anything is
written, and control characters, which YAML and so `brochure check` refuse, never reach a post.
"""

from __future__ import annotations

import codecs
import filecmp
import functools
import hashlib
import itertools
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import jinja2

from .cjk import HAN
from .config import CHINA_TZ, DEFAULT_CREDIT_ROLES, Settings
from .loader import UNPRINTABLE as _UNPRINTABLE  # what `check` would refuse
from .problems import Problems
from .render import template_environment
from .schema import IMAGE_SUFFIXES

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
ACCEPTED = "、".join(SUFFIXES)
# Documents editors keep beside saved pages. Left out of a folder's import they would be lost
# without a word, and read as text they make a post that blocks the site, so they are refused.
WORD = (".docx", ".doc", ".docm", ".dotx", ".wps", ".rtf", ".odt")
NOT_READ = (*WORD, ".pdf", ".ofd", ".pages", ".xlsx", ".xls", ".et", ".pptx", ".ppt", ".dps")
# How a file starts tells what it is, whatever its name says (a Word file renamed to .txt).
_MAGIC = (
    (b"PK\x03\x04", "Word 等 Office 文件（.docx）"),
    (b"\xd0\xcf\x11\xe0", "旧版 Word 或 WPS 文件（.doc/.wps）"),
    (b"%PDF", "PDF 文件"),
    (b"{\\rtf", "RTF 文件"),
    (b"\x89PNG", "图片"),
    (b"\xff\xd8\xff", "图片"),
)
_WORD_HINT = (
    "请在 Word（或 WPS）里用“另存为”，保存类型选“网页（*.htm; *.html）”"
    "（图片会一起保存，导入时会带上），或选“纯文本（*.txt）”，再导入保存的文件；"
    "也可以把正文复制粘贴到一个 .txt 文件里再导入。"
)
# Old sites write the chain in either script and with a few synonyms; ours uses these names.
ROLE_ALIASES = {
    "文": "供稿",
    "作者": "供稿",
    "图": "供图",
    "圖": "供图",
    "供圖": "供图",
    "终审": "审核发布",
    "終審": "审核发布",
    "审核": "审核发布",
    "審核": "审核发布",
    "審核發布": "审核发布",
    "攝影": "摄影",
    "編輯": "编辑",
    "責編": "责编",
    "審編": "审编",
    "初審": "初审",
    "複審": "复审",
    "復審": "复审",
}

_DATE = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：]\d{2})?)?"
)
_DATE_LABEL = re.compile(r"(发布|發布|发表|發表|更新)?(日期|时间|時間)\s*[:：]")
_SOURCE = re.compile(r"(?:来源|來源|稿件来源|信息来源)\s*[:：]\s*([^\s|｜　]+)")
_AUTHOR = re.compile(r"(?:作者|記者|记者)\s*[:：]\s*([^\s|｜　]+)")
_PHOTO = re.compile(r"(?:摄影|攝影|图片|圖片)\s*[:：]\s*([^\s|｜　]+)")
# Our roles (责编 and 审编 included) and the synonyms old sites use for them.
_ROLE = re.compile(
    r"(" + "|".join(sorted({*DEFAULT_CREDIT_ROLES, *ROLE_ALIASES}, key=len, reverse=True)) + r")\s*[:：|｜丨]\s*"
)

# Site furniture: whole lines that belong to the old site, not to the article.
FURNITURE = [
    ("导航", re.compile(r"^(首页|首頁|当前位置|當前位置|您现在的位置|您的位置)\s*[:：|｜>＞»]")),
    ("版权声明", re.compile(r"版权所有|版權所有|copyright|©|all rights reserved", re.IGNORECASE)),
    ("免责声明", re.compile(r"免责声明|免責聲明|转载请注明|轉載請註明|未经授权|本网站所刊|本站所刊")),
    ("联系方式", re.compile(r"^(联系电话|聯絡電話|联系方式|地址|邮编|郵編|电子邮箱|邮箱|传真)\s*[:：]")),
    ("上一篇/下一篇", re.compile(r"^(上一篇|下一篇|上一條|下一條|上一条|下一条)\s*[:：]?")),
    ("相关热词", re.compile(r"^(相关热词|熱詞|热词|相关搜索|相關搜索|关键词|關鍵詞)\s*[:：]?")),
    (
        "分享提示",
        re.compile(
            r"分享到|扫一扫|掃一掃|微信扫码|打印本页|打印本頁|关闭窗口|關閉窗口|字体\s*[:：]?\s*[大中小]|【\s*字号"
        ),
    ),
    ("备案信息", re.compile(r"ICP备|ICP備|公网安备|公網安備")),
]
# Inline pinyin that Traditional-conversion widgets insert after a character: 區(qū), 關(guān).
_PINYIN = re.compile(rf"(?<=[{HAN}])[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)[)）]")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_LOST = re.compile(r"\ufffd|\?{2,}|？{3,}")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)")


@dataclass
class Article:
    """What was found in one saved article, and what the editor should know."""

    source_file: Path
    title: str = ""
    date: datetime | None = None
    outlet: str = ""
    credits: dict[str, list[str]] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # local images, copied beside the post
    placed: dict[str, tuple[str, str]] = field(default_factory=dict)  # src -> (name, copied/renamed/reused)
    controls: list[str] = field(default_factory=list)  # lines that had control characters removed
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, line)
    repaired: list[str] = field(default_factory=list)
    flagged: list[tuple[int, str]] = field(default_factory=list)  # (line in the post body, text)

    @property
    def needs_review(self) -> bool:
        return bool(self.flagged)


class _HtmlText(HTMLParser):
    """Paragraph-level text from HTML: one line per block, images as Markdown."""

    BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "li", "tr", "section", "article", "header", "footer", "td"}
    SKIP = {"script", "style", "noscript", "nav", "iframe"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.title = ""
        self.h1 = ""
        self.h1_at: int | None = None  # where the article starts: what comes before is the site's
        self._in: list[str] = []
        self._skip = 0

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIP:
            self._skip += 1
        if tag in self.BLOCKS:
            self._flush()
        if tag == "h1" and self.h1_at is None:
            self.h1_at = len(self.lines)
        if tag == "img" and not self._skip:
            self._flush()
            self.lines.append(f"![{attrs.get('alt') or ''}]({attrs.get('src') or ''})")
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag in self.BLOCKS:
            self._flush()
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._skip:
            return
        if self._in and self._in[-1] == "title":
            self.title += data
            return
        if self._in and self._in[-1] == "h1":
            self.h1 += data
        self.current.append(data)

    def close(self):
        super().close()
        self._flush()


def _decode(raw: bytes) -> str | None:
    """The text in the encodings saved Chinese pages come in, or None if it is in none of them."""
    # Windows Notepad's "Unicode" is UTF-16 with a byte-order mark.
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_lines(path: Path) -> tuple[list[str], str, int]:
    """The article as lines of text, a title the format itself gives (HTML <h1>/<title>), and
    the line where the article starts (what an HTML page has before its <h1> is the site's)."""
    raw = path.read_bytes()
    text = _decode(raw)
    if text is None:
        text = raw.decode("utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        parser = _HtmlText()
        parser.feed(text)
        parser.close()
        title = " ".join(parser.h1.split()) or " ".join(parser.title.split()).split("_")[0].split(" - ")[0]
        return parser.lines, title, parser.h1_at or 0
    return [line.rstrip() for line in text.splitlines()], "", 0


def _printable(lines: list[str], article: Article) -> list[str]:
    """The lines without the control characters `check` would refuse; each changed one is noted."""
    kept = []
    for line in lines:
        clean = _UNPRINTABLE.sub("", line)
        if clean != line:
            article.controls.append(clean.strip())
        kept.append(clean)
    return kept


def repair(line: str, article: Article) -> str:
    fixed = _PINYIN.sub("", line)

    def full_width(match: re.Match) -> str:
        return _HALF_TO_FULL[match.group(0)]

    # Half-width punctuation touching Chinese text becomes full-width; 10:30 and a, b stay.
    # A run of ?? is lost characters, not punctuation: it is left for the editor (flagged).
    fixed = re.sub(rf"(?<=[{HAN}])(?:[,;:!)]|(?<!\?)\?(?!\?))|[(](?=[{HAN}])", full_width, fixed)
    fixed = re.sub(rf"[,;:!](?=[{HAN}])", full_width, fixed)
    fixed = re.sub(rf"(?<=[{HAN}])\.(?=[{HAN}])", "。", fixed)
    if fixed != line:
        article.repaired.append(f"{line} → {fixed}")
    return fixed


def _credits_in(line: str) -> dict[str, list[str]] | None:
    """A credits line: 供稿 | 某某  供图：某某 …  or （编辑：某某 审核：某某）."""
    stripped = line.strip().strip("（）()【】[]")
    matches = list(_ROLE.finditer(stripped))
    if not matches or matches[0].start() > 2:
        return None
    found: dict[str, list[str]] = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(stripped)
        names = re.split(r"[、，,/\s　|｜丨]+", stripped[match.end() : end])
        names = [n for n in names if n]
        if names:
            role = ROLE_ALIASES.get(match.group(1), match.group(1))
            found.setdefault(role, []).extend(names)
    return found or None


def parse_article(path: Path, settings: Settings, convert: str | None = None) -> Article:
    article = Article(path)
    lines, title, start = read_lines(path)
    title, *lines = _printable([title, *lines], article)
    article.removed += [("页面头部", line) for line in lines[:start] if line.strip()]
    lines = lines[start:]
    converter = None
    if convert:
        import opencc

        converter = opencc.OpenCC(convert)
        lines = [converter.convert(line) for line in lines]
        title = converter.convert(title)
    paragraphs: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if not article.title:
            if title:
                article.title = title
            elif not text.startswith("!["):
                article.title = text.lstrip("#").strip()
                continue
        if text.lstrip("#").strip() == article.title:
            continue  # the title, or the title repeated inside the page
        if _metadata(text, article):
            continue
        credits = _credits_in(text)
        if credits:
            for role, names in credits.items():
                known = article.credits.setdefault(role, [])
                known.extend(n for n in names if n not in known)
            continue
        kind = next((kind for kind, pattern in FURNITURE if pattern.search(text)), None)
        if kind:
            article.removed.append((kind, text))
            continue
        image = _MD_IMAGE.fullmatch(text)
        if image:
            src = image.group(2)
            local = (path.parent / src) if src and not re.match(r"^[a-z]+:|^//", src) else None
            if local is None or not _saved_photo(local, path.parent):
                article.removed.append(("失效图片", text))
                continue
            article.images.append(src)
            # The name beside the post is chosen when it is written (see place_images).
            paragraphs.append(f"![{image.group(1)}]({src})")
            continue
        paragraphs.append(repair(text, article))  # one paragraph per line of the source
    article.title = repair(article.title, article) if article.title else path.stem
    article.body = paragraphs
    article.flagged = [(0, text) for text in [article.title, *paragraphs] if _LOST.search(text)]
    return article


def _metadata(text: str, article: Article) -> bool:
    """Lift date, source, author and photographer from a header line; True if the line was only that."""
    consumed = False
    date_match = _DATE.search(text)
    if date_match and article.date is None and (_DATE_LABEL.search(text) or _DATE.fullmatch(text.strip())):
        parts = {k: int(v) if v else 0 for k, v in date_match.groupdict().items()}
        try:
            article.date = datetime(parts["y"], parts["m"], parts["d"], parts["H"], parts["M"], tzinfo=CHINA_TZ)
            consumed = True
        except ValueError:
            pass
    for pattern, action in (
        (_SOURCE, lambda v: setattr(article, "outlet", article.outlet or v)),
        (_AUTHOR, lambda v: article.credits.setdefault("供稿", []).append(v)),
        (_PHOTO, lambda v: article.credits.setdefault("摄影", []).append(v)),
    ):
        match = pattern.search(text)
        if match:
            action(match.group(1))
            consumed = True
    if not consumed:
        return False
    # A header line holds only metadata; anything longer is a sentence that mentions a date.
    leftover = _DATE.sub("", text)
    for pattern in (_DATE_LABEL, _SOURCE, _AUTHOR, _PHOTO):
        leftover = pattern.sub("", leftover)
    return len(re.sub(r"[\s|｜丨:：\-—【】\[\]()（）]+", "", leftover)) <= 6


def post_slug(article: Article) -> str:
    """A stable ASCII slug from the saved article itself (whitespace aside), so importing the
    same article again, with any options, finds the post it made before (idempotent)."""
    raw = re.sub(rb"\s+", b"", article.source_file.read_bytes())
    return "imp-" + hashlib.sha1(raw).hexdigest()[:8]


@functools.cache
def _post_template() -> jinja2.Template:
    """Compiled once per process: a bulk import compiled it again for every article."""
    return template_environment().get_template("imported-post.md.j2")


def write_post(article: Article, settings: Settings, category: str | None, now: datetime) -> tuple[Path, bool]:
    """Write the post beside its images; (path, False) if it was imported before."""
    when = article.date or now
    slug = post_slug(article)
    folder = settings.docs_dir / settings.news_dir / f"{when:%Y}"
    target = folder / f"{when:%m-%d}-{slug}.md"
    if target.exists():
        return target, False
    roles = [r for r in settings.credit_roles]
    credits = {role: names for role, names in article.credits.items() if role in roles}
    unknown = {role: names for role, names in article.credits.items() if role not in roles}
    missing = [r for r in settings.required_roles if r not in credits]
    folder.mkdir(parents=True, exist_ok=True)
    names = place_images(article, folder, reserved=target.name)

    def photo(paragraph: str) -> str:
        image = _MD_IMAGE.fullmatch(paragraph)
        return f"![{image.group(1)}]({names[image.group(2)]})" if image and image.group(2) in names else paragraph

    text = _post_template().render(
        a=article,
        body="\n\n".join(photo(paragraph) for paragraph in article.body),
        when=when,
        category=category or next(iter(settings.news_categories)),
        slug=slug,
        credits=credits,
        unknown=unknown,
        # A post that needs an editor's eye, or lacks its review chain, waits as a draft.
        draft=article.needs_review or bool(missing) or article.date is None or not article.outlet,
        missing=missing,
    )
    # Everything in the post came through _printable; this keeps the promise for what did not
    # (the saved file's own name, in the header comment).
    text, removed = _UNPRINTABLE.subn("", text)
    if removed:
        article.controls.append(f"稿件文件头（{removed} 个）")
    target.write_text(text, encoding="utf-8")
    # The report points at lines of the written post, where the editor will look.
    article.flagged = [(n, line) for n, line in enumerate(text.splitlines(), 1) if _LOST.search(line)]
    return target, True


def _saved_photo(local: Path, folder: Path) -> bool:
    """Whether `local` is a photo saved with the article: an image file inside the article's
    folder. /etc/passwd or ../../x, through a path or a link, would be copied into docs/ and
    published with the site."""
    try:
        return (
            local.suffix.lower() in IMAGE_SUFFIXES
            and local.resolve().is_relative_to(folder.resolve())
            and local.is_file()
        )
    except OSError:
        return False


_NUMBERED = re.compile(r"(.*?)(?:-(\d+))?(\.[^.]*)?")


def place_images(article: Article, folder: Path, reserved: str) -> dict[str, str]:
    """Copy the article's photos into the post's folder and return the name each got there.

    The folder holds a whole year of posts, so two articles' p1.jpg, or a published post's
    cover, can share a name. Nothing there is ever overwritten: a name taken by a different
    file moves on to p1-2.jpg, p1-3.jpg …; a file with the very same bytes is used as it is.
    """
    names: dict[str, str] = {}
    # A bulk import of WeChat pages brings hundreds of 640_0.jpeg: trying 640_0-2.jpeg, -3 …
    # on disk one by one made it quadratic. The folder is listed once; after the name itself
    # (the same photo imported again is reused), the next number past the highest in use.
    highest: dict[tuple[str, str], int] = {}
    for existing in os.listdir(folder):
        match = _NUMBERED.fullmatch(existing)
        if match:
            key = (match.group(1), match.group(3))
            highest[key] = max(highest.get(key, 1), int(match.group(2) or 1))
    for src in article.images:
        if src in names:
            continue
        original = article.source_file.parent / src
        name = Path(src).name
        stem, suffix = Path(name).stem, Path(name).suffix
        for n in itertools.chain([1], itertools.count(highest.get((stem, suffix), 1) + 1)):
            candidate = name if n == 1 else f"{stem}-{n}{suffix}"
            if candidate == reserved:
                continue
            dest = folder / candidate
            try:
                # "x" creates the file only if it does not exist, so nothing is ever replaced.
                with original.open("rb") as source, dest.open("xb") as copy:
                    shutil.copyfileobj(source, copy)
            except FileExistsError:
                if dest.is_file() and filecmp.cmp(original, dest, shallow=False):
                    article.placed[src] = (candidate, "reused")
                    break
                continue
            shutil.copystat(original, dest)
            highest[(stem, suffix)] = max(highest.get((stem, suffix), 1), n)
            article.placed[src] = (candidate, "copied" if n == 1 else "renamed")
            break
        names[src] = candidate
    return names


def unreadable(path: Path) -> tuple[str, str] | None:
    """Why the importer cannot read this file, and what to do instead; None if it can."""
    suffix = path.suffix.lower()
    if suffix in WORD:
        return "这是 Word 文件，导入暂时还不能读取。", _WORD_HINT
    if suffix not in SUFFIXES:
        what = "PDF 文件" if suffix == ".pdf" else f"“{suffix}”文件" if suffix else "没有扩展名的文件"
        return (
            f"导入不能读取{what}。",
            f"只能导入 {ACCEPTED} 文件：在浏览器里把原文“另存为”网页（.html），或把正文复制粘贴到 .txt 文件里。",
        )
    raw = path.read_bytes()
    kind = next((kind for magic, kind in _MAGIC if raw.startswith(magic)), None)
    # Binary files nearly always hold NUL bytes and are not valid text in any encoding; a text
    # file with a stray NUL pasted in is still read (the NUL is removed and reported).
    if kind or (b"\x00" in raw and _decode(raw) is None):
        hint = _WORD_HINT if kind and "Word" in kind else f"只能导入 {ACCEPTED} 这样的文字文件。"
        return f"扩展名是 {suffix}，内容却不是文字，而是{kind or '二进制文件（不是文字）'}。", hint
    return None


def article_files(path: Path) -> list[Path]:
    """The saved articles to import. If one of them, or a document left in the folder, is a
    format the importer cannot read, all of them are refused before anything is written, so
    no half of an import is left for the editor to untangle."""
    if path.is_dir():
        wanted = (*SUFFIXES, *NOT_READ)
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in wanted and p.is_file())
    else:
        files = [path]
    problems = Problems()
    for file in files:
        why = unreadable(file)
        if why:
            problems.add(file.as_posix(), 0, "", *why)
    if problems:
        lines = [str(problem) for problem in sorted(problems.items)]
        lines.append(f"有 {len(problems)} 个文件不能导入，所以这次什么也没有导入，没有写入任何文件。")
        raise SystemExit("\n".join(lines))
    return [file for file in files if file.suffix.lower() in SUFFIXES]


def report(article: Article, target: Path, created: bool, settings: Settings) -> list[str]:
    """What an editor needs to know about one imported article, in lines."""
    shown = settings.display(target)
    if not created:
        return [f"已导入过，跳过：{settings.display(article.source_file)} → {shown}"]
    found = [name for name, ok in (("标题", article.title), ("日期", article.date), ("来源", article.outlet)) if ok]
    found += [f"{role}（{'、'.join(names)}）" for role, names in article.credits.items()]
    lines = [f"{settings.display(article.source_file)} → {shown}", "  找到：" + ("、".join(found) or "无")]
    copied = [name for name, how in article.placed.values() if how == "copied"]
    if copied:
        lines.append("  图片：" + "、".join(copied) + "（已复制到稿件旁边）")
    folder = settings.display(target.parent)
    for src, (name, how) in article.placed.items():
        if how == "renamed":
            lines.append(f"  图片改名：{Path(src).name} → {name}（{folder}/ 里已有同名的另一张图片，没有覆盖它）")
        elif how == "reused":
            lines.append(f"  图片 {name}：{folder}/ 里已有内容完全相同的同名文件，稿件直接用它，没有再复制一份")
    if article.controls:
        lines.append(f"  已删除看不见的控制字符（会让 brochure check 报错）{len(article.controls)} 处，在这些行：")
        lines += [f"    {text[:60]}" for text in article.controls]
    if article.removed:
        lines.append(f"  已删除原网站的附属内容 {len(article.removed)} 行：")
        lines += [f"    [{kind}] {text[:60]}" for kind, text in article.removed]
    if article.repaired:
        lines.append(f"  已修复 {len(article.repaired)} 处：")
        lines += [f"    {change[:100]}" for change in article.repaired]
    missing = [r for r in settings.required_roles if r not in article.credits]
    if missing:
        lines.append("  缺少署名：" + "、".join(missing))
    if not article.outlet:
        lines.append("  缺少来源（来源）")
    if article.date is None:
        lines.append("  原文没有日期，已先用导入时间")
    for number, text in article.flagged:
        lines.append(f"  需要核对：第 {number} 行有丢失的字符（� 或 ??）：{text[:40]}")
    return lines
