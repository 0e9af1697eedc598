"""Shared test helpers: where the data is, and how to run our tools."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / 'data'
TINY_CONFIG = ROOT / 'tests' / 'configs' / 'hourglass_tiny_lsp-64x64.py'


def require_data(name: str) -> Path:
    """Path of ``data/<name>``; skips when absent, but fails under CI=true
    (CI links ../shared/data in, so a missing dataset is a broken set-up)."""
    path = DATA / name
    if not path.exists():
        msg = (f'{path} is missing: link the dataset there, e.g. '
               f'ln -s ../../shared/data/{name} data/{name} (docs/datasets.md)')
        if os.environ.get('CI', '').lower() == 'true':
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture(scope='session', autouse=True)
def mmpose_scope():
    """Build transforms, models and metrics from MMPose's registries, as
    the runner does with ``default_scope='mmpose'``."""
    from mmpose.utils import register_all_modules
    register_all_modules(init_default_scope=True)


@pytest.fixture(scope='session')
def lsp_root() -> Path:
    return require_data('lsp')


@pytest.fixture(scope='session')
def lspet_root() -> Path:
    return require_data('lspet_sample')


def run(cmd, timeout=600, env=None, cwd=ROOT) -> str:
    """Run a command (list) and return its output; fail with the output's
    tail when it exits non-zero."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT / 'tests'))
    full_env.update(env or {})
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=full_env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f'{" ".join(map(str, cmd))} exited {proc.returncode}:\n'
                    f'{proc.stdout[-6000:]}')
    return proc.stdout


def python_tool(script, *args, **kwargs) -> str:
    """Run ``python <script> args`` with this interpreter."""
    return run([sys.executable, script, *args], **kwargs)
