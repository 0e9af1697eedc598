from .hourglass_core import AddFusion, Hourglass, PreActBottleneck
from .soft_gated import (ConcatFusion, SoftGatedBlock, SoftGatedHourglass,
                         PRESETS as SOFT_GATED_PRESETS)
from .stacked_hourglass import StackedHourglass

__all__ = [
    'AddFusion', 'ConcatFusion', 'Hourglass', 'PreActBottleneck',
    'SOFT_GATED_PRESETS', 'SoftGatedBlock', 'SoftGatedHourglass',
    'StackedHourglass'
]
