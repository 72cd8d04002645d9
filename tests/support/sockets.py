"""Which TCP connections this process holds open to a server: what a test checks is left after a client's
``close()``. Linux only (``/proc``), as the test machines are."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

_ESTABLISHED = "01"


def _socket_inodes() -> set[str]:
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed since it was listed
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def open_connections_to(url: str) -> int:
    """Established TCP connections of this process whose remote end is ``url``'s port."""
    port = urlsplit(url).port
    assert port is not None, url
    ours = _socket_inodes()
    count = 0
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == _ESTABLISHED and fields[9] in ours:
                count += 1
    return count
