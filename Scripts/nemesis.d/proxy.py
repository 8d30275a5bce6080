"""The fault proxy: a userspace TCP relay between every pair of validators (asyncio).

One listener per ordered pair (i dials j) on BRIDGE_IP:port(i, j) forwards to node j's peer port.
Node i's `peer_addresses` point at these listeners, so every peer byte crosses the proxy. (The
nodes dial only validators with a higher index, so only the pairs i < j carry traffic; the other
listeners exist so that nothing depends on that rule.)

Faults are set per unordered pair {i, j} (a `Link`) and apply to both directions of its
connections:

- delay: every chunk read is delivered `delay ± jitter` ms after it arrived (order is kept: a
  chunk is never delivered before the one read before it).
- stall: bytes read are held until `stall_until` (the reader keeps reading into a bounded queue,
  then TCP's own backpressure stops the sender).
- bandwidth: bytes are written in slices of at most a tenth of a second's worth, then the writer
  sleeps for that slice's time.
- cut: both sockets are closed (FIN).
- reset: the next chunk is forwarded only in part (a prefix of random length, so a TLS record and
  the frame in it are cut), then both sockets are closed with SO_LINGER 0 (RST).
- block (partition, mode "refuse"): new connections are accepted and reset at once, existing
  ones reset.
- silence (partition, mode "silent"): nothing is forwarded and new connections are held without
  dialling upstream, like a network that drops every packet; connections survive if the peers
  do not give up on them first (the nodes close a link after 15 s without a frame).

A TCP stream cannot lose or reorder bytes, so "loss" is stalls and resets.
"""

import asyncio
import random
import socket
import struct
import time

CHUNK_BYTES = 65536
QUEUE_CHUNKS = 256
CONNECT_TIMEOUT_S = 3.0


def _rst(writer):
    """Closes a stream's socket with an RST (SO_LINGER 0) instead of a FIN."""
    try:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        writer.transport.abort()
    except Exception:
        pass


def _fin(writer):
    try:
        writer.close()
    except Exception:
        pass


class Link:
    """Fault settings of one unordered pair and its live connections."""

    def __init__(self, a, b):
        self.pair = (min(a, b), max(a, b))
        self.conns = set()
        self.clear()
        self.stats = {"connections": 0, "refused": 0, "cuts": 0, "resets": 0, "bytes": 0}

    def clear(self):
        self.delay_ms = 0.0
        self.jitter_ms = 0.0
        self.bandwidth = None  # bytes/s
        self.stall_until = 0.0
        self.blocked = False
        self.silent = False
        self.reset_pending = False

    @property
    def impaired(self):
        return (self.delay_ms or self.jitter_ms or self.bandwidth or self.blocked or self.silent
                or self.stall_until > time.monotonic() or self.reset_pending)


class Connection:
    def __init__(self, proxy, link, client_reader, client_writer):
        self.proxy = proxy
        self.link = link
        self.cr, self.cw = client_reader, client_writer
        self.ur = self.uw = None
        self.tasks = []
        self.closed = False

    def close(self, rst=False):
        if self.closed:
            return
        self.closed = True
        self.link.conns.discard(self)
        for w in (self.cw, self.uw):
            if w is not None:
                (_rst if rst else _fin)(w)
        for t in self.tasks:
            if t is not asyncio.current_task():
                t.cancel()

    async def run(self, upstream):
        link = self.link
        try:
            while link.silent and not self.closed:
                await asyncio.sleep(0.1)
            if self.closed:
                return
            if link.blocked:
                link.stats["refused"] += 1
                self.close(rst=True)
                return
            try:
                self.ur, self.uw = await asyncio.wait_for(asyncio.open_connection(*upstream), CONNECT_TIMEOUT_S)
            except (OSError, asyncio.TimeoutError):
                self.close(rst=True)
                return
            if self.closed:  # cut while connecting
                _rst(self.uw)
                return
            link.stats["connections"] += 1
            self.tasks = [asyncio.ensure_future(self._direction(self.cr, self.uw)),
                          asyncio.ensure_future(self._direction(self.ur, self.cw))]
            await asyncio.gather(*self.tasks, return_exceptions=True)
        finally:
            self.close()

    async def _direction(self, reader, writer):
        """Relays one direction: a reader task queues chunks with their delivery time, this writes."""
        link = self.link
        queue = asyncio.Queue(QUEUE_CHUNKS)
        rng = self.proxy.rng

        async def read():
            last = 0.0
            try:
                while True:
                    data = await reader.read(CHUNK_BYTES)
                    if not data:
                        break
                    now = time.monotonic()
                    delay = link.delay_ms
                    if link.jitter_ms:
                        delay += rng.uniform(-link.jitter_ms, link.jitter_ms)
                    last = max(last, now + max(0.0, delay) / 1000.0)
                    await queue.put((last, data))
            except (OSError, asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                await queue.put(None)

        reader_task = asyncio.ensure_future(read())
        try:
            while True:
                item = await queue.get()
                if item is None:
                    break
                deliver_at, data = item
                while True:
                    now = time.monotonic()
                    wait = max(deliver_at - now, link.stall_until - now)
                    if link.silent:
                        wait = max(wait, 0.1)
                    if wait <= 0:
                        break
                    await asyncio.sleep(min(wait, 0.5))
                if link.reset_pending:
                    link.reset_pending = False
                    link.stats["resets"] += 1
                    if len(data) > 1:
                        writer.write(data[: rng.randrange(1, len(data))])
                        await writer.drain()
                        await asyncio.sleep(0.05)  # let the prefix leave before the RST
                    self.close(rst=True)
                    return
                while data:
                    bw = link.bandwidth
                    piece = data if not bw else data[: max(512, int(bw / 10))]
                    data = data[len(piece):]
                    writer.write(piece)
                    await writer.drain()
                    link.stats["bytes"] += len(piece)
                    if bw:
                        await asyncio.sleep(len(piece) / bw)
        except (OSError, ConnectionError):
            pass
        finally:
            reader_task.cancel()
            self.close()


class FaultProxy:
    def __init__(self, count, listen_ip, port_of, upstream_of, seed):
        """`port_of(i, j)`: the listener node i dials for j; `upstream_of(j)`: (host, port) of j."""
        self.count = count
        self.listen_ip = listen_ip
        self.port_of = port_of
        self.upstream_of = upstream_of
        self.rng = random.Random(f"proxy-{seed}")
        self.links = {}
        for i in range(count):
            for j in range(i + 1, count):
                self.links[(i, j)] = Link(i, j)
        self.servers = []
        self.groups = None  # the partition in force, for printing

    def link(self, a, b):
        return self.links[(min(a, b), max(a, b))]

    def links_of(self, node):
        return [l for (a, b), l in self.links.items() if node in (a, b)]

    async def start(self):
        for i in range(self.count):
            for j in range(self.count):
                if i == j:
                    continue
                link, upstream = self.link(i, j), self.upstream_of(j)

                def handler(r, w, link=link, upstream=upstream):
                    conn = Connection(self, link, r, w)
                    if link.blocked:
                        link.stats["refused"] += 1
                        _rst(w)
                        return None
                    link.conns.add(conn)
                    return conn.run(upstream)

                server = await asyncio.start_server(handler, self.listen_ip, self.port_of(i, j),
                                                    reuse_address=True)
                self.servers.append(server)

    async def stop(self):
        for s in self.servers:
            s.close()
        for l in self.links.values():
            for c in list(l.conns):
                c.close(rst=True)
        for s in self.servers:
            try:
                await asyncio.wait_for(s.wait_closed(), 2)
            except (asyncio.TimeoutError, Exception):
                pass
        self.servers = []

    # --- faults -----------------------------------------------------------------------------

    def cut(self, link, rst=False):
        link.stats["cuts"] += 1
        for c in list(link.conns):
            c.close(rst=rst)

    def reset(self, link):
        """Resets the link mid-chunk the next time it carries bytes (or in 2 s if it carries none)."""
        if not link.conns:
            return
        link.reset_pending = True

        async def fallback():
            await asyncio.sleep(2.0)
            if link.reset_pending:
                link.reset_pending = False
                link.stats["resets"] += 1
                for c in list(link.conns):
                    c.close(rst=True)
        asyncio.ensure_future(fallback())

    def partition(self, groups, mode="refuse"):
        """Links between nodes that share no group are refused (or silenced) and their connections
        reset. `groups` may overlap: a node in two groups bridges them."""
        self.groups = groups
        for (a, b), link in self.links.items():
            if any(a in g and b in g for g in groups):
                continue
            if mode == "silent":
                link.silent = True
            else:
                link.blocked = True
                for c in list(link.conns):
                    c.close(rst=True)

    def heal(self):
        """Clears every fault on every link; held bytes flow again."""
        self.groups = None
        for link in self.links.values():
            link.clear()

    def totals(self):
        out = {}
        for l in self.links.values():
            for k, v in l.stats.items():
                out[k] = out.get(k, 0) + v
        return out
