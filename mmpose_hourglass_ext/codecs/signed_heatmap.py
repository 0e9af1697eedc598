"""Decoding for targets with negative amplitude (MSSH Eq. 1: a = -1 for
occluded keypoints, see ``OccludedNegativeHeatmap``)."""
import numpy as np
from mmpose.codecs import MSRAHeatmap
from mmpose.registry import KEYPOINT_CODECS


@KEYPOINT_CODECS.register_module()
class SignedMSRAHeatmap(MSRAHeatmap):
    """``MSRAHeatmap`` (same targets) that decodes the peak of
    ``|heatmap|``: a keypoint trained as a negative Gaussian is located at
    its trough, and its score is the peak's magnitude. For heatmaps without
    negative values it decodes exactly as ``MSRAHeatmap``."""

    def decode(self, encoded: np.ndarray):
        return super().decode(np.abs(encoded))
