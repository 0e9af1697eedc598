"""Blocks shared by the variants: Newell's pre-activation bottleneck, the
BN-ReLU-conv unit and the heatmap-conv initialisation."""
import torch.nn as nn
from mmcv.cnn import build_norm_layer


def norm_relu_conv(in_channels: int, out_channels: int, kernel_size: int,
                   norm_cfg: dict, groups: int = 1) -> nn.Sequential:
    """Pre-activation unit BN-ReLU-conv, the order of the ICCV 2017 block."""
    return nn.Sequential(
        build_norm_layer(norm_cfg, in_channels)[1],
        nn.ReLU(inplace=True),
        nn.Conv2d(in_channels, out_channels, kernel_size,
                  padding=kernel_size // 2, groups=groups, bias=False))


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


def init_heatmap_conv(conv: nn.Conv2d) -> nn.Conv2d:
    """Start a heatmap conv at ~zero output, as MMPose's heatmap heads do
    (normal, std 0.001): random initial heatmaps cost hundreds of
    iterations."""
    nn.init.normal_(conv.weight, std=0.001)
    nn.init.zeros_(conv.bias)
    return conv
