from .dense_hourglass import DenseStackedHourglass
from .hourglass_core import Hourglass
from .multi_scale_hourglass import MultiScaleStackedHourglass
from .residual_stacked_hourglass import ResidualStackedHourglass
from .resnet_multi_stage import ResNetMultiStage
from .soft_gated import (SoftGatedBlock, SoftGatedHourglass,
                         PRESETS as SOFT_GATED_PRESETS)
from .stacked_hourglass import StackedHourglass
from .utils import (AddFusion, ConcatFusion, InceptionResNetBlock,
                    PreActBottleneck, init_heatmap_conv, norm_relu_conv)

__all__ = [
    'AddFusion', 'ConcatFusion', 'DenseStackedHourglass', 'Hourglass',
    'InceptionResNetBlock', 'MultiScaleStackedHourglass',
    'PreActBottleneck', 'ResidualStackedHourglass', 'ResNetMultiStage',
    'init_heatmap_conv', 'norm_relu_conv',
    'SOFT_GATED_PRESETS', 'SoftGatedBlock', 'SoftGatedHourglass',
    'StackedHourglass'
]
