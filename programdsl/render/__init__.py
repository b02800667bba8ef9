"""Renderers: everything participants receive, built from the validated, resolved program.

`documents` renders the charter, training guides, evaluation forms, handbooks and the index page
(Markdown, HTML and PDF); `calendar` renders the calendars. Both produce files in memory, so a
build that fails part-way writes nothing.
"""
