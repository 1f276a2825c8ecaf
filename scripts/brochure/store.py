"""What builds remember between them, kept through one set of helpers.

The check's memo (validate.py), the generated Markdown (generated.py), the page cache
(pagecache.py) and the PDFs (pdf.py) are each kept under a key and read back only while the key
holds. They share the parts named here, so that a key always covers the generator's own code,
a file is always judged by the same stamp, and nothing is ever left half-written:

- `digest` and `code_digest`: keys over values, and over this package's code, templates and
  labels (a newer generator never reads what an older one left);
- `file_stamp`: a file's size and modification time, or None when it is gone;
- `write_atomic`, `save` and `load`: whole files or nothing, whatever kills the build.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
from pathlib import Path

PACKAGE = Path(__file__).parent


def digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def code_digest() -> str:
    """This package's code, templates and labels, read afresh each time: `mkdocs serve`
    reloads on template edits."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def file_stamp(path: str | os.PathLike) -> tuple[int, int] | None:
    """(size, modification time in ns); None if the file is not there."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def link_or_copy(source: str, target: str) -> None:
    """A hard link (the same disk: no copying), or a copy where the file system has none."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise  # never copied over: the file there may be a link, shared with another site
    except OSError:
        shutil.copy2(source, target)


def write_atomic(path: Path, data: bytes) -> None:
    """Write the whole file or, if the build is killed, leave the old one: readers never see
    half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def pickled_by_value(value: object) -> bytes:
    """Pickled without pickle's memo, so equal values give equal bytes however their objects
    are shared (records from the memo and freshly checked ones share dict keys differently):
    fit for a digest. `value` must hold no cycles."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


# What this process last wrote to or read from a cache file, by path, with the file's stamp:
# `mkdocs serve` would otherwise read back at every rebuild the memo it wrote at the one
# before (0.7 s at 5,000 files). Nothing here is changed after it is stored.
_KEPT: dict[Path, tuple[tuple[int, int], object]] = {}


def load(path: Path):
    """The value `save` stored at `path` (its first, if it stored several), or None."""
    stamp = file_stamp(path)
    if stamp is None:
        return None
    kept = _KEPT.get(path)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    try:
        with path.open("rb") as f:
            value = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    _KEPT[path] = (stamp, value)
    return value


def save(path: Path, *values) -> None:
    buffer = io.BytesIO()
    for value in values:
        pickle.dump(value, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomic(path, buffer.getvalue())
    if len(values) == 1:
        _KEPT[path] = (file_stamp(path), values[0])
