"""Charts drawn on the server as SVG (no script needed): bars of counts, the basemap of the world
with points, a correspondence network. Each template shows the same data as a list beside it."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

BAR_HEIGHT = 24  # SVG units; bar charts are 100 wide
# Natural Earth land at 1:110m from the world-atlas package (npm), vendored: see vendor/world-atlas/.
LAND = Path(__file__).parent / "static" / "fonds" / "vendor" / "world-atlas" / "land-110m.json"
MAP_WIDTH, MAP_HEIGHT = 360, 180  # equirectangular: one unit per degree
MAX_RADIUS = 6.0


def bars(items: list[tuple[str, int, str]]) -> dict:
    """Geometry for `_bars.html`: one bar per (label, count, url), as tall as its share of the peak."""
    if not items:
        return {"bars": []}
    peak = max(count for _, count, _ in items) or 1
    width = 100.0 / len(items)
    out = []
    for i, (label, count, url) in enumerate(items):
        height = round(BAR_HEIGHT * count / peak, 3)
        out.append({"label": label, "count": count, "url": url, "x": round(i * width + width * 0.1, 3),
                    "w": round(width * 0.8, 3), "y": round(BAR_HEIGHT - height, 3), "h": height})
    return {"bars": out, "height": BAR_HEIGHT, "first": items[0][0], "last": items[-1][0]}


# ---- the map -------------------------------------------------------------------------------------

def project(lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular projection into the 360 x 180 map."""
    return round(lon + 180, 2), round(90 - lat, 2)


@lru_cache(maxsize=1)
def land_path() -> str:
    """The SVG path of the world's land, decoded once from the vendored TopoJSON (quantized, delta-
    encoded arcs; see the TopoJSON specification)."""
    topology = json.loads(LAND.read_text())
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(project(y * sy + ty, x * sx + tx))
        arcs.append(points)
    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            rings += [_ring(arcs, ring) for ring in polygon]
    return " ".join(rings)


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> str:
    points = []
    for index in indexes:
        # A negative index is the one's complement of an arc walked backwards.
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += arc[1:] if points else arc
    path, previous = [], None
    for x, y in points:
        # A ring that crosses the antimeridian jumps across the map: lift the pen there, or a line
        # would cross the whole world.
        step = "M" if previous is None or abs(x - previous) > MAP_WIDTH / 2 else "L"
        path.append(f"{step}{x},{y}")
        previous = x
    return "".join(path) + "Z"


def map_points(places: list[dict]) -> list[dict]:
    """Places ({name, count, lat, lon, url}) with their position on the map and a radius by count
    (area proportional to the count)."""
    peak = max((p["count"] for p in places), default=1) or 1
    out = []
    for place in places:
        x, y = project(place["lat"], place["lon"])
        out.append({**place, "x": x, "y": y, "r": round(max(1.2, MAX_RADIUS * math.sqrt(place["count"] / peak)), 2)})
    return sorted(out, key=lambda p: -p["r"])  # small circles on top of large ones


# ---- the network ---------------------------------------------------------------------------------

NETWORK_WIDTH, NETWORK_HEIGHT = 160, 100  # SVG units; room for names on both sides of the circle
ARROW_GAP = 2.2  # a line stops short of its recipient's dot, so that its arrowhead shows
NETWORK_NODES = 30  # people drawn; the list below the drawing has everyone


def network_drawing(nodes: list[dict], edges: list[dict]) -> dict:
    """The busiest people on a circle, lines from writer to recipient as thick as their letters."""
    drawn = nodes[:NETWORK_NODES]
    cx, cy, radius = NETWORK_WIDTH / 2, NETWORK_HEIGHT / 2, NETWORK_HEIGHT / 2 - 8
    places = {}
    for i, node in enumerate(drawn):
        angle = 2 * math.pi * i / max(len(drawn), 1) - math.pi / 2
        places[node["id"]] = {**node, "x": round(cx + radius * math.cos(angle), 2),
                              "y": round(cy + radius * math.sin(angle), 2),
                              "anchor": "start" if math.cos(angle) > 0.01 else "end" if math.cos(angle) < -0.01 else "middle"}
    peak = max((e["count"] for e in edges), default=1)
    lines = [{**_shortened(places[e["source_id"]], places[e["target_id"]]), "a": places[e["source_id"]],
              "b": places[e["target_id"]], "count": e["count"], "width": round(0.15 + 0.9 * e["count"] / peak, 2)}
             for e in edges if e["source_id"] in places and e["target_id"] in places]
    return {"nodes": list(places.values()), "lines": lines, "width": NETWORK_WIDTH, "height": NETWORK_HEIGHT}


def _shortened(a: dict, b: dict) -> dict:
    """The ends of a line from a to b that stops ARROW_GAP before b."""
    dx, dy = b["x"] - a["x"], b["y"] - a["y"]
    length = math.hypot(dx, dy) or 1
    keep = max(0.0, (length - ARROW_GAP) / length)
    return {"x1": a["x"], "y1": a["y"], "x2": round(a["x"] + dx * keep, 2), "y2": round(a["y"] + dy * keep, 2)}
