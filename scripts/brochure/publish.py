"""Publishing `site/` to a folder (a web server's document root, a mounted share): copy only
files whose content changed and remove files the new build no longer has, so a deploy over a
slow link moves only what it must. Each file is written to a temporary name and renamed, so a
reader never downloads half a file."""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path


def sync_folder(source: Path, target: Path, dry_run: bool = False) -> tuple[list[str], list[str]]:
    """Make `target` equal to `source`; return (copied, removed) relative paths."""
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    copied = []
    for relative in sorted(wanted):
        src, dst = source / relative, target / relative
        if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
            continue
        copied.append(relative.as_posix())
        if dry_run:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}.publishing")
        shutil.copy2(src, tmp)
        os.replace(tmp, dst)
    removed = []
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            relative = path.relative_to(target)
            if path.is_file() and relative not in wanted:
                removed.append(relative.as_posix())
                if not dry_run:
                    path.unlink()
            elif path.is_dir() and not dry_run and not any(path.iterdir()):
                path.rmdir()
    return copied, removed
