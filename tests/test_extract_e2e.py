"""/extract and "Extract events" through the real discord.py client against the loopback
Discord: an article in, one card per proposal, each confirmed, fixed or skipped by the invoker."""

from __future__ import annotations

import asyncio
import sys

import pytest
from conftest import SHARED
from test_bot_e2e import MESE, slash

from bot.db import open_db
from bot.events import Event, get_event
from bot.history import history
from bot.loopback.models import snowflake
from bot.loopback.records import Message
from cogs import extract as extract_cog

pytestmark = pytest.mark.e2e

SEED = (SHARED / "articles" / "00_seed.txt").read_text(encoding="utf-8")
SEED_URL = SEED.splitlines()[0].removeprefix("url:").strip()
# The seed article's sentence about Nawnghkio, on its own: a short article with one event.
NAWNGHKIO = next(line for line in SEED.splitlines() if "Nawnghkio" in line)


def stored(db_path, guild_id: int) -> list[Event]:
    db = open_db(db_path)
    try:
        ids = [r[0] for r in db.execute("SELECT id FROM events WHERE guild_id = ? ORDER BY id",
                                        [guild_id])]
        return [get_event(db, guild_id, i) for i in ids]
    finally:
        db.close()


def audit(db_path, guild_id: int, event_id: int) -> list[dict]:
    db = open_db(db_path)
    try:
        return history(db, guild_id, event_id)
    finally:
        db.close()


async def extract(fake, user, **options) -> tuple[Message, list[Message]]:
    """Run /extract; return the header and the cards once every card has arrived."""
    rec = await fake.slash(fake.team.guild, user, "extract", **options)
    head = await rec.final(timeout=10)
    if head.ephemeral or "proposed" not in head.content:
        return head, []
    count = int(head.content.split("**")[1].split()[0])
    await rec.followup(count - 1, timeout=10)
    return head, rec.followups[-count:]


def card_for(cards: list[Message], place: str) -> Message:
    found = [c for c in cards if place in str(c.embed["fields"])]
    assert len(found) == 1, [c.embed["fields"] for c in cards]
    return found[0]


def fields(msg: Message) -> dict[str, str]:
    return {f["name"]: f["value"] for f in msg.embed["fields"]}


async def press(fake, card: Message, label: str, user) -> Message:
    return await (await fake.press(card, label, user=user)).final()


async def test_the_seed_article_gives_one_card_per_proposal(sitrep, fake_discord):
    team = fake_discord.team
    head, cards = await extract(fake_discord, team.member, text=SEED)
    assert not head.ephemeral and head.allowed_mentions == {"parse": []}
    assert head.content.startswith(f"**{len(cards)} events proposed** from <{SEED_URL}>")
    assert "2023-11-10 (the article's published: line)" in head.content
    mese, nawnghkio = card_for(cards, "Mese"), card_for(cards, "Nawnghkio")
    assert fields(mese)["Date"] == "2023-11-07"
    assert "Karenni Army" in fields(mese)["Actors"] and "Tatmadaw" in fields(mese)["Opponents"]
    assert fields(mese)["Type"] == "Non-state actor overtakes territory (Battles)"
    assert mese.embed["description"].startswith(">>> On Tuesday, the Karenni National People")
    assert fields(nawnghkio)["Date"] == "2023-11-08"
    assert "Ta" in fields(nawnghkio)["Actors"] and "Ohn Ma Khar" in fields(nawnghkio)["Place"]
    for card in cards:
        assert [b.label for b in card.buttons] == ["Confirm", "Edit", "Skip"]
        assert card.allowed_mentions == {"parse": []} and not card.ephemeral


async def test_confirm_logs_the_proposal_with_the_article_as_source(sitrep, fake_discord,
                                                                     db_path):
    team = fake_discord.team
    _, cards = await extract(fake_discord, team.member, text=SEED)
    done = await press(fake_discord, card_for(cards, "Mese"), "Confirm", team.member)
    [event] = stored(db_path, team.guild.id)
    assert done.content == f"Logged as event #{event.id}."
    assert all(b.disabled for b in done.buttons)
    assert done.embed["title"] == f"Event #{event.id}"
    assert (event.date, event.township, event.sources) == ("2023-11-07", "Mese", [SEED_URL])
    assert event.actors == ["Karenni National People's Liberation Front", "Karenni Army",
                            "Karenni Nationalities Defense Force", "People's Defence Force"]
    assert event.opponents == ["Tatmadaw"] and event.logged_by == team.member.username
    assert "Operation 1107" in (event.notes or "")


async def test_skip_logs_nothing(sitrep, fake_discord, db_path):
    team = fake_discord.team
    _, cards = await extract(fake_discord, team.member, text=SEED)
    done = await press(fake_discord, cards[0], "Skip", team.member)
    assert done.content.startswith("Skipped") and all(b.disabled for b in done.buttons)
    assert stored(db_path, team.guild.id) == []


async def test_edit_opens_a_prefilled_modal_and_logs_what_was_typed(sitrep, fake_discord,
                                                                     db_path):
    team = fake_discord.team
    _, cards = await extract(fake_discord, team.member, text=SEED)
    card = card_for(cards, "Nawnghkio")
    opened = await fake_discord.press(card, "Edit", user=team.member)
    modal = await opened.modal()
    inputs = {c["custom_id"]: c.get("value") for row in modal["components"]
              for c in row["components"]}
    assert inputs["extract:date"] == "2023-11-08"
    assert inputs["extract:township"] == "Nawnghkio (Shan (North))"
    assert "Ta'ang National Liberation Army" in inputs["extract:actors"]
    assert inputs["extract:type"] == "Armed clash"
    refused = await (await fake_discord.submit_modal(
        opened, {"extract:township": "Nowhereville"})).final()
    assert refused.ephemeral and "Nowhereville" in refused.content
    assert stored(db_path, team.guild.id) == [] and not card.button("Confirm").disabled
    again = await fake_discord.press(card, "Edit", user=team.member)
    kept = {c["custom_id"]: c.get("value") for row in (await again.modal())["components"]
            for c in row["components"]}
    assert kept["extract:township"] == "Nowhereville"  # what was typed is not lost
    done = await (await fake_discord.submit_modal(again, {"extract:township": "Kyaukme"})).final()
    [event] = stored(db_path, team.guild.id)
    assert done.content == f"Logged as event #{event.id} (edited)."
    assert all(b.disabled for b in done.buttons)
    assert (event.township, event.date, event.sources) == ("Kyaukme", "2023-11-08", [SEED_URL])
    assert event.location is None  # Ohn Ma Khar is in Nawnghkio, not Kyaukme


async def test_another_member_cannot_press_the_invokers_buttons(sitrep, fake_discord,
                                                                 db_path):
    team = fake_discord.team
    _, cards = await extract(fake_discord, team.member, text=SEED)
    refused = await press(fake_discord, cards[0], "Confirm", team.editor)
    assert refused.ephemeral and f"Only {team.member.username}" in refused.content
    assert stored(db_path, team.guild.id) == []
    assert not cards[0].button("Confirm").disabled


async def test_a_stored_duplicate_gains_the_source_instead_of_a_new_event(sitrep, fake_discord,
                                                                           db_path):
    team = fake_discord.team
    logged = await slash(fake_discord, team.member, "log", **MESE)  # another outlet's report
    event_id = int(logged.embed["title"].split("#")[1])
    head, cards = await extract(fake_discord, team.member, text=SEED)
    assert f"Some look already logged (#{event_id})" in head.content
    card = card_for(cards, "Mese")
    assert [b.label for b in card.buttons] == ["Confirm", "Log as new", "Edit", "Skip"]
    assert f"Likely the same as #{event_id}" in fields(card)
    done = await press(fake_discord, card, "Confirm", team.member)
    assert done.content == f"Added as a source of #{event_id}."
    [event] = stored(db_path, team.guild.id)
    assert event.sources == [MESE["source"], SEED_URL]
    assert [c["action"] for c in audit(db_path, team.guild.id, event_id)] == ["log",
                                                                             "add-source"]
    # Asked again, the card knows the event already cites the article; Log as new still logs.
    _, cards = await extract(fake_discord, team.member, text=SEED)
    card = card_for(cards, "Mese")
    assert "already cites this article" in fields(card)[f"Likely the same as #{event_id}"]
    refused = await press(fake_discord, card, "Confirm", team.member)
    assert refused.ephemeral and "already cites that source" in refused.content
    done = await press(fake_discord, card, "Log as new", team.member)
    assert done.content == f"Logged as new event #{event_id + 1}."
    assert len(stored(db_path, team.guild.id)) == 2


def user_message(fake, author, content: str = "", files: dict[str, bytes] | None = None
                 ) -> Message:
    """A message a person posted in #general, for the message menu to be opened on."""
    channel = fake.team.general
    return Message(id=snowflake(), channel_id=channel.id, guild_id=fake.team.guild.id,
                   author=author.user.payload(), content=content,
                   attachments=[fake.store_attachment(channel.id, name, data)
                                for name, data in (files or {}).items()])


async def test_the_message_menu_reads_a_pasted_article(sitrep, fake_discord, db_path):
    team = fake_discord.team
    target = user_message(fake_discord, team.editor, NAWNGHKIO)
    rec = await fake_discord.context_menu(team.guild, team.member, "Extract events", target)
    head = await rec.final(timeout=10)
    assert head.content.startswith("**1 event proposed** (no source link")
    assert "(today: give published: if the article is older)" in head.content
    card = await rec.followup(0)
    assert "Nawnghkio" in fields(card)["Place"]
    done = await press(fake_discord, card, "Confirm", team.member)
    [event] = stored(db_path, team.guild.id)
    assert done.content == f"Logged as event #{event.id}." and event.sources == []


async def test_the_message_menu_prefers_an_attached_txt_file(sitrep, fake_discord):
    team = fake_discord.team
    target = user_message(fake_discord, team.editor, "Today's Irrawaddy piece",
                          {"seed.txt": SEED.encode()})
    rec = await fake_discord.context_menu(team.guild, team.member, "Extract events", target)
    head = await rec.final(timeout=10)
    assert f"from <{SEED_URL}>" in head.content
    empty = user_message(fake_discord, team.editor, "", {"photo.png": b"\x89PNG"})
    refused = await (await fake_discord.context_menu(team.guild, team.member, "Extract events",
                                                     empty)).final()
    assert refused.ephemeral and "holds no article" in refused.content


async def test_a_txt_attachment_with_published_and_url_options(sitrep, fake_discord, db_path):
    team = fake_discord.team
    body = NAWNGHKIO.encode()
    url = "https://example.org/nawnghkio"
    head, cards = await extract(fake_discord, team.member, file=("nawnghkio.txt", body),
                                published="2023-11-10", url=url)
    assert head.content.startswith(f"**1 event proposed** from <{url}>")
    assert "2023-11-10 (the date you gave)" in head.content
    assert fields(cards[0])["Date"] == "2023-11-08"
    await press(fake_discord, cards[0], "Confirm", team.member)
    assert stored(db_path, team.guild.id)[0].sources == [url]


async def test_proposed_protesters_are_created_but_typed_unknown_actors_are_not(
        sitrep, fake_discord, db_path):
    team = fake_discord.team
    article = (SHARED / "articles" / "03_naypyitaw_22222_protest_arrests.txt").read_bytes()
    _, cards = await extract(fake_discord, team.member, file=("protest.txt", article))
    first, second = cards[0], cards[1]
    assert "anti-coup protesters" in fields(first)["Actors"]
    await press(fake_discord, first, "Confirm", team.member)
    [event] = stored(db_path, team.guild.id)
    assert event.actors == ["anti-coup protesters"] and event.date == "2021-02-22"
    opened = await fake_discord.press(second, "Edit", user=team.member)
    refused = await (await fake_discord.submit_modal(
        opened, {"extract:actors": "anti-coup protesters, Yangon Lions"})).final()
    assert refused.ephemeral and "Yangon Lions" in refused.content  # a typo is no new group
    assert len(stored(db_path, team.guild.id)) == 1


REFUSED = [
    ({"file": ("article.pdf", b"%PDF-1.4")}, "not a .txt file"),
    ({"file": ("big.txt", b"x" * (extract_cog.MAX_FILE_BYTES + 1))}, "bytes; an article"),
    ({"file": ("latin.txt", "Mésé".encode("latin-1"))}, "not UTF-8"),
    ({}, "Give the article once"),
    ({"text": SEED, "file": ("a.txt", b"x")}, "Give the article once"),
    ({"text": SEED, "url": "www.irrawaddy.com"}, "not a web link"),
    ({"text": SEED, "published": "2999-01-01"}, "future"),
    ({"text": SEED.replace("2023-11-10", "2023-13-10")}, "no month 13"),
    ({"text": " ".join(SEED.split())}, "without their line breaks"),  # a flattened paste
]


async def test_bad_input_is_refused_in_a_sentence(sitrep, fake_discord):
    for options, words in REFUSED:  # one bot for all: each refusal is checked on its own
        head, cards = await extract(fake_discord, fake_discord.team.member, **options)
        assert head.ephemeral and words in head.content and not cards, (options, head.content)


async def test_a_non_member_is_refused_on_both_paths(sitrep, fake_discord, db_path):
    team = fake_discord.team
    head, cards = await extract(fake_discord, team.outsider, text=SEED)
    assert head.ephemeral and str(team.member_role.id) in head.content and not cards
    target = user_message(fake_discord, team.editor, SEED)
    menu = await (await fake_discord.context_menu(team.guild, team.outsider, "Extract events",
                                                  target)).final()
    assert menu.ephemeral and "role" in menu.content


TOWNSHIPS = ["Mese", "Loikaw", "Demoso", "Hpruso", "Bawlake", "Shadaw", "Hpasawng", "Pekon",
             "Pinlaung", "Hsihseng", "Nawnghkio", "Kyaukme"]


async def test_the_header_says_when_there_are_no_events_or_many(sitrep, fake_discord):
    team = fake_discord.team
    head, cards = await extract(fake_discord, team.member,
                                text="The weather in Yangon was mild this week.")
    assert head.content.startswith("No events found in the article") and not cards
    many = " ".join(f"On November {day}, the KNDF attacked junta troops in {name} Township."
                    for day, name in enumerate(TOWNSHIPS, 1))
    head, cards = await extract(fake_discord, team.member, text=many, published="2023-11-20")
    assert head.content.startswith("**12 events proposed**")
    assert "All 12 cards follow, one message each." in head.content
    assert [c.embed["title"] for c in cards] == [f"Proposed event {i} of 12"
                                                for i in range(1, 13)]
    assert all(len(c.embeds) == 1 and len(c.buttons) == 3 for c in cards)


async def test_cards_expire_with_their_buttons_disabled(sitrep, fake_discord, monkeypatch):
    # load_extension executes the cog afresh: patch the module the bot runs, not this import
    monkeypatch.setattr(sys.modules["cogs.extract"], "CARD_LIFETIME", 0.3)
    team = fake_discord.team
    _, cards = await extract(fake_discord, team.member, text=NAWNGHKIO, published="2023-11-10")
    await fake_discord.wait_until(lambda: cards[0].buttons[0].disabled, 3, "the card to expire")
    assert cards[0].content.startswith("Expired: nothing was logged")
    assert all(b.disabled for b in cards[0].buttons)


async def test_a_double_click_logs_once(sitrep, fake_discord, db_path):
    team = fake_discord.team
    _, cards = await extract(fake_discord, team.member, text=NAWNGHKIO, published="2023-11-10")
    first, second = await asyncio.gather(
        fake_discord.press(cards[0], "Confirm", user=team.member),
        fake_discord.press(cards[0], "Confirm", user=team.member))
    replies = sorted([await first.final(), await second.final()], key=lambda m: m.ephemeral)
    assert len(stored(db_path, team.guild.id)) == 1
    assert [r.ephemeral for r in replies] == [False, True]
    assert replies[1].content.startswith("This card is closed")
