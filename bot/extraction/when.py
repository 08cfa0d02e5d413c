"""Finding the date expressions of a sentence and what each one dates.

Every expression is resolved by the core date module against the publication date, so a weekday
is the most recent such day on or before it, exactly as analysts type them. What matters as much
is the role of the date: "told The Irrawaddy on Monday" dates the report, not the event;
"since October 27" and "from Feb. 1 to May 31" are periods; "on Monday and Tuesday" names two
days; "the 1 February seizure" names a past event, "Thursday’s airstrikes" dates the strikes.
Only an event date can date a proposal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.dates import EventDate, parse_date
from bot.errors import InvalidInput

Role = Literal["event", "report", "period", "several", "relative"]

_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# A month name alone is a date only after a preposition: "in June", not "troops may attack".
_MONTH_AFTER = "(?:" + "|".join(rf"(?<=\b{w}\s)" for w in ("in", "from", "since", "between",
                                                              "to", "until", "and", "last")) + ")"
_PART_OF = "(?:" + "|".join(rf"(?<=\b{w}\sof\s)" for w in ("end", "beginning", "start",
                                                               "middle")) + ")"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+\d{4})"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))"
_CORE = (
    rf"{_WEEKDAY}(?!['’]s){_PART}?"
    rf"|{_MONTH}\s*{_DAY}\b{_YEAR}?(?:\s+last\s+year\b)?"  # "on August 5 last year"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?![a-z]){_YEAR}?(?:\s+last\s+year\b)?"
    rf"|(?:{_MONTH_AFTER}|{_PART_OF}){_MONTH}"  # "in June", "since the end of March"
    r"(?:\s+\d{4}|\s+last\s+year)?\b"
    rf"|{_MONTH}\s+\d{{4}}\b"
    r"|today|yesterday|last\s+night|tonight|this\s+(?:morning|afternoon|evening)"
    r"|(?:last|this)\s+(?:week|month)"
)
_EXPRESSION = re.compile(
    rf"(?:(?:the\s+)?(?:early\s+)?(?:morning|afternoon|evening|night)\s+of\s+)?(?P<core>{_CORE})"
    r"(?!['’]s)",
    re.IGNORECASE,
)
# ("announced that on 13 August, the forces captured …": the day of what is announced)
_REPORT_BEFORE = re.compile(
    r"\b(?:said|says|told|tells|stated|announced|reported|claimed|confirmed|added|released|"
    r"issued|statement|announcement|warning|report)\b(?:\s+(?!that\b)"
    # not "said the fighting renewed on Wednesday": a verb of the reported clause owns the day
    r"(?!(?!released|issued|published|posted)(?-i:[a-z]+ed)\b)[\w'’.]+){0,4}?\s+(?:on\s+)?$",
    re.IGNORECASE,
)
# "a spokesman on Monday said": the report's day; "killed four people on Sunday, said a local":
# the comma closes the reported clause, whose day it is.
_REPORT_AFTER = re.compile(r"^\s+(?:said|reported|stated|announced|told|claimed)\b",
                           re.IGNORECASE)
# "On 18 February, the Pa-O National Liberation Army (PNLA) reported that …": a day opening a
# sentence whose main verb reports dates the report, not what it reports.
# "On June 18, 2024 the Chin Brotherhood, an alliance of six groups, announced that": the same,
# with no comma after the day and an aside in the subject ("\s*(?:,\s+|\s)" is "\s*,?\s+" without
# the two runs of spaces that share a long one in quadratically many ways)
_REPORT_LATER = re.compile(r"^\s*(?:,\s+|\s)(?:[\w'’().-]+,?\s+){1,12}?(?:reported|said|"
                           r"announced|stated|claimed|confirmed|told\s+[\w\s]{1,30}?)\s+that\b",
                           re.IGNORECASE)
_SINCE = re.compile(r"\bsince\b(?:\s+(?!and\b|but\b)[\w'’.]+){0,14}?\s+(?:on\s+|in\s+)?$|"
                    # "Since the army launched an offensive around … last month, …": an opening
                    # "since" clause, up to its comma
                    r"^\W*since\b[^,;]*$|"
                    r"\b(?:which|that|when)\s+(?:\w+\s+)?(?:began|started|broke\s+out|erupted)\s+"
                    r"(?:on\s+|in\s+)?$", re.IGNORECASE)
_UNTIL = re.compile(r"\b(?:until|till|up\s+to)\s+(?:the\s+)?$", re.IGNORECASE)
# "by February 28 at least 60,000 houses had been destroyed": a running tally's end (not "were
# captured by the evening of December 15th", the day a capture was complete)
_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
_TALLY = re.compile(r"(?:^[^.;]{0,80}?|)\bhad\s+(?:been\s+)?[a-z]+(?:ed|en|wn|t)\b", re.IGNORECASE)
# "since November 12, when heavy fighting broke out": the stretch opened with a dated fight
_SINCE_WHEN = re.compile(r"^\s*,?\s*when\s+(?:[\w'’-]+\s+){1,4}?(?:broke\s+out|erupted)\b",
                         re.IGNORECASE)
_AS_OF = re.compile(r"\bas\s+of\s+$", re.IGNORECASE)  # "continue … as of Thursday": a status
_RANGE_START = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)
# "from 13 November to 21 March": the end of a stretch, whatever the start looks like
_RANGE_END = re.compile(r"\bfrom\s+\S+(?:\s+\S+)?\s+(?:to|until|till|through)\s+(?:the\s+)?$",
                        re.IGNORECASE)
# "from 19 to 23 February", "From June 1st to the 3rd", "between July 18 and 19": a stretch of
# a week at most is told as one event, on the day it began (the analysts' convention for a clash
# that ran on); a longer one stays a period.
SHORT_SPAN = 7
_ONE = rf"(?:(?P<m#>{_MONTH})\s*(?P<d#>{_DAY})|(?P<e#>{_DAY})(?:\s+(?:of\s+)?(?P<n#>{_MONTH}))?)"
_FIRST, _LAST = _ONE.replace("#", "1"), _ONE.replace("#", "2")
_RANGE = re.compile(rf"\b(?:from|between)\s+(?:the\s+)?{_FIRST}{_YEAR}?\s*"
                    rf"(?:to|until|till|through|and|-|–)\s+(?:the\s+)?{_LAST}(?![\w])",
                    re.IGNORECASE)
_JOINED = re.compile(r"^\s*(?:and|to|until|till|through|-|–|—)\s+(?:on\s+)?$", re.IGNORECASE)
_ATTRIBUTIVE = re.compile(r"\b(?:the|its|their|a)\s+$", re.IGNORECASE)


_FIRST_OF_TWO = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+and\s+{_DAY}\s+"
                           rf"(?P<month>{_MONTH})(?![a-z])", re.IGNORECASE)
_SECOND_OF_TWO = re.compile(rf"\b(?P<month>{_MONTH})\s*\d{{1,2}}(?:st|nd|rd|th)?\s+and\s+"
                            rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:{_MONTH}|[,-]?\s*\d))"
                            # not "on May 3 and 4 people …"
                            r"(?!\s+(?!(?:in|at|on|near|when|while)\b)[a-z])",
                            re.IGNORECASE)
_VAGUE_PAST = re.compile(r"\b(?:(?:last|previous|past)\s+year|earlier\s+this\s+year|"
                         r"(?:in|since|during)\s+(?:19|20)\d{2}(?![\d/-])|(?:\w+\s+)?years?\s+ago)\b",
                         re.IGNORECASE)
_SINCE_NAMED = re.compile(rf"\bsince\s+(?:the\s+|last\s+)?{_MONTH}['’]s\b", re.IGNORECASE)
# "almost a month ago": too vague to date anything, but it is not the story's day either.
_AGO = re.compile(r"\b(?:(?:about|almost|nearly|around|over|more\s+than)\s+)?(?:a|an|one|two|three|"
                  r"four|five|six|several|few|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago\b",
                  re.IGNORECASE)
# "seized the whole camp the next day": a day counted from the date told just before.
_RELATIVE = re.compile(r"\b(?:(?P<next>the\s+(?:next|following)\s+day|a\s+day\s+later)|"
                       r"(?P<same>the\s+same\s+day|that\s+day)|(?P<before>the\s+(?:previous\s+day|"
                       r"day\s+before))|(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten)\s+"
                       r"days\s+(?P<way>earlier|later|before|after))\b", re.IGNORECASE)
# "The capture on Tuesday came two days after it seized the camp": "after"/"before" opening a
# clause of its own (a subject and a verb in the past) dates that clause's event, which is the
# one "N days" away from the day told, the other way round from "two days after the clash, …"
_CONJUNCTION = re.compile(r"\s+(?:(?:it|they|he|she|we|the\s+\w+|troops|soldiers|forces|"
                          r"(?-i:[A-Z])[\w'’-]*)\s+)(?:had\s+)?(?:also\s+)?[a-z]+ed\b",
                          re.IGNORECASE)
# "the site of Thursday’s airstrikes": a day that dates the event noun it owns.
_POSSESSIVE = re.compile(rf"\b(?P<core>{_WEEKDAY}|{_MONTH}\s*{_DAY})['’]s\s+(?:[\w-]+\s+){{0,2}}?"
                         r"(?:air\s?-?strikes?|air\s+raids?|attacks?|clash(?:es)?|shelling|"
                         r"bombings?|raids?|ambush(?:es)?|battles?|fighting|blasts?|explosions?|"
                         r"offensive|massacre)\b", re.IGNORECASE)
# "a two-day raid that ended on March 1": a short stretch told by its end, dated by its start
_ENDED_SPAN = re.compile(r"\b(?P<n>\d|two|three|four|five|six|seven)-day\s+(?:[\w-]+\s+){0,2}?"
                         r"(?:that|which)\s+ended\s+(?:on\s+)?$", re.IGNORECASE)
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10}


def day_count(word: str) -> int:
    """A number of days written in digits or as a word ("two" to "ten")."""
    return int(word) if word.isdigit() else _COUNT[word.lower()]


@dataclass(frozen=True)
class DateMention:
    """A date expression, where it is, and what it dates.

    A "relative" mention ("the next day") has no date of its own, only ``offset`` days from
    the date told before it.
    """

    when: EventDate | None
    role: Role
    start: int
    end: int
    offset: int = 0


def _resolve(core: str, published: date) -> EventDate | None:
    core = re.sub(r"(?<=[A-Za-z])\.?\s*(?=\d)", " ", core)  # "May.6", "Aug. 9"
    text = re.sub(r"\s+last\s+year$", "", core, flags=re.IGNORECASE)
    try:
        found = parse_date(text, published)
        if text != core:  # "in November last year"
            found = parse_date(f"{text} {found.date.year - 1}", published)
    except InvalidInput:
        return None
    return found


def find_dates(text: str, published: date) -> list[DateMention]:
    """The date expressions of ``text`` that resolve on or before ``published``, in order."""
    found: list[tuple[EventDate, int, int]] = []
    for match in _EXPRESSION.finditer(text):
        when = _resolve(match.group("core"), published)
        if when is not None:
            found.append((when, match.start(), match.end()))
    mentions: list[DateMention] = []
    for index, (when, start, end) in enumerate(found):
        before, after = text[:start], text[end:]
        joined_before = index > 0 and _JOINED.match(text[found[index - 1][2]:start])
        joined_after = index + 1 < len(found) and _JOINED.match(text[end:found[index + 1][1]])
        role: Role = "event"
        if (_SINCE.search(before) and not _SINCE_WHEN.match(after)) \
                or _RANGE_START.search(before) or _UNTIL.search(before) \
                or _RANGE_END.search(before) or _AS_OF.search(before) \
                or (_BY.search(before) and (_TALLY.match(after) or _TALLY.search(
                    before[before.rfind(",") + 1:]))):
            role = "period"  # "since Oct 27", "from …", "until 18 March": a stretch of days
        elif joined_before or joined_after:
            role = "several"
        elif _REPORT_BEFORE.search(before) or _REPORT_AFTER.match(after) or (
                _REPORT_LATER.match(after) and re.fullmatch(r"\s*(?:on\s+)?", before, re.I)):
            role = "report"
        elif _ATTRIBUTIVE.search(before) and re.match(r"\s+[a-z]", after) \
                and not re.match(_WEEKDAY, match.group("core"), re.IGNORECASE):
            continue  # "the 1 February seizure of power" names a past event; "the Wednesday
            # attack" dates one
        ended = _ENDED_SPAN.search(before)
        if ended and role == "event" and when.precision == "day":  # "a two-day raid that
            days = day_count(ended["n"])
            if days <= SHORT_SPAN:  # ended on March 1" began on 28 February
                when = EventDate(when.date - timedelta(days=days - 1), "day")
        mentions.append(DateMention(when, role, start, end))
    for match in _FIRST_OF_TWO.finditer(text):  # "on 17 and 26 August": the 17th too
        when = _resolve(f"{match['day']} {match['month']}", published)
        if when is not None:
            mentions.append(DateMention(when, "event", match.start(), match.end("day")))
    for match in _SECOND_OF_TWO.finditer(text):  # "on September 23 and 25": the 25th too
        when = _resolve(f"{match['month']} {match['day']}", published)
        if when is not None:
            mentions.append(DateMention(when, "event", match.start("day"), match.end("day")))
    for match in _POSSESSIVE.finditer(text):
        when = _resolve(match.group("core"), published)
        if when is not None:
            mentions.append(DateMention(when, "event", match.start(), match.end("core")))
    for match in _SINCE_NAMED.finditer(text):  # "since February's military takeover"
        mentions.append(DateMention(None, "period", match.start(), match.end()))
    for match in _VAGUE_PAST.finditer(text):  # "Last year, a bomb went off …": no day, no carry
        mentions.append(DateMention(None, "period", match.start(), match.end()))
    for match in _AGO.finditer(text):
        when = _resolve(match.group(), published) if re.match(
            r"(?:a|an|one|two|three|four|five|six|\d+)\s+(?:day|week)", match.group(),
            re.IGNORECASE) else None
        role: Role = "event" if when else "period"
        mentions.append(DateMention(when, role, match.start(), match.end()))
    for match in _RELATIVE.finditer(text):
        offset = 1 if match["next"] else -1 if match["before"] else 0
        if match["n"]:  # "Six days earlier"
            days = day_count(match["n"])
            offset = days if match["way"].lower() in ("later", "after") else -days
            if _CONJUNCTION.match(text, match.end()):  # "came two days after it captured …":
                offset = -offset  # the clause after "after" is the earlier event, the one dated
        mentions.append(DateMention(None, "relative", match.start(), match.end(), offset))
    mentions = _short_ranges(text, published, mentions)
    return sorted(mentions, key=lambda m: m.start)


def _short_ranges(text: str, published: date, mentions: list[DateMention]) -> list[DateMention]:
    """The mentions with each short stretch ("from 19 to 23 February") replaced by its first
    day, an event date."""
    for match in _RANGE.finditer(text):
        month1 = match["m1"] or match["n1"] or match["m2"] or match["n2"]
        month2 = match["m2"] or match["n2"] or month1
        if not month1:
            continue  # "between 10 and 20 people"
        start = _resolve(f"{match['d1'] or match['e1']} {month1}", published)
        end = _resolve(f"{match['d2'] or match['e2']} {month2}", published)
        if start is None or end is None or start.precision != "day" \
                or not 0 < (end.date - start.date).days <= SHORT_SPAN:
            continue
        first = match.start("m1") if match["m1"] else match.start("e1")
        mentions = [m for m in mentions if not match.start() <= m.start < match.end()]
        mentions.append(DateMention(start, "event", first, match.end("d1") if match["m1"]
                                    else match.end("n1") if match["n1"] else match.end("e1")))
    return mentions
