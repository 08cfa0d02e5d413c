"""The bot under load: many /active at once through the loopback Discord, on a large archive.

    .venv/bin/python benchmarks/bot_load.py --size 1000000 [--concurrent 100] [--rounds 3]

Opt-in (not part of the test suite): it starts the real ``SitrepBot`` against the loopback fake
Discord (``bot.loopback``, what the e2e tests use) on a copy of the cached synthetic archive
(``benchmarks/generate.py``), then sends ``--concurrent`` /active interactions at once (the
busiest townships, over the last month, the last three years and all dates), ``--rounds``
times, and reports:

- every interaction answered, and how long after it was sent the first response (reply or
  defer) reached the fake: Discord refuses one later than 3 s;
- the round trip to the settled reply, p50 and p95;
- the event loop's longest stall, from a coroutine that asks to wake every 5 ms (the gateway
  heartbeat and every other interaction wait that long);
- the process's peak RSS (bot, loopback fake and all).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from run import _peak_rss_mb  # noqa: E402

from bot.app import SitrepBot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.db import open_db  # noqa: E402
from bot.loopback import loopback_bot  # noqa: E402
from bot.loopback.driver import FakeDiscord  # noqa: E402

TICK = 0.005
WINDOW = 3.0  # Discord's limit for the first response
SPANS = [{"since": "2024-12-01", "until": "2024-12-31"},
         {"since": "2022-01-01", "until": "2024-12-31"}, {}]


class StallMeter:
    """Asks to wake every ``TICK`` seconds and records the longest it overslept, with the CPU
    time the loop's own thread used meanwhile: near the gap, code ran on the loop (the bot's or
    the in-process fake's); far below it, the loop waited for the GIL or for a CPU."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.worst_loop_cpu = 0.0
        self._stop = asyncio.Event()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        last, cpu = loop.time(), time.thread_time()
        while not self._stop.is_set():
            await asyncio.sleep(TICK)
            now, cpu_now = loop.time(), time.thread_time()
            if now - last - TICK > self.worst:
                self.worst, self.worst_loop_cpu = now - last - TICK, cpu_now - cpu
            last, cpu = now, cpu_now

    def stop(self) -> None:
        self._stop.set()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def load(db_path: Path, concurrent: int, rounds: int) -> dict[str, object]:
    db = open_db(db_path)
    townships = [r[0] for r in db.execute(
        "SELECT t.name FROM events e JOIN townships t ON t.pcode = e.township_pcode"
        " WHERE e.guild_id = ? GROUP BY t.pcode ORDER BY COUNT(*) DESC LIMIT 20",
        [generate.GUILD])]
    db.close()
    fake = FakeDiscord()
    guild = fake.add_guild("Archive", id=generate.GUILD)  # the archive's team
    analysts = [guild.add_member(f"analyst{n}") for n in range(10)]
    guild.add_channel("general")
    await fake.start()
    first: list[float] = []
    settled: list[float] = []
    failed: list[str] = []
    meter = StallMeter()
    try:
        settings = Settings(db_path=db_path, backup_hours=0)
        async with loopback_bot(lambda **kw: SitrepBot(settings, **kw), fake) as bot:
            await fake.sync_commands(bot)
            ticker = asyncio.create_task(meter.run())
            for round_no in range(rounds):
                records = await asyncio.gather(*(
                    fake.slash(guild, analysts[n % len(analysts)], "active",
                               township=townships[n % len(townships)],
                               **SPANS[(n + round_no) % len(SPANS)])
                    for n in range(concurrent)))

                async def settle(rec) -> None:
                    """Times from when the fake wrote the interaction to the bot's socket,
                    where Discord's deadline starts; the fake itself refuses a late reply."""
                    try:
                        await rec.response(timeout=30)
                        first.append(time.monotonic() - rec.written_at)
                        final = await rec.final(timeout=60, quiet=0.0)
                        settled.append(time.monotonic() - rec.written_at)
                        if "Active in" not in (final.embed or {}).get("title", ""):
                            failed.append(f"{rec.describe()}: {final.text()[:120]}")
                    except AssertionError as exc:
                        failed.append(str(exc)[:200])

                await asyncio.gather(*(settle(r) for r in records))
            meter.stop()
            await ticker
    finally:
        await fake.stop()
    return {"first": first, "settled": settled, "failed": failed, "stall": meter.worst,
            "stall_cpu": meter.worst_loop_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--concurrent", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    source = generate.archive(args.size, args.seed)
    with tempfile.TemporaryDirectory(prefix="sitrep-load-") as tmp:
        copy = Path(tmp) / "sitrep.db"
        shutil.copyfile(source, copy)
        started = time.perf_counter()
        result = asyncio.run(load(copy, args.concurrent, args.rounds))
    first, settled = result["first"], result["settled"]
    total = args.concurrent * args.rounds
    print(f"\n{total} /active ({args.rounds} rounds of {args.concurrent} at once) on "
          f"{args.size:,} events, in {time.perf_counter() - started:.0f} s\n")
    print("| measure | value |\n|---|---:|")
    print(f"| answered | {len(settled)} of {total} |")
    print(f"| first response, max (Discord allows {WINDOW:.0f} s) | {max(first):.2f} s |")
    print(f"| first responses after {WINDOW:.0f} s | {sum(f > WINDOW for f in first)} |")
    print(f"| round trip to the settled reply, p50 | {statistics.median(settled):.2f} s |")
    print(f"| round trip to the settled reply, p95 | {_pct(settled, 0.95):.2f} s |")
    print(f"| longest event-loop stall | {result['stall'] * 1000:.0f} ms (loop thread on CPU"
          f" {result['stall_cpu'] * 1000:.0f} ms of it) |")
    print(f"| load average (1 min) | {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs |")
    print(f"| peak RSS (bot and loopback fake) | {_peak_rss_mb():.0f} MB |")
    for problem in result["failed"][:5]:
        print(f"FAILED: {problem}")


if __name__ == "__main__":
    main()
