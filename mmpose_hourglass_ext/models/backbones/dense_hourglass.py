"""Dense-connected stacked hourglass, DC-hourglass (Liu & Ding, "Dense-
connected Stacked Hourglass Networks for Human Pose Estimation").

"Each hourglass model receives a combination of inputs from all the outputs
before it and sends its output to all subsequent models" (Sec. 3, Fig. 1):
DenseNet's pattern with hourglasses as layers. What a stack sends on is
Newell's (1x1 remaps of its features and heatmaps); the stem output counts
as the output before the first stack. Everything else is Newell's.

Note on ``fusion='sum'``: Newell's merge ``x_{i+1} = x_i + o_i`` already
unrolls to ``stem + o_0 + ... + o_i``, so summing all earlier outputs is
Newell's network; the dense paper's difference is the learned combination
of ``fusion='concat'`` (concat, then a 1x1 conv back to the width), or a
limited ``max_links``.
"""
from typing import List, Optional

import torch
import torch.nn as nn
from mmpose.registry import MODELS

from .stacked_hourglass import StackedHourglass

DENSE_FUSIONS = ('concat', 'sum')


@MODELS.register_module()
class DenseStackedHourglass(StackedHourglass):
    """Stacked hourglass whose stacks each take all earlier stacks' outputs.

    The input of stack ``s`` (s >= 1) combines the sources ``[stem output,
    o_0, ..., o_{s-1}]``, ``o_j`` being what stack ``j`` sends on.

    Args:
        fusion: ``'concat'`` (default): concatenate the sources, 1x1 conv
            back to ``channels``; ``'sum'``: add them.
        max_links: use only the ``max_links`` most recent sources (the stem
            is the oldest); ``None`` = all. The paper's conclusion suggests
            pruning the late stacks' links to early features: this is the
            knob for it.
        Others: as :class:`StackedHourglass` (8 stacks x 256 by default).
    """

    def __init__(self,
                 num_keypoints: int = 16,
                 num_stacks: int = 8,
                 channels: int = 256,
                 fusion: str = 'concat',
                 max_links: Optional[int] = None,
                 **kwargs):
        if fusion not in DENSE_FUSIONS:
            raise ValueError(f'fusion must be one of {DENSE_FUSIONS}, '
                             f'got {fusion!r}')
        if max_links is not None and max_links < 1:
            raise ValueError(f'max_links must be >= 1 or None, got {max_links}')
        super().__init__(num_keypoints=num_keypoints, num_stacks=num_stacks,
                         channels=channels, **kwargs)
        self.fusion = fusion
        self.max_links = max_links
        if fusion == 'concat':
            # stack s (1..n-1) reads s + 1 sources, or max_links of them
            self.dense_fusions = nn.ModuleList([
                nn.Conv2d(self.num_links(s) * channels, channels, 1)
                for s in range(1, num_stacks)
            ])

    def num_links(self, stack: int) -> int:
        """How many sources feed stack ``stack`` (>= 1)."""
        available = stack + 1  # the stem and stacks 0..stack-1
        return (available if self.max_links is None else
                min(available, self.max_links))

    def merge(self, stack: int, inputs: List[torch.Tensor],
              sent: List[torch.Tensor]) -> torch.Tensor:
        target = stack + 1
        sources = ([inputs[0]] + sent)[-self.num_links(target):]
        if self.fusion == 'sum':
            return torch.stack(sources).sum(0)
        return self.dense_fusions[stack](torch.cat(sources, dim=1))
