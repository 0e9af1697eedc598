"""MMPose's ``CombinedDataset`` with the keypoint set of a named dataset.

``CombinedDataset`` takes its keypoint metainfo (names, flip pairs, joint
weights) as ``metainfo=dict(from_file=...)``, a path read from the working
directory. LSP's metainfo lives inside this package, so a config that
names that path works only from the repository. ``keypoints_of`` names a
registered dataset type instead and takes its ``METAINFO``: the combined
set is MMPose's own class, unchanged otherwise (sub-datasets convert their
joints with MMPose's ``KeypointConverter`` in their own pipelines).
"""
from mmpose.datasets import CombinedDataset
from mmpose.registry import DATASETS


@DATASETS.register_module()
class CombinedAsDataset(CombinedDataset):
    """``CombinedDataset`` whose keypoints are those of ``keypoints_of``.

    Args:
        keypoints_of (str): a registered dataset type, e.g. ``'LspDataset'``
            or ``'MpiiDataset'``; its ``METAINFO`` is the combined set's.
        **kwargs: ``CombinedDataset``'s arguments (not ``metainfo``).
    """

    def __init__(self, keypoints_of: str, **kwargs):
        if 'metainfo' in kwargs:
            raise ValueError(
                'CombinedAsDataset: give keypoints_of or use MMPose\'s '
                'CombinedDataset with metainfo, not both')
        dataset = DATASETS.get(keypoints_of)
        if dataset is None:
            raise KeyError(
                f'CombinedAsDataset: keypoints_of={keypoints_of!r} is not a '
                'registered dataset type (e.g. LspDataset, MpiiDataset)')
        super().__init__(metainfo=dict(dataset.METAINFO), **kwargs)
