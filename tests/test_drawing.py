"""Charts drawn in a process of their own (``bot.drawing``), for the bot's worker threads only."""

from __future__ import annotations

import os
import threading
from datetime import date

from bot.drawing import draw, drawing_pool, use_pool
from bot.render import counts_chart


def test_a_thread_told_to_use_the_pool_draws_in_another_process():
    pool = drawing_pool()
    try:
        use_pool(pool)
        assert draw(os.getpid) != os.getpid()
        png = draw(counts_chart, {date(2024, 1, 1): {"Battles": 3}}, start=date(2024, 1, 1),
                   end=date(2024, 1, 7), bucket="day", title="t")
        assert png.startswith(b"\x89PNG")
    finally:
        use_pool(None)
        pool.shutdown()


def test_other_threads_draw_in_process():
    pool = drawing_pool()
    seen: list[int] = []
    try:
        use_pool(pool)
        other = threading.Thread(target=lambda: seen.append(draw(os.getpid)))
        other.start()
        other.join()
        assert seen == [os.getpid()]  # the setting is the thread's own, not the process's
    finally:
        use_pool(None)
        pool.shutdown()
