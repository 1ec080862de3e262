"""A study session as its own layer: a state machine over ``storage.Store`` (issue 10).

Imports core and storage, never Textual or sqlite3. See ``study.StudySession`` (the events),
``machine.SessionMachine`` (the pure transitions) and ``results`` (what it hands out).
"""
