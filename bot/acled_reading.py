"""Reading an ACLED file into batches of checked rows, here or in a process of its own.

Reading and checking rows (CSV, dates, places, actors, links, each row's digest: pure Python)
is about a third of an import's work, and it need not wait for the writes. A large file is
therefore read by a second process (``read_elsewhere``) while the importing one writes the
batches it receives, so on a machine with a spare core the import takes as long as its writing
alone (measured at 100,000 rows: the writer's CPU time fell from ~24 s to ~18 s; the reader
used ~10 s of its own). A small file, or a store without a file (``:memory:``), is read here,
where starting a process would cost more than it saves.

The reading process sees the actors as they were when the import began; the importer adds
actors and aliases while it writes. That is no different from reading here, where a whole
batch is checked before any of its names is written: the importer resolves every name again
when it writes (``bot.acled_import._Import._resolve``).
"""

from __future__ import annotations

import csv
import io
import os
import pickle
import sqlite3
import subprocess
import sys
import traceback
from collections import Counter
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

from bot.acled import Reader
from bot.acled_rows import ImportReport, Row, RowReader, Skipped
from bot.errors import InvalidInput, SitrepError

MAX_FIELD = 1_000_000  # csv's default 128 KiB would abort the file at one long field
# Below this many bytes (~8,000 rows, under a second's reading) a file is read in the importing
# process: starting the reading process (a Python and its imports) costs ~0.3 s.
ELSEWHERE_BYTES = 5_000_000


class Unreadable(Exception):
    """The file stops being readable at ``line``: not UTF-8 (``detail`` None) or not CSV."""

    def __init__(self, line: int, detail: str | None) -> None:
        super().__init__(line, detail)
        self.line, self.detail = line, detail


@dataclass
class Batch:
    """Rows ready to write, and what reading them added to the report."""

    rows: list[Row]
    position: int  # bytes (or characters) of the file read so far, for a progress bar
    ignored_columns: list[str]
    rows_read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    unmatched_townships: Counter[str] = field(default_factory=Counter)


Source = str | Path | bytes | TextIO  # a path, a file's bytes, or an open text stream


def source_size(source: Source) -> int:
    """Bytes (characters of a string stream; 0 when unknown), for the progress bar; refuses
    a path that cannot be read."""
    if isinstance(source, bytes):
        return len(source)
    if isinstance(source, str | Path):
        try:
            return Path(source).stat().st_size
        except OSError as exc:
            raise InvalidInput(f"Cannot read {source}: {exc.strerror or exc}.") from None
    return len(source.getvalue()) if isinstance(source, io.StringIO) else 0


@contextmanager
def open_text(source: Source) -> Iterator[TextIO]:
    """The source as text, decoded as it is read (bytes are never copied whole); a stream
    given open is left open."""
    if isinstance(source, bytes):
        with io.TextIOWrapper(io.BytesIO(source), encoding="utf-8-sig", newline="") as f:
            yield f
    elif isinstance(source, str | Path):
        try:
            f = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InvalidInput(f"Cannot read {source}: {exc.strerror or exc}.") from None
        with f:
            yield f
    else:
        yield source


def _position(f: TextIO) -> int:
    """Bytes of a file (read ahead by a buffer's worth) or characters of a string read so
    far: near enough for a progress bar, and free, unlike counting every line."""
    buffer = getattr(f, "buffer", None)
    try:
        return buffer.tell() if buffer is not None else f.tell()
    except (OSError, ValueError):
        return 0


def read_batches(f: TextIO, rows: RowReader, batch_size: int) -> Generator[Batch, None, None]:
    """The file's checked rows, ``batch_size`` at a time, each batch with the report's
    additions since the one before; the last batch may be empty. Raises ``InvalidInput``
    for a file that is not ACLED's, ``Unreadable`` where it stops being text or CSV."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD))
    reader = csv.reader(f)
    report = rows.report
    sent = (0, 0, Counter[str]())  # rows_read, skipped and unmatched already in a batch

    def batch(found: list[Row]) -> Batch:
        nonlocal sent
        read, skipped, unmatched = sent
        done = Batch(found, _position(f), report.ignored_columns, report.rows_read - read,
                     report.skipped[skipped:], report.unmatched_townships - unmatched)
        sent = (report.rows_read, len(report.skipped), report.unmatched_townships.copy())
        return done

    try:
        header = [h.strip().lstrip("\ufeff").lower() for h in next(reader, [])]
        rows.check_header(header)
        found: list[Row] = []
        last = reader.line_num
        for fields in reader:
            line, last = last + 1, reader.line_num
            if not fields:
                continue
            row = rows.read(fields, line)
            if row is not None:
                found.append(row)
            if len(found) >= batch_size:
                yield batch(found)
                found = []
    except UnicodeDecodeError:
        raise Unreadable(reader.line_num, None) from None
    except csv.Error as exc:
        raise Unreadable(reader.line_num, str(exc)) from None
    yield batch(found)


def read_elsewhere(source: str | Path | bytes, db_path: str, guild_id: int, today: date, name: str,
                   batch_size: int) -> Generator[Batch, None, None]:
    """``read_batches`` run by a process of its own, which reads ahead while the caller
    writes. Stops the process if the caller stops early (a failed batch, a crash in the
    writer).

    The process is ``python -m bot.acled_reading``, given its task on stdin and answering with
    pickled messages on stdout, whose pipe buffer holds it back when it is a batch or so
    ahead. (A ``multiprocessing`` child would re-run the caller's main script first, which
    breaks any script that lacks an ``if __name__ == "__main__"`` guard.)
    """
    package_root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-m", "bot.acled_reading"], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    try:
        with process.stdin:
            pickle.dump((source, db_path, guild_id, today, name, batch_size), process.stdin)
        while True:
            try:
                kind, value = pickle.load(process.stdout)
            except EOFError:
                raise RuntimeError("the ACLED reading process ended without a word") from None
            if kind == "batch":
                yield value
            elif kind == "end":
                return
            elif kind == "refused":
                raise value
            else:
                raise RuntimeError(f"the ACLED reading process failed:\n{value}")
    finally:
        process.stdout.close()
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _reading_process(source: str | Path | bytes, db_path: str, guild_id: int, today: date,
                     name: str, batch_size: int) -> Iterator[tuple[str, object]]:
    """What the reading process says, message by message."""
    try:
        conn = sqlite3.connect(Path(db_path).resolve().as_uri() + "?mode=ro", uri=True)
        report = ImportReport(file=name)
        rows = RowReader(Reader(Database(conn), guild_id, today), report)
        conn.close()  # the reader holds the gazetteer and the actors in memory
        with open_text(source) as f:
            for batch in read_batches(f, rows, batch_size):
                yield "batch", batch
        yield "end", None
    except (Unreadable, SitrepError) as exc:
        yield "refused", exc
    except Exception:  # a bug here is the importer's to report and log
        yield "failed", traceback.format_exc()


def serve() -> None:
    """The reading process's main: the task from stdin, the messages to stdout."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed by accident may corrupt the messages
    try:
        for message in _reading_process(*pickle.load(sys.stdin.buffer)):
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    except BrokenPipeError:  # the importer stopped listening: it has failed or finished
        pass


if __name__ == "__main__":
    from bot.acled_reading import serve as serve_here  # its classes, not __main__'s, pickled

    serve_here()
