"""Problems an editor can cause, collected and reported together.

A problem names the file, the line and the field path, says what is wrong and, where we
can, what to do about it. Problems are gathered across all files so an editor fixes
everything in one pass instead of one error per build.
"""

from __future__ import annotations

import difflib
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
