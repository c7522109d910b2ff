#!/usr/bin/env python3
"""Checks an HTML report: strict HTML5 parsing (html5lib, strict=True raises on any parse error), no scripts or
external resources, and, given a PNG screenshot, that it is not blank (decoded with the standard library).

    python check_report.py report.html [screenshot.png]
"""
import json, struct, sys, zlib

def png_pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, idat, header = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR": header = struct.unpack(">IIBBBBB", body)
        if kind == b"IDAT": idat += body
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0 and colour in (2, 6), f"unsupported PNG {header}"
    channels = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows

result = {}
import html5lib
html = open(sys.argv[1], encoding="utf-8").read()
try:
    html5lib.HTMLParser(strict=True).parse(html)
    result["valid"] = True
except Exception as error:
    result["valid"] = False
    result["error"] = str(error)
lowered = html.lower()
result["scripts"] = lowered.count("<script")
# Pictures embedded as data: URIs are part of the page; any other src is a resource fetched from elsewhere.
result["external"] = lowered.count(" src=") - lowered.count(' src="data:image/png;base64,') + lowered.count(" href=") + lowered.count("url(http")
result["embedded_images"] = lowered.count(' src="data:image/png;base64,')
if len(sys.argv) > 2:
    width, height, channels, rows = png_pixels(sys.argv[2])
    inked = sum(1 for row in rows for x in range(0, width * channels, channels) if min(row[x:x + 3]) < 200)
    result["inked_fraction"] = inked / (width * height)
print(json.dumps(result))
