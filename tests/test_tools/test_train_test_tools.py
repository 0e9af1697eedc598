"""MMPose's runner drives our package end to end on real LSP images:
MMPose's own train tool, ours with --resume, and the torchrun launchers."""
import json
import socket
import sys
from pathlib import Path

import mmpose
import pytest
import torch

import mmpose_hourglass_ext  # noqa: F401  (lets torch.load read checkpoints)

from conftest import ROOT, TINY_CONFIG, python_tool, run

pytestmark = pytest.mark.slow
KILLED_CONFIG = TINY_CONFIG.with_name('stacked_hourglass_tiny_lsp-64x64_killed-at-5.py')


def test_mmposes_own_train_tool_trains_our_config(lsp_root, tmp_path):
    mmpose_train = Path(mmpose.__file__).parent / '.mim' / 'tools' / 'train.py'
    assert mmpose_train.is_file()
    out = python_tool(mmpose_train, TINY_CONFIG, '--work-dir', tmp_path,
                      '--cfg-options', 'train_cfg.max_iters=2',
                      'train_cfg.val_interval=2')
    assert 'Iter(train) [2/2]' in out
    assert 'PCK@0.2/Total' in out
    assert (tmp_path / 'iter_2.pth').is_file()


def weights(path):
    return torch.load(path, map_location='cpu')['state_dict']


def test_resume_after_a_kill_reaches_the_same_weights(lsp_root, tmp_path):
    """8 iterations straight vs. killed after 5 (checkpoint at 4) and
    resumed with --resume: the final weights are identical."""
    common = ['--cfg-options', 'train_cfg.max_iters=8',
              'train_cfg.val_interval=100', 'default_hooks.checkpoint.interval=4']
    straight, killed = tmp_path / 'straight', tmp_path / 'killed'
    python_tool(ROOT / 'tools/train.py', TINY_CONFIG, '--work-dir', straight,
                *common)

    with pytest.raises(pytest.fail.Exception, match='exited 17'):
        python_tool(ROOT / 'tools/train.py', KILLED_CONFIG, '--work-dir',
                    killed, *common)
    assert (killed / 'iter_4.pth').is_file()
    assert not (killed / 'iter_8.pth').exists()

    out = python_tool(ROOT / 'tools/train.py', TINY_CONFIG, '--work-dir',
                      killed, '--resume', *common)
    assert 'resumed epoch: 0, iter: 4' in out
    a, b = weights(straight / 'iter_8.pth'), weights(killed / 'iter_8.pth')
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_test_tool_writes_metrics_into_the_work_dir(lsp_root, tmp_path):
    python_tool(ROOT / 'tools/train.py', TINY_CONFIG, '--work-dir', tmp_path,
                '--no-validate', '--cfg-options', 'train_cfg.max_iters=2')
    ckpt = tmp_path / 'iter_2.pth'
    python_tool(ROOT / 'tools/test.py', TINY_CONFIG, ckpt, '--work-dir',
                tmp_path, '--show-dir', 'vis', '--dump', tmp_path / 'p.pkl')
    metrics = json.loads((tmp_path / 'iter_2_metrics.json').read_text())
    assert set(metrics) >= {'PCK@0.2/Head', 'PCK@0.2/Total'}
    assert 0.0 <= metrics['PCK@0.2/Total'] <= 1.0
    assert len(list(tmp_path.rglob('vis/im1*.jpg'))) == 16  # every image
    assert (tmp_path / 'p.pkl').is_file()


def free_port() -> str:
    """A port nobody listens on, so runs never meet a socket left in
    TIME_WAIT by an earlier launch."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return str(sock.getsockname()[1])


def test_dist_train_and_dist_test_on_cpu(lsp_root, tmp_path):
    env = {'PYTHON': sys.executable, 'OMP_NUM_THREADS': '1'}
    out = run(['bash', ROOT / 'tools/dist_train.sh', TINY_CONFIG, '2',
               '--work-dir', tmp_path, '--cfg-options',
               'train_cfg.max_iters=2', 'train_cfg.val_interval=2'],
              env=dict(env, PORT=free_port()))
    # mmengine's environment report: 2 processes in one gloo group
    assert 'Distributed training: True' in out and 'GPU number: 2' in out
    assert 'Iter(train) [2/2]' in out
    ckpt = tmp_path / 'iter_2.pth'
    assert ckpt.is_file()
    run(['bash', ROOT / 'tools/dist_test.sh', TINY_CONFIG, ckpt, '2',
         '--work-dir', tmp_path], env=dict(env, PORT=free_port()))
    metrics = json.loads((tmp_path / 'iter_2_metrics.json').read_text())
    assert 'PCK@0.2/Total' in metrics
