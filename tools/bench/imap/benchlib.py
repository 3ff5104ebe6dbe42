#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# SPDX-FileCopyrightText: 2026 The Tandem developers
"""Helpers of tools/bench/imap/run.sh (no third-party modules).

    benchlib.py expect   --manifest M --folder F --n N
    benchlib.py check    --manifest M --folder F --n N --kind curl|maildir|floor PATH
    benchlib.py summarize TSV
    benchlib.py sample   --stop FILE --max-seconds S [--interval 0.05] [--dovecot-pid PID] [--ready FILE]
    benchlib.py latency  JSONL

expect:    prints "<messages> <bytes>" for the first N messages of F.
check:     checks one run's output against the manifest and prints one JSON line
           {messages, bytes, verified, ok, error?}. curl: DIR/<uid>.eml, raw
           BODY[] bytes. maildir: an mbsync Maildir folder (files "...,U=<uid>:2,"),
           stored with LF line endings and an added "X-TUID:" header line, both
           undone before comparing. floor: the JSON line of tandem-bench-imap.
           Bytes are always counted as the server sends them (CRLF), so every
           contender is compared on the same figure.
summarize: TSV rows (case, contender, rep, seconds, messages, bytes, scale, note)
           -> markdown tables: median seconds (scaled to the whole set where a
           subset was timed), ratio to mbsync and to the best floor.
sample:    polls /proc every --interval s until FILE exists (or --max-seconds)
           (creating the --ready file after the first poll, which sets the baseline),
           and prints the CPU seconds (user+sys) used meanwhile by Dovecot's imap
           and imap-login processes (only children of --dovecot-pid when
           given), tandem-bench-imap, mbsync and curl; and the whole machine's
           busy CPU seconds (/proc/stat), so "others" = everything else.
latency:   pool-latency JSON lines (with "case" and "rep" added) -> a markdown
           table per case, flagged folder and limit K: the flag-change
           percentiles (median over the runs; max = the largest of all), the
           idle flag change and NOOP round trip (median of the runs' p50) and
           the target 3 round trips + 5 ms.
"""
import argparse
import hashlib
import json
import os
import re
import statistics
import sys
import time


def load(manifest, folder):
    with open(manifest) as f:
        return json.load(f)["folders"][folder]


def cmd_expect(a):
    entries = load(a.manifest, a.folder)[: a.n]
    print(len(entries), sum(e["size"] for e in entries))


def check_files(entries, n, files):
    """files: {uid: bytes (CRLF)}."""
    messages = 0
    total = 0
    bad = []
    for uid, data in files.items():
        messages += 1
        total += len(data)
        if not (1 <= uid <= n) or hashlib.sha256(data).hexdigest() != entries[uid - 1]["sha256"]:
            bad.append(uid)
    return messages, total, bad


def cmd_check(a):
    entries = load(a.manifest, a.folder)
    n = a.n
    expected_bytes = sum(e["size"] for e in entries[:n])
    out = {}
    if a.kind == "floor":
        with open(a.path) as f:
            lines = [line for line in f if line.startswith("{")]
        if not lines:
            out = {"messages": 0, "bytes": 0, "verified": False, "ok": False, "error": "no JSON line"}
        else:
            j = json.loads(lines[-1])
            out = {"messages": j.get("messages", 0), "bytes": j.get("bytes", 0), "verified": j.get("verified", False),
                   "seconds": j.get("seconds"), "error": j.get("error")}
    else:
        files = {}
        if a.kind == "curl":
            for name in os.listdir(a.path):
                m = re.fullmatch(r"(\d+)\.eml", name)
                if m:
                    with open(os.path.join(a.path, name), "rb") as f:
                        files[int(m.group(1))] = f.read()
        else:  # maildir
            for sub in ("new", "cur"):
                d = os.path.join(a.path, sub)
                if not os.path.isdir(d):
                    continue
                for name in os.listdir(d):
                    m = re.search(r",U=(\d+)", name)
                    if not m:
                        continue
                    with open(os.path.join(d, name), "rb") as f:
                        data = f.read()
                    head, sep, body = data.partition(b"\n\n")
                    head = re.sub(rb"(?m)^X-TUID: [^\n]*\n", b"", head + b"\n", count=1)[:-1]
                    data = (head + sep + body).replace(b"\n", b"\r\n")
                    files[int(m.group(1))] = data
        messages, total, bad = check_files(entries, n, files)
        out = {"messages": messages, "bytes": total, "verified": not bad}
        if bad:
            out["error"] = f"{len(bad)} messages differ from the manifest (first UID {min(bad)})"
    out["expected_messages"] = n
    out["expected_bytes"] = expected_bytes
    out["ok"] = (out["messages"] == n and out["bytes"] == expected_bytes and bool(out["verified"])
                 and not out.get("error"))
    print(json.dumps(out))
    return 0 if out["ok"] else 1


def fmt(x):
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def cmd_summarize(a):
    rows = []
    with open(a.tsv) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 8 or p[0] == "case":
                continue
            rows.append({"case": p[0], "who": p[1], "seconds": float(p[3]), "messages": int(p[4]),
                         "bytes": int(p[5]), "scale": float(p[6]), "note": p[7]})
    cases = []
    for r in rows:
        if r["case"] not in cases:
            cases.append(r["case"])
    for case in cases:
        who_order = []
        for r in rows:
            if r["case"] == case and r["who"] not in who_order:
                who_order.append(r["who"])
        med = {}
        info = {}
        for who in who_order:
            rs = [r for r in rows if r["case"] == case and r["who"] == who]
            med[who] = statistics.median(r["seconds"] * r["scale"] for r in rs)
            info[who] = (len(rs), rs[0]["messages"], rs[0]["bytes"], rs[0]["scale"], rs[0]["note"],
                         min(r["seconds"] for r in rs), max(r["seconds"] for r in rs))
        floors = [w for w in who_order if w.startswith("floor")]
        best_floor = min((med[w] for w in floors), default=None)
        mbsync = med.get("mbsync")
        print(f"\n### {case}\n")
        print("| contender | median s | runs (measured min–max s) | messages × scale | MB | / mbsync | / best floor | note |")
        print("|---|---|---|---|---|---|---|---|")
        for who in who_order:
            n, msgs, byts, scale, note, lo, hi = info[who]
            r_mb = f"{med[who] / mbsync:.2f}" if mbsync else "–"
            r_fl = f"{med[who] / best_floor:.2f}" if best_floor else "–"
            sc = f"{msgs} × {scale:g}" if scale != 1 else f"{msgs}"
            print(f"| {who} | {fmt(med[who])} | {n} ({lo:.3f}–{hi:.3f}) | {sc} | {byts / 1e6:.1f} | {r_mb} | {r_fl} | {note} |")


def cmd_latency(a):
    runs = []
    with open(a.jsonl) as f:
        for line in f:
            if line.startswith("{"):
                runs.append(json.loads(line))
    keys = []
    for r in runs:
        k = (r["case"], r.get("flag_folder", r["folder"]) + (" (cold)" if r.get("cold") else ""), r["connections"])
        r["key"] = k
        if k not in keys:
            keys.append(k)
    print("\n| case | flagged message in | K | runs | changes counted | bulk s / round (median) | flag p50 ms | p95 ms"
          " | p99 ms | max ms | idle: flag change p50 ms | idle: NOOP p50 ms | bound: idle change p50 + 3 RTT + 5 ms | p99 met? | bulk check |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for case, folder, k in keys:
        rs = [r for r in runs if r["key"] == (case, folder, k)]
        med = lambda key: statistics.median(r["flag"][key] for r in rs)
        # Cold runs have no idle yardstick: the warm runs of the same case give it.
        warm = [r for r in runs if r["case"] == case and not r.get("cold") and "p50_ms" in r["noop"]]
        rtt = statistics.median(r["noop"]["p50_ms"] for r in (rs if "p50_ms" in rs[0]["noop"] else warm))
        idle_rs = [r for r in rs if "p50_ms" in r["flag_idle"]]
        idle = statistics.median(r["flag_idle"]["p50_ms"] for r in idle_rs) if idle_rs else float("nan")
        # Issue 15's bound: the same change's idle p50 + 3 round trips + 5 ms
        # (cold runs: the warm runs' idle change in the same folder).
        same_warm = [r for r in warm if r.get("flag_folder", r["folder"]) == folder.replace(" (cold)", "")
                     and "p50_ms" in r["flag_idle"]]
        yardstick = idle if idle_rs else (statistics.median(r["flag_idle"]["p50_ms"] for r in same_warm)
                                          if same_warm else float("nan"))
        target = yardstick + 3 * rtt + 5
        p99 = med("p99_ms")
        bulk = statistics.median(s for r in rs for s in r["rounds"])
        count = sum(r["flag"]["count"] for r in rs)
        bad = [f"run {r['rep']}: {r['check']}" for r in rs if r.get("check", "ok") != "ok"]
        check = "; ".join(bad) if bad else "ok"
        print(f"| {case} | {folder} | {k} | {len(rs)} | {count} | {bulk:.2f} | {med('p50_ms'):.1f} | {med('p95_ms'):.1f}"
              f" | {p99:.1f} | {max(r['flag']['max_ms'] for r in rs):.1f} | {'–' if idle != idle else f'{idle:.1f}'} | {rtt:.2f} | {target:.1f}"
              f" | {'yes' if p99 <= target else '**no**'} | {check} |")
    print("\nflag p50/p95/p99: median over the runs of each run's percentile; max: the largest of all runs."
          " Idle figures: the same client before the bulk starts (--count each). (cold): a fresh client, the bulk"
          " first (it takes the main connection), the flagged message in the middle of its first chunk; its round"
          " trip is the warm runs' of the same case.")


def read_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    comm = s[s.index("(") + 1: s.rindex(")")]
    fields = s[s.rindex(")") + 2:].split()
    return comm, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parent_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
        return int(s[s.rindex(")") + 2:].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def machine_cpu():
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
    total = sum(v[:8])
    return (total - idle) / tick, total / tick


def cmd_sample(a):
    watched = ("imap", "imap-login", "tandem-bench-im", "mbsync", "curl")
    # Only our kit's Dovecot counts (other engineers' kits run on this machine
    # too): with --dovecot-pid, imap and imap-login must be its children.
    dovecot = ("imap", "imap-login")
    ours = {}
    first, last = {}, {}
    polls = 0
    m0 = machine_cpu()
    t0 = time.monotonic()
    while time.monotonic() - t0 < a.max_seconds:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            r = read_cpu(pid)
            if not r or r[0] not in watched:
                continue
            if a.dovecot_pid and r[0] in dovecot:
                if pid not in ours:
                    ours[pid] = parent_of(pid) == a.dovecot_pid
                if not ours[pid]:
                    continue
            # A process already there at the first poll counts only its
            # increase; one that appeared later counts from its start.
            first.setdefault(pid, (r[0], r[1] if polls == 0 else 0.0))
            last[pid] = (r[0], r[1])
        polls += 1
        if polls == 1 and a.ready:
            open(a.ready, "w").close()
        if os.path.exists(a.stop):
            break
        time.sleep(a.interval)
    wall = time.monotonic() - t0
    m1 = machine_cpu()
    used = {}
    for pid, (comm, cpu) in last.items():
        used[comm] = used.get(comm, 0.0) + cpu - first[pid][1]
    busy = m1[0] - m0[0]
    out = {"wall_seconds": round(wall, 3), "cpu_seconds": {k: round(v, 3) for k, v in sorted(used.items())},
           "machine_busy_seconds": round(busy, 3), "machine_busy_fraction": round(busy / max(1e-9, m1[1] - m0[1]), 3),
           "others_cpu_seconds": round(busy - sum(used.values()), 3),
           "note": "CPU from /proc every %.2f s; a process that ended between two polls is missed" % a.interval}
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("expect")
    e.add_argument("--manifest", required=True)
    e.add_argument("--folder", default="Bench")
    e.add_argument("--n", type=int, required=True)
    c = sub.add_parser("check")
    c.add_argument("--manifest", required=True)
    c.add_argument("--folder", default="Bench")
    c.add_argument("--n", type=int, required=True)
    c.add_argument("--kind", choices=["curl", "maildir", "floor"], required=True)
    c.add_argument("path")
    s = sub.add_parser("summarize")
    s.add_argument("tsv")
    m = sub.add_parser("sample")
    m.add_argument("--stop", required=True)
    m.add_argument("--max-seconds", type=float, default=120)
    m.add_argument("--interval", type=float, default=0.05)
    m.add_argument("--dovecot-pid", type=int, default=0)
    m.add_argument("--ready", default="")
    la = sub.add_parser("latency")
    la.add_argument("jsonl")
    a = p.parse_args()
    return {"expect": cmd_expect, "check": cmd_check, "summarize": cmd_summarize, "sample": cmd_sample, "latency": cmd_latency}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
