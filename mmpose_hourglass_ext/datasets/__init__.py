from .lsp import LspDataset, LspetDataset
from .transforms import OccludedNegativeHeatmap

__all__ = ['LspDataset', 'LspetDataset', 'OccludedNegativeHeatmap']
