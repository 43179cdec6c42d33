"""Draw the Deskapp icon and write every file the app and the installers use.

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/make_icons.py

Writes, beside this script: deskapp-<size>.png for each size (the window icon, the Linux
desktop icon), deskapp.png (512 px), deskapp.ico (Windows: 16 to 256 px) and deskapp.icns
(macOS: 16 to 1024 px). The files are committed; run this again only to change the drawing.

The icon: a white speech bubble holding a short note (the customer, and the handoff note about
them) on a blue tile, with an orange "hand over" arrow. Small sizes are drawn with fewer, bolder
strokes aligned to whole pixels, so they stay sharp instead of being a blurred large icon.

ICO and ICNS are simple containers of PNG images (Windows Vista and later, macOS 10.7 and
later read PNG entries), so they are written here directly, without an imaging library.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

HERE = Path(__file__).resolve().parent
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS entry types holding PNG data, by pixel size (the @2x types reuse the larger images).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)  # fmt: skip

BLUE_TOP = QColor("#2f7fe0")
BLUE_BOTTOM = QColor("#1a4d9e")
NOTE_INK = QColor("#1a4d9e")
ACCENT = QColor("#f28c28")
WHITE = QColor("#ffffff")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    small = size <= 32
    unit = size / 64.0  # the drawing is designed on a 64-unit grid

    def snap(value: float) -> float:
        return round(value * unit) if small else value * unit

    # The tile: a little inset on large sizes (as platform icon grids expect), full on small.
    inset = snap(1 if small else 4)
    tile = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomLeft())
    gradient.setColorAt(0, BLUE_TOP)
    gradient.setColorAt(1, BLUE_BOTTOM)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(gradient))
    radius = tile.width() * (0.18 if small else 0.22)
    painter.drawRoundedRect(tile, radius, radius)

    # The speech bubble with its tail at the lower left.
    bubble = QRectF(snap(12), snap(13), snap(40), snap(29))
    if small:
        bubble = QRectF(snap(10), snap(12), snap(44), snap(31))
    path = QPainterPath()
    path.addRoundedRect(bubble, bubble.height() * 0.28, bubble.height() * 0.28)
    tail = QPainterPath()
    tail.moveTo(bubble.left() + bubble.width() * 0.18, bubble.bottom() - unit)
    tail.lineTo(bubble.left() + bubble.width() * 0.14, bubble.bottom() + snap(9))
    tail.lineTo(bubble.left() + bubble.width() * 0.42, bubble.bottom() - unit)
    tail.closeSubpath()
    painter.setBrush(WHITE)
    painter.drawPath(path.united(tail))

    # The note in the bubble: three lines on large sizes, two bold ones on small.
    painter.setBrush(NOTE_INK)
    lines = ((0.62,), (0.62, 0.42)) if small else ((0.66,), (0.66, 0.48, 0.32))
    widths = lines[1]
    count = len(widths)
    thickness = max(1.0, snap(4.5 if small else 3.2))
    gap = (bubble.height() - count * thickness) / (count + 1)
    left = bubble.left() + bubble.width() * 0.16
    for index, share in enumerate(widths):
        top = bubble.top() + gap * (index + 1) + thickness * index
        if small:
            top = round(top)
        bar = QRectF(left, top, bubble.width() * share, thickness)
        painter.drawRoundedRect(bar, thickness / 2, thickness / 2)

    # The hand-over badge: an orange disc with a white arrow pointing right.
    centre = QPointF(snap(47), snap(47)) if small else QPointF(snap(45), snap(45))
    radius = snap(13) if small else snap(12)
    painter.setBrush(ACCENT)
    # A white ring parts the badge from the bubble; small sizes have no pixels to spare.
    painter.setPen(Qt.PenStyle.NoPen if small else QPen(WHITE, snap(2)))
    painter.drawEllipse(centre, radius, radius)
    if size >= 24:
        pen = QPen(WHITE, max(1.5, radius * 0.26))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        reach = radius * 0.5
        painter.drawLine(centre - QPointF(reach, 0), centre + QPointF(reach, 0))
        head = QPainterPath()
        head.moveTo(centre.x() + reach * 0.1, centre.y() - reach * 0.85)
        head.lineTo(centre.x() + reach, centre.y())
        head.lineTo(centre.x() + reach * 0.1, centre.y() + reach * 0.85)
        painter.drawPath(head)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("Qt could not encode a PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR, one 16-byte ICONDIRENTRY per image, then the PNG images themselves."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in ICO
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """'icns', the total length, then (type, length including its 8-byte header, PNG) entries."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> None:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pngs = {size: png_bytes(draw(size)) for size in sorted({*PNG_SIZES, 1024})}
    for size in PNG_SIZES:
        (HERE / f"deskapp-{size}.png").write_bytes(pngs[size])
    (HERE / "deskapp.png").write_bytes(pngs[512])
    (HERE / "deskapp.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (HERE / "deskapp.icns").write_bytes(icns(pngs))
    print(f"wrote {len(PNG_SIZES) + 3} icon files in {HERE}")


if __name__ == "__main__":
    main()
