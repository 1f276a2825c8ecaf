"""Load YAML files into Documents that remember the line of every value.

PyYAML's C loader is several times faster than the pure-Python one, and its composed nodes
still carry source marks, so we compose with it and build plain values ourselves. Building
them ourselves also lets us refuse what `yaml.safe_load` silently accepts: a key given twice
(the second value would overwrite the first) and alias chains that expand without bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems, format_path

try:  # the C loader comes with PyYAML's wheels; fall back rather than fail.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class _FastResolver(_Loader):
    """The C loader with PyYAML's tag resolution done in fewer steps.

    The C parser asks Python for the tag of every value it composes; PyYAML's general resolver
    (path resolvers, wildcard resolvers) made that a third of loading 2,000 programmes. The safe
    schema has neither, so the answer is the same: an implicit resolver picked by the value's
    first character, else a string.
    """

    _implicit = _Loader.yaml_implicit_resolvers

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self._implicit.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node, current_index):
        pass  # only path resolvers need the path, and the safe schema has none

    def ascend_resolver(self):
        pass


# A document that expands to more values than this is an alias bomb, not a brochure.
MAX_VALUES = 200_000
# A brochure nests six levels at most (modules, sessions, lecturers); far deeper is a paste
# gone wrong, and building it would exhaust Python's stack (a RecursionError traceback).
MAX_DEPTH = 50

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class Document:
    """One YAML file: its data and, for every field path, the line it stands on."""

    file: str
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    # The characters typed for every unquoted value that YAML 1.1 turned into something other
    # than text (053166661234 is octal 5802517148 to it, `no` is false): a text field takes
    # these back, so it shows exactly what the editor wrote (schema.Text).
    plain: dict[tuple, str] = field(default_factory=dict)

    def line(self, path: tuple) -> int:
        """The line of `path`, or of its nearest ancestor that has one (missing fields)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class _TooBig(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


class _Builder:
    def __init__(self, doc: Document, problems: Problems, line_offset: int = 0):
        self.doc = doc
        self.problems = problems
        self.offset = line_offset
        self.count = 0
        self.constructor = _Loader("")

    def build(self, node: yaml.Node, path: tuple) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig
        if len(path) > MAX_DEPTH:
            raise _TooDeep(node.start_mark.line + 1 + self.offset)
        self.doc.lines.setdefault(path, node.start_mark.line + 1 + self.offset)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        value = self._scalar(node)
        if value is not None and not isinstance(value, str) and not node.style:
            self.doc.plain[path] = node.value
        return value

    def _mapping(self, node: yaml.MappingNode, path: tuple) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.add(
                    self.doc.file,
                    key_node.start_mark.line + 1 + self.offset,
                    format_path(path),
                    "不支持 YAML 合并键 “<<”。",
                    "请把字段直接写出来。",
                )
                continue
            # A field name is the text typed: `yes:` is the name "yes", not true (YAML 1.1).
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problems.add(
                    self.doc.file, key_node.start_mark.line + 1 + self.offset, format_path(path), "字段名必须是文字。"
                )
                continue
            key = str(key)
            line = key_node.start_mark.line + 1 + self.offset
            if key in result:
                first = self.doc.lines.get(path + (key,), 0)
                self.problems.add(
                    self.doc.file,
                    line,
                    format_path(path + (key,)),
                    f"字段 “{key}” 重复出现（第 {first} 行已有）。",
                    "同一层级里每个字段只能写一次，请删去多余的一处。",
                )
                continue
            self.doc.lines[path + (key,)] = line
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        # Dates and times stay text: the schema parses them, so that 2025-13-01 becomes a
        # "malformed date" problem with a line number instead of a crash, and 08:30 is not
        # read as the sexagesimal integer 510 (a YAML 1.1 quirk).
        if node.tag == _TIMESTAMP_TAG:
            return node.value
        if node.tag in (_INT_TAG, _FLOAT_TAG) and ":" in node.value:
            return node.value
        if node.tag == _STR_TAG:
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            # A tag we do not know (mkdocs.yml's !ENV, !!python/name:…): keep the text.
            return node.value


# No brochure, library or post comes near this; a bigger file is a mistake (a pasted export,
# a binary saved with the wrong name) and would only slow every build down.
MAX_FILE_BYTES = 2 * 1024 * 1024


def read_text(path: Path, display: str, problems: Problems) -> str | None:
    """The file as text; a problem (not an exception) when it is not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add(
                display,
                1,
                "",
                f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）。",
                "请检查是否误存了别的内容；照片等大文件请放在 docs/ 里，在这里只写路径。",
            )
            return None
        raw = path.read_bytes()
    except OSError as err:
        problems.add(display, 0, "", f"无法读取文件：{err.strerror}。")
        return None
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM that Windows editors add
    except UnicodeDecodeError as err:
        if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            problems.add(
                display,
                1,
                "",
                "这不是文本文件（像是图片、Word 或其他二进制文件，被存成了这个文件名）。",
                "请检查文件名；班次和资料库用记事本或 VS Code 编辑，另存为 UTF-8 文本。",
            )
            return None
        line = raw[: err.start].count(b"\n") + 1
        try:
            raw.decode("gbk")
            found = "，看起来是 GBK（记事本的 “ANSI”）"
        except UnicodeDecodeError:
            found = ""
        problems.add(
            display,
            line,
            "",
            f"文件不是 UTF-8 编码{found}。",
            "请在编辑器中以 UTF-8 编码另存（记事本：另存为 → 编码选 UTF-8）。",
        )
        return None
    # Windows Notepad saves CRLF: a post's `---` lines must still be found, and every reader of
    # the text (YAML, the body's checks, MkDocs, which opens files in universal-newline mode)
    # must count the same lines.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(path: Path, display: str, problems: Problems) -> Document | None:
    """Parse one YAML file. Syntax errors become problems carrying YAML's own line."""
    text = read_text(path, display, problems)
    if text is None:
        return None
    return parse_yaml(text, display, problems)


def parse_yaml(text: str, display: str, problems: Problems, first_line: int = 1) -> Document | None:
    """Parse YAML text that starts on `first_line` of its file (front matter starts on 2)."""
    offset = first_line - 1
    doc = Document(display, None)
    if control := UNPRINTABLE.search(text):
        # YAML refuses these with a position in characters; pasted from Word or a web page,
        # they are invisible, so the editor needs the line.
        number = text.count("\n", 0, control.start()) + first_line
        problems.add(
            display,
            number,
            "",
            f"这一行有看不见的控制字符（U+{ord(control.group(0)):04X}）。",
            "通常是从 Word 或网页粘贴带进来的：删去这一行，重新输入，或先粘贴到记事本再复制过来。",
        )
        return None
    if "\t" in text:
        # YAML forbids tabs in indentation and its own message ("found character '\t' that
        # cannot start any token") means nothing to an editor, so say it plainly first.
        for number, line in enumerate(text.splitlines(), first_line):
            indent = re.match(r"[ \t]*", line).group(0)
            if "\t" in indent:
                problems.add(display, number, "", "缩进里有制表符（Tab）。", "YAML 只能用空格缩进，请把 Tab 换成空格。")
                return None
    try:
        node = yaml.compose(text, Loader=_FastResolver)
    except RecursionError:
        problems.add(display, first_line, "", "内容嵌套层次过深。", _DEPTH_HINT)
        return None
    except yaml.MarkedYAMLError as err:
        # For an unclosed quote or bracket YAML notices the problem where it gives up (often the
        # end of the file); the editor needs the line where the quote or bracket was opened.
        opened = "quoted scalar" in str(err.context) or "flow" in str(err.context)
        mark = (err.context_mark if opened else None) or err.problem_mark or err.context_mark
        line = mark.line + 1 + offset if mark else 0
        marks = [m.line for m in (err.problem_mark, err.context_mark, mark) if m]
        slip = _input_method_slip(text, min(marks) - 1, max(marks)) if marks else None
        if slip is not None:
            number, message, hint = slip
            problems.add(display, number + offset, "", message, hint)
            return None
        unclosed = _unclosed_quote(text, mark.line if mark else len(text.splitlines()))
        if unclosed is not None:
            problems.add(
                display, unclosed + offset, "", "YAML 语法错误：引号没有闭合。", "在这一行的值末尾补上同样的引号。"
            )
            return None
        problems.add(display, line, "", f"YAML 语法错误：{_explain(err)}", _syntax_hint(err, text))
        return None
    except yaml.YAMLError as err:
        problems.add(display, first_line, "", f"YAML 语法错误：{err}")
        return None
    if node is None:
        doc.lines[()] = first_line
        return doc
    try:
        doc.data = _Builder(doc, problems, offset).build(node, ())
    except _TooBig:
        problems.add(
            display, first_line, "", "内容展开后过多（可能是 YAML 别名嵌套）。", "请不要用锚点和别名（& 和 *）。"
        )
        return None
    except _TooDeep as deep:
        problems.add(display, deep.line, "", f"内容嵌套超过 {MAX_DEPTH} 层。", _DEPTH_HINT)
        return None
    return doc


_DEPTH_HINT = "检查这里的缩进和 “- ”、方括号：班次文件最多只有几层（模块、课程、授课人）。"


@dataclass
class MarkdownFile:
    """A Markdown file with YAML front matter (a news post): its header and its body."""

    front: Document
    body: str
    body_line: int  # the file line the body starts on, for problems found in the body


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def load_markdown(path: Path, display: str, problems: Problems) -> MarkdownFile | None:
    text = read_text(path, display, problems)
    if text is None:
        return None
    match = _FRONT_MATTER.match(text)
    if not match and re.match(r"---[ \t]*\n", text):
        problems.add(
            display,
            1,
            "",
            "文件头（front matter）没有结束：找不到第二个 ---。",
            "在文件头最后一个字段（如 credits 的最后一行）的下一行，单独写一行 ---，再写正文。",
        )
        return None
    if not match:
        problems.add(
            display,
            1,
            "",
            "缺少文件头（front matter）。",
            "文件第一行应为 ---，接着写 title、date 等字段，再以 --- 结束。可用 brochure new post 生成模板。",
        )
        return None
    front = parse_yaml(match.group(1) or "", display, problems, first_line=2)
    if front is None:
        return None
    body_line = text[: match.end()].count("\n") + 1
    return MarkdownFile(front, text[match.end() :], body_line)


# What YAML refuses anywhere in a file: all but its printable set (YAML 1.1, 5.1). Invisible
# when pasted from Word or a web page. The importer removes them before writing a post.
UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# What a Chinese input method types where YAML wants ASCII. YAML itself then complains a line
# late ("could not find expected ':'"), about something else; the editor needs this line.
# A field name, in ASCII (capacity：80) or Chinese (a credit role, 编辑：赵敏; not a list item,
# where "模块一：政治理论" is text), then a full-width colon, and no ASCII colon before it.
_FULL_WIDTH_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*：|^\s*([^\s:：#'\"\[\]{},\-][^:：#\s]*)\s*：")
_NO_SPACE_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?=[^\s:/])")
_FULL_WIDTH_INDENT = re.compile(r"^[ ]*\u3000")
CURLY_QUOTES = re.compile(r"[“”‘’]")


def _input_method_slip(text: str, first: int, last: int) -> tuple[int, str, str] | None:
    """A line from `first` to `last` (0-based: where YAML noticed the error, and the line before)
    with a full-width colon or indent, or a key with no space after its colon, outside a block
    of text (`summary: |`, where all of these are the editor's words): (1-based line, message,
    hint)."""
    lines = text.splitlines()
    for number in range(min(last, len(lines) - 1) + 1, max(first, 0), -1):
        line = lines[number - 1]
        if _in_block_scalar(lines, number - 1):
            continue
        if match := _FULL_WIDTH_COLON.match(line):
            key = match.group(1) or match.group(2)
            return (
                number,
                f"字段名 “{key}” 后面是中文冒号 “：”。",
                f"请改成英文冒号加一个空格，如 {key}: …（切换到英文输入法再打冒号）。",
            )
        if _FULL_WIDTH_INDENT.match(line):
            return (
                number,
                "缩进里有全角空格。",
                "YAML 只认半角空格：请删去这一行开头的空白，重新用空格键缩进（输入法切到半角）。",
            )
        if match := _NO_SPACE_COLON.match(line):
            key = match.group(1)
            return number, f"字段名 “{key}” 的冒号后面缺少空格。", f"冒号后面要有一个空格，如 {key}: …"
    return None


_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")


def _in_block_scalar(lines: list[str], index: int) -> bool:
    """Whether line `index` is text inside a `|` or `>` block: its nearest less indented line
    above opens one. Only spaces indent in YAML (a full-width space is text)."""
    indent = len(lines[index]) - len(lines[index].lstrip(" "))
    for above in reversed(lines[:index]):
        if not above.strip():
            continue
        if len(above) - len(above.lstrip(" ")) < indent:
            return bool(_BLOCK_SCALAR.search(above))
    return False


_OPENS_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:#'"][^:#]*:\s+)?(["'])""")


def _unclosed_quote(text: str, up_to: int) -> int | None:
    """The first line (1-based) before `up_to` whose value opens a quote it never closes.

    YAML lets a quoted value run on over several lines, so it only complains lines later,
    wherever the parse finally fails; the editor needs the line where the quote was opened.
    """
    for number, line in enumerate(text.splitlines()[: up_to + 1], 1):
        match = _OPENS_QUOTE.match(line)
        if not match:
            continue
        quote = match.group(1)
        rest = line[match.end() :]
        closed = rest.replace('\\"', "").count(quote) if quote == '"' else rest.replace("''", "").count(quote)
        if closed == 0:
            return number
    return None


# YAML's own messages, in words an editor can act on. The original follows in brackets so a
# developer can still search for it.
_YAML_MESSAGES = {
    "mapping values are not allowed": "这里不应出现 “键: 值”",
    "did not find expected ',' or ']'": "方括号列表没有正确结束",
    "did not find expected ',' or '}'": "花括号没有正确结束",
    "found unexpected end of stream": "文件在引号或括号结束前就结束了",
    "could not find expected ':'": "缺少冒号",
    "did not find expected key": "缩进不对齐，或缺少 “键: ”",
    "did not find expected '-' indicator": "列表项的缩进不对齐",
    "found undefined alias": "使用了未定义的别名（*）",
    "found character that cannot start any token": "有不能出现在这里的字符",
    "expected <block end>, but found": "缩进不对齐",
    "unacceptable character": "文件里有看不见的控制字符",
    "did not find expected node content": "这里缺少值，或括号、引号没有配对",
}


def _explain(err: yaml.MarkedYAMLError) -> str:
    problem = err.problem or str(err)
    for english, chinese in _YAML_MESSAGES.items():
        if english in problem:
            return f"{chinese}（{problem}）"
    return problem


def _syntax_hint(err: yaml.MarkedYAMLError, text: str) -> str:
    problem = (err.problem or "").lower()
    where = err.problem_mark or err.context_mark
    lines = text.splitlines()
    if where is not None and where.line < len(lines) and CURLY_QUOTES.search(lines[where.line]):
        return '这一行的 “ ” 是中文引号，YAML 不把它当引号：请换成英文引号 "…"（切换到英文输入法再打）。'
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in str(err.context):
        return "检查引号是否成对。"
    if "mapping values are not allowed" in problem:
        return "值里含有 “: ” 时，请把整个值用引号括起来。"
    if "could not find expected ':'" in problem:
        return "检查上一行是否漏了冒号，或缩进是否对齐。"
    return "检查这一行及上一行的缩进、冒号和引号。"
