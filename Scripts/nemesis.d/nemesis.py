#!/usr/bin/env python3
"""A nemesis on real processes (issue 13): five govchaind validators, each in its own network
namespace, every peer byte through a fault proxy, a client load of signed anchors, a seeded fault
schedule, and a checker. Usage: Scripts/nemesis [--minutes N] [--seed S] [--keep]; docs/OPERATIONS.md,
"Nemesis". Needs root (namespaces, tmpfs) and GOVCHAIN_BIN_DIR (govchaind, govchain)."""

import argparse
import asyncio
import errno
import fcntl
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cluster  # noqa: E402
import netns  # noqa: E402
import schedule  # noqa: E402
from cluster import API_PORT, NAMES, PEER_PORT, Node, http_json  # noqa: E402
from proxy import FaultProxy  # noqa: E402

N = len(NAMES)
PROXY_BASE_PORT = 19100          # listener for "i dials j": PROXY_BASE_PORT + 10 * i + j
DISK_TMPFS_SIZE = "48m"
STATE_FILE = "/run/govchain-nemesis.json"
LOCK_FILE = "/run/lock/govchain-nemesis.lock"
POLL_S = 0.25                    # status poll period per node
RSS_S = 2.0                      # resident memory sample period


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def mib(kib):
    return kib / 1024.0


# --- leftovers of earlier runs ------------------------------------------------------------------

def clean_leftovers(verbose=True):
    """Stops processes in our namespaces, unmounts the tmpfs of an earlier run, removes the
    namespaces, veths and bridge. Safe to call when nothing is left."""
    state = {}
    try:
        with open(STATE_FILE) as f:
            state = json.load(f)
    except (OSError, ValueError):
        pass
    removed = []
    for kind, name in netns.leftovers():
        if kind != "netns":
            continue
        r = subprocess.run(["ip", "netns", "pids", name], stdout=subprocess.PIPE, text=True)
        for pid in r.stdout.split():
            try:
                os.kill(int(pid), signal.SIGCONT)
                os.kill(int(pid), signal.SIGKILL)
                removed.append(f"pid {pid}")
            except (ProcessLookupError, ValueError):
                pass
    work = state.get("work")
    if work and len(work) > 8:
        # Clients (govchain anchor) of that run, which live in the root namespace.
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) == os.getpid():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read().decode("utf-8", "replace")
            except OSError:
                continue
            if work + "/" in cmd and "nemesis.py" not in cmd:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                    removed.append(f"pid {pid}")
                except ProcessLookupError:
                    pass
    if removed:
        time.sleep(0.5)
    for m in state.get("mounts", []):
        if os.path.ismount(m):
            subprocess.run(["umount", "-l", m], stderr=subprocess.DEVNULL)
            removed.append(f"tmpfs {m}")
    removed += netns.teardown()
    if work and not state.get("keep") and os.path.isdir(work):
        shutil.rmtree(work, ignore_errors=True)
        removed.append(work)
    try:
        os.unlink(STATE_FILE)
    except OSError:
        pass
    if removed and verbose:
        log(f"removed leftovers of an earlier run: {', '.join(removed)}")
    return removed


# --- the run ------------------------------------------------------------------------------------

class Run:
    def __init__(self, args):
        self.args = args
        self.seed = args.seed
        self.bin = args.bin_dir
        self.phase_s = args.minutes * 60.0
        self.disk_node, self.faults = schedule.draw(self.seed, self.phase_s, args.kinds)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.work = args.dir or f"/tmp/govchain-nemesis-{self.seed}-{stamp}"
        self.net = os.path.join(self.work, "net")
        self.nodes = []
        self.proxy = None
        self.mounts = []
        self.skew_tool = None               # ("shim", skewclock.so) or ("libfaketime", libfaketime.so.1)
        self.tasks = []
        self.t0 = None                       # monotonic time the load started
        self.stopping = False
        self.load_on = False
        # observations
        self.heights = [0] * N              # latest height seen per node
        self.hashes = [None] * N
        self.reachable = [False] * N
        self.max_series = [(time.monotonic(), 0)]  # (time, max height across nodes) when it grows
        self.rss_max = [0] * N               # KiB
        self.rss_samples = 0
        self.anchors = {"attempted": 0, "acked": 0, "failed": 0, "timeouts": 0, "skipped": 0,
                        "busy": 0}
        self.fail_reasons = {}
        self.acked = []                      # dicts: document, ledger_key, height, node, t
        self.inflight = set()
        self.heals = []                      # (fault number or "final", kind, heal time)
        self.fault_log = []                  # what happened, per fault
        self.findings = []
        self.unexpected = []                 # (time, node, rc, tail)
        self.catchups = []                   # (fault, node, seconds or None)
        self.cli_procs = set()
        self.restart_check = []
        self.auto_restarts = {}
        self.restarting = set()
        self.disk_full_now = set()           # nodes whose disk is full right now
        self.peer_samples = {}               # (node, start #) -> last GET /v1/peers answer

    # ---------------------------------------------------------------------------------------
    def rel(self, t=None):
        return (t if t is not None else time.monotonic()) - (self.t0 or time.monotonic())

    def print_schedule(self, out=print):
        out(f"nemesis: seed {self.seed}, {self.args.minutes:g} min of load at {self.args.rate:g} anchors/s, "
            f"{len(self.faults)} faults; the tmpfs (full-disk) node is {NAMES[self.disk_node]}")
        kinds = "" if self.args.kinds is None else f" --kinds {','.join(self.args.kinds) or 'none'}"
        out(f"replay:  Scripts/nemesis --seed {self.seed} --minutes {self.args.minutes:g}{kinds}")
        out("schedule (planned seconds after the load started):")
        for f in self.faults:
            out("  " + f.describe())

    def on_event(self, kind, node, detail):
        if kind == "unexpected_exit":
            tail = node.log_tail(400)
            since = max((i for i, l in enumerate(tail) if "===== nemesis: start" in l), default=0)
            tail = tail[since:]
            disk = node.index in self.disk_full_now or any("No space left on device" in l for l in tail)
            self.unexpected.append((self.rel(), node.name, detail, tail[-12:], disk))
            log(f"!! {node.name} exited by itself with code {detail}"
                + (" (its disk is or was full)" if disk else "") + "; last log lines:")
            for line in tail[-12:]:
                print("     " + line[:300])
            if not self.stopping and node.index not in self.restarting:
                asyncio.ensure_future(self.supervise_restart(node))
        elif kind == "stop_timeout":
            where = f"; stacks in {node.stuck_stacks}" if node.stuck_stacks else ""
            self.findings.append(f"{node.name} did not stop within {detail:g} s of SIGTERM (killed){where}"
                                 + (f" [its wall clock was {node.skew / 1000:+g} s]" if node.skew else ""))
            log(f"!! {node.name} did not stop within {detail:g} s of SIGTERM; killing it")

    async def supervise_restart(self, node):
        """As systemd's Restart=on-failure would: a node that exited by itself is started again
        2 s later (once its disk has space), at most 3 times in a run."""
        self.auto_restarts[node.index] = self.auto_restarts.get(node.index, 0) + 1
        if self.auto_restarts[node.index] > 3:
            if self.auto_restarts[node.index] == 4:
                log(f"!! {node.name} exited by itself more than 3 times; not restarting it again")
            return
        self.restarting.add(node.index)
        try:
            await asyncio.sleep(2.0)
            while node.index in self.disk_full_now and not self.stopping:
                await asyncio.sleep(0.5)
            if self.stopping or node.running or node.expect_exit:
                return
            log(f"   restarting {node.name} (exited by itself)")
            await node.start(skew_ms=node.skew, skew_tool=self.skew_tool)
        finally:
            self.restarting.discard(node.index)

    # --- setup ------------------------------------------------------------------------------
    async def setup(self):
        for b in ("govchaind", "govchain"):
            if not os.access(os.path.join(self.bin, b), os.X_OK):
                raise SystemExit(f"nemesis: {self.bin}/{b} not found (set GOVCHAIN_BIN_DIR)")
        os.makedirs(self.work, exist_ok=True)
        os.makedirs(os.path.join(self.work, "anchors"), exist_ok=True)
        with open(os.path.join(self.work, "schedule.txt"), "w") as f:
            self.print_schedule(lambda s: f.write(s + "\n"))
        if any(f.kind in schedule.SKEWS for f in self.faults):
            self.skew_tool, why = self.prepare_skew_tool()
            if self.skew_tool is None:
                self.findings.append(f"clock-skew faults skipped: {why}")
                log(f"clock-skew faults will be skipped: {why}")
        r = subprocess.run([os.path.join(self.bin, "govchain"), "testnet", "init", "--dir", self.net,
                            "--validators", ",".join(NAMES), "--base-port", str(API_PORT)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"govchain testnet init failed: {r.stdout}")
        # One block a second even when idle, so "commits resume" is measurable; same bytes everywhere.
        with open(os.path.join(self.net, "genesis.json")) as f:
            genesis = json.load(f)
        genesis.setdefault("consensus", {})["empty_block_interval_ms"] = 1000
        data = json.dumps(genesis, indent=2, sort_keys=True).encode() + b"\n"
        paths = [os.path.join(self.net, "genesis.json")]
        paths += [os.path.join(self.net, n.lower(), "config", "genesis.json") for n in NAMES]
        for p in paths:
            with open(p, "wb") as f:
                f.write(data)
        for i, name in enumerate(NAMES):
            home = os.path.join(self.net, name.lower())
            p = os.path.join(home, "config", "node.json")
            with open(p) as f:
                cfg = json.load(f)
            cfg["api_address"] = f"{netns.node_ip(i)}:{API_PORT}"
            cfg["peer_listen_address"] = f"{netns.node_ip(i)}:{PEER_PORT}"
            cfg["peer_addresses"] = {NAMES[j]: f"{netns.BRIDGE_IP}:{self.proxy_port(i, j)}"
                                     for j in range(N) if j != i}
            with open(p, "w") as f:
                json.dump(cfg, f, indent=2, sort_keys=True)
            self.nodes.append(Node(i, home, self.bin, os.path.join(self.net, f"{name.lower()}.log"),
                                   self.on_event))
        # The full-disk node keeps its ledger on a small tmpfs from the first start.
        disk = self.nodes[self.disk_node].data_dir
        os.makedirs(disk, exist_ok=True)
        self.write_state()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_TMPFS_SIZE}", "tmpfs", disk], check=True)
        self.mounts.append(disk)
        self.write_state()
        netns.setup(N)
        self.proxy = FaultProxy(N, netns.BRIDGE_IP, self.proxy_port,
                                lambda j: (netns.node_ip(j), PEER_PORT), self.seed)
        await self.proxy.start()
        log(f"network: bridge {netns.BRIDGE} {netns.BRIDGE_IP}/24, namespaces "
            f"{netns.ns_name(0)}..{netns.ns_name(N - 1)}, proxy on {netns.BRIDGE_IP}:"
            f"{PROXY_BASE_PORT + 1}..{PROXY_BASE_PORT + 10 * (N - 1) + N - 2}; work dir {self.work}")
        for n in self.nodes:
            await n.start()
        ups = await asyncio.gather(*(n.wait_api(60) for n in self.nodes))
        if not all(ups):
            down = [n.name for n, up in zip(self.nodes, ups) if not up]
            raise RuntimeError(f"nodes did not answer on their API within 60 s: {', '.join(down)}")
        self.tasks.append(asyncio.ensure_future(self.poll_all()))
        self.tasks.append(asyncio.ensure_future(self.sample_rss()))
        self.tasks.append(asyncio.ensure_future(self.sample_peers()))
        # Every link up and a few blocks committed before the load starts.
        deadline = time.monotonic() + 90
        while True:
            links = await self.links_up()
            if links == N * (N - 1) and min(self.heights) >= 2:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the network did not come up within 90 s: {links} of {N * (N - 1)} "
                                   f"peer links connected, heights {self.heights}")
            await asyncio.sleep(0.5)
        log(f"network up: all {N * (N - 1) // 2} peer links connected through the proxy, heights {self.heights}")

    def prepare_skew_tool(self):
        """The shim (skewclock.c, built now with the C compiler) or, with --skew-with libfaketime,
        Debian's libfaketime (installed if missing). Returns ((kind, path), None) or (None, why)."""
        if self.args.skew_with == "libfaketime":
            lib = cluster.find_libfaketime()
            if lib is None:
                log("libfaketime is missing: apt-get install -y faketime")
                try:
                    subprocess.run(["apt-get", "install", "-y", "-qq", "faketime"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, timeout=180)
                except (OSError, subprocess.TimeoutExpired):
                    pass
                lib = cluster.find_libfaketime()
            return (("libfaketime", lib), None) if lib else (None, "libfaketime not installed")
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "skewclock.c")
        out = os.path.join(self.work, "skewclock.so")
        why = "no C compiler (cc, gcc, clang) to build skewclock.so"
        for cc in ("cc", "gcc", "clang"):
            if shutil.which(cc) is None:
                continue
            try:
                r = subprocess.run([cc, "-shared", "-fPIC", "-O2", "-o", out, src, "-ldl"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
            except (OSError, subprocess.TimeoutExpired) as e:
                why = f"{cc} could not build skewclock.so: {e}"
                continue
            if r.returncode == 0:
                return ("shim", out), None
            why = f"{cc} could not build skewclock.so: {r.stdout.strip()[-300:]}"
        return None, why

    def proxy_port(self, i, j):
        return PROXY_BASE_PORT + 10 * i + j

    def write_state(self):
        try:
            with open(STATE_FILE, "w") as f:
                json.dump({"pid": os.getpid(), "work": self.work, "keep": self.args.keep,
                           "mounts": self.mounts + [self.nodes[self.disk_node].data_dir]}, f)
        except OSError:
            pass

    async def links_up(self):
        count = 0
        for n in self.nodes:
            try:
                status, body = await http_json(n.ip, API_PORT, "/v1/peers", 2.0)
                if status == 200 and body:
                    count += sum(1 for p in body.get("peers", []) if p.get("connected"))
            except (OSError, asyncio.TimeoutError, ValueError, asyncio.IncompleteReadError):
                pass
        return count

    # --- monitors ---------------------------------------------------------------------------
    async def poll_all(self):
        await asyncio.gather(*(self.poll(n) for n in self.nodes))

    async def poll(self, node):
        i = node.index
        while True:
            started = time.monotonic()
            try:
                status, body = await http_json(node.ip, API_PORT, "/v1/status", 1.0)
                if status == 200 and body:
                    h = int(body.get("latest_height") or 0)
                    self.heights[i], self.hashes[i] = h, body.get("latest_hash")
                    self.reachable[i] = True
                    if h > self.max_series[-1][1]:
                        self.max_series.append((time.monotonic(), h))
                else:
                    self.reachable[i] = False
            except (OSError, asyncio.TimeoutError, ValueError, asyncio.IncompleteReadError):
                self.reachable[i] = False
            await asyncio.sleep(max(0.05, POLL_S - (time.monotonic() - started)))

    async def sample_peers(self):
        """GET /v1/peers of every node every 5 s; the last answer per (node, start) is kept, since a
        node's counters start again at 0 when it restarts."""
        while True:
            for n in self.nodes:
                if not n.running or n.paused:
                    continue
                try:
                    status, body = await http_json(n.ip, API_PORT, "/v1/peers", 1.0)
                    if status == 200 and isinstance(body, dict):
                        self.peer_samples[(n.name, n.starts)] = body
                except (OSError, asyncio.TimeoutError, ValueError, asyncio.IncompleteReadError):
                    pass
            await asyncio.sleep(5.0)

    async def sample_rss(self):
        while True:
            for n in self.nodes:
                kib = n.rss_kib()
                if kib is not None:
                    self.rss_max[n.index] = max(self.rss_max[n.index], kib)
            self.rss_samples += 1
            await asyncio.sleep(RSS_S)

    def max_height(self):
        return self.max_series[-1][1]

    # --- client load ------------------------------------------------------------------------
    async def load(self):
        interval = 1.0 / self.args.rate
        next_t = time.monotonic()
        k = 0
        while self.load_on:
            node = self.nodes[k % N]
            k += 1
            if len(self.inflight) >= self.args.max_inflight:
                self.anchors["skipped"] += 1
            else:
                t = asyncio.ensure_future(self.anchor(k, node))
                self.inflight.add(t)
                t.add_done_callback(self.inflight.discard)
            next_t += interval
            await asyncio.sleep(max(0.0, next_t - time.monotonic()))

    async def anchor(self, k, node):
        self.anchors["attempted"] += 1
        path = os.path.join(self.work, "anchors", f"{k:06d}.txt")
        content = f"GovChain nemesis seed {self.seed} anchor {k} via {node.name} at {time.time():.3f}\n"
        with open(path, "w") as f:
            f.write(content)
        expected = hashlib.sha256(content.encode()).hexdigest()
        key = os.path.join(node.home, "keys", "clerk.key")
        env = dict(os.environ, GOVCHAIN_CONFIG_DIR=os.path.join(self.work, "cli-config"))
        started = time.monotonic()
        try:
            proc = await asyncio.create_subprocess_exec(
                os.path.join(self.bin, "govchain"), "anchor", path, "--type", "birth-certificate", "--no-salt",
                "--key", key, "--node", f"http://{node.ip}:{API_PORT}", "--json",
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                env=env, start_new_session=True)
        except OSError as e:
            self.anchors["failed"] += 1
            reason = f"could not start govchain: {e}"
            self.fail_reasons[reason] = self.fail_reasons.get(reason, 0) + 1
            return
        self.cli_procs.add(proc)
        try:
            out, err = await asyncio.wait_for(proc.communicate(), self.args.anchor_timeout)
        except asyncio.TimeoutError:
            self.anchors["timeouts"] += 1
            self.anchors["failed"] += 1
            self.kill_cli(proc)
            await proc.wait()
            return
        except asyncio.CancelledError:
            self.kill_cli(proc)
            raise
        finally:
            self.cli_procs.discard(proc)
        result = None
        try:
            result = json.loads(out) if out.strip() else None
        except ValueError:
            pass
        if proc.returncode == 0 and result and result.get("status") == "committed":
            if result.get("document") != expected:
                self.findings.append(f"anchor {k}: the CLI reports document {result.get('document')} for a file "
                                     f"whose SHA-256 is {expected}")
            self.anchors["acked"] += 1
            self.acked.append({"k": k, "document": result.get("document"), "key": result.get("ledger_key")
                               or result.get("document"), "height": result.get("height"), "node": node.name,
                               "tx": result.get("tx_hash"), "latency_s": round(time.monotonic() - started, 2)})
        else:
            self.anchors["failed"] += 1
            text = (err or b"").decode("utf-8", "replace") + (out or b"").decode("utf-8", "replace")
            if "node_busy" in text or "capacity" in text:
                self.anchors["busy"] += 1
            reason = f"exit {proc.returncode}: " + (text.strip().splitlines() or ["(no output)"])[-1][:120]
            self.fail_reasons[reason] = self.fail_reasons.get(reason, 0) + 1

    def kill_cli(self, proc):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    # --- faults -----------------------------------------------------------------------------
    async def run_faults(self):
        for f in self.faults:
            planned = self.t0 + f.start
            await asyncio.sleep(max(0.0, planned - time.monotonic()))
            # Everyone caught up first (bounded), so a node still syncing after the last fault does
            # not make this one a second faulty node.
            waited = await self.wait_caught_up(20.0, slack=2)
            late = time.monotonic() - planned
            if self.rel() + f.duration > self.phase_s - 1:
                self.fault_log.append({"fault": f.number, "kind": f.kind, "skipped": "no time left"})
                log(f"fault #{f.number} {f.kind}: skipped, {late:.1f} s late and no time left")
                continue
            if f.kind in schedule.SKEWS and self.skew_tool is None:
                self.fault_log.append({"fault": f.number, "kind": f.kind, "skipped": "no clock-skew tool"})
                log(f"fault #{f.number} {f.kind}: skipped (no clock-skew tool)")
                continue
            entry = {"fault": f.number, "kind": f.kind, "what": f.describe(), "late_s": round(late, 1),
                     "waited_for_catch_up": not waited}
            self.fault_log.append(entry)
            self.current = (f, entry)
            log(f">> {f.describe()}" + (f"  ({late:.1f} s late)" if late > 1 else ""))
            entry["start"] = round(self.rel(), 1)
            runner = await self.inject(f, entry)
            try:
                await asyncio.sleep(max(0.0, self.t0 + entry["start"] + f.duration - time.monotonic()))
            finally:
                await self.heal(f, entry, runner)
            self.current = None

    async def wait_caught_up(self, timeout, slack=0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            top = max(self.heights)
            if all(self.reachable) and min(self.heights) >= top - slack:
                return True
            await asyncio.sleep(0.25)
        return False

    async def inject(self, f, entry):
        """Starts fault f; returns a task running for its duration (or None)."""
        px, node = self.proxy, self.nodes[f.node] if f.node is not None else None
        rng = random.Random(f.params["rng"])
        k = f.kind
        if k == "crash":
            await node.kill9()
        elif k == "pause":
            node.pause()
        elif k == "wipe":
            entry["stop_code"] = await node.stop()
            self.wipe(node)
        elif k in schedule.SKEWS:
            await node.stop()
            await node.start(skew_ms=schedule.SKEWS[k], skew_tool=self.skew_tool)
        elif k == "disk-full":
            entry["filled_bytes"] = self.fill_disk(node)
            entry["node_running_after_fill"] = {}
            return asyncio.ensure_future(self.watch_disk_full(node, entry))
        elif k in schedule.PARTITIONS:
            px.partition([set(g) for g in f.groups], mode=f.mode or "refuse")
        elif k in schedule.LINK_FAULTS:
            links = self.scope_links(f.scope)
            if k == "delay":
                for l in links:
                    l.delay_ms, l.jitter_ms = f.params["delay_ms"], f.params["jitter_ms"]
            elif k == "bandwidth":
                for l in links:
                    l.bandwidth = f.params["bytes_per_s"]
            else:
                return asyncio.ensure_future(self.link_chaos(f, links, rng, entry))
        return None

    def scope_links(self, scope):
        if len(scope) == N:
            return list(self.proxy.links.values())
        return [l for (a, b), l in self.proxy.links.items() if a in scope or b in scope]

    async def link_chaos(self, f, links, rng, entry):
        count = 0
        while True:
            if f.kind == "stall":
                lo, hi = f.params["stall_s"]
                hold = rng.uniform(lo, hi)
                until = time.monotonic() + hold
                for l in links:
                    l.stall_until = until
                count += 1
                entry["stalls"] = count
                await asyncio.sleep(hold + rng.uniform(*f.params["pause_s"]))
            else:
                link = rng.choice(links)
                if f.kind == "cut":
                    self.proxy.cut(link)
                else:
                    self.proxy.reset(link)
                count += 1
                entry["cuts" if f.kind == "cut" else "resets"] = count
                await asyncio.sleep(rng.uniform(*f.params["every_s"]))

    def wipe(self, node):
        d = node.data_dir
        if os.path.ismount(d):
            for name in os.listdir(d):
                p = os.path.join(d, name)
                shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.unlink(p)
        else:
            shutil.rmtree(d, ignore_errors=True)

    def fill_path(self, node):
        return os.path.join(node.data_dir, "nemesis-fill.bin")

    def free_disk(self, node):
        try:
            os.unlink(self.fill_path(node))
        except OSError:
            pass
        self.disk_full_now.discard(node.index)

    def fill_disk(self, node):
        self.disk_full_now.add(node.index)
        path, total = self.fill_path(node), 0
        block = b"\0" * (1 << 20)
        with open(path, "wb", buffering=0) as f:
            for size in (1 << 20, 4096, 512):
                while True:
                    try:
                        total += f.write(block[:size])
                    except OSError as e:
                        if e.errno != errno.ENOSPC:
                            raise
                        break
        st = os.statvfs(node.data_dir)
        log(f"   filled {node.name}'s disk with {mib(total / 1024):.1f} MiB; {st.f_bavail * st.f_frsize} bytes free")
        return total

    async def watch_disk_full(self, node, entry):
        """Records what the node does while its disk is full."""
        h0 = self.heights[node.index]
        start = time.monotonic()
        while True:
            await asyncio.sleep(1.0)
            entry["seconds_full"] = round(time.monotonic() - start, 1)
            entry["height_at_fill"] = h0
            entry["height_while_full"] = self.heights[node.index]
            entry["api_answered_while_full"] = entry.get("api_answered_while_full", False) or self.reachable[node.index]
            if not node.running and "exited_after_s" not in entry:
                entry["exited_after_s"] = round(time.monotonic() - start, 1)
                entry["exit_code"] = node.proc.returncode

    async def heal(self, f, entry, runner):
        if runner is not None:
            runner.cancel()
            try:
                await runner
            except (asyncio.CancelledError, Exception):
                pass
        node = self.nodes[f.node] if f.node is not None else None
        k = f.kind
        if k in ("crash", "wipe"):
            await node.start()
        elif k == "pause":
            node.resume()
        elif k in schedule.SKEWS:
            await node.stop()
            await node.start()
        elif k == "disk-full":
            self.free_disk(node)
            entry["running_at_heal"] = node.running
            if not node.running:
                await node.start()
                entry["restarted"] = True
        self.proxy.heal()
        t = time.monotonic()
        entry["heal"] = round(self.rel(t), 1)
        self.heals.append((f.number, k, t, self.max_height()))
        log(f"<< healed #{f.number} {k}" + (f" ({json.dumps({x: entry[x] for x in entry if x not in ('what', 'fault', 'kind', 'start', 'heal', 'late_s', 'waited_for_catch_up')})})"
                                           if k in ("disk-full", "cut", "reset", "stall", "wipe") else ""))
        if node is not None:
            asyncio.ensure_future(self.measure_catch_up(f, node, t))

    async def measure_catch_up(self, f, node, since):
        """How long the fault's target takes to reach the height the others had at the heal."""
        target = self.max_height()
        deadline = since + 120
        while time.monotonic() < deadline and not self.stopping:
            if self.heights[node.index] >= target and self.reachable[node.index]:
                self.catchups.append((f.number, f.kind, node.name, round(time.monotonic() - since, 1)))
                return
            await asyncio.sleep(0.25)
        self.catchups.append((f.number, f.kind, node.name, None))

    async def final_heal(self):
        """Everything back to normal, whatever was in force."""
        self.proxy.heal()
        for n in self.nodes:
            self.free_disk(n)
            if n.paused:
                n.resume()
            if n.running and n.skew:
                await n.stop()
            if not n.running:
                await n.start()
        t = time.monotonic()
        self.heals.append(("final", "final heal", t, self.max_height()))
        return t

    # --- the whole run ----------------------------------------------------------------------
    async def run(self):
        self.print_schedule()
        await self.setup()
        self.t0 = time.monotonic()
        self.max_series = [(self.t0, self.max_height())]
        self.load_on = True
        self.current = None
        load = asyncio.ensure_future(self.load())
        self.tasks.append(load)
        log(f"load started: {self.args.rate:g} anchors/s round-robin through all {N} nodes")
        faults = asyncio.ensure_future(self.run_faults())
        self.tasks.append(faults)
        try:
            await asyncio.wait_for(asyncio.shield(faults), timeout=self.phase_s + 30)
        except asyncio.TimeoutError:
            faults.cancel()
            self.findings.append("the fault schedule overran the phase by 30 s (a heal hung?)")
        await asyncio.sleep(max(0.0, self.t0 + self.phase_s - time.monotonic()))
        self.load_on = False
        heal_t = await self.final_heal()
        log(f"phase over: final heal done; waiting for {len(self.inflight)} anchors in flight "
            f"(at most {self.args.anchor_timeout:g} s) and {self.args.settle:g} s to settle")
        if self.inflight:
            await asyncio.wait(list(self.inflight), timeout=self.args.anchor_timeout + 5)
        await asyncio.sleep(max(0.0, heal_t + self.args.settle - time.monotonic()))
        # Restart check: every node stops gracefully and opens its ledger again, one at a time so
        # the others keep quorum. A ledger that cannot be read back fails here.
        log("restart check: each node in turn stopped with SIGTERM and started again")
        for n in self.nodes:
            t = time.monotonic()
            code = await n.stop(15)
            await n.start()
            up = await n.wait_api(30)
            self.restart_check.append({"node": n.name, "stop_code": code, "up": up,
                                       "seconds": round(time.monotonic() - t, 1)})
            if not up:
                log(f"!! {n.name} did not come back after the restart check")
        # Every node at (at least) the height the best one has now.
        target = self.max_height()
        deadline = time.monotonic() + self.args.catch_up_timeout
        while time.monotonic() < deadline and not (all(self.reachable) and min(self.heights) >= target):
            if any(not n.running and self.auto_restarts.get(n.index, 0) > 3 for n in self.nodes):
                break  # a node that keeps exiting will not catch up; no use waiting for it
            await asyncio.sleep(0.5)
        import checker
        return await checker.check(self, target)

    async def cleanup(self):
        self.stopping = True
        self.load_on = False
        for t in self.tasks:
            t.cancel()
        for t in list(self.inflight):
            t.cancel()
        for p in list(self.cli_procs):
            self.kill_cli(p)
        await asyncio.gather(*(n.stop(10) for n in self.nodes), return_exceptions=True)
        if self.proxy:
            await self.proxy.stop()
        if self.args.keep:
            log(f"--keep: left {self.work}, the namespaces and the tmpfs in place; "
                f"Scripts/nemesis --cleanup removes the namespaces and the tmpfs")
            return
        for m in self.mounts:
            subprocess.run(["umount", m], stderr=subprocess.DEVNULL)
            if os.path.ismount(m):
                subprocess.run(["umount", "-l", m], stderr=subprocess.DEVNULL)
        netns.teardown()
        try:
            os.unlink(STATE_FILE)
        except OSError:
            pass

    def keep_logs(self):
        """On failure: node logs, schedule and results to a small directory that outlives the run."""
        dest = self.work.rstrip("/") + "-logs"
        os.makedirs(dest, exist_ok=True)
        for name in os.listdir(self.net) if os.path.isdir(self.net) else []:
            if name.endswith(".log") or "-stacks-" in name:
                shutil.copy(os.path.join(self.net, name), dest)
        for name in ("schedule.txt", "results.json"):
            p = os.path.join(self.work, name)
            if os.path.exists(p):
                shutil.copy(p, dest)
        return dest


def parse_args(argv):
    p = argparse.ArgumentParser(prog="Scripts/nemesis", description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=10.0, help="length of the load and fault phase (default 10)")
    p.add_argument("--seed", type=int, default=None, help="seed of the fault schedule (default: random, printed)")
    p.add_argument("--keep", action="store_true",
                   help="leave the work directory, namespaces and tmpfs in place (processes are stopped)")
    p.add_argument("--rate", type=float, default=2.0, help="anchors per second, round-robin over the nodes")
    p.add_argument("--dir", default=None, help="work directory (default /tmp/govchain-nemesis-SEED-TIME)")
    p.add_argument("--anchor-timeout", type=float, default=40.0, help="seconds one anchor may take")
    p.add_argument("--max-inflight", type=int, default=100, help="anchors in flight at most (more are skipped)")
    p.add_argument("--settle", type=float, default=10.0, help="seconds after the final heal before checking")
    p.add_argument("--catch-up-timeout", type=float, default=60.0,
                   help="seconds every node gets to reach the best height before the checks")
    p.add_argument("--resume-max", type=float, default=5.0,
                   help="seconds within which commits must resume after a heal")
    p.add_argument("--rss-max-mib", type=float, default=500.0, help="resident memory limit per node")
    p.add_argument("--skew-with", choices=["shim", "libfaketime"], default="shim",
                   help="how clocks are skewed: skewclock.c (default, built with cc) or libfaketime "
                        "(whose timer rewriting delays Swift's timers by the skew: docs/OPERATIONS.md)")
    p.add_argument("--kinds", default=None,
                   help="comma-separated fault kinds to draw from (default all; 'none': load only): "
                        + ",".join(schedule.KINDS))
    p.add_argument("--schedule", action="store_true", help="print the schedule of --seed/--minutes and exit")
    p.add_argument("--cleanup", action="store_true", help="remove what an earlier run left (--keep) and exit")
    args = p.parse_args(argv)
    if args.kinds is not None:
        args.kinds = [] if args.kinds.strip() == "none" else [k.strip() for k in args.kinds.split(",") if k.strip()]
        unknown = [k for k in args.kinds if k not in schedule.KINDS]
        if unknown:
            p.error(f"unknown fault kinds: {', '.join(unknown)} (kinds: {', '.join(schedule.KINDS)})")
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1, 1 << 31)
    if args.minutes <= 0 or args.rate <= 0:
        p.error("--minutes and --rate must be positive")
    args.bin_dir = os.environ.get("GOVCHAIN_BIN_DIR", "")
    return args


def main(argv):
    args = parse_args(argv)
    if args.schedule:
        Run(args).print_schedule()
        return 0
    if os.geteuid() != 0:
        print("nemesis: needs root (network namespaces, tmpfs)", file=sys.stderr)
        return 2
    os.makedirs(os.path.dirname(LOCK_FILE), exist_ok=True)
    lock = open(LOCK_FILE, "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print("nemesis: another nemesis run holds " + LOCK_FILE, file=sys.stderr)
        return 2
    clean_leftovers()
    if args.cleanup:
        return 0
    if not args.bin_dir:
        print("nemesis: set GOVCHAIN_BIN_DIR to the directory holding govchaind and govchain", file=sys.stderr)
        return 2
    run = Run(args)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    main_task = loop.create_task(run.run())
    interrupted = []

    def on_signal(signum):
        if not interrupted:
            log(f"nemesis: {signal.Signals(signum).name}: stopping and cleaning up…")
            interrupted.append(signum)
            main_task.cancel()
        else:
            log("nemesis: cleaning up, one moment…")

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(s, on_signal, s)
    ok = False
    try:
        ok = loop.run_until_complete(main_task)
    except asyncio.CancelledError:
        ok = False
    except BaseException as e:  # noqa: BLE001 - report, clean up, exit 1
        import traceback
        traceback.print_exc()
        log(f"nemesis: aborted: {e}")
        ok = False
    finally:
        try:
            loop.run_until_complete(asyncio.wait_for(run.cleanup(), 90))
        except BaseException as e:  # noqa: BLE001
            log(f"nemesis: cleanup incomplete ({e}); Scripts/nemesis --cleanup removes the rest")
            clean_leftovers()
        if not ok:
            print()
            run.print_schedule()
            if os.path.isdir(run.work):
                log(f"logs kept in {run.keep_logs()}")
        if not args.keep and os.path.isdir(run.work):
            shutil.rmtree(run.work, ignore_errors=True)
        loop.close()
    if interrupted:
        return 130
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
