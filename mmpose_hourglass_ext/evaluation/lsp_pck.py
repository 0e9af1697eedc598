"""PCK with torso normalisation, as the LSP papers report it.

MMPose's ``PCKAccuracy(norm_item='torso')`` hard-codes JHMDB's joint indices,
so LSP needs its own metric. A joint is correct when its error is at most
``thr`` x torso, torso = |left shoulder - right hip| of the ground truth
(LSP indices 9 and 2). Results are per joint group, in the column order of the
papers' tables, plus Total (mean of the per-joint accuracies).

MMPose's ``keypoint_pck_accuracy`` counts errors strictly below the threshold;
the LSP protocol counts ``<=``, so the comparison is done here.

Left and right: LSP's labels are person-centric (the person's own left),
and so is the default ``convention='person'``. Some papers score
observer-centric (OC) labels; ``convention='observer'`` relabels every
left/right pair of both the prediction and the ground truth by image
position -- the joint further left in the image is called "right", as it
is for a person facing the camera -- so a model is not penalised for
left/right swaps of people seen from behind.
"""
from collections import OrderedDict
from typing import Dict, Sequence, Tuple

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmpose.registry import METRICS

# Joint groups of the LSP tables: name -> LSP joint indices. Head is the mean
# of neck and head top, as in the common LSP evaluation code.
LSP_JOINT_GROUPS: Dict[str, Tuple[int, ...]] = OrderedDict(
    Head=(12, 13),
    Shoulder=(8, 9),
    Elbow=(7, 10),
    Wrist=(6, 11),
    Hip=(2, 3),
    Knee=(1, 4),
    Ankle=(0, 5),
)


# (right, left) joint pairs of LSP
LSP_LEFT_RIGHT_PAIRS = ((0, 5), (1, 4), (2, 3), (6, 11), (7, 10), (8, 9))
CONVENTIONS = ('person', 'observer')


def observer_centric(keypoints: np.ndarray,
                     pairs=LSP_LEFT_RIGHT_PAIRS) -> np.ndarray:
    """``(N, K, 2)`` keypoints with each (right, left) pair relabelled by
    image x: the one with the smaller x becomes "right"."""
    out = keypoints.copy()
    for right, left in pairs:
        swap = keypoints[:, right, 0] > keypoints[:, left, 0]
        out[swap, right] = keypoints[swap, left]
        out[swap, left] = keypoints[swap, right]
    return out


def check_convention(convention: str) -> str:
    if convention not in CONVENTIONS:
        raise ValueError(f'convention must be one of {CONVENTIONS}, got '
                         f'{convention!r}')
    return convention


def collect(sample: dict) -> dict:
    """What the LSP metrics keep of one predicted data sample."""
    gt = sample['gt_instances']
    mask = np.asarray(gt['keypoints_visible']).astype(bool)
    return {
        'pred': np.asarray(sample['pred_instances']['keypoints'])[0],
        'gt': np.asarray(gt['keypoints'])[0],
        'mask': mask.reshape(mask.shape[0], -1)[0],
    }


def stack_results(results: list, convention: str):
    """Predictions, ground truth, masks of all samples, in ``convention``.
    (The mask travels with the relabelled ground-truth joint.)"""
    pred = np.stack([r['pred'] for r in results])
    gt = np.stack([r['gt'] for r in results])
    mask = np.stack([r['mask'] for r in results])
    if convention == 'observer':
        pred = observer_centric(pred)
        both = np.concatenate([gt, mask[..., None].astype(gt.dtype)], -1)
        both = observer_centric(both)
        gt, mask = both[..., :2], both[..., 2] > 0
    return pred, gt, mask


@METRICS.register_module()
class LspPCKAccuracy(BaseMetric):
    """PCK@``thr`` normalised by the torso, reported per LSP joint group.

    Args:
        thr: threshold as a fraction of the torso size (papers: 0.2).
        torso_joints: indices of the two joints whose distance is the torso
            size (LSP: left shoulder 9, right hip 2).
        joint_groups: name -> joint indices of each reported column.
        convention: ``'person'`` (LSP's labels) or ``'observer'`` (see the
            module docstring).
        prefix: metric name prefix, default ``'PCK@<thr>'``, so the keys
            read ``PCK@0.2/Head``, ..., ``PCK@0.2/Total``.

    Samples whose torso cannot be measured (an endpoint not annotated, or a
    zero length) are left out and counted in the log.
    """
    def __init__(self,
                 thr: float = 0.2,
                 torso_joints: Sequence[int] = (9, 2),
                 joint_groups: Dict[str, Sequence[int]] = LSP_JOINT_GROUPS,
                 convention: str = 'person',
                 collect_device: str = 'cpu',
                 prefix: str = None):
        super().__init__(collect_device=collect_device,
                         prefix=prefix or f'PCK@{thr:g}')
        if len(torso_joints) != 2:
            raise ValueError(f'torso_joints needs 2 indices, got '
                             f'{torso_joints}')
        self.thr = thr
        self.torso_joints = tuple(torso_joints)
        self.joint_groups = OrderedDict(joint_groups)
        self.convention = check_convention(convention)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        self.results.extend(collect(sample) for sample in data_samples)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        pred, gt, mask = stack_results(results, self.convention)
        a, b = self.torso_joints
        torso = np.linalg.norm(gt[:, a] - gt[:, b], axis=-1)
        measurable = mask[:, a] & mask[:, b] & (torso > 0)
        if not measurable.all():
            MMLogger.get_current_instance().warning(
                f'LspPCKAccuracy: {int((~measurable).sum())} of {len(torso)} '
                'samples have no measurable torso and are left out')
        if not measurable.any():
            raise ValueError('LspPCKAccuracy: no sample has both torso '
                             f'joints {self.torso_joints} annotated')
        mask = mask & measurable[:, None]
        error = np.linalg.norm(pred - gt, axis=-1) / np.where(
            measurable, torso, 1.0)[:, None]
        correct = (error <= self.thr) & mask
        counts = mask.sum(0)
        # per joint accuracy; NaN for a joint never annotated
        per_joint = correct.sum(0) / np.where(counts > 0, counts, np.nan)
        metrics = OrderedDict()
        for name, joints in self.joint_groups.items():
            accs = per_joint[list(joints)]
            accs = accs[~np.isnan(accs)]
            metrics[name] = float(accs.mean()) if len(accs) else 0.0
        metrics['Total'] = float(np.nanmean(per_joint))
        return metrics
