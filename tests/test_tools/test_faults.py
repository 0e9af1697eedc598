"""Faults a new user runs into: each gives an error that names the file or
setting and the fix, and none loses work or prints a wrong number with
exit code 0 (issue 15's fault table; the dataset faults are in
test_datasets/test_lsp.py, the custom keypoint count in
test_custom_dataset.py)."""
import errno
import math
import subprocess
from types import SimpleNamespace

import pytest
import torch

import mmpose_hourglass_ext  # noqa: F401  (registers, lets torch.load read)
from mmpose_hourglass_ext.engine import (NonFiniteLossError,
                                         StopOnNonFiniteLossHook)

from conftest import ROOT, TINY_CONFIG, fails, python_tool

SOFT_GATED_TINY = ROOT / 'tests' / 'configs' / 'soft_gated_hourglass_tiny_lsp-64x64.py'
TWO_ITERS = ['--cfg-options', 'train_cfg.max_iters=2',
             'train_cfg.val_interval=100']


@pytest.fixture(scope='module')
def tiny_checkpoint(tmp_path_factory, lsp_root):
    work = tmp_path_factory.mktemp('tiny')
    python_tool(ROOT / 'tools/train.py', TINY_CONFIG, '--work-dir', work,
                '--no-validate', *TWO_ITERS)
    return work / 'iter_2.pth'


@pytest.mark.slow
def test_checkpoint_of_another_model_is_refused(tiny_checkpoint, tmp_path):
    out = fails(ROOT / 'tools/test.py', SOFT_GATED_TINY, tiny_checkpoint,
                '--work-dir', tmp_path)
    assert f'checkpoint {tiny_checkpoint} does not fit the model' in out
    assert 'wrong size' in out or 'not in the model' in out
    assert 'missing from the checkpoint' in out
    assert not list(tmp_path.glob('*metrics.json'))  # no numbers written
    # and as load_from for training
    out = fails(ROOT / 'tools/train.py', SOFT_GATED_TINY, '--work-dir',
                tmp_path / 'ft', '--cfg-options',
                f'load_from={tiny_checkpoint}', 'train_cfg.max_iters=1')
    assert 'does not fit the model' in out


def test_checkpoint_of_another_keypoint_count_names_the_keys(tmp_path):
    """The same model trained for MPII's 16 keypoints, tested on LSP's 14:
    only the keypoint layers differ, and they are named."""
    from mmengine.config import Config
    from mmpose.registry import MODELS
    cfg = Config.fromfile(TINY_CONFIG)
    cfg.model.backbone.num_keypoints = 16
    cfg.model.head.update(in_channels=16, out_channels=16)
    ckpt = tmp_path / 'mpii.pth'
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict()), ckpt)
    out = fails(ROOT / 'tools/test.py', TINY_CONFIG, ckpt, '--work-dir',
                tmp_path)
    assert 'wrong size' in out and 'checkpoint (16' in out
    assert 'model (14' in out and 'missing from' not in out


def test_text_file_as_checkpoint_is_named(tmp_path):
    fake = tmp_path / 'notes.pth'
    fake.write_text('these are my notes, not weights\n')
    out = fails(ROOT / 'tools/test.py', TINY_CONFIG, fake, '--work-dir',
                tmp_path)
    assert f'{fake} is not a PyTorch checkpoint' in out
    assert 'KeyError: 101' not in out.splitlines()[-1]


def test_unwritable_output_fails_before_evaluating(tiny_checkpoint_free,
                                                   tmp_path):
    blocker = tmp_path / 'a_file'
    blocker.write_text('x')
    out = fails(ROOT / 'tools/test.py', TINY_CONFIG, tiny_checkpoint_free,
                '--out', blocker / 'metrics.json')
    assert 'cannot write' in out and 'metrics.json' in out
    assert 'Epoch(test)' not in out  # refused before the evaluation


@pytest.fixture
def tiny_checkpoint_free(tmp_path):
    """A valid checkpoint of the tiny model, made without training."""
    from mmengine.config import Config
    from mmpose.registry import MODELS
    cfg = Config.fromfile(TINY_CONFIG)
    path = tmp_path / 'untrained.pth'
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict(),
                    meta={}), path)
    return path


@pytest.mark.slow
def test_test_tool_writes_nothing_next_to_the_checkpoint(tiny_checkpoint,
                                                         tmp_path):
    before = set(tiny_checkpoint.parent.iterdir())
    python_tool(ROOT / 'tools/test.py', TINY_CONFIG, tiny_checkpoint,
                '--work-dir', tmp_path)
    assert set(tiny_checkpoint.parent.iterdir()) == before
    assert (tmp_path / 'iter_2_metrics.json').is_file()
    assert (tmp_path / 'iter_2_tables.md').is_file()


@pytest.mark.slow
def test_work_dir_of_another_run_is_protected(tiny_checkpoint):
    work = tiny_checkpoint.parent
    out = fails(ROOT / 'tools/train.py', TINY_CONFIG, '--work-dir', work,
                *TWO_ITERS)
    assert f'{work} already holds checkpoints' in out
    assert '--resume' in out and '--overwrite' in out
    assert (work / 'iter_2.pth').is_file()


def test_resume_with_nothing_to_resume_is_an_error(tmp_path):
    out = fails(ROOT / 'tools/train.py', TINY_CONFIG, '--work-dir', tmp_path,
                '--resume')
    assert 'nothing to resume' in out and str(tmp_path) in out


@pytest.mark.slow
def test_divergence_stops_at_the_first_non_finite_loss(lsp_root, tmp_path):
    # std 0 in the data preprocessor: every input is inf from iteration 1
    out = fails(ROOT / 'tools/train.py', TINY_CONFIG, '--work-dir', tmp_path,
                '--no-validate', '--cfg-options', 'train_cfg.max_iters=4',
                'model.data_preprocessor.std=[0,0,0]')
    assert 'training diverged at iteration 1' in out and '(lr ' in out
    assert 'data_preprocessor.std' in out
    assert not list(tmp_path.glob('*.pth'))  # nothing saved after it


def test_non_finite_loss_hook_keeps_the_last_finite_checkpoint(tmp_path):
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_4.pth'))
    runner = SimpleNamespace(
        iter=6, work_dir=str(tmp_path),
        optim_wrapper=SimpleNamespace(get_lr=lambda: {'lr': [1000.]}))
    hook = StopOnNonFiniteLossHook()
    hook.after_train_iter(runner, 0, outputs={'loss': torch.tensor(0.5)})
    with pytest.raises(NonFiniteLossError) as err:
        hook.after_train_iter(runner, 0, outputs={
            'loss': torch.tensor(math.nan), 'loss_kpt': torch.tensor(1.)})
    message = str(err.value)
    assert 'iteration 7' in message and 'loss = nan' in message
    assert 'lr 1e+03' in message and 'iter_4.pth' in message
    # it runs before the checkpoint hook of the same iteration
    from mmengine.hooks import CheckpointHook
    from mmengine.runner.priority import get_priority
    assert get_priority(hook.priority) < get_priority(CheckpointHook.priority)


@pytest.mark.slow
def test_full_disk_keeps_the_previous_checkpoint(lsp_root, tmp_path):
    """mmengine deletes the old checkpoint before writing the new one; ours
    writes first, so a failed save leaves a resumable work dir."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config.fromfile(TINY_CONFIG)
    cfg.work_dir = str(tmp_path)
    cfg.train_cfg.max_iters = 4
    cfg.train_cfg.val_interval = 100
    cfg.default_hooks.checkpoint.update(interval=2, max_keep_ckpts=1,
                                        save_last=False)
    runner = Runner.from_cfg(cfg)
    save = runner.save_checkpoint

    def full_disk_at_iteration_4(out_dir, filename, *args, **kwargs):
        if filename.startswith('iter_4'):
            # half a file, then the disk is full
            (tmp_path / filename).write_bytes(b'\0' * 100)
            raise OSError(errno.ENOSPC, 'No space left on device')
        return save(out_dir, filename, *args, **kwargs)

    runner.save_checkpoint = full_disk_at_iteration_4
    with pytest.raises(OSError, match='could not write checkpoint .*iter_4'
                       '.*previous checkpoints are kept'):
        runner.train()
    assert (tmp_path / 'iter_2.pth').is_file()
    assert (tmp_path / 'last_checkpoint').read_text().endswith('iter_2.pth')
    assert not list(tmp_path.glob('iter_4*'))
    torch.load(tmp_path / 'iter_2.pth', map_location='cpu')  # complete


def test_adaptive_loss_with_the_wrong_stage_count_is_refused():
    from mmpose.registry import MODELS
    with pytest.raises(ValueError, match='num_stages=3 .* num_stages=2.*'
                       'model.head.loss.num_stages'):
        MODELS.build(dict(
            type='MultiStageHeatmapHead', num_stages=2, in_channels=4,
            out_channels=4, deconv_out_channels=None, final_layer=None,
            loss=dict(type='AdaptiveWeightedMSELoss', num_stages=3)))


def test_adaptive_loss_stays_float32_under_autocast():
    from mmpose_hourglass_ext.models.losses import AdaptiveWeightedMSELoss
    loss_fn = AdaptiveWeightedMSELoss(num_stages=2)
    target = torch.zeros(2, 3, 8, 8)
    target[:, :, 4, 4] = 1
    with torch.autocast('cpu', dtype=torch.bfloat16):
        pred = (torch.randn(2, 3, 8, 8) * 1e-4).bfloat16()
        for _ in range(2):
            loss = loss_fn(pred, target, torch.ones(2, 3))
            assert loss.dtype == torch.float32 and loss.item() > 0


def test_grow_stages_on_an_hourglass_checkpoint_names_the_problem(
        tiny_checkpoint_free, tmp_path):
    out = fails(ROOT / 'tools/misc/grow_stages.py', tiny_checkpoint_free,
                ROOT / 'configs/resnet_multi_stage/'
                'td-hm_res101-2stage_8xb32-210e_mpii-256x256.py',
                tmp_path / 'out.pth')
    assert 'not a ResNetMultiStage model' in out


@pytest.mark.parametrize('script,args', [
    ('dist_train.sh', [TINY_CONFIG]), ('dist_test.sh', [TINY_CONFIG, 'x'])])
def test_dist_scripts_without_a_process_count_print_their_usage(script,
                                                                args):
    proc = subprocess.run(['bash', ROOT / 'tools' / script, *args],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert 'usage:' in proc.stderr and 'NUM_PROCS' in proc.stderr
    assert 'unbound variable' not in proc.stderr
