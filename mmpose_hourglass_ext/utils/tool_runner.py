"""Run one of the repository's ``tools/`` scripts from another tool (the
quickstart, the model zoo, the analysis scripts): one runner, so every
caller prints the command, fails the same way and can tell how busy the
machine was meanwhile."""
import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Optional, Tuple, Union

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


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds of a running process and its finished children (Linux's
    /proc/<pid>/stat); 0 elsewhere. ``os.times`` counts a child only once
    it has exited, too late for progress reports."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            # fields after the parenthesised command name; utime is the 14th
            fields = f.read().rsplit(')', 1)[1].split()
    except OSError:
        return 0.
    return sum(int(v) for v in fields[11:15]) / os.sysconf('SC_CLK_TCK')


def run_tool(root: PathLike, script: str, *args, log: Optional[PathLike] = None,
             quiet: bool = False,
             progress: Optional[Callable[[float, Optional[float]], None]] = None,
             progress_every: float = 60.) -> Tuple[float, Optional[float]]:
    """Run ``python <root>/tools/<script> args`` in ``root`` with this
    interpreter; its output goes to ``log`` (appended) when given, nowhere
    with ``quiet``, else to the terminal.

    Returns the wall time and the CPU seconds other processes used
    meanwhile (None where /proc/stat is missing): how shared the machine
    was. ``progress``, when given, receives the same two numbers so far
    every ``progress_every`` seconds while the tool runs, so a caller that
    is killed with its tool (a long training) has recorded all but the last
    interval. Exits naming the script (and the log) when the tool fails.
    """
    root = Path(root)
    cmd = [sys.executable, str(root / 'tools' / script), *map(str, args)]
    print('+', ' '.join(cmd), flush=True)
    start, busy = time.monotonic(), machine_busy_seconds()

    def so_far(own_cpu: float) -> Tuple[float, Optional[float]]:
        busy_now = machine_busy_seconds()
        others = (None if busy is None or busy_now is None else
                  max(0., busy_now - busy - own_cpu))
        return time.monotonic() - start, others

    with contextlib.ExitStack() as stack:
        if log is not None:
            out, err = stack.enter_context(open(log, 'a')), subprocess.STDOUT
        else:
            out, err = (subprocess.DEVNULL if quiet else None), None
        own = children_cpu_seconds()
        proc = subprocess.Popen(cmd, cwd=root, stdout=out, stderr=err)
        while True:
            try:
                code = proc.wait(timeout=progress_every if progress else None)
                break
            except subprocess.TimeoutExpired:
                progress(*so_far(process_cpu_seconds(proc.pid)))
    if code:
        where = f'; its output is in {log}' if log is not None else ''
        sys.exit(f'tools/{script} exited {code}{where}')
    return so_far(children_cpu_seconds() - own)
