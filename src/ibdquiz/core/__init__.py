"""The pure domain: deck model, loading and validation, cards, grading, SM-2, session logic.

Imports only the standard library and PyYAML; never Textual, rich, click or SQLite.
"""
