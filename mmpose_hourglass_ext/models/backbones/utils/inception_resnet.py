"""Building blocks of the MSSH paper (Sec. 3.3, Fig. 5).

inception-resnet-A: two parallel branches of 1x1 and 3x3 convolutions
(BN-ReLU-conv units) whose outputs are concatenated, "transformed and
normalized" by a 1x1 convolution and added to the input (pixel-wise):

    a = 1x1 -> 3x3            (receptive field 3)
    b = 1x1 -> 3x3 -> 3x3     (receptive field 5: the "small number of
                               convolution layers" that enlarge the unit's
                               receptive field over Newell's bottleneck)
    out = skip(x) + 1x1(concat(a, b))

inception-resnet-B adds a third branch that max-pools by 2, convolves and
upsamples back ("a subsampling layer and upsampling layer"). Branch widths
are C/4 each, the figure's widths being unreadable in the text: with them
A has 0.82x the parameters of Newell's bottleneck at the same width
(176K vs 213K at C = 256), so the block ablation is not a parameter
increase.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .blocks import norm_relu_conv


class InceptionResNetBlock(nn.Module):
    """inception-resnet-A (``pooled_branch=False``) or -B (True).

    Pre-activated like the other blocks of this package, so it drops into
    Newell's stem and hourglass unchanged. The skip is the identity, or a
    1x1 conv when the width changes.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 norm_cfg: dict = dict(type='BN'),
                 pooled_branch: bool = False):
        super().__init__()
        width = max(out_channels // 4, 1)

        def unit(cin, cout, k):
            return norm_relu_conv(cin, cout, k, norm_cfg)

        self.branch_a = nn.Sequential(unit(in_channels, width, 1),
                                      unit(width, width, 3))
        self.branch_b = nn.Sequential(unit(in_channels, width, 1),
                                      unit(width, width, 3),
                                      unit(width, width, 3))
        self.branch_pooled = (nn.Sequential(unit(in_channels, width, 1),
                                            unit(width, width, 3))
                              if pooled_branch else None)
        branches = 3 if pooled_branch else 2
        self.project = unit(branches * width, out_channels, 1)
        self.skip = (nn.Identity() if in_channels == out_channels else
                     nn.Conv2d(in_channels, out_channels, 1))

    def forward(self, x):
        outs = [self.branch_a(x), self.branch_b(x)]
        if self.branch_pooled is not None:
            # ceil_mode keeps odd sides; the upsampling restores x's size
            low = self.branch_pooled(F.max_pool2d(x, 2, ceil_mode=True))
            outs.append(F.interpolate(low, size=x.shape[-2:],
                                      mode='nearest'))
        # in place: the projection's output is not needed by its backward
        return self.project(torch.cat(outs, dim=1)).add_(self.skip(x))
