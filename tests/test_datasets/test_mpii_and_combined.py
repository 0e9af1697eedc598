"""The MPII subset through MMPose's MpiiDataset, its held-out split, its
input checks, and MPII + LSP + LSPET through MMPose's CombinedDataset with
KeypointConverter joint maps."""
import json
import numpy as np
import pytest
from mmengine.config import Config
from scipy.io import loadmat, savemat

from conftest import ROOT, python_tool, require_data
from mmpose_hourglass_ext.datasets import MpiiSplitDataset
from mmpose_hourglass_ext.datasets.mpii import held_out_images
from mmpose_hourglass_ext.utils.keypoint_conversion import MPII_TO_LSP

CONFIGS = ROOT / 'configs' / 'mpii_and_lsp'
LSP_MODEL = CONFIGS / 'td-hm_sghg2-64_dark-1xb16-12000it_mpii+lsp+lspet-128x128.py'
MPII_MODEL = (CONFIGS / 'td-hm_sghg2-64_dark-1xb16-12000it_mpii+lsp+lspet-'
              'to-mpii-128x128.py')


@pytest.fixture(scope='module')
def mpii_root():
    return require_data('mpii')


def mpii(root, **kwargs):
    return MpiiSplitDataset(data_root=str(root),
                            ann_file='annotations/mpii_train.json',
                            data_prefix=dict(img='images/'), **kwargs)


def image_names(dataset):
    return {dataset.get_data_info(i)['img_path'].rsplit('/', 1)[1]
            for i in range(len(dataset))}


def test_the_subset_loads_through_mmposes_own_dataset(mpii_root):
    from mmpose.datasets import MpiiDataset
    plain = MpiiDataset(data_root=str(mpii_root), test_mode=True,
                        ann_file='annotations/mpii_train.json',
                        data_prefix=dict(img='images/'))
    ours = mpii(mpii_root, test_mode=True)
    assert len(plain) == len(ours) == 2074
    assert len(image_names(ours)) == 1287
    a, b = plain.get_data_info(5), ours.get_data_info(5)
    np.testing.assert_array_equal(a['keypoints'], b['keypoints'])
    assert a['img_path'] == b['img_path']


def test_held_out_images_are_whole_and_apart(mpii_root):
    train = mpii(mpii_root, image_split='train', test_mode=True)
    held = mpii(mpii_root, image_split='held_out', test_mode=True)
    train_images, held_images = image_names(train), image_names(held)
    assert not train_images & held_images
    assert len(train_images | held_images) == 1287
    assert len(train) + len(held) == 2074  # every person on one side
    assert len(held_images) == 161  # every 8th of 1287
    assert held_out_images(['c', 'a', 'b', 'a'], 2) == {'a', 'c'}
    with pytest.raises(ValueError, match='unknown image_split'):
        mpii(mpii_root, image_split='val')


def test_joint_maps_match_both_datasets_metainfo():
    """Every index of both maps, by joint name in MMPose's MPII metainfo
    and ours for LSP (MPII's upper neck is LSP's neck)."""
    from mmpose.datasets.datasets.utils import parse_pose_metainfo

    from mmpose_hourglass_ext.datasets import LspDataset
    mpii_names = parse_pose_metainfo(
        MpiiSplitDataset.METAINFO)['keypoint_id2name']
    lsp_names = parse_pose_metainfo(LspDataset.METAINFO)['keypoint_id2name']
    to_lsp = Config.fromfile(LSP_MODEL).mpii_to_lsp
    to_mpii = Config.fromfile(MPII_MODEL).lsp_to_mpii
    assert sorted(t for _, t in to_lsp) == list(range(14))
    for mpii_joint, lsp_joint in to_lsp:
        same = {'upper_neck': 'neck'}.get(mpii_names[mpii_joint],
                                           mpii_names[mpii_joint])
        assert same == lsp_names[lsp_joint], (mpii_joint, lsp_joint)
    assert sorted(map(tuple, to_mpii)) == sorted(
        (lsp, mpii) for mpii, lsp in to_lsp)
    # the checkpoint converter's map is the same one
    assert [m for m, _ in sorted(to_lsp, key=lambda p: p[1])] == list(
        MPII_TO_LSP)
    missing = set(range(16)) - {m for _, m in to_mpii}
    assert {mpii_names[i] for i in missing} == {'pelvis', 'thorax'}


def test_converters_on_hand_written_joints():
    from mmpose.datasets.transforms import KeypointConverter
    to_lsp = KeypointConverter(14, Config.fromfile(LSP_MODEL).mpii_to_lsp)
    to_mpii = KeypointConverter(16, Config.fromfile(MPII_MODEL).lsp_to_mpii)
    # MPII joint i at (i, 100 + i); joint 3 (left hip) unannotated
    mpii_kpts = np.stack([np.arange(16), 100 + np.arange(16)], -1)[None]
    vis = np.ones((1, 16))
    vis[0, 3] = 0
    out = to_lsp(dict(keypoints=mpii_kpts.astype(float),
                      keypoints_visible=vis.copy()))
    # LSP: r-ankle..l-ankle, r-wrist, r-elbow, r-shoulder, l-shoulder,
    # l-elbow, l-wrist, neck, head top <- MPII 0-5, 10-15, 8, 9
    expected = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 8, 9]
    np.testing.assert_array_equal(out['keypoints'][0, :, 0], expected)
    np.testing.assert_array_equal(out['keypoints'][0, :, 1],
                                  100 + np.array(expected))
    assert out['keypoints_visible'][0, :, 0].tolist() == [
        0. if j == 3 else 1. for j in range(14)]
    # LSP joint j at (j, 50 + j), all visible
    lsp_kpts = np.stack([np.arange(14), 50 + np.arange(14)], -1)[None]
    out = to_mpii(dict(keypoints=lsp_kpts.astype(float),
                       keypoints_visible=np.ones((1, 14))))
    for lsp_joint, mpii_joint in enumerate(expected):
        assert out['keypoints'][0, mpii_joint].tolist() == [lsp_joint,
                                                            50 + lsp_joint]
    # pelvis and thorax: neither visible nor weighted, so never a target
    assert out['keypoints_visible'][0, [6, 7]].tolist() == [[0, 0], [0, 0]]
    assert out['keypoints_visible'][0, :, 0].sum() == 14


def broken_copy(mpii_root, tmp_path, edit):
    """A copy of the subset's annotation file (images linked) with
    ``edit`` applied to its list of persons."""
    (tmp_path / 'annotations').mkdir()
    (tmp_path / 'images').symlink_to(mpii_root / 'images')
    anns = json.loads((mpii_root / 'annotations/mpii_train.json').read_text())
    edit(anns)
    (tmp_path / 'annotations/mpii_train.json').write_text(json.dumps(anns))
    return tmp_path


@pytest.mark.parametrize('edit,message', [
    (lambda a: a[3].update(image='000000000.jpg'),
     r'person 3 \(image .000000000.jpg.\): image .*000000000.jpg not found'),
    (lambda a: a[4]['joints'][2].__setitem__(0, float('nan')),
     'person 4 .* non-finite coordinate'),
    (lambda a: a[5]['joints'][2].__setitem__(1, -7e20),
     r'person 5 .*far outside the \d+x\d+ image'),
    (lambda a: a[6]['joints'].pop(), r'person 6 .*shape \(15, 2\).*16 joints'),
])
def test_bad_mpii_input_stops_naming_the_file(mpii_root, tmp_path, edit,
                                              message):
    root = broken_copy(mpii_root, tmp_path, edit)
    with pytest.raises((ValueError, FileNotFoundError), match=message) as e:
        mpii(root)
    assert 'mpii_train.json' in str(e.value)


def test_a_joint_a_little_outside_the_image_is_mpii_and_passes(
        mpii_root, tmp_path):
    root = broken_copy(mpii_root, tmp_path,
                       lambda a: a[5]['joints'][2].__setitem__(1, -40.0))
    assert len(mpii(root)) == 2074


def test_train_file_with_validation_head_boxes_is_refused(mpii_root,
                                                         tmp_path):
    sample = require_data('mpii_sample')
    with pytest.raises(ValueError, match='13 head boxes but .*mpii_train.json '
                       r"has 2074 persons.*PCKAccuracy\(norm_item='bbox'\)"):
        mpii(mpii_root, test_mode=True,
             headbox_file=str(sample / 'annotations/mpii_gt_val.mat'))
    # the validation persons with their own head boxes load
    val = MpiiSplitDataset(
        data_root=str(sample), ann_file='annotations/mpii_val.json',
        data_prefix=dict(img='images/'), test_mode=True,
        headbox_file=str(sample / 'annotations/mpii_gt_val.mat'))
    assert len(val) == 13 and 'head_size' in val.get_data_info(0)
    # a mat file without head boxes
    savemat(tmp_path / 'other.mat', dict(x=np.zeros(3)))
    with pytest.raises(ValueError, match='holds None head boxes'):
        mpii(mpii_root, test_mode=True, headbox_file=str(tmp_path /
                                                         'other.mat'))
    assert loadmat(sample / 'annotations/mpii_gt_val.mat')


def test_combined_set_has_lsp_metainfo_and_every_source(mpii_root):
    from mmpose.registry import DATASETS
    require_data('lsp'), require_data('lspet')
    cfg = Config.fromfile(LSP_MODEL)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    assert dataset.metainfo['dataset_name'] == 'lsp'
    assert dataset.lens == [2000, 5000, 1788]  # LSP train sampled twice
    sample = dataset[len(dataset) - 1]  # an MPII person as LSP joints
    weights = sample['data_samples'].gt_instance_labels.keypoint_weights
    assert tuple(weights.shape) == (1, 14)
    with pytest.raises(ValueError, match='not both'):
        DATASETS.build(dict(cfg.train_dataloader.dataset, metainfo={}))
    with pytest.raises(KeyError, match='not a registered dataset type'):
        DATASETS.build(dict(cfg.train_dataloader.dataset,
                            keypoints_of='NoSuchDataset'))


@pytest.mark.slow
@pytest.mark.parametrize('config', [LSP_MODEL, MPII_MODEL],
                         ids=['lsp-joints', 'mpii-joints'])
def test_combined_configs_train_through_the_runner(config, tmp_path,
                                                   mpii_root):
    require_data('lsp'), require_data('lspet')
    python_tool(ROOT / 'tools' / 'train.py', config, '--work-dir', tmp_path,
             '--cfg-options', 'train_cfg.max_iters=2',
             'train_cfg.val_interval=100', 'default_hooks.logger.interval=1')
    scalars = [json.loads(line) for line in next(
        tmp_path.glob('*/vis_data/scalars.json')).read_text().splitlines()]
    losses = [s['loss'] for s in scalars if 'loss' in s]
    assert len(losses) == 2 and np.isfinite(losses).all()
    assert (tmp_path / 'iter_2.pth').exists()
