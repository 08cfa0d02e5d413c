"""sitrep at research-archive scale: every hot path, next to the naive floor, at each size.

    .venv/bin/python benchmarks/run.py --sizes 10000,100000 [--seed 7] [--reps 40]

For each size it takes the cached synthetic archive (``benchmarks/generate.py``: built once
through sitrep's own ACLED import, then reused), works on a copy, and measures in one run:

- logging one event (``bot.events.log_event``), median and p95;
- ``active`` for the busiest township over the last month and the last three years, ``actor``
  for the busiest group over the last year, ``summary`` of the last month and the last year,
  a full-text ``search``, and building the digest of one day: p50 and p95 of each;
- next to each, the naive floor: the same question as hand-written SQL on a minimal indexed
  raw-sqlite3 store holding the same events (``benchmarks/floor.py``), timed alternately with
  sitrep's so machine noise hits both, and the ratio sitrep / floor (below 1: sitrep is faster);
- importing the archive's CSV into an empty store (``import_acled``: township and actor
  resolution, full-text index, audit, aggregates), next to raw ``executemany`` of the same
  rows into one unindexed table and ``sqlite-utils insert --csv`` of the same file;
- the peak RSS of the process answering the queries and of the one importing.

Queries and imports run in child processes, so each peak RSS is that work's own. Times are
wall-clock on a warm cache, as a running bot sees them. The closing table puts each query's
p95 at every size side by side, with the ratio of the largest size to the smallest.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor  # noqa: E402
import generate  # noqa: E402

GUILD = generate.GUILD
LAST = generate.LAST_DAY  # the archive's newest date: "now" for the questions below
MONTH = (LAST.replace(day=1), LAST)
YEAR = (LAST.replace(month=1, day=1), LAST)
THREE_YEARS = (date(LAST.year - 2, 1, 1), LAST)
# The digest the scheduler posts the morning after the archive's last day. (A preview of a day
# long past, with more than ``bot.digest.LATE_LIMIT`` events logged since, counts its trend
# from the events instead: tens of ms at 1M.)
DIGEST_DAY = LAST
TZ = "Asia/Yangon"
QUERIES = ("active, busiest township, 1 month", "active, busiest township, 3 years",
           "actor, busiest group, 1 year", "summary, 1 month", "summary, 1 year",
           "search (full text)", "digest of one day")


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not getrusage: Linux carries ru_maxrss over from the
    parent through fork and exec, so a child would report the parent's peak."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered) * 1000, "p95": p95 * 1000}


def _clock(func: Callable[[], object]) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def _pair(ours: Callable[[], object], naive: Callable[[], object], reps: int,
          budget: float = 6.0) -> dict[str, dict[str, float]]:
    """Time both alternately (after a warm-up each), up to ``reps`` rounds or ``budget`` s."""
    ours(), naive()
    mine: list[float] = []
    theirs: list[float] = []
    started = time.perf_counter()
    while len(mine) < reps and (len(mine) < 5 or time.perf_counter() - started < budget):
        mine.append(_clock(ours))
        theirs.append(_clock(naive))
    return {"sitrep": _ms(mine), "floor": _ms(theirs), "n": len(mine)}


# --- the query worker (a child process) ---------------------------------------------------

def query_worker(db_file: Path, floor_file: Path, reps: int) -> dict[str, object]:
    from bot.dates import DateRange
    from bot.db import open_db
    from bot.digest import build_digest, day_window, stamp
    from bot.events import NewEvent, log_event
    from bot.queries import active, actor_activity, search
    from bot.summary import summarise
    from bot.wal import WORKER_AUTOCHECKPOINT_PAGES, BackgroundCheckpointer

    db = open_db(db_file)  # configured as the bot configures its worker connections
    db.execute(f"PRAGMA wal_autocheckpoint = {WORKER_AUTOCHECKPOINT_PAGES}")
    checkpointer = BackgroundCheckpointer(db_file).start()
    naive = floor.connect(floor_file)
    pcode = naive.execute("SELECT pcode FROM events WHERE guild = ? GROUP BY pcode"
                          " ORDER BY COUNT(*) DESC LIMIT 1", [GUILD]).fetchone()[0]
    township = db.execute("SELECT name FROM townships WHERE pcode = ?", [pcode]).fetchone()[0]
    actor_id, actor_name = naive.execute(
        "SELECT ea.actor, a.name FROM event_actors ea JOIN events e ON e.id = ea.event_id"
        " JOIN actors a ON a.id = ea.actor WHERE e.date BETWEEN ? AND ? GROUP BY ea.actor"
        " ORDER BY COUNT(*) DESC LIMIT 1", [d.isoformat() for d in YEAR]).fetchone()
    village = naive.execute("SELECT location FROM events WHERE pcode = ? ORDER BY id LIMIT 1",
                            [pcode]).fetchone()[0]
    text = f"{village} {township}"  # an analyst looking for one incident
    w = day_window(DIGEST_DAY, TZ)
    trend = (DIGEST_DAY - timedelta(days=6), DIGEST_DAY - timedelta(days=6 + 28),
             DIGEST_DAY - timedelta(days=7))  # floor.digest's week_start, trend_start, _end

    def span(pair: tuple[date, date]) -> DateRange:
        return DateRange(*pair)

    def iso(pair: tuple[date, date]) -> tuple[str, str]:
        return pair[0].isoformat(), pair[1].isoformat()

    results: dict[str, object] = {
        "events": db.execute("SELECT COUNT(*) FROM events").fetchone()[0],
        "store_mb": db_file.stat().st_size / 1e6, "township": township, "actor": actor_name,
        "search": text,
    }
    timings: dict[str, object] = {}
    timings[QUERIES[0]] = _pair(lambda: active(db, GUILD, pcode, span(MONTH)),
                                lambda: floor.active(naive, GUILD, pcode, *iso(MONTH)), reps)
    timings[QUERIES[1]] = _pair(lambda: active(db, GUILD, pcode, span(THREE_YEARS)),
                                lambda: floor.active(naive, GUILD, pcode, *iso(THREE_YEARS)),
                                reps)
    timings[QUERIES[2]] = _pair(lambda: actor_activity(db, GUILD, actor_name, span(YEAR)),
                                lambda: floor.actor(naive, GUILD, actor_id, *iso(YEAR)), reps)
    timings[QUERIES[3]] = _pair(lambda: summarise(db, GUILD, span(MONTH)),
                                lambda: floor.summary(naive, GUILD, *iso(MONTH)), reps)
    timings[QUERIES[4]] = _pair(lambda: summarise(db, GUILD, span(YEAR)),
                                lambda: floor.summary(naive, GUILD, *iso(YEAR)), reps)
    timings[QUERIES[5]] = _pair(lambda: search(db, GUILD, text, 10),
                                lambda: floor.search(naive, GUILD, text), reps)
    timings[QUERIES[6]] = _pair(
        lambda: build_digest(db, GUILD, DIGEST_DAY, TZ),
        lambda: floor.digest(naive, GUILD, stamp(w.start), stamp(w.end), DIGEST_DAY.isoformat(),
                             *(d.isoformat() for d in trend)), reps)
    logged = naive.execute("SELECT COUNT(*) FROM events WHERE logged_at >= ? AND logged_at < ?",
                           [stamp(w.start), stamp(w.end)]).fetchone()[0]
    results["digest_events"] = logged
    # What each answer holds: a query's cost follows it (groups, townships, events counted)
    results["answers"] = {
        QUERIES[0]: f"{len(floor.active(naive, GUILD, pcode, *iso(MONTH)))} groups",
        QUERIES[1]: f"{len(floor.active(naive, GUILD, pcode, *iso(THREE_YEARS)))} groups",
        QUERIES[2]: f"{len(floor.actor(naive, GUILD, actor_id, *iso(YEAR))[1])} townships",
        QUERIES[3]: f"{floor.summary(naive, GUILD, *iso(MONTH))['total']:,} events",
        QUERIES[4]: f"{floor.summary(naive, GUILD, *iso(YEAR))['total']:,} events",
        QUERIES[5]: f"{floor.search(naive, GUILD, text)[0]:,} matches",
        QUERIES[6]: f"{logged:,} events logged",
    }

    groups = [r[0] for r in naive.execute(
        "SELECT a.name FROM actors a JOIN event_actors ea ON ea.actor = a.id"
        " WHERE a.name != 'Tatmadaw' GROUP BY a.id ORDER BY COUNT(*) DESC LIMIT 12")]
    ids = [r[0] for r in naive.execute("SELECT id FROM actors WHERE name IN"
                                       f" ({','.join('?' * len(groups))})", groups)]
    places = [r[0] for r in naive.execute("SELECT pcode FROM events GROUP BY pcode"
                                          " ORDER BY COUNT(*) DESC LIMIT 20")]
    mine: list[float] = []
    theirs: list[float] = []
    for n in range(max(reps, 60)):
        new = NewEvent(date=(LAST - timedelta(days=n % 20)).isoformat(),
                       township=places[n % len(places)],
                       actors=[groups[n % len(groups)], groups[(n + 5) % len(groups)]],
                       opponents=["junta"],
                       event_type="Armed clash",
                       sources=[f"https://www.irrawaddy.com/news/bench-{n}.html"],
                       notes=f"Benchmark event {n}: fighters clashed near the bridge.")
        mine.append(_clock(lambda new=new: log_event(db, GUILD, new, by="bench", ref=LAST)))
        place = places[n % len(places)]
        theirs.append(_clock(lambda place=place: floor.log(
            naive, GUILD, place, LAST.isoformat(), ids[:3],
            "Benchmark event: fighters clashed near the bridge.", "2025-01-01T00:00:00")))
    timings["log one event"] = {"sitrep": _ms(mine), "floor": _ms(theirs), "n": len(mine)}
    checkpointer.stop()
    results["timings"] = timings
    results["peak_rss_mb"] = _peak_rss_mb()
    return results


# --- the import workers ---------------------------------------------------------------------

def import_worker(csv_file: Path, out: Path) -> dict[str, object]:
    from bot.acled_import import import_acled
    from bot.db import open_db

    db = open_db(out)
    db.execute("SELECT 1 FROM guilds").fetchall()
    started = time.perf_counter()
    report = import_acled(db, GUILD, csv_file, by="benchmark")
    seconds = time.perf_counter() - started
    db.close()
    return {"seconds": seconds, "rows": report.inserted, "peak_rss_mb": _peak_rss_mb(),
            "store_mb": out.stat().st_size / 1e6}


def executemany_worker(csv_file: Path, out: Path) -> dict[str, object]:
    started = time.perf_counter()
    conn = sqlite3.connect(out)
    with open(csv_file, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        conn.execute(f"CREATE TABLE acled ({', '.join(header)})")
        with conn:
            conn.executemany(f"INSERT INTO acled VALUES ({', '.join('?' * len(header))})", rows)
    rows_in = conn.execute("SELECT COUNT(*) FROM acled").fetchone()[0]
    conn.close()
    return {"seconds": time.perf_counter() - started, "rows": rows_in}


def _child(*args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--worker", *args], check=True,
                          stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout)


def sqlite_utils_insert(csv_file: Path, out: Path) -> dict[str, object]:
    tool = Path(sys.executable).with_name("sqlite-utils")
    started = time.perf_counter()
    subprocess.run([str(tool), "insert", str(out), "acled", str(csv_file), "--csv"], check=True)
    return {"seconds": time.perf_counter() - started}


# --- one size -------------------------------------------------------------------------------

def measure(size: int, seed: int, reps: int, work: Path, imports: bool) -> dict[str, object]:
    started = time.perf_counter()
    source = generate.archive(size, seed)
    floor_file = source.with_name(source.stem + f"-floor{floor.FLOOR_VERSION}.db")
    if not floor_file.exists() or floor_file.stat().st_mtime < source.stat().st_mtime:
        floor.build(source, floor_file)
    copy, floor_copy = work / f"sitrep-{size}.db", work / f"floor-{size}.db"
    shutil.copyfile(source, copy)
    shutil.copyfile(floor_file, floor_copy)
    result = _child("queries", str(copy), str(floor_copy), str(reps))
    if imports:
        csv_file = generate.archive_csv(size, seed)
        result["import"] = {
            "sitrep": _child("import", str(csv_file), str(work / f"import-{size}.db")),
            "executemany": _child("executemany", str(csv_file), str(work / f"raw-{size}.db")),
            "sqlite-utils": sqlite_utils_insert(csv_file, work / f"su-{size}.db"),
        }
    for leftover in work.glob(f"*-{size}.db*"):
        leftover.unlink()
    result["size"] = size
    result["seconds"] = time.perf_counter() - started
    return result


def print_size(r: dict) -> None:
    print(f"\n## {r['size']:,} events (store {r['store_mb']:.0f} MB; busiest township "
          f"{r['township']}, busiest group {r['actor']}, search {r['search']!r}, "
          f"digest day with {r['digest_events']} events logged)\n")
    print("| measure | sitrep p50 ms | sitrep p95 ms | floor p50 ms | floor p95 ms |"
          " p95 sitrep/floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("log one event", *QUERIES):
        t = r["timings"][name]
        s, f = t["sitrep"], t["floor"]
        print(f"| {name} | {s['p50']:.2f} | {s['p95']:.2f} | {f['p50']:.2f} | {f['p95']:.2f} |"
              f" {s['p95'] / f['p95']:.2f} |")
    if "import" in r:
        imp = r["import"]
        rate = {k: r["size"] / v["seconds"] for k, v in imp.items()}
        print(f"| import rows/s | {rate['sitrep']:,.0f} | | raw executemany "
              f"{rate['executemany']:,.0f} | sqlite-utils insert {rate['sqlite-utils']:,.0f} |"
              f" {rate['sitrep'] / rate['sqlite-utils']:.1f}x sqlite-utils |")
        print(f"| peak RSS MB | queries {r['peak_rss_mb']:.0f} | import "
              f"{imp['sitrep']['peak_rss_mb']:.0f} | | | |")
    else:
        print(f"| peak RSS MB | queries {r['peak_rss_mb']:.0f} | | | | |")
    print(f"\n({r['seconds']:.0f} s for this size)")


def print_scaling(results: list[dict]) -> None:
    if len(results) < 2:
        return
    small, large = results[0], results[-1]
    print(f"\n## p95 by size (ms), and {large['size']:,} against {small['size']:,}\n")
    print("| query | " + " | ".join(f"{r['size']:,}" for r in results) + " | ratio |"
          f" answer at {small['size']:,} | answer at {large['size']:,} |")
    print("|---|" + "---:|" * (len(results) + 3))
    for name in ("log one event", *QUERIES):
        p95 = [r["timings"][name]["sitrep"]["p95"] for r in results]
        answers = [r.get("answers", {}).get(name, "1 event") for r in (small, large)]
        print(f"| {name} | " + " | ".join(f"{v:.2f}" for v in p95) +
              f" | {p95[-1] / p95[0]:.1f}x | {answers[0]} | {answers[1]} |")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        kind, *args = sys.argv[2:]
        if kind == "queries":
            out = query_worker(Path(args[0]), Path(args[1]), int(args[2]))
        elif kind == "import":
            out = import_worker(Path(args[0]), Path(args[1]))
        else:
            out = executemany_worker(Path(args[0]), Path(args[1]))
        print(json.dumps(out))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=40, help="rounds per query (default 40)")
    parser.add_argument("--no-import", action="store_true", help="skip the import timings")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            results.append(measure(size, args.seed, args.reps, Path(tmp), not args.no_import))
            print_size(results[-1])
    print_scaling(results)
    print(f"\ntotal {time.perf_counter() - started:.0f} s: python benchmarks/run.py "
          f"--sizes {args.sizes}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
