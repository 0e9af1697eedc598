"""SignedMSRAHeatmap: occluded keypoints encoded as negative peaks and
decoded from them."""
import numpy as np
from mmpose.registry import KEYPOINT_CODECS


def test_signed_codec_finds_the_negative_peak():
    codec = KEYPOINT_CODECS.build(dict(
        type='SignedMSRAHeatmap', input_size=(32, 32), heatmap_size=(8, 8),
        sigma=1))
    plain = KEYPOINT_CODECS.build(dict(
        type='MSRAHeatmap', input_size=(32, 32), heatmap_size=(8, 8),
        sigma=1))
    keypoints = np.array([[[8., 12.], [20., 4.]]], np.float32)
    heatmaps = plain.encode(keypoints, np.ones((1, 2)))['heatmaps']
    signed = heatmaps.copy()
    signed[1] *= -1  # keypoint 1 trained as occluded
    decoded, scores = codec.decode(signed)
    expected, expected_scores = plain.decode(heatmaps)
    assert np.allclose(decoded, expected) and np.allclose(scores,
                                                          expected_scores)
    # the plain codec misses the negative peak
    assert not np.allclose(plain.decode(signed)[0][0, 1], expected[0, 1])
