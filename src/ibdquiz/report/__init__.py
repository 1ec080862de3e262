"""Exports for fellows and the cohort report for program directors (DESIGN §9).

Imports core and storage only; never Textual. rich is used by ``render_text`` alone.
"""
