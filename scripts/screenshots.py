"""Take screenshots of built pages at phone and desktop width (for people to look at).

    python scripts/screenshots.py public/ OUTDIR /  /domain/yanglao/  /xxgk/…/
    python scripts/screenshots.py --elder public/ OUTDIR /   (长辈版 switched on; files named *-elder-*)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import browser, serve  # noqa: E402


def main(*args: str) -> None:
    elder = "--elder" in args
    root, outdir, *paths = [a for a in args if a != "--elder"]
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with serve(Path(root)) as base, browser() as b:
        for name, width, height in (("phone", 390, 844), ("desktop", 1366, 900)):
            page = b.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            if elder:
                page.add_init_script("localStorage.setItem('gkpub-elder', '1')")
                name = "elder-" + name
            for p in paths:
                page.goto(base + p)
                page.wait_for_load_state("networkidle")
                if page.locator("#search-form").count():  # the search page draws its results late
                    page.wait_for_selector('#search-form[data-state="done"]', timeout=20000)
                slug = p.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(out / f"{slug}-{name}.png"), full_page=True)
                print(out / f"{slug}-{name}.png")
            page.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
