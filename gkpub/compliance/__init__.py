"""Compliance checks as of a given day: time limits, coverage and freshness, links.

Submodules: ``findings`` (kinds), ``checks`` (run every check), ``timeliness``, ``coverage``,
``text`` (terminal and JSON output), ``links`` (`gkpub check --links`)."""
