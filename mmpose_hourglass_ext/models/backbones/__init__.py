from .hourglass_core import AddFusion, Hourglass, PreActBottleneck
from .stacked_hourglass import StackedHourglass

__all__ = ['AddFusion', 'Hourglass', 'PreActBottleneck', 'StackedHourglass']
