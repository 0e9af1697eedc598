"""Inference helpers on top of MMPose's APIs, shared by tools/demo.py and
tools/deployment/pytorch2onnx.py.

* :func:`init_pose_model`: MMPose's ``init_model`` after checking that the
  checkpoint fits the config's model exactly (``init_model`` loads with
  ``strict=False`` and only warns, so another model's checkpoint would give
  keypoints from a half-random model).
* :func:`stack_heatmaps`: every stack's heatmaps for one person box, the
  picture of how the stacks refine.
"""
import os.path as osp
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate

from ..utils.runtime import check_checkpoint_fits
from .export import stage_heatmaps


def model_index() -> dict:
    """``{model name: (config path, weights path or None)}`` of the
    package's ``model-index.yml`` (MMPose's format), paths resolved inside
    the installed package."""
    import yaml
    mim = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), '.mim')
    with open(osp.join(mim, 'model-index.yml')) as f:
        imports = yaml.safe_load(f)['Import']
    models = {}
    for metafile in imports:
        with open(osp.join(mim, metafile)) as f:
            for model in yaml.safe_load(f).get('Models', []):
                weights = model.get('Weights')
                models[model['Name']] = (
                    osp.join(mim, model['Config']),
                    osp.join(mim, weights) if weights else None)
    return models


def resolve_model(config: str, checkpoint: Optional[str] = None
                  ) -> Tuple[str, Optional[str]]:
    """``(config path, checkpoint)`` for a config path or a model name of
    the package's model index (its published weights when no checkpoint
    is given), e.g. for MMPose's inferencer::

        config, weights = resolve_model(
            'td-hm_sghg2-64_1xb16-10000it_lsp+lspet-128x128')
        MMPoseInferencer(pose2d=config, pose2d_weights=weights)

    MMPose's own name lookup reads only MMPose's model index, so the
    package's names go through here."""
    if osp.isfile(config):
        return config, checkpoint
    models = model_index()
    if config not in models:
        close = [n for n in models if config in n][:5]
        raise FileNotFoundError(
            f'{config} is neither a config file nor a model name of '
            'mmpose_hourglass_ext\'s model-index.yml'
            + (f' (names containing it: {", ".join(close)})' if close
               else '; the names are the config file names without .py'))
    path, weights = models[config]
    if checkpoint is None and weights is None:
        raise FileNotFoundError(
            f'{config} has no published weights; give a checkpoint')
    return path, checkpoint or weights


def init_pose_model(config: str, checkpoint: Optional[str],
                    device: str = 'cpu') -> torch.nn.Module:
    """A top-down model in eval mode with ``checkpoint``'s weights (checked
    to fit ``config``'s model name for name and shape). ``config`` may be a
    model name of the package's model index (``resolve_model``)."""
    config, checkpoint = resolve_model(config, checkpoint)
    from mmengine.runner import load_checkpoint
    from mmpose.apis import init_model
    from mmpose.utils import register_all_modules
    register_all_modules()
    # built once, without weights; then what init_model does with a
    # checkpoint, but strictly: the weights and the checkpoint's dataset
    # meta (keypoint names, skeleton) over the config's
    # MMPose reads the keypoint metainfo from the train set's class, which
    # a ConcatDataset or CombinedDataset lacks (it then warns that it uses
    # COCO's, or fails): the test set's is the model's keypoint set
    cfg = Config.fromfile(config)
    test_set = cfg.get('test_dataloader', {}).get('dataset')
    if test_set is not None and cfg.get('train_dataloader'):
        cfg.train_dataloader.dataset = test_set
    model = init_model(cfg, None, device=device)
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
