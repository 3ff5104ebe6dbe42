#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""The markdown report of tools/bench/store/run.sh from its runs.jsonl.

    summary.py RUNS.jsonl

Each line: {"bench", "path", "rep", "run": the tool's JSON line or null}.
Medians with their spread (min-max) over the reps; the targets of issue 12
are checked against the medians and every run is listed under the tables.
"""
import json
import statistics
import sys
from collections import defaultdict


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ok(line):
    return line["run"] is not None and "error" not in line["run"]


def spread(values, fmt="{:.3f}"):
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def failures(lines):
    bad = [l for l in lines if not ok(l)]
    for l in bad:
        why = "no output" if l["run"] is None else l["run"].get("error")
        print(f"- FAILED: {l['bench']} {l['path']} rep {l['rep']}: {why}")
    if bad:
        print()


def first_sync(lines):
    kinds = {"first-sync": "sync", "client": "client", "floor": "floor"}
    by_limit = defaultdict(lambda: {"sync": {}, "client": {}, "floor": {}})
    for l in lines:
        if l["bench"] in kinds and ok(l):
            by_limit[l["path"]][kinds[l["bench"]]][l["rep"]] = l["run"]
    if not by_limit:
        return
    print("### First sync of Bench (10,000 summaries) against the raw floor\n")
    print("| client limit | connections (sync / floor) | first sync s | client, no store s | floor s "
          "| sync / floor | client / floor | target 1.3x |")
    print("|---|---|---|---|---|---|---|---|")
    for limit, runs in sorted(by_limit.items(), key=lambda kv: -int(kv[0].split()[-1])):
        reps = sorted(set(runs["sync"]) & set(runs["floor"]))
        syncs = [runs["sync"][r]["seconds"] for r in reps]
        floors = [runs["floor"][r]["seconds"] for r in reps]
        clients = [runs["client"][r]["seconds"] for r in reps if r in runs["client"]]
        ratios = [s / f for s, f in zip(syncs, floors)]
        client_ratios = [runs["client"][r]["seconds"] / runs["floor"][r]["seconds"] for r in reps
                         if r in runs["client"]]
        conns = sorted({runs["sync"][r]["connections"] for r in reps})
        fconns = sorted({runs["floor"][r]["connections"] for r in reps})
        held = "held" if ratios and statistics.median(ratios) <= 1.3 else "not held"
        print(f"| {limit.split()[-1]} | {'/'.join(map(str, conns))} / {'/'.join(map(str, fconns))} "
              f"| {spread(syncs)} | {spread(clients)} | {spread(floors)} | {spread(ratios, '{:.2f}')} "
              f"| {spread(client_ratios, '{:.2f}')} | {held} |")
    print("\nMedian (min-max) over the reps; ratios are taken per rep (the contenders run back to back).\n")


def resync(lines, rtt):
    runs = [l for l in lines if l["bench"] == "resync" and ok(l)]
    if not runs:
        return
    print("### Resync with nothing changed (every folder, after a sync)\n")
    for path in ("loopback", "proxy"):
        mine = [l["run"] for l in runs if l["path"] == path]
        if not mine:
            continue
        warm = defaultdict(list)
        cold = defaultdict(list)
        commands = {}
        methods = {}
        totals = defaultdict(list)
        for run in mine:
            for rnd in run["rounds"]:
                target = cold if rnd["round"] == 0 else warm
                totals["cold" if rnd["round"] == 0 else "warm"].append(rnd["ms"])
                target["(folder list)"].append(rnd["folder_list"]["ms"])
                if rnd["round"] > 0:
                    commands["(folder list)"] = rnd["folder_list"]["commands"]
                for f in rnd["folders"]:
                    target[f["folder"]].append(f["ms"])
                    if rnd["round"] > 0:
                        commands[f["folder"]] = f["commands"]
                        methods[f["folder"]] = f["method"]
        trip = rtt.get(path)  # the NOOP round trip of the flag runs on this path
        print(f"**{path}** (NOOP round trip p50 {trip:.2f} ms)\n" if trip else f"**{path}**\n")
        print("| folder | warm ms | first round after start ms | IMAP commands (warm) | of them | method |")
        print("|---|---|---|---|---|---|")
        for name in warm:
            c = commands.get(name, {})
            names = ", ".join(f"{k} {v}" for k, v in sorted(c.get("by_name", {}).items()))
            print(f"| {name} | {spread(warm[name], '{:.2f}')} | {spread(cold[name], '{:.2f}')} "
                  f"| {c.get('total', '-')} | {names} | {methods.get(name, '')} |")
        print(f"| **all** | {spread(totals['warm'], '{:.1f}')} | {spread(totals['cold'], '{:.1f}')} | | | |")
        print(f"\n{len(mine)} runs; warm: {len(totals['warm'])} rounds in all. Target: one round trip per folder "
              "(QRESYNC).\n")


def flag(lines):
    runs = [l for l in lines if l["bench"] == "flag" and ok(l)]
    if not runs:
        return
    print("### A flag click while Bench's bodies are prefetched (\\Flagged on the folder's first message)\n")
    print("| path, folder clicked | rep | NOOP p50 ms | idle p50 / p99 ms | during prefetch p50 / p99 / max ms (n) "
          "| p99 after its first s | 3 slowest (ms at s) | prefetch s (bodies) "
          "| bound: idle p99 + 3 RTT + 5 ms | held |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for l in sorted(runs, key=lambda l: (l["path"], l["rep"])):
        r = l["run"]
        rtt = r["noop"]["p50_ms"]
        bound = r["flag_idle"]["p99_ms"] + 3 * rtt + 5
        d = r["flag_during"]
        later = r.get("flag_during_after_1s", {}).get("p99_ms")
        slow = ", ".join(f"{c['ms']:.0f} at {c['at_ms'] / 1000:.1f}" for c in r.get("flag_during_slowest", [])[:3])
        held = "yes" if d["p99_ms"] <= bound else "no"
        print(f"| {l['path']} | {l['rep']} | {rtt:.2f} | {r['flag_idle']['p50_ms']:.1f} / {r['flag_idle']['p99_ms']:.1f} "
              f"| {d['p50_ms']:.1f} / {d['p99_ms']:.1f} / {d['max_ms']:.1f} ({d['count']}) "
              f"| {'-' if later is None else f'{later:.1f}'} | {slow or '-'} "
              f"| {r['prefetch_seconds']:.1f} ({r['bodies_stored']}) | {bound:.1f} | {held} |")
    print()


def main():
    lines = load(sys.argv[1])
    noops = defaultdict(list)
    for l in lines:
        if l["bench"] == "flag" and ok(l):
            noops[l["path"].split()[0]].append(l["run"]["noop"]["p50_ms"])
    rtt = {path: statistics.median(v) for path, v in noops.items()}
    failures(lines)
    first_sync(lines)
    resync(lines, rtt)
    flag(lines)
    print("<details><summary>every run (JSON)</summary>\n")
    print("```")
    for l in lines:
        print(json.dumps(l, separators=(",", ":")))
    print("```\n</details>\n")


if __name__ == "__main__":
    main()
