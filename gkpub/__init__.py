"""gkpub: a static-site generator for Chinese government disclosure (政务公开)."""

__version__ = "0.1.0"
