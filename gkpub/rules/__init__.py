"""The rules of disclosure as pure functions: the working-day calendar, time limits, personal-data patterns.

No file system, processes or network here (tests/test_layers.py); the State Council holiday
tables ship as package data (``data/holidays.toml``)."""
