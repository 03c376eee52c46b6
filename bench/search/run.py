"""Search benchmark, run by hand (not a test): fonds (Django/SQLite catalog + tantivy index) against
SQLite FTS5 set up as Datasette does, at 10k, 100k and 1M documents.

    mkdir -p /tmp/frus99 && tar -xJf /work/shared/corpus/frus/frus-tei-99vols.tar.xz -C /tmp/frus99
    .venv/bin/pip install numpy psutil py-spy    # bench-only packages (not dependencies of fonds)
    .venv/bin/python bench/search/run.py --size 10k
    .venv/bin/python bench/search/run.py --size 100k
    nohup .venv/bin/python bench/search/run.py --size 1M --memo-fold > /tmp/fonds-bench/run-1M.log 2>&1 &
    .venv/bin/python bench/search/run.py --size 1M --report-only    # the tables again from saved results
    .venv/bin/python bench/search/breakdown.py --size 10k           # where a fonds search spends its time

numpy draws the synthetic texts; psutil is optional (peak RSS comes from resource.getrusage);
py-spy is only for profiling a running stage by hand (`py-spy record -p PID -f raw`).

Everything generated goes under --work (default /tmp/fonds-bench): the real records and the data
sets as JSONL.gz, and per size a folder with the fonds home (catalog.sqlite3, index/), the peer
database and one JSON file of results per stage. A stage whose result file exists is not run
again (--force reruns them all), so an interrupted run resumes. Each stage runs in its own
process, so a build's peak RSS is its own; latencies are timed with both engines in one process
taking turns query by query (fair under load from other work on a shared machine), and the
query-side peak RSS is that of the throughput stages' client processes (one engine each). At the
end the Markdown tables of the size are printed and saved as results/report.md, with the git
commit of the code under test.

--memo-fold memoises `fonds.search.fold.fold_word` in the index-building process (identical
tokens, so an identical index). Before commit 546ef81 fonds folded every word afresh, which held
the build to ~100-350 docs/s (hours at 1M); since then fonds caches folded words itself and the
option patches nothing (the result says so). The build rate of the unpatched code is always
measured too, on the first `--plain-sample` documents. Query timing never patches anything.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "src")]

import corpus  # noqa: E402
import report  # noqa: E402

STAGES = ("catalog", "index", "index_plain", "peer", "queries", "latency", "qps_fonds", "qps_peer")
# Per size: timed rounds over the mix, warm-up queries per class, queries per class the peer is
# timed on (at 1M one common-term FTS5 search takes ~20 s), QPS queries per class for fonds / peer.
PLAN = {"10k": (4, 10, 50, 50, 50), "100k": (1, 5, 50, 10, 5), "1M": (1, 2, 10, 10, 3)}


def paths(work: Path, size: str) -> dict[str, Path]:
    base = work / size
    return {"base": base, "home": base / "fonds-home", "peer": base / "peer.sqlite3", "results": base / "results",
            "data": work / f"docs-{size}.jsonl.gz", "mix": base / "results" / "queries.json"}


def stage(name: str, args: argparse.Namespace) -> dict:
    """Run one stage in this process; returns its result (also saved by the caller)."""
    import fonds_side
    import measure
    import peer
    import queries

    p = paths(args.work, args.size)
    if name == "catalog":
        return fonds_side.build_catalog(p["data"], p["home"], args.work, args.chunk)
    if name == "index":
        patched = args.memo_fold and memoise_fold()
        return {**fonds_side.build_index(p["data"], p["home"], args.chunk), "memo_fold": patched}
    if name == "index_plain":
        if not args.memo_fold:
            return {"same_as_index": True}
        return fonds_side.index_rate(p["data"], p["base"] / "plain-index", args.plain_sample)
    if name == "peer":
        return peer.build(p["data"], p["peer"], args.chunk)
    if name == "queries":
        return {"mix": queries.query_mix(args.work, p["peer"], args.per_class)}
    mix = json.loads((p["results"] / "queries.json").read_text())["mix"]
    rounds, warm, peer_per_class, qps_fonds, qps_peer = PLAN[args.size]
    if name == "latency":
        clients = {"fonds": fonds_side.FondsClient(p["home"]), "peer": peer.PeerClient(p["peer"])}
        return measure.latencies(clients, mix, rounds, warm, limits={"peer": peer_per_class})
    if name == "qps_fonds":
        return measure.throughput(lambda: fonds_side.FondsClient(p["home"]), _subset(mix, qps_fonds))
    return measure.throughput(lambda: peer.PeerClient(p["peer"]), _subset(mix, qps_peer))


def _subset(mix: list[dict], per_class: int) -> list[dict]:
    seen: dict[str, int] = {}
    out = []
    for spec in mix:
        seen[spec["class"]] = seen.get(spec["class"], 0) + 1
        if seen[spec["class"]] <= per_class:
            out.append(spec)
    return out


def src_version() -> str:
    """The git commit of the code under test, marked when src/ has uncommitted changes."""
    def git(*words: str) -> str:
        return subprocess.run(["git", *words], cwd=HERE, capture_output=True, text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--", str(HERE.parents[1] / "src"))
    return git("rev-parse", "--short", "HEAD") + (" + uncommitted changes in src/" if dirty else "")


def memoise_fold() -> bool:
    """Make the index builder fold each distinct word once (same output as fonds' fold); False
    when fonds already caches folded words (since commit 546ef81), so nothing needs patching."""
    import functools

    from fonds.search import fold as folding
    from fonds.search import index

    if hasattr(folding.fold_word, "cache_info"):
        return False
    cached = functools.lru_cache(maxsize=2_000_000)(folding.fold_word)
    index.fold = lambda text: " ".join(cached(word) for word in folding.WORD.findall(text or ""))
    return True


def run_stage_process(name: str, args: argparse.Namespace) -> None:
    """Run a stage in a child process (for its own peak RSS) and store its result as JSON."""
    out = paths(args.work, args.size)["results"] / f"{name}.json"
    if out.exists() and not args.force:
        return
    command = [sys.executable, __file__, "--size", args.size, "--work", str(args.work), "--chunk", str(args.chunk),
               "--per-class", str(args.per_class), "--plain-sample", str(args.plain_sample), "--stage", name]
    if args.memo_fold:
        command.append("--memo-fold")
    started = time.time()
    print(f"== {args.size} {name}", flush=True)
    subprocess.run(command, check=True)
    print(f"== {args.size} {name} done in {time.time() - started:.0f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(corpus.SIZES), required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fonds-bench"))
    parser.add_argument("--frus", type=Path, default=Path("/tmp/frus99"))
    parser.add_argument("--chunk", type=int, default=10_000, help="records per catalog transaction / index batch")
    parser.add_argument("--per-class", type=int, default=50, help="distinct queries per class")
    parser.add_argument("--plain-sample", type=int, default=10_000, help="documents for the unmemoised index rate")
    parser.add_argument("--memo-fold", action="store_true")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--stage", choices=STAGES)
    parser.add_argument("--report-only", action="store_true", help="print the tables from the saved results")
    args = parser.parse_args()
    if args.report_only:
        print(report.render(args.work, args.size))
        return 0
    if args.stage:
        version = src_version()  # before the stage imports the code under test
        result = stage(args.stage, args)
        result["stage_peak_rss_mb"] = __import__("measure").peak_rss_mb()
        result["stage_load_1min"] = os.getloadavg()[0]
        result["src_version"] = version
        out = paths(args.work, args.size)["results"] / f"{args.stage}.json"
        out.write_text(json.dumps(result, indent=1))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    corpus.real_records(args.work, args.frus)
    started = time.time()
    corpus.dataset(args.work, args.size)
    print(f"== {args.size} data ready ({time.time() - started:.0f} s)", flush=True)
    paths(args.work, args.size)["results"].mkdir(parents=True, exist_ok=True)
    for name in STAGES:
        run_stage_process(name, args)
    table = report.render(args.work, args.size)
    (paths(args.work, args.size)["results"] / "report.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
