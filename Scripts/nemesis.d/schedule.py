"""The fault schedule, drawn from the seed alone (and the length of the run), so that
`--seed S --minutes N` replays the same faults in the same order at the same planned times.

Faults never overlap: one is healed before the next starts, so at most one node (f = 1 of 5) is
crashed, paused, wiped, skewed or out of disk at a time. Partitions may take quorum away for
their duration (a 2|3 split, or two halves of two joined only by a bridge node); the chain must
resume after the heal. The kinds are taken in a seeded random order, each kind once before any
repeats, so a long run covers all of them and a short one a seeded sample.
"""

import random
from dataclasses import dataclass, field

from cluster import NAMES

# kind -> (shortest, longest) time in force, seconds
KINDS = {
    "crash": (5, 15),         # kill -9, restart after the duration
    "pause": (5, 12),         # SIGSTOP, SIGCONT after the duration
    "wipe": (5, 12),          # SIGTERM, rm -rf data/, restart: rejoins by block sync
    "isolate": (8, 20),       # one node cut off from the four others (refused, or silent)
    "split": (5, 12),         # 2 | 3: no side has the 4 of 5 a block needs
    "bridge": (5, 12),        # {a,b} | {d,e}, c sees both: no quorum either
    "delay": (10, 25),        # delay with jitter on the links of one node, or on all links
    "stall": (10, 20),        # links hold their bytes for 1-8 s, again and again
    "bandwidth": (10, 25),    # links capped to a few KiB/s
    "cut": (10, 20),          # connections closed (FIN) every few seconds
    "reset": (10, 20),        # connections reset (RST) after forwarding part of a chunk
    "skew-small": (12, 25),   # restart with the wall clock +3 s (within max_clock_drift_ms 10 s)
    "skew-ahead": (12, 25),   # +30 s: its proposals are refused; the other four go on
    "skew-behind": (12, 25),  # -30 s: it refuses the others' blocks until its clock is right
    "disk-full": (10, 20),    # its data dir (a 48 MiB tmpfs) filled up, then the file removed
}
CRASH_LIKE = {"crash", "pause", "wipe", "skew-small", "skew-ahead", "skew-behind", "disk-full"}
PARTITIONS = {"isolate", "split", "bridge"}
LINK_FAULTS = {"delay", "stall", "bandwidth", "cut", "reset"}
SKEWS = {"skew-small": 3000, "skew-ahead": 30000, "skew-behind": -30000}  # wall clock offset, ms

WARMUP_S = 8.0           # load runs this long before the first fault
GAP_S = (10.0, 18.0)     # quiet time after a heal before the next fault
TAIL_S = 5.0             # the last fault is healed at least this long before the phase ends
N = len(NAMES)


@dataclass
class Fault:
    number: int
    kind: str
    start: float          # planned, seconds after the load started
    duration: float
    node: int = None      # target of node faults
    groups: list = None   # partitions
    mode: str = None      # isolate: refuse | silent
    scope: list = None    # link faults: the nodes whose links are affected (all five: every link)
    params: dict = field(default_factory=dict)

    def describe(self):
        def names(g):
            return "{" + ",".join(NAMES[i] for i in sorted(g)) + "}"
        k, who = self.kind, NAMES[self.node] if self.node is not None else None
        if k == "crash":
            what = f"kill -9 {who}, restart"
        elif k == "pause":
            what = f"SIGSTOP {who}, SIGCONT"
        elif k == "wipe":
            what = f"stop {who}, rm -rf its data/, restart (block sync)"
        elif k in SKEWS:
            what = f"restart {who} with its wall clock {SKEWS[k] / 1000:+g} s, then without"
        elif k == "disk-full":
            what = f"fill {who}'s disk (tmpfs), then free it"
        elif k == "isolate":
            what = f"isolate {who} ({self.mode})"
        elif k in ("split", "bridge"):
            what = " | ".join(names(g) for g in self.groups)
            if k == "bridge":
                bridge = set(self.groups[0]) & set(self.groups[1])
                what = f"{what} (bridge {NAMES[min(bridge)]} sees both)"
        else:
            scope = "all links" if len(self.scope) == N else "links of " + ", ".join(NAMES[i] for i in self.scope)
            p = self.params
            if k == "delay":
                what = f"delay {p['delay_ms']} ms ± {p['jitter_ms']} ms on {scope}"
            elif k == "stall":
                what = f"stalls of {p['stall_s'][0]}-{p['stall_s'][1]} s on {scope}"
            elif k == "bandwidth":
                what = f"bandwidth {p['bytes_per_s'] // 1024} KiB/s on {scope}"
            elif k == "cut":
                what = f"cut a connection every {p['every_s'][0]}-{p['every_s'][1]} s on {scope}"
            else:
                what = f"reset a connection mid-frame every {p['every_s'][0]}-{p['every_s'][1]} s on {scope}"
        return f"#{self.number:<2} t=+{self.start:6.1f}s for {self.duration:4.1f}s  {k:<11} {what}"


def draw(seed, phase_s, kinds=None):
    """Returns (disk_node, faults) for a load phase of `phase_s` seconds; `kinds` restricts the
    kinds drawn (default: all; empty: no faults)."""
    rng = random.Random(f"govchain-nemesis-{seed}")
    disk_node = rng.randrange(N)
    faults, order, t = [], [], WARMUP_S
    kinds = list(KINDS) if kinds is None else [k for k in KINDS if k in kinds]
    while kinds:
        if not order:
            order = list(kinds)
            rng.shuffle(order)
        kind = order.pop(0)
        lo, hi = KINDS[kind]
        duration = round(rng.uniform(lo, hi), 1)
        gap = round(rng.uniform(*GAP_S), 1)
        if t + duration > phase_s - TAIL_S:
            duration = round(phase_s - TAIL_S - t, 1)
            if duration < lo:
                break
        f = Fault(len(faults) + 1, kind, round(t, 1), duration)
        nodes = list(range(N))
        rng.shuffle(nodes)
        if kind in CRASH_LIKE or kind == "isolate":
            f.node = disk_node if kind == "disk-full" else nodes[0]
        if kind == "isolate":
            f.mode = rng.choice(["refuse", "silent"])
            f.groups = [[f.node], sorted(set(range(N)) - {f.node})]
        elif kind == "split":
            f.groups = [sorted(nodes[:2]), sorted(nodes[2:])]
        elif kind == "bridge":
            f.groups = [sorted(nodes[:3]), sorted(nodes[2:])]  # nodes[2] is in both
        elif kind in LINK_FAULTS:
            f.scope = list(range(N)) if rng.random() < 0.5 else sorted(nodes[:rng.choice([1, 2])])
            if kind == "delay":
                d = rng.choice([50, 100, 200, 400, 800])
                f.params = {"delay_ms": d, "jitter_ms": int(d * rng.uniform(0.1, 0.5))}
            elif kind == "stall":
                f.params = {"stall_s": [1.0, round(rng.uniform(3, 8), 1)], "pause_s": [0.5, 3.0]}
            elif kind == "bandwidth":
                f.params = {"bytes_per_s": rng.choice([4, 8, 16, 64]) * 1024}
            else:
                f.params = {"every_s": [1.0, round(rng.uniform(2, 5), 1)]}
        f.params["rng"] = rng.randrange(1 << 30)  # for the choices made while the fault runs
        faults.append(f)
        t += duration + gap
    return disk_node, faults
