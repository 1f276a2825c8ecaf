"""Import news articles saved from old sites (a CMS page, a WeChat article, a partner portal)
into news posts, keeping what is content and reporting what an editor must look at.

The steps, in order: read (plain text, Markdown or HTML) -> lines of text -> lift the metadata
(title, date, source, author, photographer, the credits chain) -> drop the site's furniture
(copyright, disclaimers, contact lines, 上一篇/下一篇, hot words, share prompts, broken images)
-> repair conversion damage we can (inline pinyin, half-width punctuation) and flag what we
cannot (U+FFFD, runs of ?) -> optionally convert the script with OpenCC -> write the post.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import jinja2

from .config import CHINA_TZ, DEFAULT_CREDIT_ROLES, Settings
from .render import TEMPLATES

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
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

_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
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
_PINYIN = re.compile(rf"(?<=[{_CJK}])[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)[)）]")
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


def read_lines(path: Path) -> tuple[list[str], str, int]:
    """The article as lines of text, a title the format itself gives (HTML <h1>/<title>), and
    the line where the article starts (what an HTML page has before its <h1> is the site's)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030", "big5"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        parser = _HtmlText()
        parser.feed(text)
        parser.close()
        title = " ".join(parser.h1.split()) or " ".join(parser.title.split()).split("_")[0].split(" - ")[0]
        return parser.lines, title, parser.h1_at or 0
    return [line.rstrip() for line in text.splitlines()], "", 0


def repair(line: str, article: Article) -> str:
    fixed = _PINYIN.sub("", line)

    def full_width(match: re.Match) -> str:
        return _HALF_TO_FULL[match.group(0)]

    # Half-width punctuation touching Chinese text becomes full-width; 10:30 and a, b stay.
    # A run of ?? is lost characters, not punctuation: it is left for the editor (flagged).
    fixed = re.sub(rf"(?<=[{_CJK}])(?:[,;:!)]|(?<!\?)\?(?!\?))|[(](?=[{_CJK}])", full_width, fixed)
    fixed = re.sub(rf"[,;:!](?=[{_CJK}])", full_width, fixed)
    fixed = re.sub(rf"(?<=[{_CJK}])\.(?=[{_CJK}])", "。", fixed)
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
            if local is None or not local.is_file():
                article.removed.append(("失效图片", text))
                continue
            article.images.append(src)
            paragraphs.append(f"![{image.group(1)}]({Path(src).name})")
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
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["yaml"] = lambda v: '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
    text = env.get_template("imported-post.md.j2").render(
        a=article,
        body="\n\n".join(article.body),
        when=when,
        category=category or next(iter(settings.news_categories)),
        slug=slug,
        credits=credits,
        unknown=unknown,
        # A post that needs an editor's eye, or lacks its review chain, waits as a draft.
        draft=article.needs_review or bool(missing) or article.date is None or not article.outlet,
        missing=missing,
    )
    folder.mkdir(parents=True, exist_ok=True)
    for src in article.images:
        shutil.copy2(article.source_file.parent / src, folder / Path(src).name)
    target.write_text(text, encoding="utf-8")
    # The report points at lines of the written post, where the editor will look.
    article.flagged = [(n, line) for n, line in enumerate(text.splitlines(), 1) if _LOST.search(line)]
    return target, True


def article_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
    return [path]


def report(article: Article, target: Path, created: bool, settings: Settings) -> list[str]:
    """What an editor needs to know about one imported article, in lines."""
    shown = settings.display(target)
    if not created:
        return [f"已导入过，跳过：{settings.display(article.source_file)} → {shown}"]
    found = [name for name, ok in (("标题", article.title), ("日期", article.date), ("来源", article.outlet)) if ok]
    found += [f"{role}（{'、'.join(names)}）" for role, names in article.credits.items()]
    lines = [f"{settings.display(article.source_file)} → {shown}", "  找到：" + ("、".join(found) or "无")]
    if article.images:
        lines.append("  图片：" + "、".join(article.images) + "（已复制到稿件旁边）")
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
