"""Where templates come from: the site's own folders first, then the engine's default theme.

The default theme (web templates and assets under ``layouts/``, print templates and CSS under
``print/``) is package data of ``gkpub.theme``, found through importlib.resources so that an
installed wheel works exactly like a checkout. A site may override any single file by putting
one with the same name in its own ``layouts/`` or ``print/`` folder.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

# Templates are read by Jinja and WeasyPrint from the file system: the package is installed
# as plain files (a wheel, an editable install or a checkout), never as a zip.
THEME_DIR = Path(str(resources.files("gkpub").joinpath("theme")))


def template_dirs(site_dir: Path, folder: str) -> list[Path]:
    """Template folders for ``folder`` ("layouts" or "print"), first match wins: the site's
    own (it may override any template or asset and need not have them all), then the theme's."""
    engine = THEME_DIR / folder
    own = site_dir / folder
    return [own, engine] if own.is_dir() and own.resolve() != engine.resolve() else [engine]
