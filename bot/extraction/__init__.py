"""The steps of turning a news article into proposed events, one module per step.

``bot.extract`` is the public entry; these modules hold the steps DESIGN.md names, each testable
on its own: ``segment`` (paragraphs, sentences), ``places`` (townships, towns, villages,
regions), ``groups`` (actors and generic words), ``when`` (dates), ``counts`` (fatalities),
``cues`` and ``triggers`` (sub-event types), ``assemble`` (carry-over), ``sides`` (who was
involved, on which side), ``drafts`` (merging) and ``duplicates`` (stored events).
"""
