"""Job locks: a file per running job under ``<out>/.campaign/``, holding the process id and
host, so that processes sharing one result store never start the same job twice; a lock
whose process has died is taken over."""
from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

__all__ = ["lock_path", "is_alive", "acquire"]


def lock_path(job, out):
    return Path(out) / ".campaign" / (job.name.replace("/", "__") + ".lock")


def is_alive(lock):
    """Whether the process that wrote ``lock`` is running (on this machine)."""
    try:
        info = json.loads(lock.read_text())
    except (OSError, ValueError):
        return False
    if info.get("host") != socket.gethostname():
        return True                                   # cannot tell: assume it runs
    try:
        os.kill(int(info["pid"]), 0)
    except (ProcessLookupError, ValueError, KeyError):
        return False
    except PermissionError:
        return True
    return True


def acquire(job, out):
    """Take ``job``'s lock; ``False`` when a live process holds it."""
    lock = lock_path(job, out)
    lock.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if is_alive(lock):
                return False
            lock.unlink(missing_ok=True)              # left by a killed process
            continue
        with os.fdopen(fd, "w") as f:
            json.dump({"pid": os.getpid(), "host": socket.gethostname(),
                       "started": time.time()}, f)
        return True
    return False
