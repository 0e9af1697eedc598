"""Round 2 of the faults a new user hits (issue 24): nothing an input is
overwritten with, no wrong number with exit code 0, errors that say what
to change. One test per case, on real data where the case needs it."""
import json
import shutil
from types import SimpleNamespace

import pytest
import torch
from scipy.io import loadmat, savemat

import mmpose_hourglass_ext  # noqa: F401
from conftest import ROOT, TINY_CONFIG, fails, load_tool, python_tool

TWO_ITERS = ['--cfg-options', 'train_cfg.max_iters=2',
             'train_cfg.val_interval=100']


@pytest.fixture(scope='module')
def trained(tmp_path_factory, lsp_root):
    """A tiny run trained with a changed learning rate (its saved config
    says so) and its checkpoint."""
    work = tmp_path_factory.mktemp('run')
    python_tool(ROOT / 'tools/train.py', TINY_CONFIG, '--work-dir', work,
                '--no-validate', *TWO_ITERS,
                'optim_wrapper.optimizer.lr=0.001')
    return work


# ---------------------------------------------------------- data loss

@pytest.mark.slow
def test_1_test_output_over_the_checkpoint_is_refused(trained):
    ckpt = trained / 'iter_2.pth'
    before = ckpt.read_bytes()
    out = fails(ROOT / 'tools/test.py', TINY_CONFIG, ckpt, '--out', ckpt)
    assert f'--out {ckpt} is the checkpoint this tool reads' in out
    assert ckpt.read_bytes() == before


@pytest.mark.slow
def test_2_testing_keeps_the_training_runs_saved_config(trained):
    saved = trained / TINY_CONFIG.name
    assert 'lr=0.001' in saved.read_text()
    python_tool(ROOT / 'tools/test.py', TINY_CONFIG, trained / 'iter_2.pth',
                '--work-dir', trained, '--cfg-options',
                'test_dataloader.dataset.indices=4')
    assert 'lr=0.001' in saved.read_text()  # the training run's, unchanged
    # the test's own copy is in its timestamped folder
    assert list(trained.glob(f'*/{TINY_CONFIG.name}'))


@pytest.mark.parametrize('tool', ['convert_keypoints.py', 'grow_stages.py'])
def test_3_conversion_tools_never_write_over_their_input(tmp_path, tool):
    ckpt = tmp_path / 'm.pth'
    torch.save(dict(state_dict={'w': torch.zeros(1)}), ckpt)
    before = ckpt.read_bytes()
    args = ([ckpt, ckpt] if tool == 'convert_keypoints.py' else
            [ckpt, ROOT / 'configs/resnet_multi_stage/'
             'td-hm_res50-2stage_8xb32-210e_mpii-256x256.py', ckpt])
    out = fails(ROOT / 'tools' / 'misc' / tool, *args)
    assert 'is the' in out and 'writing it would replace it' in out
    assert ckpt.read_bytes() == before


@pytest.mark.parametrize('tool', ['convert_keypoints.py', 'grow_stages.py'])
def test_3b_a_text_file_as_checkpoint_is_named(tmp_path, tool):
    text = tmp_path / 'notes.pth'
    text.write_text('not a checkpoint\n')
    args = ([text, tmp_path / 'o.pth'] if tool == 'convert_keypoints.py'
            else [text, ROOT / 'configs/resnet_multi_stage/'
                  'td-hm_res50-2stage_8xb32-210e_mpii-256x256.py',
                  tmp_path / 'o.pth'])
    out = fails(ROOT / 'tools' / 'misc' / tool, *args)
    assert f'{text} is not a PyTorch checkpoint' in out
    assert 'IndexError' not in out


def test_4_quickstart_refuses_another_runs_work_dir(tmp_path):
    quickstart = load_tool('tools/quickstart.py')
    other = tmp_path / 'other_run'
    other.mkdir()
    (other / 'iter_100.pth').write_bytes(b'weights')
    with pytest.raises(SystemExit, match='holds checkpoints of another run'):
        quickstart.claim_work_dir(other)
    assert (other / 'iter_100.pth').read_bytes() == b'weights'
    mine = tmp_path / 'quick'
    quickstart.claim_work_dir(mine)  # new: claimed
    (mine / 'iter_1600.pth').write_bytes(b'old quickstart')
    quickstart.claim_work_dir(mine)  # its own earlier run: fine


# ------------------------------------------------- silent wrong results

def test_5_decoder_heatmap_size_that_the_model_does_not_make_is_named():
    from mmengine.config import Config
    from mmpose.registry import MODELS
    cfg = Config.fromfile(TINY_CONFIG)
    cfg.model.head.decoder.heatmap_size = (64, 64)  # the model makes 16x16
    model = MODELS.build(cfg.model)
    with pytest.raises(ValueError, match=r'decoder heatmap_size=\(16, 16\) '
                       r'\(is \(64, 64\)\)'):
        model(torch.randn(1, 3, 64, 64), None, mode='tensor')


def hook_runner(tmp_path):
    return SimpleNamespace(
        iter=30, work_dir=str(tmp_path),
        optim_wrapper=SimpleNamespace(get_lr=lambda: {'lr': [1000.]}))


def test_6_finite_divergence_is_stopped(tmp_path):
    from mmpose_hourglass_ext.engine import (NonFiniteLossError,
                                             StopOnNonFiniteLossHook)
    hook = StopOnNonFiniteLossHook(max_loss_ratio=1000., reference_iters=5)
    runner = hook_runner(tmp_path)
    for value in (0.01, 0.012, 0.011, 0.009, 0.01, 0.5, 3.0):  # < 1000x
        hook.after_train_iter(runner, 0, outputs={'loss': torch.tensor(
            value)})
    with pytest.raises(NonFiniteLossError) as err:
        hook.after_train_iter(runner, 0, outputs={'loss': torch.tensor(9.6e13)})
    assert 'times its starting value 0.01' in str(err.value)
    assert 'max_loss_ratio=1000' in str(err.value)
    # the bound can be turned off
    off = StopOnNonFiniteLossHook(max_loss_ratio=None)
    for value in (0.01, 1e13):
        off.after_train_iter(runner, 0, outputs={'loss': torch.tensor(value)})


def test_7_adaptive_loss_stage_count_is_checked_against_the_backbone():
    from mmpose.registry import MODELS
    codec = dict(type='MSRAHeatmap', input_size=(64, 64),
                 heatmap_size=(16, 16), sigma=2)
    model = MODELS.build(dict(
        type='TopdownPoseEstimator',
        backbone=dict(type='StackedHourglass', num_keypoints=14,
                      num_stacks=2, channels=16, stem_channels=(8, 16),
                      depth=2),
        head=dict(type='CPMHead', in_channels=14, out_channels=14,
                  num_stages=2, deconv_out_channels=None, final_layer=None,
                  decoder=codec,
                  loss=dict(type='AdaptiveWeightedMSELoss', num_stages=3))))
    with pytest.raises(ValueError, match=r'loss num_stages=2 \(is 3\)'):
        model(torch.randn(1, 3, 64, 64), None, mode='tensor')


@pytest.fixture
def truncated_jpeg(tmp_path, lsp_root):
    data = (lsp_root / 'images' / 'im1002.jpg').read_bytes()
    path = tmp_path / 'corrupt.jpg'
    path.write_bytes(data[:len(data) // 3])
    return path


def test_8_demo_refuses_a_truncated_image(truncated_jpeg):
    demo = load_tool('tools/demo.py')
    with pytest.raises(demo.DemoError, match='damaged'):
        demo.read_image(str(truncated_jpeg))


def test_8b_a_truncated_image_in_the_pipeline_is_named(tmp_path, lsp_root):
    """MMPose's LoadImage says "check whether the file exists" about a file
    that exists but does not decode; train.py and test.py say what it is."""
    from mmpose.datasets.transforms import LoadImage
    from mmpose_hourglass_ext.utils.runtime import explain_run_errors
    data = (lsp_root / 'images' / 'im1002.jpg').read_bytes()
    path = tmp_path / 'corrupt.jpg'
    path.write_bytes(data[:len(data) // 3])
    with pytest.raises(SystemExit) as err:
        with explain_run_errors('tools/train.py'):
            LoadImage().transform(dict(img_path=str(path)))
    assert f'{path} exists but is not a readable image' in str(err.value)
    with pytest.raises(FileNotFoundError):  # other errors pass unchanged
        with explain_run_errors('tools/train.py'):
            LoadImage().transform(dict(img_path=str(tmp_path / 'no.jpg')))


def test_ctrl_c_while_the_config_is_formatted_is_an_interrupt(capsys):
    """mmengine's bare ``except`` around yapf turns Ctrl-C into
    "SyntaxError: Failed to format the config file"."""
    from unittest import mock

    from mmengine.config import Config
    from mmpose_hourglass_ext.utils.runtime import explain_run_errors
    cfg = Config.fromfile(TINY_CONFIG)
    with mock.patch('mmengine.config.config.FormatCode',
                    side_effect=KeyboardInterrupt):
        with pytest.raises(SystemExit) as err:
            with explain_run_errors('tools/train.py'):
                cfg.pretty_text
    assert err.value.code == 130
    assert 'interrupted (Ctrl-C)' in capsys.readouterr().err
    with pytest.raises(SyntaxError):  # a real formatting failure stays one
        with explain_run_errors('tools/train.py'):
            raise SyntaxError('Failed to format the config file, please')




def test_10_empty_epochs_are_refused_before_training():
    from mmpose_hourglass_ext.engine import StopOnNonFiniteLossHook
    loader = torch.utils.data.DataLoader(list(range(3)), batch_size=8,
                                         drop_last=True)
    with pytest.raises(ValueError, match='batch_size is 8 and drop_last'):
        StopOnNonFiniteLossHook().before_train(
            SimpleNamespace(train_dataloader=loader))


def test_11_onnx_export_without_a_checkpoint_is_refused():
    tool = load_tool('tools/deployment/pytorch2onnx.py')
    with pytest.raises(SystemExit, match='would hold random weights'):
        tool.main([str(TINY_CONFIG)])


@pytest.fixture
def lsp_copy(tmp_path, lsp_root):
    """LSP with its own joints.mat to damage (the images linked)."""
    root = tmp_path / 'lsp'
    root.mkdir()
    (root / 'images').symlink_to(lsp_root / 'images')
    shutil.copy(lsp_root / 'joints.mat', root / 'joints.mat')
    return root


def damage(root, change):
    joints = loadmat(root / 'joints.mat')['joints']
    change(joints)
    savemat(root / 'joints.mat', dict(joints=joints))


def lsp(root):
    from mmpose_hourglass_ext.datasets import LspDataset
    return LspDataset(data_root=str(root), split='test', test_mode=True,
                      pipeline=[])


def test_12_lsp_images_with_all_joints_zero_are_named(lsp_copy):
    def zero(joints):
        joints[:2, :, 1500] = 0
    damage(lsp_copy, zero)
    with pytest.raises(ValueError, match='1 images have all their joints at '
                       r'\(0, 0\), first: image 1501'):
        lsp(lsp_copy)


def test_13_corrupt_joint_flags_are_named(lsp_copy):
    def corrupt(joints):
        joints[2, 3, 1200] = 1e183
    damage(lsp_copy, corrupt)
    with pytest.raises(ValueError, match='flag 1e\\+183'):
        lsp(lsp_copy)


def test_14_resume_follows_the_work_dir_not_the_recorded_path(tmp_path):
    from mmpose_hourglass_ext.utils.runtime import check_work_dir
    original = tmp_path / 'original'
    original.mkdir()
    for name in ('iter_4.pth', 'iter_8.pth'):
        (original / name).write_bytes(b'x')
    (original / 'last_checkpoint').write_text(str(original / 'iter_8.pth'))
    copy = tmp_path / 'copy'
    shutil.copytree(original, copy)
    assert check_work_dir(str(copy), 'auto', False) == str(
        copy / 'iter_8.pth')  # its own file, not the original's
    moved = tmp_path / 'moved'
    original.rename(moved)
    assert check_work_dir(str(moved), 'auto', False) == str(
        moved / 'iter_8.pth')


COCO_CONFIG = ROOT / ('configs/stacked_hourglass/'
                      'td-hm_hourglass8-256_8xb32-210e_coco-256x192.py')


def coco_config_with(tmp_path, edit, options):
    """The COCO config reading a copy of the sample annotations that
    ``edit`` changed, set in by ``options`` (setting -> the copy)."""
    from mmpose_hourglass_ext.utils.runtime import load_config
    from conftest import require_data
    src = require_data('coco_sample') / (
        'annotations/person_keypoints_train2017.json')
    data = json.loads(src.read_text())
    edit(data['annotations'])
    ann = tmp_path / 'person_keypoints.json'
    ann.write_text(json.dumps(data))
    return lambda: load_config(SimpleNamespace(
        config=str(COCO_CONFIG), local_rank=0, work_dir=str(tmp_path / 'w'),
        cfg_options={key: str(ann) for key in options}))


def test_15_a_person_without_keypoints_in_the_metrics_file_is_named(
        tmp_path):
    def drop_one(annotations):
        del annotations[3]['keypoints']
    load = coco_config_with(tmp_path, drop_one, ['val_evaluator.ann_file'])
    with pytest.raises(ValueError) as err:
        load()
    msg = str(err.value)
    assert 'person_keypoints.json (val_evaluator.ann_file)' in msg
    assert "1 of 147 annotations have no 'keypoints' field" in msg
    assert 'would stop at the first validation' in msg


def test_15b_a_training_file_without_any_keypoints_is_named(tmp_path):
    def drop_all(annotations):
        for a in annotations:
            del a['keypoints']
    load = coco_config_with(tmp_path, drop_all, [
        'train_dataloader.dataset.ann_file'])
    with pytest.raises(ValueError) as err:
        load()
    assert "none of its 147 annotations has a 'keypoints' field" in str(
        err.value)
    assert 'train_dataloader.dataset.ann_file' in str(err.value)


def test_15c_the_shipped_coco_sample_passes(tmp_path):
    load = coco_config_with(tmp_path, lambda annotations: None, [
        'val_evaluator.ann_file', 'train_dataloader.dataset.ann_file'])
    assert load().val_evaluator.ann_file.endswith('person_keypoints.json')


def test_16_demo_folder_with_an_unreadable_file_keeps_the_rest(
        truncated_jpeg, tmp_path, lsp_root):
    demo = load_tool('tools/demo.py')
    folder = tmp_path / 'in'
    folder.mkdir()
    shutil.copy(lsp_root / 'images' / 'im1001.jpg', folder / 'a.jpg')
    shutil.copy(truncated_jpeg, folder / 'z.jpg')  # the last file
    ckpt = sorted((ROOT / 'checkpoints').glob('*.pth'))[0]
    demo.main([str(ROOT / 'configs/zoo/'
                   'td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128.py'),
               str(ckpt), str(folder), '--out-dir', str(tmp_path / 'out')])
    written = json.loads((tmp_path / 'out' / 'keypoints.json').read_text())
    assert list(written['results']) == ['a.jpg']
    assert 'damaged' in written['unreadable']['z.jpg']


# ------------------------------------------------------------- unclear

def test_cfg_options_without_a_value_says_so():
    out = fails(ROOT / 'tools/train.py', TINY_CONFIG, '--cfg-options',
                'train_cfg.max_iters')
    assert "'train_cfg.max_iters' has no value" in out


def test_config_path_typo_names_the_working_directory(tmp_path):
    out = fails(ROOT / 'tools/train.py', 'configs/nope.py', cwd=tmp_path)
    assert f'config configs/nope.py not found (working directory ' \
           f'{tmp_path})' in out
    assert 'Traceback' not in out


def test_lsp_missing_from_another_directory_names_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from mmpose_hourglass_ext.datasets import LspDataset
    with pytest.raises(FileNotFoundError, match='relative to the working '
                       f'directory {tmp_path}'):
        LspDataset(data_root='data/lsp/', split='test', test_mode=True,
                   pipeline=[])
