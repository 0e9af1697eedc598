"""MPII predictions written as .mat (--mpii-mat / MpiiPredictionsMat) and
re-scored from the file by an independent PCKh (the official toolkit's
definition: error <= 0.5 x head size, head size = 0.6 x the head box
diagonal, pelvis and thorax left out of the total) give MMPose's
MpiiPCKAccuracy numbers for the same predictions."""
import numpy as np
import pytest
from scipy.io import loadmat

from conftest import require_data

SC_BIAS, THRESHOLD = 0.6, 0.5
NAMES = ('Head', 'Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle')
GROUPS = {'Head': [9], 'Shoulder': [12, 13], 'Elbow': [11, 14],
          'Wrist': [10, 15], 'Hip': [2, 3], 'Knee': [1, 4], 'Ankle': [0, 5]}


def official_pckh(preds_1based, gt_1based, visible, headboxes):
    """Per-joint PCKh and the total, computed from the arrays alone."""
    size = SC_BIAS * np.linalg.norm(headboxes[1] - headboxes[0], axis=0)
    err = np.linalg.norm(preds_1based - gt_1based, axis=2) / size[:, None]
    counts = visible.sum(axis=0)
    hits = ((err <= THRESHOLD) & visible).sum(axis=0)
    pckh = 100. * hits / np.maximum(counts, 1)
    weights = counts.astype(float)
    weights[[6, 7]] = 0
    total = float(np.sum(pckh * weights / weights.sum()))
    return pckh, total


def sample_predictions():
    """The MPII samples with predictions = ground truth + noise, through
    MMPose's dataset (its order, visibility and head boxes)."""
    from mmpose.datasets import MpiiDataset
    root = require_data('mpii_sample')
    dataset = MpiiDataset(
        data_root=str(root), ann_file='annotations/mpii_val.json',
        headbox_file=str(root / 'annotations/mpii_gt_val.mat'),
        data_prefix=dict(img='images/'), test_mode=True, pipeline=[])
    rng = np.random.default_rng(0)
    samples = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        gt = info['keypoints'][0]
        noise = rng.normal(scale=25.0, size=gt.shape)
        samples.append(dict(
            id=info['id'], img_path=info['img_path'],
            pred_instances=dict(keypoints=(gt + noise)[None],
                                keypoint_scores=np.ones((1, 16))),
            gt_instances=dict(keypoints=gt[None],
                              keypoints_visible=info['keypoints_visible'],
                              head_size=info['head_size'])))
    return samples


def test_written_file_rescored_independently_matches_mmpose(tmp_path):
    from mmpose.evaluation.metrics import MpiiPCKAccuracy

    from mmpose_hourglass_ext.evaluation import MpiiPredictionsMat
    samples = sample_predictions()
    mmpose_metric = MpiiPCKAccuracy()
    mmpose_metric.dataset_meta = dict(dataset_name='mpii')
    writer = MpiiPredictionsMat(out_file=str(tmp_path / 'pred.mat'))
    # the evaluator hands samples in batches, possibly out of order
    for batch in (samples[4:], samples[:4]):
        mmpose_metric.process(None, batch)
        writer.process(None, batch)
    expected = mmpose_metric.compute_metrics(mmpose_metric.results)
    writer.compute_metrics(writer.results)

    mat = loadmat(tmp_path / 'pred.mat')
    preds = mat['preds']
    assert preds.shape == (len(samples), 16, 2)
    ordered = sorted(samples, key=lambda s: s['id'])
    # the annotations' own (MATLAB, 1-based) coordinates, as MMPose's
    # dataset loads them; the file holds predictions + 1, as MMPose's metric
    # scores them
    gt = np.stack([s['gt_instances']['keypoints'][0] for s in ordered])
    visible = np.stack([s['gt_instances']['keypoints_visible'][0] > 0
                        for s in ordered])
    headboxes = loadmat(require_data('mpii_sample') /
                        'annotations/mpii_gt_val.mat')['headboxes_src']
    pckh, total = official_pckh(preds, gt, visible, headboxes)
    assert 30 < total < 95  # a non-trivial case
    assert total == pytest.approx(expected['PCK'], abs=1e-6)
    for name in NAMES:
        joints = GROUPS[name]
        weights = visible[:, joints].sum(axis=0)
        group = float(np.sum(pckh[joints] * weights) / weights.sum())
        assert group == pytest.approx(expected[f'{name} PCK'], abs=1e-6)

    # the toolkit's layout holds the same points, grouped by image
    pred = mat['pred']
    first = pred[0, 0]
    points = first['annorect'][0, 0]['annopoints'][0, 0]['point']
    assert points.shape == (1, 16)
    assert float(points[0, 0]['x']) == pytest.approx(preds[0, 0, 0])
    assert float(points[0, 15]['y']) == pytest.approx(preds[0, 15, 1])
    assert int(points[0, 15]['id']) == 15
    names = [str(p['image'][0, 0]['name'][0]) for p in pred[0]]
    assert len(names) == len(set(names)) and names[0].endswith('.jpg')
    assert sum(p['annorect'].shape[1] for p in pred[0]) == len(samples)


def test_out_file_must_be_a_mat():
    from mmpose_hourglass_ext.evaluation import MpiiPredictionsMat
    with pytest.raises(ValueError, match='must end in .mat'):
        MpiiPredictionsMat(out_file='pred.json')


@pytest.mark.slow
def test_test_tool_writes_the_mat_for_an_mpii_config(tmp_path):
    """tools/test.py --mpii-mat on the MPII samples (a small model with
    fresh weights: the file's layout is checked, not the accuracy)."""
    import torch
    from mmengine.config import Config
    from mmpose.registry import MODELS

    from conftest import ROOT, SMALL_MODEL, config_on_samples, python_tool
    require_data('mpii_sample')
    cfg = config_on_samples(Config.fromfile(
        ROOT / 'configs/stacked_hourglass/'
        'td-hm_hourglass8-256_8xb32-210e_mpii-256x256.py'), tmp_path,
        SMALL_MODEL)
    cfg.dump(tmp_path / 'mpii_small.py')
    ckpt = tmp_path / 'fresh.pth'
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict()), ckpt)
    out = python_tool(ROOT / 'tools/test.py', tmp_path / 'mpii_small.py',
                      ckpt, '--work-dir', tmp_path, '--mpii-mat',
                      tmp_path / 'pred.mat')
    assert 'MPII predictions (13 persons) written' in out
    mat = loadmat(tmp_path / 'pred.mat')
    assert mat['preds'].shape == (13, 16, 2)
