"""The extraction scorer: its matching rule, and ``--against`` scoring a second keyer's answers
for the same articles (inter-annotator agreement) exactly as it scores the extractor."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

SCORER = Path(__file__).resolve().parents[1] / "benchmarks" / "extraction_eval.py"
ARTICLE = "url: https://example.org/a\noutlet: Example\npublished: 2023-11-10\n\nA made-up body.\n"


def event(day: str, township: str, sub_type: str, event_type: str = "Battles") -> dict:
    return {"date": day, "date_precision": "day", "township": township,
            "state_region": "Sagaing", "location": None, "actors": ["Tatmadaw"],
            "event_type": event_type, "sub_event_type": sub_type, "fatalities": None,
            "evidence": "A made-up body."}


@pytest.fixture(scope="module")
def scorer() -> dict:
    return runpy.run_path(str(SCORER))


def write(folder: Path, events: list[dict], text: str | None = ARTICLE) -> None:
    folder.mkdir(exist_ok=True)
    if text is not None:
        (folder / "01_made_up.txt").write_text(text)
    (folder / "01_made_up.events.json").write_text(json.dumps(events))


def test_second_keys_are_scored_like_proposals(scorer, tmp_path, capsys):
    first = [event("2023-11-07", "Kawlin", "Armed clash"),
             event("2023-11-08", "Kawlin", "Air/drone strike", "Explosions/Remote violence")]
    write(tmp_path / "a", first)
    write(tmp_path / "b", first, text=None)
    same = scorer["evaluate"](tmp_path / "a", against=tmp_path / "b")
    assert (same.gold, same.proposed, same.matched, same.f1) == (2, 2, 2, 1.0)

    # The second keyer dated the strike a day later and added an arrest: one miss, two extras.
    second = [first[0], event("2023-11-09", "Kawlin", "Air/drone strike",
                              "Explosions/Remote violence"),
              event("2023-11-07", "Kawlin", "Arrests", "Strategic developments")]
    write(tmp_path / "b", second, text=None)
    apart = scorer["evaluate"](tmp_path / "a", verbose=True, against=tmp_path / "b")
    assert (apart.gold, apart.proposed, apart.matched) == (2, 3, 1)
    assert apart.precision == pytest.approx(1 / 3) and apart.recall == pytest.approx(1 / 2)
    out = capsys.readouterr().out
    assert "- missed 2023-11-08 Kawlin: Air/drone strike" in out
    assert "+ extra  2023-11-07 Kawlin: Arrests" in out  # the clash took the same-type partner


def test_only_articles_both_keyers_answered_are_scored(scorer, tmp_path):
    write(tmp_path / "a", [event("2023-11-07", "Kawlin", "Armed clash")])
    (tmp_path / "b").mkdir()
    total = scorer["evaluate"](tmp_path / "a", against=tmp_path / "b")
    assert (total.gold, total.proposed) == (0, 0)


def test_a_missing_folder_is_refused(scorer, tmp_path, capsys):
    assert scorer["main"](["--articles", str(tmp_path), "--against", str(tmp_path / "no")]) == 2
    assert "no such folder" in capsys.readouterr().err

