"""Practice: rehearsing the deck out loud against the clock, remembering what was rehearsed
(a SQLite log in the workspace's ``.deckbuilder/``), scheduling with FSRS, and taking the
deck to Anki. Each module has one job: ``cards`` (the deck with stable ids), ``log`` (the
practice log), ``schedule`` (FSRS), ``text`` (Markdown for a terminal, a CSV, an Anki note),
``drill`` (the terminal session), ``stats`` and ``chart`` (what was rehearsed), ``export``.
"""
