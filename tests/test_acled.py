"""ACLED import and export, on the core: the report, idempotence, updates, the round trip,
crashes mid-import and isolation between teams."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import log
from sqlite_utils import Database

from bot.acled import ACLED_COLUMNS, EXPORT_COLUMNS, native_key, store_id
from bot.acled_export import export_rows, write_export
from bot.acled_import import _Import, import_acled
from bot.acled_rows import ImportReport
from bot.actors import ensure_guild, find_actor
from bot.corrections import edit_event
from bot.dates import DateRange
from bot.db import open_db
from bot.errors import InvalidInput, NotFound
from bot.events import get_event
from bot.history import history, undo_last_change
from bot.queries import search

FIXTURE = Path(__file__).parent / "fixtures" / "acled_myanmar.csv"
TEXT = FIXTURE.read_text(encoding="utf-8")
GOOD = 20
SKIPPED_LINES = [7, 8, 9, 17, 18, 26, 29, 30, 31, 32, 33]
TABLES = ("events", "event_actors", "sources", "acled_rows", "audit_log", "actors",
          "actor_aliases", "events_fts")


def imported(db: Database, text: str = TEXT, guild: int = 0, **kw: object) -> ImportReport:
    return import_acled(db, guild, io.StringIO(text), by="tester", name="acled.csv", **kw)


def event_of(db: Database, key: str, guild: int = 0):
    (event_id,) = db.execute("SELECT event_id FROM acled_rows WHERE guild_id = ? AND "
                             "event_id_cnty = ?", [guild, key]).fetchone()
    return get_event(db, guild, event_id)


def counts(db: Database) -> dict[str, int]:
    return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def exported(db: Database, guild: int = 0, **filters: object) -> list[dict[str, str]]:
    out = io.StringIO()
    write_export(export_rows(db, guild, **filters), out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_the_fixture_imports_with_a_correct_report(db):
    report = imported(db)
    assert (report.rows_read, report.inserted, report.updated, report.unchanged) == (31, GOOD,
                                                                                      0, 0)
    assert [s.line for s in report.skipped] == SKIPPED_LINES
    reasons = {s.line: s.reason for s in report.skipped}
    assert "31 February 2023" in reasons[7] and "Skirmish" in reasons[8]
    assert "Atlantis" in reasons[9] and "event_id_cnty is empty" in reasons[17]
    assert "8 fields" in reasons[18] and "Za Bu Thi Ri" in reasons[26]  # a suggestion
    assert "several" in reasons[29] and "repeats line 4" in reasons[30]
    assert "Hlaingtharya (East)" in reasons[31] and "not a full date" in reasons[32]
    assert "both sides" in reasons[33]
    assert report.unmatched_townships == {"Atlantis (Kayah)": 1, "Zabuthiri (Nay Pyi Taw)": 1,
                                          "Hlaingtharya (Yangon)": 1}
    assert report.unmatched_actors["Civilians (Myanmar)"] == 5
    assert sorted(report.created_actors) == sorted(report.unmatched_actors) == [
        "Civilians (Myanmar)", "PNLO: Pa-O National Liberation Organization",
        "Protesters (Myanmar)", "Rioters (Myanmar)", "Unidentified Armed Group (Myanmar)"]
    assert counts(db)["events"] == GOOD == counts(db)["acled_rows"] == counts(db)["events_fts"]


def test_rows_become_the_events_acled_describes(db):
    imported(db)
    mese = event_of(db, "MMR60001")
    assert (mese.date, mese.date_precision, mese.pcode) == ("2023-11-07", "day", "MMR002007")
    assert mese.event_type == "Battles" and mese.fatalities == 0 and mese.location == "Mese"
    assert set(mese.actors) == {"Karenni Army", "Karenni National People's Liberation Front",
                                "Karenni Nationalities Defense Force", "People's Defence Force"}
    assert mese.opponents == ["Tatmadaw"] and mese.sources == []
    # ACLED's name for KNPLF was known only by its halves; it is an alias now
    found = find_actor(db, 0, "KNPLF: Karenni National People's Liberation Front")
    assert found is not None and found.name == "Karenni National People's Liberation Front"
    civilians = db.execute("SELECT needs_review FROM actors WHERE name = ?",
                           ["Civilians (Myanmar)"]).fetchone()
    assert civilians == (1,)
    assert event_of(db, "MMR60002").date == "2023-11-08"  # "08 November 2023"
    assert event_of(db, "MMR60010").pcode == "MMR013046"  # ACLED's "Hlaingtharya-East"
    assert event_of(db, "MMR60009").pcode == "MMR008002"  # admin1 "Bago-West"
    assert event_of(db, "MMR60008").pcode == "MMR010001"  # no admin3: location Mandalay
    week, month = event_of(db, "MMR60006"), event_of(db, "MMR60007")
    assert (week.date, week.date_precision) == ("2023-11-13", "week")  # Monday of 15 Nov
    assert (month.date, month.date_precision) == ("2023-11-01", "month")
    demoso = event_of(db, "MMR60017")
    assert demoso.fatalities is None and "\nnear Demoso" in demoso.notes  # unknown, not 0
    assert event_of(db, "MMR60020").location == "မြစ်ကြီးနား"


def test_each_imported_event_is_audited_with_its_state(db):
    imported(db)
    event = event_of(db, "MMR60003")
    (entry,) = history(db, 0, event.id)
    assert entry["action"] == "import" and entry["by"] == "tester"
    assert entry["after"] == event.to_json() and entry["before"] is None
    assert entry["reason"] == "acled.csv line 4 (MMR60003)"
    undone = undo_last_change(db, 0, event.id, by="tester")
    assert undone.deleted  # undoing an import takes the event out, like undoing a log


def test_importing_twice_changes_nothing(db):
    first = imported(db)
    before = counts(db)
    again = imported(db)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, GOOD)
    assert [s.line for s in again.skipped] == [s.line for s in first.skipped]
    assert again.created_actors == [] and counts(db) == before


def test_a_revised_row_updates_its_event_and_says_what_changed(db):
    imported(db)
    revised = TEXT.replace("12 fatalities reported.\",12,", "14 fatalities reported.\",14,")
    report = imported(db, revised)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, GOOD - 1)
    event = event_of(db, "MMR60003")
    assert event.fatalities == 14 and event.notes.endswith("14 fatalities reported.")
    last = history(db, 0, event.id)[-1]
    assert last["action"] == "import-update" and "fatalities, notes" in last["reason"]
    assert undo_last_change(db, 0, event.id, by="tester").fatalities == 12


def test_a_local_correction_stays_until_acled_revises_the_row(db):
    imported(db)
    event = event_of(db, "MMR60003")
    edit_event(db, 0, event.id, {"fatalities": "13"}, by="ed", reason="second report")
    assert imported(db).unchanged == GOOD
    assert get_event(db, 0, event.id).fatalities == 13
    report = imported(db, TEXT.replace("reported.\",12,", "reported.\",15,"))
    assert report.updated == 1 and report.overwritten == [event.id]
    assert get_event(db, 0, event.id).fatalities == 15


def test_acled_only_columns_count_as_a_change_too(db):
    imported(db)
    report = imported(db, TEXT.replace("Subnational,\"On 8 November", "National,\"On 8 November"))
    assert report.updated == 1
    assert "source_scale" in history(db, 0, event_of(db, "MMR60002").id)[-1]["reason"]


def test_export_gives_back_acleds_columns_as_imported(db):
    imported(db)
    rows = {r["event_id_cnty"]: r for r in exported(db)}
    source = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(TEXT))}
    assert len(rows) == GOOD
    for key, row in rows.items():
        original = dict(source[key])
        if " " in original["event_date"]:  # "08 November 2023" goes out as ISO
            original["event_date"] = event_of(db, key).date
        assert {c: row[c] for c in ACLED_COLUMNS} == {c: original[c] for c in ACLED_COLUMNS}


def test_export_then_import_into_an_empty_store_gives_the_same_events(db, tmp_path):
    imported(db)
    log(db, notes="Logged in sitrep, never in ACLED.", fatalities=3)
    first = exported(db)
    assert len(first) == GOOD + 1 and list(first[0]) == list(EXPORT_COLUMNS)
    text = io.StringIO()
    write_export(export_rows(db, 0), text)
    other = open_db(tmp_path / "other.db")
    report = import_acled(other, 9, io.StringIO(text.getvalue()), by="someone else")
    assert (report.inserted, report.skipped) == (GOOD + 1, [])
    again = exported(other, 9)

    def same(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{k: v for k, v in r.items() if k != "sitrep_id"} for r in rows]

    assert same(again) == same(first)
    by_key = {r["event_id_cnty"]: r["sitrep_id"] for r in first}
    for row in again:
        a = get_event(db, 0, int(by_key[row["event_id_cnty"]])).to_json()
        b = get_event(other, 9, int(row["sitrep_id"])).to_json()
        assert {**a, "id": 0} == {**b, "id": 0}
    other.close()


def test_reimporting_an_export_into_its_own_store_changes_nothing(db):
    imported(db)
    native = log(db)
    text = io.StringIO()
    write_export(export_rows(db, 0), text)
    before = counts(db)
    report = imported(db, text.getvalue())
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, GOOD + 1)
    assert counts(db) == before
    key = native_key(store_id(db), native.id)
    rows = list(csv.DictReader(io.StringIO(text.getvalue())))
    row = next(r for r in rows if r["event_id_cnty"] == key)
    row["fatalities"] = "7"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    report = imported(db, out.getvalue())
    assert report.updated == 1 and get_event(db, 0, native.id).fatalities == 7


def test_an_edited_event_exports_what_the_record_now_says(db):
    imported(db)
    event = event_of(db, "MMR60003")
    edit_event(db, 0, event.id, {"township": "Lashio", "opponents": "junta, Pyu Saw Htee"},
               by="ed", reason="checked")
    row = next(r for r in exported(db) if r["event_id_cnty"] == "MMR60003")
    assert (row["admin1"], row["admin2"], row["admin3"]) == ("Shan-North", "Lashio", "Lashio")
    assert {row["actor2"], row["assoc_actor_2"]} == {"Tatmadaw", "Pyu Saw Htee"}  # derived
    assert row["actor1"] == "TNLA: Ta'ang National Liberation Army"  # untouched: ACLED's
    assert row["inter1"] == "2" and row["source"] == "Irrawaddy; Shan Herald Agency for News"


def test_export_filters(db):
    imported(db)
    assert {r["event_id_cnty"] for r in exported(db, township="Mese")} == {"MMR60001"}
    kia = {r["event_id_cnty"] for r in exported(db, actor="KIA")}
    assert kia == {"MMR60006", "MMR60016", "MMR60020"}
    early = exported(db, span=DateRange(date(2023, 10, 1), date(2023, 11, 2)))
    assert [r["event_id_cnty"] for r in early] == ["MMR60003", "MMR60007", "MMR60018",
                                                    "MMR60015"]  # by date, then id
    with pytest.raises(NotFound):
        export_rows(db, 0, actor="nobody at all")


def test_json_export_holds_the_same_rows(db):
    imported(db)
    out = io.StringIO()
    assert write_export(export_rows(db, 0), out, "json") == GOOD
    rows = json.loads(out.getvalue())
    assert rows == exported(db)


def test_a_crash_mid_import_leaves_no_half_batch_and_a_rerun_completes(db, monkeypatch):
    calls = {"n": 0}
    real = _Import._many

    def crash_in_third_batch(self, sql: str, params):  # after the events, before their rows
        if sql.startswith("INSERT INTO acled_rows"):
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("power cut")
        real(self, sql, params)

    monkeypatch.setattr(_Import, "_many", crash_in_third_batch)
    with pytest.raises(RuntimeError, match="power cut"):
        imported(db, batch_size=5)
    monkeypatch.setattr(_Import, "_many", real)
    stored = counts(db)
    assert stored["events"] == stored["acled_rows"] == stored["events_fts"] == 10
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'import-batch'"
                      ).fetchone()[0] == 2  # one audit row per whole batch
    assert db.execute("SELECT COUNT(*) FROM acled_rows r JOIN audit_log a"
                      " ON a.id = r.import_audit_id").fetchone()[0] == 10
    assert db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_ai'"
                      ).fetchone()[0] == 1  # the full-text trigger came back with the rollback
    report = imported(db, batch_size=5)
    assert (report.inserted, report.unchanged) == (GOOD - 10, 10)
    assert counts(db)["events"] == GOOD == counts(db)["events_fts"]


def test_full_text_search_finds_imported_notes_and_new_logs_still_index(db):
    imported(db, batch_size=3)
    assert search(db, 0, "Chinshwehaw").total == 1
    log(db, notes="A unique word: zebrafish.")
    assert search(db, 0, "zebrafish").total == 1
    db.execute("INSERT INTO events_fts (events_fts) VALUES ('integrity-check')")


def test_teams_are_isolated(db):
    imported(db, guild=1)
    report = imported(db, guild=2)
    assert report.inserted == GOOD  # the same ACLED rows are team 2's own events
    assert len(exported(db, 2)) == GOOD and len(exported(db, 3)) == 0
    theirs = log(db, guild_id=1)
    forged = TEXT.replace("MMR60001,", f"{native_key(store_id(db), theirs.id)},", 1)
    report = imported(db, forged, guild=2)
    assert report.inserted == 1  # another team's key is just a key, not a way into its events
    assert get_event(db, 1, theirs.id).to_json() == theirs.to_json()
    names = db.execute("SELECT COUNT(*) FROM actors WHERE name = 'Civilians (Myanmar)'")
    assert names.fetchone()[0] == 2  # one per team


def test_a_file_that_is_not_acleds_is_refused_before_anything_is_written(db, tmp_path):
    ensure_guild(db, 0)  # the team's seed actors are not the import's doing
    before = counts(db)
    with pytest.raises(InvalidInput, match="no event_id_cnty, event_date, actor1"):
        imported(db, "id,date,actor\n1,2023-11-07,PDF\n")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(TEXT.splitlines()[0].encode() + b"\nMMR1,07 Novembre 2023,\xe9\n")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        import_acled(db, 0, bad, by="tester")
    with pytest.raises(InvalidInput, match=r"upload\.csv is not UTF-8 text\. Save"):
        import_acled(db, 0, bad.read_bytes(), by="tester")  # an attachment, as bytes
    with pytest.raises(InvalidInput, match="Cannot read"):
        import_acled(db, 0, tmp_path / "missing.csv", by="tester")
    assert counts(db) == before


def test_a_file_read_by_a_second_process_imports_as_one_read_here(db, tmp_path):
    """``elsewhere_bytes=0`` sends every file to the reading process: the same report (skips
    by line, unmatched names, ignored columns) and the same store as reading in-process."""
    here = imported(db, batch_size=4)
    other = open_db(tmp_path / "other.db")
    there = import_acled(other, 0, FIXTURE, by="tester", name="acled.csv", batch_size=4,
                         elsewhere_bytes=0)
    assert {**there.to_json(), "seconds": 0} == {**here.to_json(), "seconds": 0}
    assert here.skipped and here.unmatched_townships and here.unmatched_actors

    def events(store: Database) -> list[dict[str, str]]:  # logged at the moment of import
        return [{k: v for k, v in row.items() if k != "sitrep_logged_at"}
                for row in exported(store)]

    assert events(other) == events(db)
    as_bytes = import_acled(open_db(tmp_path / "third.db"), 0, FIXTURE.read_bytes(),
                            by="tester", name="acled.csv", batch_size=4, elsewhere_bytes=0)
    assert {**as_bytes.to_json(), "seconds": 0} == {**here.to_json(), "seconds": 0}


def test_a_second_process_refuses_as_reading_here_does(db, tmp_path):
    ensure_guild(db, 0)
    before = counts(db)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,date,actor\n1,2023-11-07,PDF\n")
    with pytest.raises(InvalidInput, match="no event_id_cnty, event_date, actor1"):
        import_acled(db, 0, wrong, by="tester", elsewhere_bytes=0)
    assert counts(db) == before
    # a byte that is not UTF-8 after the first batch: that batch is kept, and said so
    bad = tmp_path / "late.csv"
    bad.write_bytes(FIXTURE.read_bytes() + b"MMR99,07 Novembre 2023,\xe9\n")
    with pytest.raises(InvalidInput, match=r"late\.csv is not UTF-8 text \(at or after line"
                                           r" \d+\)\. .*rows stored so far will be recognised"):
        import_acled(db, 0, bad, by="tester", batch_size=4, elsewhere_bytes=0)
    stored = counts(db)["events"] - before["events"]
    assert 0 < stored < GOOD
    rerun = imported(db)  # what the first batches stored is recognised, the rest completed
    assert (rerun.unchanged, rerun.inserted) == (stored, GOOD - stored)


def test_progress_is_reported_after_each_batch(db):
    seen: list[tuple[int, float]] = []
    import_acled(db, 0, FIXTURE, by="tester", batch_size=4, progress=lambda r, f: seen.append(
        (r, f)))
    assert len(seen) == 6 and seen[-1] == (31, 1.0)
    assert [r for r, _ in seen] == sorted(r for r, _ in seen)


def test_datasette_finds_the_full_text_index(db_path, db):
    imported(db)
    assert Database(db_path)["events"].detect_fts() == "events_fts"


def test_townships_by_p_code_where_the_file_has_one(db):
    header, mese = TEXT.splitlines()[:2]
    by_code = mese.replace("MMR60001,", "MMR1,").replace(",Bawlake,Mese,Mese,",
                                                         ",Bawlake,MMR002003,Mese,")
    column = (header + ",admin3_pcode\n" + mese.replace("MMR60001,", "MMR2,")
              .replace(",Bawlake,Mese,", ",Bawlake,Nowhere,") + ",MMR002004\n")
    assert imported(db, f"{header}\n{by_code}\n").inserted == 1
    assert imported(db, column).inserted == 1
    assert event_of(db, "MMR1").township == "Hpruso"  # the code wins over the location
    assert event_of(db, "MMR2").township == "Shadaw"  # and over admin3's name


def test_a_key_repeated_in_a_later_batch_is_skipped_and_the_report_stays_in_line_order(db):
    header, first = TEXT.splitlines()[:2]
    text = "\n".join([header, first, *TEXT.splitlines()[2:], first]) + "\n"
    last = len(text.splitlines())
    report = imported(db, text, batch_size=2)  # the repeat is many batches after its first
    assert (report.inserted, report.skipped[-1].line) == (GOOD, last)
    assert report.skipped[-1].reason == "event_id_cnty MMR60001 repeats line 2."
    lines = [s.line for s in report.skipped]
    assert lines == sorted(lines) == [*SKIPPED_LINES, last]
    assert report.unmatched_actors == imported(db, batch_size=2).unmatched_actors  # not twice
    assert db.execute("SELECT COUNT(*) FROM sqlite_temp_master").fetchone()[0] == 0


def test_a_batch_that_rolls_back_forgets_its_keys(db, monkeypatch):
    real = _Import._many

    def crash_once(self, sql: str, params):
        if sql.startswith("INSERT INTO acled_rows"):
            monkeypatch.setattr(_Import, "_many", real)
            raise RuntimeError("power cut")
        real(self, sql, params)

    monkeypatch.setattr(_Import, "_many", crash_once)
    with pytest.raises(RuntimeError):
        imported(db, batch_size=5)
    assert db.execute("SELECT COUNT(*) FROM sqlite_temp_master").fetchone()[0] == 0
    report = imported(db, batch_size=5)
    assert (report.inserted, len(report.skipped)) == (GOOD, len(SKIPPED_LINES))


def test_an_actor_the_import_creates_is_reused_by_later_rows_and_batches(db):
    report = imported(db, batch_size=2)
    created = db.execute("SELECT id, name FROM actors WHERE name = 'Civilians (Myanmar)'"
                         ).fetchall()
    assert len(created) == 1 and report.created_actors.count("Civilians (Myanmar)") == 1
    linked = db.execute("SELECT COUNT(DISTINCT event_id) FROM event_actors WHERE actor_id = ?",
                        [created[0][0]]).fetchone()[0]
    assert linked == report.unmatched_actors["Civilians (Myanmar)"] == 5
