"""The build: orchestration of load → check → render → write (builder), the output channels and
the single write path (channels), progress on a terminal."""
