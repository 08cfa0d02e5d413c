"""Score ``bot.extract`` against the annotated articles (issue 6, "Quality, measured").

Every ``NN_slug.txt`` with an ``NN_slug.events.json`` answer key is read with its own
``published:`` date into a fresh temporary store. A proposal matches a gold event when the
township and the date agree (one to one; among several candidates the same sub-event type is
preferred, then the same event type). Reported per article and overall: precision, recall and
F1 of matches; for matched pairs, the mean actor set-F1 (all sides) and event-type and
sub-event-type accuracy. ``--verbose`` lists every miss, which is how rules are improved: look
at each one and ask what general rule would have caught it.

``--against DIR`` scores a second person's keys for the same articles (``NN_slug.events.json``
in DIR) in place of the extractor's proposals: how far two careful keyers agree is the ceiling
any extractor can be held to.

    .venv/bin/python benchmarks/extraction_eval.py [--articles DIR] [--against DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bot.db import open_db
from bot.extract import Proposal, extract, extractor_for, parse_article

ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "articles"


@dataclass
class Score:
    """Counts for one article, or summed over all of them."""

    gold: int = 0
    proposed: int = 0
    matched: int = 0
    actor_f1: list[float] = field(default_factory=list)
    type_ok: int = 0
    sub_type_ok: int = 0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.proposed += other.proposed
        self.matched += other.matched
        self.actor_f1 += other.actor_f1
        self.type_ok += other.type_ok
        self.sub_type_ok += other.sub_type_ok

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else float(not self.gold)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else float(not self.proposed)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def rate(self, count: int) -> float | None:
        return count / self.matched if self.matched else None

    @property
    def actors(self) -> float | None:
        return sum(self.actor_f1) / len(self.actor_f1) if self.actor_f1 else None


def set_f1(gold: set[str], found: set[str]) -> float:
    if not gold and not found:
        return 1.0
    both = len(gold & found)
    return 2 * both / (len(gold) + len(found)) if both else 0.0


def _key(event: dict[str, object] | Proposal) -> tuple[str, str, str]:
    get = event.get if isinstance(event, dict) else lambda k: getattr(event, k)
    return (str(get("township")).casefold(), str(get("state_region")), str(get("date")))


def match(gold: list[dict[str, object]], proposals: list[Proposal]
          ) -> list[tuple[dict[str, object], Proposal]]:
    """One-to-one pairs with the same township and date, best-fitting type first."""
    pairs: list[tuple[dict[str, object], Proposal]] = []
    free_gold, free = list(gold), list(proposals)
    fits = (
        lambda g, p: g["sub_event_type"] == p.sub_event_type,
        lambda g, p: g["event_type"] == p.event_type,
        lambda g, p: True,
    )
    for fit in fits:
        for g in list(free_gold):
            found = next((p for p in free if _key(p) == _key(g) and fit(g, p)), None)
            if found is not None:
                pairs.append((g, found))
                free_gold.remove(g)
                free.remove(found)
    return pairs


def score_article(gold: list[dict[str, object]], proposals: list[Proposal]) -> Score:
    pairs = match(gold, proposals)
    return Score(
        gold=len(gold), proposed=len(proposals), matched=len(pairs),
        actor_f1=[set_f1(set(g["actors"]), set(p.actors)) for g, p in pairs],  # type: ignore[arg-type]
        type_ok=sum(g["event_type"] == p.event_type for g, p in pairs),
        sub_type_ok=sum(g["sub_event_type"] == p.sub_event_type for g, p in pairs),
    )


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.2f}"


def _row(name: str, s: Score) -> str:
    return (f"{name:<40} {s.gold:>4} {s.proposed:>4} {s.matched:>4}  {_pct(s.precision)} "
            f"{_pct(s.recall)} {_pct(s.f1)}  {_pct(s.actors)}  {_pct(s.rate(s.type_ok))} "
            f"{_pct(s.rate(s.sub_type_ok))}")


def _misses(gold: list[dict[str, object]], proposals: list[Proposal]) -> list[str]:
    pairs = match(gold, proposals)
    lines = []
    for g, p in pairs:
        if set(g["actors"]) != set(p.actors) or g["sub_event_type"] != p.sub_event_type:  # type: ignore[arg-type]
            lines.append(f"    ~ {p.date} {p.township}: {p.sub_event_type} {sorted(p.actors)}"
                         f"\n      gold {g['sub_event_type']} {sorted(g['actors'])}")  # type: ignore[arg-type]
    for g in gold:
        if all(g is not pair[0] for pair in pairs):
            lines.append(f"    - missed {g['date']} {g['township']}: {g['sub_event_type']}")
    for p in proposals:
        if all(p is not pair[1] for pair in pairs):
            lines.append(f"    + extra  {p.date} {p.township}: {p.sub_event_type} "
                         f"| {p.evidence[:100]}")
    return lines


def keyed_proposals(answers: Path) -> list[Proposal]:
    """A second set of keys in the extractor's shape, so it is scored the same way."""
    return [Proposal(
        date=e["date"], date_precision=e["date_precision"], township=e["township"], pcode="",
        state_region=e["state_region"], location=e["location"], actors=list(e["actors"]),
        opponents=[], event_type=e["event_type"], sub_event_type=e["sub_event_type"],
        fatalities=e["fatalities"], evidence=e["evidence"],
    ) for e in json.loads(answers.read_text(encoding="utf-8"))]


def evaluate(folder: Path, verbose: bool = False, against: Path | None = None) -> Score:
    """Print the table for every annotated article in ``folder`` (only those ``against`` keys
    too, when given); return the overall score."""
    total = Score()
    header = (f"{'article':<40} {'gold':>4} {'prop':>4} {'hit':>4}  {'prec':>4} {'rec':>4} "
              f"{'F1':>4}  {'act':>4}  {'type':>4} {'sub':>4}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "eval.db")
        extractor = extractor_for(db)
        for text_file in sorted(folder.glob("*.txt")):
            answers = text_file.with_suffix(".events.json")
            second = against / answers.name if against else None
            if not answers.exists() or (second and not second.exists()):
                continue
            raw = text_file.read_text(encoding="utf-8")
            _, published, _ = parse_article(raw)
            if published is None:
                print(f"{text_file.name}: no published: line, skipped", file=sys.stderr)
                continue
            gold = json.loads(answers.read_text(encoding="utf-8"))
            proposals = (keyed_proposals(second) if second
                         else extract(raw, published, db=db, extractor=extractor))
            score = score_article(gold, proposals)
            total.add(score)
            print(_row(text_file.stem, score))
            if verbose:
                print("\n".join(_misses(gold, proposals)))
        db.close()
    print("-" * len(header))
    print(_row("overall (micro)", total))
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ARTICLES,
                        help=f"folder of NN_slug.txt + NN_slug.events.json (default {ARTICLES})")
    parser.add_argument("--against", type=Path, default=None,
                        help="folder of a second person's NN_slug.events.json for the same "
                             "articles, scored in place of the extractor")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    for folder in filter(None, (args.articles, args.against)):
        if not folder.is_dir():
            print(f"no such folder: {folder}", file=sys.stderr)
            return 2
    evaluate(args.articles, args.verbose, args.against)
    return 0


if __name__ == "__main__":
    sys.exit(main())
