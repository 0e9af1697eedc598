"""MPII through MMPose's own ``MpiiDataset``, with two additions:

* ``image_split``: a fixed part of the images held out (whole images, so no
  person is on both sides), for validating on training-split data that has
  no head boxes (``PCKAccuracy(norm_item='bbox')``). Held out: every
  ``held_out_every``-th image in sorted file-name order, so the split
  depends on nothing but the file names. Our choice, not MPII's.
* checks that stop on bad input with the file and the fix, where MMPose's
  reader would train on it or fail later without naming it: an image
  that is missing, annotated joints that are not finite or lie far
  outside their image, a ``joints`` list of the wrong length, and head
  boxes that do not belong to the annotation file.
"""
import json
import os.path as osp
from typing import List, Tuple

import mmpose
import numpy as np
from mmpose.datasets.datasets.body import MpiiDataset
from mmpose.registry import DATASETS
from PIL import Image
from scipy.io import loadmat

NUM_JOINTS = 16
# MMPose names its MPII metainfo relative to the working directory and, not
# finding it there, warns and falls back to its installed copy: name that
# copy, so reading MPII says nothing misleading
MMPOSE_MPII_METAINFO = osp.join(
    osp.dirname(mmpose.__file__), '.mim', 'configs', '_base_', 'datasets',
    'mpii.py')
# an annotated joint may lie this far (in image sizes) outside its image:
# MPII marks joints a little outside the frame; one further is a broken
# coordinate (our choice)
OUTSIDE_MARGIN = 0.5
HOW_TO_GET_MPII = ('docs/datasets.md, "MPII", says where the images and '
                   "MMPose's annotation files go")


def held_out_images(images, every: int) -> set:
    """Every ``every``-th of the sorted unique image names (from the first)."""
    return set(sorted(set(images))[::every])


@DATASETS.register_module()
class MpiiSplitDataset(MpiiDataset):
    """MMPose's ``MpiiDataset`` with checked input and an image-level split.

    Args:
        image_split (str): ``'all'`` (default), ``'train'`` (the images not
            held out) or ``'held_out'``.
        held_out_every (int): hold out every n-th image (sorted by name).
        **kwargs: ``MpiiDataset``'s arguments.
    """

    SPLITS = ('all', 'train', 'held_out')
    METAINFO = (dict(from_file=MMPOSE_MPII_METAINFO)
                if osp.isfile(MMPOSE_MPII_METAINFO) else MpiiDataset.METAINFO)

    def __init__(self, *args, image_split: str = 'all',
                 held_out_every: int = 8, **kwargs):
        if image_split not in self.SPLITS:
            raise ValueError(f'MpiiSplitDataset: unknown image_split '
                             f'{image_split!r}; choose one of {self.SPLITS}')
        if held_out_every < 2:
            raise ValueError('MpiiSplitDataset: held_out_every must be >= 2, '
                             f'got {held_out_every}')
        self.image_split = image_split
        self.held_out_every = held_out_every
        super().__init__(*args, **kwargs)

    def _load_annotations(self) -> Tuple[List[dict], List[dict]]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'MPII annotation file {self.ann_file} not found (relative '
                'paths are read from the working directory). '
                f'{HOW_TO_GET_MPII}')
        with open(self.ann_file) as f:
            anns = json.load(f)
        if not isinstance(anns, list):
            raise ValueError(
                f'{self.ann_file}: not an MPII annotation file (MMPose format '
                'is a list of persons with image, center, scale, joints, '
                f'joints_vis). {HOW_TO_GET_MPII}')
        self._check_head_boxes(len(anns))
        self._check_persons(anns)
        instances, images = super()._load_annotations()
        if self.image_split == 'all':
            return instances, images
        held = held_out_images([a['image'] for a in anns],
                               self.held_out_every)
        keep = (lambda name: name in held) if (
            self.image_split == 'held_out') else (
                lambda name: name not in held)
        instances = [i for i in instances
                     if keep(osp.basename(i['img_path']))]
        images = [i for i in images if keep(osp.basename(i['img_path']))]
        return instances, images

    def _check_head_boxes(self, num_persons: int) -> None:
        if not self.headbox_file:
            return
        if not osp.isfile(self.headbox_file):
            raise FileNotFoundError(
                f'MPII head boxes {self.headbox_file} not found (headbox_file '
                'is read as given, not under data_root).')
        boxes = loadmat(self.headbox_file).get('headboxes_src')
        count = None if boxes is None else boxes.shape[-1]
        if count != num_persons:
            raise ValueError(
                f'{self.headbox_file} holds {count} head boxes but '
                f'{self.ann_file} has {num_persons} persons: the head boxes '
                'belong to another annotation file (MPII has head boxes only '
                'for its validation persons: mpii_gt_val.mat goes with '
                'mpii_val.json). To evaluate on training-split images, drop '
                "headbox_file and use PCKAccuracy(norm_item='bbox').")

    def _check_persons(self, anns: list) -> None:
        sizes = {}
        for number, ann in enumerate(anns):
            where = (f'{self.ann_file}: person {number} (image '
                     f"{ann.get('image')!r})")
            joints = np.asarray(ann.get('joints', []), dtype=np.float64)
            visible = np.asarray(ann.get('joints_vis', []))
            if joints.shape != (NUM_JOINTS, 2) or visible.shape != (
                    NUM_JOINTS, ):
                raise ValueError(
                    f'{where} has joints of shape {joints.shape} and '
                    f'joints_vis of shape {visible.shape}; MPII has '
                    f'{NUM_JOINTS} joints, each [x, y], and one joints_vis '
                    'flag per joint. Fix or remove this person.')
            image = ann['image']
            path = osp.join(self.data_prefix['img'], image)
            if image not in sizes:
                if not osp.isfile(path):
                    raise FileNotFoundError(
                        f'{where}: image {path} not found. Put the MPII '
                        'images there or remove its persons from the file; '
                        f'{HOW_TO_GET_MPII}.')
                with Image.open(path) as im:
                    sizes[image] = im.size
            annotated = joints[visible > 0]
            if not np.isfinite(annotated).all():
                raise ValueError(
                    f'{where} has an annotated joint with a non-finite '
                    'coordinate (NaN or inf); fix it or set its joints_vis '
                    'to 0.')
            width, height = sizes[image]
            low = -OUTSIDE_MARGIN * np.array([width, height])
            high = (1 + OUTSIDE_MARGIN) * np.array([width, height])
            outside = ((annotated < low) | (annotated > high)).any(-1)
            if outside.any():
                x, y = annotated[outside][0]
                raise ValueError(
                    f'{where}: an annotated joint at ({x:.6g}, {y:.6g}) lies '
                    f'far outside the {width}x{height} image (more than '
                    f'{OUTSIDE_MARGIN:g} image sizes): the coordinate is '
                    'broken, or the image was resized without its '
                    'annotations. Fix it or set its joints_vis to 0.')
