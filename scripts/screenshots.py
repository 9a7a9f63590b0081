"""Take screenshots of built pages at phone and desktop width (for people to look at).

    python scripts/screenshots.py public/ OUTDIR /  /domain/yanglao/  /xxgk/…/
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import browser, serve  # noqa: E402


def main(root: str, outdir: str, *paths: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with serve(Path(root)) as base, browser() as b:
        for name, width, height in (("phone", 390, 844), ("desktop", 1366, 900)):
            page = b.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            for p in paths:
                page.goto(base + p)
                page.wait_for_load_state("networkidle")
                slug = p.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(out / f"{slug}-{name}.png"), full_page=True)
                print(out / f"{slug}-{name}.png")
            page.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
