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

import torch.nn as nn
import torch.nn.functional as F

from .utils import AddFusion, PreActBottleneck, upsample_add

BlockFactory = Callable[[int, int], nn.Module]
ModuleFactory = Callable[[int], nn.Module]


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
