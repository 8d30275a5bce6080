"""The nemesis network: a bridge in the root namespace and one network namespace per node.

    root namespace: bridge gcbr0 10.77.0.1/24   (the fault proxy listens here)
    gcns<i>:        eth0 10.77.0.<10+i>/24, lo up, default route via 10.77.0.1
                    (veth pair gcv<i> <-> eth0, gcv<i> enslaved to gcbr0)

Every name starts with "gc" so `teardown()` can find what an earlier run left behind.
"""

import subprocess

BRIDGE = "gcbr0"
SUBNET = "10.77.0"
BRIDGE_IP = SUBNET + ".1"
NS_PREFIX = "gcns"
VETH_PREFIX = "gcv"


def ns_name(i):
    return f"{NS_PREFIX}{i}"


def node_ip(i):
    return f"{SUBNET}.{10 + i}"


def _run(args, check=True):
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def _ip(*args, check=True):
    return _run(["ip", *args], check=check)


def setup(count):
    """Creates the bridge and `count` namespaces. Raises on any failure (the caller tears down)."""
    _ip("link", "add", BRIDGE, "type", "bridge")
    _ip("addr", "add", f"{BRIDGE_IP}/24", "dev", BRIDGE)
    _ip("link", "set", BRIDGE, "up")
    for i in range(count):
        ns, veth = ns_name(i), f"{VETH_PREFIX}{i}"
        _ip("netns", "add", ns)
        _ip("link", "add", veth, "type", "veth", "peer", "name", f"{veth}p")
        _ip("link", "set", f"{veth}p", "netns", ns)
        _ip("link", "set", veth, "master", BRIDGE)
        _ip("link", "set", veth, "up")
        _ip("-n", ns, "link", "set", f"{veth}p", "name", "eth0")
        _ip("-n", ns, "addr", "add", f"{node_ip(i)}/24", "dev", "eth0")
        _ip("-n", ns, "link", "set", "eth0", "up")
        _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", ns, "route", "add", "default", "via", BRIDGE_IP)
    # Reachability (root -> API, node -> proxy) is checked by the caller: every API answers and
    # every peer link comes up before the first fault.


def leftovers():
    """Namespaces and links of this tool that exist right now."""
    found = []
    r = _ip("netns", "list", check=False)
    for line in r.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        if name.startswith(NS_PREFIX) and name[len(NS_PREFIX):].isdigit():
            found.append(("netns", name))
    r = _ip("-o", "link", "show", check=False)
    for line in r.stdout.splitlines():
        parts = line.split(":")
        if len(parts) < 2:
            continue
        name = parts[1].strip().split("@")[0]
        if name == BRIDGE or (name.startswith(VETH_PREFIX) and name[len(VETH_PREFIX):].isdigit()):
            found.append(("link", name))
    return found


def teardown():
    """Removes every namespace, veth and the bridge of this tool; returns what it removed.

    Processes still inside a namespace keep it alive in the kernel, so the caller stops them first.
    """
    removed = []
    for kind, name in leftovers():
        if kind == "netns":
            _ip("netns", "del", name, check=False)
        else:
            _ip("link", "del", name, check=False)
        removed.append(name)
    # Deleting a namespace deletes the veth end inside it and so its peer; check the bridge went too.
    for kind, name in leftovers():
        if kind == "link":
            _ip("link", "del", name, check=False)
    return removed
