"""MSSH Eq. 1's amplitude -1 for occluded keypoints: the dataset's flag,
the target transform (also after a flip); the codec is in test_codecs."""
import numpy as np
import pytest
from mmpose.registry import TRANSFORMS

from mmpose_hourglass_ext.datasets import LspDataset


def test_lsp_reads_its_occlusion_flag(lsp_root):
    dataset = LspDataset(data_root=str(lsp_root) + '/', split='test',
                         pipeline=[])
    occluded = np.concatenate([dataset.get_data_info(i)['keypoints_occluded']
                               for i in range(len(dataset))])
    assert occluded.shape == (1000, 14) and occluded.dtype == bool
    assert 0.03 < occluded.mean() < 0.12  # about 7% of LSP's joints


def targets(flip=False):
    heatmaps = np.stack([np.full((4, 4), k + 1., np.float32)
                         for k in range(3)])
    return dict(heatmaps=heatmaps, keypoints_occluded=np.array(
        [[True, False, False]]), flip=flip, flip_indices=[2, 1, 0])


def test_occluded_keypoints_get_negative_targets():
    transform = TRANSFORMS.build(dict(type='OccludedNegativeHeatmap'))
    out = transform(targets())['heatmaps']
    assert (out[0] == -1).all() and (out[1] == 2).all() and (out[2] == 3).all()
    # after a horizontal flip keypoint 0's flag is keypoint 2's
    out = transform(targets(flip=True))['heatmaps']
    assert (out[0] == 1).all() and (out[2] == -3).all()
    # multilevel targets: every level
    results = targets()
    results['heatmaps'] = [results['heatmaps'], results['heatmaps'] * 2]
    levels = transform(results)['heatmaps']
    assert (levels[0][0] == -1).all() and (levels[1][0] == -2).all()


def test_missing_inputs_are_named():
    transform = TRANSFORMS.build(dict(type='OccludedNegativeHeatmap'))
    with pytest.raises(KeyError, match='after GenerateTarget'):
        transform(dict(keypoints_occluded=np.zeros((1, 3), bool)))
    with pytest.raises(KeyError, match='keypoints_occluded'):
        transform(dict(heatmaps=np.zeros((3, 4, 4), np.float32)))
