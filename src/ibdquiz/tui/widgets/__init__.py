"""Widgets of the study app: numbered options, the session's progress line, feedback."""
