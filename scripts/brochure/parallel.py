"""Independent work spread over the machine's cores by forked copies of this process."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any


def fork_map(func: Callable[[Any], Any], items: Sequence, workers: int) -> list:
    """`[func(item) for item in items]`, with the items shared out over `workers` processes.

    A forked child already has everything this process loaded (settings, the catalogue,
    templates), so nothing but the results travels, pickled through a pipe. Each process
    takes every n-th item, so slow and fast items spread evenly. A child that fails leaves its
    share to this process, which then raises the error itself if there is one.

    Only for single-threaded callers (`mkdocs build`, the command line): a fork copies one
    thread, and a lock another thread held would stay locked in the child. `mkdocs serve`
    runs a web server's threads, so it passes workers=1.
    """
    items = list(items)
    if workers <= 1 or len(items) < 2 * workers:
        return [func(item) for item in items]
    children = []
    for share in range(1, workers):
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute its share, send it, leave without cleanup handlers
            status = 1
            try:
                os.close(reader)
                data = pickle.dumps([func(item) for item in items[share::workers]], pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writer, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(writer)
        children.append((share, pid, reader))
    results: list = [None] * len(items)
    results[0::workers] = [func(item) for item in items[0::workers]]
    for share, pid, reader in children:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        expected = len(items[share::workers])
        try:
            part = pickle.loads(data) if os.waitstatus_to_exitcode(status) == 0 else None
        except Exception:  # noqa: BLE001 - a broken result is recomputed below
            part = None
        if part is None or len(part) != expected:
            part = [func(item) for item in items[share::workers]]
        results[share::workers] = part
    return results
