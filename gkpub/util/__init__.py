"""Helpers every layer may use: error types, fault injection for tests, fork-based parallelism,
the engine's identity."""
