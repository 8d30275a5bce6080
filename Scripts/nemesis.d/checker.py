"""The checker, run after the final heal and the settle time.

1. No fork: every node holds the same block hash at every height from 1 to the lowest node's
   height, and each block's previous_hash is the hash of the block before it.
2. Every acknowledged anchor (the CLI exited 0 with status committed) is on every node
   (GET /v1/documents/<hash> -> 200), at the height the CLI was told.
3. After each heal, commits resume within --resume-max seconds (the highest height any node
   reports grows within that time of the heal).
4. No node exited except when the nemesis stopped it. A node that stops by itself while its disk
   is full is reported as a finding and not counted as a failure (see docs/OPERATIONS.md,
   "Nemesis"): stopping is a safe answer to a disk that cannot take the next block, provided the
   node catches up once it is restarted with space, which 1 and 2 check.
5. Every node caught up with the best height before the checks (a node that never catches up
   fails 1 and 2 anyway; this says so directly).
6. Resident memory of every node stayed below --rss-max-mib.
"""

import asyncio
import json
import os
import time

from cluster import API_PORT, NAMES, http_json

N = len(NAMES)


async def _get(node, path, attempts=3):
    last = None
    for _ in range(attempts):
        try:
            return await http_json(node.ip, API_PORT, path, 5.0)
        except (OSError, asyncio.TimeoutError, ValueError, asyncio.IncompleteReadError) as e:
            last = e
            await asyncio.sleep(0.3)
    return None, repr(last)


async def _bounded(coros, limit=16):
    sem = asyncio.Semaphore(limit)

    async def one(c):
        async with sem:
            return await c
    return await asyncio.gather(*(one(c) for c in coros))


def resume_gaps(run):
    """(fault, kind, seconds from the heal to the next new height, or None if none came)."""
    out = []
    for number, kind, t, _height in run.heals:
        nxt = next((ts for ts, _h in run.max_series if ts > t), None)
        out.append((number, kind, None if nxt is None else round(nxt - t, 2)))
    return out


def longest_commit_gap(run):
    best, where = 0.0, None
    series = run.max_series
    for (t1, _), (t2, _) in zip(series, series[1:]):
        if t2 - t1 > best:
            best, where = t2 - t1, t1
    return round(best, 2), (round(run.rel(where), 1) if where is not None else None)


async def check(run, target):
    failures, notes = [], []
    nodes = run.nodes
    started = time.monotonic()

    # 5. caught up
    statuses = await asyncio.gather(*(_get(n, "/v1/status") for n in nodes))
    heights = []
    for n, (code, body) in zip(nodes, statuses):
        h = int(body.get("latest_height") or 0) if code == 200 and isinstance(body, dict) else None
        heights.append(h)
        if h is None:
            failures.append(f"{n.name} does not answer /v1/status at the end ({body})")
        elif h < target:
            failures.append(f"{n.name} did not catch up: height {h}, the best node had {target} "
                            f"{run.args.catch_up_timeout:g} s after the settle time")
    known = [h for h in heights if h is not None]
    common = min(known) if known else 0
    # Nodes that do not answer at all are reported above; reading every block and document from
    # them would only add timeouts.
    down = [n.name for n, h in zip(nodes, heights) if h is None]
    nodes = [n for n, h in zip(nodes, heights) if h is not None]

    # 1. no fork, at every height up to the lowest node's
    forks, gaps_missing = [], []
    hash_at = {}
    replies = await _bounded([_get(n, f"/v1/blocks/{h}") for h in range(1, common + 1) for n in nodes])
    it = iter(replies)
    for h in range(1, common + 1):
        seen = {}
        for n in nodes:
            code, body = next(it)
            if code != 200 or not isinstance(body, dict):
                gaps_missing.append((n.name, h, code))
                continue
            seen.setdefault(body.get("hash"), []).append(n.name)
            hash_at[(n.name, h)] = (body.get("hash"), body.get("previous_hash"))
        if len(seen) > 1:
            forks.append((h, seen))
    chain_breaks = []
    for n in nodes:
        for h in range(2, common + 1):
            a, b = hash_at.get((n.name, h - 1)), hash_at.get((n.name, h))
            if a and b and b[1] != a[0]:
                chain_breaks.append((n.name, h))
    if forks:
        h, seen = forks[0]
        failures.append(f"FORK at {len(forks)} heights, first at {h}: " +
                        "; ".join(f"{hsh[:16]}… on {', '.join(ns)}" for hsh, ns in seen.items()))
    if gaps_missing:
        failures.append(f"{len(gaps_missing)} block reads failed below the common height, e.g. "
                        f"{gaps_missing[:3]}")
    if chain_breaks:
        failures.append(f"previous_hash does not link at {len(chain_breaks)} heights, e.g. {chain_breaks[:3]}")

    # 2. every acknowledged anchor on every node, at the acknowledged height
    missing, wrong_height = [], []
    reqs = [(a, n) for a in run.acked for n in nodes]
    replies = await _bounded([_get(n, f"/v1/documents/{a['key']}") for a, n in reqs])
    found_everywhere = {a["k"]: True for a in run.acked}
    for (a, n), (code, body) in zip(reqs, replies):
        if code != 200:
            missing.append((a["k"], a["document"][:16], n.name, code))
            found_everywhere[a["k"]] = False
            continue
        anchored = (body or {}).get("anchored") or (body or {}).get("anchoring") or {}
        h = anchored.get("height") if isinstance(anchored, dict) else None
        tx = anchored.get("tx_hash") if isinstance(anchored, dict) else None
        if (a.get("height") is not None and h is not None and h != a["height"]) or (a.get("tx") and tx and tx != a["tx"]):
            wrong_height.append((a["k"], n.name, a["height"], h, a.get("tx", "")[:12], (tx or "")[:12]))
    found = sum(1 for v in found_everywhere.values() if v)
    if missing:
        failures.append(f"{len(missing)} (anchor, node) pairs missing, acknowledged anchors not on every node: "
                        f"{missing[:5]}")
    if wrong_height:
        failures.append(f"{len(wrong_height)} anchors at another height or transaction than acknowledged "
                        f"(anchor, node, height acked, height found, tx acked, tx found): {wrong_height[:5]}")

    # 3. commits resume after each heal
    resumes = resume_gaps(run)
    slow = [(f, k, g) for f, k, g in resumes if g is None or g > run.args.resume_max]
    for f, k, g in slow:
        failures.append(f"commits did not resume within {run.args.resume_max:g} s of healing #{f} {k}: "
                        + ("no new block at all" if g is None else f"{g:.1f} s"))
    longest_resume = max((g for _, _, g in resumes if g is not None), default=0.0)
    longest_resume_at = next(((f, k) for f, k, g in resumes if g == longest_resume), None)
    gap, gap_at = longest_commit_gap(run)

    # 4. unexpected exits
    disk_entries = [e for e in run.fault_log if e.get("kind") == "disk-full" and "start" in e]
    groups = {}
    for t, name, rc, tail, disk in run.unexpected:
        last = next((l for l in reversed(tail) if l.strip() and "=====" not in l), "(no log)")
        last = last.split(" govchaind: ", 1)[-1][:400]
        groups.setdefault((name, rc, disk, last), []).append(t)
    for (name, rc, disk, last), times in groups.items():
        when = ", ".join(f"+{t:.1f}s" for t in times[:6]) + (" …" if len(times) > 6 else "")
        text = (f"{name} exited by itself {len(times)}× with code {rc} (t={when})" if len(times) > 1
                else f"{name} exited by itself at t={when} with code {rc}")
        if disk:
            run.findings.append(text + " after a write failed on its full disk; it was restarted once space "
                                "returned. Last line: " + last)
        else:
            failures.append(text + "; last line: " + last)

    # 6. memory
    for i, kib in enumerate(run.rss_max):
        if kib / 1024.0 > run.args.rss_max_mib:
            failures.append(f"{NAMES[i]} reached {kib / 1024.0:.0f} MiB resident (limit {run.args.rss_max_mib:g})")

    # restart check
    for r in run.restart_check:
        if not r["up"]:
            failures.append(f"{r['node']} did not answer again within 30 s of its restart in the restart check")

    # what the nodes refused from each other (every validator here is honest)
    refusals, transport = {}, {}
    for (name, _start), body in run.peer_samples.items():
        for p in body.get("peers", []):
            for reason, count in (p.get("refused") or {}).items():
                key = (name, p.get("validator"), reason)
                refusals[key] = refusals.get(key, 0) + count
        for k, v in (body.get("transport") or {}).items():
            if isinstance(v, int):
                transport[k] = transport.get(k, 0) + v
    never_honest = {"invalid_signature", "malformed_message", "invalid_transaction", "unknown_signer",
                    "equivocation", "conflicting_proposals"}
    for (name, sender, reason), count in sorted(refusals.items()):
        if reason in never_honest:
            run.findings.append(f"{name} refused {count}× {reason} from {sender}, an honest validator "
                                "(docs/OPERATIONS.md: honest peers never cause it)")

    # disk-full findings
    for e in disk_entries:
        if "exited_after_s" in e:
            what = f"exited {e['exited_after_s']} s after the fill (code {e.get('exit_code')})"
        else:
            what = ("kept running" + (", API answering" if e.get("api_answered_while_full") else ", API silent")
                    + f", height {e.get('height_at_fill')} -> {e.get('height_while_full')} while full")
        run.findings.append(f"disk-full #{e['fault']} on {NAMES[run.disk_node]}: {what}")
    for number, kind, name, secs in run.catchups:
        if secs is None and kind in ("wipe", "crash", "disk-full", "skew-behind", "skew-ahead"):
            notes.append(f"{name} had not reached the height of the heal of #{number} {kind} within 120 s")

    # --- summary ---------------------------------------------------------------------------
    by_kind = {}
    for e in run.fault_log:
        if "start" in e:
            by_kind[e["kind"]] = by_kind.get(e["kind"], 0) + 1
    skipped = [e for e in run.fault_log if "skipped" in e]
    a = run.anchors
    lines = []
    lines.append("=" * 78)
    lines.append(f"nemesis summary: seed {run.seed}, {run.args.minutes:g} min, "
                 f"{sum(by_kind.values())} faults injected" + (f", {len(skipped)} skipped" if skipped else ""))
    lines.append("  faults by kind: " + (", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())) or "none"))
    lines.append(f"  anchors: {a['attempted']} attempted, {a['acked']} acknowledged, {a['failed']} failed "
                 f"({a['timeouts']} timed out, {a['busy']} told node_busy), {a['skipped']} skipped; "
                 f"acknowledged found on all {len(nodes)} answering nodes: {found}/{a['acked']}")
    if run.fail_reasons:
        top = sorted(run.fail_reasons.items(), key=lambda kv: -kv[1])[:4]
        lines.append("  anchor failures: " + "; ".join(f"{v}× {k}" for k, v in top))
    lat = sorted(x["latency_s"] for x in run.acked)
    if lat:
        lines.append(f"  anchor latency (acknowledged): p50 {lat[len(lat) // 2]:.2f} s, "
                     f"p99 {lat[min(len(lat) - 1, int(len(lat) * 0.99))]:.2f} s, max {lat[-1]:.2f} s")
    lines.append(f"  blocks: heights {heights}; hashes compared at every height 1..{common} on every answering node: "
                 + ("FORK" if forks else "no fork")
                 + (f" (not on {', '.join(down)}: it does not answer)" if down else ""))
    lines.append(f"  longest time from a heal to the next commit: {longest_resume:.2f} s"
                 + (f" (#{longest_resume_at[0]} {longest_resume_at[1]})" if longest_resume_at else "")
                 + f" [limit {run.args.resume_max:g} s]")
    lines.append("  next commit after each heal: " + ", ".join(
        f"#{f} {k.split()[0]} {'%.1f s' % g if g is not None else 'none'}" for f, k, g in resumes))
    lines.append(f"  longest time without a new block, faults included: {gap:.1f} s (from t=+{gap_at} s)")
    if run.catchups:
        lines.append("  catch-up of fault targets after the heal: " + ", ".join(
            f"#{f} {k} {nm} {'%.1f s' % s if s is not None else 'not within 120 s'}"
            for f, k, nm, s in run.catchups))
    lines.append("  max RSS: " + ", ".join(f"{NAMES[i]} {kib / 1024.0:.0f} MiB" for i, kib in enumerate(run.rss_max))
                 + f" ({run.rss_samples} samples) [limit {run.args.rss_max_mib:g} MiB]")
    totals = run.proxy.totals() if run.proxy else {}
    if totals:
        lines.append(f"  proxy: {totals.get('connections', 0)} connections relayed, {totals.get('bytes', 0) // 1024} KiB, "
                     f"{totals.get('refused', 0)} refused, {totals.get('cuts', 0)} cuts, {totals.get('resets', 0)} resets")
    if run.restart_check:
        lines.append("  restart check (SIGTERM, start, API up): " + ", ".join(
            f"{r['node']} {r['seconds']:.1f} s" + ("" if r["up"] else " NOT UP") for r in run.restart_check))
    if refusals:
        by_reason = {}
        for (_n, _s, reason), count in refusals.items():
            by_reason[reason] = by_reason.get(reason, 0) + count
        lines.append("  peer refusals seen by the nodes: " + ", ".join(
            f"{k} {v}" for k, v in sorted(by_reason.items(), key=lambda kv: -kv[1])))
    if any(transport.values()):
        lines.append("  peer transport counters: " + ", ".join(f"{k} {v}" for k, v in sorted(transport.items()) if v))
    lines.append(f"  unexpected exits: {len(run.unexpected) or 'none'}")
    for f in run.findings + notes:
        lines.append(f"  finding: {f}")
    for f in failures:
        lines.append(f"  FAIL: {f}")
    lines.append(f"  (checks took {time.monotonic() - started:.1f} s)")
    lines.append("RESULT: " + ("PASS" if not failures else "FAIL"))
    lines.append("=" * 78)
    print("\n".join(lines), flush=True)

    results = {
        "seed": run.seed, "minutes": run.args.minutes, "pass": not failures, "failures": failures,
        "findings": run.findings + notes, "faults": run.fault_log, "faults_by_kind": by_kind,
        "anchors": dict(a, found_on_all=found), "heights": heights, "common_height": common,
        "resume_after_heal_s": resumes, "longest_resume_s": longest_resume, "longest_commit_gap_s": gap,
        "catch_ups": run.catchups, "rss_max_mib": {NAMES[i]: round(k / 1024.0, 1) for i, k in enumerate(run.rss_max)},
        "unexpected_exits": [(t, n, rc, d) for t, n, rc, _, d in run.unexpected],
        "restart_check": run.restart_check,
        "peer_refusals": {f"{n} <- {snd}: {r}": c for (n, snd, r), c in sorted(refusals.items())},
        "peer_transport": transport, "proxy": totals,
    }
    with open(os.path.join(run.work, "results.json"), "w") as f:
        json.dump(results, f, indent=2, default=str)
    return not failures
