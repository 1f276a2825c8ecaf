"""Import news articles saved from old sites (a CMS page, a WeChat article, a partner portal, a
Word document) into news posts, keeping what is content and reporting what an editor must see.

The steps, in order:
1. read the file into blocks (paragraphs, headings, images, tables): plain text, Markdown,
   HTML (WeChat's saved pages included) or Word .docx (through mammoth);
2. find the headline where it stands, skipping channel labels and site headers, and lift the
   metadata line of whatever shape (date and time, source, author, photographer);
3. drop the site's furniture as whole blocks (numbered disclaimers, contact lines, END marks,
   the article's own URL, captions whose photo is gone, WeChat's buttons), each one reported;
4. lift the credits, at the head or the foot (供稿、供图、编辑、审编 …, also 某某供图);
5. repair what can be repaired for sure (inline pinyin after its character, half-width
   punctuation inside Chinese) and flag, never touch, what cannot (lost characters);
6. write the post beside its photos, with ASCII names.

What the importer had to guess (a proposed title, a date taken from the body or the clock, a
missing source) or found damaged is listed in the post's `unverified`, which keeps it from being
published until an editor has looked (schema._nothing_left_to_verify).

Nothing already in the site is overwritten: a photo whose name is taken gets a new one. Files
it cannot read (old Word, PDF, images, anything that is not text) are refused before anything
is written, and control characters, which YAML and so `brochure check` refuse, never reach a
post.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import itertools
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import jinja2

from .cjk import HAN
from .config import CHINA_TZ, DEFAULT_CREDIT_ROLES, Settings
from .loader import UNPRINTABLE as _UNPRINTABLE  # what `check` would refuse
from .problems import Problems
from .render import template_environment
from .schema import IMAGE_SUFFIXES

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")
ACCEPTED = "、".join(SUFFIXES)
# Documents editors keep beside saved pages that are still not read. Left out of a folder's
# import they would be lost without a word, and read as text they make a post that blocks the
# site, so they are refused.
OLD_WORD = (".doc", ".docm", ".dotx", ".wps", ".rtf", ".odt")
NOT_READ = (*OLD_WORD, ".pdf", ".ofd", ".pages", ".xlsx", ".xls", ".et", ".pptx", ".ppt", ".dps")
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
    "请在 Word（或 WPS）里用“另存为”，保存类型选“Word 文档（*.docx）”，再导入保存的 .docx 文件；"
    "也可以另存为“网页（*.htm; *.html）”（图片会一起保存）或“纯文本（*.txt）”。"
)
# Old sites write the chain in either script and with a few synonyms; ours uses these names.
ROLE_ALIASES = {
    "文": "供稿",
    "作者": "供稿",
    "撰稿": "供稿",
    "记者": "供稿",
    "記者": "供稿",
    "通讯员": "供稿",
    "通訊員": "供稿",
    "图": "供图",
    "圖": "供图",
    "供圖": "供图",
    "图片": "供图",
    "圖片": "供图",
    "终审": "审核发布",
    "終審": "审核发布",
    "审核": "审核发布",
    "審核": "审核发布",
    "審核發布": "审核发布",
    "攝影": "摄影",
    "编辑": "编辑",
    "編輯": "编辑",
    "责任编辑": "编辑",
    "責任編輯": "编辑",
    "責編": "责编",
    "審編": "审编",
    "初審": "初审",
    "複審": "复审",
    "復審": "复审",
}
# 文/图：张三 credits one person for both.
_BOTH = {"文图": ("供稿", "供图"), "文圖": ("供稿", "供图")}

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：]\s*\d{2})?\s*分?)?"
)
# An event's date in running text: "2024年9月10日，研修班正式开班" (a whole date, with its year).
_BODY_DATE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
# Labels of a metadata line, by what they give. Longer labels first, so 责任编辑 wins over 编辑.
_LABELS = {
    "date": "发布时间|發布時間|发布日期|發布日期|发表时间|發表時間|发表日期|更新时间|发文日期|日期|时间|時間|发布于",
    "source": "稿件来源|信息来源|文章来源|来源|來源|出处|出處",
    "author": "作者|撰稿|撰文|记者|記者|通讯员|通訊員|文",
    "photo": "摄影|攝影|摄像|图片|圖片|图|圖",
    "editor": "责任编辑|責任編輯|编辑|編輯|责编|責編",
    "views": "浏览次数|瀏覽次數|阅读次数|閱讀次數|点击数|點擊數|浏览量|阅读量|访问量|点击|浏览|閱讀",
}
_LABEL = re.compile(
    "(?P<label>"
    + "|".join(sorted((w for ws in _LABELS.values() for w in ws.split("|")), key=len, reverse=True))
    + r")\s*[:：]\s*"
)
_LABEL_KIND = {word: kind for kind, words in _LABELS.items() for word in words.split("|")}
# What a portal's header line carries besides the metadata: 【字体：大 中 小】【打印】【关闭】.
_HEADER_TOOLS = re.compile(r"【[^】]{0,12}】|\[[^\]]{0,12}\]|字[体號号]\s*[:：]?\s*[大中小\s]+|打印|关闭|關閉|分享到?")
# An outlet's name ends like this (学习时报, 四川新闻网, 人民网, 新华社, 岱岳社工公众号 …).
_OUTLET = re.compile(
    r"(报|報|网|網|社|台|新闻|新聞|杂志|雜誌|周刊|週刊|日报|时报|公众号|融媒|客户端|频道|中心|协会|学院|党校|大学|委|局|厅|部|办)$"
)
# WeChat prints where an article was posted from after its date: 山东, 四川 …
_PROVINCES = set(
    re.findall(
        r"\S+",
        "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
        "广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门",
    )
)
_PERSON = re.compile(rf"^[{HAN}]{{2,4}}$")
# Our roles (责编 and 审编 included) and the synonyms old sites use for them.
_ROLE = re.compile(
    r"("
    + "|".join(sorted({*DEFAULT_CREDIT_ROLES, *ROLE_ALIASES, *_BOTH}, key=len, reverse=True))
    + r")\s*(?:[:：|｜丨/／]\s*|\s+(?=[^\s]))"
)
# 成都市朗力社工中心供图, （刘洋 摄）, 王晨阳/摄: credits written after the names.
_CREDIT_AFTER = re.compile(
    r"^[（(]?\s*(?P<names>[^\s，。；：:（）()、]{2,30}(?:[、，,\s]+[^\s，。；：:（）()、]{2,30})*?)"
    r"\s*(?:(?P<role>供图|供圖|供稿|摄影|攝影|撰稿)|[\s/／]+(?P<short>摄|攝|图|圖|文))\s*[)）]?$"
)

# Site furniture: whole lines that belong to the old site, not to the article.
FURNITURE = [
    ("导航", re.compile(r"^(首页|首頁|当前位置|當前位置|您现在的位置|您的位置)\s*[:：|｜>＞»]")),
    ("版权声明", re.compile(r"版权所有|版權所有|copyright|©|all rights reserved", re.IGNORECASE)),
    ("免责声明", re.compile(r"免责声明|免責聲明|转载请注明|轉載請註明|未经授权|未經授權|本网站所刊|本站所刊")),
    (
        "联系方式",
        re.compile(
            r"^[※●■▲★◆·•\s]*(联系电话|聯絡電話|联系方式|聯繫方式|联系人|聯繫人|咨询电话|電話|电话|地址|邮编|郵編"
            r"|电子邮箱|电子邮件|電子郵件|邮箱|郵箱|传真|傳真)\s*[:：]"
        ),
    ),
    ("上一篇/下一篇", re.compile(r"^(上一篇|下一篇|上一條|下一條|上一条|下一条)\s*[:：]?")),
    (
        "相关热词",
        re.compile(r"^(相关热词|熱詞|热词|相关搜索|相關搜索|关键词|關鍵詞|相关阅读|相關閱讀|推荐阅读)\s*[:：]?"),
    ),
    (
        "分享提示",
        re.compile(
            r"分享到|扫一扫|掃一掃|微信扫码|打印本页|打印本頁|关闭窗口|關閉窗口|字体\s*[:：]?\s*[大中小]|【\s*字号"
        ),
    ),
    ("备案信息", re.compile(r"ICP备|ICP備|公网安备|公網安備")),
    ("浏览次数", re.compile(rf"^({_LABELS['views']})\s*[:：]?\s*\d+\s*次?$")),
    ("结束标记", re.compile(r"^[\s*_\\—–\-=~·.]*(END|End|THE END|The End|完)[\s*_\\—–\-=~·.]*$")),
    ("原文网址", re.compile(r"^((原文|本文|文章)(链接|鏈接|网址|網址|地址)\s*[:：]?\s*)?(https?://|www\.)\S+$")),
    (
        "微信页面",
        re.compile(
            r"^(预览时标签不可点|預覽時標籤不可點|阅读原文|閱讀原文|轻触阅读原文|輕觸閱讀原文|继续滑动看下一个|繼續滑動看下一個"
            r"|向上滑动看下一个|微信扫一扫|微信掃一掃|关注该公众号|關注該公眾號|使用小程序|知道了|取消\s*允许|取消\s*允許"
            r"|视频\s*小程序|分享\s*留言\s*收藏.*|留言|写留言|寫留言|在看|点赞|點讚|赞|分享|收藏|听过|聽過"
            r"|喜欢此内容的人还喜欢|点击上方.{0,6}关注.*|长按.{0,8}二维码.*|長按.{0,8}二維碼.*|扫码关注.*"
            r"|Scan to Follow|Got It|Cancel|Allow|Scan with Weixin.*|微信扫一扫可打开此内容.*"
            r"|，轻点两下取消赞|，轻点两下取消在看)$"
        ),
    ),
]
# A numbered disclaimer: its heading, and items that speak of the site's rights, not the event.
_DISCLAIMER_HEAD = re.compile(
    r"^[【\[]?\s*(免责声明|免責聲明|版权声明|版權聲明|特别声明|特別聲明|声明|聲明)\s*[】\]]?\s*[:：]?$"
)
_NUMBERED_ITEM = re.compile(r"^[（(]?\s*[0-9一二三四五六七八九十]+\s*[)）、.．]")
_DISCLAIMER_WORDS = re.compile(r"凡本网|凡本網|本网|本網|本站|转载|轉載|版权|版權|著作权|著作權|不代表|侵权|侵權")
# A caption left without its photo: short, no sentence punctuation, not a numbered heading.
_CAPTION = re.compile(rf"^[{HAN}A-Za-z0-9“”《》·\s]{{2,20}}$")

# Inline pinyin that Traditional-conversion widgets insert after a character: 區(qū), 關(guān).
_TONED = r"[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*"
_PINYIN = re.compile(rf"(?<=[{HAN}])[(（]({_TONED})[)）]")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "(": "（", ")": "）"}
# What a lost character leaves: U+FFFD, ? where a character was, and pinyin whose character is
# gone (,F(xiàn), B(yǎng), or the orphan lián)).
_LOST = re.compile(
    rf"\ufffd|\?{{2,}}|？{{3,}}|(?<=[{HAN}])\?|\?(?=[{HAN}])"
    rf"|(?<![{HAN}])[(（]{_TONED}[)）]|(?<![(（a-zü]){_TONED}[)）]"
)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# A name that makes a plain URL: ASCII letters, digits, - _ .
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass
class Block:
    """One paragraph, heading, image or table of the article, in reading order."""

    text: str  # a paragraph's or heading's text; an image's description; a table as Markdown
    kind: str = "p"  # p, h, img, table
    src: str = ""  # an image's path as saved, URL-decoded


@dataclass
class Article:
    """What was found in one saved article, and what the editor should know."""

    source_file: Path
    title: str = ""
    date: datetime | None = None
    has_time: bool = False
    date_from: str = ""  # 原文, 正文 (the first event date in the text), or "" (the import's clock)
    outlet: str = ""
    credits: dict[str, list[str]] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # local images, copied beside the post
    embedded: dict[str, bytes] = field(default_factory=dict)  # images a Word file holds, by name
    placed: dict[str, tuple[str, str]] = field(default_factory=dict)  # src -> (name, how)
    controls: list[str] = field(default_factory=list)  # lines that had control characters removed
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, line)
    repaired: list[str] = field(default_factory=list)
    flagged: list[tuple[int, str]] = field(default_factory=list)  # (line in the post, text)
    unverified: list[str] = field(default_factory=list)  # 标题, 日期, 来源, 正文
    notes: list[str] = field(default_factory=list)  # what else the editor should know

    @property
    def needs_review(self) -> bool:
        return bool(self.unverified)

    def credit(self, role: str, names: list[str]) -> None:
        if names:
            known = self.credits.setdefault(role, [])
            known.extend(n for n in names if n and n not in known)

    def lost(self, what: str) -> None:
        if what not in self.unverified:
            self.unverified.append(what)


# --- reading ------------------------------------------------------------------------------


class _HtmlArticle(HTMLParser):
    """Blocks from HTML, with what the page itself says about the article: its <h1>, a WeChat
    page's title, account and publish time, and where the article's own part begins."""

    BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "header",
              "footer", "td", "th", "blockquote", "figcaption", "table"}  # fmt: skip
    SKIP = {"script", "style", "noscript", "nav", "iframe", "select", "button", "svg"}
    VOID = {"img", "br", "meta", "link", "input", "hr", "source", "wbr", "col", "area"}
    # WeChat's saved page: what each id holds.
    WECHAT = {"activity-name": "title", "js_name": "account", "publish_time": "time", "js_author_name": "author"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: list[str] = []
        self.page_title = ""
        self.meta: dict[str, str] = {}  # og:title, author …
        self.h1 = ""
        self.h1_at: int | None = None
        self.wechat: dict[str, str] = {}
        self.content_at: tuple[int, int] | None = None  # WeChat's #js_content, as block indexes
        self.scripts: list[str] = []
        self._stack: list[tuple[str, str]] = []  # (tag, id)
        self._skip = 0
        self._tables: list[dict] = []  # open tables: their rows, and where their blocks start

    def _flush(self) -> None:
        text = " ".join("".join(self.current).replace("\xa0", " ").split())
        if text:
            self.blocks.append(Block(text, "h" if self._inside("h1", "h2", "h3", "h4", "h5", "h6") else "p"))
        self.current = []

    def _inside(self, *tags: str) -> bool:
        return any(tag in tags for tag, _ in self._stack)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag in self.SKIP:
            self._skip += 1
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or ""
            if key in ("og:title", "twitter:title", "author", "og:article:author", "description"):
                self.meta.setdefault(key, attrs.get("content", ""))
            return
        if tag in self.BLOCKS:
            self._flush()
        if tag == "h1" and self.h1_at is None:
            self.h1_at = len(self.blocks)
        if tag == "table":
            self._tables.append({"rows": [], "start": len(self.blocks), "layout": bool(self._tables)})
            if len(self._tables) > 1:
                self._tables[0]["layout"] = True  # a table in a table: the page's layout
        elif self._tables and tag == "tr":
            self._tables[-1]["rows"].append([])
        elif self._tables and tag in ("td", "th") and self._tables[-1]["rows"]:
            self._tables[-1]["rows"][-1].append("")
        if tag == "img" and not self._skip:
            self._flush()
            # WeChat pages keep the picture in data-src until it is scrolled to; lazy-loading
            # portals use data-original.
            src = attrs.get("data-src") or attrs.get("data-original") or attrs.get("src") or ""
            self.blocks.append(Block(attrs.get("alt") or "", "img", src))
            if self._tables:
                self._tables[0]["layout"] = True
        if tag not in self.VOID:
            ident = attrs.get("id", "")
            if ident == "js_content":
                self._flush()
                self.content_at = (len(self.blocks), -1)
            self._stack.append((tag, ident))

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag in self.BLOCKS:
            self._flush()
        if tag == "table" and self._tables:
            self._close_table(self._tables.pop())
        if any(t == tag for t, _ in self._stack):
            while self._stack:
                t, ident = self._stack.pop()
                if ident == "js_content" and self.content_at:
                    self.content_at = (self.content_at[0], len(self.blocks))
                if t == tag:
                    break

    def _close_table(self, table: dict) -> None:
        rows = [[" ".join(c.split()) for c in row] for row in table["rows"] if any(c.strip() for c in row)]
        width = max((len(r) for r in rows), default=0)
        cells = [c for r in rows for c in r]
        if table["layout"] or len(rows) < 2 or width < 2 or any(len(c) > 200 for c in cells):
            return  # a layout table: its cells stay paragraphs
        rows = [r + [""] * (width - len(r)) for r in rows]

        def line(row: list[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"

        markdown = "\n".join([line(rows[0]), line(["---"] * width), *map(line, rows[1:])])
        del self.blocks[table["start"] :]
        self.blocks.append(Block(markdown, "table"))

    def handle_data(self, data):
        if self._stack and self._stack[-1][0] == "script":
            self.scripts.append(data)
        if self._skip:
            return
        if self._stack and self._stack[-1][0] == "title":
            self.page_title += data
            return
        for _, ident in self._stack:
            if ident in self.WECHAT:
                self.wechat[self.WECHAT[ident]] = self.wechat.get(self.WECHAT[ident], "") + data
        if self._inside("h1"):
            self.h1 += data
        if self._tables and self._tables[-1]["rows"] and self._tables[-1]["rows"][-1]:
            self._tables[-1]["rows"][-1][-1] += data
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


@dataclass
class Saved:
    """An article as read: its blocks, and what the format itself says about it."""

    blocks: list[Block]
    title: str = ""  # the headline the format marks (<h1>, WeChat's title, Markdown's #, Word's Title)
    start: int = 0  # blocks before this are the site's, not the article's
    date: str = ""  # a publish time the page holds outside the text (WeChat)
    account: str = ""  # a WeChat account: the source
    author: str = ""
    url: str = ""  # the article's own address, when the format gives it
    images: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    around: list[str] = field(default_factory=list)  # a WeChat page's text outside the article


def _read_html(text: str) -> Saved:
    parser = _HtmlArticle()
    parser.feed(text)
    parser.close()
    blocks = parser.blocks
    wechat = {k: " ".join(v.split()) for k, v in parser.wechat.items()}
    saved = Saved(blocks, account=wechat.get("account", ""), author=wechat.get("author", ""))
    saved.title = wechat.get("title") or " ".join(parser.h1.split())
    script = "\n".join(parser.scripts)
    if not saved.account:
        nick = re.search(r"var\s+nickname\s*=\s*(?:htmlDecode\()?[\"']([^\"']+)[\"']", script)
        saved.account = nick.group(1).strip() if nick else ""
    saved.date = wechat.get("time", "")
    if not _DATE.search(saved.date):
        # A saved WeChat page often keeps its publish time only in the page's script.
        created = re.search(r"var\s+(?:ct|create_time)\s*=\s*[\"']?(\d{10})[\"']?", script)
        when = re.search(r"var\s+createTime\s*=\s*[\"']([^\"']+)[\"']", script)
        if created:
            saved.date = datetime.fromtimestamp(int(created.group(1)), CHINA_TZ).strftime("%Y-%m-%d %H:%M")
        elif when:
            saved.date = when.group(1)
    if parser.content_at is not None:
        # WeChat: the article is #js_content; around it are the page's title, account and buttons.
        begin, end = parser.content_at
        end = len(blocks) if end < 0 else end
        saved.blocks = blocks[begin:end]
        saved.around = [b.text for b in blocks[:begin] + blocks[end:] if b.kind != "img" and b.text != saved.title]
    else:
        if not saved.title:
            # A portal that marks no <h1>: the page title's first part (标题_栏目_网站).
            page = " ".join(parser.page_title.split())
            saved.title = re.split(r"\s*[_|｜]\s*|\s+-\s+", page)[0] if page else ""
            saved.title = saved.title or parser.meta.get("og:title", "")
            saved.title = saved.title if any(b.text == saved.title for b in blocks) else ""
        saved.start = parser.h1_at or 0
    return saved


def _read_markdown(text: str) -> Saved:
    saved = Saved([])
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        image = _MD_IMAGE.fullmatch(line)
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)
        if image:
            saved.blocks.append(Block(image.group(1), "img", unquote(image.group(2).strip("<>"))))
        elif heading:
            words = heading.group(2)
            link = re.fullmatch(r"\[([^\]]+)\]\((\S+?)\)", words)
            if link:  # # [标题](https://mp.weixin.qq.com/…): the headline, and the article's address
                words, saved.url = link.group(1), saved.url or link.group(2)
            saved.blocks.append(Block(words.strip("*_ "), "h"))
            if len(heading.group(1)) == 1 and not saved.title:
                saved.title = saved.blocks[-1].text
        else:
            saved.blocks.append(Block(line))
    return saved


def _read_docx(path: Path) -> Saved:
    """A Word document through mammoth, its pictures kept by name for the post's folder."""
    import mammoth

    images: dict[str, bytes] = {}

    def keep(image) -> dict[str, str]:
        suffix = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}
        name = f"word-{len(images) + 1}{suffix.get(image.content_type, '.png')}"
        with image.open() as data:
            images[name] = data.read()
        return {"src": name, "alt": image.alt_text or ""}

    with path.open("rb") as document:
        result = mammoth.convert_to_html(
            document,
            convert_image=mammoth.images.img_element(keep),
            style_map="p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => h2:fresh",
        )
    saved = _read_html(f"<body>{result.value}</body>")
    saved.images = images
    saved.notes = [f"Word：{m.message}" for m in result.messages if m.type == "warning"]
    return saved


def read_article(path: Path) -> Saved:
    if path.suffix.lower() == ".docx":
        return _read_docx(path)
    raw = path.read_bytes()
    text = _decode(raw)
    if text is None:
        text = raw.decode("utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        return _read_html(text)
    return _read_markdown(text)


# --- what the header says ------------------------------------------------------------------


@dataclass
class Metadata:
    date: datetime | None = None
    has_time: bool = False
    source: str = ""
    authors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)


def _date_in(text: str) -> tuple[datetime, bool, re.Match] | None:
    for match in _DATE.finditer(text):
        parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
        try:
            when = datetime(parts["y"], parts["m"], parts["d"], parts["H"], parts["M"], tzinfo=CHINA_TZ)
        except ValueError:
            continue
        return when, match.group("H") is not None, match
    return None


def _names(value: str) -> list[str]:
    return [n for n in re.split(r"[、，,/／\s　|｜丨]+", value.strip(" ：:")) if n]


def metadata_line(text: str) -> Metadata | None:
    """The metadata a header line holds, or None if the line is more than metadata.

    Any shape real sites use: 发布时间：2025-03-31 09:51:12　来源：干部培训中心　作者：刘洋;
    2025-03-31 09:51:12  来源:四川新闻网; 徐航    2024-06-26 16:17:52    学习时报 (no labels);
    來源：教務處 作者：周文 攝影：高霄漢 發布日期： 2022-01-19.
    """
    line = " ".join(text.replace("\xa0", " ").replace("　", "  ").split(" "))
    line = _HEADER_TOOLS.sub("  ", line)
    meta = Metadata()
    labels = list(_LABEL.finditer(line))
    leftover = line
    for i, match in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(line)
        value = re.split(r"\s{2,}|[|｜丨]", line[match.end() : end].strip())[0].strip()
        kind = _LABEL_KIND[match.group("label")]
        if kind == "date":
            found = _date_in(value)
            if found:
                meta.date, meta.has_time, _ = found
        elif kind == "source" and value:
            meta.source = meta.source or value
        elif kind == "author":
            meta.authors += _names(value)
        elif kind == "photo":
            meta.photographers += _names(value)
        elif kind == "editor":
            meta.editors += _names(value)
        leftover = (
            leftover.replace(match.group(0) + value, " ", 1) if value else leftover.replace(match.group(0), " ", 1)
        )
    if meta.date is None:
        found = _date_in(leftover)
        if found:
            meta.date, meta.has_time, match = found
            before, after = leftover[: match.start()], leftover[match.end() :]
            leftover = before + "  " + after
            if not labels:
                # No labels: 徐航  2024-06-26 16:17:52  学习时报. Short words around the date are
                # the author (a person's name, before it) and the outlet.
                split = r"[\s|｜丨*_]+"
                words = [w for w in re.split(split, before) + ["@"] + re.split(split, after) if w]
                # WeChat: 原创 岱岳社会工作 2024年11月08日 18:30 山东 (the account, then where it was posted).
                original = words[0] in ("原创", "原創")
                words = [w for w in words[original:] if w not in _PROVINCES]
                at = words.index("@")
                others = [w for w in words if w != "@"]
                if len(others) > 3 or any(len(w) > 16 or re.search(r"[。，！？；]", w) for w in others):
                    return None  # a sentence that mentions a date, not a header line
                for i, word in enumerate(words):
                    if word == "@":
                        continue
                    if _OUTLET.search(word) or (i > at and not _PERSON.match(word)) or (original and i < at):
                        meta.source = meta.source or word
                    else:
                        meta.authors.append(word)
                return meta
    if meta.date is None and not labels:
        return None
    significant = re.sub(r"[\s|｜丨:：\-—【】\[\]()（）/]+", "", leftover)
    return meta if len(significant) <= 6 else None


def _is_site_header(text: str) -> bool:
    return bool(re.search(r"主管|主办|主辦|承办|承辦|主管单位|版权所有|ICP", text)) and len(text) <= 60


def _headline_like(block: Block, shortest: int = 6) -> bool:
    """Could be the headline: a line of text, not a sentence, metadata, a site header or furniture.
    Shorter than `shortest`, a line at the top is more likely a channel label (社会工作)."""
    text = block.text
    return (
        block.kind in ("p", "h")
        and shortest <= len(text) <= 70
        and not re.search(r"[。！？；;]$", text)
        and metadata_line(text) is None
        and not _is_site_header(text)
        and not _credits_in(text)
        and not any(pattern.search(text) for _, pattern in FURNITURE)
    )


def _proposed_title(blocks: list[Block]) -> str:
    """A title for an article that has none: the event it names in “…” or 《…》, else its first
    clause. Always flagged for the editor."""
    text = " ".join(b.text for b in blocks if b.kind == "p")[:600]
    named = re.search(
        r"[“《]([^”》]{4,40}(?:班|会|會|仪式|儀式|活动|活動|论坛|論壇|讲座|講座|培训|培訓|研讨|研討|项目|項目|典礼|典禮))[”》]",
        text,
    )
    if named:
        return named.group(1)
    first = re.split(r"[，。！？；,]", re.sub(r"^\d{1,2}月\d{1,2}日(上午|下午|晚上)?[，,]?", "", text))[0]
    return first[:30]


def _take_header(saved: Saved, article: Article) -> list[Block]:
    """Find the headline and the metadata; return the blocks of the body that follow."""
    blocks = [b for b in saved.blocks[saved.start :]]
    article.removed += [("页面头部", b.text) for b in saved.blocks[: saved.start] if b.kind != "img" and b.text]

    def lift(meta: Metadata) -> None:
        if meta.date and article.date is None:
            article.date, article.has_time, article.date_from = meta.date, meta.has_time, "原文"
        article.outlet = article.outlet or meta.source
        article.credit("供稿", meta.authors)
        article.credit("摄影", meta.photographers)
        article.credit("编辑", meta.editors)

    head = blocks[:10]
    at = None
    if saved.title:
        article.title = saved.title
        at = next((i for i, b in enumerate(head) if b.text == saved.title), None)
    else:
        metas = [i for i, b in enumerate(head) if b.kind != "img" and metadata_line(b.text)]
        if metas:
            m = metas[0]
            around = [i for i in (m - 1, m + 1) if 0 <= i < len(head) and _headline_like(head[i])]
            if not around and m > 0 and _headline_like(head[m - 1], shortest=2):
                around = [m - 1]  # 甲班开班 right above its date: a short headline, not a label
            at = around[0] if around else None
        if at is None:
            for i, b in enumerate(head):
                if b.kind == "img" or metadata_line(b.text) or _is_site_header(b.text) or len(b.text) <= 5:
                    continue
                if _headline_like(b):
                    at = i
                break  # the first paragraph of text: a headline, or the article has none
        if at is not None:
            article.title = head[at].text
    if at is not None:
        for b in blocks[:at]:
            meta = metadata_line(b.text) if b.kind != "img" else None
            if meta:
                lift(meta)
            elif b.kind != "img":
                kind = "栏目或网站名" if len(b.text) <= 8 or _is_site_header(b.text) else "页面头部"
                article.removed.append((kind, b.text))
        blocks = blocks[at + 1 :]
    # The metadata lines right after the headline (or at the top, with no headline).
    while blocks and blocks[0].kind != "img":
        if blocks[0].text.strip("#* ") == article.title:
            blocks = blocks[1:]  # the headline repeated (# [标题](…) then ## 标题)
            continue
        meta = metadata_line(blocks[0].text)
        if meta is None:
            break
        lift(meta)
        blocks = blocks[1:]
    if saved.date:
        found = _date_in(saved.date)
        if found and article.date is None:
            article.date, article.has_time, _ = found
            article.date_from = "原文"
    article.outlet = article.outlet or saved.account
    if saved.author:
        article.credit("供稿", _names(re.sub(r"^(原创|原創)\s*", "", saved.author)))
    if not article.title:
        article.title = _proposed_title(blocks)
        article.lost("标题")
        article.notes.append(f"原文没有标题，暂拟为“{article.title}”，请改为正式标题")
    return blocks


def _credits_in(line: str) -> dict[str, list[str]] | None:
    """A credits line: 供稿 | 某某  供图：某某 …, （编辑：某某 审核：某某）, 文/刘洋 图/王晨阳,
    成都市朗力社工中心供图, （刘洋 摄）."""
    stripped = line.strip().strip("（）()【】[]").strip()
    after = _CREDIT_AFTER.match(line.strip()) if len(line) <= 40 else None
    if after and not re.search(rf"[{HAN}]{{2,}}\s*[:：]", after.group("names")):
        role = after.group("role") or after.group("short")
        role = {
            "供圖": "供图",
            "攝影": "摄影",
            "撰稿": "供稿",
            "摄": "摄影",
            "攝": "摄影",
            "图": "供图",
            "圖": "供图",
            "文": "供稿",
        }.get(role, role)
        return {role: _names(after.group("names"))}
    matches = list(_ROLE.finditer(stripped))
    if not matches or matches[0].start() > 2:
        return None
    found: dict[str, list[str]] = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(stripped)
        names = _names(stripped[match.end() : end])
        if not names or any(len(n) > 20 or re.search(r"[。，！？；]", n) for n in names):
            return None  # a sentence that starts with a role's word (文件指出，…)
        role = match.group(1)
        for each in _BOTH.get(role, (ROLE_ALIASES.get(role, role),)):
            found.setdefault(each, []).extend(names)
    return found or None


# --- the body ------------------------------------------------------------------------------


def _printable(text: str, article: Article) -> str:
    """The text without the control characters `check` would refuse; each change is noted."""
    clean = _UNPRINTABLE.sub("", text)
    if clean != text:
        article.controls.append(clean.strip())
    return clean


def repair(line: str, article: Article) -> str:
    """What is certain: pinyin a converter inserted after its own character, and half-width
    punctuation inside Chinese. A ? is never touched: it may be where a character was lost."""
    fixed = _PINYIN.sub("", line)
    if _LOST.search(fixed):
        # Beside lost characters a comma may be a byte of the damage (实,F(xiàn)): the line is
        # left as it is, for the editor (flagged).
        if fixed != line:
            article.repaired.append(f"{line} → {fixed}")
        return fixed

    def full_width(match: re.Match) -> str:
        return _HALF_TO_FULL[match.group(0)]

    fixed = re.sub(rf"(?<=[{HAN}])[,;:!)]|[(](?=[{HAN}])", full_width, fixed)
    fixed = re.sub(rf"[,;:!](?=[{HAN}])", full_width, fixed)
    fixed = re.sub(rf"(?<=[{HAN}])\.(?=[{HAN}])", "。", fixed)
    if fixed != line:
        article.repaired.append(f"{line} → {fixed}")
    return fixed


def _furniture(text: str) -> str | None:
    plain = text.replace("\\", "").strip("*_ ")
    return next((kind for kind, pattern in FURNITURE if pattern.search(plain)), None)


def _body(blocks: list[Block], article: Article, folder: Path, embedded: dict[str, bytes]) -> list[str]:
    """The body's paragraphs, without the site's furniture; credits lifted wherever they are."""
    kept: list[Block | None] = []
    dropped_image = set()  # indexes in `kept` next to which a photo was lost
    i = 0
    while i < len(blocks):
        block = blocks[i]
        text = block.text
        if block.kind == "img":
            src = block.src
            local = None if not src or re.match(r"^[a-z]+:|^//", src, re.IGNORECASE) else folder / src
            if src in embedded or (local is not None and _saved_photo(local, folder)):
                article.images.append(src)
                kept.append(block)
            else:
                article.removed.append(("失效图片", f"![{text}]({src})"))
                dropped_image.add(len(kept))
            i += 1
            continue
        if block.kind == "table":
            kept.append(block)
            i += 1
            continue
        if text == article.title or text.strip("#* ") == article.title:
            i += 1
            continue  # the headline repeated inside the page
        if _DISCLAIMER_HEAD.match(text) or (_NUMBERED_ITEM.match(text) and _DISCLAIMER_WORDS.search(text)):
            # A numbered disclaimer goes as a whole: its heading and every numbered item after it.
            article.removed.append(("免责声明", text))
            i += 1
            while i < len(blocks) and blocks[i].kind == "p" and _NUMBERED_ITEM.match(blocks[i].text):
                article.removed.append(("免责声明", blocks[i].text))
                i += 1
            continue
        credits = _credits_in(text)
        if credits:
            for role, names in credits.items():
                article.credit(role, names)
            i += 1
            continue
        meta = metadata_line(text) if i < 3 or len(blocks) - i <= 4 else None
        if meta and (meta.source or meta.authors or meta.photographers or meta.editors) and not meta.date:
            # 来源：… at the foot of the article, 编辑：… on a line of its own.
            article.outlet = article.outlet or meta.source
            article.credit("供稿", meta.authors)
            article.credit("摄影", meta.photographers)
            article.credit("编辑", meta.editors)
            i += 1
            continue
        kind = _furniture(text)
        if kind:
            article.removed.append((kind, text))
            i += 1
            continue
        kept.append(block)
        i += 1
    # Captions whose photo is gone: a short line right before or after a lost photo.
    for at in sorted(dropped_image, reverse=True):
        for j in (at, at - 1):
            block = kept[j] if 0 <= j < len(kept) else None
            if block is not None and block.kind == "p" and _CAPTION.match(block.text):
                if _NUMBERED_ITEM.match(block.text):
                    continue  # 一、培训安排: a heading, not a caption
                article.removed.append(("失效图片的图注", block.text))
                kept[j] = None
    paragraphs = []
    for block in kept:
        if block is None:
            continue
        if block.kind == "img":
            paragraphs.append(f"![{block.text}](<{block.src}>)")  # <…>: a saved name may hold ( ) or spaces
        elif block.kind == "table":
            paragraphs.append(block.text)
        elif block.kind == "h":
            paragraphs.append("## " + repair(block.text, article))
        else:
            paragraphs.append(repair(block.text, article))
    return paragraphs


def parse_article(path: Path, settings: Settings, convert: str | None = None) -> Article:
    article = Article(path)
    saved = read_article(path)
    article.embedded = saved.images
    article.notes += saved.notes
    article.removed += [("微信页面", text) for text in saved.around]
    for block in saved.blocks:
        block.text = _printable(block.text, article)
    saved.title = _printable(saved.title, article)
    if convert:
        import opencc

        converter = opencc.OpenCC(convert)
        for block in saved.blocks:
            if block.kind != "img":
                block.text = converter.convert(block.text)
        saved.title, saved.account, saved.author = (
            converter.convert(t) for t in (saved.title, saved.account, saved.author)
        )
    blocks = _take_header(saved, article)
    article.body = _body(blocks, article, path.parent, saved.images)
    article.title = repair(article.title, article) if article.title else path.stem
    if article.date is None:
        found = next((m for p in article.body for m in [_BODY_DATE.search(p)] if m), None)
        if found:
            try:
                article.date = datetime(*map(int, found.groups()), tzinfo=CHINA_TZ)
                article.date_from = "正文"
                article.notes.append(f"原文没有发布日期，暂用正文里的“{found.group(0)}”，请核对")
            except ValueError:
                pass
        if article.date is None:
            article.notes.append("原文没有发布日期，暂用导入时间，请改为发布日期")
        article.lost("日期")
    if not article.outlet:
        article.lost("来源")
    if any(_LOST.search(text) for text in [article.title, *article.body]):
        article.lost("正文")
    return article


# --- writing -------------------------------------------------------------------------------


def post_slug(article: Article) -> str:
    """A stable ASCII slug from the saved article itself (whitespace aside), so importing the
    same article again, on any day and with any options, finds the post it made before."""
    raw = re.sub(rb"\s+", b"", article.source_file.read_bytes())
    return "imp-" + hashlib.sha1(raw).hexdigest()[:8]


def imported_before(settings: Settings, slug: str) -> Path | None:
    news = settings.docs_dir / settings.news_dir
    return next(iter(sorted(news.glob(f"*/*-{slug}.md"))), None) if news.is_dir() else None


@functools.cache
def _post_template() -> jinja2.Template:
    """Compiled once per process: a bulk import compiled it again for every article."""
    return template_environment().get_template("imported-post.md.j2")


def write_post(article: Article, settings: Settings, category: str | None, now: datetime) -> tuple[Path, bool]:
    """Write the post beside its images; (path, False) if it was imported before."""
    slug = post_slug(article)
    before = imported_before(settings, slug)
    if before is not None:
        return before, False
    when = article.date or now
    folder = settings.docs_dir / settings.news_dir / f"{when:%Y}"
    target = folder / f"{when:%m-%d}-{slug}.md"
    roles = list(settings.credit_roles)
    credits = {role: names for role, names in article.credits.items() if role in roles}
    unknown = {role: names for role, names in article.credits.items() if role not in roles}
    missing = [r for r in settings.required_roles if r not in credits]
    folder.mkdir(parents=True, exist_ok=True)
    names = place_images(article, folder, reserved=target.name, slug=slug)

    def photo(paragraph: str) -> str:
        image = _MD_IMAGE.fullmatch(paragraph)
        src = image.group(2).strip("<>") if image else None
        return f"![{image.group(1)}]({names[src]})" if image and src in names else paragraph

    text = _post_template().render(
        a=article,
        body="\n\n".join(photo(paragraph) for paragraph in article.body),
        date=f"{when:%Y-%m-%d %H:%M}" if article.has_time or not article.date else f"{when:%Y-%m-%d}",
        category=category or next(iter(settings.news_categories)),
        slug=slug,
        credits=credits,
        unknown=unknown,
        # A post that needs an editor's eye, or lacks its review chain, waits as a draft.
        draft=article.needs_review or bool(missing),
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
            (local.suffix.lower() in IMAGE_SUFFIXES or _image_suffix(local.read_bytes()[:16]) is not None)
            and local.resolve().is_relative_to(folder.resolve())
            and local.is_file()
        )
    except OSError:
        return False


def _image_suffix(head: bytes) -> str | None:
    """What a photo is by its first bytes: WeChat saves them as 640, 640(1) or 640.jpeg."""
    for magic, suffix in ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG", ".png"), (b"GIF8", ".gif")):
        if head.startswith(magic):
            return suffix
    return ".webp" if head[:4] == b"RIFF" and head[8:12] == b"WEBP" else None


def _ascii_name(name: str, data: bytes) -> str:
    """A name that makes a plain URL: 合影.png -> heying.png, 640(1).jpeg -> 640-1.jpeg."""
    from pypinyin import lazy_pinyin

    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        suffix = _image_suffix(data[:16]) or suffix or ".jpg"
    words = "-".join(lazy_pinyin(stem)) if not stem.isascii() else stem
    stem = re.sub(r"[^A-Za-z0-9]+", "-", words).strip("-").lower()
    return f"{stem or 'photo'}{suffix}"


_NUMBERED = re.compile(r"(.*?)(?:-(\d+))?(\.[^.]*)?")


def place_images(article: Article, folder: Path, reserved: str, slug: str = "") -> dict[str, str]:
    """Copy the article's photos into the post's folder and return the name each got there.

    Names become ASCII (a Chinese name makes a percent-encoded URL). The folder holds a whole
    year of posts, so two articles' p1.jpg, or a published post's cover, can share a name.
    Nothing there is ever overwritten: a name taken by a different file moves on to p1-2.jpg,
    p1-3.jpg …; a file with the very same bytes is used as it is.
    """
    names: dict[str, str] = {}
    # A bulk import of WeChat pages brings hundreds of 640.jpeg: trying 640-2.jpeg, -3 … one by
    # one made it quadratic. The folder is listed once; after the name itself (the same photo
    # imported again is reused), the next number past the highest in use.
    highest: dict[tuple[str, str], int] = {}
    for existing in os.listdir(folder):
        match = _NUMBERED.fullmatch(existing)
        if match:
            key = (match.group(1), match.group(3) or "")
            highest[key] = max(highest.get(key, 1), int(match.group(2) or 1))
    for src in article.images:
        if src in names:
            continue
        data = article.embedded[src] if src in article.embedded else (article.source_file.parent / src).read_bytes()
        original = Path(src).name
        if src in article.embedded:
            name = f"{slug}-{original}"  # word-1.png: the same in every Word file
        elif _SAFE_NAME.match(original) and Path(original).suffix.lower() in IMAGE_SUFFIXES:
            name = original
        else:
            name = _ascii_name(original, data)
        stem, suffix = Path(name).stem, Path(name).suffix
        for n in itertools.chain([1], itertools.count(highest.get((stem, suffix), 1) + 1)):
            candidate = name if n == 1 else f"{stem}-{n}{suffix}"
            if candidate == reserved:
                continue
            dest = folder / candidate
            try:
                # "x" creates the file only if it does not exist, so nothing is ever replaced.
                with dest.open("xb") as copy:
                    copy.write(data)
            except FileExistsError:
                if dest.is_file() and dest.read_bytes() == data:
                    article.placed[src] = (candidate, "reused")
                    break
                continue
            highest[(stem, suffix)] = max(highest.get((stem, suffix), 1), n)
            same = candidate == original or src in article.embedded  # a Word picture has no name to keep
            article.placed[src] = (candidate, "copied" if same else "renamed")
            break
        names[src] = candidate
    return names


def unreadable(path: Path) -> tuple[str, str] | None:
    """Why the importer cannot read this file, and what to do instead; None if it can."""
    suffix = path.suffix.lower()
    if suffix in OLD_WORD:
        return "这是旧版 Word、WPS 或 RTF 文件，导入不能直接读取。", _WORD_HINT
    if suffix not in SUFFIXES:
        what = "PDF 文件" if suffix == ".pdf" else f"“{suffix}”文件" if suffix else "没有扩展名的文件"
        return (
            f"导入不能读取{what}。",
            f"只能导入 {ACCEPTED} 文件：在浏览器里把原文“另存为”网页（.html），或把正文复制粘贴到 .txt 文件里。",
        )
    raw = path.read_bytes()
    kind = next((kind for magic, kind in _MAGIC if raw.startswith(magic)), None)
    if suffix == ".docx":
        if kind and "docx" in kind:
            try:
                import zipfile

                with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                    if "word/document.xml" in archive.namelist():
                        return None
            except zipfile.BadZipFile:
                pass
        return "扩展名是 .docx，内容却不是完整的 Word 文档（可能已损坏或只下载了一部分）。", _WORD_HINT
    # Binary files nearly always hold NUL bytes and are not valid text in any encoding; a text
    # file with a stray NUL pasted in is still read (the NUL is removed and reported).
    if kind or (b"\x00" in raw and _decode(raw) is None):
        hint = _WORD_HINT if kind and "Word" in kind else f"只能导入 {ACCEPTED} 这样的文件。"
        return f"扩展名是 {suffix}，内容却不是文字，而是{kind or '二进制文件（不是文字）'}。", hint
    return None


def article_files(path: Path) -> list[Path]:
    """The saved articles to import. If one of them, or a document left in the folder, is a
    format the importer cannot read, all of them are refused before anything is written, so
    no half of an import is left for the editor to untangle."""
    if path.is_dir():
        wanted = (*SUFFIXES, *NOT_READ)
        # Word's lock files (~$报道.docx) are not documents.
        files = sorted(
            p for p in path.rglob("*") if p.suffix.lower() in wanted and p.is_file() and not p.name.startswith("~$")
        )
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


def _damage_shown(text: str, match: re.Match) -> str:
    """The damage as the editor will search for it: pinyin with the bytes before it (,F(xiàn))."""
    start = match.start()
    while start > max(0, match.start() - 2) and not re.match(rf"[{HAN}\s，。]", text[start - 1]):
        start -= 1
    return text[start : match.end()]


def report(article: Article, target: Path, created: bool, settings: Settings) -> list[str]:
    """What an editor needs to know about one imported article, in lines."""
    shown = settings.display(target)
    if not created:
        return [f"已导入过，跳过：{settings.display(article.source_file)} → {shown}"]
    lines = [f"{settings.display(article.source_file)} → {shown}"]
    guessed = "（暂拟，请核对）" if "标题" in article.unverified else ""
    lines.append(f"  标题：{article.title}{guessed}")
    if article.date_from == "原文":
        lines.append(
            f"  日期：{article.date:%Y-%m-%d %H:%M}"
            if article.has_time
            else f"  日期：{article.date:%Y-%m-%d}（原文没有写时间）"
        )
    lines.append(f"  来源：{article.outlet}" if article.outlet else "  来源：原文没有写，稿件里暂写“（来源待补）”")
    found = [f"{role}（{'、'.join(names)}）" for role, names in article.credits.items()]
    lines.append("  署名：" + ("、".join(found) or "原文没有署名"))
    missing = [r for r in settings.required_roles if r not in article.credits]
    if missing:
        lines.append("  缺少署名：" + "、".join(missing))
    lines += [f"  注意：{note}" for note in article.notes]
    copied = [name for name, how in article.placed.values() if how == "copied"]
    if copied:
        lines.append("  图片：" + "、".join(copied) + "（已复制到稿件旁边）")
    folder = settings.display(target.parent)
    for src, (name, how) in article.placed.items():
        if how == "renamed":
            if _SAFE_NAME.match(Path(src).name):
                lines.append(f"  图片改名：{Path(src).name} → {name}（{folder}/ 里已有同名的另一张图片，没有覆盖它）")
            else:
                lines.append(f"  图片改名：{Path(src).name} → {name}（网址里只用英文字母和数字）")
        elif how == "reused":
            lines.append(f"  图片 {name}：{folder}/ 里已有内容完全相同的同名文件，稿件直接用它，没有再复制一份")
    if article.controls:
        lines.append(f"  已删除看不见的控制字符（会让 brochure check 报错）{len(article.controls)} 处，在这些行：")
        lines += [f"    {text[:60]}" for text in article.controls]
    if article.removed:
        lines.append(f"  已删除原网站的附属内容 {len(article.removed)} 处（需要时从原文找回，粘贴到稿件里）：")
        lines += [f"    [{kind}] {text[:80]}" for kind, text in article.removed]
    if article.repaired:
        lines.append(f"  已修复 {len(article.repaired)} 处：")
        lines += [f"    {change[:100]}" for change in article.repaired]
    for number, text in article.flagged:
        found = "、".join(f"“{_damage_shown(text, m)}”" for m in _LOST.finditer(text))
        lines.append(f"  需要核对：第 {number} 行有丢失的字符 {found}，已原样保留，请对照原文改正：{text[:50]}")
    if article.unverified:
        lines.append(
            f"  待核对：{'、'.join(article.unverified)}。核对原文改好后，删掉稿件里的 unverified 一行，"
            "再把 draft 改为 false；没删之前稿件不能发布。"
        )
    return lines
