"""The steps of turning a news article into proposed events, one module per step.

``bot.extract`` is the public entry; these modules hold the steps DESIGN.md names, each testable
on its own: ``segment`` (paragraphs, sentences), ``places``, ``groups`` (actors), ``when``
(dates), ``counts`` (fatalities), ``triggers`` (sub-event types), ``assemble`` (carry-over and
merging) and ``duplicates`` (comparison with stored events).
"""
