"""Run one of the repository's ``tools/`` scripts from another tool (the
quickstart, the model zoo, the analysis scripts): one runner, so every
caller prints the command, fails the same way and can tell how busy the
machine was meanwhile."""
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional, Tuple, Union

PathLike = Union[str, Path]


def machine_busy_seconds() -> Optional[float]:
    """CPU seconds the whole machine has been busy (all cores; Linux's
    /proc/stat), or None elsewhere."""
    try:
        with open('/proc/stat') as f:
            values = [int(v) for v in f.readline().split()[1:8]]
    except OSError:
        return None
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / os.sysconf('SC_CLK_TCK')


def children_cpu_seconds() -> float:
    times = os.times()
    return times.children_user + times.children_system


def run_tool(root: PathLike, script: str, *args, log: Optional[PathLike] = None,
             quiet: bool = False) -> Tuple[float, Optional[float]]:
    """Run ``python <root>/tools/<script> args`` in ``root`` with this
    interpreter; its output goes to ``log`` (appended) when given, nowhere
    with ``quiet``, else to the terminal.

    Returns the wall time and the CPU seconds other processes used
    meanwhile (None where /proc/stat is missing): how shared the machine
    was. Exits naming the script (and the log) when the tool fails.
    """
    root = Path(root)
    cmd = [sys.executable, str(root / 'tools' / script), *map(str, args)]
    print('+', ' '.join(cmd), flush=True)
    start, busy, own = (time.monotonic(), machine_busy_seconds(),
                        children_cpu_seconds())
    if log is not None:
        with open(log, 'a') as f:
            code = subprocess.run(cmd, cwd=root, stdout=f,
                                  stderr=subprocess.STDOUT).returncode
    else:
        out = subprocess.DEVNULL if quiet else None
        code = subprocess.run(cmd, cwd=root, stdout=out).returncode
    if code:
        where = f'; its output is in {log}' if log is not None else ''
        sys.exit(f'tools/{script} exited {code}{where}')
    busy_after = machine_busy_seconds()
    others = (None if busy is None or busy_after is None else max(
        0., busy_after - busy - (children_cpu_seconds() - own)))
    return time.monotonic() - start, others
