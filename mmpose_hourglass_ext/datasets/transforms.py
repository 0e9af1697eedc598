"""Eq. 1 of the MSSH paper (Sec. 4.1): the target Gaussian of a
keypoint has amplitude a = +1 when the keypoint is visible and a = -1 when
it is occluded. An option for datasets that flag occlusion (LSP: flag 1).
"""
import numpy as np
from mmcv.transforms import BaseTransform
from mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class OccludedNegativeHeatmap(BaseTransform):
    """Negate the target heatmaps of occluded keypoints (Eq. 1's a = -1).

    Put it right after ``GenerateTarget`` (single- or multilevel). It reads
    ``keypoints_occluded`` (instances x K, true = occluded), which
    :class:`LspDataset` provides from LSP's flag, and follows a horizontal
    flip (the flag moves with ``flip_indices``, as the keypoints did).
    Decode such models with ``SignedMSRAHeatmap``, which finds the peak of
    ``|heatmap|``; MMPose's training accuracy (``acc_pose``) reads the
    targets' maxima and undercounts occluded keypoints.
    """

    def transform(self, results: dict) -> dict:
        if 'heatmaps' not in results:
            raise KeyError('OccludedNegativeHeatmap needs the targets: put '
                           'it after GenerateTarget in the train pipeline')
        if results.get('keypoints_occluded') is None:
            raise KeyError(
                'OccludedNegativeHeatmap needs "keypoints_occluded" from the '
                'dataset (LspDataset has it; LSPET and MPII samples carry no '
                'occlusion flag, so they are treated as visible)')
        occluded = np.asarray(results['keypoints_occluded'], bool)
        if results.get('flip'):
            occluded = occluded[..., results['flip_indices']]
        # top-down: one instance, heatmaps (K, H, W) per level
        sign = np.where(occluded.reshape(-1, occluded.shape[-1])[0], -1.,
                        1.).astype(np.float32)[:, None, None]
        heatmaps = results['heatmaps']
        results['heatmaps'] = ([h * sign for h in heatmaps] if isinstance(
            heatmaps, (list, tuple)) else heatmaps * sign)
        return results
