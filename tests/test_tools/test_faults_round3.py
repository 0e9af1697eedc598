"""The third fault probe's cases (issue 40): each failed silently, lost
data or misled on the code before it."""
import socket
import subprocess
import sys
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config

from conftest import ROOT, TINY_CONFIG, fails, shipped_lsp_model

ZOO_CONFIG, SHIPPED = shipped_lsp_model()


def test_a_work_dir_in_use_by_a_live_training_is_refused(tmp_path):
    """Data loss: two trainings in one work dir overwrote each other."""
    from mmpose_hourglass_ext.utils.runtime import (TRAINING_LOCK,
                                                    claim_work_dir)
    other = subprocess.Popen([sys.executable, '-c',
                              'import time; time.sleep(60)'])
    try:
        (tmp_path / TRAINING_LOCK).write_text(
            f'{socket.gethostname()} {other.pid}\n')
        with pytest.raises(FileExistsError, match=f'process {other.pid}'):
            claim_work_dir(str(tmp_path))
        message = fails(ROOT / 'tools' / 'train.py', TINY_CONFIG,
                        '--work-dir', tmp_path)
        assert 'another training that is still running' in message
        assert not list(tmp_path.glob('*.py'))  # its config is untouched
    finally:
        other.kill()
        other.wait()
    # a mark left by a killed run is taken over
    claim_work_dir(str(tmp_path))
    assert (tmp_path / TRAINING_LOCK).read_text().split()[1] == str(
        __import__('os').getpid())


def test_test_out_never_writes_onto_a_checkpoint(tmp_path):
    """Data loss: --out W/iter_2.pth while testing W/iter_4.pth turned
    iter_2.pth into a JSON."""
    other = tmp_path / 'iter_2.pth'
    other.write_bytes(b'weights')
    message = fails(ROOT / 'tools' / 'test.py', ZOO_CONFIG, SHIPPED,
                    '--out', other)
    assert 'names a checkpoint file' in message and '.json' in message
    assert other.read_bytes() == b'weights'


def test_package_hooks_survive_a_configs_own_custom_hooks():
    from mmpose_hourglass_ext.utils.runtime import keep_package_hooks
    cfg = Config(dict(custom_hooks=[dict(type='EMAHook')]))
    assert keep_package_hooks(cfg) == ['StopOnNonFiniteLossHook',
                                       'FlushDenormalsHook']
    assert [h['type'] for h in cfg.custom_hooks] == [
        'EMAHook', 'StopOnNonFiniteLossHook', 'FlushDenormalsHook']
    mine = dict(type='StopOnNonFiniteLossHook', max_loss_ratio=None)
    cfg = Config(dict(custom_hooks=[mine, dict(type='FlushDenormalsHook')]))
    assert keep_package_hooks(cfg) == []  # a config's own settings stay
    assert cfg.custom_hooks[0] == mine


def test_divergence_inside_the_reference_window_is_stopped(tmp_path):
    """Adam at lr 1000 reached 1e13 within the 20 reference iterations,
    which then made the reference."""
    from mmpose_hourglass_ext.engine import (NonFiniteLossError,
                                             StopOnNonFiniteLossHook)
    hook = StopOnNonFiniteLossHook()
    runner = SimpleNamespace(
        iter=3, work_dir=str(tmp_path),
        optim_wrapper=SimpleNamespace(get_lr=lambda: {'lr': [1000.]}))
    for value in (0.005, 0.02, 3.0):
        hook.after_train_iter(runner, 0, outputs={'loss': torch.tensor(
            value)})
    with pytest.raises(NonFiniteLossError, match='times its starting value '
                       '0.005'):
        hook.after_train_iter(runner, 0, outputs={'loss': torch.tensor(
            1e13)})


def test_combined_dataset_keypoints_are_checked_against_the_model():
    from mmpose_hourglass_ext.utils.runtime import (check_keypoint_counts,
                                                    dataset_keypoints)
    config = (ROOT / 'configs/mpii_and_lsp/'
              'td-hm_sghg2-64_dark-1xb16-12000it_mpii+lsp+lspet-128x128.py')
    cfg = Config.fromfile(config)
    assert dataset_keypoints(cfg.train_dataloader.dataset) == 14
    cfg.train_dataloader.dataset.keypoints_of = 'MpiiSplitDataset'
    with pytest.raises(ValueError, match='16'):
        check_keypoint_counts(cfg)


@pytest.mark.parametrize('tool', ['train.py', 'test.py'])
def test_mmposes_visualization_flags_are_accepted_and_applied(tool,
                                                              monkeypatch):
    """Commands written for MMPose's tools failed in argparse here."""
    from conftest import load_tool

    from mmpose_hourglass_ext.utils.runtime import apply_visualization_args
    module = load_tool(f'tools/{tool}')
    flags = ['--show-dir', 'vis', '--interval', '3', '--wait-time', '0.5']
    if tool == 'test.py':
        flags += ['--badcase']
    monkeypatch.setattr(sys, 'argv', [tool, str(ZOO_CONFIG)] + (
        [str(SHIPPED)] if tool == 'test.py' else []) + flags)
    args = module.parse_args()
    cfg = Config.fromfile(ZOO_CONFIG)
    apply_visualization_args(cfg, args)
    vis = cfg.default_hooks.visualization
    assert (vis.enable, vis.out_dir, vis.interval) == (True, 'vis', 3)
    if tool == 'test.py':
        bad = cfg.default_hooks.badcase
        assert bad.enable and bad.interval == 3
        assert bad.metric == cfg.model.head.loss  # metric_type 'loss'
    del cfg.default_hooks['visualization']
    with pytest.raises(ValueError, match='PoseVisualizationHook'):
        apply_visualization_args(cfg, args)


@pytest.mark.parametrize('config', [
    ZOO_CONFIG, ROOT / 'configs/mpii_and_lsp/'
    'td-hm_sghg2-64_dark-1xb16-12000it_mpii+lsp+lspet-128x128.py'])
def test_init_pose_model_takes_the_test_sets_keypoints_without_a_word_of_coco(
        config):
    import warnings

    from mmpose_hourglass_ext.apis.inference import init_pose_model
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        model = init_pose_model(str(config), None)
    assert model.dataset_meta['dataset_name'] == 'lsp'
    assert not [w for w in caught if 'COCO' in str(w.message)]


def test_a_misspelt_setting_is_named_with_its_likely_spelling(tmp_path):
    message = fails(ROOT / 'tools' / 'train.py', TINY_CONFIG, '--work-dir',
                    tmp_path, '--cfg-options', 'train_cfg.max_itres=2')
    assert ("the config gives IterBasedTrainLoop the setting 'max_itres'"
            in message)
    assert "did you mean 'max_iters'?" in message
    assert 'Traceback' not in message.split('exited', 1)[1]


def test_launcher_pytorch_outside_torchrun_says_how_to_start_it(
        tmp_path, monkeypatch):
    from mmpose_hourglass_ext.utils.runtime import setup_launcher
    for key in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR'):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(ValueError, match='not started by torchrun.*'
                       'tools/dist_train.sh'):
        setup_launcher(Config(dict(env_cfg={})), 'pytorch')


def test_fast_mode_on_with_channels_last_keeps_bf16():
    from mmpose_hourglass_ext.utils.fast_mode import choose_fast_mode
    assert choose_fast_mode('on', channels_last=True,
                            on_gpu=False)[:2] == ('bf16', True)
    assert choose_fast_mode('on', amp='bf16', on_gpu=False)[:2] == ('bf16',
                                                                    True)
    assert choose_fast_mode('off', channels_last=True,
                            on_gpu=False)[:2] == (None, True)


def coco_sample():
    import json

    from conftest import require_data
    root = require_data('coco_sample')
    content = json.loads(
        (root / 'annotations/person_keypoints_train2017.json').read_text())
    return content, str(root / 'train2017')


def with_keypoints(content):
    return [a for a in content['annotations'] if a.get('num_keypoints')]


@pytest.mark.parametrize('edit,message', [
    (lambda c: with_keypoints(c)[0]['keypoints'].__setitem__(0, float('nan')),
     'not a finite number'),
    (lambda c: c['annotations'].append(dict(with_keypoints(c)[1])),
     'appears twice'),
    (lambda c: with_keypoints(c)[0].update(image_id=-5),
     'not in the file'),
    (lambda c: c['images'][0].update(file_name='gone.jpg'),
     r'gone\.jpg, is missing'),
    (lambda c: with_keypoints(c)[0]['keypoints'].pop(), '50 keypoint numbers'),
    (lambda c: c.update(images=[]), "'images' list is empty"),
    (lambda c: [a.update(keypoints=[0] * 51) for a in c['annotations']],
     'none of its 147 persons has an annotated keypoint'),
])
def test_coco_files_that_misled_silently_stop_naming_the_file(edit,
                                                              message):
    """A NaN keypoint was trained on; a duplicate id dropped a person from
    the evaluation; persons of a missing image and zero-size boxes left
    training without a word; wrong lengths and empty files were raw."""
    from mmpose_hourglass_ext.utils.annotation_checks import \
        check_coco_persons
    content, images = coco_sample()
    edit(content)
    with pytest.raises((ValueError, FileNotFoundError), match=message) as e:
        check_coco_persons(content, 'my.json (train_dataloader...)', images)
    assert 'my.json' in str(e.value)


def test_coco_persons_with_zero_size_boxes_are_named_in_a_warning():
    from mmpose_hourglass_ext.utils.annotation_checks import \
        check_coco_persons
    content, images = coco_sample()
    person = with_keypoints(content)[0]
    person['bbox'][2] = 0
    with pytest.warns(UserWarning, match=f"1 persons .* zero width or height "
                      rf"\(annotation ids \[{person['id']}\]\)"):
        check_coco_persons(content, 'my.json', images)


def test_ctrl_c_while_a_checkpoint_is_saved_says_so(capsys):
    """mmengine formats the config into every checkpoint; the message
    blamed the config being written."""
    from unittest import mock

    from mmpose_hourglass_ext.utils.runtime import explain_run_errors
    cfg = Config.fromfile(TINY_CONFIG)
    with mock.patch('mmengine.config.config.FormatCode',
                    side_effect=KeyboardInterrupt):
        with pytest.raises(SystemExit):
            with explain_run_errors('tools/train.py'):
                cfg.pretty_text
    err = capsys.readouterr().err
    assert 'for a checkpoint being saved' in err and '--resume' in err


def test_targets_of_another_heatmap_size_are_refused_before_training():
    from mmpose_hourglass_ext.utils.runtime import check_target_size
    cfg = Config.fromfile(ZOO_CONFIG)
    check_target_size(cfg)  # the shipped configs agree
    for step in cfg.train_dataloader.dataset.datasets[0].pipeline:
        if step['type'] == 'GenerateTarget':
            step['encoder'] = dict(step['encoder'], heatmap_size=(64, 64))
    with pytest.raises(ValueError, match=r'GenerateTarget makes \(64, 64\) '
                       r'heatmaps, but model.head.decoder has heatmap_size '
                       r'\(32, 32\)'):
        check_target_size(cfg)


def test_grow_stages_with_an_hourglass_config_blames_the_config():
    from mmpose_hourglass_ext.utils.stage_growth import grow_state_dict
    checkpoint = {'backbone.encoders.0.conv.weight': torch.zeros(1)}
    hourglass = {'backbone.heatmaps.0.weight': torch.zeros(1)}
    with pytest.raises(ValueError, match="the config's model is not a "
                       'ResNetMultiStage model'):
        grow_state_dict(checkpoint, hourglass)
    with pytest.raises(ValueError, match='this checkpoint is not a '
                       'ResNetMultiStage model'):
        grow_state_dict(hourglass, checkpoint)


def test_a_tool_that_ignores_fast_mode_says_so(recwarn):
    """MMPose's own train.py trained a fast_mode='on' config in float32
    without a word."""
    from mmpose_hourglass_ext.engine import FastModeNoticeHook
    hook = FastModeNoticeHook()
    ignored = SimpleNamespace(cfg=Config(dict(fast_mode='on')))
    with pytest.warns(UserWarning, match=r"fast_mode='on' would train in "
                      r'bf16 autocast \+ channels-last.*tools/train.py'):
        hook.before_run(ignored)
    applied = SimpleNamespace(cfg=Config(dict(fast_mode='on',
                                              fast_mode_used='bf16 ...')))
    hook.before_run(applied)
    hook.before_run(SimpleNamespace(cfg=Config(dict(fast_mode='off'))))
    assert not [w for w in recwarn if 'fast_mode' in str(w.message)]
    cfg = Config.fromfile(ZOO_CONFIG)  # in every config of the package
    assert dict(type='FastModeNoticeHook') in cfg.custom_hooks
