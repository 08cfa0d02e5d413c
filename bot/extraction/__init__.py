"""The steps of turning a news article into proposed events, one module per step.

``bot.extract`` is the public entry; these modules hold the steps DESIGN.md names, each testable
on its own: ``segment`` (paragraphs, sentences), ``places`` (townships, towns, villages,
regions) and ``asides`` (names told only to situate something else), ``groups`` (actors and
generic words), ``when`` (date expressions), ``dating`` (which day each event took), ``counts``
(fatalities), ``cues``, ``telling``, ``kinds`` and ``triggers`` (sub-event types, and whether a
cue reports one at all), ``assemble`` and ``story`` (carry-over), ``sides`` (who was involved, on
which side), ``drafts`` (merging), ``refine`` (second looks at whole events) and ``duplicates``
(stored events).
"""
