"""Exports for fellows and the cohort report for program directors (docs/rules.md).

Imports core and storage only; never Textual. rich is used by ``render_text`` alone.
"""
