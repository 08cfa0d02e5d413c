"""A seeded, realistic synthetic archive for the performance benchmarks, cached on disk.

What a team's research archive looks like after years of work, at 10k, 100k or 1M events:

- ACLED-like skew: a few townships and groups hold most events (Zipf-like weights over ~330
  townships and ~150 groups), the war since 2021 much busier than the years before it;
- 1 to 4 groups per event across both sides; ACLED's mix of event types; day precision for
  most events, some week and month precision;
- notes of ACLED's length and style (two or three sentences naming the date, the place, the
  groups and the toll), a village as the location;
- who logged each event and when (a day or two after it happened), and its source links, as
  sitrep's own export carries them, so the digest of one day reads a realistic day's logging.

It is written as an ACLED CSV (ACLED's 31 columns, then sitrep's ``sitrep_logged_by``,
``sitrep_logged_at`` and ``sitrep_source_urls``) and loaded through the product's own import
(``bot.acled_import.import_acled``, what ``sitrep import-acled`` runs), so the store holds
exactly what a real import makes of it. Rows come newest first, as ACLED's exports do.

Both the CSV and the imported store are cached under ``benchmarks/.cache`` (or
``$SITREP_BENCH_CACHE``), keyed by size, seed and ``GENERATOR_VERSION``: a second run reuses
them. Opening a cached store migrates it to the current schema, as the bot would.

    .venv/bin/python benchmarks/generate.py --sizes 10000,100000 [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from bot.acled import ACLED_COLUMNS, acled_region  # noqa: E402
from bot.paths import SEEDS  # noqa: E402

GENERATOR_VERSION = 1  # bump when the rows change, so stale caches are not reused
GUILD = 1
CACHE = Path(os.environ.get("SITREP_BENCH_CACHE", ROOT / "benchmarks" / ".cache"))
FIRST_DAY, YEARS = date(2015, 1, 1), 10
LAST_DAY = date(FIRST_DAY.year + YEARS, 1, 1) - timedelta(days=1)
TOWNSHIPS = 330
MIL = "Military Forces of Myanmar (2021-)"
SHORT = {MIL: "the military", "Civilians (Myanmar)": "civilians",
         "Protesters (Myanmar)": "protesters", "Police Forces of Myanmar (2021-)": "police"}
EXTRA = ("sitrep_logged_by", "sitrep_logged_at", "sitrep_source_urls")

# (event_type, sub_event_type, weight): roughly Myanmar's mix since 2021.
SUB_TYPES = [
    ("Battles", "Armed clash", 40), ("Battles", "Non-state actor overtakes territory", 3),
    ("Battles", "Government regains territory", 1),
    ("Explosions/Remote violence", "Air/drone strike", 12),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 8),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 8),
    ("Explosions/Remote violence", "Grenade", 1),
    ("Violence against civilians", "Attack", 8),
    ("Violence against civilians", "Abduction/forced disappearance", 3),
    ("Strategic developments", "Looting/property destruction", 6),
    ("Strategic developments", "Arrests", 4),
    ("Strategic developments", "Headquarters or base established", 1),
    ("Protests", "Peaceful protest", 5), ("Protests", "Protest with intervention", 1),
    ("Riots", "Mob violence", 1),
]
# ACLED's names: the seed actors (some as "ABBR: Name", which the import learns as aliases),
# then local groups no seed knows, which the import creates flagged for review: ~150 in all.
SEEDED = [
    "PDF: People's Defense Force", "KIA: Kachin Independence Army",
    "KNDF: Karenni Nationalities Defense Force", "TNLA: Ta'ang National Liberation Army",
    "ULA/AA: United League of Arakan/Arakan Army",
    "MNDAA: Myanmar National Democratic Alliance Army", "CDF: Chinland Defense Force",
    "KNU/KNLA: Karen National Union/Karen National Liberation Army", "Pyu Saw Htee",
    "Police Forces of Myanmar (2021-)", "Karenni Army", "Border Guard Force",
    "Democratic Karen Benevolent Army", "Bamar People's Liberation Army",
    "All Burma Students' Democratic Front", "Shan State Progress Party/Shan State Army-North",
    "Restoration Council of Shan State/Shan State Army-South", "United Wa State Army",
    "Karenni National People's Liberation Front", "Chin National Front/Chin National Army",
]
LOCAL = [f"{place} People's Defense Force" for place in (
    "Yinmabin", "Kani", "Salingyi", "Pale", "Myaung", "Monywa", "Depayin", "Ye-U", "Kanbalu",
    "Kawlin", "Pinlebu", "Wuntho", "Indaw", "Katha", "Tigyaing", "Htigyaing", "Mingin",
    "Kalewa", "Mawlaik", "Tamu", "Gangaw", "Tilin", "Saw", "Pauk", "Myaing", "Yesagyo",
    "Pakokku", "Seikphyu", "Salin", "Sidoktaya", "Ngape", "Minbu", "Pwintbyu", "Natmauk",
    "Magway", "Taungdwingyi", "Myothit", "Yenangyaung", "Chauk", "Nyaung-U", "Kyaukpadaung",
    "Myingyan", "Natogyi", "Taungtha", "Mahlaing", "Meiktila", "Wundwin", "Thazi", "Pyawbwe",
    "Yamethin", "Tatkon", "Pyinmana", "Lewe", "Madaya", "Singu", "Thabeikkyin", "Mogoke",
    "Naypyitaw", "Sintgaing", "Kyaukse", "Myittha", "Ottwin", "Toungoo", "Kyaukkyi",
    "Shwegyin", "Hpa-an", "Kawkareik", "Myawaddy", "Hlaingbwe", "Thaton", "Bilin", "Kyaikto",
    "Mudon", "Ye", "Dawei", "Launglon", "Thayetchaung", "Palaw", "Myeik", "Tanintharyi",
    "Bokpyin", "Kawthaung", "Hpruso", "Demoso", "Loikaw", "Shadaw", "Bawlakhe", "Mese",
    "Pekon", "Moebye", "Hsihseng", "Pinlaung", "Falam", "Hakha", "Thantlang", "Matupi",
    "Mindat", "Kanpetlet", "Paletwa", "Tonzang", "Tedim", "Hpakant", "Mohnyin", "Mogaung",
    "Bhamo", "Shwegu", "Momauk", "Mansi", "Waingmaw", "Myitkyina", "Chipwi", "Sumprabum",
    "Putao", "Machanbaw", "Tanai", "Khaunglanhpu", "Injangyang", "Kutkai", "Namhkam",
    "Muse", "Kyaukme", "Nawnghkio", "Hsipaw", "Lashio", "Hseni", "Mongmit", "Mabein",
)][:130 - len(SEEDED)]
GROUPS = SEEDED + LOCAL
OUTLETS = [("Irrawaddy", "www.irrawaddy.com"), ("Myanmar Now", "myanmar-now.org"),
           ("Mizzima", "mizzima.com"), ("Radio Free Asia", "www.rfa.org"),
           ("DVB", "english.dvb.no"), ("Khit Thit Media", "yktnews.com"),
           ("Kachin News Group", "kachinnews.com"), ("Chinland Post", "chinlandpost.com"),
           ("Shan Herald Agency for News", "english.shannews.org"),
           ("Narinjara", "www.narinjara.com")]
ANALYSTS = ["aung", "hnin", "kyaw", "mya", "nandar", "soe", "thiri", "zaw"]
SYLLABLES = ["Kyauk", "Taung", "Ywa", "Thar", "Pin", "Gon", "Lay", "Hpa", "Nyaung", "Kan",
             "Zee", "Ma", "Shwe", "Mye", "Inn", "Sin", "Kone", "Tha", "Bo", "Hlaing", "Oak",
             "Pyin", "Win", "Chaung", "Daung", "Let", "Yin", "Sar", "Nat", "Htan"]
ACTIONS = {
    "Battles": ["clashed with", "fought", "ambushed a column of", "attacked a camp of",
                "raided an outpost of"],
    "Explosions/Remote violence": ["shelled", "bombed", "struck", "fired artillery at",
                                   "detonated a mine against"],
    "Violence against civilians": ["attacked", "detained and killed residents near",
                                   "abducted villagers from"],
    "Strategic developments": ["torched houses in", "looted shops in", "arrested people in",
                               "set up a base near"],
    "Protests": ["marched in", "gathered in"], "Riots": ["rioted in"],
}
AFTER = ["Residents fled to nearby villages and the monastery.",
         "Several houses and a school were destroyed.",
         "The column withdrew along the road to the bridge.",
         "Fighting continued into the night, local sources said.",
         "A drone strike followed the next morning.", "The military denied the report.",
         "Civilians were among the wounded.", "Reinforcements arrived by river.",
         "Mobile and internet connections were cut in the area.",
         "The group said it seized weapons and ammunition."]
# Share of the years' events: quiet before the 2021 coup, the war much busier since.
YEAR_WEIGHTS = [1, 1, 1.5, 1.5, 1.5, 1.5, 8, 10, 12, 12]


def cache_dir() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    ignore = CACHE / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")  # the cache never belongs in the repository
    return CACHE


def csv_path(rows: int, seed: int = 7) -> Path:
    return cache_dir() / f"archive-v{GENERATOR_VERSION}-{rows}-s{seed}.csv"


def db_path(rows: int, seed: int = 7) -> Path:
    return cache_dir() / f"archive-v{GENERATOR_VERSION}-{rows}-s{seed}.db"


def _townships(rnd: random.Random) -> list[dict[str, str]]:
    with open(SEEDS / "myanmar_townships.csv", newline="", encoding="utf-8") as f:
        found = list(csv.DictReader(f))
    found.sort(key=lambda t: t["pcode"])
    rnd.shuffle(found)
    return found[:TOWNSHIPS]


def _zipf(count: int, exponent: float) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


def _days(rnd: random.Random, rows: int) -> list[date]:
    """``rows`` event dates over the ten years, newest first (ACLED's order)."""
    years = rnd.choices(range(YEARS), YEAR_WEIGHTS, k=rows)
    days = []
    for year in years:
        start = date(FIRST_DAY.year + year, 1, 1)
        length = (date(start.year + 1, 1, 1) - start).days
        days.append(start + timedelta(days=rnd.randrange(length)))
    days.sort(reverse=True)
    return days


def _villages(rnd: random.Random, townships: list[dict[str, str]]) -> dict[str, list[str]]:
    return {t["pcode"]: [rnd.choice(SYLLABLES) + rnd.choice(SYLLABLES).lower()
                         for _ in range(rnd.randint(8, 25))] for t in townships}


def _sides(rnd: random.Random, etype: str, weights: list[float]) -> tuple[list[str], list[str]]:
    """1 to 4 groups across both sides: ACLED's actor1 and associates, actor2 and associates."""
    if etype in ("Protests", "Riots"):
        return ["Protesters (Myanmar)"], ([MIL] if rnd.random() < 0.3 else [])
    total = rnd.choices((1, 2, 3, 4), (15, 55, 20, 10))[0]
    groups: list[str] = []
    while len(groups) < max(1, total - 1):
        name = rnd.choices(GROUPS, weights)[0]
        if name not in groups:
            groups.append(name)
    if etype == "Violence against civilians":
        return (groups if rnd.random() < 0.3 else [MIL]), ["Civilians (Myanmar)"]
    if total == 1:
        return groups, []
    return (groups, [MIL]) if rnd.random() < 0.85 else ([MIL], groups)


def generate_csv(path: Path, rows: int, seed: int = 7) -> None:
    """Write ``rows`` ACLED-format rows to ``path``; the same seed gives the same file."""
    rnd = random.Random(seed)
    townships = _townships(rnd)
    villages = _villages(rnd, townships)
    place_weights = _zipf(len(townships), 1.1)
    group_weights = _zipf(len(GROUPS), 1.2)
    kinds = [(t, s) for t, s, _ in SUB_TYPES]
    kind_weights = [w for *_, w in SUB_TYPES]
    partial = path.with_suffix(".partial")
    with open(partial, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow((*ACLED_COLUMNS, *EXTRA))
        for n, day in enumerate(_days(rnd, rows)):
            t = rnd.choices(townships, place_weights)[0]
            etype, sub = rnd.choices(kinds, kind_weights)[0]
            side1, side2 = _sides(rnd, etype, group_weights)
            if sub == "Air/drone strike":
                side1, side2 = [MIL], [g for g in side1 + side2 if g != MIL][:3] or \
                    ["Civilians (Myanmar)"]
            village = rnd.choice(villages[t["pcode"]])
            fatalities = rnd.choices((0, 1, 2, 3, 5, 10, 25), (55, 15, 10, 8, 6, 4, 2))[0]
            names = [SHORT.get(g, g.split(": ")[0]) for g in side1 + side2]
            action = rnd.choice(ACTIONS[etype])
            notes = (f"On {day.day} {day:%B %Y}, {' and '.join(names[:2])} {action} "
                     f"{names[2] if len(names) > 2 else 'regime forces'} in {village} village "
                     f"({t['township']} township, {t['state_region']}). "
                     + " ".join(rnd.sample(AFTER, rnd.randint(1, 3)))
                     + (f" {fatalities} people were reported killed." if fatalities else "")
                     + f" [size={rnd.choice(('no report', 'around 50', 'several hundred'))}]")
            outlets = rnd.sample(OUTLETS, rnd.randint(1, 2))
            logged = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
                days=rnd.choice((0, 1, 1, 2, 3, 7)), seconds=rnd.randrange(86_400))
            precision = rnd.choices(("1", "2", "3"), (90, 8, 2))[0]
            out.writerow((
                f"MMR{rows - n}", day.isoformat() if n % 5 else f"{day.day:02d} {day:%B %Y}",
                day.year, precision, "Political violence", etype, sub, side1[0],
                "; ".join(side1[1:]), "2", side2[0] if side2 else "", "; ".join(side2[1:]),
                "1", "12", "", "104", "Southeast Asia", "Myanmar",
                acled_region(t["state_region"]), t["district"], t["township"], village,
                t["latitude"], t["longitude"], rnd.choice("12"),
                "; ".join(name for name, _ in outlets), "National", notes, fatalities, "",
                int(logged.timestamp()), rnd.choice(ANALYSTS),
                logged.isoformat(timespec="seconds"),
                " ".join(f"https://{host}/news/{day:%Y/%m}/{rnd.randrange(10**6)}.html"
                         for _, host in outlets),
            ))
    partial.replace(path)


def archive_csv(rows: int, seed: int = 7) -> Path:
    """The cached CSV of ``rows`` events, generated the first time it is asked for."""
    path = csv_path(rows, seed)
    if not path.exists():
        started = time.perf_counter()
        generate_csv(path, rows, seed)
        print(f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def archive(rows: int, seed: int = 7) -> Path:
    """The cached store holding ``rows`` imported events (guild ``GUILD``), made if missing.

    Built in a side file and renamed when complete, so an interrupted build is never reused.
    """
    from bot.acled_import import import_acled
    from bot.db import checkpoint, open_db

    path = db_path(rows, seed)
    if path.exists():
        open_db(path).close()  # migrate a store cached by an older schema, outside any timing
        return path
    source = archive_csv(rows, seed)
    building = path.with_suffix(".building")
    for leftover in building.parent.glob(building.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    db = open_db(building)
    report = import_acled(db, GUILD, source, by="benchmark")
    db.close()
    checkpoint(building)
    if report.inserted != rows:
        raise SystemExit(f"the import stored {report.inserted:,} of {rows:,} rows; "
                         f"first problems: {report.skipped[:3]}")
    building.replace(path)
    print(f"imported {rows:,} rows into {path.name} in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated numbers of events (default 10000,100000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        print(archive(size, args.seed))


if __name__ == "__main__":
    main()
