"""The Markdown report of one size: machine, versions, data, build and size figures, latency per
query class with the peer's p95 over fonds' p95, throughput, peak RSS, and the 1M targets."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from importlib import metadata
from pathlib import Path

from queries import CLASSES

TARGET_P95_MS = 50.0
TARGET_COMMON_RATIO = 10.0
TARGET_SIZE_RATIO = 1.5


def machine() -> str:
    """Cores, CPU model, RAM and versions, one line each."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    ram = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("tantivy", "Django", "numpy"))
    return (f"Machine: {os.cpu_count()} cores, {model}, {ram / 1024 ** 2:.0f} GB RAM, {platform.platform()}\n"
            f"Versions: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {versions}")


def _load(results: Path, name: str) -> dict:
    path = results / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def render(work: Path, size: str) -> str:
    """The whole report of one size as Markdown."""
    results = work / size / "results"
    r = {name: _load(results, name) for name in ("catalog", "index", "index_plain", "peer", "latency", "qps_fonds", "qps_peer")}
    r["latency_fonds"], r["latency_peer"] = r["latency"]["fonds"], r["latency"]["peer"]
    raw = r["peer"]["raw_bytes"]
    commits = sorted({v["src_version"] for v in r.values() if isinstance(v, dict) and v.get("src_version")})
    lines = [machine(), f"Code under test (git): {', '.join(commits) or 'not recorded'}", f"Data: {size} = {r['peer']['documents']:,} documents, raw text (titles + summaries + bodies) "
             f"{raw / 1e6:,.0f} MB", ""]
    lines += _build_table(r, raw) + [""] + _latency_table(r) + [""] + _targets(r, raw, size)
    return "\n".join(lines) + "\n"


def _rate(result: dict) -> float:
    return result["documents"] / result["seconds"] if result else float("nan")


def _build_table(r: dict, raw: int) -> list[str]:
    cat, idx, plain, peer = r["catalog"], r["index"], r["index_plain"], r["peer"]
    fonds_seconds = cat["seconds"] + idx["seconds"]
    fonds_bytes = cat["bytes"] + idx["bytes"]
    memo = " (fold memoised)" if idx.get("memo_fold") else ""
    plain_note = f"; unmodified indexing {_rate(plain):,.0f} docs/s on {plain['documents']:,} docs" if plain.get("documents") else ""
    return [
        "| build | fonds | FTS5 peer | peer / fonds |", "|---|---:|---:|---:|",
        f"| seconds (catalog + index) | {cat['seconds']:,.0f} + {idx['seconds']:,.0f} = {fonds_seconds:,.0f} | {peer['seconds']:,.0f} | {peer['seconds'] / fonds_seconds:.2f}x |",
        f"| docs/s, catalog | {_rate(cat):,.0f} | | |",
        f"| docs/s, index{memo} | {_rate(idx):,.0f}{plain_note} | | |",
        f"| docs/s, whole build | {cat['documents'] / fonds_seconds:,.0f} | {_rate(peer):,.0f} | {_rate(peer) / (cat['documents'] / fonds_seconds):.1f}x |",
        f"| size on disk, MB | catalog {cat['bytes'] / 1e6:,.0f} + index {idx['bytes'] / 1e6:,.0f} = {fonds_bytes / 1e6:,.0f} | {peer['bytes'] / 1e6:,.0f} | {peer['bytes'] / fonds_bytes:.2f}x |",
        f"| size / raw text | {cat['bytes'] / raw:.2f} + {idx['bytes'] / raw:.2f} = {fonds_bytes / raw:.2f}x | {peer['bytes'] / raw:.2f}x | |",
        f"| peak RSS of the build, MB | catalog {cat['stage_peak_rss_mb']:,.0f}, index {idx['stage_peak_rss_mb']:,.0f} | {peer['stage_peak_rss_mb']:,.0f} | |",
        "", f"Load average (1 min) at the end of each build: catalog {cat['stage_load_1min']:.1f}, index "
        f"{idx['stage_load_1min']:.1f}, peer {peer['stage_load_1min']:.1f} (2 cores; other work on the machine shows here).",
    ]


def _latency_table(r: dict) -> list[str]:
    fonds, peer = r["latency_fonds"]["classes"], r["latency_peer"]["classes"]
    hits = _median_hits(r)
    lines = ["| query class (timed runs fonds / peer) | fonds p50 / p95 / p99 ms | FTS5 p50 / p95 / p99 ms | peer p95 / fonds p95 | median hits fonds / peer |",
             "|---|---:|---:|---:|---:|"]
    for cls in CLASSES:
        f, p = fonds[cls], peer[cls]
        lines.append(f"| {cls} ({f['n']} / {p['n']}) | {f['p50']:.1f} / {f['p95']:.1f} / {f['p99']:.1f} | {p['p50']:.1f} / {p['p95']:.1f} / "
                     f"{p['p99']:.1f} | {p['p95'] / f['p95']:.1f}x | {hits[cls][0]:,} / {hits[cls][1]:,} |")
    qf, qp = r["qps_fonds"], r["qps_peer"]
    lines.append(f"| **2 clients, queries/s** ({qf['queries']} / {qp['queries']} queries) | {qf['qps']:.1f} q/s | {qp['qps']:.1f} q/s | "
                 f"fonds / peer q/s: {qf['qps'] / qp['qps']:.2f}x | |")
    lines.append(f"| peak RSS of one client process, MB | {qf['peak_rss_mb']:,.0f} | {qp['peak_rss_mb']:,.0f} | | |")
    load = r["latency"]["load_1min"] + [qf["load_1min"], qp["load_1min"]]
    lines.append(f"\nLoad average (1 min) on the shared machine during the query runs: {min(load):.1f} to {max(load):.1f}.")
    return lines


def _median_hits(r: dict) -> dict[str, tuple[int, int]]:
    out = {}
    for cls in CLASSES:
        keys = [k for k in r["latency_fonds"]["totals"] if k.startswith(cls + "|") and k in r["latency_peer"]["totals"]]
        f = sorted(r["latency_fonds"]["totals"][k] for k in keys)
        p = sorted(r["latency_peer"]["totals"][k] for k in keys)
        out[cls] = (f[len(f) // 2], p[len(p) // 2]) if keys else (0, 0)
    return out


def _targets(r: dict, raw: int, size: str) -> list[str]:
    fonds, peer = r["latency_fonds"]["classes"], r["latency_peer"]["classes"]
    worst = max(CLASSES, key=lambda c: fonds[c]["p95"])
    ratio = peer["common"]["p95"] / fonds["common"]["p95"]
    size_ratio = (r["catalog"]["bytes"] + r["index"]["bytes"]) / raw
    verdict = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    return [f"Targets (stated for 1M; this is {size}):",
            f"- fonds p95 <= {TARGET_P95_MS:.0f} ms in every class: {verdict(fonds[worst]['p95'] <= TARGET_P95_MS)} "
            f"(worst: {worst}, {fonds[worst]['p95']:.1f} ms; classes over: "
            f"{', '.join(c for c in CLASSES if fonds[c]['p95'] > TARGET_P95_MS) or 'none'})",
            f"- common-term p95 >= {TARGET_COMMON_RATIO:.0f}x lower than FTS5: {verdict(ratio >= TARGET_COMMON_RATIO)} ({ratio:.1f}x)",
            f"- index + catalog <= {TARGET_SIZE_RATIO}x raw text: {verdict(size_ratio <= TARGET_SIZE_RATIO)} ({size_ratio:.2f}x)"]
