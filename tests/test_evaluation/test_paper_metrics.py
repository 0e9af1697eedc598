"""The papers' other numbers: LSP PCP@0.5 per part, LSP left/right
conventions, MPII PCKh AUC, and the tables tools/test.py prints."""
import numpy as np
import pytest
from mmpose.registry import METRICS

from mmpose_hourglass_ext.evaluation import paper_tables, tables_to_markdown
from mmpose_hourglass_ext.evaluation.mpii_pckh import (THRESHOLDS, area_under,
                                                       pckh_curve)

from test_lsp_pck import person, sample

PARTS = ['Torso', 'Upper leg', 'Lower leg', 'Upper arm', 'Forearm', 'Head']


def evaluate(metric, samples, **kwargs):
    metric = METRICS.build(dict(type=metric, **kwargs))
    metric.process([], samples)
    return metric.evaluate(len(samples))


def lsp_person():
    """A standing person, LSP order, every limb 40-100 px long."""
    return np.array([
        [40, 300], [40, 240], [40, 180],    # right ankle, knee, hip
        [80, 180], [80, 240], [80, 300],    # left hip, knee, ankle
        [0, 160], [0, 120], [40, 80],       # right wrist, elbow, shoulder
        [80, 80], [120, 120], [120, 160],   # left shoulder, elbow, wrist
        [60, 60], [60, 0],                  # neck, head top
    ], dtype=float)


def test_pcp_perfect_and_shifted_predictions():
    gt = lsp_person()
    res = evaluate('LspPCP', [sample(gt, gt)])
    assert list(res) == [f'PCP@0.5/{p}' for p in PARTS] + ['PCP@0.5/Total']
    assert all(v == 1.0 for v in res.values())
    # shifted by 100 px: every end point is off by more than half of the
    # longest stick (torso: 100 px long, limit 50)
    res = evaluate('LspPCP', [sample(gt + 100, gt)])
    assert all(v == 0.0 for v in res.values())


def test_pcp_one_end_point_fails():
    gt = lsp_person()
    pred = gt.copy()
    # right forearm: elbow (7) -> wrist (6) is 40 px long, limit 20 px.
    # Wrist off by 25 px, elbow exact: strict PCP fails the forearm, the
    # average variant ((0 + 25) / 2 = 12.5 <= 20) passes it.
    pred[6] += [15, 20]
    strict = evaluate('LspPCP', [sample(pred, gt)])
    average = evaluate('LspPCP', [sample(pred, gt)], variant='average')
    assert strict['PCP@0.5/Forearm'] == 0.5  # left forearm still correct
    assert average['PCP-avg@0.5/Forearm'] == 1.0
    # the wrist ends no other stick: everything else is correct
    assert all(strict[f'PCP@0.5/{p}'] == 1.0 for p in PARTS
               if p != 'Forearm')
    assert strict['PCP@0.5/Total'] == pytest.approx(9 / 10)
    # at exactly half the length the part counts (<=)
    pred = gt.copy()
    pred[6] += [12, 16]  # 20 px
    assert evaluate('LspPCP', [sample(pred, gt)])['PCP@0.5/Forearm'] == 1.0


def test_pcp_torso_runs_between_hip_and_shoulder_midpoints():
    gt = lsp_person()
    pred = gt.copy()
    # moving both hips by 30 px moves the torso's lower end by 30 px:
    # torso length 100 (y 180 -> 80) -> limit 50: still correct; 60 px not
    pred[[2, 3]] += [0, 30]
    res = evaluate('LspPCP', [sample(pred, gt)])
    assert res['PCP@0.5/Torso'] == 1.0
    pred[[2, 3]] += [0, 30]
    assert evaluate('LspPCP', [sample(pred, gt)])['PCP@0.5/Torso'] == 0.0


def test_pcp_skips_parts_without_annotated_end_points():
    gt = lsp_person()
    visible = np.ones(14)
    visible[13] = 0  # head top missing: the head stick is not counted
    pred = gt.copy()
    pred[13] += 500
    res = evaluate('LspPCP', [sample(pred, gt, visible),
                              sample(gt, gt)])
    assert res['PCP@0.5/Head'] == 1.0  # only the second person counts


def mirrored(keypoints):
    """The same person seen from behind: each left/right pair swapped."""
    out = keypoints.copy()
    for r, l in ((0, 5), (1, 4), (2, 3), (6, 11), (7, 10), (8, 9)):
        out[[r, l]] = keypoints[[l, r]]
    return out


@pytest.mark.parametrize('metric, key', [('LspPCKAccuracy', 'PCK@0.2/Total'),
                                         ('LspPCP', 'PCP@0.5/Total')])
def test_observer_centric_convention_forgives_left_right_swaps(metric, key):
    gt = lsp_person()
    pred = mirrored(gt)  # person-centric labels of a person seen from behind
    person_centric = evaluate(metric, [sample(pred, gt)])
    observer = evaluate(metric, [sample(pred, gt)], convention='observer')
    assert person_centric[key] < 0.5
    assert observer[key] == 1.0
    with pytest.raises(ValueError, match='convention'):
        METRICS.build(dict(type=metric, convention='left'))


def mpii_sample(pred, gt, head_size, visible=None):
    visible = np.ones(16) if visible is None else visible
    return {
        'pred_instances': {'keypoints': pred[None]},
        'gt_instances': {'keypoints': gt[None],
                         'keypoints_visible': visible[None],
                         'head_size': head_size},
    }


def test_pckh_matches_mmpose_and_adds_the_auc():
    rng = np.random.default_rng(0)
    samples = []
    for _ in range(20):
        gt = rng.uniform(0, 200, (16, 2))
        pred = gt + rng.normal(0, 6, (16, 2)) - 1.0  # MPII is 1-based
        samples.append(mpii_sample(pred, gt, rng.uniform(20, 40)))
    ours = evaluate('MpiiPCKhAUC', samples)
    mmpose = evaluate('MpiiPCKAccuracy', samples)
    for key, value in mmpose.items():
        assert ours[key] == pytest.approx(value)
    assert 0 < ours['AUC'] < ours['PCK']


def test_pckh_auc_on_a_known_curve():
    # each joint's error is a fixed fraction of the head size, spread
    # uniformly over (0, 0.5]: PCKh(t) = 2t (in fractions) -> AUC = 50%
    n, head = 500, 100.
    fractions = (np.arange(n) + 0.5) / n * 0.5
    gt = np.zeros((n, 16, 2))
    pred = gt.copy()
    pred[..., 0] = fractions[:, None] * head
    mask = np.ones((n, 16), bool)
    sizes = np.full((n, 2), head)
    curve = pckh_curve(pred, gt, mask, sizes)
    assert curve[0] == 0 and curve[-1] == pytest.approx(100.)
    assert np.allclose(curve, 200 * THRESHOLDS, atol=0.25)
    assert area_under(curve) == pytest.approx(50., abs=0.2)
    # an exact model: PCKh(0) = 0 (error < 0 never holds, as in MMPose's
    # PCKh), 100 from t = 0.01 on -> 100 - 0.01 / 0.5 * 100 / 2 = 99
    assert area_under(pckh_curve(gt, gt, mask, sizes)) == pytest.approx(99.)


def test_tables_follow_the_papers_layout():
    metrics = {f'PCK@0.2/{g}': 0.9 for g in (
        'Head', 'Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle',
        'Total')}
    metrics.update({f'PCP@0.5/{p}': 0.8 for p in PARTS + ['Total']})
    tables = paper_tables(metrics, 'model')
    assert [t['title'] for t in tables] == ['LSP PCK@0.2', 'LSP PCP@0.5']
    assert tables[0]['header'] == ['Method', 'Head', 'Sho.', 'Elb.', 'Wri.',
                                   'Hip', 'Knee', 'Ank.', 'Total']
    assert tables[0]['rows'] == [['model'] + [90.0] * 8]
    # PCP: parts as rows (the MSSH paper, Table 3)
    assert [r[0] for r in tables[1]['rows']] == [
        'Torso', 'U.Leg', 'L.Leg', 'U.Arm', 'Forearm', 'Head', 'Total']
    md = tables_to_markdown(tables)
    assert '| Method | Head | Sho.' in md and '| Torso | 80.0 |' in md
    # MPII values are already in %; a missing AUC drops its column only
    mpii = {'Head PCK': 97.0, 'Shoulder PCK': 95.0, 'PCK': 90.1,
            'PCK@0.1': 40.2}
    table, = paper_tables(mpii)
    assert table['header'] == ['Method', 'Head', 'Sho.', 'Total',
                               'PCKh@0.1']
    assert table['rows'] == [['Ours', 97.0, 95.0, 90.1, 40.2]]
    assert paper_tables({'loss': 1.0}) == []
