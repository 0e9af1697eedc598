"""MMPose's toolchain conventions: Slurm scripts that hand srun our
train/test tools with --launcher slurm, and log plotting for the
iteration-based logs MMPose's analyze_logs.py cannot read."""
import json
import os
import stat
import subprocess
import sys

import pytest

from conftest import ROOT, fails, python_tool, run


@pytest.mark.parametrize('script, tool, extra', [
    ('slurm_train.sh', 'train.py', '--work-dir=W'),
    ('slurm_test.sh', 'test.py', 'CKPT'),
])
def test_slurm_scripts_launch_our_tools_through_srun(tmp_path, script, tool,
                                                     extra):
    fake = tmp_path / 'srun'  # records what it was asked to run
    fake.write_text('#!/bin/sh\necho "srun $*"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    fourth = 'W' if tool == 'train.py' else 'CKPT'
    out = run(['bash', ROOT / 'tools' / script, 'part', 'job', 'cfg.py',
               fourth, '--cfg-options', 'a=1'],
              env=dict(PATH=f'{tmp_path}:{os.environ["PATH"]}', GPUS='4',
                       GPUS_PER_NODE='2'))
    assert '-p part --job-name=job --gres=gpu:2 --ntasks=4' in out
    assert f'tools/{tool} cfg.py' in out and extra in out
    assert '--launcher=slurm --cfg-options a=1' in out
    assert 'tools/slurm' not in out  # the tool itself, not a script


def test_slurm_script_without_arguments_says_how():
    import subprocess
    proc = subprocess.run(['bash', ROOT / 'tools/slurm_train.sh'],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and 'usage:' in proc.stderr


def test_plot_curve_reads_a_resumed_iteration_run(tmp_path):
    work = tmp_path / 'run'
    for stamp, steps in (('20260101_000000', (1, 2, 3)),
                         ('20260101_010000', (3, 4))):  # resumed at 3
        log = work / stamp / 'vis_data' / 'scalars.json'
        log.parent.mkdir(parents=True)
        log.write_text('\n'.join(json.dumps(dict(
            step=s, loss=1.0 / s + (0.5 if stamp.endswith('1') else 0),
            lr=0.1)) for s in steps))
    from mmpose_hourglass_ext.utils.logs import read_curves
    curves = read_curves(work, ('loss', ))
    assert [s for s, _ in curves['loss']] == [1, 2, 3, 4]
    assert curves['loss'][2][1] == pytest.approx(1 / 3)  # the later run
    out = python_tool(ROOT / 'tools/analysis/analyze_logs.py', 'plot_curve',
                      work, '--keys', 'loss', 'lr', '--out',
                      tmp_path / 'c.png')
    assert 'wrote' in out
    from PIL import Image
    assert Image.open(tmp_path / 'c.png').size[0] > 300
    with pytest.raises(pytest.fail.Exception, match="logs no 'acc'"):
        python_tool(ROOT / 'tools/analysis/analyze_logs.py', 'plot_curve',
                    work, '--keys', 'acc', '--out', tmp_path / 'd.png')


def test_cal_train_time_medians_after_the_warm_up_window(tmp_path):
    log = tmp_path / 'run' / '20260101_000000' / 'vis_data' / 'scalars.json'
    log.parent.mkdir(parents=True)
    # mmengine logs every 10 iterations; the first window is the warm-up
    records = [dict(step=10, time=0.9, data_time=0.3, loss=0.02,
                    memory=4093)] + [
        dict(step=10 * i, time=t, data_time=0.02, loss=0.01, memory=4088)
        for i, t in ((2, 0.20), (3, 0.10), (4, 0.16))]
    log.write_text('\n'.join(json.dumps(r) for r in records))
    out_json = tmp_path / 'summary.json'
    out = python_tool(ROOT / 'tools/analysis/analyze_logs.py',
                      'cal_train_time', tmp_path / 'run', '--batch-size',
                      '24', '--json-out', out_json)
    assert 'median_s_per_iter 0.16' in out
    summary = json.loads(out_json.read_text())[str(tmp_path / 'run')]
    assert summary['median_s_per_iter'] == pytest.approx(0.16)
    assert summary['median_data_s_per_iter'] == pytest.approx(0.02)
    assert summary['img_per_s'] == pytest.approx(24 / 0.16, abs=0.1)
    assert summary['max_memory_MB'] == 4093
    assert (summary['first_loss'], summary['last_loss']) == (0.02, 0.01)
    assert summary['last_iter'] == 40
    # nothing left after the warm-up: the tool says so and how to fix it
    msg = fails(ROOT / 'tools/analysis/analyze_logs.py', 'cal_train_time',
                tmp_path / 'run', '--skip', '4')
    assert 'logger.interval' in msg


def test_speed_cuda_script_refuses_a_machine_without_a_gpu(tmp_path):
    import torch
    if torch.cuda.is_available():
        pytest.skip('this machine has a GPU: the script would measure it')
    proc = subprocess.run(
        ['bash', str(ROOT / 'tools/analysis/speed_cuda.sh'), str(tmp_path)],
        env=dict(os.environ, PYTHON=sys.executable), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    assert proc.returncode != 0
    assert 'torch sees no CUDA GPU' in proc.stdout
    assert not list(tmp_path.iterdir())  # nothing written
