#!/usr/bin/env python3
"""Regenerates src-tauri/icons/icon.png: a 128x128 RGBA PNG (shield on a rounded square).

Pure standard library, deterministic output. Usage: python3 scripts/make-icon.py
"""
import os
import struct
import zlib

SIZE = 128
SS = 4  # supersampling factor per axis for anti-aliasing


def in_rounded_square(x, y, inset=4.0, r=26.0):
    lo, hi = inset, SIZE - inset
    if not (lo <= x <= hi and lo <= y <= hi):
        return False
    cx = min(max(x, lo + r), hi - r)
    cy = min(max(y, lo + r), hi - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def in_shield(x, y, scale=1.0):
    # Shield centred at (64, 66): flat top, straight sides, curved point at the bottom.
    cx = 64.0
    top, mid, bot = 64 - 40 * scale, 64 + 6 * scale, 64 + 46 * scale
    half = 34 * scale
    if y < top or y > bot:
        return False
    if y <= mid:
        return abs(x - cx) <= half
    t = (y - mid) / (bot - mid)  # 0..1 down to the tip
    return abs(x - cx) <= half * (1 - t ** 1.6)


def in_check(x, y):
    # A thick "check" stroke inside the shield: two segments, distance-based.
    def seg(px, py, ax, ay, bx, by):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        qx, qy = ax + t * dx, ay + t * dy
        return ((px - qx) ** 2 + (py - qy) ** 2) ** 0.5
    w = 6.0
    return seg(x, y, 46, 64, 59, 78) <= w or seg(x, y, 59, 78, 84, 48) <= w


def pixel(x, y):
    # Returns straight-alpha RGBA floats for one sample point.
    if not in_rounded_square(x, y):
        return (0, 0, 0, 0)
    if in_shield(x, y, 0.86):
        if in_check(x, y):
            return (255, 255, 255, 255)
        return (37, 99, 235, 255)  # accent blue
    if in_shield(x, y, 1.0):
        return (226, 232, 240, 255)  # light rim
    return (31, 41, 55, 255)  # slate background


def render():
    rows = []
    n = SS * SS
    for py in range(SIZE):
        row = bytearray([0])  # filter type: none
        for px in range(SIZE):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(SS):
                for sx in range(SS):
                    r, g, b, a = pixel(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3] / n
            if acc[3] > 0:
                rgb = [round(c / acc[3]) for c in acc[:3]]
            else:
                rgb = [0, 0, 0]
            row += bytes(rgb + [round(alpha)])
        rows.append(bytes(row))
    return b"".join(rows)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def main():
    raw = render()
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))  # 8-bit RGBA
    png += chunk(b"IDAT", zlib.compress(raw, 9))
    png += chunk(b"IEND", b"")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src-tauri", "icons", "icon.png")
    with open(out, "wb") as f:
        f.write(png)
    print(f"wrote {os.path.normpath(out)} ({len(png)} bytes)")


if __name__ == "__main__":
    main()
