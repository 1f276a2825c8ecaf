"""`brochure serve` holds MkDocs' polling file watcher while a rebuild runs (preview.WatchHold):
the watcher must see nothing while held, and then still see what was saved meanwhile."""

from __future__ import annotations

import queue
import time

import pytest
from watchdog.events import FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from brochure.preview import WatchHold

pytestmark = pytest.mark.unit


def test_a_file_saved_during_a_rebuild_is_seen_once_it_is_over(tmp_path):
    seen: queue.Queue[str] = queue.Queue()
    handler = FileSystemEventHandler()
    handler.on_any_event = lambda event: None if event.is_directory else seen.put(event.src_path)
    observer = PollingObserver(timeout=0.1)
    observer.schedule(handler, str(tmp_path), recursive=True)
    hold = WatchHold()
    hold.hold(observer)
    observer.start()
    try:
        time.sleep(0.3)  # the first picture of the folder
        hold.building.set()
        time.sleep(0.3)  # a poll under way when the rebuild starts still finishes
        (tmp_path / "post.md").write_text("保存于重建期间", encoding="utf-8")
        with pytest.raises(queue.Empty):
            seen.get(timeout=1.0)
        hold.building.clear()
        assert seen.get(timeout=5).endswith("post.md")
    finally:
        observer.stop()
        observer.join(timeout=5)
    assert not observer.is_alive()  # held or not, the watcher stops with the server
