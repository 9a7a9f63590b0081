"""The format and pixel size of a PNG, JPEG, GIF or WebP image, read from its header.

A body image is served with ``width`` and ``height`` so that the page does not jump while
it loads (and an old phone knows the box before the bytes arrive). Only the header is
read, never the pixels: a few dozen bytes for PNG, GIF and WebP; for JPEG the segment
headers up to the first frame header (seeking over EXIF blocks and thumbnails).

A JPEG's EXIF orientation 5 to 8 means the picture is shown turned by 90 degrees (browsers
honour it by default), so its displayed width and height are swapped.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# The name an editor knows each format by, for messages and for matching the extension.
FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WebP"}
EXTENSIONS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif", "webp": "webp"}
# Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_MAX_SEGMENTS = 1000  # a damaged JPEG must not keep the reader looping


class NotAnImage(ValueError):
    """The bytes are not a (complete enough) image of a known format."""


@dataclass(frozen=True)
class ImageInfo:
    format: str  # a key of FORMATS
    width: int
    height: int


def sniff_format(head: bytes) -> str | None:
    """The format the first bytes announce, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def image_info(path: Path) -> ImageInfo:
    """Format and displayed size of the image at ``path``; NotAnImage when it is none."""
    with open(path, "rb") as fh:
        head = fh.read(32)
        fmt = sniff_format(head)
        if fmt == "png":
            w, h = _png(head)
        elif fmt == "gif":
            if len(head) < 10:
                raise NotAnImage("GIF 图片不完整")
            w, h = struct.unpack("<HH", head[6:10])
        elif fmt == "webp":
            w, h = _webp(head + fh.read(8))
        elif fmt == "jpeg":
            fh.seek(2)
            w, h = _jpeg(fh)
        else:
            raise NotAnImage("不是 PNG、JPEG、GIF 或 WebP 图片")
    if w <= 0 or h <= 0:
        raise NotAnImage(f"{FORMATS[fmt]} 图片的宽或高为 0")
    return ImageInfo(fmt, w, h)


def _png(head: bytes) -> tuple[int, int]:
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise NotAnImage("PNG 图片不完整（缺少 IHDR 头）")
    return struct.unpack(">II", head[16:24])


def _webp(head: bytes) -> tuple[int, int]:
    chunk = head[12:16]
    if chunk == b"VP8 " and len(head) >= 30 and head[23:26] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", head[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(head) >= 25 and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(head) >= 30:
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    raise NotAnImage("WebP 图片不完整或格式不认识")


def _jpeg(fh: BinaryIO) -> tuple[int, int]:
    """Walk the segments after SOI to the frame header; note the EXIF orientation on the way."""
    turned = False
    for _ in range(_MAX_SEGMENTS):
        byte = fh.read(1)
        if byte != b"\xff":
            raise NotAnImage("JPEG 图片已损坏（段标记不对）")
        marker = fh.read(1)
        while marker == b"\xff":  # fill bytes
            marker = fh.read(1)
        if not marker:
            break
        code = marker[0]
        if code == 0x01 or 0xD0 <= code <= 0xD7:
            continue  # standalone markers, no length
        if code == 0xD9 or code == 0xDA:
            break  # end of image or start of scan before any frame header
        raw = fh.read(2)
        if len(raw) < 2:
            break
        length = struct.unpack(">H", raw)[0]
        if length < 2:
            raise NotAnImage("JPEG 图片已损坏（段长度不对）")
        if code in _SOF:
            data = fh.read(5)
            if len(data) < 5:
                break
            h, w = struct.unpack(">HH", data[1:5])
            return (h, w) if turned else (w, h)
        if code == 0xE1:
            data = fh.read(length - 2)
            turned = turned or _exif_orientation(data) in (5, 6, 7, 8)
        else:
            fh.seek(length - 2, 1)
    raise NotAnImage("JPEG 图片不完整（找不到图像尺寸）")


def _exif_orientation(data: bytes) -> int:
    """The Orientation tag (0x0112) of IFD0 in an APP1 Exif block, or 0."""
    if not data.startswith(b"Exif\x00\x00") or len(data) < 14:
        return 0
    tiff = data[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return 0
    try:
        ifd = struct.unpack(order + "I", tiff[4:8])[0]
        count = struct.unpack(order + "H", tiff[ifd:ifd + 2])[0]
        for n in range(count):
            entry = tiff[ifd + 2 + 12 * n: ifd + 14 + 12 * n]
            tag, kind = struct.unpack(order + "HH", entry[:4])
            if tag == 0x0112 and kind == 3:  # SHORT
                return int(struct.unpack(order + "H", entry[8:10])[0])
    except struct.error:
        return 0
    return 0
