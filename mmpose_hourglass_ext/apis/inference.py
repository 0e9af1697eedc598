"""Inference helpers on top of MMPose's APIs, shared by tools/demo.py and
tools/deployment/pytorch2onnx.py.

* :func:`init_pose_model`: MMPose's ``init_model`` after checking that the
  checkpoint fits the config's model exactly (``init_model`` loads with
  ``strict=False`` and only warns, so another model's checkpoint would give
  keypoints from a half-random model).
* :func:`stack_heatmaps`: every stack's heatmaps for one person box, the
  picture of how the stacks refine.
"""
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.dataset import Compose, pseudo_collate

from ..utils.runtime import check_checkpoint_fits
from .export import stage_heatmaps


def init_pose_model(config: str, checkpoint: Optional[str],
                    device: str = 'cpu') -> torch.nn.Module:
    """A top-down model in eval mode with ``checkpoint``'s weights (checked
    to fit ``config``'s model name for name and shape)."""
    from mmengine.runner import load_checkpoint
    from mmpose.apis import init_model
    from mmpose.utils import register_all_modules
    register_all_modules()
    # built once, without weights; then what init_model does with a
    # checkpoint, but strictly: the weights and the checkpoint's dataset
    # meta (keypoint names, skeleton) over the config's
    model = init_model(config, None, device=device)
    if checkpoint is not None:
        check_checkpoint_fits(model, checkpoint, config)
        meta = load_checkpoint(model, checkpoint, map_location='cpu',
                               strict=True).get('meta', {})
        if 'dataset_meta' in meta:
            model.dataset_meta = meta['dataset_meta']
    return model


def prepare_inputs(model, img: np.ndarray, bboxes: np.ndarray):
    """The data preprocessor's output for ``img`` (BGR) and ``bboxes``
    (N x 4, xyxy): exactly what ``inference_topdown`` feeds the model."""
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    data = []
    for bbox in bboxes:
        info = dict(img=img, bbox=np.asarray(bbox, np.float32)[None, :4],
                    bbox_score=np.ones(1, np.float32))
        info.update(model.dataset_meta)
        data.append(pipeline(info))
    return model.data_preprocessor(pseudo_collate(data), False)


def stack_heatmaps(model, img: np.ndarray, bbox: Sequence[float]
                   ) -> Tuple[np.ndarray, np.ndarray]:
    """``(crop, heatmaps)`` for one person: the network's input crop as a
    BGR uint8 image and every stage's heatmaps, ``(stages, K, h, w)``."""
    data = prepare_inputs(model, img, np.asarray([bbox], np.float32))
    inputs = data['inputs']
    with torch.no_grad():
        stages = stage_heatmaps(model, inputs)
    heatmaps = torch.stack([s[0] for s in stages]).float().cpu().numpy()
    # undo the preprocessor's normalisation (and BGR->RGB) for display
    pre = model.data_preprocessor
    crop = (inputs[0] * pre.std + pre.mean).clamp(0, 255).byte()
    crop = crop.permute(1, 2, 0).cpu().numpy()
    if getattr(pre, '_channel_conversion', False):
        crop = crop[..., ::-1]
    return np.ascontiguousarray(crop), heatmaps
