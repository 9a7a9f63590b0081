"""Compliance checks: time limits, coverage and freshness, as of a given day.

Kept free of imports so that the catalogue loader can use ``periods`` without a cycle;
import the submodules: ``findings``, ``checks`` (run every check), ``text`` (terminal
and JSON output), ``page`` (the internal report page).
"""
