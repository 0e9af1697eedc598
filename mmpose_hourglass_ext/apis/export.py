"""Inference-time rewrites: BN folding and the heatmap-only module that
ONNX export and speed benchmarks run.

BN folding uses mmcv's ``fuse_conv_bn``: a BatchNorm that directly follows
a conv in a module's registration order is folded into that conv. That is
only right when the conv's output feeds nothing but the BN; mmcv also does
not reset its "last conv" on other layers between them (a conv, a ReLU
module, then a BN would be folded across the ReLU). :func:`fold_batchnorm`
therefore checks the folded model against the original on an input and
raises when they differ, so a module whose registration order does not
match its data flow can never give silently wrong heatmaps.

Most BNs of this package's blocks are pre-activations (BN-ReLU-conv on a
block's input), which no conv precedes: they cannot be folded and stay.
Newell's bottleneck folds 2 of its 3 (the ones after its 1x1 and 3x3
convs), MMPose's ResNet folds all of its.
"""
import copy
from typing import List, Tuple

import torch
import torch.nn as nn


def count_batchnorms(model: nn.Module) -> int:
    return sum(isinstance(m, nn.modules.batchnorm._BatchNorm)
               for m in model.modules())


def stage_heatmaps(pose_model: nn.Module,
                   images: torch.Tensor) -> List[torch.Tensor]:
    """Every stage's heatmaps of a top-down model (backbone (+ neck) +
    head, no decoding), first stage first; a head that returns several
    scales per stage (MSPNHead) gives the finest. What inference, export
    and the speed tool run."""
    outs = pose_model.head.forward(pose_model.extract_feat(images))
    if isinstance(outs, torch.Tensor):
        return [outs]
    return [o[-1] if isinstance(o, (list, tuple)) else o for o in outs]


class LastStageHeatmaps(nn.Module):
    """``images -> last stage's heatmaps`` (what an exported model
    computes)."""

    def __init__(self, pose_model: nn.Module):
        super().__init__()
        self.model = pose_model

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return stage_heatmaps(self.model, images)[-1]


def fold_batchnorm(model: nn.Module, example: torch.Tensor,
                   atol: float = 1e-5) -> Tuple[nn.Module, int]:
    """A copy of ``model`` (eval mode) with BNs folded into the convs they
    follow, and the number folded. Raises a RuntimeError when the folded
    copy's output on ``example`` differs from the original's by more than
    ``atol`` (relative to the output's scale)."""
    from mmcv.cnn import fuse_conv_bn
    model = model.eval()
    folded = fuse_conv_bn(copy.deepcopy(model)).eval()
    count = count_batchnorms(model) - count_batchnorms(folded)
    with torch.no_grad():
        ref, out = model(example), folded(example)
    scale = max(ref.abs().max().item(), 1.0)
    diff = (ref - out).abs().max().item()
    if diff > atol * scale:
        raise RuntimeError(
            f'BN folding changed the output by {diff:.3g} (tolerance '
            f'{atol * scale:.3g}): a BN in {type(model).__name__} follows a '
            'conv in registration order but not in the data flow; export '
            'with --no-fold-bn and report the module')
    return folded, count
