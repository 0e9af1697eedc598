"""Soft-gated skip connections and the HourGlass/U-Net hybrid (Bulat,
Kossaifi, Tzimiropoulos, Pantic, FG 2020, "Toward fast and accurate human
pose estimation via soft-gated skip connections").

What the paper changes in the stacked hourglass, and nothing else:

* the block (Fig. 1): the hierarchical, parallel and multi-scale block of
  Bulat & Tzimiropoulos (ICCV 2017) -- three pre-activated 3x3 convs of
  C/2, C/4, C/4 channels in sequence, their outputs concatenated to C --
  whose skip path is scaled by a learnable per-channel gate alpha (Eq. 1:
  ``out = alpha * x + F(x)``);
* the hourglass (Fig. 2b/c): the decoder concatenates the encoder feature
  with the upsampled lower feature and projects them back to C, instead of
  adding them (Fig. 2a, Newell).

The stem, the per-stack heads, the stack-to-stack merge and intermediate
supervision are :class:`StackedHourglass`'s, so comparisons with the Newell
baseline differ only in what the paper changes.
"""
from functools import partial
from typing import Optional, Sequence

import torch
import torch.nn as nn
from mmpose.registry import MODELS

from .stacked_hourglass import StackedHourglass
from .utils import AddFusion, ConcatFusion, norm_relu_conv

GATES = ('channel', 'scalar', 'fixed', 'none')
FUSIONS = ('concat', 'grouped', 'add')


class SoftGatedBlock(nn.Module):
    """Hierarchical, parallel, multi-scale block with a soft-gated skip.

    ``F(x) = concat(y1, y2, y3)`` with ``y1 = conv3x3(x)`` (C/2 channels),
    ``y2 = conv3x3(y1)`` (C/4), ``y3 = conv3x3(y2)`` (C/4), each conv
    pre-activated by BN-ReLU; output ``alpha * skip(x) + F(x)``, where
    ``skip`` is the identity, or BN-ReLU-conv1x1 when the width changes
    (the ICCV 2017 block's projection).

    Args:
        gate: ``'channel'`` (one alpha per channel, shape 1 x C x 1 x 1,
            the paper's choice), ``'scalar'`` (one alpha for all channels),
            ``'fixed'`` (one alpha = ``alpha_init`` that is not learned:
            Table II's fixed-value rows, whose values are lost from the
            text) or ``'none'`` (identity skip, the baseline of Table II).
        alpha_init: initial alpha. The value is lost from the paper's text
            ("the scaling factor alpha with ..."); the default 1.0 starts
            the block as the cited ICCV 2017 block (identity skip), which is
            the rule for missing values here. A third-party
            re-implementation reads the paper as alpha = 0; pass
            ``alpha_init=0.`` to follow it.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 gate: str = 'channel',
                 alpha_init: float = 1.0,
                 norm_cfg: dict = dict(type='BN')):
        super().__init__()
        if gate not in GATES:
            raise ValueError(f'gate must be one of {GATES}, got {gate!r}')
        if out_channels % 4:
            raise ValueError('the block splits its output into C/2, C/4 and '
                             f'C/4 channels: out_channels={out_channels} '
                             'must be a multiple of 4')
        half, quarter = out_channels // 2, out_channels // 4
        self.conv1 = norm_relu_conv(in_channels, half, 3, norm_cfg)
        self.conv2 = norm_relu_conv(half, quarter, 3, norm_cfg)
        self.conv3 = norm_relu_conv(quarter, quarter, 3, norm_cfg)
        self.skip = (nn.Identity() if in_channels == out_channels else
                     norm_relu_conv(in_channels, out_channels, 1, norm_cfg))
        self.gate = gate
        if gate == 'none':
            self.alpha = None
        elif gate == 'fixed':  # saved with the model, never trained
            self.register_buffer('alpha', torch.tensor([float(alpha_init)]))
        else:
            shape = (1, out_channels, 1, 1) if gate == 'channel' else (1, )
            self.alpha = nn.Parameter(torch.full(shape, float(alpha_init)))

    def forward(self, x):
        y1 = self.conv1(x)
        y2 = self.conv2(y1)
        y3 = self.conv3(y2)
        # one fused op, no temporary for alpha * skip (out of place: the
        # ONNX exporter rewrites an in-place addcmul_ with a warning that
        # it "changes graph semantics")
        out = torch.cat([y1, y2, y3], dim=1)
        if self.alpha is None:
            return out.add_(self.skip(x))
        # alpha in the activations' dtype: a float32 alpha would promote a
        # bf16 block output to float32 under autocast, and every later op
        # would convert it back
        return torch.addcmul(out, self.alpha.to(out.dtype), self.skip(x))


# Named sizes of the paper's tables. Widths were chosen to meet the
# parameter counts. The stem is Newell's layout (7x7/2 conv, block, pool,
# block, block) at widths (C/4, C): Newell's first conv ratio (64 for 256),
# but the pooled stage keeps the hourglass width C where Newell halves it --
# the paper's stem "did not reduce the number of features in the base blocks
# that precede the first HG stack", unlike CU-Net. Measured figures are in
# benchmarks/soft_gated_presets.json (tools/analysis/preset_complexity.py).
PRESETS = {
    # name: (num_stacks, channels, stem_channels,
    #        paper params in M, paper GFLOPs at 256x256 or None, source)
    'tab3-0.5M': (1, 68, (17, 68), 0.5, 0.8, 'Table III'),
    'tab3-1.0M': (2, 68, (17, 68), 1.0, 1.39, 'Table III'),
    'tab3-1.4M': (2, 80, (20, 80), 1.4, 1.75, 'Table III'),
    'tab3-1.9M': (2, 96, (24, 96), 1.9, 2.43, 'Table III'),
    'tab3-2.4M': (2, 108, (27, 108), 2.4, 3.1, 'Table III'),
    'tab3-2.9M': (2, 116, (29, 116), 2.9, 3.75, 'Table III'),
    'tab1-3.4M': (4, 92, (23, 92), 3.4, 4.27, 'Table I'),
    # "Ours (small)" of Tables V and VII: 4 stacks x 144 channels
    'tab1-8.5M': (4, 144, (36, 144), 8.5, 9.9, 'Tables I, VII'),
    # Sec. IV-B's wider model: 4 stacks x 256 channels, ~26M
    'tab7-26M': (4, 256, (64, 256), 26.0, None, 'Sec. IV-B'),
    # the ablation model of Tables II and IV: 2 stacks x 128 features
    'tab4-3.4M': (2, 128, (32, 128), 3.4, None, 'Table IV'),
}


@MODELS.register_module()
class SoftGatedHourglass(StackedHourglass):
    """Stacked HourGlass/U-Net hybrid with soft-gated blocks.

    Each hourglass level: encoder block after max-pooling, a block on the
    skip branch (the HG choice; the paper's own skip-branch ablation found
    no difference "as long as the number of parameters stayed the same"),
    decoder block before upsampling (Newell's placement), then the merge
    ``fusion`` of the skip and upsampled features.

    Where the paper is silent we kept the baseline's choice: the
    stack-to-stack path (input + 1x1 remaps of features and heatmaps) stays
    Newell's, identity included, since the paper does not change it.

    Args:
        preset: a key of :data:`PRESETS` (the paper's tables); fills
            ``num_stacks``, ``channels`` and ``stem_channels`` unless given.
        gate, alpha_init: see :class:`SoftGatedBlock`.
        fusion: ``'concat'`` (Fig. 2b, the paper's best), ``'grouped'``
            (Fig. 2c) or ``'add'`` (Fig. 2a, Newell).
        Others: as :class:`StackedHourglass`.
    """

    def __init__(self,
                 num_keypoints: int = 16,
                 preset: Optional[str] = None,
                 num_stacks: Optional[int] = None,
                 channels: Optional[int] = None,
                 stem_channels: Optional[Sequence[int]] = None,
                 depth: int = 4,
                 num_blocks: int = 1,
                 gate: str = 'channel',
                 alpha_init: float = 1.0,
                 fusion: str = 'concat',
                 norm_cfg: dict = dict(type='BN'),
                 **kwargs):
        if preset is not None:
            if preset not in PRESETS:
                raise KeyError(f'unknown SoftGatedHourglass preset {preset!r};'
                               f' choose one of {sorted(PRESETS)}')
            p_stacks, p_channels, p_stem = PRESETS[preset][:3]
            num_stacks = p_stacks if num_stacks is None else num_stacks
            channels = p_channels if channels is None else channels
            stem_channels = p_stem if stem_channels is None else stem_channels
        num_stacks = 4 if num_stacks is None else num_stacks
        channels = 144 if channels is None else channels
        if stem_channels is None:
            stem_channels = (channels // 4, channels)
        # an unknown gate is refused by the first SoftGatedBlock built
        if fusion not in FUSIONS:
            raise ValueError(f'fusion must be one of {FUSIONS}, '
                             f'got {fusion!r}')
        block = partial(SoftGatedBlock, gate=gate, alpha_init=alpha_init,
                        norm_cfg=norm_cfg)
        merge = (AddFusion if fusion == 'add' else partial(
            ConcatFusion, groups=2 if fusion == 'grouped' else 1,
            norm_cfg=norm_cfg))
        super().__init__(num_keypoints=num_keypoints, num_stacks=num_stacks,
                         channels=channels, depth=depth, num_blocks=num_blocks,
                         stem_channels=stem_channels, norm_cfg=norm_cfg,
                         block_factory=block, fusion_factory=merge, **kwargs)
