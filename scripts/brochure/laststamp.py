"""`brochure build` with nothing changed since the last build does nothing.

A build's result depends on what it reads (mkdocs.yml, docs/, the content folder, overrides/:
the project's files), on the code that reads it (this package, the
installed packages), on the day it is built for (a programme's 报名中 becomes 已结束 with
the date) and on how it was asked for. When all of that is byte for byte what the last
successful build had, and the site it wrote is still there untouched, building again would
give the same site: MkDocs, Pagefind and the swap are skipped, and the build says so. Anything
else, or any doubt, and the full build runs.

The stamp is written only after a successful swap, and its inputs are removed before a build
starts, so an interrupted build never leaves a stamp that vouches for a site it did not finish.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from pathlib import Path

from .config import Settings

STAMP = "last-build.json"
# Environment variables that change what a build makes.
_ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
_ENVIRONMENT_PREFIX = "BROCHURE_"
# Never read by a build: version control, environments, caches, and the build's own outputs.
_NOT_INPUT = {".git", ".venv", "venv", "node_modules", ".cache", "__pycache__", ".pytest_cache", ".mypy_cache"}


def _walk(folder: str, skip: set[str], digest, changed_at: str) -> None:
    """Each file's path, size and time into the digest, in a fixed order (scandir: one stat
    each, about 1 s for the 17,000 files of the benchmark's default project)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        digest.update(b"unreadable\0" + folder.encode())
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in _NOT_INPUT and not entry.name.startswith(".") and entry.path not in skip:
                _walk(entry.path, skip, digest, changed_at)
        else:
            stat = entry.stat(follow_symlinks=False)
            digest.update(f"{entry.path}\0{stat.st_size}\0{getattr(stat, changed_at)}\0".encode())


def inputs_digest(settings: Settings, site: Path, request: dict) -> str:
    """Everything the build of `site` reads and how it was asked for, as one digest. A file
    counts by its size and its change time (ctime: any write sets it, and no tool sets it back),
    as make and rsync judge files."""
    root = settings.root.resolve()
    site = site.resolve()
    outputs = {
        str(p) for p in (site, site.with_name(f".{site.name}.building"), site.with_name(f".{site.name}.previous"))
    }
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps(request, sort_keys=True, default=str).encode())
    digest.update(settings.build_date.isoformat().encode())
    for key in sorted(os.environ):
        if key in _ENVIRONMENT or key.startswith(_ENVIRONMENT_PREFIX):
            digest.update(f"{key}={os.environ[key]}\0".encode())
    for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"] or ""):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\0".encode())
    # The whole project (mkdocs.yml may point anywhere in it: custom_dir, hooks, INHERIT), and
    # this package's own code and templates, wherever it is installed.
    _walk(str(root), outputs, digest, "st_ctime_ns")
    package = Path(__file__).parent.resolve()
    if not package.is_relative_to(root):
        _walk(str(package), set(), digest, "st_ctime_ns")
    return digest.hexdigest()


def site_digest(site: Path) -> str:
    """The built site as it lies on disk: every file's path, size and modification time."""
    digest = hashlib.blake2b(digest_size=20)
    _walk(str(site.resolve()), set(), digest, "st_mtime_ns")
    return digest.hexdigest()


def _stamps(settings: Settings) -> dict:
    try:
        return json.loads((settings.cache_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def unchanged(settings: Settings, site: Path, inputs: str) -> dict | None:
    """The last build's record if it made `site` from exactly these inputs and the site is as
    it left it; else None."""
    last = _stamps(settings).get(str(site))
    if not inputs or not last or last.get("inputs") != inputs or not site.is_dir():
        return None
    return last if last.get("site") == site_digest(site) else None


def intact(settings: Settings, site: Path) -> dict | None:
    """The last build's record if `site` is still as that build left it, whatever has changed
    since in what it was built from: a build may then take files over from it (previous.py)."""
    last = _stamps(settings).get(str(site))
    if not last or not last.get("build") or not site.is_dir():
        return None
    return last if last.get("site") == site_digest(site) else None


def builds(settings: Settings) -> set[str]:
    """The ids of the builds the stamped sites came from."""
    return {last["build"] for last in _stamps(settings).values() if last.get("build")}


def forget(settings: Settings, site: Path) -> None:
    """Before a build: the stamp no longer vouches for the inputs. What site/ is and which build
    made it stay, as long as site/ does not change: a build that fails leaves it so, and the
    next may still take files over from it (intact)."""
    stamps = _stamps(settings)
    last = stamps.get(str(site))
    if last is not None and "inputs" in last:
        stamps[str(site)] = {key: value for key, value in last.items() if key in ("site", "build")}
        _write(settings, stamps)


def remember(settings: Settings, site: Path, inputs: str, drafts_report: str, build: str = "") -> None:
    """After a successful swap: `build` is the id under which the build recorded what it wrote
    (previous.py)."""
    if not inputs:
        return
    stamps = _stamps(settings)
    stamps[str(site)] = {"inputs": inputs, "site": site_digest(site), "drafts": drafts_report, "build": build}
    _write(settings, stamps)


def _write(settings: Settings, stamps: dict) -> None:
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    path = settings.cache_dir / STAMP
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(stamps, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)
