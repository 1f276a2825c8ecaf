"""Putting a finished site where readers get it.

`swap_into_place` puts a fresh build into `site/` in one step, so that at every instant
`site/` holds either the old site or the new one, even if the build is killed meanwhile.

`sync_folder` publishes `site/` to a folder (a web server's document root, a mounted share): it
copies only files whose content changed and removes files the new build no longer has, so a
deploy over a slow link moves only what it must. Each file is written to a temporary name and
renamed, so a reader never downloads half a file."""

from __future__ import annotations

import ctypes
import errno
import filecmp
import os
import shutil
import sys
from pathlib import Path

AT_FDCWD = -100  # <fcntl.h>: paths relative to the working directory
RENAME_EXCHANGE = 2  # <linux/fs.h>: swap the two names in one step


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2); False where that cannot be done."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # glibc before 2.28, or another C library
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _previous(site: Path) -> Path:
    return site.with_name(f".{site.name}.old")


def recover_site(site: Path) -> None:
    """Put back the old site if a swap without `_exchange` was killed halfway (see below)."""
    old = _previous(site)
    if old.is_dir() and not site.exists():
        old.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def swap_into_place(staging: Path, site: Path) -> None:
    """Make `staging` the new `site`; the old site is removed afterwards."""
    recover_site(site)
    if not site.exists():
        staging.rename(site)
    elif _exchange(staging, site):
        shutil.rmtree(staging, ignore_errors=True)  # now the old site; a kill before this leaves it to the next build
    else:
        # Two renames, with a moment without site/ between them. A kill in that moment leaves
        # the old site under its other name, and recover_site() puts it back at the next build.
        old = _previous(site)
        site.rename(old)
        staging.rename(site)
        shutil.rmtree(old, ignore_errors=True)


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
