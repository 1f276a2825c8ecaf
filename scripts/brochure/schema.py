"""The content model, declared once.

Each file type is a tree of Kinds. The same declaration
- checks a loaded Document and returns normalised values (dates become `date`, and so on),
- exports the JSON Schema that editors' YAML editors use for completion (`reference.py`),
- and writes the editors' reference with an annotated example (`reference.py`).

Cross-file rules that need more than one file (references into the libraries, duplicate ids)
are here too, through the Context, so every problem is found in one pass.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from .config import (
    CHINA_TZ,
    DEFAULT_CREDIT_ROLES,
    DEFAULT_NEWS_CATEGORIES,
    DEFAULT_PROGRAMME_TYPES,
    DEFAULT_REQUIRED_ROLES,
    DEFAULT_SESSION_FORMATS,
    Settings,
)
from .images import image_size
from .loader import CURLY_QUOTES, Document
from .problems import Problems, did_you_mean, format_path

INVALID = object()  # returned by a Kind whose value had a problem (already reported)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIME_RANGE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–—~～至]\s*(\d{1,2}):(\d{2})\s*$")

# The JSON Schema's patterns say as much as a regular expression can of what `check` accepts, so
# that an editor's YAML editor marks the same mistakes: a date that exists (2027-02-30 does not,
# 2028-02-29 does), a clock time that exists.
_MONTH_DAY = (
    r"(?:0?[13578]|1[02])-(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[469]|11)-(?:0?[1-9]|[12]\d|30)"
    r"|0?2-(?:0?[1-9]|1\d|2[0-8])"
)
_LEAP_YEAR = r"\d\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00"
DATE_PATTERN = rf"(?:\d{{4}}-(?:{_MONTH_DAY})|(?:{_LEAP_YEAR})-0?2-29)"
CLOCK_PATTERN = r"(?:[01]?\d|2[0-3]):[0-5]\d"
TIME_RANGE_PATTERN = rf"^\s*{CLOCK_PATTERN}\s*[-–—~～至]\s*(?:{CLOCK_PATTERN}|24:00)\s*$"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass
class Context:
    """What a check needs besides the value: where it is, the settings, the known ids."""

    doc: Document
    problems: Problems
    settings: Settings
    library_ids: dict[str, set[str]] = field(default_factory=dict)
    # The folder of the file being checked, for paths written relative to it (a post's photos).
    folder: Path | None = None

    def problem(self, path: tuple, message: str, hint: str = "") -> object:
        self.problems.add(self.doc.file, self.doc.line(path), format_path(path), message, hint)
        return INVALID

    def notice(self, path: tuple, message: str, hint: str = "") -> None:
        self.problems.notice(self.doc.file, self.doc.line(path), format_path(path), message, hint)


class Kind:
    """One type of value. Subclasses say how to check it and how to describe it."""

    label = "值"

    def check(self, value: Any, path: tuple, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self, settings: Settings) -> dict:
        raise NotImplementedError


def _is_text(value: Any) -> bool:
    # Numbers are fine as text ("2025", a room number); booleans, lists and maps are not.
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def written(value: Any, path: tuple, ctx: Context) -> Any:
    """The value as the editor typed it, where YAML 1.1 read unquoted text as something else.

    PyYAML reads `phone: 053166661234` as the octal number 5802517148 and `title: no` as
    false; YAML 1.2 (VS Code, check-jsonschema) reads neither so. A field that takes text
    takes the characters, so both readings agree and nothing typed is changed.
    """
    if isinstance(value, str) or value is None:
        return value
    return ctx.doc.plain.get(path, value)


PLAIN_INTEGER = re.compile(r"[+-]?\d+")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _decimal(typed: str | None, value: int | float) -> int | float:
    """The number as typed in decimal (YAML 1.1 reads 010 as octal 8), else as YAML read it."""
    if typed is None:
        return value
    return int(typed) if PLAIN_INTEGER.fullmatch(typed) else float(typed)


def collapse_spaces(text: str) -> str:
    """One line of plain text: runs of ASCII whitespace (a stray line break) become one space.
    A full-width space is the editor's character (练在模拟室　学在接访一线) and stays."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip(" ")


def _not_plain(path: tuple, ctx: Context, pattern: re.Pattern) -> str | None:
    """What was typed, when a number field got a YAML 1.1 form (0x50, 1_000, 0750, 1:30)."""
    raw = ctx.doc.plain.get(path)
    return raw if raw is not None and not pattern.fullmatch(raw) else None


@dataclass
class Text(Kind):
    """Plain text, shown literally. `markdown=True` marks the few fields rendered as Markdown."""

    markdown: bool = False

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Markdown 文本" if self.markdown else "文本"

    def check(self, value, path, ctx):
        value = written(value, path, ctx)
        if not _is_text(value):
            return ctx.problem(path, f"应为{self.label}，实际是{_describe(value)}。", _text_hint(value))
        text = str(value)
        # A stray newline in plain text must not break a table row; Markdown keeps its lines.
        # Markdown keeps the full-width spaces that begin a Chinese paragraph (str.strip() would
        # take them as whitespace).
        text = text.strip(" \t\r\n") if self.markdown else collapse_spaces(text)
        if not text:
            return ctx.problem(path, "不能为空。")
        if self.markdown:
            # Raw HTML pasted from WeChat or Word: say before publishing what the build's
            # allow-list would drop (sanitise.py). Imported here: only Markdown fields need it.
            from .sanitise import HINT, describe, site_host, unsafe_markdown

            for line, removals in unsafe_markdown(text, site_host(ctx.settings.site_url)):
                where = f"（这段文字的第 {line + 1} 行）" if "\n" in text else ""
                ctx.problem(path, describe(removals) + where, HINT)
        return text

    def json_schema(self, settings):
        return {"type": ["string", "number"], "pattern": r"\S"}  # not empty, as check says


@dataclass
class Integer(Kind):
    minimum: int = 0
    label = "整数"

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, int) or _not_plain(path, ctx, PLAIN_INTEGER):
            shown = _describe(written(value, path, ctx))
            hint = _quote_hint(value) or "只写阿拉伯数字，例如 80，不要带单位。"
            return ctx.problem(path, f"应为整数，实际是{shown}。", hint)
        value = _decimal(ctx.doc.plain.get(path), value)  # 0120 is 120 as typed, not YAML 1.1's octal 80
        if value < self.minimum:
            return ctx.problem(path, f"不能小于 {self.minimum}。")
        return value

    def json_schema(self, settings):
        return {"type": "integer", "minimum": self.minimum}


@dataclass
class Number(Kind):
    minimum: float = 0
    label = "数字"

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, int | float) or _not_plain(path, ctx, PLAIN_NUMBER):
            shown = _describe(written(value, path, ctx))
            return ctx.problem(path, f"应为数字，实际是{shown}。", "例如 3 或 1.5，不要带单位。")
        value = _decimal(ctx.doc.plain.get(path), value)
        if value <= self.minimum:
            return ctx.problem(path, f"必须大于 {self.minimum}。")
        return value

    def json_schema(self, settings):
        return {"type": "number", "exclusiveMinimum": self.minimum}


class Date(Kind):
    label = "日期"

    def check(self, value, path, ctx):
        if isinstance(value, date):
            return value
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
            return ctx.problem(
                path, f"日期格式不对：{value!r}。", _quote_hint(value) or "请写成 年-月-日，例如 2025-06-09。"
            )
        year, month, day = (int(part) for part in value.strip().split("-"))
        try:
            return date(year, month, day)
        except ValueError:
            return ctx.problem(path, f"日期不存在：{value}。", "检查月份（1–12）和当月天数。")

    def json_schema(self, settings):
        return {"type": "string", "pattern": rf"^\s*{DATE_PATTERN}\s*$"}


class DateTime(Kind):
    """A moment in Beijing time: "2025-06-09 10:30", or a date alone (taken as 00:00)."""

    label = "日期时间"

    def check(self, value, path, ctx):
        text = str(value).strip() if isinstance(value, str | date) else ""
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", text)
        if not match:
            hint = _quote_hint(value) or "请写成 2025-06-09 10:30（北京时间）。"
            return ctx.problem(path, f"日期时间格式不对：{value!r}。", hint)
        y, mo, d, h, mi, sec = (int(g) if g else 0 for g in match.groups())
        try:
            return datetime(y, mo, d, h, mi, sec, tzinfo=CHINA_TZ)
        except ValueError:
            return ctx.problem(path, f"日期时间不存在：{value}。", "检查月份、当月天数和钟点。")

    def json_schema(self, settings):
        return {"type": "string", "pattern": rf"^\s*{DATE_PATTERN}(?:[ T]{CLOCK_PATTERN}(?::[0-5]\d)?)?\s*$"}


YAML11_BOOL_WORDS = tuple(
    form for word in ("yes", "no", "on", "off") for form in (word, word.capitalize(), word.upper())
)


class Bool(Kind):
    label = "是/否（true/false）"

    def check(self, value, path, ctx):
        if not isinstance(value, bool):
            return ctx.problem(path, f"应为 true 或 false，实际是{_describe(value)}。")
        return value

    def json_schema(self, settings):
        # PyYAML (YAML 1.1) reads yes/no/on/off as true/false; VS Code and check-jsonschema
        # (YAML 1.2) read them as words. Both must accept what `check` accepts.
        return {"anyOf": [{"type": "boolean"}, {"enum": list(YAML11_BOOL_WORDS)}]}


class Credits(Kind):
    """The review chain (供稿、供图、编辑、初审、复审、审核发布): role -> one name or a list.

    Roles come from the institution's configured list, in that order, whatever order the
    editor wrote them in.
    """

    label = "署名（角色: 姓名）"

    def check(self, value, path, ctx):
        roles = ctx.settings.credit_roles
        if not isinstance(value, dict):
            return ctx.problem(
                path, f"应为 “角色: 姓名” 的字段组，实际是{_describe(value)}。", "例如：\n  供稿: 李晓彤\n  编辑: 赵敏"
            )
        result: dict[str, list[str]] = {}
        ok = True
        for role, names in value.items():
            if names is None or names == "" or names == []:
                continue  # a role left blank is not filled in yet; the review policy decides
            if role not in roles:
                ctx.problem(
                    path + (role,),
                    f"未知的署名角色 “{role}”。",
                    did_you_mean(role, roles) or "可用：" + "、".join(roles) + "。",
                )
                ok = False
                continue
            if isinstance(names, list):
                names = [written(n, path + (role, i), ctx) for i, n in enumerate(names)]
            else:
                names = [written(names, path + (role,), ctx)]
            clean = [collapse_spaces(str(n)) for n in names if _is_text(n) and str(n).strip()]
            if len(clean) != len(names) or not clean:
                ctx.problem(path + (role,), f"“{role}” 应写一个姓名，或姓名列表。")
                ok = False
                continue
            result[role] = clean
        if not ok:
            return INVALID
        return {role: result[role] for role in roles if role in result}

    def json_schema(self, settings):
        text = {"type": ["string", "number"], "pattern": r"\S"}
        # A role left empty is not filled in yet (what `brochure new post` writes): check skips it.
        name = {"anyOf": [text, {"type": "array", "items": text}, {"type": "null"}, {"enum": [""]}]}
        return {"type": "object", "properties": {r: name for r in settings.credit_roles}, "additionalProperties": False}


class TimeRange(Kind):
    label = "时间段"

    def check(self, value, path, ctx):
        match = TIME_RANGE_RE.match(str(value)) if isinstance(value, str) else None
        if not match:
            return ctx.problem(
                path, f"时间段格式不对：{value!r}。", _quote_hint(value) or '请写成 "08:30-11:30"（加引号）。'
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            return ctx.problem(path, f"时间不存在：{value}。")
        start, end = f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
        if end <= start:
            return ctx.problem(path, f"结束时间 {end} 不晚于开始时间 {start}。")
        return {"start": start, "end": end}

    def json_schema(self, settings):
        # A reversed range (11:00-09:00) is beyond a pattern; `check` reports it.
        return {"type": "string", "pattern": TIME_RANGE_PATTERN}


class Url(Kind):
    label = "网址"

    def check(self, value, path, ctx):
        if not isinstance(value, str) or not URL_RE.match(value.strip()):
            hint = _quote_hint(value) or "网址须以 http:// 或 https:// 开头。"
            return ctx.problem(path, f"网址格式不对：{value!r}。", hint)
        return value.strip()

    def json_schema(self, settings):
        return {"type": "string", "pattern": "^https?://"}


class Email(Kind):
    label = "电子邮箱"

    def check(self, value, path, ctx):
        if not isinstance(value, str) or not EMAIL_RE.match(value.strip()):
            return ctx.problem(path, f"邮箱格式不对：{value!r}。", _quote_hint(value))
        return value.strip()

    def json_schema(self, settings):
        return {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"}


def pinyin(text: str) -> list[str]:
    """The syllables of Chinese text, without tones (计划人数 -> ji hua ren shu); other
    characters pass through. Imported here: pypinyin's dictionary takes a moment to load, and
    only hints for mistakes need it."""
    from pypinyin import lazy_pinyin

    return lazy_pinyin(text)


def slug_form(value: str) -> str:
    """qin_yufang, Qin Yufang -> qin-yufang: the id an editor meant, by the rules."""
    if re.search(r"[^\x00-\x7f]", value):  # 开班 -> kai-ban
        value = "-".join(pinyin(value))
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


class Slug(Kind):
    label = "编号"

    def check(self, value, path, ctx):
        value = written(value, path, ctx)
        if not isinstance(value, str) or not SLUG_RE.match(value):
            meant = slug_form(str(value)) if value is not None else ""
            return ctx.problem(
                path,
                f"编号 {value!r} 不合规则。",
                "编号只用小写英文字母、数字和连字符" + (f"，请改成 {meant}。" if meant else "，例如 zhang-wenhua。"),
            )
        return value

    def json_schema(self, settings):
        return {"type": "string", "pattern": SLUG_RE.pattern}


# The key, among the known ids, of the libraries that could not be read at all.
UNREADABLE = "unreadable"


def draft_ids(library: str) -> str:
    """The key, among the known ids, of a library's entries that are drafts (programmes)."""
    return f"draft-{library}"


LIBRARY_LABELS = {"lecturers": "讲师", "sites": "现场教学点", "organisations": "单位", "programmes": "班次"}
LIBRARY_HOMES = {"programmes": "programmes/ 里的班次文件名（不含 .yml）"}


@dataclass
class Ref(Kind):
    """An id in one of the shared libraries (师资库、现场教学点、单位)."""

    library: str

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"{LIBRARY_LABELS[self.library]}编号"

    def check(self, value, path, ctx):
        value = written(value, path, ctx)
        if not isinstance(value, str):
            return ctx.problem(path, f"应为{self.label}，实际是{_describe(value)}。")
        if self.library in ctx.library_ids.get(UNREADABLE, ()):
            return value  # the library's own problem is the one to fix first
        known = ctx.library_ids.get(self.library, set())
        if value in ctx.library_ids.get(draft_ids(self.library), ()):
            # Taking a programme back to draft must not stop the posts about it: they are
            # published without the link until it is published again.
            ctx.notice(
                path,
                f"{LIBRARY_LABELS[self.library]} “{value}” 还是草稿（draft: true）：这篇稿件暂不链接到它。",
                "班次发布（删去 draft: true）后，链接会自动恢复，不用改这篇稿件。",
            )
            return None
        if value not in known:
            name = LIBRARY_LABELS[self.library]
            home = LIBRARY_HOMES.get(self.library, f"libraries/{self.library}.yml")
            hint = did_you_mean(value, known) or f"可用的编号见 {home}。"
            return ctx.problem(path, f"未知的{name}编号 “{value}”。", hint)
        return value

    def json_schema(self, settings):
        return {"type": "string", "pattern": SLUG_RE.pattern}


class OrgRef(Kind):
    """An organisation id, or the unit's name written out (for a one-off partner).

    Text that looks like an id (ASCII, lowercase, hyphens) must be a known id, so a typo in an
    id is caught; Chinese text is taken as the unit's name.
    """

    label = "单位编号或单位名称"

    def check(self, value, path, ctx):
        value = written(value, path, ctx)
        if not _is_text(value):
            return ctx.problem(path, f"应为{self.label}，实际是{_describe(value)}。")
        value = str(value).strip()
        if SLUG_RE.match(value):
            known = ctx.library_ids.get("organisations", set())
            if value not in known and "organisations" not in ctx.library_ids.get(UNREADABLE, ()):
                hint = did_you_mean(value, known) or "在 libraries/organisations.yml 里登记，或直接写单位全称。"
                return ctx.problem(path, f"未知的单位编号 “{value}”。", hint)
            return {"id": value}
        return {"name": value}

    def json_schema(self, settings):
        return {"type": "string"}


@dataclass
class Choice(Kind):
    """A value from a list the institution configures (班次类型、授课形式、新闻栏目)."""

    setting: str

    label = "选项"

    def options(self, settings: Settings) -> tuple[str, ...]:
        return tuple(getattr(settings, self.setting))

    def check(self, value, path, ctx):
        options = self.options(ctx.settings)
        if value not in options:
            hint = did_you_mean(value, options) or "可选：" + "、".join(options) + "。"
            return ctx.problem(path, f"“{value}” 不在可选范围内。", hint)
        return value

    def json_schema(self, settings):
        return {"enum": list(self.options(settings))}


class Fee(Kind):
    """A fee in yuan per person (a number), or text such as 免费 or 由委托单位统一支付."""

    label = "金额（元/人）或文本"

    def check(self, value, path, ctx):
        # 0700 is 700 yuan as typed, not YAML 1.1's octal 448; 0x1F is text, as typed.
        value = value if _not_plain(path, ctx, PLAIN_NUMBER) is None else written(value, path, ctx)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = _decimal(ctx.doc.plain.get(path), value)
            if value < 0:
                return ctx.problem(path, "费用不能为负数。")
            return {"amount": value, "text": None}
        if isinstance(value, str) and value.strip():
            return {"amount": None, "text": collapse_spaces(value)}
        return ctx.problem(path, f"应为金额或文字说明，实际是{_describe(value)}。", "例如 3800，或 免费。")

    def json_schema(self, settings):
        return {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"\S"}]}


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


@dataclass
class DocFile(Kind):
    """A file kept in docs/ (a notice PDF, a photo), given relative to docs/.

    With `beside=True` the path is relative to the file being checked (a post's photos sit
    beside the post); the result is relative to docs/ either way.
    """

    suffixes: tuple[str, ...] = ()
    beside: bool = False
    hint: str = "请把文件放进 docs/（新闻照片放在稿件旁边），并检查文件名和大小写。"

    @property
    def label(self) -> str:  # type: ignore[override]
        return "相对本文件的路径" if self.beside else "docs/ 下的文件路径"

    def check(self, value, path, ctx):
        if not isinstance(value, str) or not value.strip():
            return ctx.problem(path, f"应为文件路径，实际是{_describe(value)}。")
        found = resolve_doc_file(value, ctx.settings.docs_dir, ctx.folder if self.beside else None)
        if isinstance(found, str):
            return ctx.problem(path, found, self.hint)
        if self.suffixes and found.suffix.lower() not in self.suffixes:
            return ctx.problem(path, f"文件类型应为 {'、'.join(self.suffixes)}。")
        return found.as_posix()

    def json_schema(self, settings):
        return {"type": "string"}


def resolve_doc_file(value: str, docs_dir: Path, folder: Path | None = None) -> PurePosixPath | str:
    """The path of a file inside docs/, relative to docs/; or what is wrong, as a message.

    Paths may not climb out of docs/ (`../../etc/passwd`) or lead out through a symlink,
    because whatever they name would be published.
    """
    raw = value.strip().replace("\\", "/")
    rel = PurePosixPath(raw)
    if rel.is_absolute() or re.match(r"^[a-z]+:", raw, re.IGNORECASE):
        return f"文件路径 “{value}” 应为相对路径。"
    docs = docs_dir.resolve()
    base = folder.resolve() if folder else docs
    target = Path(os.path.normpath(base / rel))
    if not target.is_relative_to(docs):
        return f"文件路径 “{value}” 指向 docs/ 之外。"
    if target.resolve() != target and not target.resolve().is_relative_to(docs):
        return f"文件 “{value}” 是指向 docs/ 之外的链接。"
    if not target.is_file():
        return f"找不到文件 {value}（应在 {target.relative_to(docs_dir.resolve().parent)}）。"
    return PurePosixPath(target.relative_to(docs).as_posix())


@dataclass
class OneOf(Kind):
    """One of a fixed set of words (not configurable, unlike Choice)."""

    options: tuple[str, ...]
    label = "选项"

    def check(self, value, path, ctx):
        if value not in self.options:
            return ctx.problem(path, f"“{value}” 不在可选范围内。", "可选：" + "、".join(self.options) + "。")
        return value

    def json_schema(self, settings):
        return {"enum": list(self.options)}


class NameToSlug(Kind):
    """A mapping of Chinese names to the ASCII words used in URLs (培训动态: training)."""

    label = "名称: 英文网址名"

    def check(self, value, path, ctx):
        if not isinstance(value, dict) or not value:
            return ctx.problem(
                path, f"应为 “名称: 英文网址名” 的字段组，实际是{_describe(value)}。", "例如 {培训动态: training}"
            )
        result, ok = {}, True
        for name, slug in value.items():
            if not isinstance(slug, str) or not SLUG_RE.match(slug):
                ctx.problem(
                    path + (name,), f"“{name}” 的网址名 {slug!r} 不合规则。", "只用小写英文字母、数字和连字符。"
                )
                ok = False
            result[str(name)] = slug
        if ok and len(set(result.values())) != len(result):
            return ctx.problem(path, "两个栏目用了同一个网址名。")
        return result if ok else INVALID

    def json_schema(self, settings):
        return {"type": "object", "additionalProperties": {"type": "string", "pattern": SLUG_RE.pattern}}


@dataclass
class ListOf(Kind):
    item: Kind
    min_items: int = 0

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"{self.item.label}列表"

    def check(self, value, path, ctx):
        if not isinstance(value, list):
            return ctx.problem(
                path, f"应为列表，实际是{_describe(value)}。", "列表每项另起一行、以 “- ” 开头，或写成 [甲, 乙]。"
            )
        if len(value) < self.min_items:
            return ctx.problem(path, f"至少需要 {self.min_items} 项。")
        results = [self.item.check(v, path + (i,), ctx) for i, v in enumerate(value)]
        return INVALID if any(r is INVALID for r in results) else results

    def json_schema(self, settings):
        schema = {"type": "array", "items": self.item.json_schema(settings)}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclass
class Field:
    kind: Kind
    doc: str
    required: bool = False
    example: Any = None


Rule = Callable[[dict, tuple, Context], None]


@dataclass
class Record(Kind):
    """A mapping with declared fields. Unknown keys are typos until proven otherwise."""

    fields: dict[str, Field]
    rules: list[Rule] = field(default_factory=list)
    label = "字段组"

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            return ctx.problem(path, f"应为字段组（“键: 值” 的形式），实际是{_describe(value)}。", _quote_hint(value))
        result: dict[str, Any] = {}
        ok = True
        spaced = set()  # fields written with a full-width space: reported once, not as missing too
        for key in value:
            bare = key.strip(" \u3000")
            if key not in self.fields and bare in self.fields:
                spaced.add(bare)
                ctx.problem(
                    path + (key,),
                    f"字段名 “{bare}” 前后有全角空格。",
                    "YAML 只认半角空格：请删去字段名前后的空白，重新用空格键缩进（输入法切到半角）。",
                )
                ok = False
            elif key not in self.fields:
                hint = did_you_mean(key, self.fields) or _field_by_label(key, self.fields)
                hint = hint or "可用字段：" + "、".join(self.fields) + "。"
                ctx.problem(path + (key,), f"未知字段 “{key}”。", hint)
                ok = False
        for name, spec in self.fields.items():
            if name not in value or value[name] is None:
                if spec.required and name not in spaced:
                    ctx.problem(path + (name,), f"缺少必填字段 “{name}”（{spec.doc}）。")
                    ok = False
                # Every declared field is present afterwards, so templates and later stages
                # test `if p.cover` instead of guarding every optional key.
                result[name] = [] if isinstance(spec.kind, ListOf) else None
                continue
            checked = spec.kind.check(value[name], path + (name,), ctx)
            if checked is INVALID:
                ok = False
            else:
                result[name] = checked
        # Rules run even when some other field had a problem, so that an editor sees every
        # problem in one pass; each rule skips the fields that did not check out.
        for rule in self.rules:
            rule(result, path, ctx)
        return result if ok else INVALID

    def json_schema(self, settings):
        return {
            "type": "object",
            "properties": {
                name: {**_optional(spec, settings), "description": spec.doc} for name, spec in self.fields.items()
            },
            "required": [name for name, spec in self.fields.items() if spec.required],
            "additionalProperties": False,
        }


def _field_by_label(key: str, fields: dict[str, Field]) -> str:
    """A hint naming the field whose Chinese label the editor wrote, in characters (人数) or in
    pinyin (renshu): "计划人数 is `capacity`". Field names are English; editors think in labels."""
    typed = re.sub(r"[\s_\-]", "", key).lower()
    if len(typed) < 2:
        return ""
    if re.fullmatch(r"[a-z]+", typed):
        if len(typed) < 4:  # "id", "url": too short to tell pinyin from English
            return ""

        def spelled(label: str) -> str:
            return "".join(pinyin(label))
    else:

        def spelled(label: str) -> str:
            return label

    matches = []
    for name, spec in fields.items():
        label = re.split(r"[，,（(：:；;]", spec.doc, maxsplit=1)[0]
        if typed in spelled(label):
            matches.append((len(label), label, name))
    if not matches:
        return ""
    _, label, name = min(matches)
    return f"“{label}” 的字段名是 {name}，请写成 {name}: …"


def _optional(spec: Field, settings: Settings) -> dict:
    """A field's schema; an optional field may also be left empty (`summary:`), as check allows."""
    schema = spec.kind.json_schema(settings)
    return schema if spec.required else {"anyOf": [schema, {"type": "null"}]}


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"是/否值（{'true' if value else 'false'}）"
    if isinstance(value, dict):
        return "字段组"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, int | float):
        return f"数字 {value}"
    return f"文本 “{value}”"


def _quote_hint(value: Any) -> str:
    """What a Chinese input method typed where ASCII was needed: curly quotes (text to YAML),
    a full-width colon or space, full-width letters and digits (８０, ＠)."""
    if not isinstance(value, str):
        return ""
    if CURLY_QUOTES.search(value):
        return '这里用的是中文引号 “ ”，YAML 不把它当引号：请换成英文引号，如 "08:30-11:30"（切换到英文输入法再打）。'
    if match := re.match(r"\s*([A-Za-z_][\w-]*)\s*(：|:\u3000)", value):
        slip = "后面是中文冒号 “：”" if match.group(2) == "：" else "的冒号后面是全角空格"
        return f"“{match.group(1)}” {slip}：请改成英文冒号加一个半角空格，如 {match.group(1)}: …"
    if match := re.search(r"[\uff01-\uff5e\u3000]", value):
        return f"这里有全角字符 “{match.group(0)}”：请把输入法切到半角（英文）后重新输入。"
    return ""


def _text_hint(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no/on/off/true/false 会被当成是/否值，请加引号。"
    if isinstance(value, list):
        return "这里只写一项，不用 “- ” 或方括号。"
    if isinstance(value, dict):
        return "值里有 “: ” 时请整个加引号。"
    return ""


# ---------------------------------------------------------------------------------------
# Rules that look at more than one field of a programme.


def _programme_dates(record: dict, path: tuple, ctx: Context) -> None:
    dates = record.get("dates")
    if not dates:
        return
    start, end = dates["start"], dates["end"] or dates["start"]
    if end < start:
        ctx.problem(path + ("dates", "end"), f"结束日期 {end} 早于开始日期 {start}。", "检查年份和月份是否写反。")
        return
    for i, day in enumerate(record.get("timetable") or []):
        if not start <= day["date"] <= end:
            ctx.problem(
                path + ("timetable", i, "date"),
                f"日程日期 {day['date']} 不在班次日期 {start} 至 {end} 之内。",
            )
    for i, visit in enumerate(record.get("site_visits") or []):
        if visit["date"] and not start <= visit["date"] <= end:
            ctx.problem(
                path + ("site_visits", i, "date"),
                f"现场教学日期 {visit['date']} 不在班次日期 {start} 至 {end} 之内。",
            )
    deadline = (record.get("registration") or {}).get("deadline")
    if deadline and deadline > end:
        ctx.problem(path + ("registration", "deadline"), f"报名截止日期 {deadline} 晚于结束日期 {end}。")


def _unique_timetable_days(record: dict, path: tuple, ctx: Context) -> None:
    seen: dict[date, int] = {}
    for i, day in enumerate(record.get("timetable") or []):
        if day["date"] in seen:
            ctx.problem(
                path + ("timetable", i, "date"),
                f"日期 {day['date']} 在日程里出现了两次（另一处是 timetable[{seen[day['date']]}]）。",
                "同一天的安排请合并到一处。",
            )
        seen.setdefault(day["date"], i)


# ---------------------------------------------------------------------------------------
# The file types.

ORG = OrgRef()

SESSION = Record(
    {
        "title": Field(Text(), "课程题目", True, "学习贯彻党的二十届三中全会精神"),
        "lecturers": Field(ListOf(Ref("lecturers"), 1), "授课人，师资库中的编号，可写多位", True, ["zhang-wenhua"]),
        "format": Field(Choice("session_formats"), "授课形式，从机构配置的列表中选", True, "专题讲座"),
        "hours": Field(Number(), "学时", False, 3),
    }
)

MODULE = Record(
    {
        "title": Field(Text(), "模块名称", True, "模块一：政治理论与形势政策"),
        "sessions": Field(ListOf(SESSION, 1), "本模块的课程", True),
    }
)

SITE_VISIT = Record(
    {
        "site": Field(Ref("sites"), "现场教学点编号", True, "menglianggu-memorial"),
        "date": Field(Date(), "日期，须在班次日期之内", False, "2025-06-11"),
        "theme": Field(Text(), "教学主题", False, "传承沂蒙精神，践行初心使命"),
    }
)

TIMETABLE_ITEM = Record(
    {
        "time": Field(TimeRange(), "时间段，加引号", True, "08:30-11:30"),
        "title": Field(Text(), "内容", True, "开班仪式"),
        "place": Field(Text(), "地点", False, "知新楼A201报告厅"),
        "lecturer": Field(Ref("lecturers"), "授课人编号", False, "zhang-wenhua"),
    }
)


def _no_overlapping_items(record: dict, path: tuple, ctx: Context) -> None:
    """Two items of one day at once (09:00-12:00 and 10:00-11:00) is a typo in a time."""
    timed = sorted(
        (item["time"]["start"], item["time"]["end"], i) for i, item in enumerate(record.get("items") or []) if item
    )
    longest = None  # the item seen so far that ends last
    for start, end, i in timed:
        if longest and start < longest[1]:
            first, other = sorted((i, longest[2]))
            ctx.problem(
                path + ("items", other, "time"),
                f"与同一天的 items[{first}] 时间重叠（{start}-{end} 和 {longest[0]}-{longest[1]}）。",
                "检查两项的钟点；同一时段分组进行的安排请写成一项，在内容里注明。",
            )
        if not longest or end > longest[1]:
            longest = (start, end, i)


TIMETABLE_DAY = Record(
    {
        "date": Field(Date(), "日期", True, "2025-06-09"),
        "items": Field(ListOf(TIMETABLE_ITEM, 1), "当天的安排，按时间先后", True),
    },
    rules=[_no_overlapping_items],
)

CONTACT = Record(
    {
        "name": Field(Text(), "联系人", True, "李老师"),
        "role": Field(Text(), "分工", False, "教务联系人"),
        "phone": Field(Text(), "电话", False, "0531-88361234"),
        "email": Field(Email(), "电子邮箱", False, "peixun@daiyue.edu.cn"),
    }
)

PROGRAMME = Record(
    {
        # First, so that a new file (brochure new programme) starts as a draft, in plain sight.
        "draft": Field(Bool(), "草稿：true 时不发布，其中的问题也不影响其他内容发布；写好后删去这一行", False, True),
        "title": Field(Text(), "班次名称", True, "2025年全省社会保险经办机构负责人能力提升研修班"),
        "type": Field(Choice("programme_types"), "班次类型，从机构配置的列表中选", True, "研修班"),
        "dates": Field(
            Record(
                {
                    "start": Field(Date(), "开班日期", True, "2025-06-09"),
                    "end": Field(Date(), "结业日期；一天的班次可不写", False, "2025-06-13"),
                }
            ),
            "举办日期",
            True,
        ),
        "venue": Field(
            Record(
                {
                    "name": Field(Text(), "地点名称", True, "岱岳大学知新楼"),
                    "city": Field(Text(), "城市", False, "济南"),
                    "address": Field(Text(), "详细地址", False, "济南市历城区山大南路27号"),
                }
            ),
            "举办地点",
            True,
        ),
        "host": Field(ORG, "主办单位：单位编号或单位全称", True, "daiyue-spa"),
        "co_organisers": Field(ListOf(ORG), "协办/承办单位", False, ["daiyue-training"]),
        "commissioned_by": Field(ORG, "委托单位", False, "sd-hrss"),
        "audience": Field(Text(), "培训对象", True, "全省各市、县（市、区）社会保险经办机构负责人"),
        "capacity": Field(Integer(1), "计划人数", False, 80),
        "fee": Field(Fee(), "费用：每人金额（元），或文字说明如“免费”", False, "免费（由委托单位统一支付）"),
        "summary": Field(Text(markdown=True), "项目简介（Markdown）", False, "本班次聚焦……\n"),
        "objectives": Field(ListOf(Text()), "培训目标", False, ["深化对社会保险政策的理解"]),
        "modules": Field(ListOf(MODULE), "课程模块", False),
        "site_visits": Field(ListOf(SITE_VISIT), "现场教学安排", False),
        "timetable": Field(ListOf(TIMETABLE_DAY), "日程安排，一天一项", False),
        "contacts": Field(ListOf(CONTACT), "联系人", False),
        "registration": Field(
            Record(
                {
                    "deadline": Field(Date(), "报名截止日期", False, "2025-05-30"),
                    "how": Field(
                        Text(markdown=True), "报名方式（Markdown）", False, "请各单位于截止日期前报送回执。\n"
                    ),
                    "url": Field(Url(), "在线报名网址", False, "https://peixun.daiyue.edu.cn/apply"),
                }
            ),
            "报名",
            False,
        ),
        "attachments": Field(
            ListOf(
                Record(
                    {
                        "title": Field(Text(), "附件名称", True, "开班通知"),
                        "file": Field(
                            DocFile(), "放在 docs/ 下的文件，写相对 docs/ 的路径", True, "attachments/notice.pdf"
                        ),
                    }
                )
            ),
            "附件",
            False,
        ),
        "cover": Field(
            Record(
                {
                    "image": Field(
                        DocFile(IMAGE_SUFFIXES),
                        "封面图片，相对 docs/ 的路径",
                        True,
                        "images/cover.jpg",
                    ),
                    "alt": Field(Text(), "图片的文字说明（供读屏软件朗读）", True, "学员在纪念馆前合影"),
                }
            ),
            "封面图片",
            False,
        ),
        "tags": Field(ListOf(Text()), "标签", False, ["社会保险", "经办服务"]),
    },
    rules=[_programme_dates, _unique_timetable_days],
)

LECTURER = Record(
    {
        "id": Field(Slug(), "编号：小写拼音加连字符，全库唯一", True, "zhang-wenhua"),
        "name": Field(Text(), "姓名", True, "张文华"),
        "title": Field(Text(), "职称或职务", False, "教授、博士生导师"),
        "affiliation": Field(Text(), "工作单位", False, "岱岳大学公共管理学院"),
        "bio": Field(Text(markdown=True), "简介（Markdown）", False, "长期从事社会保障政策研究……\n"),
        "photo": Field(
            DocFile(IMAGE_SUFFIXES),
            "照片，相对 docs/ 的路径",
            False,
            "images/lecturers/zhang-wenhua.jpg",
        ),
        "fields": Field(ListOf(Text()), "研究或授课领域", False, ["社会保障", "公共政策"]),
    }
)

SITE = Record(
    {
        "id": Field(Slug(), "编号：小写拼音加连字符，全库唯一", True, "menglianggu-memorial"),
        "name": Field(Text(), "名称", True, "孟良崮战役纪念馆"),
        "kind": Field(Text(), "类别，如 红色教育基地、企业、园区", False, "红色教育基地"),
        "city": Field(Text(), "城市", False, "临沂"),
        "address": Field(Text(), "地址", False, "临沂市蒙阴县孟良崮旅游区"),
        "description": Field(Text(markdown=True), "介绍（Markdown）", False, "纪念馆以……\n"),
    }
)

ORGANISATION = Record(
    {
        "id": Field(Slug(), "编号：小写英文加连字符，全库唯一", True, "daiyue-spa"),
        "name": Field(Text(), "单位全称", True, "岱岳大学公共管理学院"),
        "kind": Field(Text(), "类别，如 高校、政府部门、党校", False, "高校"),
        "url": Field(Url(), "网址", False, "https://spa.daiyue.edu.cn/"),
    }
)


def _review_policy(record: dict, path: tuple, ctx: Context) -> None:
    """先审后发: a post that is not a draft names everyone the policy requires."""
    if not ctx.settings.require_review or record.get("draft") or "credits" not in record:
        return
    credits = record["credits"] or {}
    missing = [role for role in ctx.settings.required_roles if role not in credits]
    if missing:
        ctx.problem(
            path + ("credits",),
            f"审核信息不全，缺少：{'、'.join(missing)}。",
            "按“先审后发”的要求，发布前须写明各环节署名；尚未审完的稿件请加 draft: true。",
        )


# What `brochure import` could not be sure of, for the editor to confirm (POST's `unverified`).
UNVERIFIED = ("标题", "日期", "来源", "正文")
# A source the importer or an editor left to fill in later: （来源待补）, 待补.
_PLACEHOLDER = re.compile(r"待补|待定|待核|^[（(]?\s*[?？]+\s*[)）]?$")


def _nothing_left_to_verify(record: dict, path: tuple, ctx: Context) -> None:
    """A post goes out only when what the importer guessed or left blank has been confirmed."""
    if record.get("draft"):
        return
    if record.get("unverified"):
        ctx.problem(
            path + ("unverified",),
            f"这篇稿件还有待核对的内容：{'、'.join(record['unverified'])}。",
            "这些是导入时推测、留空或发现有丢失字符的项：逐项核对原文后，删掉 unverified 这一行再发布；"
            "还没核对完请保持 draft: true。",
        )
    source = record.get("source")
    if isinstance(source, str) and _PLACEHOLDER.search(source):
        ctx.problem(
            path + ("source",),
            f"来源还没有填写（“{source}”）。",
            "写明供稿单位或媒体名称；还不知道时请保持 draft: true。",
        )


POST = Record(
    {
        "title": Field(Text(), "标题", True, "2025年全省社会保险经办机构负责人能力提升研修班开班"),
        "date": Field(DateTime(), "发布时间，北京时间", True, "2025-06-09 11:30"),
        "category": Field(Choice("news_categories"), "栏目，从机构配置的列表中选", True, "培训动态"),
        "tags": Field(ListOf(Text()), "标签", False, ["社会保险", "开班仪式"]),
        "programme": Field(
            Ref("programmes"), "相关班次：班次文件名（不含 .yml）", False, "2025-shebao-jingban-yanxiuban"
        ),
        "source": Field(Text(), "来源：供稿单位或媒体", True, "岱岳大学公共管理学院干部教育培训中心"),
        "slug": Field(Slug(), "网址名：小写英文或拼音加连字符；不写则由文件名生成", False, "shebao-yanxiuban-kaiban"),
        "summary": Field(
            Text(), "摘要，显示在新闻列表里；不写则取 `<!-- more -->` 之前的正文", False, "6月9日上午，研修班开班。"
        ),
        "cover": Field(
            Record(
                {
                    "image": Field(
                        DocFile(IMAGE_SUFFIXES, beside=True), "封面图片，相对本稿件的路径", True, "kaiban.jpg"
                    ),
                    "alt": Field(Text(), "图片的文字说明（供读屏软件朗读）", True, "开班仪式现场"),
                }
            ),
            "封面图片",
            False,
        ),
        "photos": Field(
            ListOf(
                Record(
                    {
                        "image": Field(
                            DocFile(IMAGE_SUFFIXES, beside=True), "照片，相对本稿件的路径", True, "fenzu-taolun.jpg"
                        ),
                        "caption": Field(Text(), "图片说明：显示在照片下方，也供读屏软件朗读", True, "学员分组讨论"),
                    }
                )
            ),
            "图片报道：正文之后按顺序展示的照片，每张写一句说明",
            False,
            [{"image": "fenzu-taolun.jpg", "caption": "学员分组讨论"}],
        ),
        "draft": Field(Bool(), "草稿：true 时不发布", False, False),
        "unverified": Field(
            ListOf(OneOf(UNVERIFIED)),
            "待核对：导入时推测、留空或发现丢失字符的项，核对后删掉这一行；有这一行的稿件不能发布",
            False,
            ["日期"],
        ),
        "credits": Field(
            Credits(),
            "署名：供稿、供图、编辑、初审、复审、审核发布等，每个角色写一个姓名或姓名列表",
            False,
            {
                "供稿": "李晓彤",
                "供图": ["王晨阳", "刘洋"],
                "编辑": "赵敏",
                "初审": "孙立新",
                "复审": "周海燕",
                "审核发布": "张文华",
            },
        ),
    },
    rules=[_review_policy, _nothing_left_to_verify],
)


# The libraries, in the order they are loaded: organisations first is not needed by any
# rule today, but lecturers, sites and organisations never refer to each other.
LIBRARIES: dict[str, Record] = {"lecturers": LECTURER, "sites": SITE, "organisations": ORGANISATION}


def library_list(name: str, data: Any) -> tuple[Any, tuple]:
    """(the entries, their path in the file). A library file is a list of entries, written at
    the top of the file or under the library's own name (`lecturers:`), the form the browser
    admin reads and writes: its file collections hold named fields, never a bare list."""
    if isinstance(data, dict) and set(data) == {name}:
        return (data[name] if data[name] is not None else []), (name,)
    return (data if data is not None else []), ()


def check_library(name: str, doc: Document, ctx: Context) -> list[dict]:
    """A library is a list of entries, each with a unique id."""
    data, at = library_list(name, doc.data)
    entries = ListOf(LIBRARIES[name]).check(data, at, ctx)
    if entries is INVALID:
        # Keep the good entries so references to them do not cascade into more problems.
        entries = []
        if isinstance(data, list):
            scratch = Context(doc, Problems(), ctx.settings, ctx.library_ids)
            for i, raw in enumerate(data):
                entry = LIBRARIES[name].check(raw, (*at, i), scratch)
                if entry is not INVALID:
                    entries.append(entry)
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry["id"] in seen:
            ctx.problem(
                (*at, i, "id"),
                f"编号 “{entry['id']}” 重复（第 {doc.line((*at, seen[entry['id']]))} 行已有）。",
                "每个编号只能用一次。",
            )
        seen.setdefault(entry["id"], i)
    return entries


def check_programme(doc: Document, ctx: Context) -> dict | None:
    if doc.data is None:
        ctx.problem((), "文件是空的。", "请参照编辑指南里的示例填写班次信息。")
        return None
    result = PROGRAMME.check(doc.data, (), ctx)
    return None if result is INVALID else result


def _required_roles_are_roles(record: dict, path: tuple, ctx: Context) -> None:
    roles, required = record.get("credit_roles"), record.get("required_roles")
    if not roles or not required:
        return
    if path + ("required_roles",) not in ctx.doc.lines:
        # Left out, required_roles is the default list, which names roles an institution's own
        # credit_roles may not have: one problem, where the roles were written.
        missing = [role for role in required if role not in roles]
        if missing:
            ctx.problem(
                path + ("credit_roles",),
                f"没有写 required_roles，默认要求的 {'、'.join(missing)} 不在 credit_roles 里。",
                "请写出 required_roles：本机构发布前必须署名的角色，只用 credit_roles 里的角色。",
            )
        return
    for i, role in enumerate(required):
        if role not in roles:
            ctx.problem(path + ("required_roles", i), f"“{role}” 不在 credit_roles 里。", did_you_mean(role, roles))


# ---------------------------------------------------------------------------------------
# The institution's identity and footer: mkdocs.yml's `extra: site:` block, and the emblem in
# Material's own `theme: logo:` and `theme: favicon:`. The templates (overrides/) read them;
# checked with the `brochure` block (PLUGIN_OPTIONS' rule), so a mistake is one located problem
# before anything is built, not a broken image on every page.

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
# WCAG's minimum contrast for body text: the header's white text on the colour, and the colour's
# links and headings on white, are the same ratio.
MIN_CONTRAST = 4.5
# Share cards (WeChat, Weibo, og:image) want an image at least this wide and high.
SHARE_IMAGE_MIN = 200


def _luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Colour(Kind):
    """The institution's colour: header, tabs, links and headings. White text goes on it, so it
    must be dark enough for 4.5:1."""

    label = '颜色（"#rrggbb"，加引号）'

    def check(self, value, path, ctx):
        if not isinstance(value, str) or not HEX_COLOUR.match(value.strip()):
            return ctx.problem(
                path,
                f"颜色格式不对：{value!r}。",
                _quote_hint(value) or '请写成 # 加六位十六进制数，并加英文引号，例如 "#b3261e"。',
            )
        colour = value.strip().lower()
        ratio = contrast(colour, "#ffffff")
        if ratio < MIN_CONTRAST:
            return ctx.problem(
                path,
                f"颜色 {colour} 太浅：白色文字放在上面的对比度只有 {ratio:.2f}:1，低于 {MIN_CONTRAST}:1，"
                "标题栏和链接会看不清。",
                '请换深一些的颜色，例如 "#b3261e"（深红）、"#1f4e8c"（深蓝）、"#1b5e20"（深绿）。',
            )
        return colour

    def json_schema(self, settings):
        return {"type": "string", "pattern": HEX_COLOUR.pattern}


LOGO_SUFFIXES = (".svg", ".png", ".webp", ".jpg", ".jpeg", ".gif")
SETTING_FILE_HINT = (
    "请把图片放进 docs/assets/images/，写相对 docs/ 的路径（如 assets/images/emblem.svg），并检查文件名和大小写。"
)
FAVICON_SUFFIXES = (*LOGO_SUFFIXES, ".ico")


class SiteInfo(Record):
    """`extra: site:`, whose items may each be left empty ("") and are then not shown."""

    def check(self, value, path, ctx):
        if isinstance(value, dict):
            value = {key: item for key, item in value.items() if item != ""}
        return super().check(value, path, ctx)

    def json_schema(self, settings):
        schema = super().json_schema(settings)
        for name, spec in schema["properties"].items():
            schema["properties"][name] = {"anyOf": [*spec.pop("anyOf"), {"enum": [""]}], **spec}
        return schema


SITE_INFO = SiteInfo(
    {
        "short_name": Field(
            Text(),
            "简称：手机屏幕的标题栏放不下全称时显示，8 个字以内（窄的手机只放得下这么多）；不写则显示全称（site_name）",
            False,
            "岱岳干部培训中心",
        ),
        "colour": Field(
            Colour(),
            "主色：标题栏、导航、链接和标题的颜色；须够深，白字放在上面对比度不低于 4.5:1",
            False,
            "#b3261e",
        ),
        "banner": Field(
            DocFile((*IMAGE_SUFFIXES, ".svg"), hint=SETTING_FILE_HINT),
            "首页横幅图片，相对 docs/ 的路径；宽而矮（约 6:1），只作装饰，不要把文字做进图里",
            False,
            "assets/images/banner.svg",
        ),
        "share_image": Field(
            DocFile(IMAGE_SUFFIXES, hint=SETTING_FILE_HINT),
            "分享图片：在微信等处转发网页时显示的小图（没有自己照片的页面用它），PNG 或 JPG，至少 200×200 像素；"
            "不写则用标志（须是这么大的 PNG 或 JPG，SVG 标志不能用作分享图）",
            False,
            "assets/images/share.png",
        ),
        "host_unit": Field(Text(), "主办单位，显示在页脚", False, "岱岳大学公共管理学院"),
        "address": Field(Text(), "地址，显示在页脚", False, "济南市历城区港沟街道岱岳路88号"),
        "phone": Field(Text(), "联系电话，显示在页脚", False, "0531-88361234"),
        "email": Field(Email(), "电子邮箱，显示在页脚", False, "peixun@daiyue.edu.cn"),
        "icp": Field(Text(), "ICP 备案号，显示在页脚并链接到工信部备案网站", False, "鲁ICP备00000000号-1"),
        "psb": Field(Text(), "公安机关备案号，显示在页脚；没有就不写", False, "鲁公网安备 37010002000000号"),
        "id_code": Field(Text(), "政府网站标识码（SiteIDCode），仅政府网站填写", False, "3700000000"),
    }
)

# Material's own settings for the emblem, under `theme:`.
THEME_IMAGES = {
    "logo": Field(
        DocFile(LOGO_SUFFIXES, hint=SETTING_FILE_HINT),
        "标志（校徽、院徽），相对 docs/ 的路径：显示在标题栏左侧",
        False,
        "assets/images/emblem.svg",
    ),
    "favicon": Field(
        DocFile(FAVICON_SUFFIXES, hint=SETTING_FILE_HINT),
        "浏览器标签页上的小图标，相对 docs/ 的路径；可以与标志用同一个文件",
        False,
        "assets/images/emblem.svg",
    ),
}


THEME_NAMES = {"logo": "标志", "favicon": "网页小图标"}


def _unquoted_colour(ctx: Context, path: tuple) -> bool:
    """`colour: #b3261e` without quotes: YAML reads the # as the start of a comment, so the
    setting is empty and the site would quietly keep the default colour."""
    try:
        text = (ctx.settings.root / ctx.doc.file).read_text(encoding="utf-8").splitlines()
        line = text[ctx.doc.line(path) - 1]
    except (OSError, IndexError):
        return False
    return re.match(rf"\s*{path[-1]}\s*:\s*#", line) is not None


def _site_identity(record: dict, path: tuple, ctx: Context) -> None:
    """mkdocs.yml's `extra: site:` and `theme: logo/favicon`, checked against files under
    docs_dir (not the placeholder settings' docs/, which the options are checked with)."""
    config = ctx.doc.data if isinstance(ctx.doc.data, dict) else {}
    docs = ctx.settings.root / str(config.get("docs_dir") or "docs")
    here = Context(ctx.doc, ctx.problems, replace(ctx.settings, docs_dir=docs), ctx.library_ids)
    theme = config.get("theme")
    if isinstance(theme, dict):
        for name, spec in THEME_IMAGES.items():
            value = theme.get(name)
            if value is None:
                continue
            if isinstance(value, str) and re.match(r"^[a-z]+://", value.strip(), re.IGNORECASE):
                here.problem(
                    ("theme", name),
                    f"{THEME_NAMES[name]}不能用其他网站上的图片：{value}。",
                    "请把图片放进 docs/assets/images/，写相对 docs/ 的路径："
                    "从外站加载，那个网站打不开时就缺图，也会把读者的访问透露给它。",
                )
                continue
            spec.kind.check(value, ("theme", name), here)
    extra = config.get("extra")
    site = extra.get("site") if isinstance(extra, dict) else None
    if site is None:
        return
    if not isinstance(site, dict):
        here.problem(("extra", "site"), "应为字段组（“键: 值” 的形式）。")
        return
    if site.get("colour") is None and "colour" in site and _unquoted_colour(here, ("extra", "site", "colour")):
        here.problem(
            ("extra", "site", "colour"),
            "颜色没有读到：# 前面没有引号，YAML 把 # 之后当成了注释。",
            '请加英文引号，例如 colour: "#b3261e"。',
        )
    checked = SITE_INFO.check(site, ("extra", "site"), here)
    shared = checked.get("share_image") if isinstance(checked, dict) else None
    if shared:
        with open(here.settings.docs_dir / shared, "rb") as f:
            size = image_size(f.read(256 * 1024))
        if size and min(size) < SHARE_IMAGE_MIN:
            here.problem(
                ("extra", "site", "share_image"),
                f"分享图片只有 {size[0]}×{size[1]} 像素，微信等转发时不会显示。",
                f"请换一张至少 {SHARE_IMAGE_MIN}×{SHARE_IMAGE_MIN} 像素的 PNG 或 JPG 图片。",
            )


@dataclass
class Option(Field):
    """A setting in mkdocs.yml's `brochure` block, with the value it takes when left out."""

    default: Any = None


class Options(Record):
    """mkdocs.yml's `brochure` block. MkDocs only sees the names (plugin.py); the checks here
    give the same file:line messages as content problems."""

    def defaults(self) -> dict[str, Any]:
        return {name: option.default for name, option in self.fields.items()}  # type: ignore[attr-defined]

    def check(self, value, path, ctx):
        """Every option, each left out or left empty (`pdf:`) taking its default; a list written
        empty (`required_roles: []`) is the editor's choice and stays empty."""
        block = {} if value is None else value  # `- brochure:` alone: every default
        if isinstance(block, dict):
            # Filled in before the check, so that the rules see what the settings will hold.
            defaults = {name: list(d) if isinstance(d, tuple) else d for name, d in self.defaults().items()}
            block = defaults | {name: v for name, v in block.items() if v is not None}
        return super().check(block, path, ctx)

    def json_schema(self, settings):
        schema = super().json_schema(settings)
        for name, default in self.defaults().items():
            if default is not None:
                schema["properties"][name]["default"] = default
        return schema


PLUGIN_OPTIONS = Options(
    {
        "content_dir": Option(Text(), "班次和资料库所在的文件夹", default="programmes"),
        "build_date": Option(
            Date(), "固定“今天”，用于计算班次状态（复现某天的构建）；不写则为构建当天，或 SOURCE_DATE_EPOCH 的日期"
        ),
        "programme_types": Option(ListOf(Text(), 1), "班次类型的可选值", default=DEFAULT_PROGRAMME_TYPES),
        "session_formats": Option(ListOf(Text(), 1), "授课形式的可选值", default=DEFAULT_SESSION_FORMATS),
        "news_dir": Option(Text(), "新闻稿所在的文件夹（docs/ 之内）", default="news"),
        "news_categories": Option(NameToSlug(), "新闻栏目及其英文网址名", default=DEFAULT_NEWS_CATEGORIES),
        "credit_roles": Option(ListOf(Text(), 1), "署名角色", default=DEFAULT_CREDIT_ROLES),
        "required_roles": Option(ListOf(Text()), "先审后发：发布前必须署名的角色", default=DEFAULT_REQUIRED_ROLES),
        "require_review": Option(Bool(), "是否执行先审后发", default=True),
        "publish_future": Option(Bool(), "是否立即发布日期在将来的稿件", default=False),
        "news_per_page": Option(Integer(1), "新闻列表每页条数", default=10),
        "home_news": Option(Integer(0), "首页显示的最新新闻条数", default=5),
        "pdf": Option(Bool(), "是否生成 PDF 简章（只为还没结束的班次生成）", default=True),
        "pdf_when_unavailable": Option(
            OneOf(("fail", "skip")), "缺少 PDF 引擎或中文字体时：fail 构建失败，skip 不生成 PDF", default="fail"
        ),
        "zh_hant": Option(Bool(), "另外生成一份繁体中文网站（brochure build 时）", default=False),
        "zh_hant_path": Option(Slug(), "繁体网站所在的子路径：小写英文、数字和连字符", default="zh-hant"),
        "zh_hant_opencc": Option(
            OneOf(("s2tw", "s2t", "s2hk", "s2twp")),
            "OpenCC 转换方案：s2tw 只转换字形（台湾标准字形，社区→社區），s2t OpenCC 字形（爲、羣），"
            "s2hk 香港字形，s2twp 另把词语换成台湾用词（社区→社群、项目→專案），不适合内地机构",
            default="s2tw",
        ),
        "zh_hant_keep": Option(
            ListOf(Text()),
            "繁体版里照原样保留、不做转换的词：本单位的专名等（如 [岱岳]，否则 OpenCC 会写成 岱嶽）",
            default=(),
        ),
        "admin": Option(
            Record(
                {
                    "backend": Field(
                        OneOf(("forgejo", "gitea", "gitlab")),
                        "Git 服务的种类：forgejo、gitea 或 gitlab",
                        True,
                        "forgejo",
                    ),
                    "url": Field(Url(), "Git 服务的网址", True, "https://git.daiyue.edu.cn/"),
                    "repo": Field(Text(), "网站仓库：所有者/仓库名", True, "peixun/site"),
                    "app_id": Field(
                        Text(), "客户端 ID：在 Git 服务里为网页后台登记的 OAuth2 应用的 Client ID", True, "0c7e…"
                    ),
                    "branch": Field(Text(), "分支：编辑保存到的分支，不写为 main", False, "main"),
                }
            ),
            "网页后台：发布的网站带上 /admin/，编辑用单位 Git 服务的账号登录，保存即提交；"
            "不写则只有 brochure serve 的本地预览里有后台",
        ),
    },
    rules=[_required_roles_are_roles, _site_identity],
)
