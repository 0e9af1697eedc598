"""Residual Stacked Hourglass (Yoo, Peng, Aggarwal, JHU 2019 poster).

Five Newell hourglass stacks with "gradient highways": residual connections
between symmetric hourglass modules (Fig. 4), on top of Newell's
stack-to-stack path. With 5 stacks the pairs are (1, 5) and (2, 4): the
output of hourglass k is added to the output of hourglass 6 - k, so
gradients of the late stacks reach the early ones through one addition.

Parameters: the highways are additions and add none. The poster's 31.1M
is met by five stacks with two residual modules per branch
(``num_blocks=2``, Newell's ``nModules``): 31.02M for 17 keypoints
(-0.3%). With one module per branch five stacks have 16.0M, and the
poster's own "Stacked Hourglass 12.6M" baseline matches four one-module
stacks (12.86M), so "residual" is read as the deeper residual modules.
"""
from typing import List, Optional

import torch
from mmpose.registry import MODELS

from .stacked_hourglass import StackedHourglass


@MODELS.register_module()
class ResidualStackedHourglass(StackedHourglass):
    """Stacked hourglass with residual highways between symmetric stacks.

    Hourglass ``s`` receives the output of hourglass ``n - 1 - s`` (0-based)
    when that one comes earlier: ``out_s = HG_s(x_s) + out_{n-1-s}``.

    Args:
        highways: add the symmetric highways (``False`` gives the plain
            stacked hourglass with the same weights, for ablations).
        Others: as :class:`StackedHourglass`; defaults are the poster's
            model: 5 stacks x 256 channels, 2 modules per branch.
    """

    def __init__(self,
                 num_keypoints: int = 16,
                 num_stacks: int = 5,
                 channels: int = 256,
                 num_blocks: int = 2,
                 highways: bool = True,
                 **kwargs):
        super().__init__(num_keypoints=num_keypoints, num_stacks=num_stacks,
                         channels=channels, num_blocks=num_blocks, **kwargs)
        self.highways = highways

    def highway_source(self, stack: int) -> Optional[int]:
        """The earlier stack whose output feeds ``stack``, if any."""
        partner = self.num_stacks - 1 - stack
        return partner if self.highways and partner < stack else None

    def after_hourglass(self, stack: int, out: torch.Tensor,
                        previous: List[torch.Tensor]) -> torch.Tensor:
        source = self.highway_source(stack)
        return out if source is None else out + previous[source]
