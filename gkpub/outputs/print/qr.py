"""QR codes as inline SVG (segno), so they stay sharp at any print size."""
from __future__ import annotations

import re
from functools import lru_cache

import segno

_XML_DECL = re.compile(r"^<\?xml[^>]*\?>\s*")


@lru_cache(maxsize=4096)
def qr_svg(data: str, label: str = "二维码") -> str:
    """An <svg> element for ``data``; sized by CSS (no width/height), 4-module quiet zone."""
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff",
                          svgclass="qr", lineclass=None)
    svg = _XML_DECL.sub("", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(label)}" ', 1)


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))
