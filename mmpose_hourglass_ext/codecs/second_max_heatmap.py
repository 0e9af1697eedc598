"""Heatmap decoding from the maximum and the second maximum (Su et al.,
Sec. 3, for its intermediate predictions):

    x = w * x_max + (1 - w) * x_second,   y likewise,

with w = 0.25 as printed. The common form of this rule (Newell et al.;
what MMPose's quarter-offset ``refine_keypoints`` approximates) is w = 0.75:
a quarter of the way from the maximum towards the second maximum. The
second maximum is the highest pixel other than the maximum itself.
"""
from typing import Tuple

import numpy as np
from mmpose.codecs import MSRAHeatmap
from mmpose.registry import KEYPOINT_CODECS


def second_max_decode(heatmaps: np.ndarray,
                      max_weight: float = 0.25
                      ) -> Tuple[np.ndarray, np.ndarray]:
    """(K, H, W) heatmaps -> (K, 2) locations in heatmap pixels (x, y) and
    (K,) scores (the maxima)."""
    k, h, w = heatmaps.shape
    flat = heatmaps.reshape(k, -1)
    order = np.argsort(-flat, axis=1, kind='stable')
    first, second = order[:, 0], order[:, 1]
    xy_first = np.stack([first % w, first // w], -1).astype(np.float32)
    xy_second = np.stack([second % w, second // w], -1).astype(np.float32)
    xy = max_weight * xy_first + (1 - max_weight) * xy_second
    return xy, flat[np.arange(k), first]


@KEYPOINT_CODECS.register_module()
class SecondMaxHeatmap(MSRAHeatmap):
    """``MSRAHeatmap`` (same targets) whose decoding uses the max/second-
    max rule. ``max_weight=0.25`` is the paper's printed rule, 0.75 the
    common one."""

    def __init__(self, *args, max_weight: float = 0.25, **kwargs):
        super().__init__(*args, **kwargs)
        if not 0 <= max_weight <= 1:
            raise ValueError(f'max_weight must be in [0, 1], got '
                             f'{max_weight}')
        self.max_weight = max_weight

    def decode(self, encoded: np.ndarray):
        xy, scores = second_max_decode(encoded, self.max_weight)
        return xy[None] * self.scale_factor, scores[None]
