"""gkpub: a static-site generator for Chinese government disclosure (政务公开).

The package is layered; each layer imports only from the layers below it (ARCHITECTURE.md):
util → rules → content → compliance, store → outputs, importer, authoring → build → cli.
"""
from __future__ import annotations

__version__ = "0.2.0"
