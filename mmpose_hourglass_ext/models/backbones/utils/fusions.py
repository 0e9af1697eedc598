"""How an hourglass level merges its skip branch with the upsampled
lower branch: Newell's sum (and its fused broadcast form) or the
concatenation + 1x1 projection of Bulat et al. (FG 2020, Fig. 2b/2c)."""
import torch
import torch.nn as nn

from .blocks import norm_relu_conv


class AddFusion(nn.Module):
    """Newell's merge of the skip branch and the upsampled lower branch."""

    def __init__(self, channels: int = 0):
        super().__init__()

    def forward(self, skip, up):
        return skip + up


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
