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


def coco_files(cfg: Config) -> Iterator[Tuple[str, str, bool, str]]:
    """(path, config setting, evaluated by CocoMetric, image folder or None)
    of every COCO-style annotation file the config reads."""
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
                root = d.get('data_root', '')
                images = (d.get('data_prefix') or {}).get('img', '')
                yield (osp.join(root, ann), f'{split}.dataset.ann_file',
                       False, osp.join(root, images))
    for name in ('val_evaluator', 'test_evaluator'):
        evaluators = cfg.get(name) or []
        for e in evaluators if isinstance(evaluators, list) else [evaluators]:
            if e.get('type') == 'CocoMetric' and e.get('ann_file'):
                yield e['ann_file'], f'{name}.ann_file', True, None


def check_coco_annotations(cfg: Config) -> None:
    """Refuse a COCO-style keypoint file that would fail after training:
    a person without ``keypoints`` in a file CocoMetric evaluates against,
    or a training file in which no person has keypoints."""
    checked = set()
    for path, setting, evaluated, images in coco_files(cfg):
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
        check_coco_persons(content, f'{path} ({setting})', images)
        if annotations and len(without) == len(annotations):
            raise ValueError(
                f"{path} ({setting}): none of its {len(annotations)} "
                "annotations has a 'keypoints' field, so MMPose's dataset "
                'would keep no person to train or test on. Is this a '
                'detection-only file (instances_*.json)? Use the '
                'person_keypoints_*.json file.')


def check_coco_persons(content: dict, where: str, images=None) -> None:
    """What MMPose's COCO reader drops, trains on or evaluates wrongly
    without a word: stop (or warn, for persons it is right to skip),
    naming the file, the annotation and the fix."""
    import math
    import warnings
    found = content.get('images')
    if not found:
        raise ValueError(f"{where}: its 'images' list is empty, so there is "
                         'nothing to train or test on. Is this the right '
                         'file?')
    by_id = {image['id']: image for image in found}
    category = (content.get('categories') or [{}])[0]
    length = 3 * len(category.get('keypoints') or []) or None
    seen, flat, tiny = set(), 0, []
    annotations = [a for a in content.get('annotations', [])
                   if 'keypoints' in a]
    for a in annotations:
        name = f"annotation id {a.get('id')} (image {a.get('image_id')})"
        if a.get('id') in seen:
            raise ValueError(
                f'{where}: the annotation id {a.get("id")} appears twice; '
                'COCO evaluation keeps one of them, so a person drops out '
                'of the ground truth. Give every annotation its own id.')
        seen.add(a.get('id'))
        keypoints = a['keypoints']
        if length and len(keypoints) != length:
            raise ValueError(
                f'{where}: {name} has {len(keypoints)} keypoint numbers, '
                f'the category has {length // 3} keypoints (x, y, v each: '
                f'{length}). Fix or remove that annotation.')
        if not all(isinstance(v, (int, float)) and math.isfinite(v)
                   for v in keypoints):
            raise ValueError(
                f'{where}: {name} has a keypoint that is not a finite number '
                '(NaN or inf), which MMPose would train on. Fix it, or mark '
                'the keypoint unannotated (0, 0, 0).')
        if a.get('image_id') not in by_id:
            raise ValueError(
                f'{where}: {name} refers to an image id that is not in the '
                "file's 'images' list, so MMPose would drop the person. Add "
                'the image or remove the annotation.')
        image = by_id[a['image_id']]
        # a missing folder fails at the first image MMPose loads; a file
        # missing from a folder that is there, hours into training
        if images and osp.isdir(images) and not osp.isfile(
                osp.join(images, image.get('file_name', ''))):
            raise FileNotFoundError(
                f'{where}: the image of {name}, '
                f"{osp.join(images, image.get('file_name', ''))}, is "
                'missing: put it there or remove its annotations '
                '(data_prefix.img is the folder).')
        box = a.get('bbox') or [0, 0, 0, 0]
        if any(v > 0 for v in keypoints[2::3]):
            flat += 1
            if len(box) < 4 or box[2] <= 0 or box[3] <= 0:
                tiny.append(a.get('id'))
    if annotations and not flat:
        raise ValueError(
            f'{where}: none of its {len(annotations)} persons has an '
            'annotated keypoint (every v is 0), so there is nothing to '
            'learn or score. Is this the right file?')
    if tiny:
        warnings.warn(
            f'{where}: {len(tiny)} persons with keypoints have a box of zero '
            f'width or height (annotation ids {tiny[:5]}); MMPose skips '
            'them. Give them their boxes to use them.')
