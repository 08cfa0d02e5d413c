"""When digests are due (pure functions of a clock reading) and the claims that make each
(guild, local day) post exactly once."""

from __future__ import annotations

import socket
import subprocess
import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import digest_schedule as ds
from bot import guild_settings
from bot.db import open_db

YANGON = ZoneInfo("Asia/Yangon")
DAY = date(2023, 11, 10)
SCHEDULE = ds.Schedule(guild_id=1, channel_id=99, zone="Asia/Yangon", at=time(8, 0),
                       max_late_days=3, since=None)


def yangon(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=YANGON)


def days(found: list[ds.Due]) -> list[tuple[date, bool]]:
    return [(d.day, d.late) for d in found]


def test_a_day_is_due_from_its_slot_the_next_morning():
    eleventh = DAY + timedelta(days=1)
    assert ds.slot(DAY, SCHEDULE) == yangon(eleventh, 8).astimezone(UTC)
    before = ds.due_days(yangon(eleventh, 7, 59, 59), SCHEDULE, {})
    assert days(before)[-1] == (DAY - timedelta(days=1), True)  # not yet the 10th
    on_time = ds.due_days(yangon(eleventh, 8), SCHEDULE, {})
    assert days(on_time)[-1] == (DAY, False)
    assert ds.next_slot(yangon(eleventh, 7), SCHEDULE) == yangon(eleventh, 8)


def test_catch_up_reaches_back_max_late_days_and_marks_late():
    now = yangon(DAY + timedelta(days=7), 9)  # a week offline
    found = ds.due_days(now, SCHEDULE, {})
    assert days(found) == [(date(2023, 11, 14), True), (date(2023, 11, 15), True),
                           (date(2023, 11, 16), True)]
    none_late = ds.Schedule(**{**SCHEDULE.__dict__, "max_late_days": 0})
    assert ds.due_days(now, none_late, {}) == []
    assert days(ds.due_days(yangon(DAY + timedelta(days=1), 8, 10), none_late, {})) == [
        (DAY, False)]


def test_days_before_the_digest_was_switched_on_are_never_caught_up():
    since = yangon(DAY, 10).astimezone(UTC)  # configured after the 10 Nov slot
    schedule = ds.Schedule(**{**SCHEDULE.__dict__, "since": since})
    assert ds.due_days(yangon(DAY, 12), schedule, {}) == []
    assert days(ds.due_days(yangon(DAY + timedelta(days=1), 8), schedule, {})) == [(DAY, False)]


def test_runs_decide_what_is_claimable():
    now = yangon(DAY + timedelta(days=1), 8, 1)
    posted = ds.Run(1, DAY, "posted")
    live = ds.Run(1, DAY, "claimed", lease_until=now + timedelta(minutes=1))
    stale = ds.Run(1, DAY, "claimed", lease_until=now - timedelta(seconds=1))
    waiting = ds.Run(1, DAY, "failed", retry_at=now + timedelta(minutes=5))
    released = ds.Run(1, DAY, "released")

    def due_today(run: ds.Run, force: bool = False) -> bool:
        return DAY in [d.day for d in ds.due_days(now, SCHEDULE, {DAY: run}, force=force)]

    assert due_today(stale) and due_today(released) and due_today(waiting, force=True)
    assert not any(due_today(r) for r in (posted, live, waiting))
    assert not due_today(posted, force=True)


@pytest.fixture
def scheduled(db):
    guild_settings.save(db, 1, by="t", digest_channel=99, now=yangon(DAY, 9))
    return db


def test_claim_then_post_is_final(scheduled):
    db = scheduled
    now = yangon(DAY + timedelta(days=1), 8, 0, 20)
    [due] = ds.due(db, now)
    claim = ds.claim(db, due, "a", now)
    assert claim is not None
    assert ds.claim(db, due, "b", now) is None  # held
    assert ds.due(db, now) == []
    assert ds.record_part(db, claim, 0, 555, 2, now)
    assert ds.get_run(db, 1, DAY).state == "claimed"  # one of two parts
    assert ds.record_part(db, claim, 1, 556, 2, now)
    run = ds.get_run(db, 1, DAY)
    assert (run.state, run.message_ids) == ("posted", [555, 556])
    assert ds.claim(db, due, "b", now + timedelta(days=1)) is None
    assert ds.last_posted(db, 1).day == DAY


def test_two_processes_racing_for_a_claim_one_wins(db_path, scheduled):
    now = yangon(DAY + timedelta(days=1), 8, 0, 20)
    [due] = ds.due(scheduled, now)
    barrier = threading.Barrier(8)
    results: list[object] = []

    def racer(name: str) -> None:
        db = open_db(db_path)  # its own connection, as another process would have
        barrier.wait()
        results.append(ds.claim(db, due, name, now))
        db.close()

    threads = [threading.Thread(target=racer, args=(f"p{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if r is not None]
    assert len(results) == 8 and len(winners) == 1
    assert ds.get_run(scheduled, 1, DAY).holder == winners[0].holder


def test_a_stale_claim_of_a_killed_process_is_taken_over_after_its_lease(scheduled):
    db = scheduled
    now = yangon(DAY + timedelta(days=1), 8, 0, 20)
    [due] = ds.due(db, now)
    dead = ds.claim(db, due, "killed-process", now)
    assert ds.due(db, now + ds.LEASE - timedelta(seconds=1)) == []  # it might still post
    later = now + ds.LEASE
    [again] = ds.due(db, later)
    claim = ds.claim(db, again, "restarted", later)
    assert claim is not None and claim.day == DAY
    assert not ds.record_part(db, dead, 0, 1, 1, later)  # the old holder cannot finish it
    assert ds.get_run(db, 1, DAY).attempts == 2


def test_a_claim_of_a_process_gone_from_this_host_is_taken_over_at_once(scheduled):
    db = scheduled
    gone = subprocess.Popen(["true"])
    gone.wait()
    now = yangon(DAY + timedelta(days=1), 8, 0, 20)
    [due] = ds.due(db, now)
    ds.claim(db, due, f"{socket.gethostname()}:{gone.pid}:abcd", now)
    assert [d.day for d in ds.due(db, now)] == [DAY]  # no lease wait after a kill -9
    assert ds.claim(db, due, "restarted", now) is not None
    alive = ds.new_holder()  # this very process: still alive, so its claim holds
    ds.release_held(db, "restarted")
    ds.claim(db, due, alive, now)
    assert ds.due(db, now) == [] and not ds.holder_gone(alive)
    assert not ds.holder_gone(f"another-host:{gone.pid}:abcd")


def test_a_failed_post_releases_the_claim_and_retries_later(scheduled):
    db = scheduled
    now = yangon(DAY + timedelta(days=1), 8, 0, 20)
    [due] = ds.due(db, now)
    claim = ds.claim(db, due, "a", now)
    assert ds.release(db, claim, now, "The digest channel (99) no longer exists.")
    run = ds.get_run(db, 1, DAY)
    assert run.state == "failed" and "no longer exists" in run.error
    assert ds.due(db, now + timedelta(minutes=1)) == []
    assert ds.claim(db, due, "a", now + timedelta(minutes=1), force=True) is not None
    status = ds.status(db, 1, now)
    assert status["failures"] == []  # claimed again
    assert ds.release(db, ds.Claim(1, DAY, "a", 99, False, 0), now, "again")
    status = ds.status(db, 1, now)
    assert status["failures"][0]["error"] == "again"
    assert status["last_posted"] is None and status["active"]
    later = now + ds.RETRY_AFTER
    assert [d.day for d in ds.due(db, later)] == [DAY]


def test_a_retry_continues_after_the_parts_already_posted(scheduled):
    db = scheduled
    now = yangon(DAY + timedelta(days=1), 8, 0, 20)
    [due] = ds.due(db, now)
    claim = ds.claim(db, due, "a", now)
    ds.record_part(db, claim, 0, 555, 3, now)
    ds.release(db, claim, now, "Discord refused the message (500).")
    retry = ds.claim(db, due, "b", now, force=True)
    assert retry.parts_posted == 1
    ds.record_part(db, retry, 1, 556, 3, now)
    ds.record_part(db, retry, 2, 557, 3, now)
    assert ds.get_run(db, 1, DAY).message_ids == [555, 556, 557]


def test_shutdown_releases_unposted_claims_for_an_immediate_retry(scheduled):
    db = scheduled
    now = yangon(DAY + timedelta(days=1), 8, 0, 20)
    [due] = ds.due(db, now)
    ds.claim(db, due, "me", now)
    assert ds.release_held(db, "me") == 1
    assert ds.get_run(db, 1, DAY).state == "released"
    assert [d.day for d in ds.due(db, now)] == [DAY]


def test_nonce_is_stable_per_part():
    c = ds.Claim(1, DAY, "a", 99, False, 0)
    assert ds.nonce(c, 0) == ds.nonce(ds.Claim(1, DAY, "b", 98, True, 1), 0)
    assert ds.nonce(c, 0) != ds.nonce(c, 1)
    assert 0 < ds.nonce(c, 0) < 2**56
