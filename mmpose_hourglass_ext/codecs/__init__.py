from .second_max_heatmap import SecondMaxHeatmap, second_max_decode
from .signed_heatmap import SignedMSRAHeatmap

__all__ = ['SecondMaxHeatmap', 'SignedMSRAHeatmap', 'second_max_decode']
