"""MPII predictions as MATLAB ``.mat`` files for the official evaluation
(MMPose 1.x writes none).

:class:`MpiiPredictionsMat` is a metric that computes nothing and writes,
in the test set's order:

* ``preds``: ``N x 16 x 2``, the predictions + 1 (MATLAB's 1-based
  pixels, the shift MMPose's ``MpiiPCKAccuracy`` applies before comparing
  with the annotations, so the file scores what MMPose reports), the
  layout of MPII validation scripts (``pos_pred_src`` after a transpose to
  ``16 x 2 x N``) and of MMPose 0.x's ``pred.mat``;
* ``pred``: the official toolkit's annotation-list layout,
  ``pred(imgidx).annorect(ridx).annopoints.point(pidx)`` with ``x``, ``y``
  (1-based) and ``id`` (MPII joint id, 0 = right ankle ... 15 = left
  wrist, MMPose's order), one entry per image (``image.name``) in the
  order the test set first lists it. For a test-server submission put them
  in the order of the toolkit's ``annolist_test`` (match by
  ``image.name``).

Use it with ``tools/test.py --mpii-mat FILE``, or in any config (MMPose's
test.py included)::

    test_evaluator = [dict(type='MpiiPCKAccuracy'),
                      dict(type='MpiiPredictionsMat', out_file='pred.mat')]
"""
import os.path as osp
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmpose.registry import METRICS

NUM_JOINTS = 16


@METRICS.register_module()
class MpiiPredictionsMat(BaseMetric):
    """Args:
        out_file: the ``.mat`` to write.
    """

    default_prefix = 'mpii_mat'

    def __init__(self, out_file: str, collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not out_file.endswith('.mat'):
            raise ValueError(f'MpiiPredictionsMat: out_file={out_file!r} '
                             'must end in .mat')
        self.out_file = out_file

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            keypoints = np.asarray(sample['pred_instances']['keypoints'])
            if keypoints.shape[-2:] != (NUM_JOINTS, 2):
                raise ValueError(
                    'MpiiPredictionsMat writes MPII\'s 16 joints; the model '
                    f'predicts {keypoints.shape[-2]} keypoints')
            self.results.append(dict(
                id=sample.get('id'), img_path=sample.get('img_path', ''),
                keypoints=keypoints.reshape(-1, NUM_JOINTS, 2)))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        from scipy.io import savemat
        if all(r['id'] is not None for r in results):
            results = sorted(results, key=lambda r: r['id'])
        preds = np.concatenate([r['keypoints'] for r in results]) + 1.0
        names = [osp.basename(r['img_path']) for r in results
                 for _ in range(len(r['keypoints']))]
        savemat(self.out_file, dict(preds=preds.astype(np.float64),
                                    pred=annolist(names, preds)))
        print_log(f'MPII predictions ({len(preds)} persons) written to '
                  f'{self.out_file}', logger='current')
        return {}


def annolist(names, preds) -> np.ndarray:
    """The toolkit's ``pred`` struct array: one entry per image, its
    persons' points (1-based x, y and the joint id)."""
    images = list(dict.fromkeys(names))
    persons = {name: [] for name in images}
    for name, joints in zip(names, preds):
        persons[name].append(joints)
    out = np.zeros((1, len(images)), dtype=[('image', 'O'),
                                             ('annorect', 'O')])
    for i, name in enumerate(images):
        rects = np.zeros((1, len(persons[name])), dtype=[('annopoints',
                                                          'O')])
        for r, joints in enumerate(persons[name]):
            points = np.zeros((1, NUM_JOINTS), dtype=[('x', 'O'), ('y', 'O'),
                                                      ('id', 'O')])
            for j, (x, y) in enumerate(joints):
                points[0, j] = (float(x), float(y), j)
            rects[0, r] = ({'point': points}, )
        out[0, i] = ({'name': name}, rects)
    return out
