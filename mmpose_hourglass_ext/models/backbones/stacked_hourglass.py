"""Newell-style stacked hourglass (Newell et al., ECCV 2016), the baseline
every variant of this package is compared against.

The variants subclass :class:`StackedHourglass` and override only what their
paper changes: the block (``build_block``), the hourglass (``build_hourglass``),
links between hourglass outputs (``after_hourglass``), how a stack's
outputs enter the later stacks (``send``, ``merge``) or extra inputs fed
from the stem to each hourglass (``run_stem``, ``enter``). The stem, the
per-stack heads and intermediate supervision stay the same code, so
comparisons are fair.
"""
from functools import partial
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmpose.models.backbones.base_backbone import BaseBackbone
from mmpose.registry import MODELS

from ..utils import StageOutputsMixin
from .hourglass_core import (BlockFactory, Hourglass, ModuleFactory,
                             repeat_blocks)
from .utils import AddFusion, PreActBottleneck, init_heatmap_conv


@MODELS.register_module()
class StackedHourglass(StageOutputsMixin, BaseBackbone):
    """Stacked hourglass that predicts a heatmap per stack.

    Stem (Newell's ``hg.lua``): 7x7/2 conv 64 + BN + ReLU, block 64->128,
    2x2 max-pool, block 128->128, block 128->C. Each stack: hourglass, then
    ``num_blocks`` blocks, a 1x1 conv-BN-ReLU (the features), a 1x1 conv to
    ``num_keypoints`` heatmaps; before the next stack its input is added to
    1x1 remaps of the features and of the heatmaps.

    The heatmap convs live here, not in the head, because the remapped
    heatmaps feed the next stack. Use ``CPMHead`` with ``final_layer=None``
    and ``deconv_out_channels=None`` on top (intermediate supervision, flip
    test and heatmap shift come from MMPose), or ``out='features'`` under
    any MMPose head (docs/drop_in.md).

    Args:
        num_keypoints: heatmap channels K (default 16, MPII's count, as
            every backbone of the package).
        num_stacks: number of hourglasses.
        channels: width C of the hourglasses (Newell: 256).
        depth: downsamplings per hourglass (Newell: 4).
        num_blocks: blocks per hourglass branch and after each hourglass
            (Newell's ``nModules``: 1).
        stem_channels: widths of the stem's first conv and of its pooled
            stage (Newell: 64, 128).
        block_factory, fusion_factory: ``block(in_ch, out_ch)`` and
            ``fusion(channels)`` factories, how variants change the block
            and the hourglass's merge (default: Newell's bottleneck, sum).
        out: ``'heatmaps'`` or ``'features'`` (see ``models/utils``).
        strict_load: refuse weights that do not fit (``models/utils``).

    Returns:
        tuple of ``num_stacks`` tensors, each ``(N, K, H/4, W/4)`` heatmaps,
        or ``(N, C, H/4, W/4)`` features with ``out='features'``.

    The 8-stack, 256-channel, 16-keypoint model has 25.43M parameters
    (Newell: 25.5M; see tests/test_models/test_backbones/test_stacked_hourglass.py).
    """

    def __init__(self,
                 num_keypoints: int = 16,
                 num_stacks: int = 8,
                 channels: int = 256,
                 depth: int = 4,
                 num_blocks: int = 1,
                 stem_channels: Sequence[int] = (64, 128),
                 norm_cfg: dict = dict(type='BN'),
                 out: str = 'heatmaps',
                 strict_load: bool = True,
                 block_factory: Optional[BlockFactory] = None,
                 fusion_factory: Optional[ModuleFactory] = None,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        # what a variant changes comes in as factories, set before anything
        # is built (Hourglass's pattern)
        self.block_factory = block_factory or partial(PreActBottleneck,
                                                      norm_cfg=norm_cfg)
        self.fusion_factory = fusion_factory or AddFusion
        if num_stacks < 1:
            raise ValueError(f'num_stacks must be >= 1, got {num_stacks}')
        self.out = self.check_out_mode(out)
        self.strict_load = strict_load
        self.num_keypoints = num_keypoints
        self.num_stacks = self.num_outputs = num_stacks
        self.feature_channels = channels
        self.channels = channels
        self.depth = depth
        self.num_blocks = num_blocks
        self.norm_cfg = norm_cfg

        self.stem = self.build_stem(stem_channels)
        self.hourglasses = nn.ModuleList(
            [self.build_hourglass(i) for i in range(num_stacks)])
        self.post_blocks = nn.ModuleList([
            repeat_blocks(self.build_block, channels, num_blocks)
            for _ in range(num_stacks)
        ])
        self.features = nn.ModuleList([
            ConvModule(channels, channels, 1, norm_cfg=norm_cfg)
            for _ in range(num_stacks)
        ])
        # with out='features' the head makes the last stack's predictions;
        # the earlier stacks' heatmaps still feed the next stack
        self.heatmaps = nn.ModuleList([
            nn.Conv2d(channels, num_keypoints, 1)
            for _ in range(num_stacks if out == 'heatmaps' else
                           num_stacks - 1)
        ])
        for conv in self.heatmaps:
            init_heatmap_conv(conv)
        self.remap_features = nn.ModuleList([
            nn.Conv2d(channels, channels, 1) for _ in range(num_stacks - 1)
        ])
        self.remap_heatmaps = nn.ModuleList([
            nn.Conv2d(num_keypoints, channels, 1)
            for _ in range(num_stacks - 1)
        ])

    # -- the pieces a variant overrides -------------------------------------
    def build_block(self, in_channels: int, out_channels: int) -> nn.Module:
        """The residual block used in the stem and the hourglasses
        (``block_factory``; Newell's bottleneck by default)."""
        return self.block_factory(in_channels, out_channels)

    def build_stem(self, stem_channels: Sequence[int]) -> nn.Module:
        c1, c2 = stem_channels
        return nn.Sequential(
            ConvModule(3, c1, 7, stride=2, padding=3, norm_cfg=self.norm_cfg),
            self.build_block(c1, c2),
            nn.MaxPool2d(2, 2),
            self.build_block(c2, c2),
            self.build_block(c2, self.channels),
        )

    def build_hourglass(self, stack: int) -> nn.Module:
        return Hourglass(self.depth, self.channels, self.build_block,
                         self.num_blocks, fusion=self.fusion_factory)

    def run_stem(self, x: torch.Tensor) -> Tuple[torch.Tensor, object]:
        """Stem output (the first stack's input) and anything else the
        ``enter`` hook needs from the image (Newell: nothing)."""
        return self.stem(x), None

    def enter(self, stack: int, x: torch.Tensor,
              context: object) -> torch.Tensor:
        """What hourglass ``stack`` reads, from its input ``x`` and
        ``run_stem``'s context (Newell: ``x``). Not carried to later
        stacks: ``merge`` sees the inputs before this hook."""
        return x

    def after_hourglass(self, stack: int, out: torch.Tensor,
                        previous: List[torch.Tensor]) -> torch.Tensor:
        """Output of hourglass ``stack`` as its head sees it; ``previous``
        holds the outputs of hourglasses 0..stack-1 (Newell: unchanged)."""
        return out

    def send(self, stack: int, features: torch.Tensor,
             heatmaps: torch.Tensor) -> torch.Tensor:
        """What stack ``stack`` passes on: 1x1 remaps of its features and
        heatmaps (Newell)."""
        return (self.remap_features[stack](features) +
                self.remap_heatmaps[stack](heatmaps))

    def merge(self, stack: int, inputs: List[torch.Tensor],
              sent: List[torch.Tensor]) -> torch.Tensor:
        """Input of stack ``stack + 1``. ``inputs`` holds the inputs of
        stacks 0..stack (``inputs[0]`` is the stem output), ``sent`` what
        stacks 0..stack passed on. Newell: the last input plus the last
        stack's remapped outputs."""
        return inputs[-1] + sent[-1]

    def compile_repeated(self, **compile_kwargs) -> str:
        """Regional compilation (utils/regional_compile.py): each stack's
        hourglass, compiled in place. The stacks' hourglasses share
        structure and input shape, so one compiled graph serves them all.
        Returns what was compiled, for the log."""
        for hourglass in self.hourglasses:
            hourglass.compile(**compile_kwargs)
        return (f'hourglasses ({self.num_stacks} x '
                f'{type(self.hourglasses[0]).__name__})')

    # -- forward -----------------------------------------------------------
    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        stem_out, context = self.run_stem(x)
        inputs, sent, hourglass_outs, outs = [stem_out], [], [], []
        for i in range(self.num_stacks):
            hourglass_in = self.enter(i, inputs[-1], context)
            out = self.after_hourglass(i, self.hourglasses[i](hourglass_in),
                                       hourglass_outs)
            hourglass_outs.append(out)
            features = self.features[i](self.post_blocks[i](out))
            last = i == self.num_stacks - 1
            if self.out == 'features':
                outs.append(features)
            if not last or self.out == 'heatmaps':
                heatmaps = self.heatmaps[i](features)
            if self.out == 'heatmaps':
                outs.append(heatmaps)
            if not last:
                sent.append(self.send(i, features, heatmaps))
                inputs.append(self.merge(i, inputs, sent))
        self.check_consumer(outs)
        if self.out == 'features':
            return tuple(outs)
        # heatmaps leave in float32 under mixed precision: MMPose's heads turn
        # them into numpy for the training accuracy (to_numpy fails on
        # bfloat16) and the MSE of near-zero targets wants float32 anyway
        return tuple(o.float() for o in outs)
