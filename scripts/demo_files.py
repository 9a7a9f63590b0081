"""Make the demo district's body images and the annual report's data table. Run once: the
files are committed (a run makes new bytes for the workbook, whose ZIP holds times).
Needs Pillow (WeasyPrint's dependency), openpyxl and Noto Sans CJK.

    python3 scripts/demo_files.py

Charts are drawn as bars with their values, in the portal's blue, and saved as 16-colour
PNGs: a few kilobytes each. The numbers are the ones in the Markdown beside them.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC = 2  # the face of Simplified Chinese in the collection
BLUE, INK, GRID = (21, 86, 153), (34, 34, 34), (210, 214, 220)


def nice_step(rough: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``rough``."""
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


def bar_chart(path: Path, title: str, unit: str, bars: list[tuple[str, float]], width: int = 720,
              height: int = 360) -> None:
    font = ImageFont.truetype(FONT, 16, index=SC)
    big = ImageFont.truetype(FONT, 20, index=SC)
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.text((width // 2, 14), title, font=big, fill=INK, anchor="mt")
    left, right, top, bottom = 70, width - 20, 64, height - 44
    step = nice_step(max(v for _, v in bars) * 1.1 / 4)
    ticks = 1 + int(max(v for _, v in bars) * 1.1 // step) + 1
    top_value = step * (ticks - 1)
    for k in range(ticks):
        y = bottom - (bottom - top) * k / (ticks - 1)
        draw.line([(left, y), (right, y)], fill=GRID, width=1)
        draw.text((left - 8, y), f"{step * k:g}", font=font, fill=INK, anchor="rm")
    draw.text((left - 8, top - 26), unit, font=font, fill=INK, anchor="rm")
    slot = (right - left) / len(bars)
    for n, (label, value) in enumerate(bars):
        x0 = left + slot * n + slot * 0.2
        x1 = left + slot * (n + 1) - slot * 0.2
        y = bottom - (bottom - top) * value / top_value
        draw.rectangle([x0, y, x1, bottom], fill=BLUE)
        draw.text(((x0 + x1) / 2, y - 4), f"{value:g}", font=font, fill=INK, anchor="mb")
        draw.text(((x0 + x1) / 2, bottom + 8), label, font=font, fill=INK, anchor="mt")
    draw.line([(left, bottom), (right, bottom)], fill=INK, width=1)
    img.quantize(colors=16).save(path, optimize=True)


def annual_table(path: Path) -> None:
    """The tables of the 2025 annual report (content/pages/annual/2025.md), as one workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = "主动公开"
    ws.append(["青禾区人民政府2025年政府信息公开工作年度报告 统计表"])
    ws.append(["环节", "主动公开条数"])
    for row in (("决策", 412), ("执行", 736), ("管理", 598), ("服务", 905), ("结果", 1211), ("合计", 3862)):
        ws.append(list(row))
    ws2 = wb.create_sheet("依申请公开")
    ws2.append(["项目", "件数"])
    for row in (("本年新收政府信息公开申请", 103), ("上年结转政府信息公开申请", 5), ("本年度办理结果合计", 102),
                ("结转下年度继续办理", 6)):
        ws2.append(list(row))
    fixed = dt.datetime(2026, 3, 24)  # the report's date, not the day the script ran
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "青禾区政务公开办"
    wb.save(path)


def main() -> None:
    bar_chart(ROOT / "content/items/shenong/files/xikou-gengdi-mianji.png",
              "溪口村2026年耕地地力保护补贴面积（按村民小组）", "亩",
              [("第一组", 341.2), ("第二组", 402.7), ("第三组", 418.5), ("第四组", 359.6), ("第五组", 324.3)])
    files = ROOT / "content/pages/annual/files"
    files.mkdir(parents=True, exist_ok=True)
    bar_chart(files / "2025-zhudong-gongkai.png", "2025年主动公开政府信息（按五公开环节）", "条",
              [("决策", 412), ("执行", 736), ("管理", 598), ("服务", 905), ("结果", 1211)])
    annual_table(files / "2025-nianbao-tongjibiao.xlsx")


if __name__ == "__main__":
    main()
