"""SecondMaxHeatmap: the quarter-offset decoding rule towards the second
maximum, on hand-made heatmaps."""
import numpy as np
from mmpose.registry import KEYPOINT_CODECS

from mmpose_hourglass_ext.codecs import second_max_decode


def test_decoding_rule_on_a_hand_made_heatmap():
    heatmap = np.zeros((1, 8, 8), np.float32)
    heatmap[0, 3, 4] = 1.0   # max at (x=4, y=3)
    heatmap[0, 3, 5] = 0.6   # second max at (x=5, y=3)
    heatmap[0, 6, 1] = 0.3
    printed, scores = second_max_decode(heatmap, 0.25)
    assert printed.tolist() == [[4.75, 3.0]]  # 0.25 * 4 + 0.75 * 5
    common, _ = second_max_decode(heatmap, 0.75)
    assert common.tolist() == [[4.25, 3.0]]
    # max_weight=1: plain argmax, no quarter shift (the DC paper's test)
    argmax, _ = second_max_decode(heatmap, 1.0)
    assert argmax.tolist() == [[4.0, 3.0]]
    assert scores.tolist() == [1.0]
    codec = KEYPOINT_CODECS.build(dict(
        type='SecondMaxHeatmap', input_size=(32, 32), heatmap_size=(8, 8),
        sigma=2, max_weight=0.25))
    keypoints, _ = codec.decode(heatmap)
    assert keypoints.tolist() == [[[19.0, 12.0]]]  # x4 to input pixels
