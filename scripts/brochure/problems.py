"""Problems an editor can cause, collected and reported together.

A problem names the file, the line and the field path, says what is wrong and, where we
can, what to do about it. Problems are gathered across all files so an editor fixes
everything in one pass instead of one error per build.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field_path = f" [{self.path}]" if self.path else ""
        text = f"{where}:{field_path} {self.message}"
        if self.hint:
            text += f"\n    提示：{self.hint}"
        return text


@dataclass
class Problems:
    """A collector handed through the stages; nothing raises until the end."""

    items: list[Problem] = field(default_factory=list)
    # What a draft causes in published content (a link to a programme that is still a draft):
    # shown with the drafts' problems, never blocking (unless --strict).
    notices: list[Problem] = field(default_factory=list)

    def add(self, file: str | Path, line: int, path: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(str(file), line, path, message, hint))

    def notice(self, file: str | Path, line: int, path: str, message: str, hint: str = "") -> None:
        self.notices.append(Problem(str(file), line, path, message, hint))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def report(self) -> str:
        lines = [str(p) for p in sorted(self.items)]
        lines.append(f"共发现 {len(self.items)} 个问题。请修改后重新构建；原有的 site/ 未被改动。")
        return "\n".join(lines)


def report_drafts(items: list[Problem]) -> str:
    """Problems in drafts: shown, so they can be fixed before review, but not blocking."""
    lines = [f"以下 {len(items)} 个问题与草稿（draft: true，不发布）有关，不影响发布其他内容："]
    lines += ["  " + str(p).replace("\n", "\n  ") for p in sorted(items)]
    return "\n".join(lines)


def problems_page(problems: Problems, drafts: list[Problem], title: str, script: str = "") -> str:
    """The page `brochure serve` shows in place of every page while the content has problems:
    each one with its file, line, field and hint, so that an editor need not find the terminal.
    A page of its own, not the theme's: the theme's pages are what could not be built."""
    items = []
    for p in sorted(problems.items):
        where = f"{p.file}:{p.line}" if p.line else p.file
        field_path = f" <code>{html.escape(p.path)}</code>" if p.path else ""
        hint = f"<p class=hint>提示：{html.escape(p.hint)}</p>" if p.hint else ""
        items.append(f"<li><p><b>{html.escape(where)}</b>{field_path}</p><p>{html.escape(p.message)}</p>{hint}</li>")
    about_drafts = f"<p>另有 {len(drafts)} 个问题出在草稿里，不影响发布。</p>" if drafts else ""
    return f"""<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>内容检查未通过 - {html.escape(title)}</title>
<style>
body {{ font: 16px/1.6 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; color: #222; }}
h1 {{ color: #b3261e; font-size: 1.5rem; }}
li {{ margin: 0 0 1rem; border-left: 4px solid #b3261e; padding-left: .75rem; }}
li p {{ margin: .2rem 0; }}
code {{ background: #f3f3f3; padding: 0 .25rem; }}
.hint {{ color: #1a5e20; }}
</style>
</head>
<body>
<main role="alert">
<h1>内容检查未通过，预览暂停</h1>
<p>共 {len(problems.items)} 个问题。改好并保存文件后，本页会自动换成预览。已发布的网站不受影响。</p>
<ol>{"".join(items)}</ol>
{about_drafts}
</main>
{script}
</body>
</html>
"""


class ContentError(Exception):
    """Raised once, after all problems are collected, to stop the build without a traceback."""

    def __init__(self, problems: Problems):
        super().__init__(problems.report())
        self.problems = problems


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known value, or an empty string."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"是否想写 “{close[0]}”？" if close else ""


def format_path(parts: tuple) -> str:
    """('modules', 0, 'sessions', 1) -> 'modules[0].sessions[1]'."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
