"""Checks of COCO-style keypoint annotation files before any work is done.

MMPose's COCO-style datasets skip a person whose ``keypoints`` field is
missing, but ``CocoMetric`` evaluates against every annotation of its
``ann_file`` and stops at the first validation with ``KeyError:
'keypoints'``; a training file in which no person has keypoints ends in
``need at least one array to concatenate``. Both are found here, naming
the file and the annotation, before training starts.
"""
import json
import os.path as osp
from typing import Iterator, Tuple

from mmengine.config import Config

# a training file larger than this is not read twice (COCO train2017's is
# 238 MB); the metric's files are always checked
MAX_TRAIN_FILE_BYTES = 64 * 2**20


def coco_files(cfg: Config) -> Iterator[Tuple[str, str, bool]]:
    """(path, config setting, evaluated by CocoMetric) of every COCO-style
    annotation file the config reads."""
    from mmpose.datasets.datasets.base import BaseCocoStyleDataset
    from mmpose.registry import DATASETS
    for split in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(split)
        dataset = loader.get('dataset') if loader else None
        datasets = (dataset.get('datasets', []) if dataset
                    and dataset.get('type') == 'ConcatDataset' else [dataset])
        for d in datasets:
            if not d or not isinstance(d.get('type'), str):
                continue
            cls = DATASETS.get(d['type'])
            ann = d.get('ann_file', '')
            if (cls and issubclass(cls, BaseCocoStyleDataset)
                    and ann.endswith('.json')):
                yield (osp.join(d.get('data_root', ''), ann),
                       f'{split}.dataset.ann_file', False)
    for name in ('val_evaluator', 'test_evaluator'):
        evaluators = cfg.get(name) or []
        for e in evaluators if isinstance(evaluators, list) else [evaluators]:
            if e.get('type') == 'CocoMetric' and e.get('ann_file'):
                yield e['ann_file'], f'{name}.ann_file', True


def check_coco_annotations(cfg: Config) -> None:
    """Refuse a COCO-style keypoint file that would fail after training:
    a person without ``keypoints`` in a file CocoMetric evaluates against,
    or a training file in which no person has keypoints."""
    checked = set()
    for path, setting, evaluated in coco_files(cfg):
        if (path, evaluated) in checked or not osp.isfile(path):
            continue  # a missing file is the dataset's own error to report
        checked.add((path, evaluated))
        if not evaluated and osp.getsize(path) > MAX_TRAIN_FILE_BYTES:
            continue
        with open(path) as f:
            content = json.load(f)
        if not isinstance(content, dict) or 'categories' not in content:
            continue  # not a COCO file (MPII's annotations are a list)
        annotations = content.get('annotations', [])
        without = [a for a in annotations if 'keypoints' not in a]
        if evaluated and without:
            a = without[0]
            raise ValueError(
                f'{path} ({setting}): {len(without)} of {len(annotations)} '
                f"annotations have no 'keypoints' field, e.g. id "
                f"{a.get('id')} (image {a.get('image_id')}). CocoMetric "
                'evaluates against every annotation of this file and would '
                "stop at the first validation (KeyError: 'keypoints'). Give "
                'each person its keypoints (3 numbers per keypoint, zeros '
                'where not annotated) or remove those annotations.')
        if annotations and len(without) == len(annotations):
            raise ValueError(
                f"{path} ({setting}): none of its {len(annotations)} "
                "annotations has a 'keypoints' field, so MMPose's dataset "
                'would keep no person to train or test on. Is this a '
                'detection-only file (instances_*.json)? Use the '
                'person_keypoints_*.json file.')
