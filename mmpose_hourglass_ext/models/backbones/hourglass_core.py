"""The one hourglass every variant of this package is built from.

An hourglass of depth ``d`` at width ``C`` (Newell et al., ECCV 2016, Fig. 3)::

    skip  = skip_blocks(x)                     # full resolution branch
    low   = down_blocks(downsample(x))         # half resolution
    low   = Hourglass(d - 1)(low)  if d > 1  else  bottom_blocks(low)
    low   = up_blocks(low)
    out   = fuse(skip, upsample(low))

Every piece is pluggable, so variants are compositions, not copies:

* ``block``: a factory ``block(in_channels, out_channels) -> nn.Module``
  (Newell's bottleneck :class:`PreActBottleneck` by default; the soft-gated,
  inception-resnet and other blocks of later papers plug in here);
* ``skip``: a factory ``skip(channels) -> nn.Module`` for the skip branch
  (``None`` gives Newell's ``num_blocks`` residual blocks);
* ``fusion``: a factory ``fusion(channels) -> nn.Module`` called as
  ``fusion(skip, up)`` (element-wise sum by default, as Newell).
"""
from typing import Callable, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer

BlockFactory = Callable[[int, int], nn.Module]
ModuleFactory = Callable[[int], nn.Module]


class PreActBottleneck(nn.Module):
    """Newell's residual module: (BN-ReLU-conv) 1x1 C/2, 3x3 C/2, 1x1 C, plus a
    skip that is the identity, or a 1x1 conv when the width changes.

    Pre-activation follows the original Torch code (pose-hg-train), which is
    what the 25.5M-parameter figure quoted by the papers was counted on.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 norm_cfg: dict = dict(type='BN')):
        super().__init__()
        mid = out_channels // 2
        layers = []
        for cin, cout, k in ((in_channels, mid, 1), (mid, mid, 3),
                             (mid, out_channels, 1)):
            layers += [
                build_norm_layer(norm_cfg, cin)[1],
                nn.ReLU(inplace=True),
                nn.Conv2d(cin, cout, k, padding=k // 2),
            ]
        self.residual = nn.Sequential(*layers)
        self.skip = (nn.Identity() if in_channels == out_channels else
                     nn.Conv2d(in_channels, out_channels, 1))

    def forward(self, x):
        # in place: the last conv's output is not needed by its backward
        return self.residual(x).add_(self.skip(x))


class AddFusion(nn.Module):
    """Newell's merge of the skip branch and the upsampled lower branch."""

    def __init__(self, channels: int = 0):
        super().__init__()

    def forward(self, skip, up):
        return skip + up


def norm_relu_conv(in_channels: int, out_channels: int, kernel_size: int,
                   norm_cfg: dict, groups: int = 1) -> nn.Sequential:
    """Pre-activation unit BN-ReLU-conv, the order of the ICCV 2017 block."""
    return nn.Sequential(
        build_norm_layer(norm_cfg, in_channels)[1],
        nn.ReLU(inplace=True),
        nn.Conv2d(in_channels, out_channels, kernel_size,
                  padding=kernel_size // 2, groups=groups, bias=False))


class ConcatFusion(nn.Module):
    """Decoder merge of Fig. 2b/2c: concatenate the encoder (skip) feature
    and the upsampled lower feature, then BN-ReLU-conv1x1 back to C.

    ``groups=1`` is Fig. 2b (both sources mixed); ``groups=2`` is Fig. 2c
    (one group per source). The kernel size is lost from the text; 1x1 is
    the one that keeps Table IV's three variants at the same ~3.4M budget
    (a 3x3 projection would add 2.1M to the 2x128 model).
    """

    def __init__(self, channels: int, groups: int = 1,
                 norm_cfg: dict = dict(type='BN')):
        super().__init__()
        self.project = norm_relu_conv(2 * channels, channels, 1, norm_cfg,
                                      groups=groups)

    def forward(self, skip, up):
        return self.project(torch.cat([skip, up], dim=1))


def init_heatmap_conv(conv: nn.Conv2d) -> nn.Conv2d:
    """Start a heatmap conv at ~zero output, as MMPose's heatmap heads do
    (normal, std 0.001): random initial heatmaps cost hundreds of
    iterations."""
    nn.init.normal_(conv.weight, std=0.001)
    nn.init.zeros_(conv.bias)
    return conv


def upsample_add(skip: torch.Tensor, low: torch.Tensor) -> torch.Tensor:
    """``skip + nearest_upsample_2x(low)`` as one broadcast add, without
    materialising the upsampled map (on CPU the upsample's copy cost as
    much as the add). Same values as the two-step form, bit for bit.

    The broadcast view is taken in the tensors' own memory layout: a
    channels-last tensor viewed as NCHW blocks would be copied to NCHW and
    the result copied back by the next conv (two layout conversions per
    hourglass level in the fast mode)."""
    n, c, h, w = skip.shape
    if skip.dim() == 4 and not skip.is_contiguous() and skip.is_contiguous(
            memory_format=torch.channels_last):
        nhwc = skip.permute(0, 2, 3, 1).reshape(n, h // 2, 2, w // 2, 2, c)
        low = low.permute(0, 2, 3, 1).reshape(n, h // 2, 1, w // 2, 1, c)
        return (nhwc + low).reshape(n, h, w, c).permute(0, 3, 1, 2)
    out = (skip.reshape(n, c, h // 2, 2, w // 2, 2)
           + low.reshape(n, c, h // 2, 1, w // 2, 1))
    return out.reshape(n, c, h, w)


def repeat_blocks(block: BlockFactory, channels: int, num: int) -> nn.Module:
    """``num`` blocks of width ``channels`` in sequence (identity when 0)."""
    if num == 0:
        return nn.Identity()
    return nn.Sequential(*[block(channels, channels) for _ in range(num)])


class Hourglass(nn.Module):
    """One recursive hourglass; see the module docstring for the structure.

    Args:
        depth: number of downsamplings (Newell: 4, i.e. 64 px -> 4 px).
        channels: width C, kept at every level.
        block: residual-block factory ``block(in_ch, out_ch)``.
        num_blocks: blocks per branch at each level (Newell's ``nModules``).
        skip: factory for the skip branch; ``None`` = ``num_blocks`` blocks.
        fusion: factory for the merge of skip and upsampled branches.
    """

    def __init__(self,
                 depth: int,
                 channels: int,
                 block: BlockFactory = PreActBottleneck,
                 num_blocks: int = 1,
                 skip: Optional[ModuleFactory] = None,
                 fusion: ModuleFactory = AddFusion):
        super().__init__()
        if depth < 1:
            raise ValueError(f'Hourglass depth must be >= 1, got {depth}')
        self.depth = depth
        self.skip = (skip(channels) if skip is not None else repeat_blocks(
            block, channels, num_blocks))
        self.down = repeat_blocks(block, channels, num_blocks)
        if depth > 1:
            self.inner = Hourglass(depth - 1, channels, block, num_blocks,
                                   skip, fusion)
        else:
            self.inner = repeat_blocks(block, channels, num_blocks)
        self.up = repeat_blocks(block, channels, num_blocks)
        self.fuse = fusion(channels)

    def forward(self, x):
        if x.shape[-1] % (2**self.depth) or x.shape[-2] % (2**self.depth):
            raise ValueError(
                f'Hourglass of depth {self.depth} needs feature maps whose '
                f'sides are multiples of {2**self.depth}, got '
                f'{tuple(x.shape[-2:])}; change the input size or the depth')
        low = self.up(self.inner(self.down(F.max_pool2d(x, 2))))
        if type(self.fuse) is AddFusion:  # Newell's merge, fused
            return upsample_add(self.skip(x), low)
        return self.fuse(self.skip(x),
                         F.interpolate(low, scale_factor=2, mode='nearest'))
