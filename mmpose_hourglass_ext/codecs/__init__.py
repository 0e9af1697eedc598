from .second_max_heatmap import SecondMaxHeatmap, second_max_decode

__all__ = ['SecondMaxHeatmap', 'second_max_decode']
