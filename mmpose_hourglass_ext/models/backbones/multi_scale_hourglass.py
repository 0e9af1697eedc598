"""Multi-Scale Stacked Hourglass, MSSH ("Multi-Scale Stacked Hourglass
Network for Human Pose Estimation", ICLR 2019 submission; Sec. 3, Figs.
2, 4, 7).

Newell's stacked hourglass plus a pre-processing network that reduces the
stem's stride-2 features stage by stage (max-pool + block) with a tap at
every stride in ``scale_strides``, and feeds one tap to each hourglass:
the smallest scale to the first, the largest to the last (see
:func:`spread_scales`, or ``stack_strides``). Hourglass i reads
``fuse(x_i, resize(tap))`` with ``fusion`` 'add' (the paper's) or
'concat'; ``lateral=True`` adds Fig. 7's FPN-like connections; ``block``
('inception_a', 'inception_b', 'residual') is used everywhere. The
reading of the figures (which are not in the text) is in docs/models.md.
"""
from functools import partial
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpose.registry import MODELS

from .stacked_hourglass import StackedHourglass
from .utils import ConcatFusion, InceptionResNetBlock, PreActBottleneck

BLOCKS = ('inception_a', 'inception_b', 'residual')
FUSIONS = ('add', 'concat')


def spread_scales(strides: Sequence[int], num_stacks: int) -> List[int]:
    """Stride of the map each stack receives: small maps (large strides)
    first and the largest map last. With at least as many stacks as scales,
    each scale goes to a contiguous, near-equal run of stacks
    (``floor(i * S / J)``); with fewer, the stacks take evenly spaced scales
    from the smallest to the largest (the ones in between are not built)."""
    ordered = sorted(set(strides), reverse=True)
    num_scales = len(ordered)
    if num_stacks >= num_scales:
        return [ordered[i * num_scales // num_stacks]
                for i in range(num_stacks)]
    if num_stacks == 1:
        return [ordered[0]]
    return [ordered[round(i * (num_scales - 1) / (num_stacks - 1))]
            for i in range(num_stacks)]


class PreProcessing(nn.Module):
    """Fig. 4 (and Fig. 7 with ``lateral``): maps at ``strides`` (relative
    to the image) from features at stride ``in_stride``."""

    def __init__(self, block, in_channels: int, channels: int,
                 strides: Sequence[int], in_stride: int = 2,
                 lateral: bool = False):
        super().__init__()
        self.strides = sorted(set(strides))
        stages, previous, cin = [], in_stride, in_channels
        for stride in self.strides:
            if stride < in_stride or stride & (stride - 1):
                raise ValueError(
                    f'scale strides must be powers of two >= {in_stride} '
                    f'(the stem stage they start from), got {strides}')
            pool = stride // previous
            stages.append(nn.Sequential(
                nn.MaxPool2d(pool, pool) if pool > 1 else nn.Identity(),
                block(cin, channels)))
            previous, cin = stride, channels
        self.stages = nn.ModuleList(stages)
        self.laterals = nn.ModuleList(
            [nn.Conv2d(channels, channels, 1) for _ in self.strides]
        ) if lateral else None

    def forward(self, x: torch.Tensor) -> dict:
        taps = []
        for stage in self.stages:
            x = stage(x)
            taps.append(x)
        if self.laterals is not None:  # FPN top-down pass, coarse to fine
            out = None
            for k in reversed(range(len(taps))):
                lat = self.laterals[k](taps[k])
                taps[k] = lat if out is None else lat + F.interpolate(
                    out, size=lat.shape[-2:], mode='nearest')
                out = taps[k]
        return dict(zip(self.strides, taps))


@MODELS.register_module()
class MultiScaleStackedHourglass(StackedHourglass):
    """MSSH backbone; returns one heatmap per stack like
    :class:`StackedHourglass` (use ``CPMHead`` on top, with
    ``AdaptiveWeightedMSELoss`` for the paper's loss).

    Args:
        block: ``'inception_a'``, ``'inception_b'`` or ``'residual'``.
        scale_strides: strides (image px per map px) of the pre-processing
            maps; (8, 4, 2) = 32, 64, 128 px maps for a 256 px input.
        stack_strides: the stride each stack receives (default:
            :func:`spread_scales`); every value must be in
            ``scale_strides``.
        fusion: ``'add'`` or ``'concat'`` in front of every hourglass.
        lateral: Fig. 7's horizontal connections in the pre-processing.
        Others: as :class:`StackedHourglass`.
    """

    def __init__(self,
                 num_keypoints: int = 16,
                 num_stacks: int = 8,
                 channels: int = 256,
                 depth: int = 4,
                 num_blocks: int = 1,
                 stem_channels: Sequence[int] = (64, 128),
                 block: str = 'inception_a',
                 scale_strides: Sequence[int] = (8, 4, 2),
                 stack_strides: Optional[Sequence[int]] = None,
                 fusion: str = 'add',
                 lateral: bool = False,
                 norm_cfg: dict = dict(type='BN'),
                 **kwargs):
        if block not in BLOCKS:
            raise ValueError(f'block must be one of {BLOCKS}, got {block!r}')
        if fusion not in FUSIONS:
            raise ValueError(
                f'fusion must be one of {FUSIONS}, got {fusion!r}')
        factory = (partial(PreActBottleneck, norm_cfg=norm_cfg)
                   if block == 'residual' else
                   partial(InceptionResNetBlock, norm_cfg=norm_cfg,
                           pooled_branch=block == 'inception_b'))
        super().__init__(num_keypoints=num_keypoints, num_stacks=num_stacks,
                         channels=channels, depth=depth,
                         num_blocks=num_blocks, stem_channels=stem_channels,
                         norm_cfg=norm_cfg, block_factory=factory, **kwargs)
        self.block = block
        if stack_strides is None:
            stack_strides = spread_scales(scale_strides, num_stacks)
        if (len(stack_strides) != num_stacks
                or not set(stack_strides) <= set(scale_strides)):
            raise ValueError(
                f'stack_strides needs one stride per stack ({num_stacks}) '
                f'taken from scale_strides {tuple(scale_strides)}, got '
                f'{tuple(stack_strides)}')
        self.stack_strides = tuple(stack_strides)
        self.fusion = fusion
        # only the scales some stack receives: an unused map would leave
        # parameters without gradients, which DDP refuses
        self.pre_processing = PreProcessing(self.build_block,
                                            stem_channels[1], channels,
                                            self.stack_strides,
                                            lateral=lateral)
        self.fuse = nn.ModuleList(
            [ConcatFusion(channels, norm_cfg=norm_cfg)
             for _ in range(num_stacks)]) if fusion == 'concat' else None

    def run_stem(self, x: torch.Tensor) -> Tuple[torch.Tensor, dict]:
        # stem[:2] is the stride-2 stage (7x7/2 conv + block) that both the
        # hourglass path and the pre-processing network start from
        half = self.stem[:2](x)
        return self.stem[2:](half), self.pre_processing(half)

    def enter(self, stack: int, x: torch.Tensor,
              scale_maps: dict) -> torch.Tensor:
        received = scale_maps[self.stack_strides[stack]]
        if received.shape[-2:] != x.shape[-2:]:
            received = F.interpolate(received, size=x.shape[-2:],
                                     mode='bilinear', align_corners=False)
        if self.fuse is None:
            return x + received
        return self.fuse[stack](x, received)
