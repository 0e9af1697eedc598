"""PCP (Percentage of Correct Parts) on LSP, as the papers' tables print it
(the MSSH paper, Table 3: Torso, Upper leg, Lower leg, Upper arm, Forearm,
Head, Total).

A part is a stick between two end points. Strict PCP (default): the part is
correct when *both* predicted end points are within ``thr`` x the ground
truth part length of their ground-truth end points. ``variant='average'``
is the looser variant some papers used: the *mean* of the two end-point
errors within ``thr`` x length.

End points are LSP joints; the torso, which has no joint at either end,
runs from the middle of the hips to the middle of the shoulders (an end
point given as several joints is their mean). Each reported column pools
its parts (e.g. both upper legs); Total pools all ten sticks.
"""
from collections import OrderedDict
from typing import Dict, Sequence, Tuple, Union

import numpy as np
from mmengine.evaluator import BaseMetric
from mmpose.registry import METRICS

from .lsp_pck import check_convention, collect, stack_results

EndPoint = Union[int, Tuple[int, ...]]
# column -> sticks (end point, end point), LSP joint indices
LSP_PARTS: Dict[str, Tuple[Tuple[EndPoint, EndPoint], ...]] = OrderedDict(
    Torso=(((2, 3), (8, 9)), ),
    **{'Upper leg': ((2, 1), (3, 4)),
       'Lower leg': ((1, 0), (4, 5)),
       'Upper arm': ((8, 7), (9, 10)),
       'Forearm': ((7, 6), (10, 11))},
    Head=((12, 13), ),
)
VARIANTS = ('strict', 'average')


def end_point(keypoints: np.ndarray, joints: EndPoint) -> np.ndarray:
    return keypoints[:, list(np.atleast_1d(joints))].mean(axis=1)


def end_point_mask(mask: np.ndarray, joints: EndPoint) -> np.ndarray:
    return mask[:, list(np.atleast_1d(joints))].all(axis=1)


def correct_parts(pred, gt, mask, stick, thr, variant):
    """(correct, counted) booleans per sample for one stick."""
    (a, b) = stick
    length = np.linalg.norm(end_point(gt, a) - end_point(gt, b), axis=-1)
    err_a = np.linalg.norm(end_point(pred, a) - end_point(gt, a), axis=-1)
    err_b = np.linalg.norm(end_point(pred, b) - end_point(gt, b), axis=-1)
    counted = end_point_mask(mask, a) & end_point_mask(mask, b) & (length > 0)
    limit = thr * length
    if variant == 'strict':
        correct = (err_a <= limit) & (err_b <= limit)
    else:
        correct = (err_a + err_b) / 2 <= limit
    return correct & counted, counted


@METRICS.register_module()
class LspPCP(BaseMetric):
    """PCP@``thr`` per LSP part and Total.

    Args:
        thr: fraction of the part length (papers: 0.5).
        variant: ``'strict'`` (both end points) or ``'average'``.
        parts: column -> sticks; default :data:`LSP_PARTS`.
        convention: ``'person'`` or ``'observer'`` left/right labels, as
            :class:`LspPCKAccuracy`.
        prefix: default ``'PCP@<thr>'`` (``'PCP-avg@<thr>'`` for the
            average variant): keys ``PCP@0.5/Torso`` ... ``PCP@0.5/Total``.
    """

    def __init__(self,
                 thr: float = 0.5,
                 variant: str = 'strict',
                 parts: Dict[str, Sequence] = LSP_PARTS,
                 convention: str = 'person',
                 collect_device: str = 'cpu',
                 prefix: str = None):
        if variant not in VARIANTS:
            raise ValueError(f'variant must be one of {VARIANTS}, got '
                             f'{variant!r}')
        name = 'PCP' if variant == 'strict' else 'PCP-avg'
        super().__init__(collect_device=collect_device,
                         prefix=prefix or f'{name}@{thr:g}')
        self.thr = thr
        self.variant = variant
        self.parts = OrderedDict(parts)
        self.convention = check_convention(convention)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        self.results.extend(collect(sample) for sample in data_samples)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        pred, gt, mask = stack_results(results, self.convention)
        metrics, total_correct, total_counted = OrderedDict(), 0, 0
        for name, sticks in self.parts.items():
            correct = counted = 0
            for stick in sticks:
                c, n = correct_parts(pred, gt, mask, stick, self.thr,
                                     self.variant)
                correct, counted = correct + c.sum(), counted + n.sum()
            metrics[name] = float(correct / counted) if counted else 0.0
            total_correct += correct
            total_counted += counted
        metrics['Total'] = (float(total_correct / total_counted)
                            if total_counted else 0.0)
        return metrics
