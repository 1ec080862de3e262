"""SQLite storage: schema and migrations (sqlite-utils ``Migrations``, loaded only to migrate),
profiles, card state, the review log, deck cache, settings, sessions and stats. Imports core,
never the UI (docs/architecture.md, docs/storage.md).

One way in: ``Store`` is the only object outside ``storage/`` that touches the database; its
``Database`` handle (``storage.connection``) is private. Storage modules run their SQL inside
``store.reading()`` (reads) or ``store.writing()`` (``BEGIN IMMEDIATE``; nested blocks join),
which turn any SQLite failure into one ``DatabaseError`` line; ``store.snapshot()`` gives the
exporter one read transaction on the raw connection. Settings are read once per profile and
cached (``store.today()`` reads no SQLite). ``Store.open`` (writers) / ``Store.open_existing``
(readers) are described in ``storage.db``; ``store.known_deck`` (for
``core.catalog.discover(..., known=...)``), ``sync_decks``, ``cards()`` (looked up lazily),
``deck_scope()``, ``stats`` / ``study_stats``, ``deck_counts``, ``check`` and ``backup`` in
``storage.store``; the queue in ``storage.planning``; the schema in ``storage.schema`` and
the docs (``docs/``). Sessions live a layer up, in ``ibdquiz.session``: ``Store`` offers them
``plan_today``, ``card_draw``, ``start_session`` / ``end_session``, ``record_answer``,
``mark_undone`` (an undone answer keeps its row, with ``undone_at``), ``session_reviews``,
``is_suspended``, ``flag`` (returns its id) and ``clear_flag``.
"""
