"""The pre-aggregated counts (``bot.aggregates``) against a recount from the events.

The counts are kept by triggers on every write, and by the ACLED import in bulk; here a random
sequence of the product's own operations (log, edit, delete, restore, merge, undo, add a
source, actor merge, ACLED import and re-import, and a hand-written UPDATE from outside the
product) runs on a real store, and after it the tables must equal a recount done in Python,
and the questions answered from them must equal the same questions asked of the events.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from bot import aggregate_reads, aggregates, digest
from bot.acled import ACLED_COLUMNS
from bot.acled_import import import_acled
from bot.actor_admin import merge_actors
from bot.corrections import delete_event, edit_event, merge_events, restore_event
from bot.dates import DateRange
from bot.db import open_db, transaction
from bot.errors import SitrepError
from bot.events import NewEvent, log_event
from bot.history import undo_last_change
from bot.queries import LIVE, active, actor_activity, bounds
from bot.summary import summarise

TOWNSHIPS = ["MMR002007", "MMR002001", "MMR005001", "MMR005002", "MMR013046"]
ACTORS = ["KNDF", "PDF", "KIA", "TNLA", "Karenni Army", "junta"]
DAYS = [date(2023, 10, 30), date(2023, 10, 31), date(2023, 11, 1), date(2023, 11, 15),
        date(2023, 11, 30), date(2023, 12, 1), date(2024, 1, 3)]
TYPES = ["Armed clash", "Air/drone strike", "Attack", "Peaceful protest"]
REF = date(2024, 2, 1)


# --- the recount -----------------------------------------------------------------------------

def recount(db: Database) -> dict[str, Counter]:
    """What every aggregate table should hold, counted in Python from the live events."""
    region = dict(db.execute("SELECT pcode, state_region FROM townships").fetchall())
    actors: dict[int, set[int]] = {}
    for event_id, actor_id in db.execute("SELECT event_id, actor_id FROM event_actors"):
        actors.setdefault(event_id, set()).add(actor_id)
    want: dict[str, Counter] = {t: Counter() for t in (*aggregates.LINK_TABLES,
                                                       *aggregates.KIND_TABLES)}
    for event_id, guild, day, pcode, kind, dead in db.execute(
        "SELECT e.id, e.guild_id, e.event_date, e.township_pcode, e.event_type, e.fatalities"
        f" FROM events e WHERE {LIVE}"
    ):
        month = day[:7]
        for table, bucket in (("agg_kind_day", day), ("agg_kind_month", month)):
            key = (guild, bucket, region[pcode], kind)
            want[table][(*key, "n")] += 1
            want[table][(*key, "fatalities")] += dead or 0
            want[table][(*key, "with_fatalities")] += dead is not None
        for actor in actors.get(event_id, ()):
            want["agg_place_actor_day"][(guild, pcode, actor, day)] += 1
            want["agg_place_actor_month"][(guild, pcode, month, actor)] += 1
            want["agg_actor_place_month"][(guild, actor, month, pcode)] += 1
            want["agg_actor_day"][(guild, day, actor)] += 1
            want["agg_actor_month"][(guild, month, actor)] += 1
    return {t: +c for t, c in want.items()}  # drop zeros


def stored(db: Database) -> dict[str, Counter]:
    found: dict[str, Counter] = {}
    for table, keys in aggregates.LINK_TABLES.items():
        found[table] = +Counter({tuple(row[:-1]): row[-1] for row in db.execute(
            f"SELECT {', '.join(keys)}, n FROM {table}")})
    for table, keys in aggregates.KIND_TABLES.items():
        counter: Counter = Counter()
        for *key, n, dead, known in db.execute(
            f"SELECT {', '.join(keys)}, n, fatalities, with_fatalities FROM {table}"
        ):
            counter[(*key, "n")] += n
            counter[(*key, "fatalities")] += dead
            counter[(*key, "with_fatalities")] += known
        found[table] = +counter
    return found


def assert_counts_match(db: Database) -> None:
    want, have = recount(db), stored(db)
    for table in want:
        assert have[table] == want[table], table
    negative = [t for t in want if db.execute(f"SELECT 1 FROM {t} WHERE n < 0").fetchone()]
    assert not negative, negative


# --- the same questions, asked of the events --------------------------------------------------

def active_from_events(db: Database, guild: int, pcode: str, span: DateRange) -> list[dict]:
    return [dict(r) for r in db.query(
        "SELECT a.name AS actor, COUNT(DISTINCT e.id) AS events, MIN(e.event_date) AS first,"
        " MAX(e.event_date) AS last FROM events e JOIN event_actors ea ON ea.event_id = e.id"
        " JOIN actors a ON a.id = ea.actor_id WHERE e.guild_id = ? AND e.township_pcode = ?"
        f" AND e.event_date BETWEEN ? AND ? AND {LIVE} GROUP BY a.id"
        " ORDER BY events DESC, a.name", [guild, pcode, *bounds(span)])]


def places_from_events(db: Database, guild: int, actor_id: int, span: DateRange) -> list[dict]:
    return [dict(r) for r in db.query(
        "SELECT t.name AS township, t.pcode, t.state_region, COUNT(DISTINCT e.id) AS events,"
        " MIN(e.event_date) AS first, MAX(e.event_date) AS last FROM event_actors ea"
        " JOIN events e ON e.id = ea.event_id JOIN townships t ON t.pcode = e.township_pcode"
        f" WHERE ea.actor_id = ? AND e.guild_id = ? AND e.event_date BETWEEN ? AND ? AND {LIVE}"
        " GROUP BY t.pcode ORDER BY events DESC, t.name", [actor_id, guild, *bounds(span)])]


def summary_from_events(db: Database, guild: int, span: DateRange,
                        regions: list[str] | None) -> dict:
    where = f"e.guild_id = ? AND e.event_date BETWEEN ? AND ? AND {LIVE}"
    params: list[object] = [guild, *bounds(span)]
    if regions:
        where += (" AND e.township_pcode IN (SELECT pcode FROM townships WHERE state_region IN"
                  f" ({','.join('?' * len(regions))}))")
        params += regions
    total, dead, known = db.execute(f"SELECT COUNT(*), SUM(e.fatalities), COUNT(e.fatalities)"
                                    f" FROM events e WHERE {where}", params).fetchone()
    by_type = db.execute(f"SELECT e.event_type, COUNT(*) AS n FROM events e WHERE {where}"
                         " GROUP BY e.event_type ORDER BY n DESC, e.event_type",
                         params).fetchall()
    by_region = db.execute(
        f"SELECT t.state_region, COUNT(*) AS n FROM events e JOIN townships t ON t.pcode ="
        f" e.township_pcode WHERE {where} GROUP BY t.state_region ORDER BY n DESC,"
        " t.state_region", params).fetchall()
    top = db.execute(
        "SELECT a.name, COUNT(DISTINCT e.id) AS n FROM events e JOIN event_actors ea"
        f" ON ea.event_id = e.id JOIN actors a ON a.id = ea.actor_id WHERE {where}"
        " GROUP BY a.id ORDER BY n DESC, a.name LIMIT 10", params).fetchall()
    return {"total_events": total, "fatalities": dead or 0, "events_with_fatalities": known,
            "by_type": dict(by_type), "by_region": dict(by_region),
            "top_actors": [{"actor": a, "events": n} for a, n in top]}


def series_from_events(db: Database, guild: int, span: DateRange,
                       regions: list[str] | None) -> list[tuple]:
    marks = ",".join("?" * len(regions or []))
    where_region = (f" AND e.township_pcode IN (SELECT pcode FROM townships WHERE state_region"
                    f" IN ({marks}))") if regions else ""
    return sorted(db.execute(
        "SELECT e.event_date, e.event_type, COUNT(*) FROM events e WHERE e.guild_id = ?"
        f" AND e.event_date BETWEEN ? AND ? AND {LIVE}{where_region}"
        " GROUP BY e.event_date, e.event_type", [guild, *bounds(span), *(regions or [])]
    ).fetchall())


SPANS = [DateRange(None, None), DateRange(date(2023, 11, 1), date(2023, 11, 30)),
         DateRange(date(2023, 10, 31), date(2023, 12, 1)), DateRange(date(2023, 11, 2), None),
         DateRange(None, date(2023, 11, 15)), DateRange(date(2023, 11, 15), date(2023, 11, 15)),
         DateRange(date(2023, 10, 30), date(2024, 1, 2)),
         DateRange(date(2023, 12, 2), date(2023, 10, 1))]


def assert_answers_match(db: Database) -> None:
    for guild in (0, 1):
        for span in SPANS:
            for pcode in TOWNSHIPS:
                assert active(db, guild, pcode, span)["groups"] == \
                    active_from_events(db, guild, pcode, span)
            for (actor_id, name) in db.execute("SELECT id, name FROM actors WHERE guild_id = ?"
                                               " AND name IN (SELECT name FROM actors a JOIN"
                                               " event_actors ea ON ea.actor_id = a.id)",
                                               [guild]).fetchall():
                found = actor_activity(db, guild, name, span)
                want = places_from_events(db, guild, actor_id, span)
                assert found["townships"] == want
                assert found["total_events"] == sum(t["events"] for t in want)
            for region in (None, "Kayah", "Shan"):
                got = summarise(db, guild, span, region)
                want = summary_from_events(db, guild, span, got["regions"])
                assert {k: got[k] for k in want} == want
                assert sorted(aggregate_reads.day_kinds(db, guild, *bounds(span), got["regions"])) \
                    == series_from_events(db, guild, span, got["regions"])


# --- the random sequence -------------------------------------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated store with both guilds seeded, copied for each example (opening a new store
    seeds the gazetteer, which is too slow to do per example)."""
    path = tmp_path_factory.mktemp("aggregates") / "template.db"
    db = open_db(path)
    for guild in (0, 1):
        log_event(db, guild, NewEvent("2023-11-01", TOWNSHIPS[0], ["KNDF"], "Armed clash"),
                  by="setup", ref=REF)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def _acled_csv(rows: list[tuple[int, int, int, int, int]]) -> str:
    """ACLED rows (key, day, township, type, actor) as a CSV."""
    names = {"MMR002007": ("Mese", "Kayah"), "MMR002001": ("Loikaw", "Kayah"),
             "MMR005001": ("Sagaing", "Sagaing"), "MMR005002": ("Myinmu", "Sagaing"),
             "MMR013046": ("Hlaingtharya-East", "Yangon")}
    acled_types = {"Armed clash": "Battles", "Air/drone strike": "Explosions/Remote violence",
                   "Attack": "Violence against civilians", "Peaceful protest": "Protests"}
    out = io.StringIO()
    writer = csv.DictWriter(out, ACLED_COLUMNS)
    writer.writeheader()
    for key, day, place, kind, actor in rows:
        township, region = names[TOWNSHIPS[place]]
        sub = TYPES[kind]
        writer.writerow({c: "" for c in ACLED_COLUMNS} | {
            "event_id_cnty": f"MMR{key}", "event_date": DAYS[day].isoformat(),
            "time_precision": "1", "event_type": acled_types[sub], "sub_event_type": sub,
            "actor1": ["KNDF", "PDF", "KIA", "TNLA", "Karenni Army"][actor],
            "actor2": "Military Forces of Myanmar (2021-)", "admin1": region,
            "admin3": township, "fatalities": str(key % 3), "notes": f"row {key}"})
    return out.getvalue()


index = st.integers(0, 30)
operation = st.one_of(
    st.tuples(st.just("log"), st.integers(0, 1), st.sampled_from(DAYS),
              st.sampled_from(TOWNSHIPS), st.lists(st.sampled_from(ACTORS[:5]), min_size=1,
                                                   max_size=3, unique=True),
              st.booleans(), st.sampled_from(TYPES), st.sampled_from([None, 0, 4])),
    st.tuples(st.just("edit"), index, st.sampled_from(
        [("date", d.isoformat()) for d in DAYS] + [("township", t) for t in TOWNSHIPS]
        + [("actors", a) for a in ("PDF", "KIA, TNLA", "KNDF, Karenni Army")]
        + [("type", t) for t in TYPES] + [("fatalities", f) for f in ("", "0", "7")]
        + [("opponents", ""), ("opponents", "junta")])),
    st.tuples(st.just("delete"), index), st.tuples(st.just("restore"), index),
    st.tuples(st.just("merge"), index, index), st.tuples(st.just("undo"), index),
    st.tuples(st.just("actor-merge"), st.sampled_from(ACTORS[:5]),
              st.sampled_from(ACTORS[:5])),
    st.tuples(st.just("import"), st.integers(0, 1), st.lists(st.tuples(
        st.integers(1, 8), st.integers(0, len(DAYS) - 1), st.integers(0, len(TOWNSHIPS) - 1),
        st.integers(0, len(TYPES) - 1), st.integers(0, 4)), min_size=1, max_size=6,
        unique_by=lambda r: r[0]), st.integers(1, 3)),
    st.tuples(st.just("sql"), index, st.sampled_from(TOWNSHIPS), st.sampled_from(DAYS)),
)


def _event_id(db: Database, guild: int, n: int, where: str = "true") -> int | None:
    ids = [r[0] for r in db.execute(f"SELECT id FROM events WHERE guild_id = ? AND {where}"
                                    " ORDER BY id", [guild])]
    return ids[n % len(ids)] if ids else None


def apply(db: Database, op: tuple) -> None:
    kind, *args = op
    guild = args[0] % 2 if kind in ("delete", "restore", "undo", "edit", "merge") else 0
    if kind == "log":
        guild, day, pcode, names, opposed, sub, dead = args
        log_event(db, guild, NewEvent(day.isoformat(), pcode, names, sub,
                                      opponents=["junta"] if opposed else [],
                                      fatalities=dead), by="t", ref=REF)
    elif kind == "edit":
        event = _event_id(db, guild, args[0])
        field, value = args[1]
        edit_event(db, guild, event, {field: value}, by="t", reason="test", ref=REF)
    elif kind == "delete":
        delete_event(db, guild, _event_id(db, guild, args[0]), by="t", reason="test")
    elif kind == "restore":
        restore_event(db, guild, _event_id(db, guild, args[0], "deleted_at IS NOT NULL"),
                      by="t")
    elif kind == "merge":
        merge_events(db, guild, _event_id(db, guild, args[0]), _event_id(db, guild, args[1]),
                     by="t", reason="test")
    elif kind == "undo":
        undo_last_change(db, guild, _event_id(db, guild, args[0]), by="t")
    elif kind == "actor-merge":
        merge_actors(db, 0, args[0], args[1], by="t", reason="test")
    elif kind == "import":
        guild, rows, batch = args
        import_acled(db, guild, io.StringIO(_acled_csv(rows)), by="t", name="a.csv",
                     batch_size=batch)
    elif kind == "sql":  # a write from outside the product: the triggers still count it
        with transaction(db):
            db.execute("UPDATE events SET township_pcode = ?, event_date = ? WHERE id = ?",
                       [args[1], args[2].isoformat(), _event_id(db, 0, args[0])])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_counts_equal_a_recount_after_any_sequence_of_writes(template, tmp_path, ops):
    path = tmp_path / f"example-{abs(hash(tuple(map(str, ops))))}.db"
    shutil.copyfile(template, path)
    db = open_db(path)
    try:
        for op in ops:
            try:
                apply(db, op)
                event(f"{op[0]}: done")
            except SitrepError:  # a refused write changes nothing, which the recount checks
                event(f"{op[0]}: refused")
            assert_counts_match(db)
        assert_answers_match(db)
    finally:
        db.close()
        path.unlink()


# --- the pieces -----------------------------------------------------------------------------

def test_split_into_whole_months_and_edge_days():
    s = aggregate_reads.split("2023-01-15", "2023-04-10")
    assert s.months == ("2023-02", "2023-03")
    assert s.days == (("2023-01-15", "2023-01-31"), ("2023-04-01", "2023-04-10"))
    assert aggregate_reads.split("2023-02-01", "2024-02-29").days == ()
    assert aggregate_reads.split("2023-02-01", "2023-02-28").months == ("2023-02", "2023-02")
    assert aggregate_reads.split("2024-02-01", "2024-02-28").days == (("2024-02-01", "2024-02-28"),)
    assert aggregate_reads.split("0000-01-01", "9999-12-31").months == ("0000-01", "9999-12")
    assert aggregate_reads.split("2023-12-05", "2024-01-03").days == (("2023-12-05", "2024-01-03"),)
    assert aggregate_reads.split("2023-12-01", "2023-11-01").days == ()


def test_migration_counts_an_existing_archive(db):
    for day in DAYS[:3]:
        log_event(db, 0, NewEvent(day.isoformat(), "Mese", ["KNDF", "PDF"], "Armed clash",
                                  opponents=["junta"], fatalities=2), by="t", ref=REF)
    with transaction(db):
        aggregates.rebuild(db)
    assert_counts_match(db)
    assert stored(db)["agg_kind_month"][(0, "2023-10", "Kayah", "Battles", "fatalities")] == 4


def test_a_rolled_back_bulk_write_leaves_the_triggers_on(db):
    with pytest.raises(RuntimeError), transaction(db), aggregates.paused(db):
        raise RuntimeError("crash mid-batch")
    assert db.execute("SELECT COUNT(*) FROM agg_pause").fetchone()[0] == 0
    log_event(db, 0, NewEvent("2023-11-01", "Mese", ["KNDF"], "Armed clash"), by="t", ref=REF)
    assert_counts_match(db)


def trend_from_events(db: Database, guild: int, day: date, known_by: str) -> dict:
    start, end = (day - timedelta(days=34)).isoformat(), day.isoformat()
    rows = db.execute(
        "SELECT t.state_region, SUM(e.event_date >= ?), SUM(e.event_date <= ?) FROM events e"
        " JOIN townships t ON t.pcode = e.township_pcode WHERE e.guild_id = ? AND"
        f" e.event_date BETWEEN ? AND ? AND {LIVE} AND e.date_precision < 3"
        " AND e.logged_at < ? GROUP BY t.state_region",
        [(day - timedelta(days=6)).isoformat(), (day - timedelta(days=7)).isoformat(), guild,
         start, end, known_by]).fetchall()
    return {r: (a, b) for r, a, b in rows}


@pytest.mark.parametrize("late_limit", [digest.LATE_LIMIT, 1])
def test_the_digest_trend_from_counts_equals_the_trend_from_events(db, monkeypatch,
                                                                   late_limit):
    """Month-precision events and events logged after the cut-off are taken out of the day
    counts exactly; an old day (many logged since) counts from the events."""
    monkeypatch.setattr(digest, "LATE_LIMIT", late_limit)
    for n, (when, pcode) in enumerate([("2023-11-01", "Mese"), ("Nov 2023", "Loikaw"),
                                       ("2023-11-20", "Sagaing"), ("Dec 2023", "Mese"),
                                       ("2023-12-01", "Myinmu"), ("2023-12-03", "Mese"),
                                       ("2023-11-28", "Loikaw"), ("week of 27 Nov 2023",
                                                                  "Mese")]):
        event = log_event(db, 0, NewEvent(when, pcode, ["KNDF"], "Armed clash"), by="t",
                          ref=REF)
        db.execute("UPDATE events SET logged_at = ? WHERE id = ?",
                   [f"2023-12-{1 + n % 6:02d}T10:00:00+00:00", event.id])
    delete_event(db, 0, event.id, by="t", reason="test")
    for day in (date(2023, 12, 3), date(2023, 12, 1), date(2023, 11, 30)):
        for cut in ("2023-12-02T00:00:00+00:00", "2023-12-04T00:00:00+00:00",
                    "2023-11-01T00:00:00+00:00"):
            start, end = (day - timedelta(days=34)).isoformat(), day.isoformat()
            found = digest._trend_counts(db, 0, start, (day - timedelta(days=6)).isoformat(),
                                         (day - timedelta(days=7)).isoformat(), end, cut)
            assert {r: tuple(c) for r, c in found.items() if any(c)} == \
                trend_from_events(db, 0, day, cut)


def test_a_bulk_write_restores_the_insert_triggers_exactly(db):
    def triggers() -> list[tuple[str, str]]:
        return db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                          " ORDER BY name").fetchall()

    before = triggers()
    with transaction(db), aggregates.paused(db):
        names = {n for n, _ in triggers()}
        assert not names & set(aggregates.INSERT_TRIGGERS)  # no per-row WHEN while paused
    assert triggers() == before
    log_event(db, 0, NewEvent("2023-11-01", "Mese", ["KNDF"], "Armed clash"), by="t", ref=REF)
    assert_counts_match(db)


def test_batch_counts_equal_a_recount(db):
    log_event(db, 0, NewEvent("2023-10-02", "Mese", ["KNDF"], "Armed clash", fatalities=1),
              by="t", ref=REF)
    counts = aggregates.BatchCounts()
    pcode, region = db.execute("SELECT pcode, state_region FROM townships LIMIT 1").fetchone()
    one, two = (i for (i,) in db.execute("SELECT id FROM actors WHERE guild_id = 0 LIMIT 2"))
    rows = [("2023-10-02", "Battles", 3, {one, two}), ("2023-10-30", "Battles", None, {two}),
            ("2023-10-02", "Battles", 0, {one}), ("2023-11-02", "Protests", None, set())]
    with transaction(db), aggregates.paused(db):
        (top,) = db.execute("SELECT MAX(id) FROM events").fetchone()
        for event_id, (day, kind, dead, actors) in enumerate(rows, start=top + 1):
            db.execute("INSERT INTO events (id, guild_id, event_date, date_precision,"
                       " township_pcode, event_type, fatalities) VALUES (?, 0, ?, 1, ?, ?, ?)",
                       [event_id, day, pcode, kind, dead])
            for actor in actors:
                db.execute("INSERT INTO event_actors VALUES (0, ?, ?, 'actor')",
                           [event_id, actor])
            counts.add(0, day, pcode, region, kind, dead, actors)
        counts.write(db)
    assert_counts_match(db)
