"""How an hourglass level merges its skip branch with the upsampled
lower branch: Newell's sum (and its fused broadcast form) or the
concatenation + 1x1 projection of Bulat et al. (FG 2020, Fig. 2b/2c)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .blocks import norm_relu_conv


class AddFusion(nn.Module):
    """Newell's merge of the skip branch and the upsampled lower branch."""

    def __init__(self, channels: int = 0):
        super().__init__()

    def forward(self, skip, up):
        return skip + up


def upsample_add(skip: torch.Tensor, low: torch.Tensor) -> torch.Tensor:
    """``skip + nearest_upsample_2x(low)``, in the faster of two forms.

    For float32 NCHW tensors: one broadcast add, without materialising the
    upsampled map (the upsample's copy cost as much as the add). For
    channels-last or bf16 tensors (the fast CPU mode) that broadcast over
    six dimensions is slow, above all its backward reduction: there the
    plain upsample + add. Measured here, fwd + bwd of the 4 levels of one
    256-channel hourglass at batch 4: fp32 NCHW 23.8 ms broadcast vs 27.7
    upsample; bf16 channels-last 30.9 vs 3.2; fp32 channels-last 23.3 vs
    5.1; bf16 NCHW 33.7 vs 17.9. Both forms give the same values, bit for
    bit."""
    if (skip.dtype == torch.float32 and low.dtype == torch.float32
            and skip.is_contiguous() and low.is_contiguous()):
        n, c, h, w = skip.shape
        out = (skip.reshape(n, c, h // 2, 2, w // 2, 2)
               + low.reshape(n, c, h // 2, 1, w // 2, 1))
        return out.reshape(n, c, h, w)
    return skip + F.interpolate(low, scale_factor=2, mode='nearest')


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
