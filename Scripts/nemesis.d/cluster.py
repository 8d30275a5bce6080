"""The five govchaind processes: start (optionally under libfaketime), stop, crash, pause; a tiny
asyncio HTTP client for their APIs; resident memory from /proc."""

import asyncio
import json
import os
import shutil
import signal
import time

import netns

API_PORT = 9080
PEER_PORT = 9180
NAMES = ["Aachen", "Gelsenkirchen", "Paderborn", "Soest", "Wuppertal"]

FAKETIME_CANDIDATES = [
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
    "/usr/local/lib/faketime/libfaketime.so.1",
]


def find_libfaketime():
    for p in FAKETIME_CANDIDATES:
        if os.path.exists(p):
            return p
    return None


async def http_get(host, port, path, timeout=2.0):
    """GET http://host:port/path -> (status, body bytes). Raises OSError/TimeoutError on failure."""

    async def go():
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
                         f"Accept: application/json\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            if headers.get("transfer-encoding", "").lower() == "chunked":
                body = b""
                while True:
                    size_line = await reader.readuntil(b"\r\n")
                    size = int(size_line.split(b";")[0].strip(), 16)
                    if size == 0:
                        break
                    body += await reader.readexactly(size)
                    await reader.readexactly(2)
            elif "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            else:
                body = await reader.read()
            return status, body
        finally:
            writer.close()

    return await asyncio.wait_for(go(), timeout)


async def http_json(host, port, path, timeout=2.0):
    status, body = await http_get(host, port, path, timeout)
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, None


class Node:
    def __init__(self, index, home, bin_dir, log_path, events):
        self.index = index
        self.name = NAMES[index]
        self.slug = self.name.lower()
        self.home = home
        self.bin_dir = bin_dir
        self.log_path = log_path
        self.ip = netns.node_ip(index)
        self.events = events  # callback(kind, node, detail)
        self.proc = None
        self.expect_exit = False
        self.paused = False
        self.skew = None
        self.starts = 0
        self.exits = []  # (time, returncode, expected)
        self.watch_task = None
        self.stuck_stacks = None

    @property
    def running(self):
        return self.proc is not None and self.proc.returncode is None

    @property
    def pid(self):
        return self.proc.pid if self.running else None

    @property
    def data_dir(self):
        return os.path.join(self.home, "data")

    async def start(self, skew_ms=None, skew_tool=None):
        """Starts govchaind in the node's namespace; with `skew_ms`, its wall clock moved by that
        many milliseconds through `skew_tool` = ("shim", path of skewclock.so) or
        ("libfaketime", path of libfaketime.so.1)."""
        if self.running:
            return
        env = []
        web = os.path.join(self.bin_dir, "GovChain_GovChainNode.resources", "web")
        if os.path.isdir(web):
            env.append(f"GOVCHAIN_WEB_DIR={web}")
        if skew_ms:
            kind, lib = skew_tool
            if kind == "shim":
                env += [f"LD_PRELOAD={lib}", f"NEMESIS_CLOCK_OFFSET_MS={int(skew_ms)}"]
            else:
                # FAKETIME_SHARED set (to no segment) keeps libfaketime from creating one and calling
                # setenv() at load time, which moves `environ` and costs a Swift program its
                # arguments (govchaind then sees no subcommand and prints its help).
                env += [f"LD_PRELOAD={lib}", f"FAKETIME={skew_ms / 1000:+g}s", "FAKETIME_DONT_FAKE_MONOTONIC=1",
                        "FAKETIME_SHARED=/nemesis-no-sem /nemesis-no-shm"]
        self.skew = skew_ms
        self.expect_exit = False
        self.paused = False
        self.starts += 1
        log = open(self.log_path, "ab")
        log.write(f"\n===== nemesis: start #{self.starts} at {time.strftime('%H:%M:%S')}"
                  f"{f' with its wall clock {skew_ms / 1000:+g} s ({skew_tool[0]})' if skew_ms else ''} =====\n".encode())
        log.flush()
        try:
            self.proc = await asyncio.create_subprocess_exec(
                "ip", "netns", "exec", netns.ns_name(self.index), "env", *env,
                os.path.join(self.bin_dir, "govchaind"), "start", "--home", self.home, "--log-level", "info",
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=asyncio.subprocess.STDOUT,
                start_new_session=True)
        finally:
            log.close()
        proc = self.proc
        self.watch_task = asyncio.ensure_future(self._watch(proc))

    async def _watch(self, proc):
        rc = await proc.wait()
        expected = self.expect_exit
        self.exits.append((time.monotonic(), rc, expected))
        if not expected:
            self.events("unexpected_exit", self, rc)

    async def wait_api(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                return False
            try:
                status, _ = await http_get(self.ip, API_PORT, "/v1/status", 1.0)
                if status == 200:
                    return True
            except (OSError, asyncio.TimeoutError, ValueError, asyncio.IncompleteReadError):
                pass
            await asyncio.sleep(0.2)
        return False

    def signal(self, sig):
        if self.running:
            try:
                os.kill(self.proc.pid, sig)
            except ProcessLookupError:
                pass

    async def wait_exit(self, timeout):
        if self.proc is None:
            return True
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
            # Let the watcher record the exit before anyone looks.
            await asyncio.sleep(0)
            return True
        except asyncio.TimeoutError:
            return False

    async def kill9(self):
        self.expect_exit = True
        self.signal(signal.SIGKILL)
        await self.wait_exit(10)

    async def stop(self, timeout=15.0):
        """SIGTERM (after SIGCONT if paused); SIGKILL if it has not exited after `timeout` s.
        Returns the exit code, or None if it was not running."""
        if not self.running:
            return None
        self.expect_exit = True
        if self.paused:
            self.signal(signal.SIGCONT)
            self.paused = False
        self.signal(signal.SIGTERM)
        if not await self.wait_exit(timeout):
            self.stuck_stacks = await self.dump_stacks()
            self.events("stop_timeout", self, timeout)
            self.signal(signal.SIGKILL)
            await self.wait_exit(10)
        return self.proc.returncode

    async def dump_stacks(self):
        """Every thread's stack (gdb, if installed) to HOME/../<slug>-stacks-<n>.txt; returns the path."""
        if not self.running or not shutil.which("gdb"):
            return None
        path = f"{os.path.splitext(self.log_path)[0]}-stacks-{self.starts}.txt"
        with open(path, "wb") as out:
            proc = await asyncio.create_subprocess_exec(
                "gdb", "-p", str(self.proc.pid), "-batch", "-ex", "thread apply all bt",
                stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=asyncio.subprocess.STDOUT)
            try:
                await asyncio.wait_for(proc.wait(), 90)
            except asyncio.TimeoutError:
                proc.kill()
                await proc.wait()
        return path

    def pause(self):
        self.signal(signal.SIGSTOP)
        self.paused = True

    def resume(self):
        self.signal(signal.SIGCONT)
        self.paused = False

    def rss_kib(self):
        pid = self.pid
        if pid is None:
            return None
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def log_tail(self, lines=15):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                f.seek(max(0, size - 64 * 1024))
                text = f.read().decode("utf-8", "replace")
            return text.splitlines()[-lines:]
        except OSError:
            return []
