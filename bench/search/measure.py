"""Timing the query mix: warm latency percentiles per class, and throughput of 2 client processes.

Latency: the first `warm` queries of each class run once untimed on each engine (warm-up:
caches, page cache, lazily opened files), then `rounds` timed passes in a shuffled order; p50/p95/p99 are over all timed
runs of a class. The two engines run in one process and take turns query by query, so that load
from other processes on the (shared) machine falls on both alike.
Throughput: 2 forked processes, each with its own client, run the whole mix in their own shuffled
order after a shared start signal; queries/s = all queries / wall time of the slower one.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import time
from collections import defaultdict

import numpy as np


def peak_rss_mb() -> float:
    """Peak resident set of this process in MB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def latencies(clients: dict, mix: list[dict], rounds: int, warm: int = 10, seed: int = 1,
              limits: dict[str, int] | None = None) -> dict:
    """Warm up on `warm` queries per class, then time `rounds` passes with the engines taking turns
    on each query; per engine and class p50/p95/p99 in ms, and each query's total hit count.
    `limits` caps an engine to the first N queries of each class (for a peer too slow for all)."""
    limits = limits or {}
    rank = _ranks(mix)
    seen: dict[str, int] = defaultdict(int)
    for spec in mix:
        seen[spec["class"]] += 1
        if seen[spec["class"]] <= warm:
            for client in clients.values():
                client.run(spec)
    totals: dict[str, dict] = {name: {} for name in clients}
    times = {name: defaultdict(list) for name in clients}
    rng = random.Random(seed)
    load = []
    for _ in range(rounds):
        order = mix[:]
        rng.shuffle(order)
        for spec in order:
            for name, client in clients.items():
                if rank[id(spec)] >= limits.get(name, len(mix)):
                    continue
                started = time.perf_counter()
                totals[name][_key(spec)] = client.run(spec)
                times[name][spec["class"]].append((time.perf_counter() - started) * 1000)
        load.append(os.getloadavg()[0])
    return {name: {"classes": {cls: _percentiles(v) for cls, v in times[name].items()}, "totals": totals[name]}
            for name in clients} | {"load_1min": load}


def _ranks(mix: list[dict]) -> dict[int, int]:
    """Each query's position within its class."""
    seen: dict[str, int] = defaultdict(int)
    ranks = {}
    for spec in mix:
        ranks[id(spec)] = seen[spec["class"]]
        seen[spec["class"]] += 1
    return ranks


def _key(spec: dict) -> str:
    return f"{spec['class']}|{spec['fonds']}|{sorted((spec.get('filters') or {}).items())}|{spec.get('page', 1)}"


def _percentiles(values: list[float]) -> dict:
    arr = np.asarray(values)
    return {"n": len(values), "p50": float(np.percentile(arr, 50)), "p95": float(np.percentile(arr, 95)),
            "p99": float(np.percentile(arr, 99)), "mean": float(arr.mean())}


def _client_loop(make_client, mix: list[dict], seed: int, start, queue) -> None:
    client = make_client()
    for spec in mix[:8]:
        client.run(spec)
    order = mix[:]
    random.Random(seed).shuffle(order)
    start.wait()
    began = time.perf_counter()
    for spec in order:
        client.run(spec)
    queue.put((began, time.perf_counter(), len(order), peak_rss_mb()))


def throughput(make_client, mix: list[dict], clients: int = 2) -> dict:
    """Queries/s of `clients` processes running the mix at once (fork: the client is built in each)."""
    ctx = multiprocessing.get_context("fork")
    start, queue = ctx.Barrier(clients), ctx.Queue()
    procs = [ctx.Process(target=_client_loop, args=(make_client, mix, i, start, queue)) for i in range(clients)]
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    wall = max(end for _, end, _, _ in results) - min(began for began, _, _, _ in results)
    done = sum(n for _, _, n, _ in results)
    return {"qps": done / wall, "queries": done, "seconds": wall, "peak_rss_mb": max(r for *_, r in results),
            "load_1min": os.getloadavg()[0]}
