"""Import speed: ``sitrep import-acled`` on a generated ACLED file, next to the naive floors.

One run generates a seeded ACLED-format CSV (ACLED's 31 columns; ACLED-like skew: a few
townships and groups hold most events, 1-4 actors per event, 10 years of dates, notes of
realistic length, some actor names no seed knows), then measures on the same file:

- sitrep: ``bot.acled_import.import_acled`` into a fresh store, with township and actor
  resolution, the audit trail, the full-text index and every index of the schema;
- ``sqlite-utils insert db acled FILE --csv`` (the floor issue 7 asks for), as a subprocess;
- raw ``sqlite3`` ``executemany`` of the 31 columns into one unindexed table (issue 9's floor).

    .venv/bin/python benchmarks/import_speed.py [--rows 100000] [--batch-size 2000] [--keep DIR]

``generate`` is importable, so other benchmarks can build the same archive.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bot.acled import ACLED_COLUMNS, acled_region
from bot.acled_import import BATCH_SIZE, import_acled
from bot.db import open_db
from bot.paths import SEEDS

MIL = "Military Forces of Myanmar (2021-)"
SUB_TYPES = [  # (event_type, sub_event_type, weight): roughly Myanmar's mix since 2021
    ("Battles", "Armed clash", 40), ("Battles", "Non-state actor overtakes territory", 3),
    ("Battles", "Government regains territory", 1),
    ("Explosions/Remote violence", "Air/drone strike", 12),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 8),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 8),
    ("Violence against civilians", "Attack", 8),
    ("Violence against civilians", "Abduction/forced disappearance", 3),
    ("Strategic developments", "Looting/property destruction", 6),
    ("Strategic developments", "Arrests", 4), ("Protests", "Peaceful protest", 5),
    ("Riots", "Mob violence", 1),
]
GROUPS = [  # ACLED's names of the seed actors, plus names no seed knows (created for review)
    "PDF: People's Defense Force", "KIA: Kachin Independence Army",
    "KNDF: Karenni Nationalities Defense Force", "TNLA: Ta'ang National Liberation Army",
    "ULA/AA: United League of Arakan/Arakan Army",
    "MNDAA: Myanmar National Democratic Alliance Army", "CDF: Chinland Defense Force",
    "KNU/KNLA: Karen National Union/Karen National Liberation Army", "Pyu Saw Htee",
    "Police Forces of Myanmar (2021-)", "Unidentified Armed Group (Myanmar)",
    *(f"Local Defense Force {n} (Myanmar)" for n in range(1, 120)),
]
OUTLETS = ["Irrawaddy", "Myanmar Now", "Mizzima", "Radio Free Asia", "DVB", "Khit Thit Media",
           "Kachin News Group", "Chinland Post", "Shan Herald Agency for News", "Narinjara"]
WORDS = [
    "fighters", "soldiers", "clashed", "village", "township", "troops", "junta", "column",
    "ambushed", "camp", "outpost", "residents", "fled", "houses", "torched", "artillery",
    "drone", "strike", "killed", "wounded", "reported", "local", "sources", "said", "the",
    "military", "near", "road", "bridge", "monastery", "school", "civilians",
]


def _townships() -> list[dict[str, str]]:
    with open(SEEDS / "myanmar_townships.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write ``rows`` ACLED-format rows to ``path``; the same seed gives the same file."""
    rnd = random.Random(seed)
    townships = _townships()
    rnd.shuffle(townships)
    place_weights = [1 / (rank + 1) ** 1.1 for rank in range(len(townships))]  # Zipf-like
    group_weights = [1 / (rank + 1) ** 1.2 for rank in range(len(GROUPS))]
    kinds = [(t, s) for t, s, _ in SUB_TYPES]
    kind_weights = [w for *_, w in SUB_TYPES]
    start, days = date(2015, 1, 1), 3650
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(ACLED_COLUMNS)
        for n in range(rows):
            t = rnd.choices(townships, place_weights)[0]
            etype, sub = rnd.choices(kinds, kind_weights)[0]
            day = start + timedelta(days=rnd.randrange(days))
            side = _pick(rnd, group_weights, 3)
            if etype in ("Protests", "Riots"):
                actor1, assoc, actor2 = "Protesters (Myanmar)", [], ""
            else:
                actor1, assoc = side[0], side[1:]
                actor2 = MIL if rnd.random() < 0.85 else "Civilians (Myanmar)"
            precision = rnd.choices(("1", "2", "3"), (90, 8, 2))[0]
            notes = " ".join(rnd.choices(WORDS, k=rnd.randint(25, 70))).capitalize() + "."
            out.writerow([
                f"MMR{n + 1}", day.isoformat() if n % 5 else day.strftime("%d %B %Y"),
                day.year, precision, "Political violence", etype, sub, actor1, "; ".join(assoc),
                "2", actor2, "", "1", "12", "", "104", "Southeast Asia", "Myanmar",
                acled_region(t["state_region"]), t["district"], t["township"],
                t["township"], t["latitude"], t["longitude"], rnd.choice("123"),
                "; ".join(rnd.sample(OUTLETS, rnd.randint(1, 2))), "National", notes,
                rnd.choices((0, 1, 2, 3, 5, 10), (60, 15, 10, 6, 5, 4))[0], "",
                1_600_000_000 + n,
            ])


def _pick(rnd: random.Random, weights: list[float], most: int) -> list[str]:
    """1 to ``most`` distinct groups, the common ones more often (actor1 and associates)."""
    count = rnd.choices(range(1, most + 1), (70, 22, 8)[:most])[0]
    found: list[str] = []
    while len(found) < count:
        name = rnd.choices(GROUPS, weights)[0]
        if name not in found:
            found.append(name)
    return found


def time_sitrep(csv_path: Path, db_path: Path, batch_size: int) -> tuple[float, int]:
    db = open_db(db_path)  # created and migrated before the clock starts
    db.execute("SELECT 1 FROM guilds").fetchall()
    started = time.perf_counter()
    report = import_acled(db, 1, csv_path, by="benchmark", batch_size=batch_size)
    seconds = time.perf_counter() - started
    db.close()
    return seconds, report.inserted


def time_sqlite_utils(csv_path: Path, db_path: Path) -> float:
    tool = Path(sys.executable).with_name("sqlite-utils")
    started = time.perf_counter()
    subprocess.run([str(tool), "insert", str(db_path), "acled", str(csv_path), "--csv"],
                   check=True)
    return time.perf_counter() - started


def time_executemany(csv_path: Path, db_path: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute(f"CREATE TABLE acled ({', '.join(ACLED_COLUMNS)})")
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows)
        with conn:
            conn.executemany(f"INSERT INTO acled VALUES ({', '.join('?' * 31)})", rows)
    conn.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", help="keep the CSV and databases here")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="sitrep-import-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"acled_{args.rows}.csv"
    started = time.perf_counter()
    generate(csv_path, args.rows, args.seed)
    size = csv_path.stat().st_size
    print(f"generated {args.rows:,} rows ({size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.1f} s: {csv_path}")
    for old in work.glob("*.db*"):
        old.unlink()
    seconds, inserted = time_sitrep(csv_path, work / "sitrep.db", args.batch_size)
    floor = time_sqlite_utils(csv_path, work / "sqlite_utils.db")
    raw = time_executemany(csv_path, work / "raw.db")
    rows = args.rows
    print(f"\n{'import path':<52}{'seconds':>9}{'rows/s':>10}{'vs floor':>10}")
    for name, secs in (
        (f"sitrep import-acled (batch {args.batch_size}, {inserted:,} stored)", seconds),
        ("sqlite-utils insert --csv (floor)", floor),
        ("raw sqlite3 executemany, 1 unindexed table", raw),
    ):
        print(f"{name:<52}{secs:>9.2f}{rows / secs:>10,.0f}{floor / secs:>9.1f}x")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
