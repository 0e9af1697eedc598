"""LSP PCK@0.2 with torso normalisation, on hand-computed cases and on the
real LSP test annotations."""
import numpy as np
import pytest
from mmpose.registry import METRICS

from mmpose_hourglass_ext.datasets import LspDataset

GROUPS = ['Head', 'Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle']


def sample(pred, gt, visible=None):
    visible = np.ones(len(gt)) if visible is None else np.asarray(visible)
    return {
        'pred_instances': {'keypoints': np.asarray(pred, float)[None]},
        'gt_instances': {'keypoints': np.asarray(gt, float)[None],
                         'keypoints_visible': visible[None]},
    }


def evaluate(samples, **kwargs):
    metric = METRICS.build(dict(type='LspPCKAccuracy', **kwargs))
    metric.process([], samples)
    return metric.evaluate(len(samples))


def person(torso):
    """14 joints; right hip (2) at the origin, left shoulder (9) at
    distance ``torso`` (a 3-4-5 triangle scaled)."""
    gt = np.tile([[50.0, 50.0]], (14, 1)) + np.arange(14)[:, None]
    gt[2] = [0.0, 0.0]
    gt[9] = [0.6 * torso, 0.8 * torso]
    return gt


def test_keys_follow_the_papers_tables():
    gt = person(100)
    res = evaluate([sample(gt, gt)])
    assert list(res) == [f'PCK@0.2/{g}' for g in GROUPS] + ['PCK@0.2/Total']
    assert all(v == 1.0 for v in res.values())


def test_hand_computed_case():
    # sample A: torso 100 -> threshold 20 px; sample B: torso 50 -> 10 px
    gt_a, gt_b = person(100), person(50)
    pred_a, pred_b = gt_a.copy(), gt_b.copy()
    pred_a[13] += [20.0, 0.0]    # head top at exactly 0.2 torso: correct
    pred_a[6] += [0.0, 20.5]     # right wrist just beyond: wrong
    pred_b[11] += [6.0, 8.0]     # left wrist 10 px = 0.2 x 50: correct
    pred_b[0] += [12.0, 0.0]     # right ankle 0.24 torso: wrong
    res = evaluate([sample(pred_a, gt_a), sample(pred_b, gt_b)])
    # wrists: right 1/2, left 2/2 -> 0.75; ankles: right 1/2, left 2/2
    assert res['PCK@0.2/Wrist'] == pytest.approx(0.75)
    assert res['PCK@0.2/Ankle'] == pytest.approx(0.75)
    assert res['PCK@0.2/Head'] == 1.0
    # 14 joints: two at 0.5, twelve at 1 -> mean 13/14
    assert res['PCK@0.2/Total'] == pytest.approx(13 / 14)
    # a stricter threshold counts the boundary cases as wrong
    res = evaluate([sample(pred_a, gt_a), sample(pred_b, gt_b)], thr=0.1)
    assert res['PCK@0.1/Head'] == pytest.approx(0.75)  # head top 1/2


def test_unannotated_joints_and_unmeasurable_torso_are_left_out():
    gt = person(100)
    pred = gt.copy()
    pred[4] += 1000  # left knee wrong but not annotated
    visible = np.ones(14)
    visible[4] = 0
    no_torso = np.ones(14)
    no_torso[9] = 0  # left shoulder missing: torso unknown
    res = evaluate([sample(pred, gt, visible),
                    sample(gt + 500, gt, no_torso)])
    assert res['PCK@0.2/Knee'] == 1.0
    assert res['PCK@0.2/Total'] == 1.0


def test_no_measurable_torso_at_all_is_an_error():
    gt = person(100)
    vis = np.ones(14)
    vis[2] = 0
    with pytest.raises(ValueError, match='torso'):
        evaluate([sample(gt, gt, vis)])


def test_on_real_lsp_test_annotations(lsp_root):
    data = LspDataset(data_root=str(lsp_root), split='test')
    gts = [data.get_data_info(i)['keypoints'][0] for i in range(len(data))]
    torsos = np.array([np.linalg.norm(g[9] - g[2]) for g in gts])
    assert (torsos > 0).all()
    perfect = evaluate([sample(g, g) for g in gts])
    assert perfect['PCK@0.2/Total'] == 1.0
    # shift every joint by 0.15 / 0.25 torso to the right
    near = evaluate([sample(g + [0.15 * t, 0], g) for g, t in zip(gts, torsos)])
    far = evaluate([sample(g + [0.25 * t, 0], g) for g, t in zip(gts, torsos)])
    assert near['PCK@0.2/Total'] == 1.0
    assert far['PCK@0.2/Total'] == 0.0
    # half of the images wrong by a 0.3 torso shift: half of every group
    mixed = evaluate([
        sample(g + ([0.3 * t, 0] if i % 2 else [0, 0]), g)
        for i, (g, t) in enumerate(zip(gts, torsos))
    ])
    for group in GROUPS + ['Total']:
        assert mixed[f'PCK@0.2/{group}'] == pytest.approx(0.5)
