"""`sitrep extract` on the seed article, as the issue's must-show runs it."""

from __future__ import annotations

import json

from conftest import SHARED

SEED = str(SHARED / "articles" / "00_seed.txt")


def test_seed_article_proposes_the_mese_capture_and_the_nawnghkio_clash(run):
    code, out, _ = run("extract", SEED, "--published", "2023-11-10", "--json")
    assert code == 0
    proposals = json.loads(out)
    for p in proposals:
        assert {"date", "date_precision", "township", "pcode", "state_region", "location",
                "actors", "opponents", "event_type", "sub_event_type", "fatalities", "sources",
                "notes", "evidence", "duplicate_of"} <= set(p)
        assert "id" not in p
    mese = next(p for p in proposals if p["township"] == "Mese")
    assert mese["date"] == "2023-11-07"
    assert mese["sub_event_type"] == "Non-state actor overtakes territory"
    assert {"Karenni National People's Liberation Front", "Karenni Army",
            "Karenni Nationalities Defense Force", "People's Defence Force"} <= set(
        mese["actors"])
    assert "Tatmadaw" in mese["opponents"]
    assert "Mese Township" in mese["evidence"]
    clash = next(p for p in proposals if p["township"] == "Nawnghkio")
    assert clash["date"] == "2023-11-08" and clash["sub_event_type"] == "Armed clash"
    everyone = set(clash["actors"]) | set(clash["opponents"])
    assert {"Ta'ang National Liberation Army", "People's Defence Force", "Tatmadaw"} <= everyone


def test_a_stored_event_is_flagged_as_the_likely_same(run):
    run("log", "--date", "2023-11-07", "--township", "Mese", "--actor", "KNDF", "--opponent",
        "junta", "--type", "Armed clash")
    _, out, _ = run("extract", SEED, "--published", "2023-11-10", "--json")
    mese = next(p for p in json.loads(out) if p["township"] == "Mese")
    assert mese["duplicate_of"] == 1
    _, text, _ = run("extract", SEED, "--published", "2023-11-10")
    assert "likely the same as stored event #1" in text


def test_missing_file_and_empty_article(run, tmp_path):
    code, _, err = run("extract", str(tmp_path / "nope.txt"))
    assert code == 2 and "no file" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("Nothing happened anywhere today.\n")
    code, out, _ = run("extract", str(empty), "--published", "2023-11-10")
    assert code == 0 and "No events found" in out


def test_a_date_carried_from_an_earlier_sentence_is_pointed_out(run, tmp_path):
    article = tmp_path / "carried.txt"
    article.write_text(
        "published: 2023-11-10\n\nFighting broke out between the KIA and junta troops in "
        "Waingmaw Township, Kachin State, on Tuesday, killing five soldiers.\n\nA junta fighter "
        "jet then bombed Nam San Yang village in Waingmaw Township, killing two civilians.\n")
    _, out, _ = run("extract", str(article))
    clash, strike = out.split("\n#2 ")
    assert "2023-11-07" in clash and "carried from an earlier sentence" not in clash
    assert "2023-11-07" in strike and "fatalities 2" in strike
    assert "the date is carried from an earlier sentence: check it" in strike
