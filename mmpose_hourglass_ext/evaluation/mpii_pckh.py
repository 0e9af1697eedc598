"""MPII PCKh with the area under the PCKh curve (Su et al., Table 4).

:class:`MpiiPCKhAUC` is MMPose's ``MpiiPCKAccuracy`` (same keys, same
numbers: ``Head PCK`` ... ``Ankle PCK``, ``PCK`` = PCKh@0.5 Total,
``PCK@0.1``) plus ``AUC``: the area under PCKh(t) for t from 0 to 0.5 in
steps of 0.01, divided by 0.5 (the mean height of the curve, in %).
PCKh(t) is computed as MMPose computes PCKh@0.5 (``keypoint_pck_accuracy``:
error *<* t x head size, pelvis and thorax left out, joints weighted by
their counts), so AUC agrees with the other keys; one consequence is that
PCKh(0) is always 0 and an exact model scores 99, not 100.
"""
from typing import Dict

import numpy as np
from mmpose.evaluation.functional import keypoint_pck_accuracy
from mmpose.evaluation.metrics import MpiiPCKAccuracy
from mmpose.registry import METRICS

# MPII joints left out of PCKh's total, as MMPose does: pelvis, thorax
NOT_IN_TOTAL = (6, 7)
THRESHOLDS = np.round(np.arange(0, 0.5 + 1e-9, 0.01), 2)


def pckh_curve(pred, gt, mask, head_size, thresholds=THRESHOLDS):
    """PCKh Total (in %) at each threshold."""
    counts = mask.sum(axis=0).astype(np.float64)
    counts[list(NOT_IN_TOTAL)] = 0
    ratio = counts / counts.sum()
    curve = []
    for thr in thresholds:
        per_joint, _, _ = keypoint_pck_accuracy(pred, gt, mask, thr,
                                                head_size)
        curve.append(100. * np.sum(per_joint * ratio))
    return np.array(curve)


def area_under(curve, thresholds=THRESHOLDS) -> float:
    """Trapezoid area under ``curve`` over ``thresholds``, divided by the
    threshold range: the mean height of the curve."""
    return float(np.trapz(curve, thresholds) /
                 (thresholds[-1] - thresholds[0]))


@METRICS.register_module()
class MpiiPCKhAUC(MpiiPCKAccuracy):
    """``MpiiPCKAccuracy`` + ``AUC`` of PCKh over thresholds 0-0.5."""

    def compute_metrics(self, results: list) -> Dict[str, float]:
        metrics = super().compute_metrics(results)
        pred = np.concatenate([r['pred_coords'] for r in results]) + 1.0
        gt = np.concatenate([r['gt_coords'] for r in results])
        mask = np.concatenate([r['mask'] for r in results])
        head = np.concatenate([r['head_size'] for r in results])
        metrics['AUC'] = area_under(pckh_curve(pred, gt, mask, head))
        return metrics
