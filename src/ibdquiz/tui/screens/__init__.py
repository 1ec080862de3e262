"""The screens of the study app: home, session, summary, stats, browse, settings, dialogs."""
