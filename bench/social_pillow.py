"""The seed's Social Optimizer algorithm (seed-facts §7) with Pillow, for the bench's baseline.

Usage: social_pillow.py <image> <formats.json> <runs> [quality]
Prints {"median_ms": ..., "runs_ms": [...]} measured around the work only (not interpreter start).
Per run: base64-decode the upload, open, convert to RGB, and for every format centre-crop to the
target ratio (smart without a focal point is centre), LANCZOS-resize, encode JPEG and
base64-encode it as a data URL, as the original did for `output_format: "jpg"`. The original
always wrote quality 95; the bench passes the quality its API calls ask for, so both sides encode
the same.
"""
import base64
import io
import json
import statistics
import sys
import time

from PIL import Image


def optimize(b64: str, formats, quality: int):
    img = Image.open(io.BytesIO(base64.b64decode(b64)))
    if img.mode in ("RGBA", "LA", "P"):
        if img.mode == "P":
            img = img.convert("RGBA")
        bg = Image.new("RGB", img.size, (255, 255, 255))
        bg.paste(img, mask=img.split()[-1])
        img = bg
    elif img.mode != "RGB":
        img = img.convert("RGB")
    out = []
    w, h = img.size
    for f in formats:
        tw, th = f["width"], f["height"]
        ratio = tw / th
        if w / h > ratio:
            cw = int(h * ratio)
            left = max(0, min(w // 2 - cw // 2, w - cw))
            box = (left, 0, left + cw, h)
        else:
            ch = int(w / ratio)
            top = max(0, min(h // 2 - ch // 2, h - ch))
            box = (0, top, w, top + ch)
        resized = img.crop(box).resize((tw, th), Image.LANCZOS)
        buf = io.BytesIO()
        resized.convert("RGB").save(buf, format="JPEG", quality=quality)
        out.append("data:image/jpg;base64," + base64.b64encode(buf.getvalue()).decode())
    return out


def main():
    path, formats_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    quality = int(sys.argv[4]) if len(sys.argv) > 4 else 95
    with open(path, "rb") as fh:
        b64 = base64.b64encode(fh.read()).decode()
    with open(formats_path) as fh:
        formats = json.load(fh)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        results = optimize(b64, formats, quality)
        times.append((time.perf_counter() - t0) * 1000)
        assert len(results) == len(formats)
    print(json.dumps({"median_ms": statistics.median(times), "runs_ms": times}))


main()
