"""run_tool's progress reports: a caller killed together with a long tool
(the zoo's training) must already have recorded the time spent so far."""
import time

import pytest

from mmpose_hourglass_ext.utils.tool_runner import (process_cpu_seconds,
                                                    run_tool)

BUSY_TOOL = '''import sys, time
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    sum(range(1000))
'''


def test_progress_is_reported_while_the_tool_runs(tmp_path):
    (tmp_path / 'tools').mkdir()
    (tmp_path / 'tools' / 'busy.py').write_text(BUSY_TOOL)
    reports = []
    seconds, _ = run_tool(tmp_path, 'busy.py', 1.5, quiet=True,
                          progress=lambda s, o: reports.append((s, o)),
                          progress_every=0.3)
    assert len(reports) >= 3
    times = [s for s, _ in reports]
    assert times == sorted(times) and 0 < times[0] < times[-1] <= seconds
    assert seconds >= 1.5
    for _, others in reports:  # None only where /proc/stat is missing
        assert others is None or others >= 0


def test_without_progress_nothing_is_reported(tmp_path):
    (tmp_path / 'tools').mkdir()
    (tmp_path / 'tools' / 'busy.py').write_text(BUSY_TOOL)
    seconds, _ = run_tool(tmp_path, 'busy.py', 0.2, quiet=True)
    assert seconds >= 0.2


def test_process_cpu_seconds_counts_a_running_process():
    import subprocess
    import sys
    proc = subprocess.Popen([sys.executable, '-c', BUSY_TOOL, '1.0'])
    try:
        time.sleep(0.8)
        assert process_cpu_seconds(proc.pid) > 0.2
    finally:
        proc.wait()
    assert process_cpu_seconds(proc.pid) == 0.  # gone: nothing to read


def test_a_failing_tool_names_itself(tmp_path):
    (tmp_path / 'tools').mkdir()
    (tmp_path / 'tools' / 'fails.py').write_text('raise SystemExit(3)\n')
    with pytest.raises(SystemExit, match='tools/fails.py exited 3'):
        run_tool(tmp_path, 'fails.py', quiet=True, progress=print,
                 progress_every=0.1)
