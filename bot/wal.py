"""Checkpointing the write-ahead log from a thread of its own, off every write's path.

In WAL mode a commit appends pages to ``-wal``; a checkpoint copies them back into the database
file and syncs it. By default the connection whose commit crosses 1,000 WAL pages does that
itself, so one /log in every few dozen waits for a checkpoint (tens of milliseconds, more on a
busy disk): that was most of logging's p95. The bot's worker connections raise the threshold
to a safety net (``WORKER_AUTOCHECKPOINT_PAGES``: they still checkpoint if this thread ever
stops) and this thread checkpoints every ``interval`` seconds instead. A PASSIVE checkpoint
never waits for readers or writers; whatever it cannot copy now it copies next time.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger("sitrep.wal")

WORKER_AUTOCHECKPOINT_PAGES = 16_000  # ~64 MB of WAL before a writer checkpoints itself
INTERVAL = 1.0


class BackgroundCheckpointer:
    """A daemon thread checkpointing the store at ``path`` every ``interval`` seconds."""

    def __init__(self, path: str | Path, interval: float = INTERVAL) -> None:
        self.path, self.interval = Path(path), interval
        self._stop = threading.Event()
        self.last: tuple[int, int, int] | None = None  # (busy, WAL frames, frames copied)
        self._thread = threading.Thread(target=self._run, name="sitrep-checkpoint", daemon=True)

    def start(self) -> BackgroundCheckpointer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        while not self._stop.wait(self.interval):
            try:
                if conn is None:
                    if not self.path.exists():
                        continue
                    conn = sqlite3.connect(str(self.path), timeout=5)
                self.last = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error:  # the writers' own safety net still holds; try again later
                log.warning("background WAL checkpoint failed", exc_info=True)
        if conn is not None:
            conn.close()
