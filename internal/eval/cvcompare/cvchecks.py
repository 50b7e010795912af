"""OpenCV doing imagecheck's document checks, for the speed comparison of
internal/eval/cvcompare (docs/imagecheck.md, "Speed").

Reads a JSON request on standard input:
    {"files": [...], "iterations": N, "cascade": "haarcascade_frontalface_default.xml path",
     "face": true}
and writes one JSON line per photo on standard output:
    {"file", "cpu_ms": [per iteration], "wall_ms": [...], "decode_cpu_ms": [...],
     "scores": {...},
     "quad": [[x, y] * 4] (original pixels) or null, "faces": n}

Each photo is read into memory first (not timed); then, timed on this one
thread (cv2.setNumThreads(1), time.thread_time): decoded by libjpeg-turbo
at 1/4 scale in the DCT domain (IMREAD_REDUCED_COLOR_4), converted to
YCrCb, the document outline found with Canny + contours + approxPolyDP on
a copy of about 500 pixels, and over the document: blur (variance of the
Laplacian), exposure (median luma, share at 250 or above), glare (largest
connected region at 248 or above), colour (spread of chroma over luma)
and, on request, the portrait with the Haar cascade given (the document's
box, and turned by 180 degrees when none is found).
"""
import json
import sys
import time

import cv2
import numpy as np

cv2.setNumThreads(1)


def outline(y):
    """The largest convex quadrilateral contour of the Canny edges of y
    (on a copy reduced to about 500 pixels on the long side) covering 4 to
    90 % of the frame, in y's pixels, or None."""
    f = max(1, round(max(y.shape) / 500))
    small = cv2.resize(y, (y.shape[1] // f, y.shape[0] // f), interpolation=cv2.INTER_AREA) if f > 1 else y
    small = cv2.GaussianBlur(small, (5, 5), 0)
    edges = cv2.Canny(small, 50, 150)
    edges = cv2.dilate(edges, None)
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    frame = small.shape[0] * small.shape[1]
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:10]:
        peri = cv2.arcLength(c, True)
        approx = cv2.approxPolyDP(c, 0.02 * peri, True)
        if len(approx) == 4 and cv2.isContourConvex(approx) and 0.04 * frame <= cv2.contourArea(approx) <= 0.9 * frame:
            return approx.reshape(4, 2).astype(np.float32) * f
    return None


def check(data, cascade, face):
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_REDUCED_COLOR_4)
    if img is None:
        return {"error": "unreadable"}, None, 0
    decoded = time.thread_time()
    ycc = cv2.cvtColor(img, cv2.COLOR_BGR2YCrCb)
    y, cr, cb = cv2.split(ycc)
    h, w = y.shape
    quad = outline(y)
    mask = np.zeros((h, w), np.uint8)
    scores = {}
    if quad is not None:
        cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
        inside = all(2 <= x <= w - 3 and 2 <= yy <= h - 3 for x, yy in quad)
        scores["corners"] = 1.0 if inside else 0.0
        sides = [np.hypot(*(quad[(i + 1) % 4] - quad[i])) for i in range(4)]
        scores["resolution"] = max(sides[0] + sides[2], sides[1] + sides[3]) / 2 * 4
    else:
        mask[h // 10: h - h // 10, w // 10: w - w // 10] = 255
        scores["corners"] = 0.0
        scores["resolution"] = 0.75 * max(w, h) * 4
    area = max(1, cv2.countNonZero(mask))

    lap = cv2.Laplacian(y, cv2.CV_16S, ksize=1)
    _, sd = cv2.meanStdDev(lap, mask=mask)
    scores["blur"] = float(sd[0][0] ** 2)

    hist = cv2.calcHist([y], [0], mask, [256], [0, 256]).ravel()
    cum = np.cumsum(hist)
    scores["brightness"] = float(np.searchsorted(cum, cum[-1] / 2))
    scores["clipped"] = float(hist[250:].sum() / max(1, cum[-1]))

    bright = cv2.bitwise_and((y >= 248).astype(np.uint8), mask // 255)
    n, _, stats, _ = cv2.connectedComponentsWithStats(bright, connectivity=4)
    scores["glare"] = float(stats[1:, cv2.CC_STAT_AREA].max() / area) if n > 1 else 0.0

    sel = (mask > 0) & (y >= 30) & (y <= 245)
    yv = y[sel].astype(np.float32)
    if yv.size >= 16:
        u = (cb[sel].astype(np.float32) - 128) / yv * 100
        v = (cr[sel].astype(np.float32) - 128) / yv * 100
        scores["colour"] = float(np.sqrt(u.var() + v.var()))
    else:
        scores["colour"] = 0.0

    faces = 0
    if face:
        x0, y0, bw, bh = cv2.boundingRect(mask)
        doc = y[y0:y0 + bh, x0:x0 + bw]
        for view in (doc, cv2.rotate(doc, cv2.ROTATE_180)):
            found = cascade.detectMultiScale(view, scaleFactor=1.1, minNeighbors=5, minSize=(24, 24))
            faces = len(found)
            if faces:
                break
        scores["face"] = 1.0 if faces else 0.0
    q = None if quad is None else (quad * 4).tolist()
    scores["decoded_at"] = decoded
    return scores, q, faces


def main():
    req = json.load(sys.stdin)
    cascade = cv2.CascadeClassifier(req["cascade"]) if req.get("face") else None
    if cascade is not None and cascade.empty():
        sys.exit("cvchecks: cannot load the cascade " + req["cascade"])
    for path in req["files"]:
        with open(path, "rb") as f:
            data = f.read()
        cpu, wall, dec = [], [], []
        for _ in range(max(1, req.get("iterations", 1))):
            c0, w0 = time.thread_time(), time.perf_counter()
            scores, quad, faces = check(data, cascade, req.get("face"))
            cpu.append((time.thread_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
            dec.append((scores.pop("decoded_at", c0) - c0) * 1000)
        print(json.dumps({"file": path, "cpu_ms": cpu, "wall_ms": wall, "decode_cpu_ms": dec,
                          "scores": scores, "quad": quad, "faces": faces}), flush=True)


if __name__ == "__main__":
    main()
