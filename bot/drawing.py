"""Drawing charts in a process of their own when the bot asks for it.

matplotlib's Agg renderer works in C++ while holding the GIL, for 100-300 ms per chart: drawn
in one of the bot's worker threads, a /summary or /map chart stalled the gateway's event loop
(heartbeats, every other interaction) for that long. A process has its own GIL, so the bot
hands each drawing to a small process pool (``drawing_pool``) and its worker thread waits for
the PNG without holding the GIL.

The core's chart functions call ``draw``; which way it draws is the calling thread's setting
(``use_pool``, which the bot's worker threads run at start), so the CLI and the tests draw
in-process, as before, and two bots in one process (the tests) keep their own pools.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import ParamSpec

P = ParamSpec("P")
DRAWING_PROCESSES = 1  # charts queue behind one another; the second core stays with the bot

_thread = threading.local()


def _ignore_interrupts() -> None:
    """A Ctrl-C at the terminal reaches the whole process group; the bot shuts its pool down
    itself, so the drawing process must not die first with a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def drawing_pool(processes: int = DRAWING_PROCESSES) -> ProcessPoolExecutor:
    """Processes for ``draw``, started on first use. "spawn", never "fork": forking a process
    with running threads can copy a lock some thread held, and hang the child."""
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_ignore_interrupts)


def use_pool(pool: Executor | None) -> None:
    """Where ``draw`` called from this thread draws: in ``pool``, or here if None."""
    _thread.pool = pool


def draw(chart: Callable[P, bytes], *args: P.args, **kwargs: P.kwargs) -> bytes:
    """``chart(*args, **kwargs)``, a PNG, drawn where this thread was told to draw it."""
    pool: Executor | None = getattr(_thread, "pool", None)
    if pool is None:
        return chart(*args, **kwargs)
    return pool.submit(chart, *args, **kwargs).result()
