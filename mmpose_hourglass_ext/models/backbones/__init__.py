from .dense_hourglass import DenseStackedHourglass
from .hourglass_core import AddFusion, Hourglass, PreActBottleneck
from .inception_resnet import InceptionResNetBlock
from .multi_scale_hourglass import MultiScaleStackedHourglass
from .residual_stacked_hourglass import ResidualStackedHourglass
from .resnet_multi_stage import ResNetMultiStage
from .soft_gated import (ConcatFusion, SoftGatedBlock, SoftGatedHourglass,
                         PRESETS as SOFT_GATED_PRESETS)
from .stacked_hourglass import StackedHourglass

__all__ = [
    'AddFusion', 'ConcatFusion', 'DenseStackedHourglass', 'Hourglass',
    'InceptionResNetBlock', 'MultiScaleStackedHourglass',
    'PreActBottleneck', 'ResidualStackedHourglass', 'ResNetMultiStage',
    'SOFT_GATED_PRESETS', 'SoftGatedBlock', 'SoftGatedHourglass',
    'StackedHourglass'
]
