"""MMPose's toolchain conventions: Slurm scripts that hand srun our
train/test tools with --launcher slurm, and log plotting for the
iteration-based logs MMPose's analyze_logs.py cannot read."""
import json
import os
import stat

import pytest

from conftest import ROOT, python_tool, run


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
