"""LSP / LSPET read straight from their joints.mat files."""
import shutil

import numpy as np
import pytest
from scipy.io import loadmat, savemat

from mmpose_hourglass_ext.datasets import LspDataset, LspetDataset


def lsp(root, **kwargs):
    return LspDataset(data_root=str(root), **kwargs)


def test_standard_split_sizes_and_order(lsp_root):
    train, test = lsp(lsp_root, split='train'), lsp(lsp_root, split='test')
    assert (len(train), len(test)) == (1000, 1000)
    assert len(lsp(lsp_root, split='all')) == 2000
    assert train[0]['img_path'].endswith('images/im0001.jpg')
    assert test[0]['img_path'].endswith('images/im1001.jpg')
    assert test.get_data_info(999)['img_path'].endswith('im2000.jpg')


def test_lsp_keypoints_match_the_mat_file(lsp_root):
    joints = loadmat(str(lsp_root / 'joints.mat'))['joints']  # 3 x 14 x N
    # an image with occluded joints: LSP's flag 1 marks occlusion, but every
    # joint is annotated, so every joint stays a target
    n = int(np.argmax(joints[2, :, 1000:].sum(0) > 0)) + 1000
    assert joints[2, :, n].sum() > 0
    info = lsp(lsp_root, split='test').get_data_info(n - 1000)
    assert info['img_path'].endswith(f'im{n + 1:04d}.jpg')
    np.testing.assert_allclose(info['keypoints'][0], joints[:2, :, n].T,
                               rtol=1e-6)
    assert info['keypoints_visible'].tolist() == [[1.0] * 14]


def test_box_covers_the_joints_with_padding(lsp_root):
    info = lsp(lsp_root, split='train', bbox_padding=1.5).get_data_info(0)
    kpts, (x1, y1, x2, y2) = info['keypoints'][0], info['bbox'][0]
    lo, hi = kpts.min(0), kpts.max(0)
    np.testing.assert_allclose([x2 - x1, y2 - y1], (hi - lo) * 1.5,
                               rtol=1e-5)
    np.testing.assert_allclose([(x1 + x2) / 2, (y1 + y2) / 2], (lo + hi) / 2,
                               rtol=1e-5)


def test_lspet_missing_joints_are_not_targets(lspet_root):
    joints = loadmat(str(lspet_root / 'joints.mat'))['joints']  # 14 x 3 x N
    data = LspetDataset(data_root=str(lspet_root))
    assert len(data) == joints.shape[2]
    info = data.get_data_info(0)
    assert info['img_path'].endswith('images/im00001.jpg')
    flags = joints[:, 2, :]
    missing = np.argwhere(flags == 0)
    assert len(missing), 'the sample should contain missing joints'
    n, k = missing[0][1], missing[0][0]
    info = data.get_data_info(int(n))
    assert info['keypoints_visible'][0, k] == 0
    assert (info['keypoints'][0, k] == 0).all()
    vis = flags[:, n] > 0
    np.testing.assert_allclose(info['keypoints'][0][vis],
                               joints[vis, :2, n], rtol=1e-6)


def test_pipeline_produces_network_inputs(lsp_root):
    data = lsp(lsp_root, split='test', test_mode=True, pipeline=[
        dict(type='LoadImage'),
        dict(type='GetBBoxCenterScale'),
        dict(type='TopdownAffine', input_size=(256, 256)),
        dict(type='PackPoseInputs'),
    ])
    sample = data[0]
    assert tuple(sample['inputs'].shape) == (3, 256, 256)
    assert data.metainfo['num_keypoints'] == 14
    assert {tuple(sorted(p)) for p in data.metainfo['flip_pairs']} == {
        (0, 5), (1, 4), (2, 3), (6, 11), (7, 10), (8, 9)}
    assert data.metainfo['flip_indices'] == [5, 4, 3, 2, 1, 0, 11, 10, 9, 8,
                                             7, 6, 12, 13]


# --- errors that tell the user what to fix --------------------------------
def small_copy(tmp_path, src_root, num, layout='lsp'):
    """A dataset folder with the first ``num`` images of ``src_root``."""
    joints = loadmat(str(src_root / 'joints.mat'))['joints']
    joints = joints[..., :num]
    (tmp_path / 'images').mkdir()
    name = 'im{:04d}.jpg' if layout == 'lsp' else 'im{:05d}.jpg'
    for i in range(1, num + 1):
        shutil.copy(src_root / 'images' / name.format(i),
                    tmp_path / 'images' / name.format(i))
    savemat(str(tmp_path / 'joints.mat'), {'joints': joints})
    return tmp_path


def test_wrong_layout_names_the_file_and_the_right_class(lspet_root):
    with pytest.raises(ValueError) as err:
        LspDataset(data_root=str(lspet_root))
    assert 'joints.mat' in str(err.value)
    assert 'LspetDataset' in str(err.value)
    assert '14x3x200' in str(err.value)


def test_missing_image_is_named(tmp_path, lsp_root):
    root = small_copy(tmp_path, lsp_root, 3)
    (root / 'images' / 'im0002.jpg').unlink()
    with pytest.raises(FileNotFoundError, match='im0002.jpg'):
        lsp(root, split='all')


def test_missing_folder_and_file_are_named(tmp_path, lsp_root):
    root = small_copy(tmp_path, lsp_root, 3)
    shutil.rmtree(root / 'images')
    with pytest.raises(FileNotFoundError, match='image folder .*images'):
        lsp(root, split='all')
    with pytest.raises(FileNotFoundError, match='nothing.mat.*data/lsp'):
        lsp(root, ann_file='nothing.mat')


def test_standard_split_needs_the_standard_file(tmp_path, lsp_root):
    """A 1500-image joints.mat must not quietly give a 500-image test set."""
    root = small_copy(tmp_path, lsp_root, 3)
    assert len(lsp(root, split='all')) == 3
    for split in ('train', 'test'):
        with pytest.raises(ValueError, match=f"has 3 images.*'{split}'.*"
                           "2000.*split='all'"):
            lsp(root, split=split)


def write_joints(root, joints):
    savemat(str(root / 'joints.mat'), {'joints': joints})


def test_non_finite_coordinates_are_refused(tmp_path, lsp_root):
    root = small_copy(tmp_path, lsp_root, 3)
    joints = loadmat(str(root / 'joints.mat'))['joints']
    joints[0, 4, 1] = np.nan  # x of joint 4 (left knee) in image 2
    write_joints(root, joints)
    with pytest.raises(ValueError, match=r'joints.mat.*1 annotated joints.*'
                       r'non-finite.*image 2, joint 4'):
        lsp(root, split='all')
    joints[0, 4, 1] = np.inf
    write_joints(root, joints)
    with pytest.raises(ValueError, match='non-finite'):
        lsp(root, split='all')


def test_missing_lspet_joints_may_hold_anything(tmp_path, lspet_root):
    root = small_copy(tmp_path, lspet_root, 3, layout='lspet')
    joints = loadmat(str(root / 'joints.mat'))['joints']
    joints[2, :2, 0] = np.nan
    joints[2, 2, 0] = 0  # missing: not a target
    write_joints(root, joints)
    data = LspetDataset(data_root=str(root), pipeline=[])
    info = data.get_data_info(0)
    assert info['keypoints_visible'][0, 2] == 0
    assert np.isfinite(info['keypoints']).all()
    assert np.isfinite(info['bbox']).all()


def test_lspet_without_annotated_joints_is_named(tmp_path, lspet_root):
    root = small_copy(tmp_path, lspet_root, 3, layout='lspet')
    joints = loadmat(str(root / 'joints.mat'))['joints']
    joints[:, 2, :] = 0
    write_joints(root, joints)
    with pytest.raises(ValueError, match='joints.mat.*no image.*annotated'):
        LspetDataset(data_root=str(root), pipeline=[])


@pytest.mark.parametrize('content', [b'', b'MATLAB 5.0 MAT-file' + bytes(200),
                                     b'not a mat file at all' * 20])
def test_damaged_or_empty_mat_is_named(tmp_path, lsp_root, content):
    root = small_copy(tmp_path, lsp_root, 3)
    (root / 'joints.mat').write_bytes(content)
    with pytest.raises(ValueError, match='joints.mat: cannot read'):
        lsp(root, split='all')


def test_joints_without_flags_get_the_right_hint(tmp_path, lsp_root):
    root = small_copy(tmp_path, lsp_root, 3)
    joints = loadmat(str(root / 'joints.mat'))['joints']
    write_joints(root, joints[:2])  # 2 x 14 x N: x and y only
    with pytest.raises(ValueError, match='2x14x3: the file has x and y but '
                       'no flag row') as err:
        lsp(root, split='all')
    assert 'LspetDataset' not in str(err.value)


def test_unknown_split_is_an_error(lsp_root):
    with pytest.raises(ValueError, match='unknown split'):
        lsp(lsp_root, split='val')


@pytest.mark.parametrize('value', [1e30, -7e20])
def test_a_coordinate_far_off_any_image_is_refused(lsp_root, tmp_path,
                                                   value):
    """1e30 or -7e20 in joints.mat passed every check and lowered PCK."""
    root = small_copy(tmp_path, lsp_root, 16)
    joints = loadmat(str(root / 'joints.mat'))['joints']
    joints[0, 3, 5] = value  # x of joint 3, image 6
    savemat(str(root / 'joints.mat'), {'joints': joints})
    with pytest.raises(ValueError, match=r'image 6, joint 3 at \(') as err:
        LspDataset(data_root=str(root), split='all')
    assert 'joints.mat' in str(err.value)
