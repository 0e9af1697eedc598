"""Leeds Sports Pose (LSP) and LSP-extended (LSPET), read from their
original ``joints.mat`` files (MMPose 1.x has no LSP support).

Both files hold 14 joints per image in the same joint order, but differ in
axis order and in what the flag means:

* LSP:   ``joints`` is 3 x 14 x N (x, y, flag); flag 1 = **occluded**. Every
  joint is annotated, so every joint is a training/evaluation target.
* LSPET: ``joints`` is 14 x 3 x N (x, y, flag); flag 1 = **visible**,
  0 = missing (then x, y <= 0), so missing joints get ``keypoints_visible=0``.

There is one person per image. Its box is the box of its annotated joints,
enlarged by ``bbox_padding`` (default 1.15, about the person's extent beyond
wrists, ankles and head top); the usual ``GetBBoxCenterScale`` (padding 1.25)
then applies on top, as for COCO person boxes.
"""
import os
import os.path as osp
from typing import List, Tuple

import numpy as np
from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from mmpose.registry import DATASETS
from scipy.io import loadmat

METAINFO_FILE = osp.join(osp.dirname(__file__), 'metainfo', 'lsp.py')
NUM_JOINTS = 14
MAX_COORDINATE = 1e4  # pixels; see _read_joints
HOW_TO_GET_LSP = ('See docs/datasets.md: put the LSP archive under data/lsp '
                  '(images/im0001.jpg.., joints.mat) or link it there.')


class _LspStyleDataset(BaseCocoStyleDataset):
    """Shared reader; subclasses set the file layout and the splits."""

    METAINFO: dict = dict(from_file=METAINFO_FILE)
    LAYOUT: str = ''  # 'lsp' (3 x 14 x N) or 'lspet' (14 x 3 x N)
    SPLITS: dict = {}  # name -> (first, last) 1-based image numbers or None
    STANDARD_SIZE: int = 0  # images of the release the splits refer to
    NAME_FORMAT: str = ''

    def __init__(self,
                 ann_file: str = 'joints.mat',
                 split: str = 'all',
                 bbox_padding: float = 1.15,
                 data_prefix: dict = dict(img='images/'),
                 **kwargs):
        if split not in self.SPLITS:
            raise ValueError(f'{type(self).__name__}: unknown split '
                             f'{split!r}; choose one of {list(self.SPLITS)}')
        if bbox_padding <= 0:
            raise ValueError(f'bbox_padding must be > 0, got {bbox_padding}')
        self.split = split
        self.bbox_padding = bbox_padding
        super().__init__(ann_file=ann_file, data_prefix=data_prefix, **kwargs)

    def _read_joints(self) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return joints as an (N, 14, 2) float array, visibility (N, 14)
        and occlusion (N, 14, bool; LSP's flag 1, none in LSPET)."""
        if not osp.isfile(self.ann_file):
            where = ('' if osp.isabs(self.ann_file) else
                     f' (relative to the working directory {os.getcwd()}: '
                     'run from the project folder, or give an absolute '
                     'data_root)')
            raise FileNotFoundError(
                f'{type(self).__name__}: annotation file {self.ann_file} '
                f'not found{where}. {HOW_TO_GET_LSP}')
        try:
            joints = loadmat(self.ann_file)['joints']
        except KeyError as err:
            raise ValueError(
                f'{self.ann_file}: this .mat file has no "joints" array; give '
                f'the joints.mat of the {self.LAYOUT.upper()} release') from err
        except Exception as err:  # zlib, MatReadError, truncated buffers...
            raise ValueError(
                f'{self.ann_file}: cannot read this .mat file, it is damaged '
                f'or empty ({type(err).__name__}: {err}); get a fresh copy '
                f'of joints.mat. {HOW_TO_GET_LSP}') from err
        expected = (3, NUM_JOINTS) if self.LAYOUT == 'lsp' else (NUM_JOINTS,
                                                                  3)
        if joints.ndim != 3 or joints.shape[:2] != expected:
            found = 'x'.join(map(str, joints.shape))
            other = 'LspetDataset' if self.LAYOUT == 'lsp' else 'LspDataset'
            other_shape = (NUM_JOINTS, 3) if self.LAYOUT == 'lsp' else (
                3, NUM_JOINTS)
            if joints.ndim == 3 and joints.shape[:2] == other_shape:
                hint = f'this is the other dataset\'s layout: use {other}'
            elif joints.ndim == 3 and 2 in joints.shape[:2]:
                hint = ('the file has x and y but no flag row; LSP files '
                        'hold x, y and a flag per joint')
            else:
                hint = 'this is not an LSP-style joints array'
            raise ValueError(
                f'{self.ann_file}: {type(self).__name__} expects "joints" of '
                f'shape {expected[0]}x{expected[1]}xN ({self.LAYOUT.upper()} '
                f'layout), got {found}: {hint}.')
        if self.LAYOUT == 'lsp':
            joints = joints.transpose(2, 1, 0)  # N x 14 x (x, y, occluded)
            visible = np.ones(joints.shape[:2], dtype=np.float32)
            occluded = joints[..., 2] > 0
        else:
            joints = joints.transpose(2, 0, 1)  # N x 14 x (x, y, visible)
            visible = (joints[..., 2] > 0).astype(np.float32)
            occluded = np.zeros(joints.shape[:2], dtype=bool)
        flags = joints[..., 2]
        odd = ~np.isin(flags, (0, 1))
        if odd.any():
            image, joint = np.argwhere(odd)[0]
            raise ValueError(
                f'{self.ann_file}: {int(odd.sum())} joint flags are neither 0 '
                f'nor 1, first: image {image + 1}, joint {joint}, flag '
                f'{flags[image, joint]:.6g}. The file is damaged: get it '
                'again from the release (docs/datasets.md)')
        xy = joints[..., :2].astype(np.float32)
        if self.LAYOUT == 'lsp':
            # the standard LSP annotates every joint of every image; all-zero
            # joints are damage, and MMPose's filter would drop the images
            empty = np.flatnonzero((xy == 0).all(axis=(1, 2)))
            if len(empty):
                raise ValueError(
                    f'{self.ann_file}: {len(empty)} images have all their '
                    f'joints at (0, 0), first: image {empty[0] + 1}. LSP '
                    'annotates every joint of every image, so the file is '
                    'damaged: get it again from the release '
                    '(docs/datasets.md)')
        # annotated joints with broken coordinates: not finite, or beyond
        # any LSP/LSPET image (they are under 2000 px a side; 1e30 and
        # -7e20 passed silently and lowered PCK), not a joint a little
        # outside the frame
        for broken, what in (
                (~np.isfinite(xy).all(-1),
                 'non-finite coordinates (NaN or inf)'),
                ((np.abs(np.nan_to_num(xy)) > MAX_COORDINATE).any(-1),
                 f'coordinates more than {MAX_COORDINATE:g} px from the '
                 'image origin')):
            broken &= visible > 0
            if broken.any():
                image, joint = np.argwhere(broken)[0]
                raise ValueError(
                    f'{self.ann_file}: {int(broken.sum())} annotated joints '
                    f'have {what}, first: image {image + 1}, joint {joint} '
                    f'at ({xy[image, joint, 0]:.6g}, '
                    f'{xy[image, joint, 1]:.6g}); the file is damaged: get '
                    'it again from the release (docs/datasets.md), or fix '
                    'those joints (a missing LSPET joint has flag 0)')
        # missing LSPET joints may hold anything: they are not targets
        coords = np.where(visible[..., None] > 0, xy, 0.).astype(np.float32)
        return coords, visible, occluded

    def _split_indices(self, num_images: int) -> List[int]:
        span = self.SPLITS[self.split]
        if span is not None and num_images != self.STANDARD_SIZE:
            raise ValueError(
                f'{self.ann_file} has {num_images} images, but the standard '
                f'{self.split!r} split (images {span[0]}..{span[1]}) is '
                f'defined on the {self.STANDARD_SIZE} of the release; use '
                "split='all' (or indices) for another set of images")
        first, last = (1, num_images) if span is None else span
        indices = list(range(first - 1, min(last, num_images)))
        if not indices:
            raise ValueError(
                f'{self.ann_file}: split {self.split!r} (images {first}..'
                f'{last}) is empty: the file has only {num_images} images')
        return indices

    def _load_annotations(self) -> Tuple[List[dict], List[dict]]:
        coords, visible, occluded = self._read_joints()
        img_dir = self.data_prefix['img']
        if not osp.isdir(img_dir):
            raise FileNotFoundError(
                f'{type(self).__name__}: image folder {img_dir} not found. '
                f'{HOW_TO_GET_LSP}')

        instance_list, image_list = [], []
        for idx in self._split_indices(len(coords)):
            img_path = osp.join(img_dir, self.NAME_FORMAT.format(idx + 1))
            if not osp.isfile(img_path):
                raise FileNotFoundError(
                    f'{type(self).__name__}: image {img_path} listed in '
                    f'{self.ann_file} is missing')
            vis = visible[idx]
            if not vis.any():
                continue  # LSPET images without any annotated joint
            bbox = self._joint_box(coords[idx][vis > 0])
            w, h = bbox[2] - bbox[0], bbox[3] - bbox[1]
            instance_list.append({
                'id': idx + 1,
                'img_id': idx + 1,
                'img_path': img_path,
                'bbox': bbox[None],
                'bbox_score': np.ones(1, dtype=np.float32),
                'keypoints': coords[idx][None],
                'keypoints_visible': vis[None],
                # MSSH Eq. 1's occlusion option (OccludedNegativeHeatmap)
                'keypoints_occluded': occluded[idx][None],
                'num_keypoints': int(vis.sum()),
                'area': np.array([w * h], dtype=np.float32),
                'iscrowd': 0,
                'category_id': 1,
            })
            image_list.append({'img_id': idx + 1, 'img_path': img_path})
        if not instance_list:
            raise ValueError(f'{self.ann_file}: no image of split '
                             f'{self.split!r} has an annotated joint; check '
                             'the flags (LSPET: 1 = annotated)')
        return instance_list, image_list

    def _joint_box(self, points: np.ndarray) -> np.ndarray:
        """xyxy box of the points, scaled by ``bbox_padding`` about its
        center (at least 1 px wide, so one-joint persons stay valid)."""
        lo, hi = points.min(0), points.max(0)
        center = (lo + hi) / 2
        half = np.maximum((hi - lo) * self.bbox_padding, 1.0) / 2
        return np.concatenate([center - half, center + half]).astype(
            np.float32)


@DATASETS.register_module()
class LspDataset(_LspStyleDataset):
    """Leeds Sports Pose, 2000 images ``images/im0001.jpg``..``im2000.jpg``.

    Args:
        ann_file: the original ``joints.mat`` (3 x 14 x N), relative to
            ``data_root``.
        split: ``'train'`` (im0001-im1000), ``'test'`` (im1001-im2000), the
            standard split, or ``'all'``.
        bbox_padding: scale of the joints' box that gives the person box.
        Other arguments are those of MMPose's ``BaseCocoStyleDataset``.
    """
    LAYOUT = 'lsp'
    SPLITS = {'train': (1, 1000), 'test': (1001, 2000), 'all': None}
    STANDARD_SIZE = 2000
    NAME_FORMAT = 'im{:04d}.jpg'


@DATASETS.register_module()
class LspetDataset(_LspStyleDataset):
    """LSP-extended (training only), ``images/im00001.jpg``.. with
    ``joints.mat`` of shape 14 x 3 x N; missing joints are not targets.

    ``split='all'`` (the default, equal to ``'train'``) uses every image of
    the file.
    """
    LAYOUT = 'lspet'
    SPLITS = {'train': None, 'all': None}
    NAME_FORMAT = 'im{:05d}.jpg'
