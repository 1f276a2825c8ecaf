"""Links (symlinks) in docs/ that the build must not follow.

MkDocs walks docs/ following every link and copies what it finds into the site. A link to a
file outside docs/ (`docs/assets/passwd.txt -> /etc/passwd`) would publish that file; a link to
a folder above itself (`docs/assets/loop -> ..`) is copied 40 levels deep until the walk fails;
a link to nothing fails the copy. Each such link is one problem, found before MkDocs walks.

Links that stay inside docs/ are fine: what they lead to is published anyway.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .config import Settings
from .problems import Problems

HINT = "请把文件本身复制到 docs/ 里，而不是放快捷方式/链接。"


def check_docs_tree(settings: Settings, problems: Problems) -> None:
    """Report every link in docs/ that leads outside it, to nothing, or round in a loop.

    The walk reads each real folder once and never enters a link, so neither a loop nor a
    link out to a huge tree can hold it up. Folders reached through links inside docs/ are
    edges of a graph of real folders; a loop is an edge back to a folder still being walked.
    """
    try:
        docs = Path(os.path.realpath(settings.docs_dir, strict=True))
    except OSError:
        return  # no docs/ at all: MkDocs says so itself
    shown = settings.docs_dir

    def display(path: str) -> str:
        return settings.display(shown / os.path.relpath(path, docs))

    walking: set[str] = {str(docs)}  # real folders on the way down to the current one
    walked: set[str] = set()
    stack = [(str(docs), _entries(str(docs)))]
    while stack:
        folder, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            walking.discard(folder)
            walked.add(folder)
            continue
        if entry.is_symlink():
            target = _target(entry.path)
            if isinstance(target, str):
                problems.add(display(entry.path), 0, "", target, HINT)
                continue
            if not target.is_relative_to(docs):
                problems.add(
                    display(entry.path),
                    0,
                    "",
                    f"这是一个指向 docs/ 之外（{target}）的链接（快捷方式）；构建会把它指向的内容发布到网站上。",
                    HINT,
                )
                continue
            if not target.is_dir():
                continue
            subfolder = str(target)
            if subfolder in walking:
                problems.add(
                    display(entry.path),
                    0,
                    "",
                    f"这个链接指向 {display(subfolder)}，而它自己就在那里面，形成循环；构建会一层层无限复制下去。",
                    "请删除这个链接：它指向的文件夹本来就在 docs/ 里，会照常发布。",
                )
                continue
        elif entry.is_dir(follow_symlinks=False):
            subfolder = entry.path
        else:
            continue
        if subfolder not in walked:
            walking.add(subfolder)
            stack.append((subfolder, _entries(subfolder)))


def _entries(folder: str):
    try:
        with os.scandir(folder) as found:
            yield from sorted(found, key=lambda entry: entry.name)
    except OSError:
        return  # unreadable: MkDocs reports it when it copies


def _target(link: str) -> Path | str:
    """Where a link leads, or why it leads nowhere."""
    try:
        return Path(os.path.realpath(link, strict=True))
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "这个链接（快捷方式）指向它自己，形成循环，构建时无法复制。"
        return f"这个链接（快捷方式）指向的文件不存在（{os.readlink(link)}），构建时无法复制。"
